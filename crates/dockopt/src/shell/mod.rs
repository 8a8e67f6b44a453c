//! Analysis of shell scripts in RUN instructions (shell form, heredoc bodies, `sh -c`
//! strings): the simple commands they run, with their words and exact source positions.
//!
//! Parsing uses our own sh/bash parser (`syntax`): error-tolerant, keeping the byte range of
//! every node, so a finding can point at one flag inside a long `RUN`; its tree has
//! tree-sitter-bash's node kinds. No crate parsed scripts fast enough
//! (docs/design/shell-parser-evaluation.md).

pub(crate) mod checks;
mod condition;
pub(crate) mod syntax;
mod words;

use std::ops::Range;
use std::rc::Rc;

use syntax::{Kind, Node};

pub use condition::evaluate as evaluate_test;
/// Nesting beyond which the shell parser stops reading a script (the rest is a parse error).
pub use syntax::MAX_DEPTH as MAX_NESTING_DEPTH;
pub use words::literal;

/// One word of a command line: the word as written and, when it has no expansion, its value
/// after quote removal. Both texts share one allocation, and most words (no quotes, no escapes)
/// store their text once: a lint holds every word of every RUN until it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The raw text, followed by the value when that differs from it.
    texts: Box<str>,
    /// Where the value starts in `texts`, or [`Word::SAME`] or [`Word::NO_VALUE`].
    value_start: u32,
    /// Range in the Dockerfile source (read through [`Word::range`]): 32 bits, as scripts
    /// past the first 4 GiB of a file are not analysed (see [`Script::too_long`]).
    span: Span32,
}

/// A byte range of at most 4 GiB offsets, in 8 bytes: every word and command of every RUN
/// holds one until a lint ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Span32 {
    start: u32,
    end: u32,
}

impl Span32 {
    /// `range`, which must lie in the first 4 GiB (saturating past, which callers rule out).
    fn of(range: Range<usize>) -> Self {
        Self { start: crate::text::narrow(range.start), end: crate::text::narrow(range.end) }
    }

    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl Word {
    /// The value is the raw text.
    const SAME: u32 = 0;
    /// The word has expansions: no value.
    const NO_VALUE: u32 = u32::MAX;

    /// `range` lies in the first 4 GiB of the Dockerfile (offsets past it saturate).
    pub fn new(raw: &str, value: Option<&str>, range: Range<usize>) -> Self {
        let (texts, value_start) = match value {
            None => (raw.into(), Self::NO_VALUE),
            Some(value) if value == raw => (raw.into(), Self::SAME),
            // A value that differs follows a non-empty raw text; the scripts parsed are at
            // most `MAX_SCRIPT_BYTES`, so the offset fits (if not: no value, which is safe).
            Some(value) => match u32::try_from(raw.len()) {
                Ok(start) if start != Self::SAME && start != Self::NO_VALUE => ([raw, value].concat().into(), start),
                _ => (raw.into(), Self::NO_VALUE),
            },
        };
        Self { texts, value_start, span: Span32::of(range) }
    }

    /// Range in the Dockerfile source.
    pub fn range(&self) -> Range<usize> {
        self.span.range()
    }

    /// The word after quote removal, when it contains no expansion.
    pub fn value(&self) -> Option<&str> {
        match self.value_start {
            Self::NO_VALUE => None,
            Self::SAME => Some(&self.texts),
            start => Some(&self.texts[start as usize..]),
        }
    }

    /// The word as written.
    pub fn raw(&self) -> &str {
        match self.value_start {
            Self::NO_VALUE | Self::SAME => &self.texts,
            start => &self.texts[..start as usize],
        }
    }

    /// The literal value, or the raw text when the word has expansions.
    pub fn text(&self) -> &str {
        self.value().unwrap_or(self.raw())
    }
}

// Every word of every RUN is held until a lint ends.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Word>() <= 32);

/// A simple command: `NAME ARG...` with its assignments (`A=b cmd`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// Set it with [`Command::set_name`], which keeps [`Command::program`] in step.
    pub name: Option<Word>,
    pub args: Box<[Word]>,
    /// Read through [`Command::range`].
    span: Span32,
    /// The index of the pipeline this command is part of plus one, when it is piped: read
    /// through [`Command::pipeline`]. (Four bytes, not eight, as every field here: a command
    /// takes 80 bytes.)
    pipeline_after: Option<std::num::NonZeroU32>,
    /// Position inside its pipeline (0 = first).
    pub pipeline_position: u32,
    /// Where the program name starts in the literal command name (after any directory), kept
    /// because rules ask for it for every command.
    program_start: u32,
    /// Runs in a subshell (`( ... )`, `$( ... )`, backticks): its `cd` and assignments do not
    /// outlast it.
    pub subshell: bool,
    /// Its assignments and guards, which most commands do not have (read through
    /// [`Command::assignments`] and [`Command::guards`]): one word for both.
    rare: Option<Box<CommandRare>>,
}

