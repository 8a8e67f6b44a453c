//! Expressions: tests (`[ ]`, `[[ ]]`) and arithmetic (`$(( ))`, `(( ))`, `for (( ))`),
//! by precedence climbing with tree-sitter-bash's precedences.

use super::tree::{Field, Kind};
use super::words::Context;
use super::{Parser, is_name_char, is_name_start, is_space};

/// Binary operators of arithmetic, longest first, with their precedence.
const ARITHMETIC: [(&[u8], u8); 31] = [
    (b"**=", 0),
    (b"<<=", 0),
    (b">>=", 0),
    (b"+=", 0),
    (b"-=", 0),
    (b"*=", 0),
    (b"/=", 0),
    (b"%=", 0),
    (b"&=", 0),
    (b"^=", 0),
    (b"|=", 0),
    (b"||", 3),
    (b"&&", 4),
    (b"==", 8),
    (b"!=", 8),
    (b"<=", 9),
    (b">=", 9),
    (b"<<", 12),
    (b">>", 12),
    (b"**", 15),
    (b"=", 1),
    (b"|", 5),
    (b"^", 6),
    (b"&", 7),
    (b"<", 9),
    (b">", 9),
    (b"+", 13),
    (b"-", 13),
    (b"*", 14),
    (b"/", 14),
    (b"%", 14),
];

const TERNARY: u8 = 2;
const UNARY: u8 = 11;
const PREFIX: u8 = 17;
const TEST: u8 = 10;

