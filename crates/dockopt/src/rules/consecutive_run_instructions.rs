//! DO360 consecutive-run-instructions: short RUNs one after another that could be one layer.

use crate::lint::append::join_runs;
use crate::lint::{Category, Context, Fix, FixAvailability, Ins, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO360",
    name: "consecutive-run-instructions",
    category: Category::Size,
    severity: Severity::Info,
    upstream: &["hadolint:DL3059"],
    summary: "Consecutive short RUN instructions with the same flags could be one.",
    docs: r#"## What it does
Finds a `RUN` right after another `RUN` (comments between them do not count) when both have
the same flags (`--mount`, `--network`, ...) and each runs a single command. A RUN that
already chains commands (`a && b`, `set -eux; b`, a pipe) is taken as a deliberate split, as
in hadolint: its source reads "more than two commands", but its shell parser counts every
simple command twice, so in practice a second command already ends the check, and dockopt
follows what hadolint does. Under a PowerShell SHELL, a RUN that defines a function and calls
it counts as two commands (hadolint parses it as sh and sees one).

## Why is this bad?
Each `RUN` is a layer. Files created in one layer and deleted in the next still take space,
and many tiny layers slow pulls.

## Example
```dockerfile
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
RUN apt-get update && \
    apt-get install -y --no-install-recommends curl
```

## Fix safety
The fix joins the two command lines with `&&` when both are in shell form, use no heredoc
and have no comment between them. It is unsafe: the second command now runs in the first's
shell, so a `cd` or a variable set in the first now affects it.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

fn flags(ins: Ins<'_>) -> Vec<(&str, Option<&str>)> {
    ins.model.flags.iter().map(|f| (f.name.as_ref(), f.value.as_deref())).collect()
}

fn command_count(cx: &Context, ins: Ins) -> usize {
    cx.scripts(ins).iter().map(|s| s.commands.iter().filter(|c| c.name.is_some()).count()).sum()
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let mut previous: Option<(Ins, usize)> = None;
        for ins in cx.instructions() {
            if !ins.is("RUN") {
                previous = None;
                continue;
            }
            let count = command_count(cx, ins);
            if let Some((prev, prev_count)) = previous
                && prev_count <= 1
                && count <= 1
                && flags(prev) == flags(ins)
            {
                let range = cx.keyword_range(ins).start..cx.arguments_range(ins).end;
                let diagnostic = out.report(range, "RUN right after another short RUN; join them with `&&`");
                diagnostic.set_fix(join_runs(cx, prev, ins).map(|join| Fix::unsafe_("Join with the previous RUN", vec![join])));
            }
            previous = Some((ins, count));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_short_consecutive_runs() {
        let src = "FROM a\nRUN apt-get update\n# why\nRUN apt-get install -y \\\n  curl\n";
        assert_eq!(hits("DO360", src), vec![(4, "RUN apt-get install -y \\\n  curl".into())]);
        assert!(check("DO360", src)[0].fix.is_none(), "a comment between them");
        let heredoc = "FROM a\nRUN a\nRUN <<EOF\nb\nEOF\n";
        assert_eq!(hits("DO360", heredoc).len(), 1);
        assert!(check("DO360", heredoc)[0].fix.is_none());
        let escape = "# escape=`\nFROM a\nRUN a\nrun b\n";
        let fix = check("DO360", escape)[0].fix.clone().unwrap();
        assert_eq!(fix.edits[0].content, " && `\n    ");
        assert_eq!(&escape[fix.edits[0].range.clone()], "\nrun ");
    }

    #[test]
    fn fix_joins_the_lines() {
        let src = "FROM a\nRUN --network=none a\nRUN --network=none b\n";
        let fix = check("DO360", src)[0].fix.clone().unwrap();
        let mut out = src.to_owned();
        out.replace_range(fix.edits[0].range.clone(), &fix.edits[0].content);
        assert_eq!(out, "FROM a\nRUN --network=none a && \\\n    b\n");
    }

    #[test]
    fn quiet_on_long_runs_other_flags_or_interruptions() {
        assert_clean("DO360", "FROM a\nRUN a && b && c\nRUN d\n");
        assert_clean("DO360", "FROM a\nRUN a\nRUN set -eux; b\n");
        assert_clean("DO360", "FROM a\nRUN a | b\nRUN c\n");
        assert_clean("DO360", "FROM a\nRUN a\nRUN --mount=type=cache,target=/x b\n");
        assert_clean("DO360", "FROM a\nRUN a\nWORKDIR /x\nRUN b\nONBUILD RUN c\nRUN d\n");
    }
}