/// The parts of a [`Command`] that most commands do not have.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct CommandRare {
    assignments: Box<[Word]>,
    guards: Box<[Guard]>,
}

impl CommandRare {
    /// None when there is nothing to hold.
    fn of(assignments: Box<[Word]>, guards: Box<[Guard]>) -> Option<Box<Self>> {
        (!assignments.is_empty() || !guards.is_empty()).then(|| Box::new(Self { assignments, guards }))
    }
}

/// A condition a command runs under: it runs only if `test` (the condition as written, e.g.
/// `[ "$MODE" = "full" ]`) succeeds (`holds`) or fails (`!holds`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    pub test: String,
    pub holds: bool,
}

// Held for every command of every RUN through a lint (three commands, 240 bytes, fall in the
// allocator's size class of 256; at 104 bytes each they took 320, at 128 bytes 384).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Command>() <= 80);

impl Command {
    /// Range in the Dockerfile source.
    pub fn range(&self) -> Range<usize> {
        self.span.range()
    }

    /// `NAME=value` words before the command name.
    pub fn assignments(&self) -> &[Word] {
        self.rare.as_deref().map_or(&[], |r| &r.assignments)
    }

    /// Replace the assignments (e.g. with those `env` sets, looking through it).
    pub fn set_assignments(&mut self, assignments: Box<[Word]>) {
        let guards = self.rare.take().map(|r| r.guards).unwrap_or_default();
        self.rare = CommandRare::of(assignments, guards);
    }

    /// The tests that decide whether it runs at all, outermost first: the conditions of the
    /// `if`/`elif` branches around it, and a test before `&&`/`||` (`[ "$X" = 1 ] && cmd`).
    pub fn guards(&self) -> &[Guard] {
        self.rare.as_deref().map_or(&[], |r| &r.guards)
    }

    /// The command name, with any leading path removed (`/usr/bin/apt-get` -> `apt-get`).
    pub fn program(&self) -> Option<&str> {
        let name = self.name.as_ref()?.value()?;
        Some(name.get(self.program_start as usize..).unwrap_or(name))
    }

    /// The command an exec-form instruction runs (`RUN ["npm", "ci"]`): no shell, so every
    /// word is literal; all words share `range` (JSON escapes make exact offsets unreliable).
    /// None past the first 4 GiB of the file, where ranges do not fit (see [`Script::too_long`]).
    pub fn exec(argv: &[String], range: Range<usize>) -> Option<Command> {
        if range.end > crate::text::MAX_TEXT_BYTES {
            return None;
        }
        let word = |text: &String| Word::new(text, Some(text), range.clone());
        let (name, args) = argv.split_first()?;
        let mut command = Command {
            name: None,
            args: args.iter().map(word).collect(),
            span: Span32::of(range.clone()),
            pipeline_after: None,
            pipeline_position: 0,
            program_start: 0,
            subshell: false,
            rare: None,
        };
        command.set_name(word(name));
        Some(command)
    }

    /// Replace the command name (e.g. to look through `sudo` or `env`).
    pub fn set_name(&mut self, name: Word) {
        // A word of a script under MAX_SCRIPT_BYTES: its offsets fit.
        self.program_start = name.value().and_then(|v| v.rfind('/')).map_or(0, |i| i as u32 + 1);
        self.name = Some(name);
    }

    /// The index of the pipeline this command is part of, when it is piped.
    pub fn pipeline(&self) -> Option<u32> {
        self.pipeline_after.map(|p| p.get() - 1)
    }

    pub fn is(&self, program: &str) -> bool {
        self.program() == Some(program)
    }

    /// Words that are not options (do not start with `-`), in order.
    pub fn operands(&self) -> impl Iterator<Item = &Word> {
        self.args.iter().filter(|w| !w.text().starts_with('-') || w.text() == "-")
    }

    /// The first operand, e.g. `install` in `apt-get -y install x`.
    pub fn subcommand(&self) -> Option<&str> {
        self.operands().next().map(Word::text)
    }

    /// Whether an option is given: `short` matches inside combined flags (`-qy`), `long`
    /// matches `--long` and `--long=value`.
    pub fn has_option(&self, short: Option<char>, long: Option<&str>) -> bool {
        self.option(short, long).is_some()
    }

