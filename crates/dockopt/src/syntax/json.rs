//! Reading exec-form arguments the way BuildKit does: Go's `encoding/json` decoding into
//! `[]any`. Written out because the detail matters and serde_json differs from Go at the
//! edges: Go turns lone surrogates into U+FFFD, allows 10,000 levels of nesting, and reports
//! a float overflow as an error (so BuildKit falls back to shell form).

use std::borrow::Cow;

/// How BuildKit sees the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonArray<'a> {
    /// A JSON array whose items are all strings: exec form. Strings without escapes are
    /// slices of the text.
    Strings(Vec<Cow<'a, str>>),
    /// Valid JSON array with an item that is not a string: BuildKit rejects the line.
    NotStrings,
    /// Not a valid JSON array: shell form.
    Invalid,
}

const MAX_DEPTH: usize = 10_000;

/// Read `text` (which starts with `[` after optional whitespace) as a JSON array.
pub fn read_array(text: &str) -> JsonArray<'_> {
    let mut r = Reader { text, b: text.as_bytes(), pos: 0, overflow: false };
    r.ws();
    if !r.eat(b'[') {
        return JsonArray::Invalid;
    }
    let mut items = Vec::new();
    let mut all_strings = true;
    r.ws();
    if !r.eat(b']') {
        loop {
            r.ws();
            if r.peek() == Some(b'"') {
                match r.string() {
                    Some(s) => items.push(s),
                    None => return JsonArray::Invalid,
                }
            } else {
                if r.value().is_none() {
                    return JsonArray::Invalid;
                }
                all_strings = false;
            }
            r.ws();
            if r.eat(b']') {
                break;
            }
            if !r.eat(b',') {
                return JsonArray::Invalid;
            }
        }
    }
    r.ws();
    if r.pos != r.b.len() || r.overflow {
        return JsonArray::Invalid;
    }
    if all_strings { JsonArray::Strings(items) } else { JsonArray::NotStrings }
}

struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    /// A number too large for a float64 was seen (Go reports it after decoding the rest).
    overflow: bool,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.pos += usize::from(hit);
        hit
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.b[self.pos..].starts_with(word).then(|| self.pos += word.len())
    }

    fn digits(&mut self) -> usize {
        let n = self.b[self.pos..].iter().take_while(|c| c.is_ascii_digit()).count();
        self.pos += n;
        n
    }

    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return None,
        }
        if self.eat(b'.') && self.digits() == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return None;
            }
        }
        let text = std::str::from_utf8(&self.b[start..self.pos]).ok()?;
        if text.parse::<f64>().is_ok_and(f64::is_infinite) {
            self.overflow = true;
        }
        Some(())
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let digits = self.b.get(at..at + 4)?;
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16)
            .ok()
            .filter(|_| digits.iter().all(u8::is_ascii_hexdigit))
    }

    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.pos += 1;
        let start = self.pos;
        // Most strings have no escapes: they are slices of the text.
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(Cow::Borrowed(&self.text[start..self.pos - 1]));
                }
                b'\\' => break,
                0..=0x1f => return None,
                _ => self.pos += 1,
            }
        }
        let mut out = self.b[start..self.pos].to_vec();
        loop {
            let c = self.peek()?;
            self.pos += 1;
            match c {
                b'"' => return String::from_utf8(out).ok().map(Cow::Owned),
                b'\\' => {
                    let e = self.peek()?;
                    self.pos += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\x08',
                        b'f' => '\x0c',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let unit = self.hex4(self.pos)?;
                            self.pos += 4;
                            self.unicode_escape(unit)
                        }
                        _ => return None,
                    };
                    out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                }
                0..=0x1f => return None,
                _ => out.push(c),
            }
        }
    }

    /// A `\uXXXX` escape; a surrogate pair takes the following escape too.
    fn unicode_escape(&mut self, unit: u32) -> char {
        if !(0xd800..0xe000).contains(&unit) {
            return char::from_u32(unit).unwrap_or('\u{fffd}');
        }
        let low = (self.b.get(self.pos..self.pos + 2) == Some(b"\\u")).then(|| self.hex4(self.pos + 2)).flatten();
        match low {
            Some(low) if unit < 0xdc00 && (0xdc00..0xe000).contains(&low) => {
                self.pos += 6;
                char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)).unwrap_or('\u{fffd}')
            }
            _ => '\u{fffd}',
        }
    }

    /// Any JSON value, checked but not kept. Containers use an explicit stack.
    fn value(&mut self) -> Option<()> {
        let mut stack: Vec<u8> = Vec::new();
        loop {
            // Read one value start.
            self.ws();
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'[' | b'{' => {
                    let open = self.peek()?;
                    self.pos += 1;
                    stack.push(open);
                    if stack.len() > MAX_DEPTH {
                        return None;
                    }
                    self.ws();
                    let close = if open == b'[' { b']' } else { b'}' };
                    if self.eat(close) {
                        stack.pop();
                    } else {
                        if open == b'{' {
                            self.key()?;
                        }
                        continue;
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => self.number()?,
            }
            // After a value: close containers or move to the next item.
            loop {
                let Some(&open) = stack.last() else { return Some(()) };
                self.ws();
                let close = if open == b'[' { b']' } else { b'}' };
                if self.eat(close) {
                    stack.pop();
                    continue;
                }
                if !self.eat(b',') {
                    return None;
                }
                if open == b'{' {
                    self.key()?;
                }
                break;
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> Option<()> {
        self.ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string()?;
        self.ws();
        self.eat(b':').then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings<'a>(v: &[&'a str]) -> JsonArray<'a> {
        JsonArray::Strings(v.iter().map(|s| Cow::Borrowed(*s)).collect())
    }

    #[test]
    fn reads_like_go() {
        assert_eq!(read_array(r#" [ "a" , "b\n\u00e9" ] "#), strings(&["a", "b\né"]));
        assert_eq!(read_array("[]"), JsonArray::Strings(vec![]));
        assert_eq!(read_array(r#"["\ud83d\ude00", "\ud800x", "\udc00"]"#), strings(&["😀", "\u{fffd}x", "\u{fffd}"]));
        assert_eq!(read_array(r#"["a", 1, {"k": [true, null]}]"#), JsonArray::NotStrings);
        assert_eq!(read_array(r#"["a", 1e999]"#), JsonArray::Invalid);
        assert_eq!(read_array(r#"["a", 1e-999]"#), JsonArray::NotStrings);
        assert_eq!(read_array(&format!("[{}{}]", "[".repeat(500), "]".repeat(500))), JsonArray::NotStrings);
        for bad in
            [r#"["a""#, r#"['a']"#, r#"["a",]"#, r#"["a"] x"#, r#"[01]"#, r#"["\x"]"#, "[\"\t\"]", r#"[{"a"}]"#, "[-]"]
        {
            assert_eq!(read_array(bad), JsonArray::Invalid, "{bad}");
        }
    }
}
