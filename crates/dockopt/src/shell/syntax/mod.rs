//! A hand-written sh/bash parser producing a tree with tree-sitter-bash's node kinds and
//! field names, so that code walking tree-sitter's tree can walk this one instead.
//!
//! - `tree`: the arena and the `Node` handle;
//! - `statements`: lists, pipelines, commands, compound commands, redirects;
//! - `words`: words and their parts (quotes, expansions, substitutions);
//! - `expressions`: `[ ]`, `[[ ]]` and arithmetic expressions;
//! - `heredoc`: here-document bodies.
//!
//! The parser never fails: text it cannot read becomes an `ERROR` node and the tree is marked
//! (`has_error`). It runs in time linear in the input (every loop consumes input or stops),
//! and nesting deeper than [`MAX_DEPTH`] is not parsed (the rest of the script is one error
//! node), so no input can overflow the stack.
//!
//! ## Fidelity (the `differential` test)
//!
//! The tree follows tree-sitter-bash 0.25 closely enough that the walkers can be ported by
//! replacing `tree_sitter::Node` with [`Node`]: on the real-world corpus, 1,947 of 1,989 RUN
//! scripts give the same (kind, range) sequence of named nodes, and the children (anonymous
//! tokens such as `then`, `+=`, `[[`, `&&`, and field names) of the nodes the walkers inspect
//! are the same. Reproduced on purpose, although not what the shell does:
//! - a redirect after the last command of a list wraps the whole list
//!   (`a && b > f` is `redirected_statement(list(a, b), > f)`);
//! - blanks before an expansion inside double quotes belong to the expansion's range;
//! - `$"..."` is a `$` token and a string (no `translated_string`).
//!
//! Deliberately different (tree-sitter-bash misreads):
//! - words after a file redirect are the command's arguments (`echo >&2 "msg"`), not more
//!   redirect destinations: the redirect stays inside the command;
//! - `$A$B.tar` is one word with two expansions.
//!
//! Not reproduced (the walkers do not depend on them): which `case` patterns are
//! `extglob_pattern` rather than `word` (ours are words); the exact children of `${...}`
//! beyond the name, operator and nested words; one GLR choice of tree-sitter's where a
//! pipeline after a long list takes the rest of the list into its last command.
//!
//! ## Anonymous tokens
//!
//! Every keyword, operator and bracket is a `Kind::Token` node whose kind name is its text;
//! a newline is a token only where it ends a statement (as in tree-sitter-bash, whose
//! `else_clause` ends after it). Comments are named nodes, kept out of a node when they come
//! at its start or end (tree-sitter leaves extras in the parent).

mod expressions;
mod heredoc;
mod statements;
mod tree;
mod words;

#[cfg(test)]
mod differential;
#[cfg(test)]
mod tests;

pub use tree::{Kind, Node, Tree};

use tree::Builder;

/// Nesting (compound commands, substitutions, quotes, expressions) beyond which the parser
/// stops: the rest of the script becomes an error node.
pub const MAX_DEPTH: usize = 256;

/// Parse a script.
pub fn parse(text: &str) -> Tree<'_> {
    let mut parser = Parser::new(text);
    parser.program();
    parser.builder.root(text, Kind::Program, parser.too_deep)
}

/// A here-document whose body starts at the next newline.
struct PendingHeredoc {
    delimiter: Vec<u8>,
    strip_tabs: bool,
    raw: bool,
}

struct Parser<'s> {
    src: &'s [u8],
    /// Current byte offset.
    pos: usize,
    /// Where input ends for the current part (a heredoc body's expansions stop at its end).
    end: usize,
    builder: Builder,
    depth: usize,
    /// Set once the depth bound was hit: everything after is one error node.
    too_deep: bool,
    /// Inside backticks: a backtick ends the statements.
    backticks: usize,
    pending: Vec<PendingHeredoc>,
    /// Inside the header of `for ((...))`, where names are words.
    c_style: bool,
}

/// Bytes that end a word outside quotes (tree-sitter-bash's special characters), as a table:
/// it is asked for every byte of every word.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"'\"<>{}[]()`$|&;\\ \t\n\r\x0b\x0c";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

fn is_special(c: u8) -> bool {
    SPECIAL[c as usize]
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

impl<'s> Parser<'s> {
    fn new(text: &'s str) -> Parser<'s> {
        Parser {
            src: text.as_bytes(),
            pos: 0,
            end: text.len(),
            builder: Builder::new(text.len() / 3 + 8),
            depth: 0,
            too_deep: false,
            backticks: 0,
            pending: Vec::new(),
            c_style: false,
        }
    }

    /// The byte at `pos + k`, or 0 past the end.
    fn peek(&self, k: usize) -> u8 {
        let at = self.pos + k;
        if at < self.end { self.src[at] } else { 0 }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.end
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.src[self.pos.min(self.end)..self.end].starts_with(s)
    }

    /// An anonymous token of `len` bytes at the current position.
    fn token(&mut self, len: usize) {
        let end = (self.pos + len).min(self.end);
        self.builder.leaf(Kind::Token, self.pos, end);
        self.pos = end;
    }

    /// A named leaf of `len` bytes at the current position.
    fn leaf(&mut self, kind: Kind, len: usize) {
        let end = (self.pos + len).min(self.end);
        self.builder.leaf(kind, self.pos, end);
        self.pos = end;
    }

    /// An error node over one unexpected character (all of a multi-byte one).
    fn error_byte(&mut self) {
        let mut len = 1;
        while self.pos + len < self.end && (self.src[self.pos + len] & 0xC0) == 0x80 {
            len += 1;
        }
        self.leaf(Kind::Error, len);
    }

    /// The position after the line continuations (`\` newline) at `at`, if any.
    fn after_continuations(&self, mut at: usize) -> usize {
        while at + 1 < self.end && self.src[at] == b'\\' && self.src[at + 1] == b'\n' {
            at += 2;
        }
        at
    }

    /// Skip blanks and line continuations (not newlines).
    fn blanks(&mut self) {
        while self.pos < self.end {
            match self.src[self.pos] {
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                // `\` before a blank quotes it: the blank starts a word.
                b'\\' => match self.peek(1) {
                    b'\n' => self.pos += 2,
                    b'\r' if self.peek(2) == b'\n' => self.pos += 3,
                    _ => return,
                },
                _ => return,
            }
        }
    }

    /// Skip blanks, newlines and comments (comments become nodes).
    fn space(&mut self) {
        loop {
            self.blanks();
            match self.peek(0) {
                b'\n' => self.newline(),
                b'#' => self.comment(),
                _ => return,
            }
        }
    }

    fn comment(&mut self) {
        let rest = &self.src[self.pos..self.end];
        // Inside backticks the closing backtick ends the comment too.
        let len = if self.backticks > 0 { memchr::memchr2(b'\n', b'`', rest) } else { memchr::memchr(b'\n', rest) };
        let len = len.unwrap_or(rest.len());
        self.leaf(Kind::Comment, len);
    }

    /// Consume a newline, and the bodies of the here-documents opened on its line.
    fn newline(&mut self) {
        self.pos += 1;
        if !self.pending.is_empty() {
            for doc in std::mem::take(&mut self.pending) {
                self.heredoc_body(&doc);
            }
        }
    }

    /// Enter one level of nesting; false (and the rest of the input made an error) when
    /// the bound is reached.
    fn enter(&mut self) -> bool {
        if self.depth >= MAX_DEPTH || self.too_deep {
            self.too_deep = true;
            if self.pos < self.end {
                let end = self.end;
                self.builder.leaf(Kind::Error, self.pos, end);
                self.pos = end;
            }
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }
}
