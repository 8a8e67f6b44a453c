//! The lint engine: runs the enabled rules over a parsed file, applies suppressions and
//! severity overrides, and returns findings sorted by position.

pub mod append;
pub mod archive;
pub mod args;
mod context;
mod diagnostic;
pub mod dockerignore;
pub mod exec;
pub mod install;
pub mod invocation;
pub mod labels;
mod order;
pub mod overridden;
pub mod packages;
pub mod pairs;
pub mod paths;
pub mod pip;
pub mod redact;
mod rule;
mod run_shell;
pub mod scratch;
pub mod shellcheck;
pub mod signals;
mod suppress;
#[cfg(test)]
pub(crate) mod testing;

pub use context::{Assignment, Context, Ins, Mount, WrittenCredentials};
pub(crate) use context::{Offsets, shell_texts};
pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Message, Reporter};
pub use rule::{Category, FixAvailability, Rule, RuleMeta, Severity};
pub(crate) use suppress::is_inline_ignore;

use crate::Dockerfile;
use suppress::Suppressions;

/// What the rules need from the outside: selection, severities and rule settings.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// When not empty, exactly the rules these selectors name (code, name, category,
    /// upstream id or `ALL`); otherwise the rules enabled by default.
    pub select: Vec<String>,
    /// Rules added to the selection.
    pub extend_select: Vec<String>,
    /// Rules removed from the selection.
    pub ignore: Vec<String>,
    /// `(selector, severity)`: later entries win.
    pub severity: Vec<(String, Severity)>,
    /// Registries FROM may use (empty: any).
    pub trusted_registries: Vec<String>,
    /// Labels every image must set.
    pub required_labels: Vec<String>,
    /// hadolint's `label-schema`: the format each named label's value must have.
    pub label_schema: Vec<(String, labels::LabelFormat)>,
    /// Build context files (relative paths) and .dockerignore text, when linting a file
    /// inside a build context.
    pub context: Option<BuildContext>,
    /// Whether ShellCheck runs on RUN scripts (off unless asked: it is another process).
    pub shellcheck: shellcheck::Shellcheck,
    /// Take every ShellCheck finding from the binary, none from the checks dockopt does itself
    /// (`SC2086` ...): ShellCheck's verdicts exactly, at the cost of speed. Also how the two
    /// are compared.
    pub shellcheck_binary_only: bool,
}

/// What the linter knows of the build context next to the Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct BuildContext {
    /// The context's `.dockerignore`, read and parsed once.
    pub dockerignore: dockerignore::IgnoreFile,
}

impl BuildContext {
    /// A context whose `.dockerignore` reads `text` (`None`: it has none).
    pub fn with_dockerignore(text: Option<&str>) -> Self {
        let dockerignore = match text {
            Some(text) => dockerignore::IgnoreFile::parse(std::path::Path::new(".dockerignore"), text),
            None => dockerignore::IgnoreFile::Missing,
        };
        Self { dockerignore }
    }
}

impl LintOptions {
    /// The default options with `config` (the keys of dockopt.toml) applied.
    pub fn configured(config: Option<&crate::config::Config>) -> Self {
        let mut options = Self::default();
        if let Some(config) = config {
            config.apply(&mut options);
        }
        options
    }

    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        if self.shellcheck_binary_only && is_native_shellcheck(rule) {
            return false;
        }
        let any = |list: &[String]| list.iter().any(|s| rule.matches(s));
        let selected = if self.select.is_empty() { rule.default_enabled } else { any(&self.select) };
        (selected || any(&self.extend_select)) && !any(&self.ignore)
    }

    fn severity_of(&self, rule: &RuleMeta) -> Severity {
        self.severity.iter().rev().find(|(s, _)| rule.matches(s)).map_or(rule.severity, |(_, sev)| *sev)
    }
}

