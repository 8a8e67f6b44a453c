//! BuildKit's word lexer: quote removal, variable expansion (`$V`, `${V:-x}`, `${V#p}`,
//! `${V/p/r}` ...) and word splitting, with BuildKit's exact behaviour.
//!
//! This is not a shell parser (RUN bodies are analysed elsewhere); it is the small language
//! BuildKit applies to instruction arguments (FROM, ENV, ARG, COPY ...) and uses to find
//! heredoc words. Behaviour is pinned by BuildKit's own tables (see the corpus tests),
//! including its quirks, because users' Dockerfiles depend on them.

use std::collections::BTreeSet;
use std::fmt;

use crate::syntax::go::{is_digit, is_letter, is_space};

/// Where variable values come from.
pub trait Env {
    fn get(&self, name: &str) -> Option<&str>;
}

/// No variables at all.
pub struct NoEnv;
impl Env for NoEnv {
    fn get(&self, _: &str) -> Option<&str> {
        None
    }
}

impl<S: AsRef<str>> Env for [(S, S)] {
    fn get(&self, name: &str) -> Option<&str> {
        // Later definitions win, as with repeated ENV/ARG.
        self.iter().rev().find(|(k, _)| k.as_ref() == name).map(|(_, v)| v.as_ref())
    }
}

impl<S: AsRef<str>> Env for Vec<(S, S)> {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

/// A lexing error, with BuildKit's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError(pub String);

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for LexError {}

fn err<T>(msg: impl Into<String>) -> Result<T, LexError> {
    Err(LexError(msg.into()))
}

/// The outcome of processing one input string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The whole input with quotes removed and variables expanded.
    pub word: String,
    /// The same, split into words after expansion (quoted text is never split).
    pub words: Vec<String>,
    /// Variables that were referenced and found.
    pub matched: BTreeSet<String>,
    /// Variables that were referenced and not found.
    pub unmatched: BTreeSet<String>,
}

/// Lexer settings; the defaults are BuildKit's `NewLex('\\')`.
#[derive(Debug, Clone, Copy)]
pub struct Lexer {
    pub escape: char,
    /// Keep quote characters in the output.
    pub raw_quotes: bool,
    /// Keep escape characters in the output.
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters.
    pub skip_process_quotes: bool,
    /// Leave references to unset variables as written.
    pub skip_unset_env: bool,
}

impl Default for Lexer {
    fn default() -> Self {
        Self::new('\\')
    }
}

impl Lexer {
    pub fn new(escape: char) -> Self {
        Self { escape, raw_quotes: false, raw_escapes: false, skip_process_quotes: false, skip_unset_env: false }
    }

    /// Process `input` against `env`.
    pub fn process(&self, input: &str, env: &dyn Env) -> Result<Expansion, LexError> {
        match self.plain(input) {
            Some(expansion) => Ok(expansion),
            None => self.walk(input, env),
        }
    }

    /// What [`Lexer::walk`] gives for input with nothing to expand, unquote or unescape (most
    /// words of most files): the input, and its blank-separated words.
    fn plain(&self, input: &str) -> Option<Expansion> {
        let special = |c: char| {
            matches!(c, '$' | '<' | '\u{feff}')
                || c == self.escape
                || (!self.skip_process_quotes && matches!(c, '\'' | '"'))
        };
        if input.contains(special) {
            return None;
        }
        Some(Expansion {
            word: input.to_owned(),
            words: input.split(is_space).filter(|w| !w.is_empty()).map(str::to_owned).collect(),
            ..Expansion::default()
        })
    }

    /// BuildKit's lexer, character by character.
    fn walk(&self, input: &str, env: &dyn Env) -> Result<Expansion, LexError> {
        let mut chars: Vec<char> = input.chars().collect();
        // Go's text/scanner skips a byte-order mark at the very start.
        if chars.first() == Some(&'\u{feff}') {
            chars.remove(0);
        }
        let mut state = State {
            lexer: *self,
            chars,
            pos: 0,
            env,
            raw_escapes: self.raw_escapes,
            word_buf: String::new(),
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
            depth: 0,
        };
        let (word, words) = state
            .process_until(None, self.raw_escapes)
            .map_err(|e| LexError(format!("failed to process {}: {e}", crate::syntax::go::quote(input))))?;
        Ok(Expansion { word, words, matched: state.matched, unmatched: state.unmatched })
    }

