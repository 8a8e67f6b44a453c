//! Byte offsets to lines and columns, and searching text.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

/// A position: 1-based line, 1-based column in characters, 0-based byte offset, and the
/// 1-based column in UTF-16 code units (what JavaScript strings and LSP clients count).
///
/// 32-bit, as ruff's and oxc's offsets are: every instruction, comment and problem holds two,
/// and a huge file holds millions of them. Past [`MAX_TEXT_BYTES`] the fields saturate (a
/// Dockerfile of 4 GiB would need a hundred times that in memory to be linted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
    pub column_utf16: u32,
}

/// The longest text whose positions are exact: 4 GiB - 1 byte.
pub const MAX_TEXT_BYTES: usize = u32::MAX as usize;

/// `n` in the 32 bits that positions, lines, ranges and counts are kept in (saturating past
/// [`MAX_TEXT_BYTES`]).
pub(crate) fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Start offsets of lines, for turning offsets into positions.
#[derive(Debug)]
pub struct LineIndex {
    starts: Offsets,
    /// The line the last lookup found. Callers mostly walk a file in order (the model's
    /// instructions, a rule's findings), so the next offset is on that line or soon after it,
    /// found without a binary search of every line (which took a tenth of building the model
    /// of a large file). A hint only: any value gives the same answers.
    last_line: AtomicUsize,
}

impl Clone for LineIndex {
    fn clone(&self) -> Self {
        Self { starts: self.starts.clone(), last_line: AtomicUsize::new(self.last_line.load(Ordering::Relaxed)) }
    }
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        Self::with_newlines(text.len(), memchr::memchr_iter(b'\n', text.as_bytes()))
    }

    /// The index of a text of `len` bytes with `\n` at the offsets `newlines` (ascending):
    /// for a caller that has found them already.
    pub(crate) fn with_newlines(len: usize, newlines: impl IntoIterator<Item = usize>) -> Self {
        // Real files have a line every 30 to 40 bytes.
        let mut starts = Offsets::new(len, len / 32 + 1);
        starts.push(0);
        starts.extend(newlines.into_iter().map(|newline| newline + 1));
        Self { starts, last_line: AtomicUsize::new(0) }
    }

    /// The number of lines (a text ending with `\n` has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Where the 0-based line `line` starts, if the text has that line (a text ending with
    /// `\n` has an empty last line starting at its end).
    pub(crate) fn line_start(&self, line: usize) -> Option<usize> {
        (line < self.starts.len()).then(|| self.starts.get(line))
    }

    /// The 0-based line `offset` is on.
    fn line_of(&self, offset: usize) -> usize {
        /// How many lines past the last one found are tried before searching.
        const NEARBY: usize = 4;
        let count = self.starts.len();
        let hint = self.last_line.load(Ordering::Relaxed);
        if hint < count && self.starts.get(hint) <= offset {
            for line in hint..count.min(hint + NEARBY) {
                if line + 1 == count || offset < self.starts.get(line + 1) {
                    self.last_line.store(line, Ordering::Relaxed);
                    return line;
                }
            }
        }
        let line = self.starts.count_below(offset + 1) - 1;
        self.last_line.store(line, Ordering::Relaxed);
        line
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let line = self.line_of(offset);
        let start = self.starts.get(line);
        let (chars, astral) = match text.get(start..offset) {
            Some(prefix) if prefix.is_ascii() => (prefix.len(), 0),
            // Characters beyond the Basic Multilingual Plane take two UTF-16 units, one char.
            Some(prefix) => (prefix.chars().count(), prefix.chars().filter(|c| c.len_utf16() == 2).count()),
            None => (offset - start, 0),
        };
        Position {
            line: narrow(line + 1),
            column: narrow(chars + 1),
            offset: narrow(offset),
            column_utf16: narrow(chars + astral + 1),
        }
    }
}

/// Ascending byte offsets into one text, 4 bytes each when the text is under 4 GiB (8 above).
#[derive(Debug, Clone)]
pub(crate) enum Offsets {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl Default for Offsets {
    fn default() -> Self {
        Offsets::Narrow(Vec::new())
    }
}

impl Offsets {
    /// Room for `capacity` offsets into a text of `len` bytes.
    pub fn new(len: usize, capacity: usize) -> Self {
        match u32::try_from(len) {
            Ok(_) => Offsets::Narrow(Vec::with_capacity(capacity)),
            Err(_) => Offsets::Wide(Vec::with_capacity(capacity)),
        }
    }

    /// Add an offset (at most the text's length, not below the last one).
    pub fn push(&mut self, offset: usize) {
        match self {
            // `new` chose the narrow form only when every offset fits.
            Offsets::Narrow(v) => v.push(offset as u32),
            Offsets::Wide(v) => v.push(offset),
        }
    }

