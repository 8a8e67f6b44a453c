//! `.dockerignore` matching with Docker's rules (moby/patternmatcher and its `ignorefile`
//! reader): comment lines, `!` exceptions, a leading `/` meaning the context root, patterns
//! and paths cleaned like Go's `filepath.Clean`, `*` and `?` within one path component, `**`
//! across components, and a path counting as excluded when one of its parent directories is.
//!
//! The matcher is written by hand rather than built on regular expressions. Docker's dialect
//! is its own (it sorts patterns into exact, prefix, suffix and regex ones, and its `**`
//! means "nothing, or anything ending in `/`"), which a few node kinds express exactly; and a
//! regex per pattern costs a compilation each and grows with the pattern (a 200 KB `*a*a...`
//! pattern made a regex of about 100 MB, 100,000 patterns took seconds and hundreds of MB).
//! Here a pattern compiles once into a node list and matches by following every position of
//! it at once, in at most path length x pattern length steps; identical patterns are kept
//! once, and an index of literal prefixes and suffixes picks the few patterns worth trying
//! for each path.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Go's `path.Clean` for slash-separated paths.
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// How a pattern matches, as Docker sorts them: the whole path, a prefix (`dir/**`), a
/// suffix (`**/name`), or a glob (anything with `*`, `?`, `[`, `\`).
#[derive(Debug, Clone)]
enum Kind {
    Exact,
    Prefix,
    Suffix,
    Glob(Box<Glob>),
}

/// One step of a compiled glob. `**` in the middle (Docker's `(.*/)?`: nothing, or anything
/// that ends with `/`) is two nodes: its entry, which may skip it, and its loop, which leaves
/// only on a `/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Char(char),
    /// `?`: one character but `/`.
    Any,
    /// `*`: any characters but `/`.
    Star,
    /// `[...]`: one character of the class (an index into `Glob::classes`).
    Class(u32),
    DirsEntry,
    DirsLoop,
    /// `**` at the end: anything.
    Rest,
}

#[derive(Debug, Clone)]
struct Class {
    negated: bool,
    ranges: Box<[(char, char)]>,
}

impl Class {
    fn matches(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

/// A glob compiled to a list of nodes, matched against the whole path by following every
/// position of the list at once (no backtracking): time is at most path length x list length.
#[derive(Debug, Clone)]
struct Glob {
    nodes: Box<[Node]>,
    classes: Box<[Class]>,
    /// The characters every match starts with (the leading `Char` nodes) and ends with (the
    /// trailing ones after those): quick rejections before the walk.
    prefix: Box<str>,
    suffix: Box<str>,
}

#[derive(Debug, Clone)]
struct Pattern {
    /// The cleaned pattern, without its `!`.
    text: Box<str>,
    exclusion: bool,
    kind: Kind,
}

/// Whether Go's `filepath.Match` accepts the pattern (brackets closed and not empty,
/// no trailing escape).
fn well_formed(pattern: &str) -> bool {
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '[' => {
                if chars.peek() == Some(&'^') {
                    chars.next();
                }
                let mut items = 0;
                loop {
                    let Some(c) = chars.next() else { return false };
                    if c == ']' && items > 0 {
                        break;
                    }
                    let c = if c == '\\' { chars.next() } else { Some(c) };
                    if matches!(c, None | Some('-' | ']')) {
                        return false;
                    }
                    if chars.peek() == Some(&'-') {
                        chars.next();
                        let hi = match chars.next() {
                            Some('\\') => chars.next(),
                            other => other,
                        };
                        if matches!(hi, None | Some('-' | ']')) || hi < c {
                            return false;
                        }
                    }
                    items += 1;
                }
            }
            _ => {}
        }
    }
    true
}