    /// The first word that gives the option.
    pub fn option(&self, short: Option<char>, long: Option<&str>) -> Option<&Word> {
        self.args.iter().take_while(|w| w.text() != "--").find(|w| {
            let t = w.text();
            if let Some(name) = t.strip_prefix("--") {
                long.is_some_and(|l| name == l || name.strip_prefix(l).is_some_and(|r| r.starts_with('=')))
            } else if let Some(flags) = t.strip_prefix('-') {
                short.is_some_and(|s| {
                    !flags.is_empty() && flags.chars().all(|c| c.is_ascii_alphanumeric()) && flags.contains(s)
                })
            } else {
                false
            }
        })
    }
}

/// The commands of a script.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    pub commands: Box<[Command]>,
    /// Number of pipelines (`a | b`).
    pub pipelines: u32,
    /// Its shebang and native findings, which few scripts have (read through
    /// [`Script::shebang`] and [`Script::findings`]): one word for both, as a lint holds
    /// the analysis of every RUN.
    rare: Option<Box<ScriptRare>>,
    /// The script could not be fully parsed (the commands found are still reported), or was
    /// not parsed at all because it is [`too_long`](Script::too_long).
    pub has_errors: bool,
    /// The script is longer than [`MAX_SCRIPT_BYTES`], or ends past the first 4 GiB of the
    /// Dockerfile ([`crate::text::MAX_TEXT_BYTES`]: ranges are kept in 32 bits), and was not
    /// parsed: it has no commands.
    pub too_long: bool,
    /// The script nests deeper than the parser reads ([`MAX_NESTING_DEPTH`]: the rest is a
    /// parse error), or command substitutions nest deeper than [`MAX_SUBSTITUTION_DEPTH`] and
    /// were not looked into: commands inside are missing.
    pub too_deep: bool,
}

/// The parts of a [`Script`] that most scripts do not have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ScriptRare {
    shebang: Option<Box<str>>,
    findings: Box<[checks::Finding]>,
}

// One for every RUN of a file, held until a lint ends.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Script>() <= 32);

impl Script {
    /// The interpreter named by a `#!` line, if any.
    pub fn shebang(&self) -> Option<&str> {
        self.rare.as_deref().and_then(|r| r.shebang.as_deref())
    }

    /// What ShellCheck's checks done natively found ([`analyze_checked`] only).
    pub fn findings(&self) -> &[checks::Finding] {
        self.rare.as_deref().map_or(&[], |r| &r.findings)
    }

    /// The script with every range moved by `to_source` (from the script's own offsets to the
    /// Dockerfile's).
    fn moved(mut self, to_source: &dyn Fn(usize) -> usize) -> Script {
        let mv = |r: &mut Range<usize>| *r = to_source(r.start)..to_source(r.end);
        let mv32 = |s: &mut Span32| *s = Span32::of(to_source(s.start as usize)..to_source(s.end as usize));
        for command in &mut self.commands {
            mv32(&mut command.span);
            let assignments = command.rare.iter_mut().flat_map(|r| r.assignments.iter_mut());
            let words = command.name.iter_mut().chain(&mut command.args).chain(assignments);
            words.for_each(|w| mv32(&mut w.span));
        }
        if let Some(rare) = &mut self.rare {
            rare.findings.iter_mut().for_each(|f| mv(&mut f.range));
        }
        self
    }

    /// Commands running `program`.
    pub fn calls<'a>(&'a self, program: &'a str) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands.iter().filter(move |c| c.is(program))
    }
}

/// Parse `text`; `to_source` maps a byte offset in `text` to its offset in the Dockerfile.
pub fn analyze(text: &str, to_source: &dyn Fn(usize) -> usize) -> Script {
    analyze_with(text, to_source, None)
}

/// [`analyze`], and run ShellCheck's checks that dockopt does itself, for a script run by the
/// shell `env` describes.
pub fn analyze_checked(text: &str, to_source: &dyn Fn(usize) -> usize, env: &checks::Environment) -> Script {
    analyze_with(text, to_source, Some(env))
}

/// Parse and walk `text`, and run the native checks when `env` is given. Each copy of a
/// script is analysed afresh: keeping analyses to reuse for repeated scripts cost more in
/// copies than the parse it saved (8% of lint's CPU on the corpus).
fn analyze_with(text: &str, to_source: &dyn Fn(usize) -> usize, env: Option<&checks::Environment>) -> Script {
    let rare =
        shebang(text).map(|interpreter| ScriptRare { shebang: Some(interpreter.into()), ..ScriptRare::default() });
    let mut script = Script { rare: rare.map(Box::new), ..Script::default() };
    if text.len() > MAX_SCRIPT_BYTES || to_source(text.len()) > crate::text::MAX_TEXT_BYTES {
        script.too_long = true;
        script.has_errors = true;
        return script;
    }
    let tree = syntax::parse(text);
    let root = tree.root_node();
    script.has_errors = root.has_error();
    script.too_deep = tree.too_deep();
    let mut walker = Walker { text, script: &mut script, commands: Vec::new() };
    walker.visit(root);
    // Analyses are kept for the whole lint: lists of their exact length (boxed slices).
    script.commands = walker.commands.into_boxed_slice();
    // Like ShellCheck, which reports only the syntax error of a script it cannot parse.
    if let Some(env) = env.filter(|_| !script.has_errors) {
        let findings = checks::run(root, text, env);
        if !findings.is_empty() {
            script.rare.get_or_insert_with(Box::default).findings = findings.into_boxed_slice();
        }
    }
    script.moved(to_source)
}

