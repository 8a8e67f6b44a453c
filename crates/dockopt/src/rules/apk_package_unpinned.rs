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
        for (_, command) in cx.commands(None).filter(|(_, c)| c.is("apk")) {
            let values = ["t", "virtual", "X", "repository", "p", "root", "keys-dir", "repositories-file", "arch"];
            let Some((_, packages)) = subcommand_operands(command, &["add"], &values) else { continue };
            for package in packages {
                let Some(name) = package.value.as_deref() else { continue };
                if !(name.contains(['=', '~', '<', '>']) || name.ends_with(".apk")) {
                    out.report(package.range.clone(), format!("pin the version of `{name}`: `{name}=<version>`"));
                }
            }
        }
    }
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
    }

    #[test]
    fn quiet_on_pinned_local_and_other_subcommands() {
        assert_clean("DO526", "FROM alpine:3.20\nRUN apk add git=2.45.2-r0 curl~8 'b>1' ./x.apk $EXTRA\n");
        assert_clean("DO526", "FROM alpine:3.20\nRUN apk del git && apk update\n");
        assert_clean("DO526", "FROM alpine:3.20\nRUN apk add -X https://x/edge git=1\n");
    }
}
