//! serde_json's pretty layout (two spaces per level), byte for byte, with each line break and
//! its indent written at once. serde_json's `PrettyFormatter` writes the indent one level at a
//! time, and those small writes were most of the cost of `--format json` on a lint of many
//! files.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

/// `,` then a line break and the indent of the deepest level written at once; shallower
/// levels take a prefix, deeper ones add the rest.
const BREAK: &[u8] = b",\n                                                                ";
const MAX_SPACES: usize = BREAK.len() - 2;

/// A [`Formatter`] that lays out JSON exactly as `serde_json::ser::PrettyFormatter::new()`.
#[derive(Debug, Default)]
pub struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    /// `,` (unless `first`), a line break, and the indent of the current level.
    fn line_break<W: ?Sized + Write>(&self, out: &mut W, first: bool) -> io::Result<()> {
        let spaces = 2 * self.level;
        let start = usize::from(first);
        out.write_all(&BREAK[start..2 + spaces.min(MAX_SPACES)])?;
        (MAX_SPACES..spaces).step_by(MAX_SPACES).try_for_each(|done| {
            let more = (spaces - done).min(MAX_SPACES);
            out.write_all(&BREAK[2..2 + more])
        })
    }

    fn begin<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn end<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line_break(out, true)?;
        }
        out.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.begin(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.end(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.line_break(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.begin(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.end(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.line_break(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `value` as pretty JSON into `out`: what `serde_json::to_writer_pretty` writes.
pub fn to_writer<W: Write, T: ?Sized + Serialize>(out: W, value: &T) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(out, Pretty::default()))
}

/// `value` as pretty JSON: what `serde_json::to_string_pretty` returns.
pub fn to_string<T: ?Sized + Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(128);
    to_writer(&mut out, value)?;
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// Every shape serde_json lays out, and nesting past the indent written at once.
    #[test]
    fn lays_out_json_as_serde_json_pretty_does() {
        let mut deep = json!({"leaf": [1, {"a": []}, {}]});
        for level in 0..80 {
            deep = if level % 2 == 0 { json!([deep, level, "x\n\"y\""]) } else { json!({"k": deep, "e": {}}) };
        }
        let values = [
            json!(null),
            json!([]),
            json!({}),
            json!([[], {}, [[]], [{}]]),
            json!({"a": 1, "b": [true, false, null], "c": {"d": "é\u{7}\t"}, "e": -1.5}),
            deep,
        ];
        for value in values {
            let ours = super::to_string(&value).unwrap();
            assert_eq!(ours, serde_json::to_string_pretty(&value).unwrap());
        }
    }
}