/// Parse and analyse `text` and panic, with a message, if the result breaks an invariant the
/// rest of dockopt relies on: every node of the tree lies inside its parent and inside the
/// text, on character boundaries, after its previous sibling; errors are marked up to the
/// root; and the ranges of the commands, words and findings `analyze` reports fit the text.
/// Returns the number of nodes.
///
/// Public only for the `shell` fuzz target (fuzz/fuzz_targets/shell.rs), which cannot reach
/// the crate-private parser; not part of the API.
#[doc(hidden)]
pub fn check_invariants(text: &str) -> usize {
    let tree = syntax::parse(text);
    let root = tree.root_node();
    let fits = |r: &Range<usize>| {
        r.start <= r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    };
    let mut count = 0;
    for node in root.descendants() {
        count += 1;
        let range = node.byte_range();
        assert!(fits(&range), "{node:?} does not fit {text:?}");
        let mut last = range.start;
        let mut child_error = false;
        for child in node.children() {
            assert!(child.start_byte() >= last, "{child:?} starts before {last} in {node:?} of {text:?}");
            assert!(child.end_byte() <= range.end, "{child:?} ends past {node:?} of {text:?}");
            assert!(child.parent() == Some(node), "{child:?} has another parent than {node:?} in {text:?}");
            last = child.end_byte();
            child_error |= child.has_error();
        }
        assert!(!child_error || node.has_error(), "{node:?} hides an error of a child in {text:?}");
    }
    let env = checks::Environment { dialect: checks::Dialect::Bash, given: &|_| false };
    let script = analyze_checked(text, &|o| o, &env);
    assert_eq!(script.has_errors, text.len() > MAX_SCRIPT_BYTES || root.has_error());
    for command in &script.commands {
        assert!(fits(&command.range()), "command {:?} does not fit {text:?}", command.range());
        for word in command.name.iter().chain(&command.args).chain(command.assignments()) {
            assert!(fits(&word.range()), "word {word:?} does not fit {text:?}");
            assert_eq!(word.raw(), &text[word.range()], "in {text:?}");
        }
    }
    for finding in script.findings() {
        assert!(fits(&finding.range), "SC{} at {:?} does not fit {text:?}", finding.code, finding.range);
    }
    count
}

/// The interpreter a `#!` first line names: `#!/bin/bash` -> `bash`; `#!/usr/bin/env python3` -> `python3`.
pub fn shebang(text: &str) -> Option<String> {
    let line = text.strip_prefix("#!")?.lines().next()?;
    let mut parts = line.split_whitespace();
    let first = parts.next()?;
    let program = first.rsplit('/').next()?;
    if program == "env" {
        return parts.find(|p| !p.starts_with('-')).map(str::to_owned);
    }
    Some(program.to_owned())
}

/// Shells that run sh-like scripts: `a && b`, `sh -c`, what the shell parser reads.
pub const POSIX_SHELLS: [&str; 6] = ["sh", "bash", "ash", "dash", "zsh", "ksh"];

/// The longest script that is parsed. The tree and the commands found take up to a few hundred
/// times the script's size (126 KB of `a;` takes 43 MB), so a megabyte-long RUN would take
/// hundreds of MB; the longest RUN among 655 real-world Dockerfiles is 4.2 KB.
pub const MAX_SCRIPT_BYTES: usize = 128 << 10;

/// How deep command substitutions (`$(...)`, backticks) are looked into. Each level's word
/// holds the text of every level inside it, so the words of n levels take memory in n^2;
/// scripts nest a few levels, a deeper one is a hostile input.
pub const MAX_SUBSTITUTION_DEPTH: usize = 64;

/// A node to visit, with its pipeline position, whether it runs in a subshell, the guards it
/// runs under and how many command substitutions it is inside.
type Frame<'t> = (Node<'t>, Option<(u32, u32)>, bool, Rc<Vec<Guard>>, usize);

/// Builds a [`Script`] in the script's own offsets.
struct Walker<'a, 'b> {
    text: &'a str,
    script: &'b mut Script,
    commands: Vec<Command>,
}

