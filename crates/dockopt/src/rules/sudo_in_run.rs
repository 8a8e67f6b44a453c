//! DO221 sudo-in-run: `sudo` in a RUN.

use std::ops::Range;

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO221",
    name: "sudo-in-run",
    category: Category::Security,
    severity: Severity::Error,
    upstream: &["hadolint:DL3004", "trivy:DS-0010", "checkov:CKV2_DOCKER_1"],
    summary: "Do not use `sudo` in RUN; switch users with USER instead.",
    docs: r#"## What it does
Finds `sudo` commands in RUN instructions (shell form, heredocs, `sh -c` strings, ONBUILD).

## Why is this bad?
Build steps run as the current `USER`, with no terminal and no password to give. `sudo`
either is not installed, prompts and fails, or works only because the image grants
password-less root, which stays available to anything that later runs in the container.
Its handling of environment and TTYs also differs between distributions.

## Example
```dockerfile
USER app
RUN sudo apt-get install -y curl
```

## Use instead
```dockerfile
USER root
RUN apt-get install -y curl
USER app
```
To drop privileges when the container starts, use a tool made for it such as `gosu` or
`su-exec` in the entrypoint.

## Fix safety
The fix removes the word `sudo` when it has no options of its own (`sudo make install` becomes
`make install`). It is unsafe: the command then runs as the current `USER`, which may not be
root at that point; add `USER root` before the RUN when it is not. There is no fix for `sudo`
with options (`-u app`, `-E`), whose meaning the plain command does not keep, nor inside
exec-form `sh -c` strings.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None).filter(|(_, c)| c.is("sudo")) {
            let d = out.report(command.range(), "`sudo` in a build step; set `USER root` for the step instead");
            d.set_fix(sudo_word(cx, command).map(|range| Fix::unsafe_("Remove `sudo`", vec![Edit::delete(range)])));
        }
    }
}

/// `sudo ` and the blanks after it, when it only runs the next word as a command: no options,
/// no `VAR=value`, on the same line and at an exact source position.
fn sudo_word(cx: &Context, command: &Command) -> Option<Range<usize>> {
    let sudo = command.name.as_ref()?;
    let next = command.args.first()?;
    let plain = !next.raw().starts_with('-') && !next.raw().contains('=');
    let gap = cx.src.get(sudo.range().end..next.range().start)?;
    let same_line = !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\t');
    (!sudo.range().is_empty() && plain && same_line).then_some(sudo.range().start..next.range().start)
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fix_removes_a_plain_sudo() {
        let src = "FROM debian\nRUN echo start \\\n && sudo  make install\n";
        assert_eq!(fixed("DO221", src).as_deref(), Some("FROM debian\nRUN echo start \\\n && make install\n"));
        let heredoc = "FROM debian\nRUN <<EOF\nFOO=1 /usr/bin/sudo id | sudo tee x\nEOF\n";
        assert_eq!(fixed("DO221", heredoc).as_deref(), Some("FROM debian\nRUN <<EOF\nFOO=1 id | sudo tee x\nEOF\n"));
    }

    #[test]
    fn no_fix_for_sudo_with_options_or_inside_json() {
        for src in [
            "FROM debian\nRUN sudo -u app id\n",
            "FROM debian\nRUN sudo -E make\n",
            "FROM debian\nRUN sudo HOME=/root make\n",
            "FROM debian\nRUN sudo\n",
            "FROM debian\nRUN sudo \\\n  make\n",
            "FROM debian\nRUN [\"sh\", \"-c\", \"sudo id\"]\n",
        ] {
            assert_eq!(fixed("DO221", src), None, "{src}");
        }
    }

    #[test]
    fn fires_on_sudo() {
        let src = "FROM debian\nRUN echo start \\\n && sudo make install\n";
        assert_eq!(hits("DO221", src), vec![(3, "sudo make install".into())]);
        let heredoc = "FROM debian\nRUN <<EOF\nset -e\nsudo -u app id\nEOF\n";
        assert_eq!(hits("DO221", heredoc), vec![(4, "sudo -u app id".into())]);
        assert_eq!(hits("DO221", "FROM debian\nONBUILD RUN sudo true\n").len(), 1);
        let escape = "# escape=`\nFROM debian\nRUN true `\n && sudo id\n";
        assert_eq!(hits("DO221", escape), vec![(4, "sudo id".into())]);
        assert_eq!(hits("DO221", "FROM debian\nRUN [\"sh\", \"-c\", \"sudo id\"]\n").len(), 1);
    }

    #[test]
    fn quiet_without_sudo() {
        assert_clean("DO221", "FROM debian\nRUN apt-get install -y sudo && echo sudo\n");
        assert_clean("DO221", "FROM debian\nCMD sudo id\n");
    }
}