/// Whether `selector` (a code, name, category, upstream id or `ALL`) names at least one rule:
/// one of the catalogue, or ShellCheck's (`SC2086`, or `shellcheck` for all of them).
pub fn names_a_rule(selector: &str) -> bool {
    rules().any(|r| r.matches(selector)) || shellcheck::is_selector(selector)
}

/// Every rule in the catalogue, by code.
pub fn rules() -> impl Iterator<Item = &'static RuleMeta> {
    static SORTED: std::sync::LazyLock<Vec<&'static RuleMeta>> = std::sync::LazyLock::new(|| {
        let mut all: Vec<&'static RuleMeta> = crate::rules::ALL.iter().map(|r| r.meta()).collect();
        all.sort_by_key(|r| r.code);
        all
    });
    SORTED.iter().copied()
}

/// Whether `rule` is one of ShellCheck's checks that dockopt does itself.
fn is_native_shellcheck(rule: &RuleMeta) -> bool {
    rule.code.starts_with("SC") && crate::rules::ALL.iter().any(|r| std::ptr::eq(r.meta(), rule))
}

/// The rule with this code, name or upstream id.
pub fn rule(selector: &str) -> Option<&'static RuleMeta> {
    let exact = rules().find(|r| r.code.eq_ignore_ascii_case(selector) || r.name.eq_ignore_ascii_case(selector));
    exact.or_else(|| rules().find(|r| r.matches(selector) && !selector.eq_ignore_ascii_case("all")))
}

/// Findings, and the byte ranges of secret values that no output may show.
#[derive(Debug, Clone, Default)]
pub struct LintResult {
    pub diagnostics: Vec<Diagnostic>,
    pub secrets: Vec<std::ops::Range<usize>>,
    /// What could not be checked, and why (e.g. shellcheck failed to run).
    pub notes: Vec<String>,
}

/// Lint a parsed Dockerfile.
pub fn lint(file: &Dockerfile, options: &LintOptions) -> Vec<Diagnostic> {
    run_without_secrets(file, options).diagnostics
}

/// Fixes that edit a RUN whose shell script does not parse are withheld (the finding stays):
/// the command ranges of a broken script are the parser's guesses, and an edit there can land
/// inside an unterminated quote, where the next lint cannot see it and asks for it again.
fn withhold_fixes_in_unparsed_scripts(cx: &Context, found: &mut [Diagnostic]) {
    let broken: Vec<std::ops::Range<usize>> =
        cx.analysed_runs_where(|s| s.has_errors).map(|ins| ins.syntax.range.clone()).collect();
    if broken.is_empty() {
        return;
    }
    for d in found {
        let edits_broken = d.fix.as_ref().is_some_and(|f| {
            f.edits.iter().any(|e| broken.iter().any(|r| e.range.start <= r.end && r.start <= e.range.end))
        });
        if edits_broken {
            d.fix = None;
        }
    }
}

/// Keep the items of `list` from `first` on for which `keep` holds, in order (it may change
/// them); those before `first` stay as they are.
fn retain_from<T>(list: &mut Vec<T>, first: usize, mut keep: impl FnMut(&mut T) -> bool) {
    let mut kept = first;
    for i in first..list.len() {
        if keep(&mut list[i]) {
            list.swap(kept, i);
            kept += 1;
        }
    }
    list.truncate(kept);
}

/// How many findings per instruction [`findings_in`] has room for before its list grows.
const FINDINGS_PER_INSTRUCTION: usize = 4;

/// Lint a parsed Dockerfile and locate its secret values.
pub fn run(file: &Dockerfile, options: &LintOptions) -> LintResult {
    let model = file.model();
    run_in(&Context::new(file.source(), file.syntax(), &model, options))
}

/// [`run`] without locating the secret values ([`LintResult::secrets`] is empty), for a
/// caller that shows no text of the file: finding them reads every ENV, ARG and LABEL again
/// (a twelfth of optimizing a large file went to the lints of its fixes finding them).
pub(crate) fn run_without_secrets(file: &Dockerfile, options: &LintOptions) -> LintResult {
    let model = file.model();
    findings_in(&Context::new(file.source(), file.syntax(), &model, options))
}