impl Pattern {
    /// Compile `text` (cleaned and well formed) the way Docker sorts and translates it.
    fn new(text: &str, exclusion: bool) -> Self {
        #[derive(PartialEq)]
        enum Sort {
            Exact,
            Prefix,
            Suffix,
            Glob,
        }
        let chars: Vec<char> = text.chars().collect();
        let mut nodes = Vec::new();
        let mut classes = Vec::new();
        let mut sort = Sort::Exact;
        let mut pos = 0;
        let mut i = 0;
        while pos < chars.len() {
            let c = chars[pos];
            pos += 1;
            match c {
                '*' if chars.get(pos) == Some(&'*') => {
                    pos += 1;
                    if chars.get(pos) == Some(&'/') {
                        pos += 1;
                    }
                    if pos == chars.len() {
                        if sort == Sort::Exact {
                            sort = Sort::Prefix;
                        } else {
                            nodes.push(Node::Rest);
                            sort = Sort::Glob;
                        }
                    } else {
                        nodes.extend([Node::DirsEntry, Node::DirsLoop]);
                        sort = Sort::Glob;
                    }
                    if i == 0 {
                        sort = Sort::Suffix;
                    }
                }
                '*' => {
                    nodes.push(Node::Star);
                    sort = Sort::Glob;
                }
                '?' => {
                    nodes.push(Node::Any);
                    sort = Sort::Glob;
                }
                '\\' => match chars.get(pos) {
                    Some(&next) => {
                        nodes.push(Node::Char(next));
                        pos += 1;
                        sort = Sort::Glob;
                    }
                    None => nodes.push(Node::Char('\\')),
                },
                '[' => {
                    let (class, end) = parse_class(&chars, pos);
                    pos = end;
                    nodes.push(Node::Class(classes.len() as u32));
                    classes.push(class);
                    sort = Sort::Glob;
                }
                ']' => {
                    nodes.push(Node::Char(']'));
                    sort = Sort::Glob;
                }
                _ => nodes.push(Node::Char(c)),
            }
            i += 1;
        }
        let kind = match sort {
            Sort::Exact => Kind::Exact,
            Sort::Prefix => Kind::Prefix,
            Sort::Suffix => Kind::Suffix,
            Sort::Glob => {
                let literal = |n: &Node| match n {
                    Node::Char(c) => Some(*c),
                    _ => None,
                };
                let prefix: String = nodes.iter().map_while(literal).collect();
                let lead = prefix.chars().count();
                let mut suffix: Vec<char> = nodes[lead..].iter().rev().map_while(literal).collect();
                suffix.reverse();
                Kind::Glob(Box::new(Glob {
                    nodes: nodes.into(),
                    classes: classes.into(),
                    prefix: prefix.into(),
                    suffix: suffix.into_iter().collect::<String>().into(),
                }))
            }
        };
        Self { text: text.into(), exclusion, kind }
    }

    fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Exact => path == &*self.text,
            Kind::Prefix => path.starts_with(&self.text[..self.text.len() - 2]),
            Kind::Suffix => {
                let suffix = &self.text[2..];
                path.ends_with(suffix) || suffix.strip_prefix('/').is_some_and(|s| path == s)
            }
            Kind::Glob(glob) => glob.matches(path),
        }
    }

    /// The characters every path it matches starts with.
    fn literal_prefix(&self) -> &str {
        match &self.kind {
            Kind::Exact => &self.text,
            Kind::Prefix => &self.text[..self.text.len() - 2],
            Kind::Suffix => "",
            Kind::Glob(glob) => &glob.prefix,
        }
    }
}

/// The class that starts after the `[` at `chars[start - 1]` (well formed: `well_formed`
/// checked it), and the position after its `]`.
fn parse_class(chars: &[char], start: usize) -> (Class, usize) {
    let mut pos = start;
    let negated = chars.get(pos) == Some(&'^');
    if negated {
        pos += 1;
    }
    let mut ranges = Vec::new();
    let escaped = |pos: &mut usize| {
        let mut c = chars.get(*pos).copied().unwrap_or(']');
        if c == '\\' {
            *pos += 1;
            c = chars.get(*pos).copied().unwrap_or(']');
        }
        *pos += 1;
        c
    };
    while pos < chars.len() {
        if chars[pos] == ']' && !ranges.is_empty() {
            pos += 1;
            break;
        }
        let lo = escaped(&mut pos);
        let mut hi = lo;
        if chars.get(pos) == Some(&'-') {
            pos += 1;
            hi = escaped(&mut pos);
        }
        ranges.push((lo, hi));
    }
    (Class { negated, ranges: ranges.into() }, pos)
}

impl Glob {
    fn matches(&self, path: &str) -> bool {
        let Some(rest) = path.strip_prefix(&*self.prefix) else { return false };
        if !rest.ends_with(&*self.suffix) {
            return false;
        }
        self.walk(self.prefix.chars().count(), rest)
    }

