//! What a rule sees: the parsed file, the model, options, and lazily analysed RUN scripts,
//! with helpers that give exact source ranges of keywords, flags and arguments.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use super::LintOptions;
use crate::model::{self, Model};
use crate::secrets;
use crate::shell::{self, Script};
use crate::syntax::{self, Syntax, TokenKind};

/// One instruction, in both views.
#[derive(Clone, Copy)]
pub struct Ins<'a> {
    pub index: usize,
    pub syntax: &'a syntax::Instruction,
    pub model: &'a model::Instruction,
}

impl<'a> Ins<'a> {
    /// Upper-case keyword (`RUN`), or the word as written for unknown instructions.
    pub fn keyword(&self) -> &'a str {
        &self.model.keyword
    }

    pub fn is(&self, keyword: &str) -> bool {
        self.model.keyword == keyword
    }

    /// The instruction itself, or the one ONBUILD registers.
    pub fn effective(&self) -> &'a model::Instruction {
        self.model.onbuild().unwrap_or(self.model)
    }

    pub fn flag(&self, name: &str) -> Option<&'a model::Flag> {
        self.effective().flags.iter().find(|f| *f.name == *name)
    }

    /// The `--mount` options of a RUN.
    pub fn mounts(&self) -> Vec<Mount> {
        self.effective()
            .flags
            .iter()
            .filter(|f| &*f.name == "mount")
            .filter_map(|f| f.value.as_deref())
            .map(Mount::parse)
            .collect()
    }

    /// Whether a cache or tmpfs mount covers `path` (the mount target is `path` or a parent).
    pub fn has_cache_mount(&self, path: &str) -> bool {
        self.mounts().iter().any(|m| {
            matches!(m.kind.as_str(), "cache" | "tmpfs")
                && m.target.as_deref().is_some_and(|t| {
                    let t = t.trim_end_matches('/');
                    path.trim_end_matches('/') == t || path.starts_with(&format!("{t}/"))
                })
        })
    }
}

/// A `RUN --mount=...` option.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mount {
    /// `bind` (the default), `cache`, `tmpfs`, `secret` or `ssh`.
    pub kind: String,
    pub target: Option<String>,
    pub id: Option<String>,
    pub source: Option<String>,
    /// `from=`: the stage or image the mount reads from (the build context when absent).
    pub from: Option<String>,
}

impl Mount {
    pub fn parse(value: &str) -> Self {
        let mut mount = Self { kind: "bind".into(), ..Self::default() };
        for part in value.split(',') {
            let (key, val) = part.split_once('=').unwrap_or((part, ""));
            let val = val.trim_matches('"').to_owned();
            match key.trim() {
                "type" => mount.kind = val,
                "target" | "dst" | "destination" => mount.target = Some(val),
                "id" => mount.id = Some(val),
                "source" | "src" => mount.source = Some(val),
                "from" => mount.from = Some(val),
                _ => {}
            }
        }
        mount
    }

    /// The stage or image a bind or cache mount reads from, when not the build context.
    pub fn from_stage(&self) -> Option<String> {
        self.from.clone()
    }
}

/// One ENV or ARG assignment of a variable.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// The instruction's index.
    pub index: usize,
    /// ENV (else ARG).
    pub env: bool,
    /// The value, resolved when the model could, else as written without quotes.
    pub value: Option<String>,
}

/// The scripts of a file's RUNs in one list: instruction `i`'s are `starts[i]..starts[i + 1]`.
struct RunScripts {
    scripts: Vec<Script>,
    starts: crate::text::Offsets,
}

impl RunScripts {
    fn of(&self, index: usize) -> &[Script] {
        &self.scripts[self.starts.get(index)..self.starts.get(index + 1)]
    }
}

