//! Statements: lists, pipelines, simple commands, compound commands, redirects.

use super::tree::{Field, Kind};
use super::{Parser, is_name_char, is_name_start, is_space};

/// Words that close a compound command; a statement list stops before them.
const CLOSERS: [&[u8]; 8] = [b"then", b"elif", b"else", b"fi", b"do", b"done", b"esac", b"}"];

const DECLARATIONS: [&[u8]; 5] = [b"declare", b"typeset", b"export", b"readonly", b"local"];

impl Parser<'_> {
    /// The whole script.
    pub(super) fn program(&mut self) {
        loop {
            self.statements(false);
            if self.at_end() {
                break;
            }
            // A closer nobody opened: `)`, `fi`, `;;` ...
            let len = self.reserved_word().map_or(0, <[u8]>::len).max(usize::from(self.peek(0) == b';') + 1);
            let end = (self.pos + len).min(self.end);
            while self.pos < end {
                self.error_byte();
            }
        }
    }

    /// The reserved word at the current position, if a word starts here and is one.
    fn reserved_word(&self) -> Option<&'static [u8]> {
        const WORDS: [&[u8]; 20] = [
            b"then",
            b"elif",
            b"else",
            b"fi",
            b"do",
            b"done",
            b"esac",
            b"}",
            b"{",
            b"if",
            b"while",
            b"until",
            b"for",
            b"select",
            b"case",
            b"function",
            b"!",
            b"[[",
            b"in",
            b"((",
        ];
        if !matches!(
            self.peek(0),
            b't' | b'e' | b'f' | b'd' | b'}' | b'{' | b'i' | b'w' | b'u' | b's' | b'c' | b'!' | b'[' | b'('
        ) {
            return None;
        }
        WORDS.into_iter().find(|w| self.starts_with(w) && self.word_ends_at(self.pos + w.len()))
    }

    /// Whether a word ending at `at` ends there (a delimiter or the end follows).
    pub(super) fn word_ends_at(&self, at: usize) -> bool {
        // A line continuation joins what follows to the word (`fi\<newline>x` is `fix`).
        let at = self.after_continuations(at);
        at >= self.end
            || is_space(self.src[at])
            || matches!(self.src[at], b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>')
    }

    /// Statements with their terminators until the end, a closing word or bracket (left for
    /// the caller). In a `case` item, `;;` (and `;&`, `;;&`) also ends them.
    pub(super) fn statements(&mut self, case_item: bool) {
        loop {
            self.space();
            if self.at_end() {
                return;
            }
            match self.peek(0) {
                b')' => return,
                b'`' if self.backticks > 0 => return,
                b';' if case_item && matches!(self.peek(1), b';' | b'&') => return,
                b';' => {
                    // A terminator with no statement before it.
                    let len = if self.peek(1) == b';' { 2 } else { 1 };
                    self.builder.leaf(Kind::Error, self.pos, self.pos + len);
                    self.pos += len;
                    continue;
                }
                b'&' if self.peek(1) != b'>' => {
                    self.error_byte();
                    continue;
                }
                _ => {}
            }
            if self.reserved_word().is_some_and(|w| CLOSERS.contains(&w)) {
                return;
            }
            let before = self.pos;
            self.statement();
            if self.pos == before {
                self.error_byte();
                continue;
            }
            self.blanks();
            match self.peek(0) {
                b';' if case_item && matches!(self.peek(1), b';' | b'&') => return,
                b';' if self.peek(1) == b';' => self.token(2),
                b';' => self.token(1),
                b'&' if !matches!(self.peek(1), b'&' | b'>') => self.token(1),
                b'#' | b'\n' => {
                    // A newline ending the statement is a token (the node around it ends
                    // after it, as in tree-sitter-bash), a comment before it is not.
                    if self.peek(0) == b'#' {
                        self.comment();
                    }
                    if self.peek(0) == b'\n' {
                        self.builder.leaf(Kind::Token, self.pos, self.pos + 1);
                        self.newline();
                    }
                }
                _ => {}
            }
        }
    }

    /// One statement: pipelines joined by `&&` and `||` (left-nested lists). Redirects after
    /// a statement's last command wrap all of the statement so far, as in tree-sitter-bash
    /// (`a && b > f` is a redirected list).
    pub(super) fn statement(&mut self) {
        let mark = self.builder.mark();
        let (progress, dangling) = self.pipeline();
        if !progress {
            return;
        }
        if dangling.is_some() {
            self.redirected(mark);
        }
        self.list_tail(mark);
    }

    /// `&& b || c ...` after the statement that starts at stack position `mark`.
    fn list_tail(&mut self, mark: usize) {
        loop {
            self.blanks();
            if !(self.starts_with(b"&&") || self.starts_with(b"||")) {
                return;
            }
            self.token(2);
            self.space();
            let (progress, dangling) = self.pipeline();
            if !progress {
                self.builder.flag_error();
            }
            match dangling {
                Some(at) => {
                    self.builder.finish_range(mark, at, Kind::List);
                    self.redirected(mark);
                }
                None => self.builder.finish(mark, Kind::List),
            }
        }
    }

    /// Wrap everything since `mark` (a statement and its redirects) in a redirected statement.
    fn redirected(&mut self, mark: usize) {
        self.builder.field_at(mark, Field::Body);
        self.builder.finish(mark, Kind::RedirectedStatement);
    }

    /// Commands joined by `|` or `|&`: whether there was a command at all, and where the
    /// redirects after the last one start on the builder's stack, if it has some.
    fn pipeline(&mut self) -> (bool, Option<usize>) {
        let mark = self.builder.mark();
        let before = self.pos;
        let mut dangling = self.pipeline_item();
        if self.pos == before {
            return (false, None);
        }
        let mut item = mark;
        let mut piped = false;
        loop {
            self.blanks();
            if self.peek(0) != b'|' || self.peek(1) == b'|' {
                break;
            }
            if dangling.take().is_some() {
                // `a > f | b`: the redirect belongs to `a`.
                self.redirected(item);
            }
            self.token(if self.peek(1) == b'&' { 2 } else { 1 });
            self.space();
            item = self.builder.mark();
            let before = self.pos;
            dangling = self.pipeline_item();
            if self.pos == before {
                self.builder.flag_error();
            }
            piped = true;
        }
        if piped {
            match dangling {
                Some(at) => {
                    self.builder.finish_range(mark, at, Kind::Pipeline);
                    dangling = Some(mark + 1);
                }
                None => self.builder.finish(mark, Kind::Pipeline),
            }
        }
        (true, dangling)
    }

    /// A command of a pipeline, with `!`; where its trailing redirects start, if any.
    fn pipeline_item(&mut self) -> Option<usize> {
        if !self.enter() {
            return None;
        }
        let mark = self.builder.mark();
        if self.peek(0) == b'!' && self.word_ends_at(self.pos + 1) {
            self.token(1);
            self.blanks();
            let inner = self.builder.mark();
            if self.pipeline_item().is_some() {
                self.redirected(inner);
            }
            self.builder.finish(mark, Kind::NegatedCommand);
            self.leave();
            return None;
        }
        let compound = match self.reserved_word() {
            Some(b"if") => self.if_statement(),
            Some(b"while" | b"until") => self.while_statement(),
            Some(b"for" | b"select") => self.for_statement(),
            Some(b"case") => self.case_statement(),
            Some(b"{") => self.brace_group(),
            Some(b"function") => self.function_definition(),
            Some(b"[[") => self.test_command(),
            _ if self.starts_with(b"((") && self.arithmetic_closes(self.pos + 2) => self.arithmetic_command(),
            _ if self.peek(0) == b'[' && self.word_ends_at(self.pos + 1) => self.test_command(),
            _ if self.peek(0) == b'(' => self.subshell(Kind::Subshell),
            _ => false,
        };
        let dangling = if compound { self.trailing_redirects() } else { self.simple_command(mark) };
        self.leave();
        dangling
    }

    /// Redirects after a compound command: where they start on the stack, if any.
    fn trailing_redirects(&mut self) -> Option<usize> {
        let at = self.builder.mark();
        loop {
            self.blanks();
            if !self.redirect() {
                break;
            }
            self.builder.field(Field::Redirect);
        }
        (self.builder.mark() > at).then_some(at)
    }

    /// Whether the current position ends a simple command.
    fn at_command_end(&self) -> bool {
        match self.peek(0) {
            0 if self.at_end() => true,
            b'\n' | b';' | b'|' | b')' | b'#' => true,
            b'&' => self.peek(1) != b'>',
            b'`' => self.backticks > 0,
            _ => false,
        }
    }

    /// Parse a redirect if one starts here (not a here-string in argument position, which
    /// the caller handles); true if one was parsed.
    pub(super) fn redirect(&mut self) -> bool {
        let digits = self.src[self.pos..self.end].iter().take_while(|c| c.is_ascii_digit()).count();
        let op = self.pos + digits;
        let (src, end) = (self.src, self.end);
        let at = move |k: usize| if op + k < end { src[op + k] } else { 0 };
        let len = match (at(0), at(1), at(2)) {
            (b'<', b'(', _) | (b'>', b'(', _) => return false,
            (b'<', b'<', b'<') => return self.herestring(digits),
            (b'<', b'<', _) => return self.heredoc_redirect(digits),
            (b'&', b'>', b'>') => 3,
            (b'&', b'>', _) => 2,
            (b'>', b'>', _) | (b'<', b'&', _) | (b'>', b'&', _) | (b'>', b'|', _) | (b'<', b'>', _) => 2,
            (b'<', _, _) | (b'>', _, _) => 1,
            _ => return false,
        };
        if at(0) == b'&' && digits > 0 {
            return false;
        }
        let mark = self.builder.mark();
        if digits > 0 {
            self.leaf(Kind::FileDescriptor, digits);
            self.builder.field(Field::Descriptor);
        }
        // `>&-` closes the descriptor: no word follows (a word after it is an argument).
        let closes = matches!((at(0), at(1), at(2)), (b'<' | b'>', b'&', b'-')) && self.word_ends_at(op + 3);
        self.token(if closes { 3 } else { len });
        self.blanks();
        if closes {
        } else if !self.at_command_end() && !matches!(self.peek(0), b'<' | b'>') || matches!(self.peek(1), b'(') {
            self.literal(super::words::Context::Command);
            self.builder.field(Field::Destination);
        } else {
            self.builder.flag_error();
        }
        self.builder.finish(mark, Kind::FileRedirect);
        true
    }

    fn herestring(&mut self, digits: usize) -> bool {
        let mark = self.builder.mark();
        if digits > 0 {
            self.leaf(Kind::FileDescriptor, digits);
            self.builder.field(Field::Descriptor);
        }
        self.token(3);
        self.blanks();
        if self.at_command_end() {
            self.builder.flag_error();
        } else {
            self.literal(super::words::Context::Command);
        }
        self.builder.finish(mark, Kind::HerestringRedirect);
        true
    }

    /// Whether an assignment (`NAME=`, `NAME+=`, `NAME[...]=`) starts here; its name's length.
    /// Before a command the subscript may hold blanks (`a[ 1 ]=x`, as bash reads it); in the
    /// arguments of `export` and the like it may not, which also keeps the scan for `]`
    /// within one word (`export a[ a[ a[ ...` would rescan the line for every word).
    fn assignment_name(&self, blanks_in_subscript: bool) -> Option<usize> {
        let rest = &self.src[self.pos..self.end];
        if !rest.first().copied().is_some_and(is_name_start) {
            return None;
        }
        let name = rest.iter().take_while(|c| is_name_char(**c)).count();
        let mut i = name;
        if rest.get(i) == Some(&b'[') {
            // A subscript: up to the matching `]` on this line.
            let mut depth = 0usize;
            while let Some(&c) = rest.get(i) {
                match c {
                    b'[' => depth += 1,
                    b']' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    b'\n' => return None,
                    c if !blanks_in_subscript && is_space(c) => return None,
                    _ => {}
                }
                i += 1;
            }
            i += 1;
        }
        match (rest.get(i), rest.get(i + 1)) {
            (Some(b'='), _) | (Some(b'+'), Some(b'=')) => Some(name),
            _ => None,
        }
    }

    /// `NAME=value`, `NAME+=value`, `NAME[i]=value`, `NAME=(a b)`.
    fn variable_assignment(&mut self, name: usize) {
        let mark = self.builder.mark();
        if self.peek(name) == b'[' {
            self.subscript(name);
        } else {
            self.leaf(Kind::VariableName, name);
        }
        self.builder.field(Field::Name);
        self.token(if self.peek(0) == b'+' { 2 } else { 1 });
        match self.peek(0) {
            b'(' => {
                self.array();
                self.builder.field(Field::Value);
            }
            0 if self.at_end() => {}
            c if is_space(c) || matches!(c, b';' | b'&' | b'|' | b')') => {}
            b'`' if self.backticks > 0 => {}
            _ => {
                self.literal(super::words::Context::Command);
                self.builder.field(Field::Value);
            }
        }
        self.builder.finish(mark, Kind::VariableAssignment);
    }

    /// `NAME[index]`, with `NAME` `name` bytes long.
    pub(super) fn subscript(&mut self, name: usize) {
        let mark = self.builder.mark();
        self.leaf(Kind::VariableName, name);
        self.builder.field(Field::Name);
        self.token(1);
        if self.peek(0) != b']' {
            self.literal(super::words::Context::Subscript);
            self.builder.field(Field::Index);
        }
        if self.peek(0) == b']' {
            self.token(1);
        } else {
            self.builder.flag_error();
        }
        self.builder.finish(mark, Kind::Subscript);
    }

    /// `( word ... )` after `=`.
    fn array(&mut self) {
        let mark = self.builder.mark();
        self.token(1);
        loop {
            self.space();
            match self.peek(0) {
                b')' => {
                    self.token(1);
                    break;
                }
                0 if self.at_end() => {
                    self.builder.flag_error();
                    break;
                }
                _ => {
                    let before = self.pos;
                    self.literal(super::words::Context::Array);
                    if self.pos == before {
                        self.error_byte();
                    }
                }
            }
        }
        self.builder.finish(mark, Kind::Array);
    }

    /// A simple command, a declaration, assignments alone, or a function definition.
    fn simple_command(&mut self, mark: usize) -> Option<usize> {
        if let Some(len) = self.function_name() {
            self.function_body(mark, len);
            return None;
        }
        let mut assignments = 0;
        let mut redirects = 0;
        loop {
            self.blanks();
            if let Some(name) = self.assignment_name(true) {
                self.variable_assignment(name);
                assignments += 1;
            } else if self.redirect() {
                self.builder.field(Field::Redirect);
                redirects += 1;
            } else {
                break;
            }
        }
        if self.at_command_end()
            || (assignments + redirects > 0 && self.reserved_word().is_some_and(|w| CLOSERS.contains(&w)))
        {
            match (assignments, redirects) {
                (0, 0) => {}
                (1, 0) => {}
                (_, 0) => self.builder.finish(mark, Kind::VariableAssignments),
                (0, _) => self.builder.finish(mark, Kind::RedirectedStatement),
                _ => self.builder.finish(mark, Kind::Command),
            }
            return None;
        }
        if assignments + redirects == 0 {
            let keyword =
                DECLARATIONS.into_iter().find(|k| self.starts_with(k) && self.word_ends_at(self.pos + k.len()));
            if let Some(keyword) = keyword {
                return self.declaration(mark, keyword.len(), true);
            }
            for keyword in [&b"unset"[..], b"unsetenv"] {
                if self.starts_with(keyword) && self.word_ends_at(self.pos + keyword.len()) {
                    return self.declaration(mark, keyword.len(), false);
                }
            }
        }
        let name = self.builder.mark();
        self.literal(super::words::Context::Command);
        self.builder.finish(name, Kind::CommandName);
        self.builder.field(Field::Name);
        self.arguments(mark, Kind::Command)
    }

    /// The words after a command's name. Redirects at the end make a redirected statement
    /// around the command (as tree-sitter-bash); a redirect followed by more words stays in
    /// the command, with the words as arguments (the shell's reading; tree-sitter-bash takes
    /// the words as further redirect destinations).
    fn arguments(&mut self, mark: usize, kind: Kind) -> Option<usize> {
        let mut trailing: Option<usize> = None;
        loop {
            self.blanks();
            if self.at_command_end() {
                break;
            }
            if self.starts_with(b"<<<")
                || self.peek(0).is_ascii_digit() && {
                    let digits = self.src[self.pos..self.end].iter().take_while(|c| c.is_ascii_digit()).count();
                    self.src[self.pos + digits..self.end].starts_with(b"<<<")
                }
            {
                trailing = None;
                self.redirect();
                self.builder.field(Field::Redirect);
                continue;
            }
            let at = self.builder.mark();
            if self.redirect() {
                self.builder.field(Field::Redirect);
                trailing.get_or_insert(at);
                continue;
            }
            let before = self.pos;
            self.literal(super::words::Context::Command);
            if self.pos == before {
                if self.peek(0) == b'(' {
                    // `word (`: a syntax error in the shell (PowerShell, cmd scripts).
                    self.error_byte();
                    continue;
                }
                break;
            }
            if kind == Kind::Command {
                // All of it: `$"..."` is a `$` and a string.
                self.builder.field_from(at, Field::Argument);
            }
            trailing = None;
        }
        self.finish_with_redirects(mark, kind, trailing)
    }

    /// Finish a command whose trailing redirects (if any) start at stack position `trailing`;
    /// they are left after it, for the statement to wrap.
    fn finish_with_redirects(&mut self, mark: usize, kind: Kind, trailing: Option<usize>) -> Option<usize> {
        match trailing {
            Some(at) => {
                self.builder.finish_range(mark, at, kind);
                Some(mark + 1)
            }
            None => {
                self.builder.finish(mark, kind);
                None
            }
        }
    }

    /// `export A=1 B`, `unset A`: assignments and names become nodes of their own.
    fn declaration(&mut self, mark: usize, keyword: usize, assignments: bool) -> Option<usize> {
        self.token(keyword);
        let mut trailing: Option<usize> = None;
        loop {
            self.blanks();
            if self.at_command_end() {
                break;
            }
            let at = self.builder.mark();
            if self.redirect() {
                trailing.get_or_insert(at);
                continue;
            }
            trailing = None;
            if assignments && let Some(name) = self.assignment_name(false) {
                self.variable_assignment(name);
                continue;
            }
            let name = self.src[self.pos..self.end].iter().take_while(|c| is_name_char(**c)).count();
            if name > 0 && self.word_ends_at(self.pos + name) {
                self.leaf(Kind::VariableName, name);
                continue;
            }
            let before = self.pos;
            self.literal(super::words::Context::Command);
            if self.pos == before {
                break;
            }
        }
        let kind = if assignments { Kind::DeclarationCommand } else { Kind::UnsetCommand };
        self.finish_with_redirects(mark, kind, trailing)
    }

    /// `name()` / `name ()` at the current position: the name's length.
    fn function_name(&self) -> Option<usize> {
        let rest = &self.src[self.pos..self.end];
        let name = rest.iter().take_while(|c| !super::is_special(**c) && **c != b'#').count();
        if name == 0 {
            return None;
        }
        let mut i = name;
        while matches!(rest.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if rest.get(i) != Some(&b'(') {
            return None;
        }
        i += 1;
        while matches!(rest.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        (rest.get(i) == Some(&b')')).then_some(name)
    }

    /// `function name [()] body`.
    fn function_definition(&mut self) -> bool {
        let mark = self.builder.mark();
        self.token(8);
        self.blanks();
        let name = self.src[self.pos..self.end].iter().take_while(|c| !super::is_special(**c)).count();
        if name == 0 {
            self.builder.flag_error();
            self.builder.finish(mark, Kind::FunctionDefinition);
            return true;
        }
        self.leaf(Kind::Word, name);
        self.builder.field(Field::Name);
        self.blanks();
        if self.peek(0) == b'(' {
            let save = self.pos;
            self.pos += 1;
            self.blanks();
            if self.peek(0) == b')' {
                self.pos = save;
                self.token(1);
                self.blanks();
                self.token(1);
            } else {
                self.pos = save;
            }
        }
        self.function_rest(mark);
        true
    }

    /// `name() body` with the name `len` bytes long.
    fn function_body(&mut self, mark: usize, len: usize) {
        self.leaf(Kind::Word, len);
        self.builder.field(Field::Name);
        self.blanks();
        self.token(1);
        self.blanks();
        self.token(1);
        self.function_rest(mark);
    }

    fn function_rest(&mut self, mark: usize) {
        self.space();
        let body = self.builder.mark();
        let parsed = match self.reserved_word() {
            Some(b"{") => self.brace_group(),
            Some(b"if") => self.if_statement(),
            Some(b"[[") => self.test_command(),
            _ if self.peek(0) == b'(' => self.subshell(Kind::Subshell),
            _ => false,
        };
        if parsed {
            self.builder.field_at(body, Field::Body);
            self.blanks();
            let at = self.builder.mark();
            if self.redirect() {
                self.builder.field_at(at, Field::Redirect);
            }
        } else {
            self.builder.flag_error();
        }
        self.builder.finish(mark, Kind::FunctionDefinition);
    }

    /// Expect a closing word; an error (nothing consumed) when it is missing.
    fn close(&mut self, word: &[u8]) -> bool {
        self.space();
        if self.starts_with(word) && self.word_ends_at(self.pos + word.len()) {
            self.token(word.len());
            true
        } else {
            self.builder.leaf(super::tree::Kind::Error, self.pos, self.pos);
            false
        }
    }

    fn brace_group(&mut self) -> bool {
        let mark = self.builder.mark();
        self.token(1);
        self.statements(false);
        self.close(b"}");
        self.builder.finish(mark, Kind::CompoundStatement);
        true
    }

    /// `( ... )`; also the body of `$( ... )` and `<( ... )` with their own kinds.
    pub(super) fn subshell(&mut self, kind: Kind) -> bool {
        let mark = self.builder.mark();
        self.token(if kind == Kind::Subshell { 1 } else { 2 });
        self.statements(false);
        self.space();
        if self.peek(0) == b')' {
            self.token(1);
        } else {
            self.builder.leaf(Kind::Error, self.pos, self.pos);
        }
        self.builder.finish(mark, kind);
        true
    }

    fn if_statement(&mut self) -> bool {
        let mark = self.builder.mark();
        self.token(2);
        let condition = self.builder.mark();
        self.statements(false);
        self.builder.field_from(condition, Field::Condition);
        if self.close(b"then") {
            self.statements(false);
        }
        loop {
            self.space();
            let clause = self.builder.mark();
            if self.starts_with(b"elif") && self.word_ends_at(self.pos + 4) {
                self.token(4);
                self.statements(false);
                if self.close(b"then") {
                    self.statements(false);
                }
                self.builder.finish(clause, Kind::ElifClause);
            } else if self.starts_with(b"else") && self.word_ends_at(self.pos + 4) {
                self.token(4);
                self.statements(false);
                self.builder.finish(clause, Kind::ElseClause);
            } else {
                break;
            }
        }
        self.close(b"fi");
        self.builder.finish(mark, Kind::IfStatement);
        true
    }

    fn while_statement(&mut self) -> bool {
        let mark = self.builder.mark();
        self.token(5);
        let condition = self.builder.mark();
        self.statements(false);
        self.builder.field_from(condition, Field::Condition);
        self.do_group();
        self.builder.finish(mark, Kind::WhileStatement);
        true
    }

    pub(super) fn do_group(&mut self) {
        self.space();
        let mark = self.builder.mark();
        if self.close(b"do") {
            self.statements(false);
            self.close(b"done");
        }
        self.builder.finish(mark, Kind::DoGroup);
        self.builder.field(Field::Body);
    }

    fn for_statement(&mut self) -> bool {
        let mark = self.builder.mark();
        let keyword = if self.peek(0) == b'f' { 3 } else { 6 };
        self.token(keyword);
        self.blanks();
        if keyword == 3 && self.starts_with(b"((") {
            return self.c_style_for(mark);
        }
        let name = self.src[self.pos..self.end].iter().take_while(|c| is_name_char(**c)).count();
        if name == 0 {
            self.builder.flag_error();
        } else {
            self.leaf(Kind::VariableName, name);
            self.builder.field(Field::Variable);
        }
        self.space();
        if self.starts_with(b"in") && self.word_ends_at(self.pos + 2) {
            self.token(2);
            loop {
                self.blanks();
                if self.at_command_end() {
                    break;
                }
                let before = self.pos;
                self.literal(super::words::Context::Command);
                if self.pos == before {
                    self.error_byte();
                    continue;
                }
                self.builder.field(Field::Value);
            }
        }
        self.blanks();
        match self.peek(0) {
            b';' => self.token(1),
            b'&' => self.token(1),
            _ => {}
        }
        self.do_group();
        self.builder.finish(mark, Kind::ForStatement);
        true
    }

    fn case_statement(&mut self) -> bool {
        let mark = self.builder.mark();
        self.token(4);
        self.blanks();
        self.literal(super::words::Context::Command);
        self.builder.field(Field::Value);
        self.space();
        if self.peek(0) == b';' {
            self.token(1);
            self.space();
        }
        if !self.close(b"in") {
            self.builder.finish(mark, Kind::CaseStatement);
            return true;
        }
        loop {
            self.space();
            if self.at_end() || self.starts_with(b"esac") && self.word_ends_at(self.pos + 4) {
                break;
            }
            let before = self.pos;
            self.case_item();
            if self.pos == before {
                self.error_byte();
            }
        }
        self.close(b"esac");
        self.builder.finish(mark, Kind::CaseStatement);
        true
    }

    fn case_item(&mut self) {
        let mark = self.builder.mark();
        if self.peek(0) == b'(' {
            self.token(1);
        }
        loop {
            self.blanks();
            let before = self.pos;
            self.literal(super::words::Context::Pattern);
            if self.pos == before {
                break;
            }
            self.builder.field(Field::Value);
            self.blanks();
            if self.peek(0) == b'|' {
                self.token(1);
            } else {
                break;
            }
        }
        self.blanks();
        if self.peek(0) == b')' {
            self.token(1);
            self.statements(true);
            self.space();
            if self.starts_with(b";;&") {
                self.token(3);
            } else if self.starts_with(b";;") || self.starts_with(b";&") {
                self.token(2);
            }
        } else {
            self.builder.leaf(Kind::Error, self.pos, self.pos);
            // Skip to the end of the line to make progress.
            while !self.at_end() && self.peek(0) != b'\n' {
                self.error_byte();
            }
        }
        self.builder.finish(mark, Kind::CaseItem);
    }
}
