//! The flat token stream: every byte of the input belongs to exactly one token.

use serde::Serialize;

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

#[derive(Default)]
pub(crate) struct TokenSink {
    pub tokens: Vec<Token>,
}

impl TokenSink {
    pub fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        if start < end {
            self.tokens.push(Token { kind, start, end });
        }
    }

    /// Split `src[start..end]` into whitespace and word tokens, classifying words by `state`.
    pub fn words(&mut self, src: &str, start: usize, end: usize, state: &mut WordState) {
        let text = &src[start..end];
        let mut pos = 0;
        for piece in split_keep_blanks(text) {
            let (s, e) = (start + pos, start + pos + piece.len());
            pos += piece.len();
            if piece.starts_with(char::is_whitespace) {
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

/// Alternating runs of whitespace and non-whitespace.
fn split_keep_blanks(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let blank = first.is_whitespace();
        let len = run_len(rest, blank);
        let (piece, tail) = rest.split_at(len);
        rest = tail;
        Some(piece)
    })
}

/// Length of the leading run of characters whose whitespace-ness is `blank`. ASCII bytes
/// are classified directly; this is the parser's hottest loop.
fn run_len(text: &str, blank: bool) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') != blank {
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
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_runs_including_unicode_blanks() {
        let pieces: Vec<&str> = split_keep_blanks("a  b\u{a0}\u{2003}c\té").collect();
        assert_eq!(pieces, vec!["a", "  ", "b", "\u{a0}\u{2003}", "c", "\t", "é"]);
    }
}
