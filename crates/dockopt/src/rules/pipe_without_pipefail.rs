//! DO165 pipe-without-pipefail: a RUN pipes commands while failures of all but the last are
//! ignored.

use std::ops::Range;

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::model::Form;
use crate::shell::Script;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO165",
    name: "pipe-without-pipefail",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL4006"],
    summary: "A RUN with a pipe should run with `pipefail` set.",
    docs: r#"## What it does
Finds pipelines (`a | b`) in `RUN` scripts when neither the stage's `SHELL` sets
`-o pipefail` (bash, zsh, ash or ksh) nor the script itself runs `set -o pipefail` before the
pipe (hadolint only accepts SHELL, hadolint issue #522; a shell without pipefail fails on the
`set` and stops the build, so the pipe never runs unprotected). A `SHELL` set in a stage carries over to stages built `FROM` it. With a Windows shell
(`cmd`, `powershell`, `pwsh`) the rule is silent.

Heredoc scripts with their own `#!` line are run by that interpreter, not by `SHELL`: they
are judged only by their own `set -o pipefail` (hadolint warns about them regardless). The
same goes for exec-form `RUN ["bash", "-c", "..."]`, which `SHELL` does not affect.

## Why is this bad?
A pipeline's exit status is that of its last command. In
`RUN wget -O- https://example.com/key | gpg --dearmor > key.gpg` a failed download still
produces an (empty) key and the build goes on, to fail later or not at all.

## Example
```dockerfile
RUN wget -O - https://example.com/install.tar.gz | tar xz
```

## Use instead
```dockerfile
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN wget -O - https://example.com/install.tar.gz | tar xz
```
or, where the shell supports it (bash, busybox ash):
```dockerfile
RUN set -o pipefail && wget -O - https://example.com/install.tar.gz | tar xz
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// What the stage's SHELL means for pipes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shell {
    /// `/bin/sh -c` or another shell without `-o pipefail`.
    Plain,
    Pipefail,
    /// cmd, powershell: not a POSIX shell.
    Windows,
}

fn shell_of(arguments: &[String]) -> Shell {
    let Some(first) = arguments.first() else { return Shell::Plain };
    let name = first.rsplit(['/', '\\']).next().unwrap_or(first).to_ascii_lowercase();
    let name = name.strip_suffix(".exe").unwrap_or(&name);
    if ["cmd", "powershell", "pwsh"].contains(&name) {
        return Shell::Windows;
    }
    let option_o = arguments.iter().any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('o'));
    if ["bash", "zsh", "ash", "ksh"].contains(&name) && option_o && arguments.iter().any(|a| a == "pipefail") {
        Shell::Pipefail
    } else {
        Shell::Plain
    }
}

/// The first pipeline of `script` that runs before any `set -o pipefail`.
fn unprotected_pipe(script: &Script) -> Option<Range<usize>> {
    let set = script
        .commands
        .iter()
        .find(|c| c.is("set") && c.has_option(Some('o'), None) && c.args.iter().any(|a| a.text() == "pipefail"))
        .map(|c| c.range().start);
    (0..script.pipelines).find_map(|p| {
        let members = script.commands.iter().filter(|c| c.pipeline() == Some(p));
        let range = members.fold(None::<Range<usize>>, |acc, c| {
            Some(acc.map_or(c.range(), |r| r.start.min(c.range().start)..r.end.max(c.range().end)))
        })?;
        set.is_none_or(|s| s > range.start).then_some(range)
    })
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let mut shells: Vec<Shell> = Vec::with_capacity(cx.model.stages.len());
        for stage in &cx.model.stages {
            let mut shell = stage.base_stage.and_then(|b| shells.get(b).copied()).unwrap_or(Shell::Plain);
            for ins in stage.instructions.iter().map(|&i| cx.ins(i)) {
                if ins.is("SHELL") {
                    shell = shell_of(&ins.model.arguments);
                }
                if !ins.is("RUN") || shell == Shell::Windows {
                    continue;
                }
                let exec = ins.model.form == Some(Form::Exec);
                for script in cx.scripts(ins) {
                    // Scripts with a shebang or named in exec form pick their own shell.
                    let own_shell = exec || script.shebang().is_some();
                    if shell == Shell::Pipefail && !own_shell {
                        continue;
                    }
                    if let Some(range) = unprotected_pipe(script) {
                        let message = if own_shell {
                            "a failure before the last command of this pipe is ignored; run `set -o pipefail` first"
                        } else {
                            "a failure before the last command of this pipe is ignored; set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` or run `set -o pipefail` first"
                        };
                        out.report(range, message);
                        break;
                    }
                }
            }
            shells.push(shell);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_pipes_without_pipefail() {
        let src = "FROM a\nRUN apt-get update && \\\n  wget -O- https://x | tar xz && echo ok\n";
        assert_eq!(hits("DO165", src), vec![(3, "wget -O- https://x | tar xz".into())]);
        let heredoc = "FROM a\nRUN <<EOF\nset -e\ncurl -s x | sh\nEOF\n";
        assert_eq!(hits("DO165", heredoc), vec![(4, "curl -s x | sh".into())]);
        let shebang = "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN <<EOF\n#!/bin/bash\na | b\nEOF\n";
        assert_eq!(hits("DO165", shebang), vec![(5, "a | b".into())], "SHELL does not apply to a shebang script");
        let reset = "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nSHELL [\"/bin/sh\", \"-c\"]\nRUN a | b\n";
        assert_eq!(hits("DO165", reset).len(), 1);
        let late = "FROM a\nRUN a | b; set -o pipefail\n";
        assert_eq!(hits("DO165", late).len(), 1);
        let escape = "# escape=`\nFROM a\nRUN x `\n  | y\n";
        assert_eq!(hits("DO165", escape), vec![(3, "x `\n  | y".into())]);
        assert_eq!(hits("DO165", "FROM a\nRUN [\"sh\", \"-c\", \"a | b\"]\n").len(), 1);
        let new_stage = "FROM a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM b\nRUN a | b\n";
        assert_eq!(hits("DO165", new_stage).len(), 1);
    }

    #[test]
    fn quiet_with_pipefail_or_without_pipes() {
        assert_clean("DO165", "FROM a\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a | b\n");
        assert_clean("DO165", "FROM a AS base\nSHELL [\"/bin/ash\", \"-o\", \"pipefail\", \"-c\"]\nFROM base\nRUN a | b\n");
        assert_clean("DO165", "FROM a\nRUN set -euo pipefail; a | b\n");
        assert_clean("DO165", "FROM a\nRUN <<EOF\n#!/bin/bash\nset -eo pipefail\ncurl x | sh\nEOF\n");
        assert_clean("DO165", "FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1 | 2)\nEOF\n");
        assert_clean("DO165", "FROM a\nSHELL [\"pwsh\", \"-Command\"]\nRUN a | b\n");
        assert_clean("DO165", "FROM a\nRUN a || b && echo '|'\nONBUILD RUN a | b\n");
    }
}
