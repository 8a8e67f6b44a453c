//! SC2046 unquoted-command-substitution: `$(cmd)` left unquoted (ShellCheck's SC2046, checked
//! natively: see `shell::checks`).

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "SC2046",
    name: "unquoted-command-substitution",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:SC2046", "shellcheck:SC2046"],
    summary: "Quote command substitutions so their output stays one word.",
    docs: r#"## What it does
Finds `$(cmd)` and `` `cmd` `` left unquoted as arguments in the scripts a `RUN` executes.
Not reported where the shell does not split (assignments, `[[ ]]`, `case`, quotes, the words
of `for ... in`), for a substitution that is the command itself, and for `$(seq ...)` and
`$(pgrep ...)`, whose output is meant to be split. Under `sh`, `export x=$(cmd)` is reported:
POSIX shells before 2024 split the value of `export`'s arguments.

This is ShellCheck's check SC2046, done by dockopt itself at the same place ShellCheck
reports it.

## Why is this bad?
The output is split on blanks and expanded as globs: a path with a space becomes two
arguments, a `*` in the output becomes a list of files.

## Example
```dockerfile
RUN mkdir -p /out/$(dirname $file)
```

## Use instead
```dockerfile
RUN mkdir -p "/out/$(dirname "$file")"
```
Where splitting is wanted (`make -j$(nproc)` is one word either way, but a list of flags is
not), say so with `# hadolint ignore=SC2046` on the line before the `RUN`.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for range in cx.shell_findings(2046) {
            out.report(range, "double-quote this: the shell splits the command's output into words and expands globs in it");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_unquoted_output() {
        let src = "FROM a\nRUN make -j$(nproc) \\\n  && ./configure $(test -n \"$X\" && echo --x)\nRUN export OUT=`git status`\n";
        assert_eq!(
            hits("SC2046", src),
            vec![(2, "$(nproc)".into()), (3, "$(test -n \"$X\" && echo --x)".into()), (4, "`git status`".into())]
        );
    }

    #[test]
    fn quiet_where_output_is_not_split() {
        assert_clean(
            "SC2046",
            "FROM a\nRUN x=$(date); echo \"$(date)\"; [[ $(id -u) = 0 ]]; for f in $(ls); do :; done; $(which true)\n\
             RUN kill $(pgrep x); echo $(seq 1 3)\nSHELL [\"/bin/bash\", \"-c\"]\nRUN export A=$(date)\n",
        );
    }
}