pub struct Context<'a> {
    pub src: &'a str,
    pub syntax: &'a Syntax,
    pub model: &'a Model,
    pub options: &'a LintOptions,
    /// Every RUN's scripts, parsed together on first use.
    scripts: OnceLock<RunScripts>,
    /// The working directory at each instruction, computed once (see `provenance::workdir_at`).
    workdirs: OnceLock<crate::semantics::provenance::Workdirs>,
    /// ENV and ARG assignments by (stage, name), in file order, computed once.
    assignments: OnceLock<HashMap<(usize, String), Vec<Assignment>>>,
    /// Each stage's SHELL instructions (see `run_shell`).
    shells: OnceLock<Vec<Vec<usize>>>,
    /// The ARGs before the first FROM, resolved once.
    global_args: OnceLock<super::args::GlobalArgs>,
    /// Which stages ship (see `invocation::is_shipped`), once: rules ask per instruction.
    shipped: OnceLock<Vec<bool>>,
    /// The variables each stage's RUNs are given (see `run_shell`); the last entry is for
    /// instructions outside any stage.
    given: Vec<OnceLock<HashSet<String>>>,
    /// Whether one of ShellCheck's checks that dockopt does itself is enabled.
    shell_checks: bool,
    /// The credentials written in the file, searched for once (see `credentials`).
    credentials: OnceLock<WrittenCredentials>,
    /// Instructions' tokens read so far (see `tokens`).
    tokens: Mutex<TokenMemo>,
}

/// The tokens of the instructions read so far, up to [`TokenMemo::BUDGET`] tokens in all.
/// Several rules read the same instruction's tokens (an ENV's pairs are located by four), and
/// reading them again each time took 8% of a lint of the real-world files; past the budget
/// (a very large file) they are read again, so the memo never grows with the file.
#[derive(Default)]
struct TokenMemo {
    by_instruction: HashMap<usize, Arc<[syntax::Token]>>,
    held: usize,
}

impl TokenMemo {
    /// 16 Ki tokens, 384 KiB: every token of any of the 655 real-world files (the largest,
    /// 25 KB, has 2,990).
    const BUDGET: usize = 1 << 14;
}

/// The credentials written anywhere in a file, as [`crate::secrets`] finds them; each list
/// sorted by position.
pub struct WrittenCredentials {
    /// Tokens and keys by their format, passwords in URLs.
    pub by_format: Vec<secrets::Credential>,
    /// Passwords given as command-line options.
    pub on_command_lines: Vec<secrets::Credential>,
}

impl WrittenCredentials {
    /// Both kinds within `range`, by position; where two overlap, the first is kept.
    pub fn within(&self, range: Range<usize>) -> Vec<&secrets::Credential> {
        fn inside(list: &[secrets::Credential], range: Range<usize>) -> impl Iterator<Item = &secrets::Credential> {
            let from = list.partition_point(|c| c.range.start < range.start);
            let to = list.partition_point(|c| c.range.start < range.end);
            list[from..to].iter().filter(move |c| c.range.end <= range.end)
        }
        let mut found: Vec<&secrets::Credential> =
            inside(&self.by_format, range.clone()).chain(inside(&self.on_command_lines, range)).collect();
        found.sort_by_key(|c| c.range.start);
        found.dedup_by(|b, a| b.range.start < a.range.end);
        found
    }
}

impl<'a> Context<'a> {
    pub(crate) fn new(src: &'a str, syntax: &'a Syntax, model: &'a Model, options: &'a LintOptions) -> Self {
        let shell_checks = crate::rules::ALL
            .iter()
            .any(|r| crate::shell::checks::CODES.contains(&r.meta().code) && options.enabled(r.meta()));
        Self {
            src,
            syntax,
            model,
            options,
            scripts: OnceLock::new(),
            workdirs: OnceLock::new(),
            assignments: OnceLock::new(),
            shells: OnceLock::new(),
            global_args: OnceLock::new(),
            shipped: OnceLock::new(),
            given: (0..=model.stages.len()).map(|_| OnceLock::new()).collect(),
            shell_checks,
            credentials: OnceLock::new(),
            tokens: Mutex::default(),
        }
    }

    /// The credentials written in the file (for the rules that report them and for redacting
    /// every output), searched for once over the whole text.
    pub fn credentials(&self) -> &WrittenCredentials {
        self.credentials.get_or_init(|| WrittenCredentials {
            by_format: secrets::credentials(self.src),
            on_command_lines: secrets::command_line_credentials(self.src),
        })
    }

    /// Each stage's SHELL instructions, in file order.
    pub(crate) fn shell_instructions(&self) -> &[Vec<usize>] {
        self.shells.get_or_init(|| super::run_shell::shell_instructions(self))
    }

