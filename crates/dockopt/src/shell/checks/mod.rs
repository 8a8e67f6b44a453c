//! ShellCheck's most frequent checks on Dockerfiles, done on the tree the shell module has
//! already parsed: one walk of each script, in the order it runs, with the variables' values
//! followed along (see `flow`). Each check keeps ShellCheck's code and reports where ShellCheck
//! does, so that users with and without the binary see the same finding. Which checks: those
//! that make nine in ten of the binary's findings on real Dockerfiles (measured by the test
//! `native_checks_agree_with_the_binary` in `lint::shellcheck`).

mod flow;
mod parts;

use std::collections::HashMap;
use std::ops::Range;

use crate::shell::syntax::Node;

use flow::{Space, State};
use parts::{Parts, braced_reference, command_basename, literal_text};

/// The codes of the checks done here.
pub const CODES: [&str; 7] = ["SC1007", "SC2016", "SC2028", "SC2043", "SC2046", "SC2086", "SC2155"];

/// A finding of one of ShellCheck's checks, at its range in the Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: u16,
    pub range: Range<usize>,
}

/// The shells ShellCheck tells apart, as far as these checks care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sh,
    Bash,
    Dash,
    Ksh,
    Busybox,
}

impl Dialect {
    /// The dialect of a shell program (`/bin/bash` -> Bash); `None` for shells ShellCheck
    /// does not read (PowerShell, cmd, zsh ...).
    pub fn of_program(program: &str) -> Option<Dialect> {
        let name = program.rsplit(['/', '\\']).next().unwrap_or(program).to_ascii_lowercase();
        Some(match name.as_str() {
            "sh" => Dialect::Sh,
            "bash" => Dialect::Bash,
            "dash" => Dialect::Dash,
            "ksh" => Dialect::Ksh,
            "ash" | "busybox" => Dialect::Busybox,
            _ => return None,
        })
    }
}

/// What the Dockerfile tells about the shell a script runs in.
pub struct Environment<'a> {
    pub dialect: Dialect,
    /// Whether the Dockerfile gives this variable (ARG, ENV, Docker's proxy variables).
    pub given: &'a dyn Fn(&str) -> bool,
}

/// Nesting beyond which a script is not checked further: the walk recurses, and a script
/// must never overflow the stack.
const MAX_DEPTH: usize = 200;

/// Nodes one script's walk may visit (loop bodies and called functions are walked more than
/// once): a bound on the time any script can take. Real scripts need a few thousand.
const MAX_STEPS: usize = 1_000_000;

/// Run the checks on a parsed script.
/// Ranges are in the script's own offsets.
pub fn run(root: Node, text: &str, env: &Environment) -> Vec<Finding> {
    let mut checker = Checker {
        text,
        env,
        found: Vec::new(),
        depth: 0,
        steps: 0,
        quiet: 0,
        functions: 0,
        defined: HashMap::new(),
        calls: Vec::new(),
    };
    let mut state = State::new(env.given);
    checker.statement(root, &mut state);
    checker.found.sort_by_key(|f| (f.range.start, f.code));
    checker.found.dedup();
    checker.found
}

/// Where a word is, for the checks that depend on it.
#[derive(Clone, Copy)]
struct Place<'t> {
    /// The shell does not split or glob here (`[[ ]]`, assignments, `case`, inside quotes ...).
    quote_free: bool,
    /// The word is the command being run (`$CMD args`).
    command_name: bool,
    /// The program of the enclosing command, as ShellCheck names it for SC2016.
    program: Option<&'t str>,
    /// Single quotes are expected here (`PS1='$PWD'`, `[ -v 'a[$i]' ]`).
    literal_expected: bool,
}

impl Place<'_> {
    const ARGUMENT: Place<'static> =
        Place { quote_free: false, command_name: false, program: None, literal_expected: false };
}