    /// Add offsets, as [`Offsets::push`] does; the form is looked at once, not per offset.
    pub fn extend(&mut self, offsets: impl IntoIterator<Item = usize>) {
        match self {
            Offsets::Narrow(v) => v.extend(offsets.into_iter().map(|offset| offset as u32)),
            Offsets::Wide(v) => v.extend(offsets),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Offsets::Narrow(v) => v.len(),
            Offsets::Wide(v) => v.len(),
        }
    }

    pub fn get(&self, index: usize) -> usize {
        match self {
            Offsets::Narrow(v) => v[index] as usize,
            Offsets::Wide(v) => v[index],
        }
    }

    /// How many offsets are below `offset` (binary search).
    pub fn count_below(&self, offset: usize) -> usize {
        match self {
            Offsets::Narrow(v) => v.partition_point(|&s| (s as usize) < offset),
            Offsets::Wide(v) => v.partition_point(|&s| s < offset),
        }
    }
}

/// `range` widened to whole lines, including the line ending after it (for deleting or
/// moving instructions).
/// The matches of `re` in `text`, left to right, that start the text or follow a character
/// that `after` accepts (`None` is the start of the text) and that the last match did not
/// take: what `captures_iter` gives for the pattern with that one-character context written
/// before it. The regex crate has no look-behind, and a leading context such as `(?:^|\s)`
/// hides the literal a match starts with from the prefilter, so that every text goes through
/// the slower engines.
pub fn captures_after<'r, 't>(
    re: &'r regex::Regex,
    text: &'t str,
    after: fn(Option<char>) -> bool,
) -> impl Iterator<Item = regex::Captures<'t>> + 'r
where
    't: 'r,
{
    // Where the next search starts, and where the last match ended.
    let (mut at, mut taken) = (0, 0);
    std::iter::from_fn(move || {
        while let Some(captures) = re.captures_at(text, at) {
            let whole = captures.get(0).expect("group 0 always matches");
            let next_char = whole.start() + text[whole.start()..].chars().next().map_or(1, char::len_utf8);
            let before = text[..whole.start()].chars().next_back();
            let free = before.is_none_or(|c| whole.start() - c.len_utf8() >= taken);
            if free && after(before) {
                at = whole.end().max(next_char);
                taken = whole.end();
                return Some(captures);
            }
            at = next_char;
        }
        None
    })
}

pub fn whole_lines(src: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let start = src[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = src[range.end..].find('\n').map_or(src.len(), |i| range.end + i + 1);
    start..end
}

/// `range` widened back over the blanks and line continuations (`escape` + newline) before it,
/// so deleting it leaves the instruction well formed: `a \\<newline>  gcc` -> `a`.
pub fn with_leading_blanks(src: &str, escape: char, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let bytes = src.as_bytes();
    let escape = u8::try_from(escape).unwrap_or(b'\\');
    let mut start = range.start;
    loop {
        match start.checked_sub(1).map(|i| bytes[i]) {
            Some(b' ' | b'\t') => start -= 1,
            Some(b'\n') => {
                let mut s = start - 1;
                if s > 0 && bytes[s - 1] == b'\r' {
                    s -= 1;
                }
                if s > 0 && bytes[s - 1] == escape {
                    start = s - 1;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    start..range.end
}

/// `range` widened forward over the blanks and line continuations after it, up to the next
/// word: for deleting the first word after a keyword (`ENV A=1 \\<newline>  B=2` -> `ENV B=2`).
pub fn with_trailing_blanks(src: &str, escape: char, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let rest = &src[range.end..];
    let mut end = 0;
    loop {
        let after = &rest[end..];
        let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
        let after_blanks = &after[blanks..];
        let continuation = [format!("{escape}\r\n"), format!("{escape}\n")]
            .into_iter()
            .find(|c| after_blanks.starts_with(c.as_str()))
            .map_or(0, |c| c.len());
        end += blanks + continuation;
        if continuation == 0 {
            break;
        }
    }
    range.start..range.end + end
}

/// `new` with the line endings of `original`: when every line of `original` ends in CRLF, the
/// bare LFs of inserted text become CRLF too (untouched text is CRLF already).
pub fn same_line_endings(original: &str, new: String) -> String {
    with_line_endings(all_crlf(original), new)
}

/// Whether every line of `text` ends in CRLF (and there is at least one).
pub fn all_crlf(text: &str) -> bool {
    let crlf = text.matches("\r\n").count();
    crlf != 0 && crlf == text.matches('\n').count()
}

/// `new` with every bare LF made CRLF when `crlf` (see [`same_line_endings`]).
pub fn with_line_endings(crlf: bool, new: String) -> String {
    if !crlf {
        return new;
    }
    let mut out = String::with_capacity(new.len() + new.len() / 16);
    let mut previous = '\0';
    for c in new.chars() {
        if c == '\n' && previous != '\r' {
            out.push('\r');
        }
        out.push(c);
        previous = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ranges of each match's groups.
    type Groups = Vec<Vec<Option<std::ops::Range<usize>>>>;

    /// Group ranges of `captures_after` against `captures_iter` with the context written in.
    fn both(text: &str) -> (Groups, Groups) {
        const VALUE: &str = r#"=("[^"]*"|'[^']*'|[^\s;&|)"']*)"#;
        let with_context = regex::Regex::new(&format!(r#"(?:^|[\s;&|("'])(A|BB|é){VALUE}"#)).unwrap();
        let bare = regex::Regex::new(&format!("(A|BB|é){VALUE}")).unwrap();
        let groups = |c: regex::Captures| (1..c.len()).map(|i| c.get(i).map(|m| m.range())).collect::<Vec<_>>();
        let after =
            |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | '"' | '\''));
        (
            captures_after(&bare, text, after).map(groups).collect(),
            with_context.captures_iter(text).map(groups).collect(),
        )
    }

    #[test]
    fn captures_after_reads_the_context_as_a_pattern_would() {
        for text in ["A=1 BB=2;A=3", "xA=1 (A='a'A=2", "A='x'BB=1 A=\"y\";BB=2", "é=1 é=é", "\u{a0}A=1\u{2003}BB=2", ""]
        {
            let (found, expected) = both(text);
            assert_eq!(found, expected, "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn captures_after_agrees_with_the_written_context(
            pieces in proptest::collection::vec(proptest::sample::select(&[
                "A", "BB", "B", "é", "=", "'", "\"", " ", "\u{a0}", ";", "(", ")", "x", "1",
            ][..]), 0..20)
        ) {
            let (found, expected) = both(&pieces.concat());
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn whole_lines_take_the_line_ending() {
        assert_eq!(whole_lines("a\nbc\nd", 3..4), 2..5);
        assert_eq!(whole_lines("a\nbc", 3..4), 2..4);
    }

    #[test]
    fn leading_blanks_and_continuations_go_with_a_word() {
        let src = "ENV A=1 \\\n    S=x \\\r\n    B=2\n";
        let s = src.find("S=x").unwrap();
        assert_eq!(&src[with_leading_blanks(src, '\\', s..s + 3)], " \\\n    S=x");
        let tick = "RUN a `\n  b\n";
        let b = tick.find('b').unwrap();
        assert_eq!(with_leading_blanks(tick, '`', b..b + 1), 5..b + 1);
        let comment = "RUN a \\\n# c\n  b\n";
        let b = comment.rfind('b').unwrap();
        assert_eq!(with_leading_blanks(comment, '\\', b..b + 1), b - 2..b + 1, "a comment line stops it");
    }

    #[test]
    fn trailing_blanks_and_continuations_go_with_a_first_word() {
        let src = "ENV S=x \\\n    B=2\n";
        let s = src.find("S=x").unwrap();
        assert_eq!(&src[with_trailing_blanks(src, '\\', s..s + 3)], "S=x \\\n    ");
        assert_eq!(with_trailing_blanks("ENV S=x\n", '\\', 4..7), 4..7, "stops at the line end");
    }

    #[test]
    fn inserted_lines_follow_crlf_files() {
        assert_eq!(same_line_endings("A\r\nB\r\n", "A\r\nX\nB\r\n".into()), "A\r\nX\r\nB\r\n");
        assert_eq!(same_line_endings("A\nB\n", "A\nX\nB\n".into()), "A\nX\nB\n");
        assert_eq!(same_line_endings("A\r\nB\n", "A\r\nX\nB\n".into()), "A\r\nX\nB\n", "mixed files stay mixed");
    }

    proptest::proptest! {
        /// The last line found is only a hint: offsets asked for in any order, on lines near
        /// it or far from it, get the line a search of every line gives.
        #[test]
        fn a_line_is_found_from_any_earlier_lookup(
            text in "[ab\n]{0,40}",
            offsets in proptest::collection::vec(0usize..41, 1..30),
        ) {
            let index = LineIndex::new(&text);
            for offset in offsets.into_iter().map(|o| o.min(text.len())) {
                let line = text[..offset].matches('\n').count() + 1;
                proptest::prop_assert_eq!(index.position(&text, offset).line as usize, line);
            }
        }
    }

    #[test]
    fn positions() {
        let text = "ab\nc\u{e9}d\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1, offset: 0, column_utf16: 1 });
        assert_eq!(idx.position(text, 3), Position { line: 2, column: 1, offset: 3, column_utf16: 1 });
        assert_eq!(idx.position(text, 6), Position { line: 2, column: 3, offset: 6, column_utf16: 3 });
        assert_eq!(
            idx.position(text, text.len()),
            Position { line: 3, column: 1, offset: text.len() as u32, column_utf16: 1 }
        );
        // Past 4 GiB a field saturates.
        assert_eq!((narrow(MAX_TEXT_BYTES), narrow(MAX_TEXT_BYTES + 5)), (u32::MAX, u32::MAX));
        // U+1F600 is one char but two UTF-16 units.
        let astral = "x\u{1F600}y";
        let at_y = LineIndex::new(astral).position(astral, 5);
        assert_eq!((at_y.column, at_y.column_utf16), (3, 4));
    }
}
