//! DO145 zypper-without-non-interactive: zypper changing packages without a non-interactive switch.

use crate::lint::install::{ZYPPER_VALUE_OPTIONS, commands, exact, runs};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO145",
    name: "zypper-without-non-interactive",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3034"],
    summary: "zypper in a RUN needs `--non-interactive` or `-y`.",
    docs: r#"## What it does
Finds `zypper install|in`, `remove|rm`, `source-install|si` and `patch` without
`--non-interactive` (`-n`), `--no-confirm` or `-y`.

## Why is this bad?
zypper asks for confirmation; a build cannot answer, so it stops or fails.

## Example
```dockerfile
RUN zypper install nginx=1.26.2
```

## Use instead
```dockerfile
RUN zypper --non-interactive install nginx=1.26.2
```

## Fix safety
The fix adds the global option `--non-interactive` after `zypper`, which every subcommand
accepts. It is safe: it only answers the prompts the build cannot answer, with their
default answers.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

const CHANGES: [&str; 7] = ["install", "in", "remove", "rm", "source-install", "si", "patch"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            for cmd in commands(cx, ins) {
                if !runs(cmd, &["zypper"], &CHANGES, ZYPPER_VALUE_OPTIONS)
                    || cmd.has_option(Some('n'), Some("non-interactive"))
                    || cmd.has_option(Some('y'), Some("no-confirm"))
                {
                    continue;
                }
                let d = out.report(cmd.range(), "`zypper` will wait for a confirmation; add `--non-interactive`");
                if let Some(name) = cmd.name.as_ref().and_then(exact) {
                    d.set_fix(Fix::safe("Add `--non-interactive`", vec![Edit::insert(name.end, " --non-interactive")]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_without_switch() {
        let src = "FROM suse\nRUN zypper refresh && zypper in \\\n  nginx\n";
        assert_eq!(hits("DO145", src), vec![(2, "zypper in \\\n  nginx".into())]);
        let found = check("DO145", src);
        let edit = &found[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(&src[edit.range.start - 6..edit.range.end], "zypper");
        assert_eq!(hits("DO145", "FROM s\nRUN <<EOF\nzypper rm x\nEOF\n"), vec![(3, "zypper rm x".into())]);
        assert_eq!(hits("DO145", "FROM s\nONBUILD RUN zypper patch\n").len(), 1);
        assert_eq!(hits("DO145", "# escape=`\nFROM s\nRUN true && `\n  zypper si x\n"), vec![(4, "zypper si x".into())]);
    }

    #[test]
    fn quiet_with_switch_or_read_only_commands() {
        let src = "FROM s\nRUN zypper -n in x && zypper --non-interactive rm y && zypper install -y z && zypper in --no-confirm w\n";
        assert_clean("DO145", src);
        assert_clean("DO145", "FROM s\nRUN zypper refresh && zypper search x && zypper clean\n");
    }
}