struct Checker<'a> {
    text: &'a str,
    env: &'a Environment<'a>,
    found: Vec<Finding>,
    depth: usize,
    /// Nodes visited so far (see `MAX_STEPS`).
    steps: usize,
    /// Above zero while a loop body is walked only to learn its effect on variables.
    quiet: usize,
    /// Above zero inside a function body.
    functions: usize,
    /// The functions defined so far, by name: their bodies.
    defined: HashMap<&'a str, Node<'a>>,
    /// The functions being called (innermost last), with the variables each made `local`.
    calls: Vec<(&'a str, Vec<String>)>,
}

impl<'a> Checker<'a> {
    fn src(&self, node: Node) -> &'a str {
        &self.text[node.byte_range()]
    }

    fn report(&mut self, code: u16, range: Range<usize>) {
        if self.quiet == 0 {
            self.found.push(Finding { code, range });
        }
    }

    /// Walk a statement, updating `state` with what it assigns.
    fn statement(&mut self, node: Node<'a>, state: &mut State) {
        self.steps += 1;
        if self.depth >= MAX_DEPTH || self.steps > MAX_STEPS {
            return;
        }
        self.depth += 1;
        self.statement_inner(node, state);
        self.depth -= 1;
    }

    fn statement_inner(&mut self, node: Node<'a>, state: &mut State) {
        match node.kind() {
            "command" => self.command(node, state),
            "declaration_command" => self.declaration(node, state),
            "variable_assignment" => {
                self.empty_assignment_before_word(node);
                self.assignment(node, state, true, true);
            }
            "variable_assignments" => {
                for child in node.named_children() {
                    if child.kind() == "variable_assignment" {
                        self.empty_assignment_before_word(child);
                        self.assignment(child, state, true, true);
                    }
                }
            }
            "unset_command" => {
                for child in node.named_children() {
                    if matches!(child.kind(), "word" | "variable_name") {
                        state.set(self.src(child), Space::Empty);
                    }
                }
            }
            "redirected_statement" => {
                for child in node.named_children() {
                    if is_redirect(child.kind()) {
                        self.redirect(child, state);
                    } else {
                        self.statement(child, state);
                    }
                }
            }
            "list" => self.list(node, state),
            "pipeline" => {
                let parts: Vec<Node> = node.named_children().collect();
                // Every part of a pipeline runs in a subshell: what it assigns is lost.
                for part in parts {
                    let mut inner = state.clone();
                    self.statement(part, &mut inner);
                }
            }
            "subshell" => {
                let mut inner = state.clone();
                self.statements(node, &mut inner);
            }
            "compound_statement" if first_token(node) == Some("((") => self.arithmetic(node, state),
            "if_statement" => self.if_statement(node, state),
            "for_statement" => self.for_statement(node, state),
            "c_style_for_statement" | "while_statement" => self.loop_statement(node, state),
            "case_statement" => self.case_statement(node, state),
            "function_definition" => {
                // The body runs when the function is called, with whatever values then hold;
                // it is checked once, from here, and its effects applied at each call.
                if let (Some(name), Some(body)) = (node.child_by_field_name("name"), node.child_by_field_name("body")) {
                    self.defined.insert(self.src(name), body);
                }
                self.functions += 1;
                let mut inner = state.clone();
                self.statements(node, &mut inner);
                self.functions -= 1;
            }
            "test_command" => {
                let quote_free = first_token(node) == Some("[[");
                let place = Place { quote_free, ..Place::ARGUMENT };
                for child in node.named_children() {
                    self.word(child, place, state);
                }
            }
            "comment" | "heredoc_body" => {}
            _ => self.statements(node, state),
        }
    }

    fn statements(&mut self, node: Node<'a>, state: &mut State) {
        let children: Vec<Node> = node.named_children().collect();
        for child in children {
            if is_redirect(child.kind()) {
                self.redirect(child, state);
            } else if is_word(child.kind()) {
                self.word(child, Place::ARGUMENT, state);
            } else {
                self.statement(child, state);
            }
        }
    }

    /// `a && b || c`: the first always runs, each later one maybe. The grammar nests lists to
    /// the left; they are walked in a loop, so a long chain needs no deep recursion.
    fn list(&mut self, node: Node<'a>, state: &mut State) {
        let mut chain = Vec::new();
        let mut current = node;
        while current.kind() == "list" {
            let named: Vec<Node> = current.named_children().filter(|c| c.kind() != "comment").collect();
            match named.as_slice() {
                [left, rest @ ..] => {
                    chain.extend(rest.iter().rev().copied());
                    current = *left;
                }
                [] => break,
            }
        }
        self.statement(current, state);
        for later in chain.into_iter().rev() {
            let mut maybe = state.clone();
            self.statement(later, &mut maybe);
            state.merge(&maybe);
        }
    }

    /// Apply what calling a defined function does to the variables: its body runs quietly
    /// (it was checked where it was defined); what it made `local` is restored afterwards.
    fn call(&mut self, name: &'a str, state: &mut State) {
        let Some(body) = self.defined.get(name).copied() else { return };
        // Recursion, and calls nested deeper than real scripts go, are not followed.
        if self.calls.len() >= 8 || self.calls.iter().any(|(n, _)| *n == name) {
            return;
        }
        let before = state.clone();
        self.calls.push((name, Vec::new()));
        self.quiet += 1;
        self.functions += 1;
        self.statement(body, state);
        self.functions -= 1;
        self.quiet -= 1;
        let (_, locals) = self.calls.pop().unwrap_or_default();
        for local in locals {
            state.restore(&local, before.own(&local));
        }
        // `return` ends the function, not the script.
        state.dead = before.dead;
    }

    fn if_statement(&mut self, node: Node<'a>, state: &mut State) {
        // The conditions run in turn; each body maybe; with no `else`, maybe none.
        let mut outcomes: Vec<State> = Vec::new();
        let mut has_else = false;
        let mut clauses = vec![node];
        clauses.extend(node.named_children().filter(|c| matches!(c.kind(), "elif_clause" | "else_clause")));
        for clause in clauses {
            let all: Vec<Node> = clause.children().collect();
            let then = all.iter().position(|c| !c.is_named() && c.kind() == "then");
            let is_statement =
                |c: &&Node| c.is_named() && !matches!(c.kind(), "elif_clause" | "else_clause" | "comment");
            let (conditions, body): (Vec<Node>, Vec<Node>) = match then {
                Some(at) => (
                    all[..at].iter().filter(is_statement).copied().collect(),
                    all[at..].iter().filter(is_statement).copied().collect(),
                ),
                None => {
                    has_else = true;
                    (Vec::new(), all.iter().filter(is_statement).copied().collect())
                }
            };
            for condition in conditions {
                self.statement(condition, state);
            }
            let mut branch = state.clone();
            for statement in body {
                self.statement(statement, &mut branch);
            }
            outcomes.push(branch);
        }
        if has_else {
            let mut merged = state.unreached();
            outcomes.iter().for_each(|o| merged.merge(o));
            *state = merged;
        } else {
            outcomes.iter().for_each(|o| state.merge(o));
        }
    }

    fn for_statement(&mut self, node: Node<'a>, state: &mut State) {
        let variable = node.child_by_field_name("variable").map(|v| self.src(v));
        let values: Vec<Node> = node.children_by_field_name("value").collect();
        // The words after `in` are split on purpose: no quoting advice there.
        let place = Place { quote_free: true, ..Place::ARGUMENT };
        for value in &values {
            self.word(*value, place, state);
        }
        if let [single] = values.as_slice() {
            self.loop_runs_once(*single);
        }
        let space = if values.is_empty() || values.iter().any(|v| self.will_split(*v)) {
            Space::Dirty
        } else {
            values.iter().map(|v| self.value_space(Some(*v), state)).reduce(Space::merge).unwrap_or(Space::Dirty)
        };
        let mut entry = state.clone();
        if let Some(name) = variable {
            entry.set(name, space);
        }
        let Some(body) = node.child_by_field_name("body") else { return };
        self.loop_body(body, &entry, state);
    }

    fn loop_statement(&mut self, node: Node<'a>, state: &mut State) {
        let parts: Vec<Node> = node.named_children().collect();
        let (body, head): (Vec<Node>, Vec<Node>) = parts.into_iter().partition(|p| p.kind() == "do_group");
        for part in head {
            if node.kind() == "c_style_for_statement" {
                self.arithmetic(part, state);
            } else {
                self.statement(part, state);
            }
        }
        if let Some(body) = body.first() {
            let entry = state.clone();
            self.loop_body(*body, &entry, state);
        }
    }

    /// A loop body runs zero or more times: it is walked once quietly to learn what it
    /// assigns, then again, reporting, with the values of both the first and later rounds.
    fn loop_body(&mut self, body: Node<'a>, entry: &State, state: &mut State) {
        // Inside a pass that only learns, one walk is enough: nested loops stay linear.
        if self.quiet > 0 {
            let mut after = entry.clone();
            self.statement(body, &mut after);
            state.merge(&after);
            return;
        }
        let mut first = entry.clone();
        self.quiet += 1;
        self.statement(body, &mut first);
        self.quiet -= 1;
        let mut rounds = entry.clone();
        rounds.merge(&first);
        let mut after = rounds.clone();
        self.statement(body, &mut after);
        state.merge(&rounds);
        state.merge(&after);
    }

    fn case_statement(&mut self, node: Node<'a>, state: &mut State) {
        let quote_free = Place { quote_free: true, ..Place::ARGUMENT };
        if let Some(value) = node.child_by_field_name("value") {
            self.word(value, quote_free, state);
        }
        let mut outcomes = Vec::new();
        let mut catch_all = false;
        for item in node.named_children().filter(|c| c.kind() == "case_item") {
            let mut branch = state.clone();
            for pattern in item.children_by_field_name("value") {
                catch_all |= self.src(pattern) == "*";
                self.word(pattern, quote_free, state);
            }
            let body: Vec<Node> = item
                .named_children()
                .filter(|n| n.kind() != "comment" && item.child_by_field_name("value") != Some(*n))
                .filter(|n| !is_word(n.kind()))
                .collect();
            for statement in body {
                self.statement(statement, &mut branch);
            }
            outcomes.push(branch);
        }
        if catch_all {
            let mut merged = state.unreached();
            outcomes.iter().for_each(|o| merged.merge(o));
            *state = merged;
        } else {
            outcomes.iter().for_each(|o| state.merge(o));
        }
    }

    /// `(( ... ))` and `$(( ... ))`: no splitting inside, and what they assign is a number.
    fn arithmetic(&mut self, node: Node<'a>, state: &mut State) {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "command_substitution" | "simple_expansion" | "expansion" => {
                    self.word(n, Place { quote_free: true, ..Place::ARGUMENT }, state);
                    continue;
                }
                "postfix_expression" | "unary_expression" | "binary_expression" => {
                    let assigns = n.child_by_field_name("operator").map(|o| self.src(o)).is_some_and(|op| {
                        matches!(op, "++" | "--") || (op.ends_with('=') && !matches!(op, "==" | "!=" | "<=" | ">="))
                    }) || (n.kind() != "binary_expression"
                        && (self.src(n).starts_with("++")
                            || self.src(n).starts_with("--")
                            || self.src(n).ends_with("++")
                            || self.src(n).ends_with("--")));
                    let target = n.child_by_field_name("left").or_else(|| n.named_child(0));
                    if let Some(target) = target.filter(|t| assigns && t.kind() == "variable_name") {
                        state.set(self.src(target), Space::Clean);
                    }
                }
                _ => {}
            }
            stack.extend(n.named_children());
        }
    }

    fn redirect(&mut self, node: Node<'a>, state: &mut State) {
        for child in node.named_children() {
            if child.kind() != "file_descriptor" && child.kind() != "heredoc_body" {
                self.word(child, Place::ARGUMENT, state);
            }
        }
    }

    fn command(&mut self, node: Node<'a>, state: &mut State) {
        let children: Vec<Node> = node.named_children().collect();
        let name = children.iter().find(|c| c.kind() == "command_name").and_then(|c| c.named_child(0));
        let args: Vec<Node> = match children.iter().position(|c| c.kind() == "command_name") {
            Some(at) => children[at + 1..].iter().copied().filter(|c| c.kind() != "comment").collect(),
            None => Vec::new(),
        };
        let (program, runs) = command_basename(name, &args, self.text);
        let shown = parts::program_for_single_quotes(program, name, &args, self.text);

        // Assignments before the command hold only for it.
        for child in children.iter().filter(|c| c.kind() == "variable_assignment") {
            self.empty_assignment_before_word(*child);
            let mut scratch = state.clone();
            self.assignment_with(*child, &mut scratch, false, true, shown);
        }
        if let Some(name) = name {
            self.word(name, Place { command_name: true, program: shown, ..Place::ARGUMENT }, state);
        }
        let echo_escapes = program == Some("echo")
            && matches!(self.env.dialect, Dialect::Sh | Dialect::Bash | Dialect::Ksh)
            && !args.iter().any(|a| {
                let t = self.src(*a);
                t.starts_with('-') && t.len() > 1 && t[1..].chars().all(|c| c.is_ascii_alphabetic()) && t.contains('e')
            });
        for (i, arg) in args.iter().enumerate() {
            if is_redirect(arg.kind()) {
                self.redirect(*arg, state);
                continue;
            }
            let command_name = runs == Some(i);
            self.word(*arg, Place { command_name, program: shown, ..Place::ARGUMENT }, state);
            if echo_escapes && parts::has_echo_escape(&literal_text(*arg, self.text)) {
                self.report(2028, arg.byte_range());
            }
        }
        // Commands that end the path or set variables.
        match program {
            Some("exit") => state.dead = true,
            Some(function) if runs.is_none() && self.defined.contains_key(function) => self.call(function, state),
            Some("read") => {
                for arg in args.iter().filter(|a| !self.src(**a).starts_with('-')) {
                    if arg.kind() == "word" {
                        state.set(self.src(*arg), Space::Dirty);
                    }
                }
            }
            Some("printf") => {
                if let Some(at) = args.iter().position(|a| self.src(*a) == "-v")
                    && let Some(target) = args.get(at + 1)
                {
                    state.set(self.src(*target), Space::Dirty);
                }
            }
            _ => {}
        }
    }

    /// `export`, `local`, `declare`, `readonly`, `typeset`.
    fn declaration(&mut self, node: Node<'a>, state: &mut State) {
        let keyword = first_token(node).unwrap_or_default();
        let children: Vec<Node> = node.named_children().collect();
        let flags: String = children
            .iter()
            .map(|c| self.src(*c))
            .filter(|t| t.starts_with('-'))
            .flat_map(|t| t.chars().skip(1))
            .collect();
        let local = matches!(keyword, "local" | "declare" | "typeset") && !flags.contains('g') && self.functions > 0;
        let read_only = keyword == "readonly" || flags.contains('r');
        let words: Vec<&str> = children.iter().map(|c| self.src(*c)).collect();
        let integer = words.iter().any(|w| w.starts_with('-') && w.contains('i'));
        let not_integer = words.iter().any(|w| w.starts_with('+') && w.contains('i'));
        let masks_status =
            matches!(keyword, "local" | "declare" | "export" | "readonly" | "typeset") && !(local && read_only);
        // Since POSIX 2024 these take assignments, but ShellCheck's sh still splits them.
        let quote_free = self.env.dialect != Dialect::Sh;
        for child in children {
            let name = match child.kind() {
                "variable_assignment" => child.child_by_field_name("name").map(|n| self.src(n)),
                "variable_name" => Some(self.src(child)),
                "word" if !self.src(child).starts_with(['-', '+']) => Some(self.src(child)),
                _ => None,
            };
            if let Some(name) = name {
                if local && let Some((_, locals)) = self.calls.last_mut() {
                    locals.push(name.to_owned());
                }
                if integer || not_integer {
                    state.set_integer(name, integer);
                }
            }
            match child.kind() {
                "variable_assignment" => {
                    if masks_status
                        && self.assigns_command_output(child)
                        && let Some(name) = child.child_by_field_name("name")
                    {
                        self.report(2155, name.byte_range());
                    }
                    self.assignment(child, state, true, quote_free);
                }
                // `local x` in a function: a new variable, empty.
                "variable_name" | "word" if local && name.is_some() => {
                    state.set(name.unwrap_or_default(), Space::Empty)
                }
                kind if is_word(kind) => self.word(child, Place::ARGUMENT, state),
                _ => {}
            }
        }
    }

    /// Whether an assignment's value is (partly) a command's output: `x=$(cmd)`, `x="$(a)b"`.
    fn assigns_command_output(&self, node: Node) -> bool {
        let Some(value) = node.child_by_field_name("value") else { return false };
        let mut parts = vec![value];
        while let Some(part) = parts.pop() {
            match part.kind() {
                "command_substitution" => return true,
                "string" | "concatenation" => {
                    parts.extend(part.named_children());
                }
                _ => {}
            }
        }
        false
    }

    fn assignment(&mut self, node: Node<'a>, state: &mut State, update: bool, quote_free: bool) {
        self.assignment_with(node, state, update, quote_free, None);
    }

    fn assignment_with(
        &mut self,
        node: Node<'a>,
        state: &mut State,
        update: bool,
        quote_free: bool,
        program: Option<&'a str>,
    ) {
        let name = node.child_by_field_name("name").map(|n| self.src(n));
        let value = node.child_by_field_name("value");
        let literal_expected = name.is_some_and(|n| matches!(n, "PS1" | "PS2" | "PS3" | "PS4" | "PROMPT_COMMAND"));
        if let Some(value) = value {
            let place = Place { quote_free, command_name: false, program, literal_expected };
            self.word(value, place, state);
        }
        if !update {
            return;
        }
        let Some(name) = name.filter(|n| !n.contains('[')) else { return };
        let appends = node.children().any(|c| !c.is_named() && c.kind() == "+=");
        let mut space = self.value_space(value, state);
        if appends {
            space = state.get(name).append(space);
        }
        state.set(name, space);
    }

    /// ShellCheck's SC1007: `x= value`, a space after `=` that makes the value a command.
    fn empty_assignment_before_word(&mut self, node: Node) {
        if node.child_by_field_name("value").is_some() {
            return;
        }
        if node.child_by_field_name("name").is_some_and(|n| self.src(n) == "IFS") {
            return;
        }
        let rest = &self.text[node.end_byte()..];
        let mut skipped = 0;
        let bytes = rest.as_bytes();
        loop {
            match bytes.get(skipped) {
                Some(b' ' | b'\t') => skipped += 1,
                Some(b'\\') if bytes.get(skipped + 1) == Some(&b'\n') => skipped += 2,
                _ => break,
            }
        }
        let ends_command = bytes.get(skipped).is_none_or(|c| matches!(c, b'\r' | b'\n' | b';' | b'&' | b'|' | b')'));
        if skipped > 0 && !ends_command {
            self.report(1007, node.end_byte()..node.end_byte() + skipped);
        }
    }

    /// ShellCheck's SC2043: `for x in word`, a loop over one word that cannot split.
    fn loop_runs_once(&mut self, value: Node) {
        // A lone quoted string or one with commas is for other checks (SC2041, SC2042, SC2066).
        let parts = Parts::of(value, self.text);
        if value.kind() == "raw_string" || parts.will_split || parts.may_split {
            return;
        }
        if value.kind() == "string"
            && (value.named_children().any(|c| c.kind() != "string_content")
                || literal_text(value, self.text).contains(['*', '?', '[']))
        {
            return;
        }
        if parts::unquoted_literal(value, self.text).is_some_and(|l| l.contains(',')) {
            return;
        }
        self.report(2043, value.byte_range());
    }

    /// Whether a word certainly becomes several words or patterns: unquoted expansions,
    /// substitutions, globs and brace expansions, `"$@"`.
    fn will_split(&self, node: Node) -> bool {
        Parts::of(node, self.text).will_split
    }

    /// What an assigned word holds, as ShellCheck's data flow sees it.
    fn value_space(&self, value: Option<Node>, state: &State) -> Space {
        let Some(value) = value else { return Space::Empty };
        match value.kind() {
            "word" | "number" => Space::of_literal(&parts::unescape_bare(self.src(value))),
            "raw_string" => Space::of_literal(self.src(value).trim_matches('\'')),
            "ansi_c_string" => Space::of_literal(&literal_text(value, self.text)),
            "arithmetic_expansion" => Space::Clean,
            "simple_expansion" | "expansion" => match parts::unmodified_reference(value, self.text) {
                Some(name) => state.get(name),
                None => Space::Dirty,
            },
            "string" | "concatenation" => {
                let parts: Vec<Node> = value.named_children().collect();
                parts.into_iter().fold(Space::Empty, |acc, part| {
                    let space = match part.kind() {
                        "string_content" => Space::of_literal(&parts::unescape_double(self.src(part))),
                        _ => self.value_space(Some(part), state),
                    };
                    acc.append(space)
                })
            }
            _ => Space::Dirty,
        }
    }

    /// Walk a word: report what needs quoting, and walk the commands it runs.
    fn word(&mut self, node: Node<'a>, place: Place<'a>, state: &mut State) {
        self.steps += 1;
        if self.depth >= MAX_DEPTH || self.steps > MAX_STEPS {
            return;
        }
        self.depth += 1;
        self.word_inner(node, place, state);
        self.depth -= 1;
    }

    fn word_inner(&mut self, node: Node<'a>, place: Place<'a>, state: &mut State) {
        match node.kind() {
            "simple_expansion" | "expansion" => {
                if !place.quote_free && !place.command_name {
                    self.unquoted_expansion(node, state);
                }
                let inside = Place { quote_free: true, command_name: false, ..place };
                let children: Vec<Node> = node.named_children().collect();
                for child in children {
                    self.word(child, inside, state);
                }
            }
            "command_substitution" => {
                let has_command = node.named_children().any(|c| c.kind() != "comment");
                if has_command && !place.quote_free && !place.command_name && !self.splits_on_purpose(node) {
                    self.report(2046, node.byte_range());
                }
                let mut inner = state.clone();
                self.statements(node, &mut inner);
            }
            "process_substitution" => {
                let mut inner = state.clone();
                self.statements(node, &mut inner);
            }
            "string" | "translated_string" | "arithmetic_expansion" | "array" | "subscript" => {
                let inside =
                    Place { quote_free: true, command_name: node.kind() == "string" && place.command_name, ..place };
                let children: Vec<Node> = node.named_children().collect();
                for child in children {
                    self.word(child, inside, state);
                }
            }
            "raw_string" => self.single_quoted(node, place),
            "unary_expression" => {
                // `[ -v 'a[$i]' ]` names a variable: its quotes are expected.
                let literal_expected =
                    node.named_child(0).is_some_and(|o| o.kind() == "test_operator" && self.src(o) == "-v");
                let children: Vec<Node> = node.named_children().collect();
                for child in children {
                    self.word(child, Place { literal_expected, ..place }, state);
                }
            }
            _ => {
                // A concatenation passes on its place, except "is the command name".
                let inside = Place { command_name: false, ..place };
                let children: Vec<Node> = node.named_children().collect();
                // `$foo=42` as a command is another check's mistake (SC2281), not a quoting one.
                let assignment_typo = place.command_name
                    && children.len() >= 2
                    && matches!(children[0].kind(), "simple_expansion" | "expansion")
                    && self.src(children[1]).starts_with('=');
                let lone = children.len() == 1 || assignment_typo;
                for (i, child) in children.into_iter().enumerate() {
                    self.word(child, Place { command_name: lone && i == 0 && place.command_name, ..inside }, state);
                }
            }
        }
    }

    /// `$(seq 1 4)` and `$(pgrep x)` are meant to split.
    fn splits_on_purpose(&self, node: Node) -> bool {
        let inner: Vec<Node> = node.named_children().filter(|c| c.kind() != "comment").collect();
        match inner.as_slice() {
            [command] if command.kind() == "command" => {
                let name = command.child_by_field_name("name").and_then(|n| n.named_child(0));
                name.map(|n| literal_text(n, self.text)).is_some_and(|n| {
                    let base = n.rsplit('/').next().unwrap_or(&n).to_owned();
                    base == "seq" || base == "pgrep"
                })
            }
            _ => false,
        }
    }

    /// ShellCheck's SC2086 on one unquoted `$x` / `${x...}`.
    fn unquoted_expansion(&mut self, node: Node, state: &State) {
        let content = match node.kind() {
            "simple_expansion" => self.src(node).strip_prefix('$').unwrap_or_default(),
            _ => self.src(node).strip_prefix("${").and_then(|s| s.strip_suffix('}')).unwrap_or_default(),
        };
        let (name, modifier) = braced_reference(content);
        let array = content.starts_with('@') || (!content.starts_with('#') && content.contains("[@]"));
        let counting = content.starts_with('#') && content.len() > 1;
        let alternative = {
            let m = modifier.strip_prefix('[').and_then(|m| m.split_once(']')).map_or(modifier, |(_, rest)| rest);
            m.starts_with('+') || m.starts_with(":+")
        };
        let default_assignment =
            (modifier.starts_with('=') || modifier.starts_with(":=")) && parts::is_argument_of(node, ":", self.text);
        if array || counting || alternative || default_assignment || name.is_empty() {
            return;
        }
        if state.get(name) != Space::Clean {
            self.report(2086, node.byte_range());
        }
    }

    /// ShellCheck's SC2016: `'$x'`, an expansion in single quotes, where it looks meant.
    fn single_quoted(&mut self, node: Node, place: Place) {
        let body = self.src(node);
        let body = body.strip_prefix('\'').and_then(|b| b.strip_suffix('\'')).unwrap_or(body);
        if place.literal_expected || !parts::looks_like_expansion(body) {
            return;
        }
        let program = place.program.unwrap_or("");
        let expected = if program == "sed" {
            parts::sed_dollar_command(body)
        } else {
            matches!(
                program,
                "trap"
                    | "sh"
                    | "bash"
                    | "ksh"
                    | "zsh"
                    | "ssh"
                    | "eval"
                    | "xprop"
                    | "alias"
                    | "sudo"
                    | "doas"
                    | "run0"
                    | "docker"
                    | "podman"
                    | "oc"
                    | "dpkg-query"
                    | "jq"
                    | "rename"
                    | "rg"
                    | "unset"
                    | "git filter-branch"
                    | "mumps -run %XCMD"
                    | "mumps -run LOOP%XCMD"
            ) || program.ends_with("awk")
                || program.starts_with("perl")
        };
        if !expected {
            self.report(2016, node.byte_range());
        }
    }
}

