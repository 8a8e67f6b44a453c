//! The literal value of a shell word, when it has one.

use std::borrow::Cow;

use crate::shell::syntax::Node;

/// The value of `node` after quote removal, or `None` if it contains expansions,
/// substitutions or anything else only known when the script runs. Borrowed from `text`
/// when no quote or escape had to be removed from inside it (most words).
pub fn literal<'t>(node: Node, text: &'t str) -> Option<Cow<'t, str>> {
    let raw = &text[node.byte_range()];
    match node.kind() {
        "word" | "number" | "command_name" | "variable_name" => Some(unescape_bare(raw)),
        "raw_string" => raw.strip_prefix('\'')?.strip_suffix('\'').map(Cow::Borrowed),
        "string" => joined(node.named_children().map(|child| match child.kind() {
            "string_content" => Some(unescape_double(&text[child.byte_range()])),
            _ => None,
        })),
        "concatenation" => joined(node.named_children().map(|child| literal(child, text))),
        "variable_assignment" => Some(Cow::Borrowed(raw)),
        _ => None,
    }
}

/// The parts one after another (`None` if one is), copied only when there are two or more.
fn joined<'t>(parts: impl Iterator<Item = Option<Cow<'t, str>>>) -> Option<Cow<'t, str>> {
    let mut out = Cow::Borrowed("");
    for part in parts {
        let part = part?;
        if out.is_empty() {
            out = part;
        } else {
            out.to_mut().push_str(&part);
        }
    }
    Some(out)
}

/// Outside quotes a backslash escapes the next character (and `\<newline>` disappears).
pub(crate) fn unescape_bare(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
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
    Cow::Owned(out)
}

/// Inside double quotes a backslash escapes only `$`, `` ` ``, `"`, `\` and newline.
pub(crate) fn unescape_double(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
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
    Cow::Owned(out)
}
