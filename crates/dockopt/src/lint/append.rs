//! Appending a command to a shell-form RUN (`... && yum clean all`): where its command line
//! ends in the source, and whether `&& command` written there runs last, on its own.

use super::{Context, Edit, Ins};
use crate::model::Form;
use crate::syntax::go;

/// Shells that understand `a && b`.
const POSIX_SHELLS: [&str; 6] = ["sh", "bash", "ash", "dash", "zsh", "ksh"];

/// The edit that appends ` && {command}` to the RUN `ins` (or ONBUILD RUN) at the end of its
/// last line. `None` for exec form, heredocs (the end of the line is not the end of the
/// script), a `SHELL` that is not a POSIX shell, and lines where the appended text would not
/// run as one more top-level command: a trailing comment, `;`, `&`, `|`, open quotes.
pub fn append_command(cx: &Context, ins: Ins, command: &str) -> Option<Edit> {
    let run = ins.effective();
    if run.keyword != "RUN"
        || run.form != Some(Form::Shell)
        || !ins.syntax.heredocs.is_empty()
        || ins.syntax.error.is_some()
        || !posix_shell_before(cx, ins)
    {
        return None;
    }
    let line = run.arguments.first()?;
    let at = ins.syntax.source_offset(go::trim_space(&ins.syntax.logical).len());
    // The source must end where the logical line does (same last character).
    if cx.src.get(..at)?.chars().last()? != line.chars().last()? {
        return None;
    }
    let inserted = format!(" && {command}");
    runs_last(&format!("{line}{inserted}"), line.len() + inserted.len() - command.len())
        .then(|| Edit::insert(at, inserted))
}

/// Whether `script` parses cleanly and its command starting at `start` runs at the top level
/// up to the end (not commented out, in a pipeline or a subshell).
fn runs_last(script: &str, start: usize) -> bool {
    let parsed = crate::shell::analyze(script, &|o| o);
    !parsed.has_errors
        && parsed
            .commands
            .iter()
            .any(|c| c.range == (start..script.len()) && c.pipeline.is_none() && !c.subshell && c.name.is_some())
}

/// No SHELL instruction up to `ins` switches to a shell that is not POSIX (PowerShell,
/// cmd). Conservative: a SHELL in any earlier stage counts too.
fn posix_shell_before(cx: &Context, ins: Ins) -> bool {
    cx.instructions().take_while(|i| i.index < ins.index).filter(|i| i.is("SHELL")).all(|i| {
        i.model.arguments.first().is_some_and(|program| {
            let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
            POSIX_SHELLS.contains(&name)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::LintOptions;

    /// The text after appending `true` to the first RUN of `src`, if it can be done.
    fn appended(src: &str) -> Option<String> {
        let file = crate::parse(src);
        let model = file.model();
        let options = LintOptions::default();
        let cx = Context::new(src, file.syntax(), &model, &options);
        let ins = cx.instructions().find(|i| i.effective().keyword == "RUN")?;
        let edit = append_command(&cx, ins, "true")?;
        Some(crate::fix::apply_edits(src, &[&edit]))
    }

    #[test]
    fn appends_on_the_last_line_keeping_the_rest() {
        assert_eq!(appended("FROM a\nRUN x  \nCMD y\n").as_deref(), Some("FROM a\nRUN x && true  \nCMD y\n"));
        let continued = "FROM a\nRUN x \\\n    # note\n && y\r\n";
        assert_eq!(appended(continued).as_deref(), Some("FROM a\nRUN x \\\n    # note\n && y && true\r\n"));
        let escape = "# escape=`\nFROM a\nRUN x `\n  || y\n";
        assert_eq!(appended(escape).as_deref(), Some("# escape=`\nFROM a\nRUN x `\n  || y && true\n"));
        assert_eq!(
            appended("FROM a\nONBUILD RUN if a; then b; fi\n").as_deref(),
            Some("FROM a\nONBUILD RUN if a; then b; fi && true\n")
        );
        assert_eq!(
            appended("FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN x\n").as_deref(),
            Some("FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN x && true\n")
        );
    }

    #[test]
    fn nothing_when_the_end_is_not_the_end_of_the_script() {
        for src in [
            "FROM a\nRUN x # comment\n",
            "FROM a\nRUN x;\n",
            "FROM a\nRUN x &\n",
            "FROM a\nRUN x |\n",
            "FROM a\nRUN x &&\n",
            "FROM a\nRUN echo 'open\n",
            "FROM a\nRUN [\"x\"]\n",
            "FROM a\nRUN <<EOT\nx\nEOT\n",
            "FROM a\nRUN cat <<EOT\nx\nEOT\n",
            "FROM a\nSHELL [\"powershell\", \"-Command\"]\nRUN x\n",
        ] {
            assert_eq!(appended(src), None, "{src}");
        }
    }
}