    /// The variables the RUNs of `stage` are given: ARG, ENV, Docker's proxy variables.
    pub(crate) fn given_variables(&self, stage: Option<usize>) -> &HashSet<String> {
        let slot = stage.filter(|s| *s < self.model.stages.len()).unwrap_or(self.model.stages.len());
        self.given[slot].get_or_init(|| super::run_shell::given_variables(self, stage))
    }

    /// A context for code that reads a Dockerfile's structure outside a lint run (the
    /// rewrites): the default options, and RUN scripts parsed without the ShellCheck checks
    /// dockopt does itself, whose findings only rules read.
    pub(crate) fn reading(src: &'a str, syntax: &'a Syntax, model: &'a Model) -> Self {
        static DEFAULTS: std::sync::LazyLock<LintOptions> = std::sync::LazyLock::new(LintOptions::default);
        Self { shell_checks: false, ..Self::new(src, syntax, model, &DEFAULTS) }
    }

    /// Parse `text` and run `f` on its [`Context::reading`]. (The rewrites read a text this
    /// way, not through [`crate::parse`], which would copy it: a huge file's copy adds to the
    /// peak of every rewrite.)
    pub(crate) fn read<T>(text: &str, f: impl FnOnce(&Context) -> T) -> T {
        let syntax = crate::syntax::parse(text);
        let model = crate::model::build(text, &syntax, &[]);
        f(&Context::reading(text, &syntax, &model))
    }

    /// The ARGs declared before the first FROM, with their defaults resolved.
    pub fn global_args(&self) -> &super::args::GlobalArgs {
        self.global_args.get_or_init(|| super::args::GlobalArgs::collect(self))
    }

    /// For each stage, whether its layers ship (see `invocation::is_shipped`).
    pub fn shipped_stages(&self) -> &[bool] {
        self.shipped.get_or_init(|| super::invocation::shipped_stages(self.model))
    }

    /// The working directory at every instruction, from `compute` the first time it is asked
    /// for (one pass over the file instead of one per question).
    pub(crate) fn workdirs(
        &self,
        compute: impl FnOnce() -> crate::semantics::provenance::Workdirs,
    ) -> &crate::semantics::provenance::Workdirs {
        self.workdirs.get_or_init(compute)
    }

    /// The ENV and ARG assignments of `name` in `stage` (its own instructions), in file order.
    pub fn assignments(&self, stage: usize, name: &str) -> &[Assignment] {
        let index = self.assignments.get_or_init(|| {
            let mut index: HashMap<(usize, String), Vec<Assignment>> = HashMap::new();
            for (i, m) in self.model.instructions.iter().enumerate() {
                let (Some(stage), true) = (m.stage(), matches!(m.keyword.as_ref(), "ENV" | "ARG")) else { continue };
                for pair in &m.pairs {
                    let value = crate::lint::invocation::pair_value(pair);
                    let entry = Assignment { index: i, env: m.keyword == "ENV", value };
                    index.entry((stage, pair.key.to_string())).or_default().push(entry);
                }
            }
            index
        });
        index.get(&(stage, name.to_owned())).map_or(&[], Vec::as_slice)
    }

    pub fn instructions(&self) -> impl DoubleEndedIterator<Item = Ins<'a>> + 'a {
        let (syntax, model) = (self.syntax, self.model);
        syntax.instructions.iter().zip(&model.instructions).enumerate().map(|(index, (s, m))| Ins {
            index,
            syntax: s,
            model: m,
        })
    }