    /// Follow every position of the node list at once along `text`, from node `start`.
    fn walk(&self, start: usize, text: &str) -> bool {
        let end = self.nodes.len();
        // `seen[s] == step`: position s is already in the list of this step.
        let mut seen = vec![usize::MAX; end + 1];
        let mut current = Vec::new();
        let mut next = Vec::new();
        let mut stack = Vec::new();
        self.enter(start, 0, &mut seen, &mut current, &mut stack);
        for (step, c) in text.chars().enumerate() {
            if current.is_empty() {
                return false;
            }
            let step = step + 1;
            next.clear();
            for &s in &current {
                let Some(node) = self.nodes.get(s) else { continue };
                let to = match *node {
                    Node::Char(x) if x == c => Some(s + 1),
                    Node::Any if c != '/' => Some(s + 1),
                    Node::Class(k) if self.classes[k as usize].matches(c) => Some(s + 1),
                    Node::Star if c != '/' => Some(s),
                    Node::Rest => Some(s),
                    Node::DirsLoop => {
                        if c == '/' {
                            self.enter(s + 1, step, &mut seen, &mut next, &mut stack);
                        }
                        Some(s)
                    }
                    _ => None,
                };
                if let Some(to) = to {
                    self.enter(to, step, &mut seen, &mut next, &mut stack);
                }
            }
            std::mem::swap(&mut current, &mut next);
        }
        current.contains(&end)
    }

    /// Add position `s` and those reachable from it without reading a character.
    fn enter(&self, s: usize, step: usize, seen: &mut [usize], list: &mut Vec<usize>, stack: &mut Vec<usize>) {
        stack.push(s);
        while let Some(s) = stack.pop() {
            if seen[s] == step {
                continue;
            }
            seen[s] = step;
            list.push(s);
            match self.nodes.get(s) {
                Some(Node::Star | Node::Rest) => stack.push(s + 1),
                Some(Node::DirsEntry) => stack.extend([s + 1, s + 2]),
                _ => {}
            }
        }
    }
}

/// A `.dockerignore` line Docker refuses (the build fails with `reason`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// 1-based.
    pub line: usize,
    /// The line as written, trimmed.
    pub pattern: String,
    /// Docker's words: `syntax error in pattern`, or `illegal exclusion pattern: "!"`.
    pub reason: &'static str,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: `{}`: {}", self.line, self.pattern, self.reason)
    }
}

impl std::error::Error for PatternError {}

/// A build context's `.dockerignore` as read from disk: absent, read and accepted, refused
/// by Docker (a bad pattern), or unreadable. Docker fails the build in the last two cases,
/// so they are never taken for "no .dockerignore". Cheap to clone.
#[derive(Debug, Clone, Default)]
pub enum IgnoreFile {
    #[default]
    Missing,
    Parsed(Arc<DockerIgnore>),
    Invalid {
        path: PathBuf,
        error: PatternError,
    },
    Unreadable {
        path: PathBuf,
        error: Arc<std::io::Error>,
    },
}

