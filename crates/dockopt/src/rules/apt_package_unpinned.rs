//! DO523 apt-package-unpinned: `apt-get install` of a package without a version.

use crate::lint::packages::{apt_simulates, subcommand_operands};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO523",
    name: "apt-package-unpinned",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3008"],
    summary: "Packages installed with apt should have a pinned version.",
    docs: r#"## What it does
Finds packages in `apt-get install` (and `apt install`) that name neither a version
(`curl=7.88.1-10`), a release (`curl/bookworm`) nor a local `.deb` file. Words whose value is
only known at build time (`$PACKAGES`) and simulated installs (`-s`, `--dry-run`) are not
judged. hadolint looks only at `apt-get` (it reports `apt` as DL3027, a different problem), so
it misses the unpinned packages of `apt install`; dockopt reports them too.

## Why is this bad?
Without a version, every rebuild installs whatever the mirror has that day: builds stop being
reproducible, and an upstream change can break the image without any change to the
Dockerfile.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
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
        for (_, command) in cx.commands(None) {
            if !(command.is("apt-get") || command.is("apt")) || apt_simulates(command) {
                continue;
            }
            let Some((_, packages)) = subcommand_operands(command, &["install"], &["o", "t", "c", "target-release"])
            else {
                continue;
            };
            for package in packages {
                let Some(name) = package.value() else { continue };
                if !(name.contains('=') || name.contains('/') || name.ends_with(".deb")) {
                    out.report(package.range(), format!("pin the version of `{name}`: `{name}=<version>`"));
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
        let src = "FROM debian\nRUN apt-get update && apt-get install -y \\\n    curl=7.88 \\\n    git \\\n    'vim'\n";
        assert_eq!(hits("DO523", src), vec![(4, "git".into()), (5, "'vim'".into())]);
        let heredoc = "FROM debian\nRUN <<EOF\napt-get install -y -t bookworm-backports git\nEOF\n";
        assert_eq!(hits("DO523", heredoc), vec![(3, "git".into())]);
        assert_eq!(hits("DO523", "FROM debian\nONBUILD RUN apt install -y git\n"), vec![(2, "git".into())]);
        let escape = "# escape=`\nFROM debian\nRUN apt-get install -y `\n  git\n";
        assert_eq!(hits("DO523", escape), vec![(4, "git".into())]);
    }

    #[test]
    fn quiet_on_pinned_release_local_and_unknown() {
        assert_clean("DO523", "FROM debian\nRUN apt-get install -y curl=7.88.1 git/bookworm ./x.deb \"$PKGS\"\n");
        assert_clean("DO523", "FROM debian\nRUN apt-get update && apt-get upgrade -y git\n");
        assert_clean("DO523", "FROM debian\nRUN apt-get install -s \"postgresql-16\" git\n");
        assert_clean("DO523", "FROM debian\nRUN apt-get install -y -o Dpkg::Options::=--force-confnew\n");
    }
}