    pub fn ins(&self, index: usize) -> Ins<'a> {
        Ins { index, syntax: &self.syntax.instructions[index], model: &self.model.instructions[index] }
    }

    /// The instruction at `index`, if there is one (in constant time, unlike `instructions().nth`).
    pub fn get(&self, index: usize) -> Option<Ins<'a>> {
        (index < self.model.instructions.len()).then(|| self.ins(index))
    }

    /// Instructions with this keyword (ONBUILD's inner instruction not included).
    pub fn all(&self, keyword: &'a str) -> impl Iterator<Item = Ins<'a>> + 'a {
        self.instructions().filter(move |i| i.is(keyword))
    }

    /// The text of a source range.
    pub fn text(&self, range: Range<usize>) -> &'a str {
        &self.src[range]
    }

    /// The tokens of an instruction (keyword to the end of its last line), read when first
    /// asked for: a file's tokens are not all kept (one every five bytes).
    pub fn tokens(&self, ins: Ins) -> impl DoubleEndedIterator<Item = syntax::Token> + 'a {
        // A poisoned lock only means a rule panicked mid-insert: the map is still valid.
        let mut memo = self.tokens.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let tokens = match memo.by_instruction.get(&ins.index) {
            Some(tokens) => Arc::clone(tokens),
            None => {
                let read: Arc<[syntax::Token]> =
                    syntax::instruction_tokens(self.src, self.syntax.escape, ins.syntax.range.clone()).collect();
                if memo.held + read.len() <= TokenMemo::BUDGET {
                    memo.held += read.len();
                    memo.by_instruction.insert(ins.index, Arc::clone(&read));
                }
                read
            }
        };
        (0..tokens.len()).map(move |i| tokens[i])
    }

    /// The keyword as written: the first word of the instruction's lines (its first keyword
    /// token), found without reading its tokens, as rules ask for it for every instruction.
    pub fn keyword_range(&self, ins: Ins) -> Range<usize> {
        let first_word = ins.syntax.segments().iter().find_map(|s| {
            let text = &self.src[s.source..s.source + s.len];
            let start = text.len() - text.trim_start().len();
            let len = text[start..].find(char::is_whitespace).unwrap_or(text.len() - start);
            (len > 0).then(|| s.source + start..s.source + start + len)
        });
        first_word.unwrap_or_else(|| ins.syntax.range.clone())
    }

    /// The `--name[=value]` flag, when written on one line.
    pub fn flag_range(&self, ins: Ins, name: &str) -> Option<Range<usize>> {
        self.tokens(ins).filter(|t| t.kind == TokenKind::Flag).map(|t| t.start..t.end).find(|r| {
            let text = self.src[r.clone()].trim_start_matches('-');
            text == name || text.strip_prefix(name).is_some_and(|rest| rest.starts_with('='))
        })
    }

    /// The edit that deletes the flag at `range` and the blanks after it, so the next word
    /// takes its place.
    pub fn flag_deletion(&self, range: Range<usize>) -> super::Edit {
        let rest = &self.src[range.end..];
        let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        super::Edit::delete(range.start..range.end + blanks)
    }

    /// Source ranges of the argument words (whitespace-separated, after flags).
    pub fn word_ranges(&self, ins: Ins) -> Vec<Range<usize>> {
        self.tokens(ins).filter(|t| t.kind == TokenKind::Word).map(|t| t.start..t.end).collect()
    }

    /// The arguments of the instruction as one source range (from the first argument word to
    /// the end of the instruction line, heredoc bodies excluded).
    pub fn arguments_range(&self, ins: Ins) -> Range<usize> {
        let mut words = self.tokens(ins).filter(|t| t.kind == TokenKind::Word);
        match words.next() {
            Some(first) => first.start..words.next_back().map_or(first.end, |last| last.end),
            None => self.keyword_range(ins),
        }
    }

    /// The range in the source of bytes `range` of the instruction's logical line.
    pub fn logical_range(&self, ins: Ins, range: Range<usize>) -> Range<usize> {
        ins.syntax.source_offset(range.start)
            ..ins.syntax.source_offset(range.end).max(ins.syntax.source_offset(range.start))
    }

    /// The shell scripts a RUN (or ONBUILD RUN) executes: its shell-form command line, heredoc
    /// bodies that the shell runs, and `sh -c` strings of exec form. Parsed on first use.
    pub fn scripts(&self, ins: Ins) -> &[Script] {
        self.all_scripts().of(ins.index)
    }

    /// The scripts of every instruction, parsed in one go: a lock and a list per instruction
    /// cost 112 bytes for each one-line RUN of a file of 100,000, and rules ask for all of
    /// them anyway.
    fn all_scripts(&self) -> &RunScripts {
        self.scripts.get_or_init(|| {
            let count = self.syntax.instructions.len();
            let mut all =
                RunScripts { scripts: Vec::new(), starts: crate::text::Offsets::new(self.src.len(), count + 1) };
            all.starts.push(0);
            // One script per RUN, in most files: the list is sized once.
            all.scripts.reserve((0..count).filter(|&i| self.ins(i).effective().keyword == "RUN").count());
            for index in 0..count {
                all.scripts.extend(self.run_scripts(self.ins(index)));
                all.starts.push(all.scripts.len());
            }
            all.scripts.shrink_to_fit();
            all
        })
    }

    /// The first RUN of `stage` with a script that was not fully parsed (it does not parse, or
    /// is too long to): what it runs is unknown, so a rewrite must not assume it runs nothing.
    pub fn unanalysed_run(&self, stage: &crate::model::Stage) -> Option<Ins<'a>> {
        stage.instructions.iter().map(|&i| self.ins(i)).find(|&ins| self.scripts(ins).iter().any(|s| s.has_errors))
    }

    /// The RUNs with a script for which `property` holds, if a rule asked for the scripts
    /// (they are not parsed for this).
    pub fn analysed_runs_where<P: Fn(&Script) -> bool>(
        &self,
        property: P,
    ) -> impl Iterator<Item = Ins<'a>> + use<'_, 'a, P> {
        let all = self.scripts.get();
        let count = all.map_or(0, |_| self.syntax.instructions.len());
        (0..count).filter(move |&i| all.is_some_and(|a| a.of(i).iter().any(&property))).map(|i| self.ins(i))
    }

    /// Parse a RUN's scripts; where they can be located in the file, also run ShellCheck's
    /// checks dockopt does itself, under the RUN's shell.
    fn run_scripts(&self, ins: Ins) -> Vec<Script> {
        let texts = shell_texts(self.src, ins);
        let dialect = if self.shell_checks && !texts.is_empty() {
            shell::checks::Dialect::of_program(&super::run_shell::shell_program(self, ins))
        } else {
            None
        };
        let given = |name: &str| self.given_variables(ins.model.stage()).contains(name);
        texts
            .iter()
            .map(|t| {
                let to_source = |o| t.source_offset(ins, o);
                match dialect {
                    Some(dialect) if !matches!(t.at, Offsets::Instruction) => shell::analyze_checked(
                        &t.text,
                        &to_source,
                        &shell::checks::Environment { dialect, given: &given },
                    ),
                    _ => shell::analyze(&t.text, &to_source),
                }
            })
            .collect()
    }

    /// Where ShellCheck's check `code` (done by dockopt, see `shell::checks`) fires in the
    /// RUN scripts of the file.
    pub fn shell_findings(&self, code: u16) -> impl Iterator<Item = Range<usize>> + '_ {
        self.instructions()
            .filter(|i| i.effective().keyword == "RUN")
            .flat_map(move |i| self.scripts(i).iter())
            .flat_map(move |s| s.findings().iter().filter(move |f| f.code == code).map(|f| f.range.clone()))
    }

    /// Every command of every RUN in `stage` (or the whole file when `None`), with the RUN.
    pub fn commands(&self, stage: Option<usize>) -> impl Iterator<Item = (Ins<'a>, &shell::Command)> + '_ {
        let indices: Box<dyn Iterator<Item = usize> + '_> = match stage {
            Some(s) => Box::new(self.model.stages.get(s).into_iter().flat_map(|st| st.instructions.iter().copied())),
            None => Box::new(0..self.syntax.instructions.len()),
        };
        indices
            .map(move |i| self.ins(i))
            .filter(|i| i.effective().keyword == "RUN")
            .flat_map(move |i| self.scripts(i).iter().flat_map(move |s| s.commands.iter().map(move |c| (i, c))))
    }

    /// The 1-based line of a source offset.
    pub fn line(&self, offset: usize) -> usize {
        self.syntax.lines.position(self.src, offset).line as usize
    }
}

