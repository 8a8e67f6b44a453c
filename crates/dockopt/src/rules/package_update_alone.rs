//! DO430 package-update-alone: a package index refresh in a RUN that installs nothing.

use crate::lint::append::join_runs;
use crate::lint::invocation::unwrap;
use crate::lint::{Category, Context, Fix, FixAvailability, Ins, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO430",
    name: "package-update-alone",
    category: Category::Cache,
    severity: Severity::Warning,
    upstream: &["trivy:DS-0017", "checkov:CKV_DOCKER_5"],
    summary: "Refresh the package index in the same RUN that installs the packages.",
    docs: r#"## What it does
Finds `RUN` instructions that refresh a package manager's index (`apt-get update`,
`apt update`, `aptitude update`, `apk update`, `zypper refresh`, `dnf makecache`,
`yum makecache`) but install nothing with that package manager afterwards in the same
instruction.

Installs through the cross-compilation wrappers of `tonistiigi/xx` (`xx-apt-get`, `xx-apk`)
count as installs. Only refreshes of the index count: `yum update`, `dnf update` and `zypper update` upgrade
packages and are not reported. A RUN that also runs a script of the project (`./install.sh`,
`sh deps.sh`), which may do the install, is not reported either.

## Why is this bad?
The layer cache keys a RUN on its text only. Once `RUN apt-get update` is cached, later
builds reuse that old index, and a changed `RUN apt-get install ...` below it then asks for
package versions that the cached index does not know, or installs outdated ones. Docker's
best-practice guide asks to always combine the update with the install in one RUN for this
reason. On its own, the refresh also leaves the index in a layer of its own.

## Example
```dockerfile
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
```

## Fix safety
When the very next instruction is a RUN of the same stage that installs with the same package
manager, and both are plain shell-form RUNs (no flags, heredocs or comments), the fix joins the
two with `&&`. It is safe: the same commands run in the same order, and the update's exit
status already decided whether the build went on. Otherwise there is no fix.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

/// A package manager family: the programs, the subcommands that refresh the index, and those
/// that read it (install or upgrade).
struct Family {
    programs: &'static [&'static str],
    refresh: &'static [&'static str],
    install: &'static [&'static str],
}

const FAMILIES: &[Family] = &[
    Family {
        programs: &["apt-get", "apt", "aptitude", "xx-apt-get", "xx-apt"],
        refresh: &["update"],
        install: &[
            "install",
            "upgrade",
            "dist-upgrade",
            "full-upgrade",
            "build-dep",
            "source",
            "reinstall",
            "download",
            "safe-upgrade",
        ],
    },
    Family { programs: &["apk", "xx-apk"], refresh: &["update"], install: &["add", "upgrade", "fix"] },
    Family {
        programs: &["zypper"],
        refresh: &["refresh", "ref"],
        install: &["install", "in", "update", "up", "dist-upgrade", "dup", "patch", "source-install", "si"],
    },
    Family {
        programs: &["dnf", "yum", "microdnf", "tdnf"],
        refresh: &["makecache"],
        install: &[
            "install",
            "update",
            "upgrade",
            "groupinstall",
            "localinstall",
            "reinstall",
            "distro-sync",
            "builddep",
            "module",
        ],
    },
];

fn family(command: &Command) -> Option<&'static Family> {
    let program = command.program()?;
    FAMILIES.iter().find(|f| f.programs.contains(&program))
}

fn refreshes(command: &Command) -> Option<&'static Family> {
    let command = unwrap(command);
    let family = family(&command)?;
    command.subcommand().is_some_and(|s| family.refresh.contains(&s)).then_some(family)
}

/// Whether `command` installs with `family`, directly or through `xargs`.
fn installs(command: &Command, family: &Family) -> bool {
    let command = unwrap(command);
    if family.programs.iter().any(|p| command.is(p)) {
        return command.subcommand().is_some_and(|s| family.install.contains(&s));
    }
    // `xargs apt-get install -y < packages.txt`
    command.is("xargs") && {
        let words: Vec<&str> = command.args.iter().map(|w| w.text()).collect();
        words.windows(2).any(|w| {
            family.programs.contains(&w[0].rsplit('/').next().unwrap_or(w[0])) && family.install.contains(&w[1])
        })
    }
}

