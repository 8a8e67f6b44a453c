//! SC2185 find-without-path: `find` given no starting point (ShellCheck's SC2185, checked
//! natively so it runs without the shellcheck binary).

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "SC2185",
    name: "find-without-path",
    category: Category::Correctness,
    severity: Severity::Info,
    upstream: &["hadolint:SC2185", "shellcheck:SC2185"],
    summary: "Give find a starting point: not every find defaults to `.`.",
    docs: r#"## What it does
Finds `find` commands in `RUN` scripts whose first operand is an expression (`find -name x`,
`find -type f -delete`) or that have none, so no starting point is given. This is ShellCheck's
check SC2185, done by dockopt itself, at the same place ShellCheck reports it.

## Why is this bad?
GNU find starts in the current directory when no path is given, but BusyBox's and BSD's finds
need one: the same line behaves differently on Alpine, or fails. And in a `RUN` the current
directory is whatever the last `WORKDIR` left, which is easy to misjudge when the expression
deletes files.

## Example
```dockerfile
RUN find -type f -name '*.a' -delete
```

## Use instead
```dockerfile
RUN find /usr/local -type f -name '*.a' -delete
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// Options find takes before its starting points (`-L`, `-D opts`, `-O3`).
fn leading_option(word: &str) -> bool {
    matches!(word, "-H" | "-L" | "-P" | "-D") || (word.starts_with("-O") && word[2..].chars().all(|c| c.is_ascii_digit()))
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (_, command) in cx.commands(None) {
            let Some(name) = command.name.as_ref().filter(|n| n.text() == "find") else { continue };
            // A script located only at its instruction (exec form `sh -c`) has no exact place.
            if name.range().is_empty() {
                continue;
            }
            let mut args = command.args.iter().map(|w| w.text()).peekable();
            while let Some(option) = args.next_if(|w| leading_option(w)) {
                if option == "-D" {
                    args.next();
                }
            }
            let no_path = args.next().is_none_or(|first| first.starts_with('-') || first == "(" || first == "!");
            if no_path {
                out.report(name.range(), "find has no starting point; not every find defaults to `.`: name it");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_without_a_starting_point() {
        let src = "FROM a\nRUN find -type f -name '*.a' -delete \\\n  && x=$(find -L -name y)\nRUN find\n";
        assert_eq!(hits("SC2185", src), vec![(2, "find".into()), (3, "find".into()), (4, "find".into())]);
    }

    #[test]
    fn quiet_with_one() {
        assert_clean("SC2185", "FROM a\nRUN find . -name x && find /usr -L && find -L /x -type f && find \"$D\" -delete\n");
    }
}
