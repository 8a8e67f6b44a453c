//! Here-documents: `<<EOF`, `<<-EOF`, `<<'EOF'` and their bodies.

use super::tree::{Field, Kind};
use super::words::Context;
use super::{Parser, PendingHeredoc, is_name_start};

impl Parser<'_> {
    /// `[n]<<[-]WORD` with what follows on its line and, after the newline, the body (as
    /// tree-sitter-bash nests them). `digits` is the length of the descriptor.
    pub(super) fn heredoc_redirect(&mut self, digits: usize) -> bool {
        let mark = self.builder.mark();
        if digits > 0 {
            self.leaf(Kind::FileDescriptor, digits);
            self.builder.field(Field::Descriptor);
        }
        let strip_tabs = self.peek(2) == b'-';
        self.token(if strip_tabs { 3 } else { 2 });
        self.blanks();
        let len = self.delimiter_len();
        if len == 0 {
            self.builder.flag_error();
            self.builder.finish(mark, Kind::HeredocRedirect);
            return true;
        }
        let (delimiter, raw) = unquote(&self.src[self.pos..self.pos + len]);
        self.leaf(Kind::HeredocStart, len);
        // Bodies follow the line in the order of their operators: this one after those opened
        // earlier on the line (`a <<A; b <<B`), before those opened later (`a <<A | b <<B`).
        self.pending.push(PendingHeredoc { delimiter, strip_tabs, raw });
        self.heredoc_line_rest();
        self.blanks();
        if self.peek(0) == b'\n' && !self.pending.is_empty() {
            self.newline();
        }
        self.builder.finish(mark, Kind::HeredocRedirect);
        true
    }

    /// Length of the delimiter word (quotes included).
    fn delimiter_len(&self) -> usize {
        let rest = &self.src[self.pos..self.end];
        let mut i = 0;
        while let Some(&c) = rest.get(i) {
            match c {
                b'\'' => match memchr::memchr(c, &rest[i + 1..]) {
                    Some(close) => i += close + 2,
                    None => return rest.len(),
                },
                b'"' => {
                    i += 1;
                    while i < rest.len() && rest[i] != b'"' {
                        i += if rest[i] == b'\\' { 2 } else { 1 };
                    }
                    if i >= rest.len() {
                        return rest.len();
                    }
                    i += 1;
                }
                b'\\' => i += 2,
                c if super::is_space(c) || matches!(c, b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')') => break,
                _ => i += 1,
            }
        }
        i.min(rest.len())
    }

    /// What tree-sitter-bash reads after the delimiter on the same line: `| cmd`, redirects,
    /// `&& cmd`, or more words.
    fn heredoc_line_rest(&mut self) {
        self.blanks();
        if self.peek(0) == b'|' && self.peek(1) != b'|' {
            let mark = self.builder.mark();
            self.token(if self.peek(1) == b'&' { 2 } else { 1 });
            self.space();
            self.statement();
            self.builder.finish(mark, Kind::Pipeline);
            return;
        }
        let mut redirects = false;
        loop {
            self.blanks();
            if self.starts_with(b"<<") && !self.starts_with(b"<<<") {
                // Another document on this line: its body comes after this one's.
                let mark = self.builder.mark();
                let strip_tabs = self.peek(2) == b'-';
                self.token(if strip_tabs { 3 } else { 2 });
                self.blanks();
                let len = self.delimiter_len();
                let (delimiter, raw) = unquote(&self.src[self.pos..self.pos + len]);
                if len > 0 {
                    self.leaf(Kind::HeredocStart, len);
                    self.pending.push(PendingHeredoc { delimiter, strip_tabs, raw });
                }
                self.builder.finish(mark, Kind::HeredocRedirect);
                redirects = true;
                continue;
            }
            if !self.redirect() {
                break;
            }
            self.builder.field(Field::Redirect);
            redirects = true;
        }
        self.blanks();
        if self.starts_with(b"&&") || self.starts_with(b"||") {
            self.token(2);
            self.builder.field(Field::Operator);
            self.space();
            let mark = self.builder.mark();
            self.statement();
            if self.builder.mark() > mark {
                self.builder.field(Field::Right);
            }
            return;
        }
        if redirects {
            return;
        }
        loop {
            self.blanks();
            if self.at_end() || matches!(self.peek(0), b'\n' | b';' | b'&' | b'|' | b')' | b'#') {
                return;
            }
            let before = self.pos;
            self.literal(Context::Command);
            if self.pos == before {
                return;
            }
            self.builder.field(Field::Argument);
        }
    }

    /// The body of a here-document, from the current position (a line start) to its
    /// delimiter line: `heredoc_body` then `heredoc_end`.
    pub(super) fn heredoc_body(&mut self, doc: &PendingHeredoc) {
        // Find the delimiter line: the delimiter alone on its line, after tabs with `<<-`.
        let mut line = self.pos;
        let mut found = None;
        while line < self.end {
            let stop = memchr::memchr(b'\n', &self.src[line..self.end]).map_or(self.end, |e| line + e);
            let mut text_start = line;
            if doc.strip_tabs {
                while text_start < stop && self.src[text_start] == b'\t' {
                    text_start += 1;
                }
            }
            if !doc.delimiter.is_empty() && &self.src[text_start..stop] == doc.delimiter.as_slice() {
                found = Some((text_start, stop));
                break;
            }
            line = stop + 1;
        }
        let (body_end, end) = match found {
            Some((text_start, stop)) => (text_start, Some((text_start, stop))),
            None => (self.end, None),
        };
        // tree-sitter-bash starts the body after the blanks of its first line.
        while self.pos < body_end && super::is_space(self.src[self.pos]) && self.src[self.pos] != b'\n' {
            self.pos += 1;
        }
        let start = self.pos;
        let mark = self.builder.mark();
        if doc.raw
            || !self.src[start..body_end].iter().enumerate().any(|(i, c)| {
                *c == b'$' && self.src.get(start + i + 1).is_some_and(|n| is_name_start(*n) || matches!(n, b'{' | b'('))
            })
        {
            self.builder.leaf(Kind::HeredocBody, start, body_end);
        } else {
            self.heredoc_parts(start, body_end);
            self.builder.finish(mark, Kind::HeredocBody);
            self.builder.span(start, body_end);
        }
        match end {
            Some((text_start, stop)) => {
                self.builder.leaf(Kind::HeredocEnd, text_start, stop);
                self.pos = stop;
            }
            None => {
                self.builder.flag_error();
                self.pos = self.end;
            }
        }
    }

    /// The expansions of a body and the text between them (the text before the first is no
    /// node, as in tree-sitter-bash).
    fn heredoc_parts(&mut self, start: usize, end: usize) {
        let outer_end = self.end;
        self.end = end;
        self.pos = start;
        let mut text = start;
        let mut first = true;
        while self.pos < end {
            match self.src[self.pos] {
                b'\\' => self.pos += 2,
                b'$' if self.pos + 1 < end
                    && (is_name_start(self.src[self.pos + 1]) || matches!(self.src[self.pos + 1], b'{' | b'(')) =>
                {
                    if !first && self.pos > text {
                        self.builder.leaf(Kind::HeredocContent, text, self.pos);
                    }
                    first = false;
                    let mark = self.builder.mark();
                    let backticks = std::mem::replace(&mut self.backticks, 0);
                    self.dollar();
                    self.backticks = backticks;
                    if self.builder.mark() == mark {
                        self.pos += 1;
                    }
                    text = self.pos;
                }
                _ => self.pos += 1,
            }
        }
        self.pos = self.pos.min(end);
        if !first && end > text {
            self.builder.leaf(Kind::HeredocContent, text, end);
        }
        self.end = outer_end;
    }
}

/// The delimiter a here-document's word stands for (quote removal, as the shell does it) and
/// whether any of it was quoted (then the body is not expanded).
fn unquote(word: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(word.len());
    let mut quoted = false;
    let mut i = 0;
    while i < word.len() {
        match word[i] {
            b'\'' => {
                quoted = true;
                let close = memchr::memchr(b'\'', &word[i + 1..]).map_or(word.len(), |at| i + 1 + at);
                out.extend_from_slice(&word[i + 1..close]);
                i = close + 1;
            }
            b'"' => {
                quoted = true;
                i += 1;
                while i < word.len() && word[i] != b'"' {
                    // Inside double quotes a backslash escapes only these.
                    if word[i] == b'\\' && matches!(word.get(i + 1), Some(b'$' | b'`' | b'"' | b'\\')) {
                        i += 1;
                    }
                    out.push(word[i]);
                    i += 1;
                }
                i += 1;
            }
            b'\\' => {
                quoted = true;
                if let Some(&c) = word.get(i + 1) {
                    out.push(c);
                }
                i += 2;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    (out, quoted)
}