/// A project script that may install packages itself: `./x.sh`, `/tmp/x.sh`, `sh x.sh`.
fn runs_script(command: &Command) -> bool {
    let Some(name) = command.name.as_ref().map(|n| n.text()) else { return false };
    let shell = matches!(command.program(), Some("sh" | "bash" | "ash" | "dash" | "zsh" | "source" | "."));
    let system = ["/usr/", "/bin/", "/sbin/"].iter().any(|p| name.starts_with(p));
    (name.contains('/') && !system)
        || name.ends_with(".sh")
        || (shell && command.operands().next().is_some_and(|w| !w.text().starts_with('-')))
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.effective().keyword == "RUN") {
            let commands: Vec<&Command> = cx.scripts(ins).iter().flat_map(|s| &s.commands).collect();
            if commands.iter().any(|c| runs_script(c)) {
                continue;
            }
            for (at, command) in commands.iter().enumerate() {
                let Some(family) = refreshes(command) else { continue };
                if commands[at + 1..].iter().any(|c| installs(c, family)) {
                    continue;
                }
                let name = command.program().unwrap_or("the package manager");
                let d = out.report(
                    command.range(),
                    format!("`{name}` refreshes the index in a RUN that installs nothing; a cached index goes stale for later installs"),
                );
                d.set_fix(fix(cx, ins, family, &commands));
                break;
            }
        }
    }
}

/// Join an update-only RUN with the next instruction, when that is a plain RUN of the same
/// stage that installs with the same package manager.
fn fix(cx: &Context, ins: Ins, family: &Family, commands: &[&Command]) -> Option<Fix> {
    let next = (ins.index + 1 < cx.model.instructions.len()).then(|| cx.ins(ins.index + 1))?;
    let plain = |i: Ins| i.is("RUN") && i.model.onbuild().is_none() && i.model.flags.is_empty();
    let only_refresh = commands.iter().all(|c| refreshes(c).is_some());
    let next_installs = cx.scripts(next).iter().flat_map(|s| &s.commands).any(|c| installs(c, family));
    if !plain(ins) || !plain(next) || next.model.stage() != ins.model.stage() || !only_refresh || !next_installs {
        return None;
    }
    let join = join_runs(cx, ins, next)?;
    Some(Fix::safe("Join the index refresh with the install that follows it", vec![join]))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_refresh_without_install() {
        let src = "FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n";
        assert_eq!(hits("DO430", src), vec![(2, "apt-get update".into())]);
        assert_eq!(hits("DO430", "FROM alpine\nRUN apk update && echo done\n"), vec![(2, "apk update".into())]);
        assert_eq!(hits("DO430", "FROM opensuse/leap\nRUN zypper --non-interactive ref\n").len(), 1);
        assert_eq!(hits("DO430", "FROM fedora\nRUN dnf makecache\n").len(), 1);
        // The install before the update does not read the new index.
        assert_eq!(hits("DO430", "FROM debian\nRUN apt-get install -y x; apt-get update\n").len(), 1);
        assert_eq!(hits("DO430", "FROM debian\nRUN sudo apt update\n").len(), 1);
        assert_eq!(hits("DO430", "FROM debian\nONBUILD RUN apt-get update\n").len(), 1);
    }

    #[test]
    fn quiet_when_the_same_run_installs() {
        assert_clean("DO430", "FROM debian\nRUN apt-get update && apt-get install -y curl\n");
        assert_clean("DO430", "FROM debian\nRUN apt-get update && xargs apt-get install -y < /pkgs\n");
        assert_clean("DO430", "FROM debian\nRUN apt-get update && xx-apt-get install -y gcc\n");
        assert_clean("DO430", "FROM alpine\nRUN apk update && apk upgrade\n");
        assert_clean("DO430", "FROM centos\nRUN yum update -y\n");
        assert_clean("DO430", "FROM debian\nRUN apt-get update && ./install-deps.sh\n");
        assert_clean("DO430", "FROM debian\nRUN apt-get update && bash /tmp/deps\n");
        assert_clean("DO430", "FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n");
    }

    #[test]
    fn fix_joins_with_the_next_install() {
        let src = "FROM debian\nRUN apt-get update\nRUN apt-get install -y curl\n";
        let joined = "FROM debian\nRUN apt-get update && \\\n    apt-get install -y curl\n";
        assert_eq!(fixed("DO430", src).as_deref(), Some(joined));
        assert_eq!(fixed("DO430", "FROM debian\nRUN apt-get update\nCOPY a /a\nRUN apt-get install -y x\n"), None);
        assert_eq!(fixed("DO430", "FROM debian\nRUN apt-get update\nRUN apk add x\n"), None);
        assert_eq!(fixed("DO430", "FROM debian\nRUN apt-get update && echo x\nRUN apt-get install -y x\n"), None);
        let mount = "FROM debian\nRUN apt-get update\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y x\n";
        assert_eq!(fixed("DO430", mount), None);
    }
}
