//! Character classes and string helpers that behave like Go's standard library.
//!
//! BuildKit is written in Go; matching it byte for byte means matching Go's notion of
//! whitespace (`unicode.IsSpace`, regexp classes) and its `strconv.Quote` output.

/// Go's `unicode.IsSpace`: the same set as Rust's `char::is_whitespace`
/// (Unicode White_Space, which includes U+0085 and U+00A0).
#[inline]
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `unicode.IsSpace(rune(b))` applied to a single byte, as BuildKit does in a few
/// byte-wise loops: bytes 0x85 and 0xA0 count as spaces there.
#[inline]
pub fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

/// The class `[\t\v\f\r ]` of BuildKit's `reWhitespace`.
#[inline]
pub fn is_re_whitespace(c: char) -> bool {
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// Go's `strings.TrimSpace`.
pub fn trim_space(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Go's `regexp.MustCompile("[\t\v\f\r ]+").Split(s, n)` for `n == 2` (`limit = Some(2)`)
/// and `n == -1` (`limit = None`), piece by piece.
pub fn split_re_whitespace(s: &str, limit: Option<usize>) -> ReWhitespaceSplit<'_> {
    ReWhitespaceSplit { rest: Some(s), left: limit }
}

/// The pieces of [`split_re_whitespace`].
pub struct ReWhitespaceSplit<'a> {
    rest: Option<&'a str>,
    /// Pieces still allowed, the last one taking the rest of the text.
    left: Option<usize>,
}

impl<'a> Iterator for ReWhitespaceSplit<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let bytes = rest.as_bytes();
        let run = match self.left {
            Some(0) => return None,
            Some(1) => None,
            _ => bytes.iter().position(|&b| is_re_whitespace(b as char)),
        };
        let Some(start) = run else {
            self.rest = None;
            return Some(rest);
        };
        let end = bytes[start..].iter().position(|&b| !is_re_whitespace(b as char)).map_or(bytes.len(), |n| start + n);
        self.rest = Some(&rest[end..]);
        if let Some(left) = &mut self.left {
            *left -= 1;
        }
        Some(&rest[..start])
    }
}

/// Go's `strconv.Quote`: a double-quoted string literal with Go escapes.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if !is_go_printable(c) => {
                let n = c as u32;
                if n < 0x10000 {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
fn is_go_printable(c: char) -> bool {
    use unicode_properties::{GeneralCategoryGroup as G, UnicodeGeneralCategory};
    c == ' ' || matches!(c.general_category_group(), G::Letter | G::Mark | G::Number | G::Punctuation | G::Symbol)
}

/// Go's `unicode.IsLetter`: general category L.
pub fn is_letter(c: char) -> bool {
    use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};
    c.general_category_group() == GeneralCategoryGroup::Letter
}

/// Go's `unicode.IsDigit`: general category Nd.
pub fn is_digit(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    c.general_category() == GeneralCategory::DecimalNumber
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_matches_go_regexp_split() {
        let split = |s, limit| split_re_whitespace(s, limit).collect::<Vec<_>>();
        assert_eq!(split("a  b\tc", Some(2)), vec!["a", "b\tc"]);
        assert_eq!(split("a  b\tc", None), vec!["a", "b", "c"]);
        assert_eq!(split("abc", Some(2)), vec!["abc"]);
        assert_eq!(split("", None), vec![""]);
        assert_eq!(split("a ", None), vec!["a", ""]);
        assert_eq!(split(" a", Some(2)), vec!["", "a"]);
        assert_eq!(split("a \u{a0} b", None), vec!["a", "\u{a0}", "b"]);
    }

    #[test]
    fn quote_matches_go() {
        assert_eq!(quote("a\"b\\c\n\t"), r#""a\"b\\c\n\t""#);
        assert_eq!(quote("\x01\u{7f}"), r#""\x01\x7f""#);
        assert_eq!(quote("한국어"), "\"한국어\"");
        assert_eq!(quote("\u{a0}"), r#""\u00a0""#);
        assert_eq!(quote("\u{200b}\u{e000}"), r#""\u200b\ue000""#);
        assert_eq!(quote("\u{1f600}"), "\"\u{1f600}\"");
    }
}