impl IgnoreFile {
    /// Read and parse the file at `path`. Docker reads it byte-wise: bytes that are not UTF-8
    /// are taken as U+FFFD (such a pattern matches no path dockopt can name).
    pub fn read(path: &Path) -> Self {
        match std::fs::read(path) {
            Ok(bytes) => Self::parse(path, &String::from_utf8_lossy(&bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::Missing,
            Err(error) => Self::Unreadable { path: path.to_path_buf(), error: Arc::new(error) },
        }
    }

    /// `text` as the content of the file at `path`.
    pub fn parse(path: &Path, text: &str) -> Self {
        match DockerIgnore::parse(text) {
            Ok(ignore) => Self::Parsed(Arc::new(ignore)),
            Err(error) => Self::Invalid { path: path.to_path_buf(), error },
        }
    }

    /// The patterns, when the file exists and Docker accepts it.
    pub fn patterns(&self) -> Option<&DockerIgnore> {
        match self {
            Self::Parsed(ignore) => Some(ignore),
            _ => None,
        }
    }

    /// Whether there is a file (readable and valid or not).
    pub fn exists(&self) -> bool {
        !matches!(self, Self::Missing)
    }

    /// Why Docker cannot use the file (it fails the build), when it cannot.
    pub fn problem(&self) -> Option<String> {
        match self {
            Self::Invalid { path, error } => Some(format!("{}: {error}", path.display())),
            Self::Unreadable { path, error } => Some(format!("{}: {error}", path.display())),
            _ => None,
        }
    }
}

/// A parsed `.dockerignore`.
#[derive(Debug, Clone, Default)]
pub struct DockerIgnore {
    /// The patterns in file order, each text once (at its last line: for Docker's verdict only
    /// the last of identical patterns counts).
    patterns: Vec<Pattern>,
    /// Where to look first: the patterns that can match a path, found by the path's own
    /// prefixes and suffixes instead of trying every pattern.
    index: Index,
    /// The `!` exceptions (each text once), split into path components, to tell whether one
    /// can bring back something below a directory.
    exceptions: Vec<Vec<(bool, Pattern)>>,
    /// A pattern (`*`, `**`, `**/*`) leaves out every entry.
    everything: bool,
}

#[derive(Debug, Clone, Default)]
struct Index {
    /// Exact patterns by text, and prefix and glob patterns by their literal prefix.
    by_prefix: HashMap<Box<str>, Vec<usize>>,
    /// The lengths of those keys (few distinct ones), to look up only prefixes that can hit.
    prefix_lengths: Vec<usize>,
    /// `**/name` and `**name` patterns by the text after `**`.
    by_suffix: HashMap<Box<str>, Vec<usize>>,
    suffix_lengths: Vec<usize>,
}

impl Index {
    fn new(patterns: &[Pattern]) -> Self {
        let mut index = Self::default();
        for (i, p) in patterns.iter().enumerate() {
            let (map, key) = match p.kind {
                Kind::Suffix => (&mut index.by_suffix, &p.text[2..]),
                _ => (&mut index.by_prefix, p.literal_prefix()),
            };
            map.entry(key.into()).or_default().push(i);
        }
        let lengths = |map: &HashMap<Box<str>, Vec<usize>>| {
            let mut lengths: Vec<usize> = map.keys().map(|k| k.len()).collect();
            lengths.sort_unstable();
            lengths.dedup();
            lengths
        };
        index.prefix_lengths = lengths(&index.by_prefix);
        index.suffix_lengths = lengths(&index.by_suffix);
        index
    }

    /// The patterns that can match `path` or one of its parents (`parents`: the lengths of
    /// its parent directories' paths), in no order and maybe twice.
    fn candidates(&self, path: &str, parents: &[usize], out: &mut Vec<usize>) {
        for &len in self.prefix_lengths.iter().take_while(|&&len| len <= path.len()) {
            if let Some(found) = path.get(..len).and_then(|key| self.by_prefix.get(key)) {
                out.extend(found);
            }
        }
        if self.by_suffix.is_empty() {
            return;
        }
        // `**/name` matches `name` itself too: look `/path` up as well.
        let rooted = format!("/{path}");
        for end in parents.iter().map(|&p| p + 1).chain([rooted.len()]) {
            let whole = &rooted[..end];
            for &len in self.suffix_lengths.iter().take_while(|&&len| len <= whole.len()) {
                let key = &whole[whole.len() - len..];
                // A key that starts inside a character is no key.
                if let Some(found) =
                    whole.is_char_boundary(whole.len() - len).then(|| self.by_suffix.get(key)).flatten()
                {
                    out.extend(found);
                }
            }
        }
    }
}

impl DockerIgnore {
    /// Read the file as Docker does. Docker refuses a file with a lone `!` or a pattern Go's
    /// `filepath.Match` rejects (an unclosed `[`, a trailing `\\`): so does this, naming the
    /// pattern and its line.
    pub fn parse(text: &str) -> Result<Self, PatternError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines: Vec<(String, bool)> = Vec::new();
        for (index, line) in text.lines().enumerate() {
            // Comments are recognised before trimming: `  # x` is a pattern.
            if line.starts_with('#') {
                continue;
            }
            let mut pattern = line.trim();
            if pattern.is_empty() {
                continue;
            }
            let error = |reason| PatternError { line: index + 1, pattern: pattern.to_owned(), reason };
            let exclusion = pattern.starts_with('!');
            if exclusion {
                pattern = pattern[1..].trim();
            }
            if pattern.is_empty() {
                return Err(error("illegal exclusion pattern: \"!\""));
            }
            let mut cleaned = clean(pattern);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            if !well_formed(&cleaned) {
                return Err(error("syntax error in pattern"));
            }
            lines.push((cleaned, exclusion));
        }
        let everything =
            lines.iter().any(|(text, exclusion)| !exclusion && matches!(text.as_str(), "*" | "**" | "**/*"));
        let mut exceptions = Vec::new();
        let mut seen = HashSet::new();
        for (text, _) in lines.iter().filter(|(_, exclusion)| *exclusion) {
            if seen.insert(text.as_str()) {
                exceptions.push(text.split('/').map(|c| (c.contains("**"), Pattern::new(c, false))).collect());
            }
        }
        // The last line of each text, in file order.
        let mut seen = HashSet::new();
        let mut last: Vec<&(String, bool)> =
            lines.iter().rev().filter(|(text, _)| seen.insert(text.as_str())).collect();
        last.reverse();
        let patterns: Vec<Pattern> = last.into_iter().map(|(text, exclusion)| Pattern::new(text, *exclusion)).collect();
        let index = Index::new(&patterns);
        Ok(Self { patterns, index, exceptions, everything })
    }

    /// Whether there are `!` exceptions.
    pub fn has_exceptions(&self) -> bool {
        !self.exceptions.is_empty()
    }

    /// Docker's verdict for one path of the context (`MatchesOrParentMatches`): the last
    /// pattern that matches the path or one of its parent directories decides.
    pub fn matches(&self, path: &str) -> bool {
        let path = clean(path);
        // Docker tries `filepath.Dir(path)` split at `/` and joined again: the path up to
        // each `/`.
        let parents: Vec<usize> = path.match_indices('/').map(|(i, _)| i).collect();
        let mut candidates = Vec::new();
        self.index.candidates(&path, &parents, &mut candidates);
        candidates.sort_unstable_by(|a, b| b.cmp(a));
        candidates.dedup();
        for i in candidates {
            let p = &self.patterns[i];
            if p.matches(&path) || parents.iter().any(|&end| p.matches(&path[..end])) {
                return !p.exclusion;
            }
        }
        false
    }

    /// Whether some `!` exception could bring back a file below `path`.
    fn may_reinclude_below(&self, path: &str) -> bool {
        let parts: Vec<&str> = if path == "." { Vec::new() } else { path.split('/').collect() };
        self.exceptions.iter().any(|pattern| {
            for (k, part) in parts.iter().enumerate() {
                let Some((any_depth, component)) = pattern.get(k) else { return false };
                if *any_depth {
                    return true;
                }
                if !component.matches(part) {
                    return false;
                }
            }
            pattern.len() > parts.len()
        })
    }

    /// Whether `path` (a file or directory of the context, as written in COPY; a leading `/`
    /// is the context root) is left out of the build context entirely: it is ignored and no
    /// exception brings back anything below it. The context root counts as excluded only
    /// when a pattern (`*`, `**`, `**/*`) leaves out every entry.
    pub fn excludes(&self, path: &str) -> bool {
        let mut path = clean(path);
        if path.starts_with('/') {
            path = clean(path.trim_start_matches('/'));
        }
        if path == "." {
            return self.everything && !self.has_exceptions();
        }
        self.matches(&path) && !self.may_reinclude_below(&path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(text: &str) -> DockerIgnore {
        DockerIgnore::parse(text).expect("valid")
    }

    #[test]
    fn cleans_like_go() {
        for (input, want) in
            [("", "."), ("a//b/./c/", "a/b/c"), ("../a/../..", "../.."), ("/../a", "/a"), ("/", "/"), ("./", ".")]
        {
            assert_eq!(clean(input), want, "{input}");
        }
    }

    #[test]
    fn patterns_follow_docker() {
        let di = ignore("# comment\n  node_modules  \n*.log\n/build\n**/tmp\ndocs/**\nsrc/*/gen\n\\#x\n");
        assert!(di.matches("node_modules"));
        assert!(di.matches("node_modules/a/b.js"), "a parent directory matches");
        assert!(!di.matches("app/node_modules"), "patterns are anchored at the root");
        assert!(di.matches("a.log") && !di.matches("logs/a.log"), "* stays in one component");
        assert!(di.matches("build/x") && di.matches("./build"));
        assert!(di.matches("tmp") && di.matches("a/b/tmp/c"), "**/ matches any depth, including none");
        assert!(di.matches("docs/x") && !di.matches("docs"), "trailing ** needs something below");
        assert!(di.matches("src/a/gen") && !di.matches("src/a/b/gen"));
        assert!(di.matches("#x"), "escaped #");
        assert!(!di.matches("comment") && !di.matches("# comment"));
        let di = ignore(" # not a comment\n?.md\n[a-c]*.txt\n");
        assert!(di.matches("# not a comment"));
        assert!(di.matches("a.md") && !di.matches("ab.md"));
        assert!(di.matches("b1.txt") && !di.matches("d1.txt"));
    }

    /// The examples of Docker's documentation (Build context, ".dockerignore files"), one row
    /// per pattern file: paths it excludes and paths it keeps.
    #[test]
    fn dockers_documented_examples() {
        let table: [(&str, &[&str], &[&str]); 10] = [
            (
                "# comment\n*/temp*\n*/*/temp*\ntemp?\n",
                &["somedir/temporary.txt", "somedir/temp", "somedir/subdir/temporary.txt", "tempa", "tempb"],
                &["temporary.txt", "temp", "tempab", "a/b/c/temp", "comment"],
            ),
            ("**/*.go\n", &["main.go", "a/b/c.go"], &["main.py", "go"]),
            ("*.md\n!README.md\n", &["CHANGES.md"], &["README.md", "docs/x.md"]),
            (
                "*.md\n!README*.md\nREADME-secret.md\n",
                &["CHANGES.md", "README-secret.md"],
                &["README.md", "README-public.md"],
            ),
            ("*.md\nREADME-secret.md\n!README*.md\n", &["CHANGES.md"], &["README.md", "README-secret.md"]),
            ("/foo/bar\n", &["foo/bar", "foo/bar/baz"], &["bar", "x/foo/bar"]),
            ("foo/bar\n", &["foo/bar"], &["foo"]),
            ("  *.log   \n", &["a.log"], &["a.log.txt", "logs/a.log"]),
            ("a/../b/./c\n", &["b/c"], &["a/b/c"]),
            (
                "node_modules\n**/__pycache__\n.git\n",
                &["node_modules/x/y.js", "src/__pycache__/a.pyc", ".git/HEAD"],
                &["src/node_modules/x", ".gitignore"],
            ),
        ];
        for (patterns, excluded, kept) in table {
            let di = ignore(patterns);
            for path in excluded {
                assert!(di.matches(path), "{patterns:?} should exclude {path}");
            }
            for path in kept {
                assert!(!di.matches(path), "{patterns:?} should keep {path}");
            }
        }
    }

    /// Docker's own translation of a pattern to a regular expression (moby/patternmatcher),
    /// as a reference for the hand-written matcher: `None` for the exact, prefix and suffix
    /// sorts.
    fn docker_regex(text: &str) -> Option<regex::Regex> {
        let chars: Vec<char> = text.chars().collect();
        let (mut re, mut glob, mut pos) = (String::from("^"), false, 0);
        while pos < chars.len() {
            let c = chars[pos];
            pos += 1;
            match c {
                '*' if chars.get(pos) == Some(&'*') => {
                    pos += 1;
                    if chars.get(pos) == Some(&'/') {
                        pos += 1;
                    }
                    re.push_str(if pos == chars.len() { ".*" } else { "(.*/)?" });
                    glob |= pos < chars.len() || re.len() > 3;
                }
                '*' => (re.push_str("[^/]*"), glob = true).1,
                '?' => (re.push_str("[^/]"), glob = true).1,
                '\\' if pos < chars.len() => {
                    re.push_str(&regex::escape(&chars[pos].to_string()));
                    pos += 1;
                    glob = true;
                }
                '[' | ']' => (re.push(c), glob = true).1,
                '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$' => (re.push('\\'), re.push(c)).1,
                _ => re.push(c),
            }
        }
        re.push('$');
        glob.then(|| regex::Regex::new(&re).unwrap())
    }

    /// Random pattern files and paths: the matcher agrees with Docker's regular expressions
    /// (checked only for patterns of the glob sort; the others are plain string tests).
    #[test]
    fn agrees_with_dockers_regular_expressions() {
        let mut seed = 0x2545_f491_u32;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize % n
        };
        let pieces = ["a", "b", "/", "*", "?", "**", "[ab]", "[^a]", "[a-b]", "\\a", ".", "ab", "**/"];
        let segments = ["a", "b", "ab", "ba", "aab", ".a", "a.b"];
        let mut checked = 0;
        for _ in 0..3000 {
            let mut lines = Vec::new();
            for _ in 0..1 + next(3) {
                let mut text: String = (0..1 + next(6)).map(|_| pieces[next(pieces.len())]).collect();
                text = clean(&text);
                if text.starts_with('/') || !well_formed(&text) {
                    continue;
                }
                let sorted = Pattern::new(&text, false);
                if !matches!(sorted.kind, Kind::Glob(_)) {
                    continue;
                }
                lines.push((text, next(3) == 0));
            }
            if lines.is_empty() {
                continue;
            }
            let file: String = lines.iter().map(|(t, ex)| format!("{}{t}\n", if *ex { "!" } else { "" })).collect();
            let di = ignore(&file);
            let regexes: Vec<_> = lines.iter().map(|(t, ex)| (docker_regex(t).unwrap(), *ex)).collect();
            for _ in 0..20 {
                let path: Vec<&str> = (0..1 + next(4)).map(|_| segments[next(segments.len())]).collect();
                let path = path.join("/");
                let mut want = false;
                for (re, exclusion) in &regexes {
                    let parents = path.match_indices('/').map(|(i, _)| &path[..i]);
                    if re.is_match(&path) || parents.into_iter().any(|p| re.is_match(p)) {
                        want = !exclusion;
                    }
                }
                assert_eq!(di.matches(&path), want, "{file:?} on {path:?}");
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn odd_docker_sorts() {
        // `**` first and nothing special after: a plain suffix test, as Docker does.
        assert!(ignore("**foo\n").matches("a/xfoo") && ignore("**/foo\n").matches("foo"));
        assert!(!ignore("**/foo\n").matches("xfoo"));
        // A trailing `**` after a literal: a prefix test (`dir/**` needs something below).
        assert!(ignore("ab**\n").matches("abc/d") && !ignore("a/**\n").matches("a"));
        // `**` inside a component: nothing, or anything up to a `/`.
        let di = ignore("a**b\n");
        assert!(di.matches("ab") && di.matches("ax/b") && !di.matches("axb"));
        // Classes and escapes.
        assert!(ignore("[^a]b\n").matches("cb") && !ignore("[^a]b\n").matches("ab"));
        assert!(ignore("\\*x\n").matches("*x") && !ignore("\\*x\n").matches("ax"));
        assert!(ignore("é?\n").matches("éé") && !ignore("é?\n").matches("é/"));
    }

    #[test]
    fn long_and_many_patterns_stay_cheap() {
        // At most path length x pattern length steps: no backtracking.
        let long = format!("{}\n{}\n", "a".repeat(100_000), "*a".repeat(2_000));
        let di = ignore(&long);
        assert!(di.matches(&"a".repeat(2_000)) && !di.matches("src/a.py") && !di.matches(&"a".repeat(1_999)));
        let many = "build/**/x*.log\n".repeat(50_000) + &"!src/*.py\n!**/keep-*\n".repeat(10_000);
        let di = ignore(&("*\n".to_owned() + &many));
        assert!(di.matches("build/a/x1.log") && di.matches("node_modules/x"));
        assert!(!di.matches("src/a.py") && !di.matches("a/b/keep-me"));
        assert!(!di.excludes("src") && !di.excludes("node_modules"), "`!**/keep-*` may bring back files anywhere");
        let stars = format!("{}*\n{}x\n", "**/".repeat(2000), "*".repeat(1000));
        assert!(ignore(&stars).matches("src/a.py"));
    }

    #[test]
    fn exceptions_and_rejections() {
        let di = ignore("*.md\n!README.md\n");
        assert!(di.matches("CHANGES.md") && !di.matches("README.md"));
        let di = ignore("docs\n!docs/keep.txt\n");
        assert!(di.matches("docs/other.txt") && !di.matches("docs/keep.txt"));
        assert!(di.matches("docs"), "Docker's matcher reports the directory itself");
        assert!(!di.excludes("docs"), "but something below it is brought back");
        assert!(di.excludes("docs/other.txt"));
        assert!(ignore("*\n").excludes(".") && !ignore("*\n!src\n").excludes("."));
        assert!(!ignore("*.go\n").excludes("."));
        assert!(ignore("secret\n").excludes("/secret"));
        let lone = DockerIgnore::parse("a\n  !  \n").unwrap_err();
        assert_eq!(lone.to_string(), "line 2: `!`: illegal exclusion pattern: \"!\"");
        let bracket = DockerIgnore::parse("# x\nnode_modules\n[abc\n").unwrap_err();
        assert_eq!((bracket.line, bracket.pattern.as_str(), bracket.reason), (3, "[abc", "syntax error in pattern"));
        assert!(DockerIgnore::parse("\u{feff}a\r\nb\r\n").unwrap().matches("b"));
    }
}
