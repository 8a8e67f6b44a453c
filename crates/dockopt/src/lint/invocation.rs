//! Shared helpers for rules that look at what a shell command really runs, or at the values
//! of ENV/ARG entries.

use std::borrow::Cow;
use std::ops::Range;

use super::{Context, Ins};
use crate::shell::{Command, Word};

/// The command that a wrapper (`sudo`, `env`, `nice`, `nohup`, `time`, `exec`, `command`)
/// runs, with the wrapper's `NAME=value` words added to the assignments. Commands without a
/// wrapper are returned as they are.
#[inline]
pub fn unwrap(command: &Command) -> Cow<'_, Command> {
    // Rules ask this of every command, and few are wrappers: the check is inlined.
    if !command.program().is_some_and(is_wrapper) {
        return Cow::Borrowed(command);
    }
    unwrap_wrappers(command)
}

/// Whether `program` is one of the wrappers [`unwrap`] looks through (byte patterns: compared
/// in place, without a call per name).
fn is_wrapper(program: &str) -> bool {
    matches!(program.as_bytes(), b"sudo" | b"env" | b"nice" | b"nohup" | b"time" | b"exec" | b"command")
}

/// [`unwrap`] of a command that runs a wrapper (the names of `is_wrapper`).
fn unwrap_wrappers(command: &Command) -> Cow<'_, Command> {
    let mut current = Cow::Borrowed(command);
    // Wrappers can nest (`sudo env X=1 curl`); a small bound keeps odd input cheap.
    for _ in 0..4 {
        let Some(program) = current.program() else { break };
        let takes_value: &[&str] = match program {
            "sudo" => &["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "--user", "--group"],
            "env" => &["-u", "-C", "-S", "--unset", "--chdir", "--split-string"],
            "nice" => &["-n", "--adjustment"],
            "nohup" | "time" | "exec" | "command" => &[],
            _ => break,
        };
        let args = &current.args;
        let mut i = 0;
        let mut assignments = current.assignments().to_vec();
        while i < args.len() {
            let t = args[i].text();
            if t == "--" {
                i += 1;
                break;
            }
            if t.starts_with('-') && t.len() > 1 {
                i += if takes_value.contains(&t) { 2 } else { 1 };
                continue;
            }
            if program == "env" && t.contains('=') && !t.starts_with('=') {
                assignments.push(args[i].clone());
                i += 1;
                continue;
            }
            break;
        }
        let Some(name) = args.get(i) else { break };
        // Keep everything else (range, pipeline position ...) of the wrapper's command.
        let mut inner: Command = current.as_ref().clone();
        inner.set_name(name.clone());
        inner.args = args[i + 1..].into();
        inner.set_assignments(assignments.into());
        current = Cow::Owned(inner);
    }
    current
}

/// Whether `program` is `pip`, `pip3`, `pip3.12` ...
pub fn is_pip(program: &str) -> bool {
    program.strip_prefix("pip").is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `python -m pip ...` / `python3.12 -m pip ...`: the arguments after `-m pip`, when the command
/// runs pip as a module.
pub fn python_module<'a>(command: &'a Command, module: &str) -> Option<&'a [Word]> {
    let program = command.program()?;
    let version = program.strip_prefix("python")?;
    if !version.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let at = command.args.iter().position(|w| w.text() == "-m")?;
    (command.args.get(at + 1)?.text() == module).then(|| &command.args[at + 2..])
}

/// The value of an ENV/ARG entry with quotes removed: the model's resolved value when it
/// has one, else the value as written without surrounding quotes.
pub fn pair_value(pair: &crate::model::Pair) -> Option<String> {
    if let Some(resolved) = &pair.resolved {
        return Some(resolved.to_string());
    }
    let raw = pair.value.as_deref()?;
    let unquoted = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
        .unwrap_or(raw);
    Some(unquoted.to_owned())
}

