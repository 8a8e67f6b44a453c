//! SC2086 unquoted-variable: `$x` left unquoted where it may split or glob (ShellCheck's
//! SC2086, checked natively: see `shell::checks`).

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "SC2086",
    name: "unquoted-variable",
    category: Category::Correctness,
    severity: Severity::Info,
    upstream: &["hadolint:SC2086", "shellcheck:SC2086"],
    summary: "Quote variables that may hold blanks or glob characters.",
    docs: r#"## What it does
Finds `$name` and `${name...}` left unquoted in the scripts a `RUN` executes, where the shell
splits them into words and expands globs, unless the value is known to be a single plain word:
a number, a literal without blanks or `*?[`, a variable the Dockerfile sets with `ARG` or
`ENV` (taken as one word, as hadolint does), or one of the shell's own numeric variables.
Values are followed through the script as it runs, across `if`, `&&`, loops and subshells.
Not reported where the shell does not split: assignments, `[[ ]]`, `case`, arithmetic, quotes,
the words of `for ... in`, and a variable used as the command name.

This is ShellCheck's check SC2086, done by dockopt itself at the same place ShellCheck
reports it, so it runs without the shellcheck binary.

## Why is this bad?
A value with a space becomes two arguments, and one with `*` becomes a list of files. Build
scripts then break on the first path with a space, or act on the wrong files.

## Example
```dockerfile
RUN savedAptMark="$(apt-mark showmanual)" \
    && apt-mark manual $savedAptMark
```

## Use instead
```dockerfile
RUN savedAptMark="$(apt-mark showmanual)" \
    && apt-mark manual "$savedAptMark"
```
Where splitting is wanted (a list of packages in one variable), say so with
`# hadolint ignore=SC2086` or `# dockopt ignore=SC2086` on the line before the `RUN`.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for range in cx.shell_findings(2086) {
            out.report(range, "double-quote this: the shell splits its value into words and expands globs in it");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_values_that_may_split() {
        let src = "FROM a\nRUN deps=\"$(apt-mark showmanual)\" \\\n && apt-mark manual $deps\nRUN rm -rf $HOME/.cache ${TMP:-/tmp}/x\nRUN for f in *.txt; do cat $f; done\nRUN x='a b'; if y; then x=1; fi; echo $x > $out\n";
        assert_eq!(
            hits("SC2086", src),
            vec![
                (3, "$deps".into()),
                (4, "$HOME".into()),
                (4, "${TMP:-/tmp}".into()),
                (5, "$f".into()),
                (6, "$x".into()),
                (6, "$out".into())
            ]
        );
    }

    #[test]
    fn follows_exits_functions_and_integers() {
        let quiet = [
            "x=1; if f; then x='a b'; exit 1; fi; echo $x",
            "s='a b'; f() { s=1; }; f; echo $s",
            "s=1; f() { local s='a b'; }; f; echo $s",
            "declare -i n; n=$(f); echo $n",
            "[ -d x ] || exit 1; y=2; echo $y",
        ];
        for script in quiet {
            assert_clean("SC2086", &format!("FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN {script}\n"));
        }
        let src = "FROM a\nSHELL [\"/bin/bash\", \"-c\"]\nRUN s=1; f() { s=\"$(g)\"; }; f; echo $s\n";
        assert_eq!(hits("SC2086", src), vec![(3, "$s".into())]);
    }

    #[test]
    fn quiet_where_values_are_single_words_or_not_split() {
        assert_clean(
            "SC2086",
            "FROM a\nARG VERSION=1.2\nENV DIR=/opt\nRUN echo $VERSION $DIR ${VERSION%.*} $? $# $$\n\
             RUN x=1; y=\"$x/bin\"; echo $y; n=$((n+1)); echo $n\n\
             RUN for i in 1 2 3; do echo $i; done\n\
             RUN z=$HOME; [[ -n $z ]] && case $z in a) ;; esac; echo \"$z\" ${#z} ${z:+x}\n\
             RUN $CMD --flag; exec $CMD\n\
             SHELL [\"powershell\", \"-Command\"]\nRUN echo $env:PATH\n",
        );
    }
}
