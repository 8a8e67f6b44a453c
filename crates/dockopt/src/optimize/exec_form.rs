//! exec-form: CMD/ENTRYPOINT in the JSON form (the fix of DO101, which keeps the process and
//! its arguments the same). Precondition: a script it starts directly has a `#!` line; in the
//! shell form, `sh` runs a script without one itself, the JSON form cannot execute it.

use super::{Step, command_words, rule_fixes};
use crate::lint::Context;
use crate::model::Form;
use crate::semantics::BuildContext;
use crate::semantics::provenance::stage_context_path;

const SCRIPT_SUFFIXES: [&str; 5] = [".sh", ".py", ".rb", ".pl", ".bash"];

/// Why a shell-form start command's program may not run without the shell, if it may not.
fn script_without_shebang(text: &str, context: Option<&BuildContext>) -> Option<String> {
    Context::read(text, |cx| {
        for ins in
            cx.instructions().filter(|i| (i.is("CMD") || i.is("ENTRYPOINT")) && i.model.form == Some(Form::Shell))
        {
            let Some(program) = command_words(ins.model).first().map(|w| (*w).to_owned()) else { continue };
            if !program.contains('/') && !SCRIPT_SUFFIXES.iter().any(|s| program.ends_with(s)) {
                continue;
            }
            let line = ins.model.span.start.line;
            let path = stage_context_path(cx, ins, &program);
            match (path, context) {
                (Some(path), Some(context)) => {
                    let script = context.read(&path).unwrap_or_default();
                    if !script.starts_with("#!") {
                        return Some(format!("line {line}: `{program}` has no `#!` line; only a shell can run it"));
                    }
                }
                _ if SCRIPT_SUFFIXES.iter().any(|s| program.ends_with(s)) => {
                    return Some(format!("line {line}: the script `{program}` cannot be read to see its `#!` line"));
                }
                _ => {}
            }
        }
        None
    })
}

pub(crate) fn exec_form(text: &str, context: Option<&BuildContext>) -> Step {
    if let Some(why) = script_without_shebang(text, context) {
        return Step::Skipped(why);
    }
    rule_fixes(text, "exec-form", &["DO101"])
}