    /// BuildKit's `ProcessWord`: the expanded string.
    pub fn process_word(&self, input: &str, env: &dyn Env) -> Result<String, LexError> {
        self.process(input, env).map(|e| e.word)
    }

    /// BuildKit's `ProcessWords`: the expanded words.
    pub fn process_words(&self, input: &str, env: &dyn Env) -> Result<Vec<String>, LexError> {
        self.process(input, env).map(|e| e.words)
    }
}

/// Collects words. The buffer lives in [`State`] and is shared by nested calls, because
/// BuildKit shares it too: a `${V:-x}` inside a word restarts the current word, which
/// changes how many words some inputs produce.
#[derive(Default)]
struct Words {
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, buf: &mut String, c: char) {
        if is_space(c) {
            if self.in_word && !buf.is_empty() {
                self.words.push(std::mem::take(buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(buf, c);
        }
    }

    fn add_raw_char(&mut self, buf: &mut String, c: char) {
        buf.push(c);
        self.in_word = true;
    }

    fn add_raw_str(&mut self, buf: &mut String, s: &str) {
        buf.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self, buf: &mut String) -> Vec<String> {
        if !buf.is_empty() {
            self.words.push(std::mem::take(buf));
        }
        self.words
    }
}

struct State<'a> {
    lexer: Lexer,
    chars: Vec<char>,
    pos: usize,
    env: &'a dyn Env,
    raw_escapes: bool,
    word_buf: String,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
    /// Expansions open around the current position (`${A:-${B:-...}}`).
    depth: usize,
}

/// Nesting of `${...}` beyond which a word is refused: each level recurses, and a value
/// nested thousands deep must not overflow the stack (a worker thread has 2 MB). BuildKit
/// (Go, growable stacks) accepts deeper nesting; no real Dockerfile comes near this.
const MAX_NESTING: usize = 256;

impl State<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        match self.env.get(name) {
            Some(v) => {
                self.matched.insert(name.to_owned());
                Some(v.to_owned())
            }
            None => {
                self.unmatched.insert(name.to_owned());
                None
            }
        }
    }

    /// Process until `stop` (consumed) or the end of input; returns the text and its words.
    fn process_until(&mut self, stop: Option<char>, raw_escapes: bool) -> Result<(String, Vec<String>), LexError> {
        if self.depth >= MAX_NESTING {
            return Err(LexError(format!("variables nested more than {MAX_NESTING} deep")));
        }
        self.depth += 1;
        let saved = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let out = self.process_until_inner(stop);
        self.raw_escapes = saved;
        self.depth -= 1;
        out
    }

    fn process_until_inner(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), LexError> {
        let mut result = String::new();
        self.word_buf.clear();
        let mut words = Words::default();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.next();
                return Ok((result, words.finish(&mut self.word_buf)));
            }
            let quotes = !self.lexer.skip_process_quotes;
            match c {
                '$' => {
                    let value = self.dollar()?;
                    result.push_str(&value);
                    for ch in value.chars() {
                        words.add_char(&mut self.word_buf, ch);
                    }
                }
                '<' => {
                    let text = self.possible_heredoc();
                    result.push_str(&text);
                    words.add_raw_str(&mut self.word_buf, &text);
                }
                '\'' if quotes => {
                    let text = self.single_quoted()?;
                    result.push_str(&text);
                    words.add_raw_str(&mut self.word_buf, &text);
                }
                '"' if quotes => {
                    let text = self.double_quoted()?;
                    result.push_str(&text);
                    words.add_raw_str(&mut self.word_buf, &text);
                }
                _ => {
                    self.next();
                    if c == self.lexer.escape {
                        if self.raw_escapes {
                            words.add_raw_char(&mut self.word_buf, c);
                            result.push(c);
                        }
                        // An escape at the very end is dropped.
                        let Some(escaped) = self.next() else { break };
                        words.add_raw_char(&mut self.word_buf, escaped);
                        result.push(escaped);
                    } else {
                        words.add_char(&mut self.word_buf, c);
                        result.push(c);
                    }
                }
            }
        }
        if let Some(stop) = stop {
            return err(format!("unexpected end of statement while looking for matching {stop}"));
        }
        Ok((result, words.finish(&mut self.word_buf)))
    }

    fn single_quoted(&mut self) -> Result<String, LexError> {
        let mut out = String::new();
        let open = self.next();
        if self.lexer.raw_quotes {
            out.extend(open);
        }
        loop {
            match self.next() {
                None => return err("unexpected end of statement while looking for matching single-quote"),
                Some('\'') => {
                    if self.lexer.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quoted(&mut self) -> Result<String, LexError> {
        let mut out = String::new();
        let open = self.next();
        if self.lexer.raw_quotes {
            out.extend(open);
        }
        loop {
            match self.peek() {
                None => return err("unexpected end of statement while looking for matching double-quote"),
                Some('"') => {
                    self.next();
                    if self.lexer.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$') => {
                    let value = self.dollar()?;
                    out.push_str(&value);
                }
                Some(c) => {
                    self.next();
                    let mut ch = c;
                    if c == self.lexer.escape {
                        if self.raw_escapes {
                            out.push(c);
                        }
                        match self.peek() {
                            // A trailing escape is ignored; the missing quote is reported next.
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.lexer.escape => {
                                self.next();
                                ch = n;
                            }
                            // Other escapes stay literal.
                            Some(_) => {}
                        }
                    }
                    out.push(ch);
                }
            }
        }
    }

    fn possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".into();
        }
        self.next();
        // Whitespace between `<<` and the delimiter stays part of the word.
        let mut out = String::from("<<");
        while let Some(c @ ('\t' | '\r' | ' ')) = self.peek() {
            out.push(c);
            self.next();
        }
        out
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && is_digit(c) {
                // Positional parameters: all the digits.
                while let Some(d) = self.peek().filter(|&d| is_digit(d)) {
                    name.push(d);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                return c.to_string();
            }
            if !is_letter(c) && !is_digit(c) && c != '_' {
                break;
            }
            self.next();
            name.push(c);
        }
        name
    }

    fn dollar(&mut self) -> Result<String, LexError> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(match self.lookup(&name) {
                Some(v) => v,
                None if self.lexer.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.next();
        match self.peek() {
            None => return err("syntax error: missing '}'"),
            Some('{' | '}' | ':') => return err("syntax error: bad substitution"),
            Some(_) => {}
        }
        let name = self.name();
        // Go renders "no character" (EOF) as U+FFFD in messages.
        let first = self.next();
        let mut modifier: String = first.unwrap_or('\u{fffd}').to_string();
        match first {
            Some('}') => Ok(match self.lookup(&name) {
                Some(v) => v,
                None if self.lexer.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':') => {
                let op = self.next();
                modifier.push(op.unwrap_or('\u{fffd}'));
                self.modifier(&name, op, &modifier, true)
            }
            Some(op @ ('+' | '-' | '?' | '#' | '%')) => self.modifier(&name, Some(op), &modifier, false),
            Some('/') => self.substitution(&name),
            _ => err(format!("unsupported modifier ({modifier}) in substitution")),
        }
    }

    /// `${name<modifier>word}` for `-`, `+`, `?`, `#`, `%` and their `:` forms.
    fn modifier(
        &mut self,
        name: &str,
        op: Option<char>,
        modifier: &str,
        null_is_unset: bool,
    ) -> Result<String, LexError> {
        let pattern_op = matches!(op, Some('#' | '%'));
        if null_is_unset && pattern_op {
            return err(format!("unsupported modifier ({modifier}) in substitution"));
        }
        let word = match self.process_until(Some('}'), pattern_op) {
            Ok((word, _)) => word,
            Err(_) if self.peek().is_none() => return err("syntax error: missing '}'"),
            Err(e) => return Err(e),
        };
        let value = self.lookup(name);
        if self.lexer.skip_unset_env && value.is_none() {
            return Ok(format!("${{{name}{modifier}{word}}}"));
        }
        let empty = value.as_deref().is_none_or(|v| null_is_unset && v.is_empty());
        match op {
            Some('-') => Ok(if empty { word } else { value.unwrap_or_default() }),
            Some('+') => Ok(if empty { String::new() } else { word }),
            Some('?') => match value {
                None => err(format!("{name}: {}", if word.is_empty() { "is not allowed to be unset" } else { &word })),
                Some(v) if null_is_unset && v.is_empty() => {
                    err(format!("{name}: {}", if word.is_empty() { "is not allowed to be empty" } else { &word }))
                }
                Some(v) => Ok(v),
            },
            Some(c @ ('#' | '%')) => {
                let (pattern, greedy) = match word.strip_prefix(c) {
                    Some(rest) => (rest.to_owned(), true),
                    None => (word, false),
                };
                let value = value.unwrap_or_default();
                if c == '#' { trim_prefix(&pattern, &value, greedy) } else { trim_suffix(&pattern, &value, greedy) }
            }
            _ => err(format!("unsupported modifier ({modifier}) in substitution")),
        }
    }

    /// `${name/pattern/replacement}` and `${name//pattern/replacement}`.
    fn substitution(&mut self, name: &str) -> Result<String, LexError> {
        let all = self.peek() == Some('/');
        if all {
            self.next();
        }
        let pattern = match self.process_until(Some('/'), true) {
            Ok((p, _)) => p,
            Err(_) if self.peek().is_none() => return err("syntax error: missing '/' in ${}"),
            Err(e) => return Err(e),
        };
        let replacement = match self.process_until(Some('}'), true) {
            Ok((r, _)) => r,
            Err(_) if self.peek().is_none() => return err("syntax error: missing '}'"),
            Err(e) => return Err(e),
        };
        let Some(value) = self.lookup(name) else {
            if self.lexer.skip_unset_env {
                return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
            }
            return substitute(&pattern, &replacement, "", all);
        };
        substitute(&pattern, &replacement, &value, all)
    }
}

fn substitute(pattern: &str, replacement: &str, value: &str, all: bool) -> Result<String, LexError> {
    let re = pattern_regex(pattern, true, false)?;
    if all {
        // Like Go's ReplaceAllString, `$name` in the replacement refers to groups.
        return Ok(re.replace_all(value, replacement).into_owned());
    }
    Ok(match re.find(value) {
        Some(m) => format!("{}{replacement}{}", &value[..m.start()], &value[m.end()..]),
        None => value.to_owned(),
    })
}

/// A shell wildcard pattern (`*`, `?`, `\` escapes; no brackets) as a regular expression.
fn pattern_regex(pattern: &str, greedy: bool, anchored: bool) -> Result<regex::Regex, LexError> {
    let invalid = |detail: String| LexError(format!("invalid pattern ({pattern}) in substitution: {detail}"));
    let mut out = String::with_capacity(pattern.len() + 4);
    if anchored {
        out.push('^');
    }
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push_str(if greedy { ".*" } else { ".*?" }),
            '?' => out.push('.'),
            '\\' => {
                // `\}` and `\/` only protect the delimiters of `${...}`.
                if matches!(chars.peek(), Some('}' | '/')) {
                    continue;
                }
                match chars.next() {
                    Some(e @ ('*' | '?' | '\\')) => {
                        out.push('\\');
                        out.push(e);
                    }
                    Some(e) => return Err(invalid(format!("invalid escape '\\{e}'"))),
                    None => return Err(invalid("invalid escape '\\'".into())),
                }
            }
            '[' | ']' | '{' | '}' | '.' | '+' | '(' | ')' | '|' | '^' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    regex::Regex::new(&out).map_err(|e| invalid(e.to_string()))
}

fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, LexError> {
    let re = pattern_regex(pattern, greedy, true)?;
    Ok(match re.find(value) {
        Some(m) => value[m.end()..].to_owned(),
        None => value.to_owned(),
    })
}

/// The shortest or longest suffix match, found as a prefix match on reversed strings.
fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, LexError> {
    let reversed_value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed_value, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// Reverse a pattern while keeping each `\x` escape pair in order.
fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = vec!['\0'; chars.len()];
    let last = chars.len().saturating_sub(1);
    let mut i = 0;
    while i < chars.len() {
        let to = last - i;
        if chars[i] == '\\' && i != last {
            out[to - 1] = '\\';
            out[to] = chars[i + 1];
            i += 2;
        } else {
            out[to] = chars[i];
            i += 1;
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn plain_input_is_read_as_the_walk_reads_it(
            pieces in proptest::collection::vec(proptest::sample::select(&[
                "a", "b1", " ", "\t", "\n", "\u{a0}", "\u{2003}", "é", "=", "-", "/", "{", "}", ":",
                "$X", "'", "\"", "\\", "`", "<", "<<EOF", "\u{feff}", "%", "*",
            ][..]), 0..16),
            escape in proptest::sample::select(&['\\', '`'][..]),
            skip_process_quotes: bool,
            raw_quotes: bool,
            raw_escapes: bool,
        ) {
            let input = pieces.concat();
            let lexer = Lexer { escape, raw_quotes, raw_escapes, skip_process_quotes, skip_unset_env: false };
            let env = env();
            if let Some(plain) = lexer.plain(&input) {
                proptest::prop_assert_eq!(Ok(plain), lexer.walk(&input, &env).map_err(|e| e.0));
            }
        }
    }

    fn env() -> Vec<(&'static str, &'static str)> {
        vec![("PWD", "/home"), ("X", "a.b.c")]
    }

    #[test]
    fn expands_modifiers() {
        let lx = Lexer::default();
        let e = env();
        assert_eq!(lx.process_word("${X%.*}", &e).unwrap(), "a.b");
        assert_eq!(lx.process_word("${X%%.*}", &e).unwrap(), "a");
        assert_eq!(lx.process_word("${X#*.}", &e).unwrap(), "b.c");
        assert_eq!(lx.process_word("${X##*.}", &e).unwrap(), "c");
        assert_eq!(lx.process_word("${X//./-}", &e).unwrap(), "a-b-c");
        assert_eq!(lx.process_word("${NO:-d}", &e).unwrap(), "d");
        assert_eq!(lx.process_word("${PWD:+set}", &e).unwrap(), "set");
        assert!(lx.process_word("${NO:?}", &e).is_err());
    }

    #[test]
    fn nesting_is_bounded_instead_of_overflowing_the_stack() {
        let lx = Lexer::default();
        let nested = |n: usize| format!("{}x{}", "${A:-".repeat(n), "}".repeat(n));
        assert_eq!(lx.process_word(&nested(MAX_NESTING - 1), &env()).unwrap(), "x");
        // Run where the stack is smallest, a worker thread's 2 MB.
        let deep = std::thread::spawn(move || lx.process_word(&nested(100_000), &env())).join().unwrap();
        assert!(deep.unwrap_err().0.contains("nested more than"));
    }

    #[test]
    fn reverse_pattern_keeps_escapes() {
        assert_eq!(reverse_pattern("a\\*c"), "c\\*a");
        assert_eq!(reverse_pattern("ab\\"), "\\ba");
        assert_eq!(reverse_pattern("\\\\b"), "b\\\\");
    }

    #[test]
    fn unset_variables_are_kept_when_asked() {
        let lx = Lexer { skip_unset_env: true, ..Lexer::default() };
        assert_eq!(lx.process_word("$A ${B} ${C:-x}", &NoEnv).unwrap(), "$A ${B} ${C:-x}");
    }
}
