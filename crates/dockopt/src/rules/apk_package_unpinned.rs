//! DO526 apk-package-unpinned: `apk add` of a package without a version.

use crate::lint::packages::subcommand_operands;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO526",
    name: "apk-package-unpinned",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3018"],
    summary: "Packages installed with apk should have a pinned version.",
    docs: r#"## What it does
Finds packages in `apk add` that carry no version constraint (`=`, `~`, `<`, `>`) and are
not local `.apk` files. The names after `--virtual`/`-t` and `--repository`/`-X` are options,
not packages. Words whose value is only known at build time are not judged.

## Why is this bad?
An unpinned package is whatever the Alpine mirror serves on the day of the build: rebuilds
are not reproducible and can break without any change to the Dockerfile.

## Example
```dockerfile
RUN apk add --no-cache curl
```

## Use instead
```dockerfile
RUN apk add --no-cache curl=8.5.0-r0
```
or allow patch releases with `curl~8.5`.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (ins, command) in cx.commands(None).filter(|(_, c)| c.is("apk")) {
            let values = ["t", "virtual", "X", "repository", "p", "root", "keys-dir", "repositories-file", "arch"];
            let Some((_, packages)) = subcommand_operands(command, &["add"], &values) else { continue };
            for package in packages {
                let unpinned = |name: &str| !(name.contains(['=', '~', '<', '>']) || name.ends_with(".apk"));
                if let Some(name) = package.value() {
                    if unpinned(name) {
                        out.report(package.range(), format!("pin the version of `{name}`: `{name}=<version>`"));
                    }
                } else if let Some(list) = variable_value(cx, ins, package.raw()) {
                    // `apk add $PACKAGES` with the list in an ENV or ARG of the stage.
                    let names: Vec<&str> = list.split_whitespace().filter(|n| unpinned(n)).collect();
                    if !names.is_empty() {
                        let message = format!("`{}` holds unpinned packages: {}", package.raw(), names.join(", "));
                        out.report(package.range(), message);
                    }
                }
            }
        }
    }
}

/// The known value of a word that is exactly `$NAME` or `${NAME}`, from the RUN's stage.
fn variable_value<'a>(cx: &Context<'a>, ins: crate::lint::Ins, word: &str) -> Option<&'a str> {
    let name = word.strip_prefix("${").and_then(|w| w.strip_suffix('}')).or_else(|| word.strip_prefix('$'))?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let stage = cx.model.stages.get(ins.model.stage()?)?;
    stage.variables.iter().rev().find(|v| v.name == name)?.value.as_deref()
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_per_unpinned_package() {
        let src = "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps \\\n    gcc=13.2.1-r0 \\\n    musl-dev\n";
        assert_eq!(hits("DO526", src), vec![(4, "musl-dev".into())]);
        let heredoc = "FROM alpine:3.20\nRUN <<EOF\napk add -t deps --no-cache git\nEOF\n";
        assert_eq!(hits("DO526", heredoc), vec![(3, "git".into())]);
        assert_eq!(hits("DO526", "FROM alpine:3.20\nONBUILD RUN apk add git\n"), vec![(2, "git".into())]);
        let escape = "# escape=`\nFROM alpine:3.20\nRUN apk add `\n  git\n";
        assert_eq!(hits("DO526", escape), vec![(4, "git".into())]);
        let listed = "FROM alpine:3.20\nENV PKGS=\"git curl=8\"\nRUN apk add $PKGS ${UNKNOWN}\n";
        assert_eq!(hits("DO526", listed), vec![(3, "$PKGS".into())]);
    }

    #[test]
    fn quiet_on_pinned_local_and_other_subcommands() {
        assert_clean("DO526", "FROM alpine:3.20\nRUN apk add git=2.45.2-r0 curl~8 'b>1' ./x.apk $EXTRA\n");
        assert_clean("DO526", "FROM alpine:3.20\nRUN apk del git && apk update\n");
        assert_clean("DO526", "FROM alpine:3.20\nRUN apk add -X https://x/edge git=1\n");
    }
}
