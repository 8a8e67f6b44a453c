//! Exec-form (JSON) command lines of RUN, CMD, ENTRYPOINT and HEALTHCHECK: the argument list,
//! whether a shell reads it after all, and where one element sits in the source.

use std::ops::Range;

use super::invocation::stage_chain;
use super::{Context, Ins};
use crate::model::Form;

const SHELLS: [&str; 7] = ["sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"];

/// The argument list of an exec-form RUN, CMD, ENTRYPOINT or `HEALTHCHECK CMD [...]` (also
/// under ONBUILD), without HEALTHCHECK's `CMD` word.
pub fn argv<'a>(ins: Ins<'a>) -> Option<&'a [String]> {
    let m = ins.effective();
    if m.form != Some(Form::Exec) {
        return None;
    }
    match m.keyword.as_ref() {
        "RUN" | "CMD" | "ENTRYPOINT" => Some(&m.arguments),
        "HEALTHCHECK" => match m.arguments.split_first() {
            Some((first, rest)) if first.eq_ignore_ascii_case("CMD") => Some(rest),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the list hands a script to a shell (`sh -c`, `bash -lc`, `busybox sh -c`), after
/// any wrapper (`tini --`, `dumb-init`): from there on the words are shell code.
pub fn runs_shell_script(argv: &[String]) -> bool {
    argv.windows(2).any(|w| {
        let program = w[0].rsplit('/').next().unwrap_or(&w[0]);
        SHELLS.contains(&program) && w[1].starts_with('-') && !w[1].starts_with("--") && w[1].contains('c')
    })
}

/// The ENTRYPOINT a CMD is handed to: the last ENTRYPOINT of its stage before it, or of the
/// stages it builds on.
pub fn entrypoint_for<'a>(cx: &Context<'a>, ins: Ins) -> Option<Ins<'a>> {
    let stage = ins.model.stage()?;
    stage_chain(cx, stage)
        .into_iter()
        .flat_map(|s| cx.model.stages[s].instructions.iter().rev().copied())
        .map(|i| cx.ins(i))
        .find(|i| i.is("ENTRYPOINT") && (i.index < ins.index || i.model.stage() != ins.model.stage()))
}

/// The source range of the JSON string holding `element` (quotes included), when it is written
/// without escapes; else the instruction's arguments.
pub fn element_range(cx: &Context, ins: Ins, element: &str) -> Range<usize> {
    let range = cx.arguments_range(ins);
    let text = cx.text(range.clone());
    let quoted = format!("\"{element}\"");
    text.find(&quoted).map_or(range.clone(), |at| range.start + at..range.start + at + quoted.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_healthcheck_lists_and_shell_scripts() {
        Context::read("FROM a\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"x\"]\n", |cx| {
            let ins = cx.ins(1);
            assert_eq!(argv(ins).map(<[String]>::to_vec), Some(vec!["curl".into(), "-f".into(), "x".into()]));
            assert_eq!(cx.text(element_range(cx, ins, "-f")), "\"-f\"");
        });
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(runs_shell_script(&words(&["tini", "--", "/bin/bash", "-lc", "x"])));
        assert!(!runs_shell_script(&words(&["bash", "run.sh", "-c"])));
        assert!(!runs_shell_script(&words(&["python", "-c", "x"])));
    }
}