impl Parser<'_> {
    // ---- tests ----

    /// `[ expr ]` or `[[ expr ]]`.
    pub(super) fn test_command(&mut self) -> bool {
        let mark = self.builder.mark();
        let double = self.starts_with(b"[[");
        let close: &[u8] = if double { b"]]" } else { b"]" };
        self.token(close.len());
        self.test_space(double);
        if !self.at_test_close(double) {
            self.test_expression(0, double);
        }
        self.test_space(double);
        if self.at_test_close(double) {
            self.token(close.len());
        } else {
            // Unreadable: an error up to the closing bracket on this line.
            let start = self.pos;
            while !self.at_end() && !self.at_test_close(double) && self.peek(0) != b'\n' {
                self.pos += 1;
            }
            self.builder.leaf(Kind::Error, start, self.pos);
            if self.at_test_close(double) {
                self.token(close.len());
            }
        }
        self.builder.finish(mark, Kind::TestCommand);
        true
    }

    fn test_space(&mut self, double: bool) {
        loop {
            self.blanks();
            if double && self.peek(0) == b'\n' {
                self.newline();
            } else {
                return;
            }
        }
    }

    fn at_test_close(&self, double: bool) -> bool {
        let close: &[u8] = if double { b"]]" } else { b"]" };
        self.starts_with(close) && self.word_ends_at(self.pos + close.len())
    }

    /// Length of a test operator (`-f`, `-eq`) here, or 0.
    fn test_operator_len(&self) -> usize {
        if self.peek(0) != b'-' {
            return 0;
        }
        let letters = self.src[self.pos + 1..self.end].iter().take_while(|c| c.is_ascii_alphabetic()).count();
        if letters > 0 && is_space(self.peek(1 + letters)) { 1 + letters } else { 0 }
    }

    /// The binary operator of a test here: its length, precedence and whether it is a
    /// `test_operator` node.
    fn test_binary(&self, double: bool) -> Option<(usize, u8, bool)> {
        let ops: [(&[u8], u8); 7] = [(b"==", 8), (b"!=", 8), (b"=~", 1), (b"&&", 4), (b"||", 3), (b"=", 1), (b"<", 9)];
        for (op, prec) in ops {
            if self.starts_with(op)
                && (double || !matches!(op, b"&&" | b"||"))
                && self.word_ends_at(self.pos + op.len())
                || (op == b"=" || op == b"==" || op == b"!=") && self.starts_with(op) && is_space(self.peek(op.len()))
            {
                return Some((op.len(), prec, false));
            }
        }
        if self.peek(0) == b'>' && is_space(self.peek(1)) || self.peek(0) == b'<' && is_space(self.peek(1)) {
            return Some((1, 9, false));
        }
        let len = self.test_operator_len();
        (len > 0).then_some((len, TEST, true))
    }

    fn test_expression(&mut self, min: u8, double: bool) {
        if !self.enter() {
            return;
        }
        let mark = self.builder.mark();
        self.test_space(double);
        let operator = self.test_operator_len();
        if self.peek(0) == b'!' && is_space(self.peek(1)) {
            self.token(1);
            self.builder.field(Field::Operator);
            self.test_expression(UNARY, double);
            self.builder.finish(mark, Kind::UnaryExpression);
        } else if operator > 0 && self.operand_follows(operator, double) {
            self.leaf(Kind::TestOperator, operator);
            self.builder.field(Field::Operator);
            self.test_expression(TEST, double);
            self.builder.finish(mark, Kind::UnaryExpression);
        } else if double && self.peek(0) == b'(' {
            self.token(1);
            self.test_expression(0, double);
            self.test_space(double);
            if self.peek(0) == b')' {
                self.token(1);
            } else {
                self.builder.flag_error();
            }
            self.builder.finish(mark, Kind::ParenthesizedExpression);
        } else if !self.at_test_close(double) {
            self.literal(Context::Test);
        }
        loop {
            self.test_space(double);
            let Some((len, prec, named)) = self.test_binary(double) else { break };
            if prec < min || self.builder.mark() == mark {
                break;
            }
            self.builder.field_at(mark, Field::Left);
            if named {
                self.leaf(Kind::TestOperator, len);
            } else {
                self.token(len);
            }
            self.builder.field(Field::Operator);
            let op = &self.src[self.pos - len..self.pos];
            let right = self.builder.mark();
            self.test_space(double);
            if self.at_test_close(double) {
                self.builder.flag_error();
            } else if double && matches!(op, b"==" | b"!=" | b"=~") && self.peek(0) != b'"' {
                // A pattern or regular expression: one leaf up to the next blank.
                let kind = if op == b"=~" { Kind::Regex } else { Kind::ExtglobPattern };
                let rest = &self.src[self.pos..self.end];
                let mut i = 0;
                while i < rest.len() && !is_space(rest[i]) {
                    i += match rest[i] {
                        b'\\' => 2,
                        // Quoted parts of a pattern may hold blanks (`*"x y"*`).
                        b'\'' => memchr::memchr(b'\'', &rest[i + 1..]).map_or(rest.len(), |at| at + 2),
                        b'"' => {
                            let mut j = i + 1;
                            while j < rest.len() && rest[j] != b'"' {
                                j += if rest[j] == b'\\' { 2 } else { 1 };
                            }
                            j + 1 - i
                        }
                        _ => 1,
                    };
                }
                self.leaf(kind, i.min(rest.len()));
            } else {
                self.test_expression(prec + 1, double);
            }
            self.builder.field_at(right, Field::Right);
            self.builder.finish(mark, Kind::BinaryExpression);
        }
        self.leave();
    }

    /// Whether an operand follows a unary test operator `len` bytes long.
    fn operand_follows(&self, len: usize, double: bool) -> bool {
        let mut at = self.pos + len;
        while at < self.end && matches!(self.src[at], b' ' | b'\t') {
            at += 1;
        }
        if at >= self.end || matches!(self.src[at], b'\n' | b';' | b'&' | b'|') {
            return false;
        }
        let close: &[u8] = if double { b"]]" } else { b"]" };
        !(self.src[at..self.end].starts_with(close) && self.word_ends_at(at + close.len()))
    }

    // ---- arithmetic ----

    /// `$(( ... ))` or `$[ ... ]`.
    pub(super) fn arithmetic_expansion(&mut self) {
        if !self.enter() {
            return;
        }
        let mark = self.builder.mark();
        if self.peek(1) == b'[' {
            self.token(2);
            self.arithmetic(0);
            self.arithmetic_close(b"]");
        } else {
            self.token(3);
            self.arithmetic_list(b"))");
            self.arithmetic_close(b"))");
        }
        self.builder.finish(mark, Kind::ArithmeticExpansion);
        self.leave();
    }

    /// Whether the `((` (or `$((`) whose text starts at `from` is arithmetic: as in bash, only
    /// when the parenthesis matching the second `(` is followed by another `)`; otherwise it
    /// is a subshell inside a subshell or command substitution (`$((cd x; make) | tee)`).
    /// Scans to that parenthesis; nesting is bounded, so the scans take at most
    /// `MAX_DEPTH` times the input.
    pub(super) fn arithmetic_closes(&self, from: usize) -> bool {
        let src = &self.src[..self.end];
        let mut depth = 0usize;
        let mut i = from;
        while i < src.len() {
            match src[i] {
                b'\\' => i += 1,
                b'\'' => i = memchr::memchr(b'\'', &src[i + 1..]).map_or(src.len(), |at| i + 1 + at),
                b'"' => {
                    i += 1;
                    while i < src.len() && src[i] != b'"' {
                        i += if src[i] == b'\\' { 2 } else { 1 };
                    }
                }
                b'(' => depth += 1,
                b')' if depth == 0 => return src.get(i + 1) == Some(&b')'),
                b')' => depth -= 1,
                _ => {}
            }
            i += 1;
        }
        true
    }

    /// `(( ... ))` as a command.
    pub(super) fn arithmetic_command(&mut self) -> bool {
        let mark = self.builder.mark();
        self.token(2);
        self.arithmetic_list(b"))");
        self.arithmetic_close(b"))");
        self.builder.finish(mark, Kind::CompoundStatement);
        true
    }

    /// `for (( init; test; update ))` after `for`, whose node starts at `mark`.
    pub(super) fn c_style_for(&mut self, mark: usize) -> bool {
        self.token(2);
        self.c_style = true;
        for part in 0..3 {
            self.arithmetic_list(if part < 2 { b";" } else { b"))" });
            self.arithmetic_space();
            if part < 2 {
                if matches!(self.peek(0), b';' | b'\n') {
                    if self.peek(0) == b';' {
                        self.token(1);
                    } else {
                        self.pos += 1;
                    }
                } else {
                    self.builder.flag_error();
                }
            }
        }
        self.arithmetic_close(b"))");
        self.c_style = false;
        self.blanks();
        if self.peek(0) == b';' {
            self.token(1);
        }
        self.space();
        if self.peek(0) == b'{' {
            let body = self.builder.mark();
            self.statements_in_braces();
            self.builder.field_at(body, Field::Body);
        } else {
            self.do_group();
        }
        self.builder.finish(mark, Kind::CStyleForStatement);
        true
    }

    fn arithmetic_space(&mut self) {
        loop {
            self.blanks();
            if self.peek(0) == b'\n' && !self.at_end() {
                self.pos += 1;
            } else {
                return;
            }
        }
    }

    /// Expressions separated by commas, up to `close` (not consumed).
    fn arithmetic_list(&mut self, close: &[u8]) {
        loop {
            self.arithmetic_space();
            if self.starts_with(close) || self.at_end() {
                return;
            }
            let before = self.pos;
            self.arithmetic(0);
            self.arithmetic_space();
            if self.peek(0) == b',' {
                self.token(1);
            } else if self.pos == before || !self.starts_with(close) {
                return;
            }
        }
    }

    /// Expect `close`; otherwise everything up to it (or the end) is an error.
    fn arithmetic_close(&mut self, close: &[u8]) {
        self.arithmetic_space();
        if self.starts_with(close) {
            self.token(close.len());
            return;
        }
        let start = self.pos;
        let mut depth = 0usize;
        while !self.at_end() {
            if depth == 0 && self.starts_with(close) {
                break;
            }
            match self.peek(0) {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.pos += 1;
        }
        self.builder.leaf(Kind::Error, start, self.pos);
        if self.starts_with(close) {
            self.token(close.len());
        }
    }

    fn arithmetic_binary(&self) -> Option<(usize, u8)> {
        ARITHMETIC.iter().find(|(op, _)| self.starts_with(op)).map(|(op, prec)| (op.len(), *prec))
    }

    /// One arithmetic expression whose operators bind at least as tightly as `min`.
    fn arithmetic(&mut self, min: u8) {
        if !self.enter() {
            return;
        }
        let mark = self.builder.mark();
        self.arithmetic_space();
        let c = self.peek(0);
        match c {
            b'+' | b'-' if self.peek(1) == c => {
                self.token(2);
                self.builder.field(Field::Operator);
                self.arithmetic(PREFIX);
                self.builder.finish(mark, Kind::UnaryExpression);
            }
            b'+' | b'-' | b'~' | b'!' => {
                self.token(1);
                self.builder.field(Field::Operator);
                self.arithmetic(UNARY);
                self.builder.finish(mark, Kind::UnaryExpression);
            }
            b'(' => {
                self.token(1);
                self.arithmetic(0);
                self.arithmetic_space();
                if self.peek(0) == b')' {
                    self.token(1);
                } else {
                    self.builder.flag_error();
                }
                self.builder.finish(mark, Kind::ParenthesizedExpression);
            }
            b'0'..=b'9' => {
                let len = self.src[self.pos..self.end].iter().take_while(|c| is_name_char(**c) || **c == b'#').count();
                self.leaf(Kind::Number, len);
            }
            c if is_name_start(c) => {
                let len = self.src[self.pos..self.end].iter().take_while(|c| is_name_char(**c)).count();
                if self.c_style {
                    // In `for ((...))` names are words, and `name = value` an assignment.
                    self.leaf(Kind::Word, len);
                    self.arithmetic_space();
                    if self.peek(0) == b'=' && self.peek(1) != b'=' {
                        self.builder.kind_to(mark, Kind::VariableName);
                        self.builder.field(Field::Name);
                        self.token(1);
                        let value = self.builder.mark();
                        self.arithmetic(0);
                        self.builder.field_at(value, Field::Value);
                        self.builder.finish(mark, Kind::VariableAssignment);
                        self.leave();
                        return;
                    }
                } else if self.peek(len) == b'[' {
                    self.subscript(len);
                } else {
                    self.leaf(Kind::VariableName, len);
                }
            }
            b'$' | b'"' | b'\'' | b'`' => self.literal(Context::Command),
            _ => {
                self.leave();
                return;
            }
        }
        loop {
            self.arithmetic_space();
            let c = self.peek(0);
            if matches!(c, b'+' | b'-') && self.peek(1) == c && self.builder.mark() > mark {
                self.token(2);
                self.builder.field(Field::Operator);
                self.builder.finish(mark, Kind::PostfixExpression);
                continue;
            }
            if c == b'?' && TERNARY >= min {
                self.token(1);
                self.arithmetic(0);
                self.arithmetic_space();
                if self.peek(0) == b':' {
                    self.token(1);
                    self.arithmetic(TERNARY);
                } else {
                    self.builder.flag_error();
                }
                self.builder.finish(mark, Kind::TernaryExpression);
                continue;
            }
            let Some((len, prec)) = self.arithmetic_binary() else { break };
            if prec < min || self.builder.mark() == mark {
                break;
            }
            self.builder.field_at(mark, Field::Left);
            self.token(len);
            self.builder.field(Field::Operator);
            let right = self.builder.mark();
            self.arithmetic(prec + 1);
            self.builder.field_at(right, Field::Right);
            self.builder.finish(mark, Kind::BinaryExpression);
        }
        self.leave();
    }

    // Helpers shared with statements.

    fn statements_in_braces(&mut self) {
        let mark = self.builder.mark();
        self.token(1);
        self.statements(false);
        self.space();
        if self.peek(0) == b'}' {
            self.token(1);
        } else {
            self.builder.leaf(Kind::Error, self.pos, self.pos);
        }
        self.builder.finish(mark, Kind::CompoundStatement);
    }
}