/// The source range of the argument word of an ENV/ARG instruction that declares `key`
/// (`KEY=value` or the `KEY` of the legacy `ENV KEY value` form), falling back to all the
/// arguments.
pub fn pair_range(cx: &Context, ins: Ins, key: &str) -> Range<usize> {
    cx.word_ranges(ins)
        .into_iter()
        .find(|r| {
            let text = cx.text(r.clone());
            let text = text.trim_start_matches(['"', '\'']);
            text.strip_prefix(key).is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
        })
        .unwrap_or_else(|| cx.arguments_range(ins))
}

/// The word that follows the option `name` (`-o value`), or the value glued to it (`-ovalue`,
/// `--opt=value`), for every occurrence.
pub fn option_values<'a>(command: &'a Command, names: &'a [&'a str]) -> impl Iterator<Item = (&'a Word, String)> + 'a {
    let args = &command.args;
    args.iter().enumerate().filter_map(move |(i, w)| {
        let t = w.text();
        for name in names {
            if t == *name {
                return args.get(i + 1).map(|v| (v, v.text().to_owned()));
            }
            let glued = if name.starts_with("--") { t.strip_prefix(&format!("{name}=")) } else { t.strip_prefix(name) };
            if let Some(value) = glued.filter(|v| !v.is_empty()) {
                return Some((w, value.to_owned()));
            }
        }
        None
    })
}

/// The value of ENV `name` in effect at `ins` (its stage and the stages it is built from).
pub fn env_at(cx: &Context, ins: Ins, name: &str) -> Option<String> {
    env_before(cx, ins.model.stage()?, ins.index, name)
}

/// The value of ENV `name` in `stage` before the instruction at `before` (`usize::MAX`: at the
/// stage's end), including what the stages it is built from set. ARGs are left out: an ARG
/// never sets the image's ENV.
pub fn env_before(cx: &Context, stage: usize, before: usize, name: &str) -> Option<String> {
    // The nearest stage of the chain that sets it decides: the stage itself before `before`,
    // else the last ENV of a base stage.
    stage_chain(cx, stage).into_iter().find_map(|s| {
        let mut envs = cx.assignments(s, name).iter().filter(|a| a.env && (s != stage || a.index < before));
        envs.next_back().map(|a| a.value.clone())
    })?
}

/// Whether the build is known to skip `cmd` of the RUN `ins`: one of its guards (an `if`
/// branch, `[ test ] &&`) is a test on ARG/ENV values known before the build that comes out
/// the other way. Unknown values never skip.
pub fn skipped(cx: &Context, ins: Ins, cmd: &Command) -> bool {
    cmd.guards()
        .iter()
        .any(|g| crate::shell::evaluate_test(&g.test, &|name| known_value(cx, ins, name)).is_some_and(|v| v != g.holds))
}

/// A variable's value in the RUN `ins` when the Dockerfile decides it: the last ARG or ENV
/// of the stage before `ins` (ENV of the stages it builds on); `Some("")` for an ARG declared
/// without a value and given none; `None` when it depends on something unknown or on the
/// base image.
fn known_value(cx: &Context, ins: Ins, name: &str) -> Option<String> {
    let stage = ins.model.stage()?;
    let last = stage_chain(cx, stage).into_iter().find_map(|s| {
        let own = |a: &&super::context::Assignment| if s == stage { a.index < ins.index } else { a.env };
        cx.assignments(s, name).iter().rfind(own)
    })?;
    match &last.value {
        None => Some(String::new()),
        Some(v) if v.contains('$') => None,
        Some(v) => Some(v.clone()),
    }
}

/// `false`, `0`, `no`, `off` (any case).
pub fn is_false(value: &str) -> bool {
    matches!(value.trim_matches(['"', '\'']).to_ascii_lowercase().as_str(), "false" | "0" | "no" | "off")
}

/// `true`, `1`, `yes`, `on` (any case).
pub fn is_true(value: &str) -> bool {
    matches!(value.trim_matches(['"', '\'']).to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
}

/// The stages `stage` is built from, itself first, following `FROM <earlier stage>`.
pub fn stage_chain(cx: &Context, stage: usize) -> Vec<usize> {
    let mut chain = vec![stage];
    let mut current = stage;
    while let Some(base) = cx.model.stages.get(current).and_then(|s| s.base_stage) {
        if chain.contains(&base) {
            break;
        }
        chain.push(base);
        current = base;
    }
    chain
}

/// Whether the image of `stage` ships: it is the last stage or a later stage builds on it.
pub fn is_shipped(cx: &Context, stage: usize) -> bool {
    cx.shipped_stages().get(stage).copied().unwrap_or(false)
}

/// For each stage, whether it is the last one or the base of another: one pass over the
/// stages (asking per stage and instruction was quadratic on long files).
pub(crate) fn shipped_stages(model: &crate::model::Model) -> Vec<bool> {
    let mut shipped = vec![false; model.stages.len()];
    if let Some(last) = shipped.last_mut() {
        *last = true;
    }
    for base in model.stages.iter().filter_map(|s| s.base_stage) {
        if let Some(b) = shipped.get_mut(base) {
            *b = true;
        }
    }
    shipped
}

/// A COPY/ADD source that means the whole build context.
pub fn is_whole_context(source: &str) -> bool {
    matches!(source, "." | "./" | "./." | "*" | "./*")
}

/// Whether a COPY/ADD (or ONBUILD COPY/ADD) copies the whole build context.
pub fn copies_context(ins: Ins) -> bool {
    let m = ins.effective();
    if !matches!(m.keyword.as_ref(), "COPY" | "ADD")
        || m.flags.iter().any(|f| &*f.name == "from")
        || !m.heredocs().is_empty()
    {
        return false;
    }
    m.arguments.split_last().is_some_and(|(_, sources)| sources.iter().any(|s| is_whole_context(s)))
}

/// The source range of the whole-context source of a COPY/ADD (inside the JSON quotes in
/// exec form), or its arguments.
pub fn context_source_range(cx: &Context, ins: Ins) -> Range<usize> {
    let words = cx.word_ranges(ins);
    let last = words.len().saturating_sub(1);
    words
        .into_iter()
        .take(last)
        .find_map(|r| {
            let text = cx.text(r.clone());
            let inner = text.trim_start_matches(['[', '"', ' ']).trim_end_matches([']', '"', ',', ' ']);
            is_whole_context(inner).then(|| {
                let at = r.start + text.find(inner).unwrap_or(0);
                at..at + inner.len()
            })
        })
        .unwrap_or_else(|| cx.arguments_range(ins))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::analyze;

    #[test]
    fn unwraps_sudo_and_env() {
        let s = analyze("sudo -u root env -i A=1 B=2 curl -k x", &|o| o);
        let c = unwrap(&s.commands[0]);
        assert_eq!(c.program(), Some("curl"));
        let assigned: Vec<_> = c.assignments().iter().map(Word::text).collect();
        assert_eq!(assigned, vec!["A=1", "B=2"]);
        assert_eq!(c.args.len(), 2);
        let s = analyze("ls -l", &|o| o);
        assert!(matches!(unwrap(&s.commands[0]), Cow::Borrowed(_)));
    }

    #[test]
    fn every_wrapper_is_looked_through() {
        // `is_wrapper` and the options table of `unwrap_wrappers` must name the same programs.
        for wrapper in ["sudo", "env", "nice", "nohup", "time", "exec", "command", "/usr/bin/sudo"] {
            let s = analyze(&format!("{wrapper} curl -f x"), &|o| o);
            assert_eq!(unwrap(&s.commands[0]).program(), Some("curl"), "{wrapper}");
        }
        for other in ["sudoku", "envsubst", "timeout", "ex"] {
            let s = analyze(&format!("{other} curl -f x"), &|o| o);
            assert!(matches!(unwrap(&s.commands[0]), Cow::Borrowed(_)), "{other}");
        }
    }

    #[test]
    fn finds_pip_and_option_values() {
        assert!(is_pip("pip3.11") && is_pip("pip") && !is_pip("pipx"));
        let s = analyze("python3 -m pip install -o a -ob --x=c --x d", &|o| o);
        assert_eq!(python_module(&s.commands[0], "pip").map(|a| a[0].text()), Some("install"));
        let values: Vec<String> = option_values(&s.commands[0], &["-o", "--x"]).map(|(_, v)| v).collect();
        assert_eq!(values, vec!["a", "b", "c", "d"]);
    }
}
