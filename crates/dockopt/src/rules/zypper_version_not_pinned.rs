//! DO545 zypper-version-not-pinned: `zypper install` of packages without a version.

use crate::lint::install::{ZYPPER_VALUE_OPTIONS, commands, operands, unjudgeable};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO545",
    name: "zypper-version-not-pinned",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3037"],
    summary: "Packages installed with zypper should name a version.",
    docs: r#"## What it does
Finds package arguments of `zypper install` (`in`) without a version constraint
(`=`, `<`, `>`, `<=`, `>=`). `.rpm` files carry their version; arguments with variables,
file paths and capabilities are not judged, and option values (`--from repo`) are not taken
for packages.

## Why is this bad?
Without a version each build installs whatever the repository has that day, so two builds of
the same Dockerfile can differ and break for reasons unrelated to any change.

## Example
```dockerfile
RUN zypper --non-interactive install nginx
```

## Use instead
```dockerfile
RUN zypper --non-interactive install nginx=1.26.2
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
            for cmd in commands(cx, ins).into_iter().filter(|c| c.is("zypper")) {
                let ops = operands(cmd, ZYPPER_VALUE_OPTIONS);
                let [sub, packages @ ..] = ops.as_slice() else { continue };
                if !matches!(sub.text(), "install" | "in") {
                    continue;
                }
                for word in packages.iter().filter(|w| !unjudgeable(w)) {
                    let name = word.text();
                    if !name.contains(['=', '<', '>']) && !name.ends_with(".rpm") {
                        out.report(word.range(), format!("`{name}` has no version; write `{name}=<version>`"));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_unversioned_packages() {
        let src = "FROM s\nRUN zypper -n in --from repo a=1 \\\n    b\n";
        assert_eq!(hits("DO545", src), vec![(3, "b".into())]);
        assert_eq!(hits("DO545", "FROM s\nRUN <<EOF\nzypper -n install tar\nEOF\n"), vec![(3, "tar".into())]);
        assert_eq!(hits("DO545", "FROM s\nONBUILD RUN zypper -n in a\n").len(), 1);
        assert_eq!(hits("DO545", "# escape=`\nFROM s\nRUN zypper -n in `\n  a\n"), vec![(4, "a".into())]);
    }

    #[test]
    fn quiet_on_versions_and_unknowns() {
        assert_clean("DO545", "FROM s\nRUN zypper -n in a=1 'b>=2' \"c<3\" x.rpm $P && zypper -n rm d\n");
    }
}
