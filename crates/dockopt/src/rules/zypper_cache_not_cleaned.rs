//! DO341 zypper-cache-not-cleaned: zypper package downloads left in the layer.

use crate::lint::install::{ZYPPER_VALUE_OPTIONS, commands, removes, runs, ships, uncleaned};
use crate::lint::append::append_command;
use crate::lint::{Category, Context, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::shell::Command;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO341",
    name: "zypper-cache-not-cleaned",
    category: Category::Size,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3036", "trivy:DS-0020"],
    summary: "A RUN that installs with zypper should run `zypper clean` afterwards.",
    docs: r#"## What it does
Finds zypper installing or upgrading packages (`install`, `in`, `update`, `up`, `patch`,
`dist-upgrade`, `dup`, `source-install`, `si`) not followed, in the same RUN, by
`zypper clean` (`cc`) or by removing `/var/cache/zypp`. A BuildKit cache or tmpfs mount on
`/var/cache/zypp` is accepted instead. Only stages whose layers ship are checked: the last
stage, stages other stages are built on, and ONBUILD triggers.

## Why is this bad?
zypper keeps repository metadata and packages in `/var/cache/zypp`, which then ships in the
layer.

## Example
```dockerfile
RUN zypper --non-interactive install nginx=1.26.2
```

## Use instead
```dockerfile
RUN zypper --non-interactive install nginx=1.26.2 && zypper clean --all
```

## Fix safety
The fix appends ` && zypper clean --all` to the end of the RUN, on its last line. It is safe: it runs
after every command of the RUN, and the next install downloads what it needs again.
There is no fix for exec form, heredoc scripts, a non-POSIX `SHELL`, or a command line whose
end is not the end of the script (a trailing comment, `;` or `&`).
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

const DOWNLOADS: [&str; 9] = ["install", "in", "update", "up", "patch", "dist-upgrade", "dup", "source-install", "si"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            if !ships(cx, ins) || ins.has_cache_mount("/var/cache/zypp") {
                continue;
            }
            let cmds = commands(cx, ins);
            let install = |c: &Command| runs(c, &["zypper"], &DOWNLOADS, ZYPPER_VALUE_OPTIONS);
            let clean = |c: &Command| runs(c, &["zypper"], &["clean", "cc"], ZYPPER_VALUE_OPTIONS) || removes(c, "/var/cache/zypp");
            if let Some(cmd) = uncleaned(&cmds, install, clean) {
                let d = out.report(cmd.range(), "zypper's cache stays in the layer; run `zypper clean --all` after it in this RUN");
                d.set_fix(append_command(cx, ins, "zypper clean --all").map(|edit| Fix::safe("Add `zypper clean --all`", vec![edit])));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fix_cleans_at_the_end_of_the_run() {
        let src = "FROM suse\nRUN zypper -n refresh && \\\n    zypper -n in a\n";
        let expected = "FROM suse\nRUN zypper -n refresh && \\\n    zypper -n in a && \\\n    zypper clean --all\n";
        assert_eq!(fixed("DO341", src).as_deref(), Some(expected));
        assert_eq!(fixed("DO341", "FROM s\nRUN <<EOF\nzypper -n dup\nEOF\n"), None);
        assert_eq!(fixed("DO341", "FROM s\nRUN zypper -n in a # base tools\n"), None);
    }

    #[test]
    fn fires_without_clean() {
        let src = "FROM suse\nRUN zypper -n refresh && \\\n    zypper -n in a\n";
        assert_eq!(hits("DO341", src), vec![(3, "zypper -n in a".into())]);
        assert_eq!(hits("DO341", "FROM s\nRUN <<EOF\nzypper -n dup\nEOF\n"), vec![(3, "zypper -n dup".into())]);
        assert_eq!(hits("DO341", "FROM s\nONBUILD RUN zypper -n install a\n").len(), 1);
        assert_eq!(hits("DO341", "# escape=`\nFROM s\nRUN true `\n  && zypper -n in a\n"), vec![(4, "zypper -n in a".into())]);
    }

    #[test]
    fn quiet_when_cleaned_cached_or_not_shipped() {
        assert_clean("DO341", "FROM s\nRUN zypper -n in a && zypper clean -a\nRUN zypper -n in b && zypper cc\n");
        assert_clean("DO341", "FROM s\nRUN zypper -n in a && rm -rf /var/cache/zypp/*\n");
        assert_clean("DO341", "FROM s\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n in a\n");
        assert_clean("DO341", "FROM s AS build\nRUN zypper -n in gcc\nFROM scratch\n");
    }
}
