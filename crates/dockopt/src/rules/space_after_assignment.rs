//! SC1007 space-after-assignment: `x= value` runs `value` as a command (ShellCheck's SC1007,
//! checked natively: see `shell::checks`).

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "SC1007",
    name: "space-after-assignment",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:SC1007", "shellcheck:SC1007"],
    summary: "Remove the space after `=`, or write `x=''` for an empty value.",
    docs: r#"## What it does
Finds an assignment with nothing after `=` followed by a space and more words
(`ARCH= OPENSSL_ARCH=linux-x86_64 ./Configure`) in the scripts a `RUN` executes. This is
ShellCheck's check SC1007, done by dockopt itself at the same place ShellCheck reports it.

## Why is this bad?
The shell reads `x= y` as "run `y` with `x` set to nothing", not "set `x` to `y"`. When that
was meant (clearing a variable for one command), `x=''` says so.

## Example
```dockerfile
RUN ARCH= OPENSSL_ARCH=linux-x86_64 ./Configure
```

## Use instead
```dockerfile
RUN ARCH='' OPENSSL_ARCH=linux-x86_64 ./Configure
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
        for range in cx.shell_findings(1007) {
            out.report(range, "the space ends the assignment: what follows runs as a command");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_a_space_after_equals() {
        let src = "FROM a\nRUN ARCH= OPENSSL_ARCH=x ./Configure \\\n  && CC= make\n";
        assert_eq!(hits("SC1007", src), vec![(2, " ".into()), (3, " ".into())]);
    }

    #[test]
    fn quiet_for_empty_values_that_end_the_command() {
        assert_clean("SC1007", "FROM a\nRUN X=; Y= && Z=''  make && IFS= read -r line < f && W=\n");
    }
}
