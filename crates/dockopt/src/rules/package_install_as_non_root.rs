//! DO134 package-install-as-non-root: a system package install after USER switched away from
//! root.

use crate::lint::install::commands;
use crate::lint::invocation::stage_chain;
use crate::lint::{Category, Context, FixAvailability, Ins, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO134",
    name: "package-install-as-non-root",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &[],
    summary: "System packages can only be installed as root: switch back with `USER root` first.",
    docs: r#"## What it does
Finds `RUN` commands that install, upgrade or remove system packages (`apt-get`, `apt`,
`apk`, `yum`, `dnf`, `microdnf`, `zypper`) when the `USER` in effect, set in the stage or a
stage it builds on, is neither `root` nor `0`. Commands run through `sudo` and users given as
variables are not reported.

## Why is this bad?
These package managers write to `/var/lib/dpkg`, `/var/lib/rpm`, `/etc` and `/usr`, which only
root may change: the step fails with a permission error. Base images that set a non-root user
(for example `jenkins/jenkins`, `node` images switched with `USER node`, or a stage built on
such a stage) make the `USER` easy to overlook.

## Example
```dockerfile
FROM jenkins/jenkins:lts
USER jenkins
RUN apt-get update && apt-get install -y --no-install-recommends jq
```

## Use instead
```dockerfile
FROM jenkins/jenkins:lts
USER root
RUN apt-get update && apt-get install -y --no-install-recommends jq \
 && rm -rf /var/lib/apt/lists/*
USER jenkins
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

const MANAGERS: [&str; 7] = ["apt-get", "apt", "apk", "yum", "dnf", "microdnf", "zypper"];
const CHANGES: [&str; 17] = [
    "install",
    "add",
    "del",
    "remove",
    "purge",
    "upgrade",
    "update",
    "dist-upgrade",
    "full-upgrade",
    "autoremove",
    "in",
    "rm",
    "up",
    "dup",
    "groupinstall",
    "localinstall",
    "reinstall",
];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        // The USER in effect: the last USER of the stage before the RUN, else the last USER
        // of the stages it builds on. Stages come in file order, so the RUNs are checked in
        // order, in one pass and with no list as long as the file.
        let user_of = |i: usize| {
            let ins = cx.ins(i);
            ins.is("USER").then(|| ins.model.arguments.first().map(String::as_str)).flatten()
        };
        let last: Vec<Option<&str>> =
            cx.model.stages.iter().map(|s| s.instructions.iter().rev().find_map(|&i| user_of(i))).collect();
        for (index, stage) in cx.model.stages.iter().enumerate() {
            let mut user = stage_chain(cx, index).into_iter().skip(1).find_map(|s| last[s]);
            for &i in &stage.instructions {
                let ins = cx.ins(i);
                if let Some(user) = user.filter(|_| ins.is("RUN")) {
                    check_run(cx, ins, user, out);
                }
                user = user_of(i).or(user);
            }
        }
    }
}

/// Report the first package change of `ins`, a RUN that runs as `user`, unless that is root.
fn check_run(cx: &Context, ins: Ins, user: &str, out: &mut Reporter) {
    let name = user.split(':').next().unwrap_or(user).trim();
    if name.is_empty() || name == "root" || name == "0" || name.contains('$') {
        return;
    }
    for command in commands(cx, ins) {
        let Some(program) = command.program().filter(|p| MANAGERS.contains(p)) else { continue };
        if command.subcommand().is_some_and(|s| CHANGES.contains(&s)) {
            out.report(
                command.range(),
                format!("`{program}` needs root, but this RUN runs as `{name}`; put `USER root` before it"),
            );
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_after_a_non_root_user() {
        let src = "FROM jenkins/jenkins\nUSER jenkins\nRUN apt-get update && apt-get install -y jq\n";
        assert_eq!(hits("DO134", src), vec![(3, "apt-get update".into())]);
        let base = "FROM node AS base\nUSER node\nFROM base\nRUN apk add --no-cache git\n";
        assert_eq!(hits("DO134", base).len(), 1);
        assert_eq!(hits("DO134", "FROM a\nUSER 1000:1000\nRUN dnf install -y x\n").len(), 1);
    }

    #[test]
    fn quiet_as_root_or_with_sudo() {
        assert_clean("DO134", "FROM a\nUSER app\nUSER root\nRUN apt-get install -y x\nUSER app\n");
        assert_clean("DO134", "FROM a\nUSER app\nRUN sudo apt-get install -y x\n");
        assert_clean("DO134", "FROM a\nUSER $APP_USER\nRUN apk add x\n");
        assert_clean("DO134", "FROM a\nUSER 0:0\nRUN yum install -y x\n");
        assert_clean("DO134", "FROM a\nRUN apt-get install -y x\nUSER app\n");
        assert_clean("DO134", "FROM a\nUSER app\nRUN apt-cache policy x && apt list --installed\n");
        assert_clean("DO134", "FROM a AS b\nUSER app\nFROM a\nRUN apk add x\n");
    }
}
