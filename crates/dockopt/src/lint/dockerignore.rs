//! `.dockerignore` matching with Docker's rules (moby/patternmatcher and its `ignorefile`
//! reader): comment lines, `!` exceptions, a leading `/` meaning the context root, patterns
//! and paths cleaned like Go's `filepath.Clean`, `*` and `?` within one path component, `**`
//! across components, and a path counting as excluded when one of its parent directories is.

use regex::Regex;

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

/// Go's `path.Dir`.
fn dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => clean(&path[..=i]),
        None => ".".into(),
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Exact,
    Prefix,
    Suffix,
    /// `None` when the pattern does not compile: it matches nothing.
    Regex(Option<Regex>),
}

#[derive(Debug, Clone)]
struct Pattern {
    text: String,
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
    fn new(text: &str, exclusion: bool) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut re = String::from("^");
        let mut kind = Kind::Exact;
        let mut is_regex = false;
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
                        if matches!(kind, Kind::Exact) && !is_regex {
                            kind = Kind::Prefix;
                        } else {
                            re.push_str(".*");
                            is_regex = true;
                        }
                    } else {
                        re.push_str("(.*/)?");
                        is_regex = true;
                    }
                    if i == 0 {
                        kind = Kind::Suffix;
                        is_regex = false;
                    }
                }
                '*' => {
                    re.push_str("[^/]*");
                    is_regex = true;
                }
                '?' => {
                    re.push_str("[^/]");
                    is_regex = true;
                }
                '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$' => {
                    re.push('\\');
                    re.push(c);
                }
                '\\' => {
                    re.push('\\');
                    if let Some(&next) = chars.get(pos) {
                        re.push(next);
                        pos += 1;
                        is_regex = true;
                    }
                }
                '[' | ']' => {
                    re.push(c);
                    is_regex = true;
                }
                _ => re.push(c),
            }
            i += 1;
        }
        if is_regex {
            re.push('$');
            kind = Kind::Regex(Regex::new(&re).ok());
        }
        Self { text: text.to_owned(), exclusion, kind }
    }

    fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Exact => path == self.text,
            Kind::Prefix => path.starts_with(&self.text[..self.text.len() - 2]),
            Kind::Suffix => {
                let suffix = &self.text[2..];
                path.ends_with(suffix) || suffix.strip_prefix('/').is_some_and(|s| path == s)
            }
            Kind::Regex(re) => re.as_ref().is_some_and(|re| re.is_match(path)),
        }
    }
}

/// A parsed `.dockerignore`.
#[derive(Debug, Clone)]
pub struct DockerIgnore {
    patterns: Vec<Pattern>,
}

impl DockerIgnore {
    /// Read the file as Docker does; `None` when Docker would reject it (a lone `!`, a
    /// malformed pattern).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut patterns = Vec::new();
        for line in text.lines() {
            // Comments are recognised before trimming: `  # x` is a pattern.
            if line.starts_with('#') {
                continue;
            }
            let mut pattern = line.trim();
            if pattern.is_empty() {
                continue;
            }
            let exclusion = pattern.starts_with('!');
            if exclusion {
                pattern = pattern[1..].trim();
            }
            if pattern.is_empty() {
                return None;
            }
            let mut cleaned = clean(pattern);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
            if !well_formed(&cleaned) {
                return None;
            }
            patterns.push(Pattern::new(&cleaned, exclusion));
        }
        Some(Self { patterns })
    }

    /// Whether there are `!` exceptions.
    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|p| p.exclusion)
    }

    /// Docker's verdict for one path of the context (`MatchesOrParentMatches`): the last
    /// pattern that matches the path or one of its parent directories decides.
    pub fn matches(&self, path: &str) -> bool {
        let path = clean(path);
        let parent = dir(&path);
        let parents: Vec<&str> = parent.split('/').collect();
        let mut matched = false;
        for p in &self.patterns {
            if p.exclusion != matched {
                continue;
            }
            let mut hit = p.matches(&path);
            if !hit && parent != "." {
                hit = (0..parents.len()).any(|i| p.matches(&parents[..=i].join("/")));
            }
            if hit {
                matched = !p.exclusion;
            }
        }
        matched
    }

    /// Whether some `!` exception could bring back a file below `path`.
    fn may_reinclude_below(&self, path: &str) -> bool {
        let parts: Vec<&str> = if path == "." { Vec::new() } else { path.split('/').collect() };
        self.patterns.iter().filter(|p| p.exclusion).any(|p| {
            let pattern: Vec<&str> = p.text.split('/').collect();
            for (k, part) in parts.iter().enumerate() {
                let Some(component) = pattern.get(k) else { return false };
                if component.contains("**") {
                    return true;
                }
                if !Pattern::new(component, false).matches(part) {
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
            let all = self.patterns.iter().any(|p| !p.exclusion && matches!(p.text.as_str(), "*" | "**" | "**/*"));
            return all && !self.has_exceptions();
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
        assert!(DockerIgnore::parse("!\n").is_none());
        assert!(DockerIgnore::parse("[a\n").is_none());
        assert!(DockerIgnore::parse("\u{feff}a\r\nb\r\n").unwrap().matches("b"));
    }
}