/// Where the bytes of a [`ShellText`] are in the Dockerfile.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Offsets {
    /// At this offset of the instruction's logical line (continuations joined).
    Logical(usize),
    /// At this offset of the source (a heredoc body).
    Source(usize),
    /// Not located more precisely than the instruction (an exec-form `sh -c` string, whose
    /// JSON escapes shift offsets).
    Instruction,
}

/// A shell script a RUN executes, as text, and where it sits in the source.
pub(crate) struct ShellText<'a> {
    pub text: std::borrow::Cow<'a, str>,
    pub at: Offsets,
}

impl ShellText<'_> {
    /// The source offset of byte `offset` of the text.
    pub fn source_offset(&self, ins: Ins, offset: usize) -> usize {
        match self.at {
            Offsets::Logical(start) => ins.syntax.source_offset(start + offset),
            Offsets::Source(start) => start + offset,
            Offsets::Instruction => ins.syntax.range.start,
        }
    }
}

/// The shell scripts a RUN (or ONBUILD RUN) executes: its shell-form command line (heredoc
/// markers blanked, so offsets hold), heredoc bodies the shell runs (not those with a `#!` of
/// another language), and the `sh -c` string of exec form.
pub(crate) fn shell_texts<'a>(src: &'a str, ins: Ins<'a>) -> Vec<ShellText<'a>> {
    let run = ins.effective();
    if run.keyword != "RUN" {
        return Vec::new();
    }
    let syntax = ins.syntax;
    let mut texts = Vec::new();
    match run.form {
        Some(model::Form::Shell) => {
            let Some(command) = run.arguments.first() else { return texts };
            // The command is the tail of the logical line (flags and keyword before it).
            let start = syntax.logical_end().saturating_sub(command.len());
            // Heredoc bodies are analysed on their own; their `<<WORD` markers are blanked
            // (same length, so offsets hold) to keep the command line simple to parse.
            let line = if syntax.heredocs().is_empty() {
                std::borrow::Cow::Borrowed(command.as_str())
            } else {
                std::borrow::Cow::Owned(mask_heredoc_markers(command))
            };
            // Only with heredocs: whether the shell itself reads them as its script.
            let runs_heredoc = !syntax.heredocs().is_empty()
                && (command.trim_start().starts_with("<<")
                    || command.trim_start().chars().next().is_some_and(|c| c.is_ascii_digit())
                    || shell::analyze(&line, &|o| o)
                        .commands
                        .first()
                        .and_then(|c| c.program())
                        .is_some_and(|p| shell::POSIX_SHELLS.contains(&p)));
            texts.push(ShellText { text: line, at: Offsets::Logical(start) });
            if runs_heredoc {
                for doc in syntax.heredocs() {
                    let body = &src[doc.body.clone()];
                    if shell::shebang(body).is_none_or(|s| shell::POSIX_SHELLS.contains(&s.as_str())) {
                        texts.push(ShellText {
                            text: std::borrow::Cow::Borrowed(body),
                            at: Offsets::Source(doc.body.start),
                        });
                    }
                }
            }
        }
        Some(model::Form::Exec) => {
            // ["sh", "-c", "script"]
            if let [program, flag, script, ..] = run.arguments.as_ref() {
                let program = program.rsplit('/').next().unwrap_or(program);
                if shell::POSIX_SHELLS.contains(&program) && flag.starts_with('-') && flag.contains('c') {
                    texts.push(ShellText {
                        text: std::borrow::Cow::Borrowed(script.as_str()),
                        at: Offsets::Instruction,
                    });
                }
            }
        }
        None => {}
    }
    texts
}

