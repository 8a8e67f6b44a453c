//! DO544 zypper-dist-upgrade: `zypper dist-upgrade` in a build.

use crate::lint::install::{ZYPPER_VALUE_OPTIONS, commands, runs};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO544",
    name: "zypper-dist-upgrade",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3035"],
    summary: "Do not run `zypper dist-upgrade` in a build.",
    docs: r#"## What it does
Finds `zypper dist-upgrade` and `zypper dup`.

## Why is this bad?
A distribution upgrade may move the image to a new release of the distribution, with changed
packages and configuration, depending only on the day of the build. Choose a newer base image
instead, and update single packages with `zypper update` or `zypper patch` if needed.

## Example
```dockerfile
RUN zypper --non-interactive dist-upgrade
```

## Use instead
```dockerfile
FROM opensuse/leap:15.6
RUN zypper --non-interactive patch
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
            for cmd in commands(cx, ins) {
                if runs(cmd, &["zypper"], &["dist-upgrade", "dup"], ZYPPER_VALUE_OPTIONS) {
                    out.report(cmd.range(), "a distribution upgrade makes the build depend on the day; use a newer base image");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_dist_upgrade() {
        let src = "FROM s\nRUN zypper refresh && \\\n    zypper -n dup\n";
        assert_eq!(hits("DO544", src), vec![(3, "zypper -n dup".into())]);
        assert_eq!(hits("DO544", "FROM s\nRUN <<EOF\nzypper dist-upgrade -y\nEOF\n"), vec![(3, "zypper dist-upgrade -y".into())]);
        assert_eq!(hits("DO544", "FROM s\nONBUILD RUN zypper dup\n").len(), 1);
        assert_eq!(hits("DO544", "# escape=`\nFROM s\nRUN true && `\n  zypper dup\n"), vec![(4, "zypper dup".into())]);
    }

    #[test]
    fn quiet_on_other_commands() {
        assert_clean("DO544", "FROM s\nRUN zypper -n up && zypper -n patch && zypper -n in dup\n");
    }
}
