//! DO530 apt-dist-upgrade: `apt-get dist-upgrade` (or `full-upgrade`) in a build.

use crate::lint::install::{commands, operands};
use crate::lint::invocation::unwrap;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

/// Options of apt-get, apt and aptitude that take the next word as their value.
const APT_VALUE_OPTIONS: &[&str] = &["-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release"];

static META: RuleMeta = RuleMeta {
    code: "DO530",
    name: "apt-dist-upgrade",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["trivy:DS-0024"],
    summary: "Do not run `apt-get dist-upgrade` or `full-upgrade` in a build.",
    docs: r#"## What it does
Finds `apt-get dist-upgrade`, `apt-get full-upgrade`, `apt full-upgrade`, `apt dist-upgrade`
and `aptitude full-upgrade` / `dist-upgrade` in `RUN` instructions.

Plain `apt-get upgrade` is not reported: it only brings installed packages up to date and
never removes or adds packages. zypper's `dist-upgrade` has its own rule (DO544).

## Why is this bad?
A distribution upgrade resolves dependencies anew: it may install packages that the base
image does not have, remove others, and, with changed sources, move the image to the next
release of the distribution. What ends up in the image then depends on the day of the build
more than on the Dockerfile. A newer tag of the base image gives the same updates, tested
together, and keeps the build reproducible.

## Example
```dockerfile
FROM debian:12
RUN apt-get update && apt-get dist-upgrade -y
```

## Use instead
```dockerfile
FROM debian:12.11
RUN apt-get update && apt-get upgrade -y && rm -rf /var/lib/apt/lists/*
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            for command in commands(cx, ins) {
                let inner = unwrap(command);
                if !(inner.is("apt-get") || inner.is("apt") || inner.is("aptitude")) {
                    continue;
                }
                let ops = operands(&inner, APT_VALUE_OPTIONS);
                let Some(sub) = ops.first().map(|w| w.text()) else { continue };
                if matches!(sub, "dist-upgrade" | "full-upgrade") {
                    out.report(
                        command.range(),
                        format!("`{sub}` may add, remove or replace packages depending on the day; use a newer base image"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_distribution_upgrades() {
        let src = "FROM debian\nRUN apt-get update && \\\n    apt-get -y dist-upgrade\n";
        assert_eq!(hits("DO530", src), vec![(3, "apt-get -y dist-upgrade".into())]);
        assert_eq!(hits("DO530", "FROM ubuntu\nRUN apt full-upgrade -y\n").len(), 1);
        let option = "FROM ubuntu\nRUN apt-get -o Dpkg::Options::=--force-confold dist-upgrade -y\n";
        assert_eq!(hits("DO530", option).len(), 1);
        assert_eq!(hits("DO530", "FROM ubuntu\nRUN [\"sh\", \"-c\", \"apt-get dist-upgrade -y\"]\n").len(), 1);
        assert_eq!(hits("DO530", "FROM ubuntu\nRUN sudo aptitude -y full-upgrade\n").len(), 1);
    }

    #[test]
    fn quiet_on_plain_upgrade_and_other_words() {
        assert_clean("DO530", "FROM debian\nRUN apt-get update && apt-get upgrade -y\n");
        assert_clean("DO530", "FROM debian\nRUN apt-get install -y dist-upgrade-helper\n");
        assert_clean("DO530", "FROM debian\nRUN echo apt-get dist-upgrade\n");
    }
}
