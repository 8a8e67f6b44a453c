//! The flat token stream: every byte of the input belongs to exactly one token.

use serde::Serialize;

use super::scan::BlankBits;
use crate::text::Offsets;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A UTF-8 byte-order mark at the start of the file.
    Bom,
    /// A parser directive line (`# escape=\``).
    Directive,
    /// A comment line, at the top level or inside a continued instruction.
    Comment,
    /// Spaces and tabs (and other non-newline whitespace).
    Whitespace,
    /// `\n`, `\r\n`, or `\r`s before a `\n` / end of file.
    Newline,
    /// The instruction word (`RUN`), also the inner one of `ONBUILD`.
    Keyword,
    /// A builder flag (`--from=build`).
    Flag,
    /// Any other word of an instruction's arguments.
    Word,
    /// The escape character that continues a line, with the blanks after it.
    LineContinuation,
    /// The body lines of a heredoc, line endings included.
    HeredocBody,
    /// The line that closes a heredoc (its delimiter).
    HeredocEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// The token stream of a file. Tokens cover the input without gaps, so each is stored as its
/// start and kind only (5 bytes for inputs under 4 GiB, 9 above; a [`Token`] is 24) and ends
/// where the next one starts.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    starts: Offsets,
    kinds: Vec<TokenKind>,
    /// End of the last token (the input's length once parsed).
    end: usize,
}

impl Tokens {
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// The `index`th token.
    pub fn get(&self, index: usize) -> Option<Token> {
        (index < self.len()).then(|| self.at(index))
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter { tokens: self, next: 0, stop: self.len() }
    }

    /// The tokens that start inside `range`, in order (found by binary search).
    pub fn starting_in(&self, range: std::ops::Range<usize>) -> Iter<'_> {
        let next = self.first_at(range.start);
        Iter { tokens: self, next, stop: self.first_at(range.end).max(next) }
    }

    /// Add the token `start..end`, which must begin where the previous one ended. Empty
    /// ranges add nothing.
    fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        if start < end {
            debug_assert_eq!(start, self.end, "tokens must cover the input without gaps");
            self.starts.push(start);
            self.kinds.push(kind);
            self.end = end;
        }
    }

    fn at(&self, index: usize) -> Token {
        let end = if index + 1 < self.len() { self.starts.get(index + 1) } else { self.end };
        Token { kind: self.kinds[index], start: self.starts.get(index), end }
    }

    /// Index of the first token starting at or after `offset`.
    fn first_at(&self, offset: usize) -> usize {
        self.starts.count_below(offset)
    }
}

/// Tokens in order, by value.
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    tokens: &'a Tokens,
    next: usize,
    stop: usize,
}

