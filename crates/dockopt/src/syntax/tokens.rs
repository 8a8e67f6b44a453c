//! The flat token stream: every byte of the input belongs to exactly one token.

use serde::Serialize;

use super::scan;
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
}

impl TokenSink {
    /// A sink for the tokens of an input of `len` bytes.
    pub fn new(len: usize) -> Self {
        // Real files have a token every 4 to 6 bytes: one guess saves most regrowing.
        let guess = len / 4 + 16;
        Self { tokens: Tokens { starts: Offsets::new(len, guess), kinds: Vec::with_capacity(guess), end: 0 } }
    }

    /// Add the token `start..end`, which must begin where the previous one ended. Empty
    /// ranges add nothing.
    pub fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        if start < end {
            debug_assert_eq!(start, self.tokens.end, "tokens must cover the input without gaps");
            self.tokens.starts.push(start);
            self.tokens.kinds.push(kind);
            self.tokens.end = end;
        }
    }

    pub fn finish(self) -> Tokens {
        self.tokens
    }

    /// Split `src[start..end]` into whitespace and word tokens, classifying words by `state`.
    pub fn words(&mut self, src: &str, start: usize, end: usize, state: &mut WordState) {
        let mut at = start;
        for (piece, blank) in split_keep_blanks(&src[start..end]) {
            let (s, e) = (at, at + piece.len());
            at = e;
            if blank {
                self.push(TokenKind::Whitespace, s, e);
                continue;
            }
            let kind = match *state {
                WordState::Keyword => {
                    *state = WordState::Flags { onbuild: piece.eq_ignore_ascii_case("onbuild") };
                    TokenKind::Keyword
                }
                WordState::Flags { .. } if piece.starts_with("--") => TokenKind::Flag,
                WordState::Flags { onbuild: true } => {
                    *state = WordState::Flags { onbuild: false };
                    TokenKind::Keyword
                }
                _ => {
                    *state = WordState::Args;
                    TokenKind::Word
                }
            };
            self.push(kind, s, e);
        }
    }
}

/// Alternating runs of whitespace and other characters, each with whether it is whitespace.
fn split_keep_blanks(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut rest = text;
    // Each run ends where a character of the other kind starts the next one.
    let mut blank = text.chars().next().is_some_and(char::is_whitespace);
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (piece, tail) = rest.split_at(run_len(rest, blank));
        rest = tail;
        blank = !blank;
        Some((piece, !blank))
    })
}

/// The ASCII characters of `char::is_whitespace`.
fn is_ascii_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Length of the leading run of characters whose whitespace-ness is `blank`: the parser's
/// hottest loop. Eight bytes are looked at at once (see [`scan::skip_run`]); bytes it stops
/// at are classified one by one, and characters other than ASCII decoded.
#[inline(always)]
fn run_len(text: &str, blank: bool) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        i = scan::skip_run(bytes, i, blank);
        let Some(&b) = bytes.get(i) else { return bytes.len() };
        if b.is_ascii() {
            if is_ascii_blank(b) != blank {
                return i;
            }
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            if c.is_whitespace() != blank {
                return i;
            }
            i += c.len_utf8();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_runs_including_unicode_blanks() {
        let pieces: Vec<&str> = split_keep_blanks("a  b\u{a0}\u{2003}c\té").map(|(p, _)| p).collect();
        assert_eq!(pieces, vec!["a", "  ", "b", "\u{a0}\u{2003}", "c", "\t", "é"]);
        let long = "        /usr/local/bin/x\x01y\u{7f}z        \t  \u{2003}é-------------- ";
        let pieces: Vec<(&str, bool)> = split_keep_blanks(long).collect();
        assert_eq!(
            pieces,
            vec![
                ("        ", true),
                ("/usr/local/bin/x\x01y\u{7f}z", false),
                ("        \t  \u{2003}", true),
                ("é--------------", false),
                (" ", true)
            ]
        );
    }
}