/// [`run`] in `cx`, with its options, for a caller that reads the file through it afterwards
/// (the model and the RUN scripts are made once). `cx` must be fresh: the notes and the fixes
/// withheld go by the RUN scripts analysed, which must be the ones the rules asked for.
pub(crate) fn run_in(cx: &Context) -> LintResult {
    // After the rules: the notes go by the RUN scripts the rules asked for.
    let found = findings_in(cx);
    LintResult { secrets: redact::secret_ranges(cx), ..found }
}

/// The findings and notes of a lint in `cx` (fresh, as for [`run_in`]); no secrets.
fn findings_in(cx: &Context) -> LintResult {
    let (syntax, model, options) = (cx.syntax, cx.model, cx.options);
    let suppressions = Suppressions::collect(syntax, model);
    // Whether to keep a finding, which then gets its configured severity.
    let keep = |d: &mut Diagnostic| {
        let index = syntax.instructions.partition_point(|i| i.range.end < d.range.start);
        let index = (index < syntax.instructions.len() && syntax.instructions[index].range.start <= d.range.start)
            .then_some(index);
        let stage = index.and_then(|i| model.instructions[i].stage());
        if suppressions.suppressed(d.rule, index, stage) {
            return false;
        }
        d.severity = options.severity_of(d.rule);
        suppressions.adjust(d);
        true
    };
    // Every rule reports into the one list (a list per rule, copied over, doubled the peak
    // for files with a finding per instruction). It has room for a few per instruction from
    // the start: a list of millions that grows moves when the room after it is taken, and
    // is held twice while it moves. Room never used is never touched (it costs address
    // space, not memory).
    let mut found = Vec::with_capacity(FINDINGS_PER_INSTRUCTION * syntax.instructions.len());
    for rule in crate::rules::ALL.iter().filter(|r| options.enabled(r.meta())) {
        let first = found.len();
        let mut reporter = Reporter::appending(rule.meta(), found);
        rule.check(cx, &mut reporter);
        found = reporter.found;
        retain_from(&mut found, first, keep);
    }
    let mut notes = Vec::new();
    if let Some(binary) = options.shellcheck.binary() {
        match shellcheck::check(cx, &binary) {
            // A check dockopt implements itself reports natively; the binary adds the rest.
            Ok(comments) => {
                let first = found.len();
                found.extend(comments.into_iter().filter(|d| {
                    options.enabled(d.rule)
                        && (options.shellcheck_binary_only
                            || !crate::rules::ALL.iter().any(|r| r.meta().code == d.rule.code))
                }));
                retain_from(&mut found, first, keep);
            }
            Err(why) => notes.push(why),
        }
    }
    withhold_fixes_in_unparsed_scripts(cx, &mut found);
    notes.extend(cx.analysed_runs_where(|s| s.too_long).map(|ins| {
        if ins.syntax.range.end > crate::text::MAX_TEXT_BYTES {
            format!("line {}: the RUN lies past the file's first 4 GiB and was not analysed", ins.syntax.start_line)
        } else {
            format!(
                "line {}: the RUN's script is longer than {} KiB and was not analysed",
                ins.syntax.start_line,
                crate::shell::MAX_SCRIPT_BYTES >> 10
            )
        }
    }));
    notes.extend(cx.analysed_runs_where(|s| s.too_deep).map(|ins| {
        format!(
            "line {}: the RUN's script nests too deeply (over {} command substitutions or {} levels) and was not fully analysed",
            ins.syntax.start_line,
            crate::shell::MAX_SUBSTITUTION_DEPTH,
            crate::shell::MAX_NESTING_DEPTH
        )
    }));
    order::sort_by_key_with_little_room(&mut found, |d| (d.range.start, d.rule.code));
    LintResult { diagnostics: found, secrets: Vec::new(), notes }
}
