//! DO300 apt-lists-not-removed: `apt-get update` without removing /var/lib/apt/lists.

use crate::lint::append::{append_command, join_runs};
use crate::lint::install::ships;
use crate::lint::invocation::{stage_chain, unwrap};
use crate::lint::{Category, Context, Fix, FixAvailability, Ins, Reporter, RuleMeta, Severity};
use crate::shell::Command;

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
same instruction, in the final stage, in a stage that a later stage builds on, or in an
`ONBUILD RUN` (it runs in whatever image builds on this one).

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
The fix appends ` && rm -rf /var/lib/apt/lists/*` to the end of the RUN, on its last line,
when no later RUN of the stage (or of a stage built on it) reads the lists: `apt-get
install`, `upgrade`, `build-dep`, `source`, `apt-cache`. When the update has a RUN of its own
and the very next RUN is the last one that reads the lists, the fix joins the two and removes
the lists at the end of the second (the usual `RUN apt-get update` / `RUN apt-get install`
pair). Otherwise there is no fix: removing the lists earlier would make a later install fail.
It is safe: the lists are removed only after the last command that reads them. There is no
fix for exec form, heredoc scripts, a non-POSIX `SHELL`, or a command line whose end is not
the end of the script (a trailing comment, `;` or `&`).
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let readers = Readers::of(cx);
        for ins in cx.instructions() {
            if ins.model.stage().is_none()
                || !ships(cx, ins)
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
                    .report(update.range(), "apt package lists are left in the layer; add `rm -rf /var/lib/apt/lists/*`");
                d.set_fix(fix(cx, ins, &readers));
            }
        }
    }
}

const REMOVE: &str = "rm -rf /var/lib/apt/lists/*";

/// Whether a command reads apt's package lists.
fn reads_lists(command: &Command) -> bool {
    let command = unwrap(command);
    (command.is("apt-get") || command.is("apt") || command.is("aptitude"))
        && matches!(
            command.subcommand(),
            Some("install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep" | "source" | "download" | "reinstall")
        )
        || command.is("apt-cache")
}

fn is_update(command: &Command) -> bool {
    let command = unwrap(command);
    (command.is("apt-get") || command.is("apt") || command.is("aptitude")) && command.subcommand() == Some("update")
}

/// The RUNs that read the lists, by the stages whose lists they read: for each stage, the
/// instruction indices (ascending) of such RUNs in it and in the stages built on it. Found in
/// one pass, so a file of many RUNs is not scanned again for each update.
struct Readers(Vec<Vec<usize>>);

impl Readers {
    fn of(cx: &Context) -> Self {
        let mut by_stage = vec![Vec::new(); cx.model.stages.len()];
        for ins in cx.instructions() {
            let Some(stage) = ins.model.stage() else { continue };
            if cx.scripts(ins).iter().flat_map(|s| &s.commands).any(reads_lists) {
                for s in stage_chain(cx, stage) {
                    by_stage[s].push(ins.index);
                }
            }
        }
        Self(by_stage)
    }

    /// The first two RUNs after `ins` that read the lists `ins` leaves (the second one only
    /// tells that there is more than one).
    fn after(&self, ins: Ins) -> (Option<usize>, bool) {
        let Some(list) = ins.model.stage().and_then(|s| self.0.get(s)) else { return (None, false) };
        let from = list.partition_point(|&i| i <= ins.index);
        (list.get(from).copied(), list.len() > from + 1)
    }
}

/// Remove the lists after the last command that reads them: at the end of this RUN, or, for
/// an update-only RUN followed by the last RUN that reads them, by joining the two.
fn fix(cx: &Context, ins: Ins, readers: &Readers) -> Option<Fix> {
    let (next, more) = readers.after(ins);
    let Some(next) = next.map(|i| cx.ins(i)) else {
        return append_command(cx, ins, REMOVE).map(|edit| Fix::safe("Remove the apt lists in the same RUN", vec![edit]));
    };
    let update_only = cx.scripts(ins).iter().flat_map(|s| &s.commands).all(is_update);
    let adjacent = next.index == ins.index + 1 && next.model.stage() == ins.model.stage();
    let plain = |i: Ins| i.model.onbuild().is_none() && i.model.flags.is_empty();
    if more || !update_only || !adjacent || !plain(ins) || !plain(next) {
        return None;
    }
    let remove = append_command(cx, next, REMOVE)?;
    let join = join_runs(cx, ins, next)?;
    Some(Fix::safe("Join the update with the install that reads the lists, and remove them there", vec![join, remove]))
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
    fn lists_stay_for_later_installs() {
        let split = "FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\nCMD [\"x\"]\n";
        let joined = "FROM debian\nRUN apt-get update && \\\n    apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCMD [\"x\"]\n";
        assert_eq!(fixed("DO300", split).as_deref(), Some(joined));
        // A later install without its own update still needs the lists: no fix.
        let two = "FROM debian\nRUN apt-get update && apt-get install -y a\nRUN apt-get install -y b\n";
        assert_eq!(fixed("DO300", two), None);
        let apart = "FROM debian\nRUN apt-get update\nCOPY x /x\nRUN apt-get install -y b\n";
        assert_eq!(fixed("DO300", apart), None);
        let child = "FROM debian AS base\nRUN apt-get update && apt-get install -y a\nFROM base\nRUN apt-get install -y b\n";
        assert_eq!(fixed("DO300", child), None);
        let update_and_more = "FROM debian\nRUN apt-get update && cd /x\nRUN apt-get install -y b\n";
        assert_eq!(fixed("DO300", update_and_more), None);
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

    #[test]
    fn onbuild_trigger_of_a_builder_stage_ships() {
        let src = "FROM debian AS tmpl\nONBUILD RUN apt-get update && apt-get install -y x\nFROM scratch\n";
        assert_eq!(hits("DO300", src), vec![(2, "apt-get update".into())]);
    }
}
