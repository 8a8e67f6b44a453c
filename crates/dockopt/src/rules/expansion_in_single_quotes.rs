//! SC2016 expansion-in-single-quotes: `'$HOME'` stays literal (ShellCheck's SC2016, checked
//! natively: see `shell::checks`).

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "SC2016",
    name: "expansion-in-single-quotes",
    category: Category::Correctness,
    severity: Severity::Info,
    upstream: &["hadolint:SC2016", "shellcheck:SC2016"],
    summary: "Expansions in single quotes stay literal; use double quotes where they should expand.",
    docs: r#"## What it does
Finds `$name`, `${...}`, `$(...)` and `` `...` `` inside single quotes in the scripts a `RUN`
executes, except where the text is meant for another program to expand: arguments of
`awk`, `perl`, `jq`, `sh -c`, `bash -c`, `ssh`, `eval`, `trap`, `docker`, `sudo` and the like,
sed scripts whose `$` is sed's last-line address (`sed -n '$p'`), and `PS1`-style prompt
variables. This is ShellCheck's check SC2016, done by dockopt itself at the same place
ShellCheck reports it.

## Why is this bad?
Often the author wanted the value: `echo 'region = $AWS_DEFAULT_REGION' > ~/.aws/config`
writes the dollar sign and the name, not the region.

## Example
```dockerfile
RUN echo 'export PATH=$PATH:/opt/tool/bin' >> /etc/profile
```

## Use instead
If the text is meant literally (as here: the profile expands it later), keep the single
quotes and say so with `# hadolint ignore=SC2016`; if the value was meant, use double quotes:
```dockerfile
RUN echo "region = $AWS_DEFAULT_REGION" > /root/.aws/config
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
        for range in cx.shell_findings(2016) {
            out.report(range, "this does not expand in single quotes: use double quotes if the value was meant");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_expansions_the_shell_will_not_do() {
        let src = "FROM a\nRUN echo 'region = $REGION' > c \\\n && sed -e '2,5{H;d}; ${p;x}' f && x='`pwd`'\n";
        assert_eq!(
            hits("SC2016", src),
            vec![(2, "'region = $REGION'".into()), (3, "'2,5{H;d}; ${p;x}'".into()), (3, "'`pwd`'".into())]
        );
    }

    #[test]
    fn quiet_where_another_program_expands() {
        assert_clean(
            "SC2016",
            "FROM a\nRUN awk '{print $1}' f && sed -n '$p' f && sh -c 'echo $0' && jq '$x' && PS1='$PWD> '\n\
             RUN find . -exec awk '{print $1}' {} \\; && echo 'no expansion $ here' && echo '``'\n",
        );
    }
}