fn first_token<'t>(node: Node<'t>) -> Option<&'t str> {
    let first = node.children().next()?;
    (!first.is_named()).then(|| first.kind())
}

fn is_redirect(kind: &str) -> bool {
    matches!(kind, "file_redirect" | "heredoc_redirect" | "herestring_redirect")
}

fn is_word(kind: &str) -> bool {
    matches!(
        kind,
        "word"
            | "number"
            | "string"
            | "raw_string"
            | "ansi_c_string"
            | "translated_string"
            | "concatenation"
            | "simple_expansion"
            | "expansion"
            | "command_substitution"
            | "process_substitution"
            | "arithmetic_expansion"
            | "variable_name"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(script: &str) -> Vec<Finding> {
        let given = |_: &str| false;
        let env = Environment { dialect: Dialect::Bash, given: &given };
        crate::shell::analyze_checked(script, &|o| o, &env).findings().to_vec()
    }

    #[test]
    fn deep_loops_and_call_chains_finish() {
        let loops = format!("{}echo $x{}", "for i in a b; do ".repeat(60), "; done".repeat(60));
        let start = std::time::Instant::now();
        assert_eq!(findings(&loops).iter().map(|f| f.code).collect::<Vec<_>>(), [2086]);
        // Each function calls the next twice: 2^40 calls if followed blindly.
        let mut chain = String::from("f0() { x=1; }\n");
        for i in 1..40 {
            chain.push_str(&format!("f{i}() {{ f{p}; f{p}; }}\n", p = i - 1));
        }
        chain.push_str("f39; echo $y\n");
        assert_eq!(findings(&chain).iter().map(|f| f.code).collect::<Vec<_>>(), [2086]);
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
    }
}
