//! Facts about shell words that the checks share: their literal text, whether they split, the
//! variable an expansion names, the program a command runs.

use crate::shell::syntax::Node;

pub(crate) use crate::shell::words::{unescape_bare, unescape_double};

/// The literal parts of a word, quotes removed, expansions left out (ShellCheck's
/// `onlyLiteralString`): `"a\n"$x'b'` -> `a\nb`.
pub fn literal_text(node: Node, text: &str) -> String {
    let raw = &text[node.byte_range()];
    match node.kind() {
        "word" | "number" => unescape_bare(raw).into_owned(),
        "raw_string" => raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')).unwrap_or(raw).to_owned(),
        "string_content" => unescape_double(raw).into_owned(),
        "ansi_c_string" => decode_ansi_c(raw.strip_prefix("$'").and_then(|r| r.strip_suffix('\'')).unwrap_or(raw)),
        "string" | "concatenation" | "translated_string" => {
            node.named_children().map(|c| literal_text(c, text)).collect()
        }
        _ => String::new(),
    }
}

/// The unquoted literal of a word made only of unquoted literal parts (`a,b`), else `None`.
pub fn unquoted_literal(node: Node, text: &str) -> Option<String> {
    match node.kind() {
        "word" | "number" => Some(unescape_bare(&text[node.byte_range()]).into_owned()),
        "concatenation" => node.named_children().map(|c| unquoted_literal(c, text)).collect(),
        _ => None,
    }
}

/// `$'a\tb'` as bash reads it (the escapes these checks care about).
fn decode_ansi_c(body: &str) -> String {
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// How a word splits.
pub struct Parts {
    /// It certainly becomes several words or patterns: an unquoted expansion, substitution,
    /// glob or brace expansion, or `"$@"`.
    pub will_split: bool,
    /// It may: an unquoted `$x`, or a quoted `${!prefix@}`.
    pub may_split: bool,
}

impl Parts {
    pub fn of(node: Node, text: &str) -> Parts {
        let mut parts = Parts { will_split: false, may_split: false };
        parts.visit(node, text, false);
        parts
    }

    fn visit(&mut self, node: Node, text: &str, quoted: bool) {
        let raw = &text[node.byte_range()];
        match node.kind() {
            "simple_expansion" | "expansion" => {
                let content = raw.trim_start_matches('$').trim_start_matches('{');
                let all = content.starts_with('@') || content.contains("[@]") || content.starts_with('*');
                if !quoted || all {
                    self.will_split = true;
                }
                if !quoted || content.starts_with('!') {
                    self.may_split = true;
                }
            }
            "command_substitution" | "process_substitution" if !quoted => self.will_split = true,
            "word" if !quoted => {
                if has_glob(raw) || raw.contains('{') {
                    self.will_split = true;
                }
            }
            "string" | "translated_string" => {
                for child in node.named_children() {
                    self.visit(child, text, true);
                }
            }
            _ => {
                for child in node.named_children() {
                    self.visit(child, text, quoted);
                }
            }
        }
    }
}

/// Unescaped `*`, `?` or `[` in an unquoted word.
fn has_glob(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'*' | b'?' => return true,
            b'[' if raw[i + 1..].contains(']') => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// The variable an expansion's body names, and the modifier after it (ShellCheck's
/// `getBracedReference` / `getBracedModifier`): `VERSION:0:1` -> (`VERSION`, `:0:1`),
/// `#x` -> (`x`, ``), `1` -> (`1`, ``), `?` -> (`?`, ``).
pub fn braced_reference(content: &str) -> (&str, &str) {
    let body = content.strip_prefix(['!', '#']).filter(|b| !b.is_empty()).unwrap_or(content);
    let name_len = body.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    let name_len = if name_len > 0 {
        // `$10` is `$1` then `0`, but `${10}` is the tenth: the body decides.
        name_len
    } else if body.starts_with(['@', '*', '#', '?', '-', '$', '!']) {
        1
    } else {
        0
    };
    (&body[..name_len], &body[name_len..])
}

/// The variable an expansion reads unchanged (`$x`, `${x}`), if it is one.
pub fn unmodified_reference<'t>(node: Node, text: &'t str) -> Option<&'t str> {
    let raw = &text[node.byte_range()];
    let content = match node.kind() {
        "simple_expansion" => raw.strip_prefix('$')?,
        "expansion" => raw.strip_prefix("${")?.strip_suffix('}')?,
        _ => return None,
    };
    let (name, modifier) = braced_reference(content);
    (modifier.is_empty() && name.len() == content.len()).then_some(name)
}

/// The program a command runs, by its base name, and which argument names it when the command
/// is a wrapper (`command x`, `exec x`, `busybox x`): `(Some("x"), Some(0))`.
pub fn command_basename<'t>(name: Option<Node>, args: &[Node], text: &'t str) -> (Option<&'t str>, Option<usize>) {
    let Some(name) = name.filter(|n| n.kind() == "word") else { return (None, None) };
    let raw = &text[name.byte_range()];
    if raw.contains('\\') {
        return (None, None);
    }
    let base = raw.rsplit('/').next().unwrap_or(raw);
    let operand = match base {
        "busybox" | "builtin" | "command" | "run" => {
            args.first().filter(|a| !text[a.byte_range()].starts_with('-')).map(|_| 0)
        }
        "exec" => exec_operand(args, text),
        _ => None,
    };
    match operand {
        Some(at) => {
            let program = args.get(at).filter(|a| a.kind() == "word").map(|a| &text[a.byte_range()]);
            (program.map(|p| p.rsplit('/').next().unwrap_or(p)), Some(at))
        }
        None => (Some(base), None),
    }
}

