//! Appending a command to a shell-form RUN (`... && yum clean all`): where its command line
//! ends in the source, and whether `&& command` written there runs last, on its own.

use std::borrow::Cow;

use super::{Context, Edit, Ins};
use crate::model::Form;

/// The edit that appends ` && {command}` to the RUN `ins` (or ONBUILD RUN) at the end of its
/// last line. `None` for exec form, heredocs (the end of the line is not the end of the
/// script), a `SHELL` that is not a POSIX shell, and lines where the appended text would not
/// run as one more top-level command: a trailing comment, `;`, `&`, `|`, open quotes.
pub fn append_command(cx: &Context, ins: Ins, command: &str) -> Option<Edit> {
    let run = ins.effective();
    if run.keyword != "RUN"
        || run.form != Some(Form::Shell)
        || !ins.syntax.heredocs().is_empty()
        || ins.syntax.error().is_some()
        || !posix_shell_before(cx, ins)
    {
        return None;
    }
    let line = run.arguments.first()?;
    let at = ins.syntax.source_offset(ins.syntax.logical_end());
    // The source must end where the logical line does (same last character).
    if cx.src.get(..at)?.chars().last()? != line.chars().last()? {
        return None;
    }
    let inserted = continued(cx.src, at, ins.syntax.range.start, cx.model.escape, line, command)
        .unwrap_or_else(|| format!(" && {command}"));
    // What BuildKit hands the shell: the line continuations removed.
    let logical =
        inserted.replace(&format!("{}\r\n", cx.model.escape), "").replace(&format!("{}\n", cx.model.escape), "");
    runs_last(&format!("{line}{logical}"), line.len() + logical.len() - command.len())
        .then(|| Edit::insert(at, inserted))
}

/// The edit that joins the RUN `next` onto the RUN `prev` just before it (`prev && \`, then
/// `next`'s command on the following line), when both are shell-form RUNs without heredocs or
/// comments and nothing but blanks separates them. `None` otherwise.
pub fn join_runs(cx: &Context, prev: Ins, next: Ins) -> Option<Edit> {
    let joinable = |i: Ins| {
        i.model.form == Some(Form::Shell)
            && i.syntax.heredocs().is_empty()
            && !cx.text(i.syntax.range.clone()).contains('#')
    };
    let between = cx.text(prev.syntax.range.end..cx.keyword_range(next).start);
    if !joinable(prev) || !joinable(next) || !between.trim().is_empty() {
        return None;
    }
    let gap = prev.syntax.range.end..cx.arguments_range(next).start;
    // Written once for the two escape characters BuildKit knows, not once per finding.
    let joint = match cx.model.escape {
        '`' => Cow::Borrowed(" && `\n    "),
        '\\' => Cow::Borrowed(" && \\\n    "),
        other => Cow::Owned(format!(" && {other}\n    ")),
    };
    Some(Edit::replace(gap, joint))
}

/// For a RUN written over several lines, `command` on a line of its own in the same style:
/// `\n    && command` after lines that start with `&&`, `&& \\n    command` after lines that end
/// with `&& \\`, `; \\n    command` after `; \\` lines of a `set -e` script. None for other
/// layouts, which get ` && command` on the last line.
fn continued(src: &str, at: usize, start: usize, escape: char, script: &str, command: &str) -> Option<String> {
    let last_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    if last_start <= start {
        return None;
    }
    let newline = if src[..last_start].ends_with("\r\n") { "\r\n" } else { "\n" };
    let last = &src[last_start..at];
    let indent = &last[..last.len() - last.trim_start().len()];
    let previous = src[..last_start].trim_end_matches(['\r', '\n']).trim_end_matches(escape).trim_end();
    let mut words = script.split_whitespace();
    let strict = words.next() == Some("set") && words.next().is_some_and(|o| o.starts_with('-') && o.contains('e'));
    if last.trim_start().starts_with("&&") {
        Some(format!(" {escape}{newline}{indent}&& {command}"))
    } else if previous.ends_with("&&") {
        Some(format!(" && {escape}{newline}{indent}{command}"))
    } else if previous.ends_with(';') && strict {
        Some(format!("; {escape}{newline}{indent}{command}"))
    } else {
        None
    }
}

/// Whether `script` parses cleanly and its command starting at `start` runs at the top level
/// up to the end (not commented out, in a pipeline or a subshell).
fn runs_last(script: &str, start: usize) -> bool {
    let parsed = crate::shell::analyze(script, &|o| o);
    !parsed.has_errors
        && parsed
            .commands
            .iter()
            .any(|c| c.range() == (start..script.len()) && c.pipeline().is_none() && !c.subshell && c.name.is_some())
}

/// No SHELL instruction up to `ins` switches to a shell that is not POSIX (PowerShell,
/// cmd). Conservative: a SHELL in any earlier stage counts too.
fn posix_shell_before(cx: &Context, ins: Ins) -> bool {
    cx.instructions().take_while(|i| i.index < ins.index).filter(|i| i.is("SHELL")).all(|i| {
        i.model.arguments.first().is_some_and(|program| {
            let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
            crate::shell::POSIX_SHELLS.contains(&name)
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
        assert_eq!(appended(continued).as_deref(), Some("FROM a\nRUN x \\\n    # note\n && y \\\n && true\r\n"));
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
    fn multi_line_runs_get_a_line_in_their_own_style() {
        let leading = "FROM a\nRUN x \\\n    && y\n";
        assert_eq!(appended(leading).as_deref(), Some("FROM a\nRUN x \\\n    && y \\\n    && true\n"));
        let trailing = "FROM a\nRUN x && \\\n\ty\n";
        assert_eq!(appended(trailing).as_deref(), Some("FROM a\nRUN x && \\\n\ty && \\\n\ttrue\n"));
        let strict = "FROM a\nRUN set -eux; \\\n  x; \\\n  y\n";
        assert_eq!(appended(strict).as_deref(), Some("FROM a\nRUN set -eux; \\\n  x; \\\n  y; \\\n  true\n"));
        // Without `set -e`, `;` would hide a failure of `y`: `&&` on the same line instead.
        let lax = "FROM a\nRUN x; \\\n  y\n";
        assert_eq!(appended(lax).as_deref(), Some("FROM a\nRUN x; \\\n  y && true\n"));
        let escape = "# escape=`\r\nFROM a\r\nRUN x `\r\n  && y\r\n";
        assert_eq!(appended(escape).as_deref(), Some("# escape=`\r\nFROM a\r\nRUN x `\r\n  && y `\r\n  && true\r\n"));
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
