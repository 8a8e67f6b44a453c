//! DO331 cleanup-in-separate-layer: a RUN that only removes caches or temporary files.

use crate::lint::append::join_runs;
use crate::lint::install::ships;
use crate::lint::invocation::unwrap;
use crate::lint::{Category, Context, Fix, FixAvailability, Ins, Reporter, RuleMeta, Severity};
use crate::model::Form;
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO331",
    name: "cleanup-in-separate-layer",
    category: Category::Size,
    severity: Severity::Warning,
    upstream: &[],
    summary: "Cleaning up in a RUN of its own frees no space; clean up in the RUN that made the files.",
    docs: r#"## What it does
Finds `RUN` instructions, in stages whose layers ship, that do nothing but clean up: package
manager caches (`apt-get clean`, `yum clean all`, `apk cache clean`, `npm cache clean`,
`pip cache purge` ...) and `rm` of caches, package lists, temporary files and documentation
(`/var/lib/apt/lists`, `/var/cache`, `/tmp`, `~/.cache`, `/usr/share/doc` ...).

## Why is this bad?
Every `RUN` adds a layer on top of the earlier ones, and the image keeps all of them. A file
deleted in a later layer is only hidden: its bytes stay in the layer that created it, and
each pull still downloads them. A cleanup therefore saves space only inside the RUN that
created the files. Docker's best-practice guide makes the same point for `apt-get update`
and the removal of `/var/lib/apt/lists`.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
RUN apt-get clean && rm -rf /var/lib/apt/lists/*
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
```

## Fix safety
When the instruction just before is a RUN of the same stage, and both are plain shell-form RUNs
(no flags, heredocs or comments) whose `rm` paths are absolute, the fix joins the cleanup onto
that RUN with `&&`. It is safe: the same commands run in the same order, and the earlier RUN
had to succeed for the cleanup to run at all. Otherwise there is no fix.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

/// Paths (or parts of paths) whose removal is a cleanup.
const CACHE_PATHS: [&str; 16] = [
    "/var/lib/apt/lists",
    "/var/cache/",
    "/var/cache",
    "/tmp",
    "/var/tmp",
    ".cache",
    "/usr/share/doc",
    "/usr/share/man",
    "/usr/share/info",
    "/var/log/",
    ".npm",
    "__pycache__",
    ".pyc",
    "/root/.m2",
    ".gradle/caches",
    "/var/lib/yum",
];

fn cleans(command: &Command) -> bool {
    let command = unwrap(command);
    let sub = command.subcommand();
    let Some(program) = command.program() else { return false };
    match program {
        "rm" => {
            let mut operands = command.operands().map(|w| w.text()).peekable();
            operands.peek().is_some() && operands.all(|p| CACHE_PATHS.iter().any(|c| p.contains(c)))
        }
        "apt-get" | "apt" => matches!(sub, Some("clean" | "autoclean" | "dist-clean" | "distclean")),
        "yum" | "dnf" | "microdnf" | "tdnf" => sub == Some("clean"),
        "zypper" => matches!(sub, Some("clean" | "cc")),
        "apk" => sub == Some("cache") && command.operands().nth(1).is_some_and(|w| matches!(w.text(), "clean" | "purge")),
        "npm" | "yarn" | "pnpm" => {
            sub == Some("cache") && command.operands().nth(1).is_some_and(|w| matches!(w.text(), "clean" | "prune"))
                || (program == "pnpm" && sub == Some("store"))
        }
        "conda" | "mamba" | "micromamba" => sub == Some("clean"),
        "composer" => matches!(sub, Some("clear-cache" | "clearcache" | "cc")),
        p if crate::lint::invocation::is_pip(p) => {
            sub == Some("cache") && command.operands().nth(1).is_some_and(|w| matches!(w.text(), "purge" | "remove"))
        }
        _ => false,
    }
}

/// Commands that change nothing in the file system.
fn neutral(command: &Command) -> bool {
    matches!(command.program(), Some("set" | "true" | ":" | "echo" | "printf"))
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.all("RUN") {
            if !ships(cx, ins) {
                continue;
            }
            let commands: Vec<&Command> = cx.scripts(ins).iter().flat_map(|s| &s.commands).collect();
            let Some(first) = commands.iter().find(|c| cleans(c)) else { continue };
            if !commands.iter().all(|c| cleans(c) || neutral(c)) {
                continue;
            }
            let range = first.range().start..commands.last().map_or(first.range().end, |c| c.range().end);
            let d = out.report(range, "this cleanup has a layer of its own: the files stay in the earlier layers; clean up in the RUN that made them");
            d.set_fix(fix(cx, ins, &commands));
        }
    }
}

/// Join the cleanup onto the RUN just before it.
fn fix(cx: &Context, ins: Ins, commands: &[&Command]) -> Option<Fix> {
    let prev = cx.ins(ins.index.checked_sub(1)?);
    let plain = |i: Ins| i.is("RUN") && i.model.flags.is_empty() && i.model.form == Some(Form::Shell);
    let absolute = commands
        .iter()
        .filter(|c| c.is("rm"))
        .all(|c| c.operands().all(|w| w.value().is_some() && w.text().starts_with('/')));
    let open_end = prev.model.arguments.first().is_none_or(|a| a.trim_end().ends_with([';', '&', '|', '\\']));
    if !plain(prev) || !plain(ins) || prev.model.stage() != ins.model.stage() || !absolute || open_end {
        return None;
    }
    let join = join_runs(cx, prev, ins)?;
    Some(Fix::safe("Clean up in the RUN before", vec![join]))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_cleanup_only_runs() {
        let src = "FROM debian\nRUN apt-get install -y x\nRUN apt-get clean && rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(hits("DO331", src), vec![(3, "apt-get clean && rm -rf /var/lib/apt/lists/*".into())]);
        assert_eq!(hits("DO331", "FROM a\nRUN rm -rf /tmp/* /root/.cache\n").len(), 1);
        assert_eq!(hits("DO331", "FROM a\nRUN set -eux; yum clean all\n").len(), 1);
        assert_eq!(hits("DO331", "FROM a\nRUN npm cache clean --force\n").len(), 1);
        assert_eq!(hits("DO331", "FROM a\nRUN pip3 cache purge\n").len(), 1);
    }

    #[test]
    fn quiet_when_the_run_does_more_or_does_not_ship() {
        assert_clean("DO331", "FROM a\nRUN apt-get install -y x && apt-get clean\n");
        assert_clean("DO331", "FROM a\nRUN rm /etc/nginx/conf.d/default.conf\n");
        assert_clean("DO331", "FROM a\nRUN rm -rf /tmp/x /app/config.yml\n");
        assert_clean("DO331", "FROM a AS build\nRUN rm -rf /tmp/*\nFROM scratch\nCOPY --from=build /x /x\n");
        assert_clean("DO331", "FROM a\nRUN echo hi\n");
    }

    #[test]
    fn fix_joins_onto_the_previous_run() {
        let src = "FROM debian\nRUN apt-get install -y x\nRUN apt-get clean && rm -rf /var/lib/apt/lists/*\n";
        let joined = "FROM debian\nRUN apt-get install -y x && \\\n    apt-get clean && rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(fixed("DO331", src).as_deref(), Some(joined));
        assert_eq!(fixed("DO331", "FROM a\nCOPY x /x\nRUN rm -rf /tmp/*\n"), None);
        assert_eq!(fixed("DO331", "FROM a\nRUN make\nRUN rm -rf build/.cache\n"), None);
        assert_eq!(fixed("DO331", "FROM a\nRUN make;\nRUN rm -rf /tmp/*\n"), None);
        assert_eq!(fixed("DO331", "FROM a\nRUN --mount=type=cache,target=/x make\nRUN rm -rf /tmp/*\n"), None);
    }
}
