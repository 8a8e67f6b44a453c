//! DO540 apt-in-script: `apt` used in a RUN instead of `apt-get` / `apt-cache`.

use crate::lint::install::{commands, exact};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO540",
    name: "apt-in-script",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3027", "checkov:CKV_DOCKER_9"],
    summary: "Use `apt-get` or `apt-cache` in scripts, not `apt`.",
    docs: r#"## What it does
Finds `apt` commands in RUN instructions.

## Why is this bad?
`apt` is made for people at a terminal: its output and options may change between releases
(it warns "apt does not have a stable CLI interface") and it shows progress bars meant for a
terminal. `apt-get` and `apt-cache` are the stable interfaces for scripts.

## Example
```dockerfile
RUN apt update && apt install -y curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## Fix safety
The fix replaces `apt` with `apt-get` for the subcommands that behave the same (`install`,
`update`, `remove`, `purge`, `autoremove`, `clean`, `autoclean`, `source`, `build-dep`,
`download`, `dist-upgrade`). It is safe. `apt upgrade` is not fixed: unlike `apt-get upgrade`
it installs new dependencies. Query subcommands (`search`, `show`, `list`) map to
`apt-cache` or have no equivalent and are not fixed either.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

const SAME_AS_APT_GET: [&str; 11] = [
    "install",
    "update",
    "remove",
    "purge",
    "autoremove",
    "clean",
    "autoclean",
    "source",
    "build-dep",
    "download",
    "dist-upgrade",
];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            for cmd in commands(cx, ins) {
                let Some(name) = cmd.name.as_ref().filter(|_| cmd.is("apt")) else { continue };
                let d = out.report(cmd.range(), "`apt` has no stable interface for scripts; use `apt-get` or `apt-cache`");
                let same = cmd.subcommand().is_some_and(|s| SAME_AS_APT_GET.contains(&s));
                if let Some(range) = exact(name).filter(|r| same && cx.text(r.clone()).ends_with("apt")) {
                    d.set_fix(Fix::safe("Use `apt-get`", vec![Edit::insert(range.end, "-get")]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_apt() {
        let src = "FROM debian\nRUN apt update && \\\n    /usr/bin/apt install -y curl && apt upgrade -y\n";
        assert_eq!(
            hits("DO540", src),
            vec![(2, "apt update".into()), (3, "/usr/bin/apt install -y curl".into()), (3, "apt upgrade -y".into())]
        );
        let found = check("DO540", src);
        let edit = &found[1].fix.as_ref().unwrap().edits[0];
        assert_eq!((&src[edit.range.start - 12..edit.range.end], edit.content.as_ref()), ("/usr/bin/apt", "-get"));
        assert!(found[2].fix.is_none(), "apt upgrade differs from apt-get upgrade");
        assert_eq!(hits("DO540", "FROM d\nRUN <<EOF\napt install -y x\nEOF\n"), vec![(3, "apt install -y x".into())]);
        assert_eq!(hits("DO540", "FROM d\nONBUILD RUN apt install -y x\n").len(), 1);
        assert_eq!(hits("DO540", "# escape=`\nFROM d\nRUN true && `\n  apt update\n"), vec![(4, "apt update".into())]);
    }

    #[test]
    fn quiet_on_apt_get_and_apt_cache() {
        assert_clean("DO540", "FROM d\nRUN apt-get update && apt-cache show x && echo apt && aptitude x\n");
    }
}
