//! Words and their parts: plain words, numbers, quotes, expansions, substitutions.

use super::tree::{Field, Kind};
use super::{Parser, is_name_char, is_name_start, is_space, is_special};

/// Where a word is: what ends it besides blanks and operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    /// A command's words, redirect targets, assignment values, `for` and `case` words.
    Command,
    /// Inside `( ... )` of an array assignment.
    Array,
    /// A `case` pattern: `|` and `)` end it.
    Pattern,
    /// An index between `[` and `]`.
    Subscript,
    /// Inside `[ ]` or `[[ ]]`: a lone `]` ends it.
    Test,
    /// A value inside `${ ... }`: `}` ends it, blanks do not split it.
    Expansion,
}

/// Special parameters after `$`.
fn is_special_parameter(c: u8) -> bool {
    matches!(c, b'*' | b'@' | b'?' | b'!' | b'#' | b'-' | b'$')
}

impl Parser<'_> {
    /// One word: its parts, in a concatenation when there are several.
    pub(super) fn literal(&mut self, context: Context) {
        if !self.enter() {
            return;
        }
        let mark = self.builder.mark();
        let mut parts = 0;
        loop {
            let before = self.pos;
            self.primary(context, parts == 0);
            if self.pos == before {
                break;
            }
            parts += 1;
            if !self.concat_follows(context) {
                // A line continuation inside a word joins what follows (`a\<newline>"b"`).
                let after = self.after_continuations(self.pos);
                let save = std::mem::replace(&mut self.pos, after);
                if after == save || !self.concat_follows(context) {
                    self.pos = save;
                    break;
                }
            }
        }
        if parts > 1 {
            self.builder.finish(mark, Kind::Concatenation);
        }
        self.leave();
    }

    /// Whether the next byte continues the word just read.
    fn concat_follows(&self, context: Context) -> bool {
        if self.at_end() {
            return false;
        }
        match self.peek(0) {
            c if is_space(c) => false,
            b'<' | b'>' | b'(' | b')' | b';' | b'&' | b'|' => context == Context::Expansion && self.peek(0) != b')',
            b'}' => context != Context::Expansion,
            b']' => !matches!(context, Context::Test | Context::Subscript),
            b'`' => self.backticks == 0,
            b'\\' => !matches!(self.peek(1), b'\n' | b'\r' | 0),
            _ => true,
        }
    }

    /// One part of a word.
    fn primary(&mut self, context: Context, first: bool) {
        let c = self.peek(0);
        if self.at_end() {
            return;
        }
        match c {
            b'\'' => self.raw_string(),
            b'"' => self.string(),
            b'$' => self.dollar(),
            b'`' if self.backticks == 0 || !first => self.backtick_substitution(),
            b'<' | b'>' if self.peek(1) == b'(' => {
                self.subshell(Kind::ProcessSubstitution);
            }
            b'{' if self.brace_expression_len() > 0 => self.brace_expression(),
            b'{' | b'}' | b'[' | b']' => {
                if context == Context::Expansion && c == b'}' {
                    return;
                }
                self.leaf(Kind::Word, 1)
            }
            b'#' if first && context != Context::Expansion => {}
            _ => {
                let len = self.word_len(context);
                if len == 0 {
                    return;
                }
                let kind = if is_number(&self.src[self.pos..self.pos + len]) { Kind::Number } else { Kind::Word };
                self.leaf(kind, len);
            }
        }
    }

    /// Length of the plain word token at the current position.
    fn word_len(&self, context: Context) -> usize {
        let rest = &self.src[self.pos..self.end];
        let ends = |c: u8| {
            if context == Context::Expansion {
                matches!(c, b'}' | b'$' | b'`' | b'"' | b'\'') || is_space(c)
            } else {
                is_special(c)
            }
        };
        let mut i = 0;
        while let Some(&c) = rest.get(i) {
            if c == b'\\' {
                match rest.get(i + 1) {
                    Some(b'\n') => {
                        // A line continuation: the word goes on when a character of it follows.
                        let mut j = i;
                        while rest.get(j..j + 2) == Some(b"\\\n") {
                            j += 2;
                        }
                        match rest.get(j) {
                            Some(&n) if n == b'\\' || !ends(n) => i = j,
                            _ => break,
                        }
                    }
                    // `\` before CR LF is read as a line continuation, as blanks() does.
                    Some(b'\r') if rest.get(i + 2) == Some(&b'\n') => break,
                    Some(_) => i += 2,
                    None => break,
                }
                continue;
            }
            if ends(c) {
                break;
            }
            i += 1;
        }
        i.min(rest.len())
    }

    fn raw_string(&mut self) {
        let rest = &self.src[self.pos + 1..self.end];
        match memchr::memchr(b'\'', rest) {
            Some(at) => self.leaf(Kind::RawString, at + 2),
            None => {
                self.leaf(Kind::RawString, rest.len() + 1);
                self.builder.flag_error();
            }
        }
    }

    /// `"..."` with its contents and expansions.
    pub(super) fn string(&mut self) {
        let mark = self.builder.mark();
        self.token(1);
        // Blanks before an expansion belong to it in tree-sitter-bash's ranges.
        let mut blanks: Option<usize> = None;
        loop {
            if self.at_end() {
                self.builder.flag_error();
                break;
            }
            let before = blanks.take();
            let part = |p: &mut Self, blanks: Option<usize>| {
                if let Some(start) = blanks {
                    let end = p.pos;
                    p.builder.span(start, end);
                }
            };
            match self.peek(0) {
                b'"' => {
                    self.token(1);
                    break;
                }
                b'$' if self.expansion_follows(true) => {
                    self.dollar();
                    part(self, before);
                }
                b'$' => self.token(1),
                b'`' => {
                    self.backtick_substitution();
                    part(self, before);
                }
                b'\n' => self.pos += 1,
                _ => {
                    let rest = &self.src[self.pos..self.end];
                    let mut i = 0;
                    while let Some(&c) = rest.get(i) {
                        match c {
                            b'"' | b'`' | b'$' | b'\n' => break,
                            b'\\' => i += 2,
                            _ => i += 1,
                        }
                    }
                    let len = i.min(rest.len());
                    if rest[..len].iter().all(|c| is_space(*c)) && !matches!(rest.get(len), Some(b'"') | None) {
                        // Blanks before an expansion are no node in tree-sitter-bash.
                        blanks = Some(self.pos);
                        self.pos += len;
                    } else {
                        self.leaf(Kind::StringContent, len);
                    }
                }
            }
        }
        self.builder.finish(mark, Kind::String);
    }

    /// Whether the `$` here starts an expansion or substitution.
    fn expansion_follows(&self, quoted: bool) -> bool {
        match self.peek(1) {
            b'(' | b'{' | b'[' => true,
            b'\'' | b'"' => !quoted,
            c => is_name_char(c) || is_special_parameter(c),
        }
    }

    /// Something starting with `$`.
    pub(super) fn dollar(&mut self) {
        match self.peek(1) {
            b'(' if self.peek(2) == b'(' && self.arithmetic_closes(self.pos + 3) => self.arithmetic_expansion(),
            b'(' => self.command_substitution(),
            b'[' => self.arithmetic_expansion(),
            b'{' => self.expansion(),
            b'\'' => {
                let rest = &self.src[self.pos + 2..self.end];
                let mut i = 0;
                while let Some(&c) = rest.get(i) {
                    match c {
                        b'\'' => break,
                        b'\\' => i += 2,
                        _ => i += 1,
                    }
                }
                if i >= rest.len() {
                    self.leaf(Kind::AnsiCString, rest.len() + 2);
                    self.builder.flag_error();
                } else {
                    self.leaf(Kind::AnsiCString, i + 3);
                }
            }
            b'"' => {
                // tree-sitter-bash reads `$"..."` as a `$` and a string.
                self.token(1);
                self.string();
            }
            c if is_name_char(c) || is_special_parameter(c) => {
                let mark = self.builder.mark();
                self.token(1);
                if is_name_start(c) || c.is_ascii_digit() {
                    let len = self.src[self.pos..self.end].iter().take_while(|c| is_name_char(**c)).count();
                    self.leaf(Kind::VariableName, len);
                } else {
                    self.leaf(Kind::SpecialVariableName, 1);
                }
                self.builder.finish(mark, Kind::SimpleExpansion);
            }
            _ => self.token(1),
        }
    }

    fn command_substitution(&mut self) {
        if !self.enter() {
            return;
        }
        let backticks = std::mem::replace(&mut self.backticks, 0);
        self.subshell(Kind::CommandSubstitution);
        self.backticks = backticks;
        self.leave();
    }

    fn backtick_substitution(&mut self) {
        if !self.enter() {
            return;
        }
        let mark = self.builder.mark();
        let start = self.pos;
        self.token(1);
        self.backticks += 1;
        self.statements(false);
        self.backticks -= 1;
        self.space();
        if self.peek(0) == b'`' {
            self.token(1);
        } else {
            self.builder.leaf(Kind::Error, self.pos, self.pos);
        }
        self.builder.finish(mark, Kind::CommandSubstitution);
        if self.src[start..self.pos].windows(2).any(|w| w == b"\\`") {
            // An escaped backtick inside opens a nested substitution, which is not read: the
            // commands it runs are unknown.
            self.builder.flag_error();
        }
        self.leave();
    }

    /// `${ ... }`.
    fn expansion(&mut self) {
        if !self.enter() {
            return;
        }
        let mark = self.builder.mark();
        self.token(2);
        // `${#x}`, `${!x}`: a prefix operator (not `${#}`, the count of arguments).
        if matches!(self.peek(0), b'#' | b'!') && self.peek(1) != b'}' && !self.at_end() {
            self.token(1);
            self.builder.field(Field::Operator);
        }
        let c = self.peek(0);
        if is_name_char(c) {
            let len = self.src[self.pos..self.end].iter().take_while(|c| is_name_char(**c)).count();
            if self.peek(len) == b'[' {
                self.subscript(len);
            } else {
                self.leaf(Kind::VariableName, len);
            }
        } else if is_special_parameter(c) || c == b'0' {
            self.leaf(Kind::SpecialVariableName, 1);
        }
        self.expansion_rest();
        if self.peek(0) == b'}' {
            self.token(1);
        } else {
            self.builder.leaf(Kind::Error, self.pos, self.pos);
        }
        self.builder.finish(mark, Kind::Expansion);
        self.leave();
    }

    /// What follows the name in `${name...}`: an operator and its operands.
    fn expansion_rest(&mut self) {
        let op = match (self.peek(0), self.peek(1)) {
            (b'}', _) => return,
            (b':', b'-' | b'=' | b'+' | b'?') => 2,
            (b'-' | b'=' | b'+' | b'?', _) => 1,
            (b'#', b'#') | (b'%', b'%') | (b',', b',') | (b'^', b'^') => {
                self.token(2);
                self.builder.field(Field::Operator);
                self.regex_until(b"}");
                return;
            }
            (b'#' | b'%' | b',' | b'^', _) => {
                self.token(1);
                self.builder.field(Field::Operator);
                self.regex_until(b"}");
                return;
            }
            (b'/', _) => {
                self.token(if matches!(self.peek(1), b'/' | b'#' | b'%') { 2 } else { 1 });
                self.builder.field(Field::Operator);
                self.regex_until(b"/}");
                if self.peek(0) == b'/' {
                    self.token(1);
                    self.builder.field(Field::Operator);
                    self.expansion_words();
                }
                return;
            }
            (b'@', _) => {
                self.token(1);
                self.builder.field(Field::Operator);
                if self.peek(0) != b'}' && !self.at_end() {
                    self.token(1);
                    self.builder.field(Field::Operator);
                }
                return;
            }
            (b':', _) => {
                // `${x:offset:length}`.
                self.token(1);
                self.builder.field(Field::Operator);
                for part in 0..2 {
                    while matches!(self.peek(0), b' ' | b'\t') {
                        self.pos += 1;
                    }
                    let c = self.peek(0);
                    let sign = usize::from(c == b'-');
                    let digits = self.src[self.pos + sign..self.end].iter().take_while(|c| c.is_ascii_digit()).count();
                    if digits > 0 && matches!(self.peek(sign + digits), b':' | b'}') {
                        self.leaf(Kind::Number, sign + digits);
                    } else if is_name_start(c) {
                        let len = self.src[self.pos..self.end].iter().take_while(|c| is_name_char(**c)).count();
                        self.leaf(Kind::VariableName, len);
                    } else if c != b':' {
                        break;
                    }
                    if part == 0 && self.peek(0) == b':' {
                        self.token(1);
                        self.builder.field(Field::Operator);
                    } else {
                        break;
                    }
                }
                self.expansion_words();
                return;
            }
            _ => {
                // Something else: an error up to the closing brace.
                self.regex_until(b"}");
                self.builder.flag_error();
                return;
            }
        };
        self.token(op);
        self.builder.field(Field::Operator);
        self.expansion_words();
    }

    /// Words up to the `}` of an expansion.
    fn expansion_words(&mut self) {
        loop {
            while matches!(self.peek(0), b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            }
            if self.at_end() || self.peek(0) == b'}' {
                return;
            }
            let before = self.pos;
            self.literal(Context::Expansion);
            if self.pos == before {
                self.error_byte();
            }
        }
    }

    /// A pattern inside `${...}` up to one of `stops` (outside nested braces and quotes).
    fn regex_until(&mut self, stops: &[u8]) {
        if matches!(self.peek(0), b'"' | b'\'') || (self.peek(0) == b'$' && self.expansion_follows(false)) {
            // A quoted or expanded pattern is a word, as tree-sitter-bash reads it.
            let before = self.pos;
            self.literal(Context::Expansion);
            if self.pos != before {
                return;
            }
        }
        let rest = &self.src[self.pos..self.end];
        let mut i = 0;
        let mut depth = 0usize;
        while let Some(&c) = rest.get(i) {
            match c {
                b'\\' => i += 1,
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                _ if depth == 0 && stops.contains(&c) => break,
                _ => {}
            }
            i += 1;
        }
        let len = i.min(rest.len());
        if len > 0 {
            self.leaf(Kind::Regex, len);
        }
    }

    /// Length of a brace expression `{1..9}` here, or 0.
    fn brace_expression_len(&self) -> usize {
        let rest = &self.src[self.pos..self.end];
        let digits = |from: usize| rest.get(from..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
        let a = digits(1);
        if a == 0 || rest.get(1 + a..3 + a) != Some(b"..") {
            return 0;
        }
        let b = digits(3 + a);
        if b == 0 || rest.get(3 + a + b) != Some(&b'}') {
            return 0;
        }
        4 + a + b
    }

    fn brace_expression(&mut self) {
        let mark = self.builder.mark();
        let a = self.src[self.pos + 1..self.end].iter().take_while(|c| c.is_ascii_digit()).count();
        self.token(1);
        self.leaf(Kind::Number, a);
        self.token(2);
        let b = self.src[self.pos..self.end].iter().take_while(|c| c.is_ascii_digit()).count();
        self.leaf(Kind::Number, b);
        self.token(1);
        self.builder.finish(mark, Kind::BraceExpression);
    }
}

/// tree-sitter-bash's number: `-?(0x)?[0-9]+(#[0-9A-Za-z@_]+)?`.
fn is_number(text: &[u8]) -> bool {
    let mut rest = text.strip_prefix(b"-").unwrap_or(text);
    rest = rest.strip_prefix(b"0x").unwrap_or(rest);
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return false;
    }
    match &rest[digits..] {
        [] => true,
        [b'#', base @ ..] => {
            !base.is_empty() && base.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'@' | b'_'))
        }
        _ => false,
    }
}