impl Walker<'_, '_> {
    fn range(&self, node: Node) -> Range<usize> {
        node.byte_range()
    }

    fn word(&self, node: Node) -> Word {
        Word::new(&self.text[node.byte_range()], literal(node, self.text).as_deref(), self.range(node))
    }

    /// Walk the tree without recursion limits: deep scripts must not overflow the stack.
    /// Each frame carries the pipeline position and whether it runs in a subshell.
    fn visit(&mut self, root: Node) {
        let mut stack: Vec<Frame> = Vec::with_capacity(64);
        stack.push((root, None, false, Rc::default(), 0));
        while let Some((node, pipeline, subshell, guards, depth)) = stack.pop() {
            // Kinds compared as enums, not names: this runs for every node of every script.
            let kind = node.kind_id();
            let depth = depth + usize::from(kind == Kind::CommandSubstitution);
            if depth > MAX_SUBSTITUTION_DEPTH {
                self.script.too_deep = true;
                continue;
            }
            // Children go straight onto the stack, then are turned round so that the first
            // is visited first (a list per node cost an allocation each).
            let first_child = stack.len();
            let inner = subshell || matches!(kind, Kind::Subshell | Kind::CommandSubstitution);
            match kind {
                Kind::Command => {
                    self.command(node, pipeline, subshell, &guards);
                    // Command substitutions inside arguments run commands too.
                    stack.extend(node.named_children().map(|c| (c, None, inner, guards.clone(), depth)));
                }
                Kind::Pipeline => {
                    let index = self.script.pipelines;
                    self.script.pipelines += 1;
                    // Counts inside a script of at most MAX_SCRIPT_BYTES: they fit.
                    let named = node.named_children().zip(0u32..);
                    stack.extend(named.map(|(c, position)| (c, Some((index, position)), inner, guards.clone(), depth)));
                }
                Kind::IfStatement => {
                    for (child, branch) in self.branches(node, &guards) {
                        stack.push((child, None, inner, branch, depth));
                    }
                }
                Kind::List => {
                    // `[ test ] && cmd` runs cmd when the test holds; `|| cmd` when it fails.
                    let left = node.named_children().next().filter(|_| node.named_child_count() == 2);
                    let operator = node
                        .child_by_field_name("operator")
                        .map(|o| o.kind())
                        .or_else(|| node.children().find(|c| !c.is_named()).map(|c| c.kind()));
                    let guarded = match (left, operator) {
                        (Some(left), Some(op @ ("&&" | "||"))) if left.kind_id() == Kind::TestCommand => {
                            Some(self.guarded(
                                &guards,
                                Guard { test: self.text[left.byte_range()].to_owned(), holds: op == "&&" },
                            ))
                        }
                        _ => None,
                    };
                    for (i, c) in node.named_children().enumerate() {
                        let g = if i == 1 { guarded.clone().unwrap_or_else(|| guards.clone()) } else { guards.clone() };
                        stack.push((c, None, inner, g, depth));
                    }
                }
                _ => {
                    // A redirected statement keeps its place in the pipeline.
                    let inherited = if kind == Kind::RedirectedStatement { pipeline } else { None };
                    stack.extend(node.named_children().map(|c| (c, inherited, inner, guards.clone(), depth)));
                }
            }
            stack[first_child..].reverse();
        }
    }

    fn guarded(&self, outer: &Rc<Vec<Guard>>, guard: Guard) -> Rc<Vec<Guard>> {
        let mut all = outer.as_ref().clone();
        all.push(guard);
        Rc::new(all)
    }