/// The first operand of `exec [-cl] [-a name] command`.
fn exec_operand(args: &[Node], text: &str) -> Option<usize> {
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let word = &text[arg.byte_range()];
        match word {
            "--" => return (i + 1 < args.len()).then_some(i + 1),
            w if w.starts_with('-') && w.len() > 1 => i += if w.ends_with('a') { 2 } else { 1 },
            _ => return Some(i),
        }
    }
    None
}

/// The program ShellCheck's SC2016 judges a single-quoted word by: the command's program,
/// except what `find -exec` runs, `git filter-branch` and MUMPS's `-run %XCMD`.
pub fn program_for_single_quotes<'t>(
    program: Option<&'t str>,
    name: Option<Node>,
    args: &[Node],
    text: &'t str,
) -> Option<&'t str> {
    let words: Vec<&str> = args.iter().map(|a| &text[a.byte_range()]).collect();
    match program? {
        "find" => {
            let exec = words.iter().position(|w| matches!(*w, "-exec" | "-execdir" | "-ok" | "-okdir"));
            match exec.and_then(|at| args.get(at + 1)) {
                Some(command) if command.kind() == "word" => Some(&text[command.byte_range()]),
                Some(_) => None,
                None => Some("find"),
            }
        }
        "git" if name.is_some() && words.first() == Some(&"filter-branch") => Some("git filter-branch"),
        "mumps" if words.starts_with(&["-run", "%XCMD"]) => Some("mumps -run %XCMD"),
        "mumps" if words.starts_with(&["-run", "LOOP%XCMD"]) => Some("mumps -run LOOP%XCMD"),
        other => Some(other),
    }
}

/// What `echo` prints differently across shells: `\n`, `\t`, `\\`, `\0NN`, `\xHH` ...
pub fn has_echo_escape(literal: &str) -> bool {
    let bytes = literal.as_bytes();
    bytes.iter().enumerate().any(|(i, b)| {
        *b == b'\\'
            && match bytes.get(i + 1) {
                Some(b'r' | b'n' | b't' | b'a' | b'b' | b'e' | b'f' | b'v' | b'\\' | b'\'') => true,
                Some(b'0'..=b'7') => true,
                Some(b'x') => bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit),
                _ => false,
            }
    })
}

/// `$x`, `${`, `$(`, `$1` or `` `cmd` `` in text the shell does not expand.
pub fn looks_like_expansion(body: &str) -> bool {
    let bytes = body.as_bytes();
    let dollar =
        bytes.windows(2).any(|w| w[0] == b'$' && (w[1].is_ascii_alphanumeric() || matches!(w[1], b'{' | b'(' | b'_')));
    dollar || backticked_command(body)
}

/// A pair of backticks around something (`` `pwd` ``), not just backticks in a row.
fn backticked_command(body: &str) -> bool {
    let bytes = body.as_bytes();
    let mut i = 0;
    while let Some(open) = bytes[i..].iter().position(|b| *b == b'`') {
        let start = i + open + 1;
        match bytes[start..].iter().position(|b| *b == b'`') {
            Some(0) => i = start,
            Some(_) => return true,
            None => return false,
        }
    }
    false
}

/// A sed script's `$` address with a command (`$d`, `${p}`): meant for sed, not the shell.
pub fn sed_dollar_command(body: &str) -> bool {
    let bytes = body.as_bytes();
    bytes.iter().enumerate().any(|(i, b)| {
        *b == b'$'
            && matches!(bytes.get(i + 1), Some(b'{' | b'd' | b'p' | b's' | b'a' | b'i' | b'c'))
            && bytes.get(i + 2).is_none_or(|n| !n.is_ascii_alphabetic())
    })
}

/// Whether `node` is an argument of a command named `program` (`: ${x:=1}`).
pub fn is_argument_of(node: Node, program: &str, text: &str) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        match n.kind() {
            "command" => {
                return n.child_by_field_name("name").is_some_and(|name| &text[name.byte_range()] == program);
            }
            "string" | "concatenation" => current = n.parent(),
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braced_references() {
        assert_eq!(braced_reference("VERSION:0:1"), ("VERSION", ":0:1"));
        assert_eq!(braced_reference("#x"), ("x", ""));
        assert_eq!(braced_reference("#"), ("#", ""));
        assert_eq!(braced_reference("x:+y"), ("x", ":+y"));
        assert_eq!(braced_reference("@"), ("@", ""));
        assert_eq!(braced_reference("a[@]"), ("a", "[@]"));
    }

    #[test]
    fn echo_escapes_and_single_quoted_expansions() {
        assert!(has_echo_escape("a\\tb"));
        assert!(has_echo_escape("\\506"));
        assert!(has_echo_escape("\\x4a"));
        assert!(!has_echo_escape("\\8a"));
        assert!(!has_echo_escape("\\d5a"));
        assert!(!has_echo_escape("\\xth"));
        assert!(looks_like_expansion("$foo"));
        assert!(looks_like_expansion("s/${foo}/bar/"));
        assert!(looks_like_expansion("`pwd`"));
        assert!(!looks_like_expansion("s/foo$/bar/"));
        assert!(!looks_like_expansion("``"));
        assert!(!looks_like_expansion("```"));
        assert!(sed_dollar_command("$p"));
        assert!(sed_dollar_command("${/lol/d}"));
        assert!(!sed_dollar_command("$pattern"));
        assert!(!sed_dollar_command("2,5{H;d}; ${p;x;s/^\\n//}"));
    }
}