impl Iterator for Iter<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        (self.next < self.stop).then(|| {
            self.next += 1;
            self.tokens.at(self.next - 1)
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.stop - self.next;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Token> {
        (self.next < self.stop).then(|| {
            self.stop -= 1;
            self.tokens.at(self.stop)
        })
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Tokens {
    type Item = Token;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Where the word tokenizer is inside an instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordState {
    /// Next word is the instruction keyword.
    Keyword,
    /// Words starting with `--` are flags; `onbuild` says the next plain word is a keyword.
    Flags { onbuild: bool },
    /// Everything is an argument word.
    Args,
}

pub(crate) struct TokenSink {
    tokens: Tokens,
    /// Tokens are kept; when not, the sink only answers [`TokenSink::blank_run`].
    record: bool,
    /// Which bytes of the input are whitespace: where words and blank runs meet.
    blanks: BlankBits,
}

impl TokenSink {
    /// A sink for the tokens of a text of `len` bytes with these blank bits, which keeps them
    /// when `record` is set.
    pub fn new(len: usize, blanks: BlankBits, record: bool) -> Self {
        // Real files have a token every 4 to 6 bytes: one guess saves most regrowing.
        let guess = if record { len / 4 + 16 } else { 0 };
        let tokens = Tokens { starts: Offsets::new(len, guess), kinds: Vec::with_capacity(guess), end: 0 };
        Self { tokens, record, blanks }
    }

    /// Add the token `start..end`, which must begin where the previous one ended. Empty
    /// ranges add nothing.
    pub fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        if self.record {
            self.tokens.push(kind, start, end);
        }
    }

    /// Length of the whitespace at `start`, not going past `end`.
    pub fn blank_run(&self, start: usize, end: usize) -> usize {
        self.blanks.run(start, end)
    }

    pub fn finish(self) -> Tokens {
        self.tokens
    }

    /// Split `src[start..end]` into whitespace and word tokens, classifying words by `state`.
    /// `src` must be the text the sink was made for.
    pub fn words(&mut self, src: &str, start: usize, end: usize, state: &mut WordState) {
        if start >= end || !self.record {
            return;
        }
        let Self { tokens, blanks, .. } = self;
        // Runs alternate, so one bit says what the first is and the edges tell the rest.
        let mut blank = blanks.is_blank(start);
        let mut edges = blanks.edges(start, end);
        let mut run = start;
        // The keyword and flags, classified one by one from their text.
        while *state != WordState::Args {
            let next = edges.next().unwrap_or(end);
            let kind = if blank { TokenKind::Whitespace } else { classify(&src[run..next], state) };
            tokens.push(kind, run, next);
            if next == end {
                return;
            }
            (run, blank) = (next, !blank);
        }
        // Every other word is plain: the kinds alternate from the first run's.
        let mut kind = if blank { TokenKind::Whitespace } else { TokenKind::Word };
        for edge in edges {
            tokens.push(kind, run, edge);
            run = edge;
            kind = if kind == TokenKind::Word { TokenKind::Whitespace } else { TokenKind::Word };
        }
        tokens.push(kind, run, end);
    }
}

/// The kind of `word`, one of the first words of an instruction, and the state after it.
fn classify(word: &str, state: &mut WordState) -> TokenKind {
    match *state {
        WordState::Keyword => {
            *state = WordState::Flags { onbuild: word.eq_ignore_ascii_case("onbuild") };
            TokenKind::Keyword
        }
        WordState::Flags { .. } if word.starts_with("--") => TokenKind::Flag,
        WordState::Flags { onbuild: true } => {
            *state = WordState::Flags { onbuild: false };
            TokenKind::Keyword
        }
        _ => {
            *state = WordState::Args;
            TokenKind::Word
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The definition, a character at a time: alternating runs of `char::is_whitespace`
    /// characters and others, each with whether it is whitespace.
    fn reference_runs(text: &str) -> Vec<(&str, bool)> {
        let mut runs = Vec::new();
        let mut run_start = 0;
        let mut run_blank = false;
        for (i, c) in text.char_indices() {
            if i == 0 {
                run_blank = c.is_whitespace();
            } else if c.is_whitespace() != run_blank {
                runs.push((&text[run_start..i], run_blank));
                (run_start, run_blank) = (i, !run_blank);
            }
        }
        if run_start < text.len() {
            runs.push((&text[run_start..], run_blank));
        }
        runs
    }

    /// The tokens [`TokenSink::words`] makes of `src[start..end]`, as text and kind.
    fn words_of(src: &str, start: usize, end: usize, mut state: WordState) -> Vec<(&str, TokenKind)> {
        let mut sink = TokenSink::new(src.len(), BlankBits::new(src), true);
        sink.tokens.end = start;
        sink.words(src, start, end, &mut state);
        sink.finish().iter().map(|t| (&src[t.start..t.end], t.kind)).collect()
    }

    /// What [`TokenSink::words`] must give: the reference runs, words classified.
    fn expected_words(text: &str, mut state: WordState) -> Vec<(&str, TokenKind)> {
        let kind = |run, blank, state: &mut WordState| match blank {
            true => TokenKind::Whitespace,
            false => classify(run, state),
        };
        reference_runs(text).into_iter().map(|(run, blank)| (run, kind(run, blank, &mut state))).collect()
    }

    #[test]
    fn splits_runs_including_unicode_blanks() {
        use TokenKind::{Whitespace as B, Word as W};
        let runs = |text: &'static str| words_of(text, 0, text.len(), WordState::Args);
        let text = "a  b\u{a0}\u{2003}c\té";
        assert_eq!(
            runs(text),
            vec![("a", W), ("  ", B), ("b", W), ("\u{a0}\u{2003}", B), ("c", W), ("\t", B), ("é", W)]
        );
        let long = "        /usr/local/bin/x\x01y\u{7f}z        \t  \u{2003}é-------------- ";
        assert_eq!(
            runs(long),
            vec![
                ("        ", B),
                ("/usr/local/bin/x\x01y\u{7f}z", W),
                ("        \t  \u{2003}", B),
                ("é--------------", W),
                (" ", B)
            ]
        );
    }

    #[test]
    fn classifies_keyword_flags_and_arguments() {
        use TokenKind::{Flag as F, Keyword as K, Whitespace as B, Word as W};
        let src = "ONBUILD --a RUN --mount=x --b y";
        let kinds: Vec<TokenKind> = words_of(src, 0, src.len(), WordState::Keyword).iter().map(|t| t.1).collect();
        assert_eq!(kinds, vec![K, B, F, B, K, B, F, B, F, B, W]);
        assert_eq!(words_of(src, 8, src.len(), WordState::Flags { onbuild: false })[2], ("RUN", W));
    }

    #[test]
    fn every_piece_of_a_line_across_block_ends() {
        let line = format!("{} RUN  a\u{a0}b {}\u{2003}c --x\u{1f600} ", "x".repeat(60), "y".repeat(70));
        let bounds: Vec<usize> = (0..=line.len()).filter(|&i| line.is_char_boundary(i)).collect();
        for (i, &start) in bounds.iter().enumerate() {
            for &end in &bounds[i..] {
                let got = words_of(&line, start, end, WordState::Keyword);
                assert_eq!(got, expected_words(&line[start..end], WordState::Keyword), "{start}..{end}");
            }
        }
    }

    /// Text mixing ASCII and Unicode blanks, ASCII words, flags and non-ASCII letters.
    fn mixed_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            " ",
            "  ",
            "\t",
            "\n",
            "\r",
            "\x0b",
            "\x0c",
            "a",
            "RUN",
            "onbuild",
            "--x=1",
            "-",
            "\\",
            "\u{a0}",
            "\u{85}",
            "\u{2003}",
            "\u{3000}",
            "é",
            "\u{20ac}",
            "\u{1f600}",
            "0123456789abcdef",
        ]);
        prop::collection::vec(pieces, 0..80).prop_map(|p| p.concat())
    }

    fn any_state() -> impl Strategy<Value = WordState> {
        prop::sample::select(vec![
            WordState::Keyword,
            WordState::Flags { onbuild: true },
            WordState::Flags { onbuild: false },
            WordState::Args,
        ])
    }

    proptest! {
        /// A piece of the text (cut at two character boundaries) splits as the definition says.
        #[test]
        fn words_match_the_character_definition(
            text in mixed_text(),
            cuts in (0usize..1000, 0usize..1000),
            state in any_state(),
        ) {
            let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let (a, b) = (bounds[cuts.0 % bounds.len()], bounds[cuts.1 % bounds.len()]);
            let (start, end) = (a.min(b), a.max(b));
            prop_assert_eq!(words_of(&text, start, end, state), expected_words(&text[start..end], state));
        }
    }
}