    /// The parts of an `if` statement with the guards each runs under: the conditions under
    /// the outer guards; each branch's body under its own condition holding and every earlier
    /// one failing; `else` under all of them failing.
    fn branches<'t>(&self, node: Node<'t>, outer: &Rc<Vec<Guard>>) -> Vec<(Node<'t>, Rc<Vec<Guard>>)> {
        let mut out = Vec::new();
        let mut failed: Vec<Guard> = Vec::new();
        let mut clauses = vec![node];
        clauses.extend(node.named_children().filter(|c| matches!(c.kind(), "elif_clause" | "else_clause")));
        for clause in clauses {
            // The statements before `then` are the condition (none in `else`); the body follows.
            let all: Vec<Node> = clause.children().collect();
            let then = all.iter().position(|c| !c.is_named() && c.kind() == "then");
            let statement = |c: &&Node| c.is_named() && !matches!(c.kind(), "elif_clause" | "else_clause" | "comment");
            let (conditions, body): (Vec<Node>, Vec<Node>) = match then {
                Some(at) => (
                    all[..at].iter().filter(statement).copied().collect(),
                    all[at..].iter().filter(statement).copied().collect(),
                ),
                None => (Vec::new(), all.iter().filter(statement).copied().collect()),
            };
            let mut guards = outer.as_ref().clone();
            guards.extend(failed.iter().cloned());
            let conditions_guards = Rc::new(guards.clone());
            for c in &conditions {
                out.push((*c, conditions_guards.clone()));
            }
            if let (Some(first), Some(last)) = (conditions.first(), conditions.last()) {
                let test = self.text[first.start_byte()..last.end_byte()].trim_end_matches([';', ' ', '\t', '\n']);
                let test = test.to_owned();
                guards.push(Guard { test: test.clone(), holds: true });
                failed.push(Guard { test, holds: false });
            }
            let body_guards = Rc::new(guards);
            out.extend(body.into_iter().map(|c| (c, body_guards.clone())));
        }
        out
    }

    fn command(&mut self, node: Node, pipeline: Option<(u32, u32)>, subshell: bool, guards: &[Guard]) {
        let (mut name, mut args, mut assignments) = (None, Vec::new(), Vec::new());
        for child in node.named_children() {
            match child.kind() {
                "variable_assignment" => assignments.push(self.word(child)),
                "command_name" => name = Some(self.word(child.named_child(0).unwrap_or(child))),
                k if k.ends_with("redirect") || k == "herestring_redirect" => {}
                "comment" => {}
                _ if name.is_some() => args.push(self.word(child)),
                _ => {}
            }
        }
        let mut command = Command {
            name: None,
            args: args.into_boxed_slice(),
            span: Span32::of(self.range(node)),
            // Counted in a script of at most MAX_SCRIPT_BYTES: one more still fits.
            pipeline_after: pipeline.and_then(|p| std::num::NonZeroU32::new(p.0 + 1)),
            pipeline_position: pipeline.map_or(0, |p| p.1),
            subshell,
            program_start: 0,
            rare: CommandRare::of(assignments.into_boxed_slice(), guards.into()),
        };
        if let Some(name) = name {
            command.set_name(name);
        }
        self.commands.push(command);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(text: &str) -> Script {
        analyze(text, &|o| o)
    }

    #[test]
    fn scripts_over_the_size_bound_are_not_parsed() {
        let commands = |n: usize| "echo x && ".repeat(n) + "true";
        let at_bound = commands((MAX_SCRIPT_BYTES - 4) / 10);
        assert!(at_bound.len() <= MAX_SCRIPT_BYTES);
        let parsed = script(&at_bound);
        assert_eq!(
            (parsed.commands.len(), parsed.too_long, parsed.has_errors),
            ((MAX_SCRIPT_BYTES - 4) / 10 + 1, false, false)
        );
        let over = script(&commands(MAX_SCRIPT_BYTES / 10 + 1));
        assert_eq!((over.commands.len(), over.too_long, over.has_errors), (0, true, true));
    }

    #[test]
    fn command_substitutions_are_followed_to_a_bounded_depth() {
        let nested = |n: usize| format!("{}echo x{}", "echo $(".repeat(n), ")".repeat(n));
        let shallow = script(&nested(5));
        assert_eq!((shallow.commands.len(), shallow.too_deep), (6, false));
        let deep = script(&nested(MAX_SUBSTITUTION_DEPTH + 10));
        assert!(deep.too_deep);
        assert_eq!(deep.commands.len(), MAX_SUBSTITUTION_DEPTH + 1, "the outer command and one per level looked into");
    }

    #[test]
    fn scripts_past_the_first_4_gib_are_not_analysed() {
        // Ranges are kept in 32 bits: a script whose source offsets would not fit gets none.
        let limit = crate::text::MAX_TEXT_BYTES;
        let near = analyze("echo hi", &|o| o + limit - 7);
        assert_eq!((near.commands.len(), near.too_long), (1, false));
        assert_eq!(near.commands[0].args[0].range(), limit - 2..limit);
        let past = analyze("echo hi", &|o| o + limit - 6);
        assert_eq!((past.commands.len(), past.too_long, past.has_errors), (0, true, true));
        let argv = ["echo".to_owned(), "hi".to_owned()];
        assert!(Command::exec(&argv, limit - 9..limit).is_some());
        assert!(Command::exec(&argv, limit - 9..limit + 1).is_none());
    }

    #[test]
    fn finds_commands_across_operators_and_lines() {
        let s = script("apt-get update && apt-get install -y --no-install-recommends curl=7.* ; cd /x || exit 1");
        let names: Vec<_> = s.commands.iter().filter_map(Command::program).collect();
        assert_eq!(names, vec!["apt-get", "apt-get", "cd", "exit"]);
        let install = &s.commands[1];
        assert_eq!(install.subcommand(), Some("install"));
        assert!(install.has_option(Some('y'), Some("yes")));
        assert!(install.has_option(None, Some("no-install-recommends")));
        assert_eq!(install.operands().map(Word::text).collect::<Vec<_>>(), vec!["install", "curl=7.*"]);
    }

    #[test]
    fn commands_carry_the_conditions_they_run_under() {
        let s = script(
            "if [ \"$A\" = 1 ]; then\n  x; if [ -n \"$B\" ]; then y; fi\nelif [ \"$A\" = 2 ]; then z\nelse w; fi; [ -z \"$C\" ] || v; u",
        );
        let guards = |program: &str| -> Vec<(String, bool)> {
            let c = s.commands.iter().find(|c| c.is(program)).unwrap();
            c.guards().iter().map(|g| (g.test.clone(), g.holds)).collect()
        };
        let a1 = ("[ \"$A\" = 1 ]".to_owned(), true);
        let not_a1 = ("[ \"$A\" = 1 ]".to_owned(), false);
        assert_eq!(guards("x"), vec![a1.clone()]);
        assert_eq!(guards("y"), vec![a1, ("[ -n \"$B\" ]".into(), true)]);
        assert_eq!(guards("z"), vec![not_a1.clone(), ("[ \"$A\" = 2 ]".into(), true)]);
        assert_eq!(guards("w"), vec![not_a1, ("[ \"$A\" = 2 ]".into(), false)]);
        assert_eq!(guards("v"), vec![("[ -z \"$C\" ]".into(), false)]);
        assert!(guards("u").is_empty());
        let order: Vec<_> = s.commands.iter().filter_map(Command::program).collect();
        assert_eq!(order, ["x", "y", "z", "w", "v", "u"]);
    }

    #[test]
    fn pipelines_subshells_and_substitutions() {
        let s = script("curl -sL https://x | sh; (cd /a && make); echo $(wget -qO- y)");
        assert_eq!(s.pipelines, 1);
        assert_eq!(s.commands[0].pipeline(), Some(0));
        assert_eq!((s.commands[1].program(), s.commands[1].pipeline_position), (Some("sh"), 1));
        let names: Vec<_> = s.commands.iter().filter_map(Command::program).collect();
        assert_eq!(names, vec!["curl", "sh", "cd", "make", "echo", "wget"]);
        let subshell: Vec<_> = s.commands.iter().map(|c| c.subshell).collect();
        assert_eq!(subshell, vec![false, false, true, true, false, true]);
    }

    #[test]
    fn words_have_literal_values_and_ranges() {
        let text = "pip install 'a==1' \"b c\" d\\ e $HOME/x";
        let s = script(text);
        let args = &s.commands[0].args;
        let values: Vec<_> = args.iter().map(|w| w.value()).collect();
        assert_eq!(values, vec![Some("install"), Some("a==1"), Some("b c"), Some("d e"), None]);
        assert_eq!(&text[args[1].range()], "'a==1'");
    }

    #[test]
    fn a_word_keeps_its_raw_text_and_its_value_apart() {
        let text = "x install 'a==1' d\\ e $HOME/x '' \"\"";
        let s = script(text);
        let words: Vec<_> = s.commands[0].args.iter().map(|w| (w.raw(), w.value(), w.text())).collect();
        assert_eq!(
            words,
            [
                ("install", Some("install"), "install"),
                ("'a==1'", Some("a==1"), "a==1"),
                ("d\\ e", Some("d e"), "d e"),
                ("$HOME/x", None, "$HOME/x"),
                ("''", Some(""), ""),
                ("\"\"", Some(""), ""),
            ]
        );
        // Made directly: an empty word, and exec-form words, whose value is their text.
        let empty = Word::new("", Some(""), 0..0);
        assert_eq!((empty.raw(), empty.value()), ("", Some("")));
        let exec = Command::exec(&["npm".into(), "c'i".into()], 3..9).unwrap();
        assert_eq!((exec.args[0].raw(), exec.args[0].value()), ("c'i", Some("c'i")));
    }

    /// The commands as sh runs them: name and argument values (raw text for expansions).
    fn run(text: &str) -> Vec<String> {
        let s = script(text);
        assert!(!s.has_errors, "{text:?} does not parse");
        s.commands.iter().map(|c| c.name.iter().chain(&c.args).map(Word::text).collect::<Vec<_>>().join(" ")).collect()
    }

    #[test]
    fn heredoc_delimiters_are_whole_lines() {
        // Without `-`, a delimiter with blanks before it is a line of the body.
        assert_eq!(run("cat << EOF\n  EOF\nrm x\nEOF\necho after"), ["cat", "echo after"]);
        // `<<-` strips tabs, not spaces.
        assert_eq!(run("cat <<-EOF\n \tEOF\nrm x\n\tEOF\necho after"), ["cat", "echo after"]);
        assert_eq!(run("cat <<-EOF\n\t\tEOF\necho after"), ["cat", "echo after"]);
        // Quote removal in the delimiter word: `"E\"F"` is `E"F`, `'E\F'` is `E\F`.
        assert_eq!(run("cat <<\"E\\\"F\"\nE\\\"F\nE\"F\necho after"), ["cat", "echo after"]);
        assert_eq!(run("cat <<'E\\F'\nEF\nE\\F\necho after"), ["cat", "echo after"]);
    }

    #[test]
    fn heredoc_bodies_follow_in_the_order_of_their_operators() {
        assert_eq!(run("f <<A; g <<B\na\nA\nb\nB\nh"), ["f", "g", "h"]);
        assert_eq!(run("f <<A | g <<B\nrm a\nA\nrm b\nB\nh"), ["f", "g", "h"]);
        assert_eq!(run("f <<A <<B\nrm a\nA\nrm b\nB\nh"), ["f", "h"]);
    }

    #[test]
    fn line_continuations_join_words() {
        assert_eq!(run("ec\\\nho a\\\nb; x=a\\\nb; rm \"$x\""), ["echo ab", "rm \"$x\""]);
        assert_eq!(run("echo a\\\n\\\n\"b\"c \\\n d"), ["echo abc d"]);
        assert_eq!(run("if true; then :; fi\\\n && rm x"), ["true", ":", "rm x"]);
    }

    #[test]
    fn closing_a_descriptor_takes_no_word() {
        assert_eq!(run("echo hi >&- x 2<&- y"), ["echo hi x y"]);
    }

    #[test]
    fn dollar_double_parenthesis_is_arithmetic_only_when_it_closes_with_two() {
        assert_eq!(run("echo $((echo a) | tr a b)"), ["echo $((echo a) | tr a b)", "echo a", "tr a b"]);
        assert_eq!(run("((rm a); rm b)"), ["rm a", "rm b"]);
        assert_eq!(run("echo $(( (1+2) * 3 )) $((x)); (( (1) ))"), ["echo $(( (1+2) * 3 )) $((x))"]);
        assert_eq!(run("echo $((1) )"), ["echo $((1) )", "1"]);
    }

    #[test]
    fn quoted_blanks_in_double_bracket_patterns() {
        assert_eq!(run("[[ $a == *\"x y\"* ]] && rm z"), ["rm z"]);
        assert_eq!(run("[[ $a != 'x ]] y'* || $b =~ \"a b\" ]] && rm z"), ["rm z"]);
    }

    #[test]
    fn an_escaped_blank_is_part_of_a_word() {
        assert_eq!(run("echo \\ a b\\\tc\\ ; rm z"), ["echo  a b\tc ", "rm z"]);
    }

    #[test]
    fn comments_in_backticks_end_at_the_backtick() {
        assert_eq!(run("echo a`#c`b; rm z"), ["echo a`#c`b", "rm z"]);
    }

    #[test]
    fn nested_backticks_are_not_read_as_words() {
        // sh runs `date` inside: not parsed, so the script is marked.
        assert!(script("echo `echo \\`date\\``").has_errors);
    }

    #[test]
    fn reads_shebang_and_combined_flags() {
        let s = script("#!/usr/bin/env python3\nprint(1)\n");
        assert_eq!(s.shebang(), Some("python3"));
        let s = script("apk add -qU --no-cache x");
        assert!(s.commands[0].has_option(Some('U'), Some("update")));
        assert!(!s.commands[0].has_option(Some('y'), None));
    }
}

#[cfg(test)]
mod probe {
    /// `SH_PROBE=$'script' cargo test -p dockopt --lib shell::probe -- --ignored --nocapture`:
    /// the commands analyze finds, one per line.
    #[test]
    #[ignore]
    fn probe() {
        let text = std::env::var("SH_PROBE").unwrap_or_default();
        let s = super::analyze(&text, &|o| o);
        println!("errors={} deep={}", s.has_errors, s.too_deep);
        for c in &s.commands {
            let words: Vec<String> = c.name.iter().chain(&c.args).map(|w| format!("{:?}", w.text())).collect();
            let assigns: Vec<&str> = c.assignments().iter().map(|w| w.raw()).collect();
            println!(
                "{:?} {:?} {}  sub={} pipe={:?}",
                assigns,
                &text[c.range()],
                words.join(" "),
                c.subshell,
                c.pipeline()
            );
        }
        println!("{}", super::syntax::parse(&text).root_node().to_sexp());
    }
}