/// `cat <<EOF >x` -> `cat      >x`: every `[n]<<[-]WORD` replaced by spaces of the same length.
fn mask_heredoc_markers(command: &str) -> String {
    static MARKER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"[0-9]*<<-?[ \t]*("[^"]*"|'[^']*'|[^\s<>|&;()]+)"#).expect("valid pattern")
    });
    MARKER.replace_all(command, |c: &regex::Captures| " ".repeat(c[0].len())).into_owned()
}

#[cfg(test)]
mod tests {
    use crate::syntax::TokenKind;

    #[test]
    fn the_keyword_range_is_the_first_keyword_token() {
        let src = "FROM a\nRU\\\nN x\n\\\n  \\\n   COPY\u{a0}a b\n\u{feff}\u{feff}ENV a=b\nonbuild --x run y\nRUN \\\n# c\n  z\n";
        super::Context::read(src, |cx| {
            for ins in cx.instructions() {
                let token = cx.tokens(ins).find(|t| t.kind == TokenKind::Keyword).map(|t| t.start..t.end);
                assert_eq!(Some(cx.keyword_range(ins)), token, "{:?}", cx.text(ins.syntax.range.clone()));
            }
            assert_eq!(cx.instructions().count(), 6);
        });
    }

    #[test]
    fn masks_heredoc_markers_keeping_offsets() {
        let line = "cat <<-\"EOF\" >/x && python3 3<<PY";
        let masked = super::mask_heredoc_markers(line);
        assert_eq!(masked.len(), line.len());
        assert_eq!(masked, format!("cat {} >/x && python3 {}", " ".repeat(8), " ".repeat(5)));
    }
}
