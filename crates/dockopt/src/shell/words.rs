//! The literal value of a shell word, when it has one.

use crate::shell::syntax::Node;

/// The value of `node` after quote removal, or `None` if it contains expansions,
/// substitutions or anything else only known when the script runs.
pub fn literal(node: Node, text: &str) -> Option<String> {
    let raw = &text[node.byte_range()];
    match node.kind() {
        "word" | "number" | "command_name" | "variable_name" => Some(unescape_bare(raw)),
        "raw_string" => raw.strip_prefix('\'')?.strip_suffix('\'').map(str::to_owned),
        "string" => {
            let mut out = String::new();
            for child in node.named_children() {
                match child.kind() {
                    "string_content" => out.push_str(&unescape_double(&text[child.byte_range()])),
                    _ => return None,
                }
            }
            Some(out)
        }
        "concatenation" => {
            let mut out = String::new();
            for child in node.named_children() {
                out.push_str(&literal(child, text)?);
            }
            Some(out)
        }
        "variable_assignment" => Some(raw.to_owned()),
        _ => None,
    }
}

/// Outside quotes a backslash escapes the next character (and `\<newline>` disappears).
pub(crate) fn unescape_bare(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('\n') | None => {}
                Some(n) => out.push(n),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Inside double quotes a backslash escapes only `$`, `` ` ``, `"`, `\` and newline.
pub(crate) fn unescape_double(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('$' | '`' | '"' | '\\') => out.extend(chars.next()),
                Some('\n') => {
                    chars.next();
                }
                _ => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}
