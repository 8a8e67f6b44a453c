//! SC2028 echo-escape-sequences: `echo 'a\tb'` prints differently across shells (ShellCheck's
//! SC2028, checked natively: see `shell::checks`).

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "SC2028",
    name: "echo-escape-sequences",
    category: Category::Correctness,
    severity: Severity::Info,
    upstream: &["hadolint:SC2028", "shellcheck:SC2028"],
    summary: "Use printf for backslash escapes; echo handles them differently in each shell.",
    docs: r#"## What it does
Finds `echo` arguments holding backslash escapes (`\n`, `\t`, `\\`, octal `\0NN`, hex `\xHH`)
without `-e`, in the scripts a `RUN` executes under `sh`, `bash` or `ksh`. This is
ShellCheck's check SC2028, done by dockopt itself at the same place ShellCheck reports it.

## Why is this bad?
dash (Debian's and Ubuntu's `/bin/sh`) expands the escapes; bash prints them as they are.
The same `RUN` writes a different file depending on the base image's shell: a config file
with a literal `\t` instead of a tab.

## Example
```dockerfile
RUN echo '<Directory /var/www>\n\tAllowOverride All\n</Directory>' > /etc/apache2/conf.d/app.conf
```

## Use instead
```dockerfile
RUN printf '<Directory /var/www>\n\tAllowOverride All\n</Directory>\n' > /etc/apache2/conf.d/app.conf
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
        for range in cx.shell_findings(2028) {
            out.report(range, "echo may or may not expand these backslash escapes, depending on the shell: use printf");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_escapes() {
        let src = "FROM a\nRUN echo '\\tOptions -Indexes' >> x \\\n && echo \"n:\\t42\" a\\\\nb\n";
        assert_eq!(
            hits("SC2028", src),
            vec![(2, "'\\tOptions -Indexes'".into()), (3, "\"n:\\t42\"".into()), (3, "a\\\\nb".into())]
        );
    }

    #[test]
    fn quiet_with_dash_e_or_without_escapes() {
        assert_clean(
            "SC2028",
            "FROM a\nRUN echo -e 'a\\tb' && echo -ne '\\n' && echo lol && echo '\\8a' && printf 'a\\tb'\n\
             SHELL [\"/bin/dash\", \"-c\"]\nRUN echo 'a\\tb'\n",
        );
    }
}
