//! SC2043 loop-runs-once: `for x in word` loops over one word (ShellCheck's SC2043, checked
//! natively: see `shell::checks`).

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "SC2043",
    name: "loop-runs-once",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:SC2043", "shellcheck:SC2043"],
    summary: "A `for` loop over a single fixed word runs once: a list or an expansion is probably missing.",
    docs: r#"## What it does
Finds `for name in word` loops whose only word cannot expand into several (no variable, glob
or command substitution) in the scripts a `RUN` executes. This is ShellCheck's check SC2043,
done by dockopt itself at the same place ShellCheck reports it.

## Why is this bad?
The loop runs exactly once. Usually a list was trimmed to one element (a GPG key loop left
with one fingerprint), or an expansion was quoted or forgotten; either way the loop only adds
noise, or hides a bug.

## Example
```dockerfile
RUN for key in 6A010C5166006599AA17F08146C2130DFD2497F5; do \
      gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key"; \
    done
```

## Use instead
```dockerfile
RUN gpg --batch --keyserver keyserver.ubuntu.com --recv-keys 6A010C5166006599AA17F08146C2130DFD2497F5
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
        for range in cx.shell_findings(2043) {
            out.report(range, "this loop runs once, over this single word");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_one_fixed_word() {
        let src = "FROM a\nRUN for key in \\\n    6A010C51; do gpg --recv-keys \"$key\"; done\nRUN for x in \"abc\"; do :; done\n";
        assert_eq!(hits("SC2043", src), vec![(3, "6A010C51".into()), (4, "\"abc\"".into())]);
    }

    #[test]
    fn quiet_for_lists_and_expansions() {
        assert_clean(
            "SC2043",
            "FROM a\nRUN for x in a b; do :; done; for x in $L; do :; done; for x in *.txt; do :; done\n\
             RUN for x in \"$@\"; do :; done; for x in a,b; do :; done; for x in 'q'; do :; done; for x in {1,2}; do :; done\n",
        );
    }
}
