//! DO300 apt-lists-not-removed: `apt-get update` without removing /var/lib/apt/lists.

use crate::lint::append::append_command;
use crate::lint::invocation::is_shipped;
use crate::lint::{Category, Context, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO300",
    name: "apt-lists-not-removed",
    category: Category::Size,
    severity: Severity::Info,
    upstream: &["hadolint:DL3009"],
    summary: "A RUN that updates apt's package lists should remove them in the same layer.",
    docs: r#"## What it does
Finds `RUN` instructions that run `apt-get update` (or `apt update`, `aptitude update`) and do
not delete `/var/lib/apt/lists/*` (or the folder itself) nor run `apt-get dist-clean` in the
same instruction, in the final stage or in a stage that a later stage builds on.

`apt-get dist-clean` (apt 2.7.8+, Debian trixie, Ubuntu noble) is `clean` plus removing the
package lists; the official Docker images use it since 2024 (docker-library/buildpack-deps
pull request #154). hadolint does not know it and reports these RUNs.

Unlike hadolint, any other `rm -rf` in the RUN does not count as cleaning up: hadolint
accepts an `rm` that has either `-rf` or the lists folder among its arguments, so
`rm -rf /tmp/build` silences it (hadolint issue #1250, the same argument matching), while
`rm -fr /var/lib/apt/lists` does not (hadolint issue #872).

## Why is this bad?
The package lists take tens of megabytes. Left in the layer, they ship with every copy of the
image and go stale anyway.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
```
or keep the lists in a BuildKit cache mount:
```dockerfile
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl
```

## Fix safety
The fix appends ` && rm -rf /var/lib/apt/lists/*` to the end of the RUN, on its last line.
It is safe: the lists are only read by apt commands of the same RUN, which have run by then.
There is no fix for exec form, heredoc scripts, a non-POSIX `SHELL`, or a command line whose
end is not the end of the script (a trailing comment, `;` or `&`).
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            let shipped = ins.model.stage.is_some_and(|s| is_shipped(cx, s));
            if !shipped
                || ins.has_cache_mount("/var/lib/apt/lists")
                || (ins.has_cache_mount("/var/lib/apt") && ins.has_cache_mount("/var/cache/apt"))
            {
                continue;
            }
            let commands = || cx.scripts(ins).iter().flat_map(|s| &s.commands);
            let removes = commands().any(|c| {
                (c.is("rm") && c.operands().any(|w| w.text().trim_end_matches(['*', '/']) == "/var/lib/apt/lists"))
                    || ((c.is("apt-get") || c.is("apt")) && matches!(c.subcommand(), Some("dist-clean" | "distclean")))
            });
            if removes {
                continue;
            }
            let update = commands().find(|c| {
                (c.is("apt-get") || c.is("apt") || c.is("aptitude")) && c.subcommand() == Some("update")
            });
            if let Some(update) = update {
                let d = out
                    .report(update.range.clone(), "apt package lists are left in the layer; add `rm -rf /var/lib/apt/lists/*`");
                d.fix = append_command(cx, ins, "rm -rf /var/lib/apt/lists/*")
                    .map(|edit| Fix::safe("Remove the apt lists in the same RUN", vec![edit]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fix_removes_the_lists_at_the_end_of_the_run() {
        let src = "FROM debian\nRUN apt-get update \\\n  # why\n  && apt-get install -y curl\nCMD [\"x\"]\n";
        let expected = "FROM debian\nRUN apt-get update \\\n  # why\n  && apt-get install -y curl \\\n  && rm -rf /var/lib/apt/lists/*\nCMD [\"x\"]\n";
        assert_eq!(fixed("DO300", src).as_deref(), Some(expected));
        let onbuild = "FROM debian\nONBUILD RUN apt-get update\n";
        assert_eq!(fixed("DO300", onbuild).as_deref(), Some("FROM debian\nONBUILD RUN apt-get update && rm -rf /var/lib/apt/lists/*\n"));
    }

    #[test]
    fn no_fix_where_the_end_of_the_line_is_not_the_end_of_the_script() {
        assert_eq!(fixed("DO300", "FROM debian\nRUN <<EOF\napt-get update\nEOF\n"), None);
        assert_eq!(fixed("DO300", "FROM debian\nRUN [\"sh\", \"-c\", \"apt-get update\"]\n"), None);
        assert_eq!(fixed("DO300", "FROM debian\nRUN apt-get update # refresh\n"), None);
        assert_eq!(fixed("DO300", "FROM debian\nRUN apt-get update &\n"), None);
    }

    #[test]
    fn fires_when_lists_stay() {
        let src = "FROM debian\nRUN apt-get update \\\n && apt-get install -y curl\n";
        assert_eq!(hits("DO300", src), vec![(2, "apt-get update".into())]);
        let heredoc = "FROM debian\nRUN <<EOF\nset -e\napt-get update\nEOF\n";
        assert_eq!(hits("DO300", heredoc), vec![(4, "apt-get update".into())]);
        let escape = "# escape=`\nFROM debian\nRUN apt-get update `\n && apt-get install -y curl\n";
        assert_eq!(hits("DO300", escape).len(), 1);
        assert_eq!(hits("DO300", "FROM debian\nONBUILD RUN apt-get update\n").len(), 1);
    }

    #[test]
    fn quiet_when_removed_cached_or_not_shipped() {
        assert_clean("DO300", "FROM debian\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n");
        assert_clean("DO300", "FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n");
        assert_clean("DO300", "FROM debian\nRUN apt-get update; apt-get install -y x; apt-get dist-clean\n");
        assert_clean("DO300", "FROM debian\nRUN apt-get update && apt-get install -y x && rm -fr /var/lib/apt/lists\n");
        assert_eq!(hits("DO300", "FROM debian\nRUN apt-get update && apt-get install -y x && rm -rf /tmp/x\n").len(), 1);
        assert_clean("DO300", "FROM debian AS build\nRUN apt-get update\nFROM scratch\nCOPY --from=build /x /x\n");
        assert_eq!(hits("DO300", "FROM debian AS base\nRUN apt-get update\nFROM base\n").len(), 1);
    }
}
