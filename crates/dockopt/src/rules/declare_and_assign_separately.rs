//! SC2155 declare-and-assign-separately: `export x=$(cmd)` hides a failing cmd (ShellCheck's
//! SC2155, checked natively: see `shell::checks`).

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "SC2155",
    name: "declare-and-assign-separately",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:SC2155", "shellcheck:SC2155"],
    summary: "Assign a command's output before `export`, `local` or `readonly`, not in it.",
    docs: r#"## What it does
Finds `export`, `declare`, `local`, `readonly` and `typeset` whose assignment takes a
command's output (`export GNUPGHOME="$(mktemp -d)"`) in the scripts a `RUN` executes.
`local -r x=$(cmd)` inside a function is left alone, as ShellCheck does. This is ShellCheck's
check SC2155, done by dockopt itself at the same place ShellCheck reports it.

## Why is this bad?
The exit status of the line is `export`'s, which succeeds: if the command fails, `set -e`
and `&&` do not stop the build, and it goes on with an empty or half value.

## Example
```dockerfile
RUN set -eux; export GNUPGHOME="$(mktemp -d)"; gpg --batch --keyserver ...
```

## Use instead
```dockerfile
RUN set -eux; GNUPGHOME="$(mktemp -d)"; export GNUPGHOME; gpg --batch --keyserver ...
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
        for range in cx.shell_findings(2155) {
            out.report(range, "assign first, then export: the export's success hides a failing command");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_declarations_that_take_output() {
        let src = "FROM a\nRUN set -eux; \\\n  export GNUPGHOME=\"$(mktemp -d)\"; readonly R=`id -u`\nRUN f() { local x=\"a$(b)\"; }\n";
        assert_eq!(hits("SC2155", src), vec![(3, "GNUPGHOME".into()), (3, "R".into()), (4, "x".into())]);
    }

    #[test]
    fn quiet_otherwise() {
        assert_clean(
            "SC2155",
            "FROM a\nRUN x=$(date); export x; export Y=1 Z=\"$HOME\"\nRUN f() { local -r x=$(date); }\n",
        );
    }
}
