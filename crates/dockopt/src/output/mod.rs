//! Rendering findings for people and machines: human (code frames), json, sarif 2.1.0,
//! github (workflow commands), checkstyle, gitlab (Code Quality) and junit.

pub mod card;
mod human;
mod machine;
pub mod pretty;
mod xml;

use std::ops::Range;

use crate::lint::{Diagnostic, Severity};
use crate::text::{LineIndex, Position};

use std::io::{self, Write};

pub use human::Human;
pub use machine::{Finding, FindingFix, Github, Gitlab, Json, Sarif, findings};
pub use xml::{Checkstyle, Junit};

/// A report format, written one file at a time: a lint of many files prints each chunk of
/// files as it is done instead of holding every result until the end. Every format ends
/// with a newline (or prints nothing at all).
pub trait Sink {
    /// What comes before the first file (an XML declaration).
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// The findings of one more file.
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()>;

    /// What follows the last file (closing brackets, a summary).
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()>;
}

/// The output formats of a lint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Code frames for terminals, styled when `color`.
    Human {
        color: bool,
    },
    Json,
    Sarif,
    Github,
    Checkstyle,
    Gitlab,
    Junit,
}

impl Format {
    pub fn sink(self) -> Box<dyn Sink> {
        match self {
            Format::Human { color } => Box::new(Human::new(color)),
            Format::Json => Box::<Json>::default(),
            Format::Sarif => Box::<Sarif>::default(),
            Format::Github => Box::new(Github),
            Format::Checkstyle => Box::new(Checkstyle),
            Format::Gitlab => Box::<Gitlab>::default(),
            Format::Junit => Box::<Junit>::default(),
        }
    }
}

/// The whole report of `reports` in `format`, as one string.
pub fn render(format: Format, reports: &[FileReport]) -> String {
    let mut out = Vec::new();
    let mut sink = format.sink();
    let written: io::Result<()> = (|| {
        sink.begin(&mut out)?;
        for r in reports {
            sink.file(&mut out, r)?;
        }
        sink.finish(&mut out)
    })();
    written.expect("writing to memory does not fail");
    String::from_utf8(out).expect("reports are UTF-8")
}

/// A pretty-printed JSON array written item by item, laid out as serde_json lays out the
/// whole array (two spaces of indent per level).
#[derive(Default)]
struct JsonArray {
    items: usize,
    /// The item being written, reused.
    buf: Vec<u8>,
}

impl JsonArray {
    fn item(&mut self, out: &mut dyn Write, item: &impl serde::Serialize) -> io::Result<()> {
        out.write_all(if self.items == 0 { b"[\n" } else { b",\n" })?;
        self.items += 1;
        // The item as the one element of an array: serde_json indents it as it would in the
        // whole array, between the `[\n` and `\n]` that are cut off here.
        self.buf.clear();
        pretty::to_writer(&mut self.buf, &[item]).map_err(io::Error::other)?;
        out.write_all(&self.buf[2..self.buf.len() - 2])
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.items == 0 { b"[]\n" } else { b"\n]\n" })
    }
}

/// The findings of one file, with what is needed to show them.
pub struct FileReport<'a> {
    /// The path as the user gave it (`<stdin>` for standard input).
    pub path: &'a str,
    pub source: &'a str,
    pub diagnostics: &'a [Diagnostic],
    /// Byte ranges whose text must never be shown (secret values).
    pub redact: &'a [Range<usize>],
}

impl<'a> FileReport<'a> {
    /// The report of a lint of `source`.
    pub fn of_lint(path: &'a str, source: &'a str, result: &'a crate::lint::LintResult) -> Self {
        Self { path, source, diagnostics: &result.diagnostics, redact: &result.secrets }
    }

    /// The findings that remain in a fixed text.
    pub fn of_fix(path: &'a str, result: &'a crate::fix::FixResult) -> Self {
        Self { path, source: &result.text, diagnostics: &result.remaining, redact: &result.secrets }
    }
}

/// A finding with its positions worked out.
pub(crate) struct Located<'a> {
    pub d: &'a Diagnostic,
    pub start: Position,
    pub end: Position,
}

impl<'a> FileReport<'a> {
    pub(crate) fn located(&self) -> Vec<Located<'a>> {
        let index = LineIndex::new(self.source);
        self.diagnostics
            .iter()
            .map(|d| Located {
                d,
                start: index.position(self.source, d.range.start),
                end: index.position(self.source, d.range.end),
            })
            .collect()
    }
}

/// The bytes of `ranges` as sorted, disjoint ranges (overlapping and touching ones joined).
pub(crate) fn disjoint(ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// `text` (the source from `offset` on) with every hidden byte replaced by `*` (one per
/// character). `hidden` is sorted and disjoint ([`disjoint`]), so the ranges that reach into
/// the text are found by binary search: a file with many secrets and many findings stays
/// linear.
pub(crate) fn redacted(text: &str, offset: usize, hidden: &[Range<usize>]) -> String {
    let first = hidden.partition_point(|r| r.end <= offset);
    let last = hidden.partition_point(|r| r.start < offset + text.len());
    let mut ranges = hidden[first..last.max(first)].iter().peekable();
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let at = offset + i;
        while ranges.next_if(|r| r.end <= at).is_some() {}
        let secret = ranges.peek().is_some_and(|r| r.start <= at);
        out.push(if secret && c != '\n' { '*' } else { c });
    }
    out
}

pub(crate) fn level(severity: Severity) -> &'static str {
    severity.as_str()
}

#[cfg(test)]
mod tests {
    use super::{disjoint, redacted};

    #[test]
    fn hides_every_byte_of_overlapping_ranges_and_nothing_else() {
        let src = "ENV A=secret1 B=hunter22\nRUN x\n";
        let hidden = disjoint(&[17..24, 6..13, 8..10, 16..20]);
        assert_eq!(hidden, vec![6..13, 16..24]);
        assert_eq!(redacted(src, 0, &hidden), "ENV A=******* B=********\nRUN x\n");
        // A piece of the source: offsets stay the source's.
        assert_eq!(redacted(&src[10..20], 10, &hidden), "*** B=****");
        assert_eq!(redacted(&src[25..], 25, &hidden), "RUN x\n");
        let after_a_two_byte_char = disjoint(&[3..9, 5..6]);
        assert_eq!(redacted("é=secret", 0, &after_a_two_byte_char), "é=******");
    }
}
