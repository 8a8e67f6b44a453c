//! DO100 syntax-error: what BuildKit's parser rejects the file for.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO100",
    name: "syntax-error",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &[],
    summary: "The file has an error that makes BuildKit reject it.",
    docs: r#"## What it does
Reports what BuildKit's parser stops on: an unterminated heredoc, `ENV` without a value, a JSON
array with non-strings, a repeated or invalid parser directive, a file without instructions.

## Why is this bad?
`docker build` fails before it runs anything. (hadolint reports its own parse failures as
DL1000, including on valid files it cannot read, such as some heredocs; dockopt reports only
what BuildKit rejects.)

## Example
```dockerfile
FROM alpine
RUN <<EOF
echo never closed
```

## Use instead
```dockerfile
FROM alpine
RUN <<EOF
echo closed
EOF
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
        for e in &cx.syntax.errors {
            out.report(e.range.clone(), format!("BuildKit rejects this file: {}", e.message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_what_buildkit_rejects() {
        assert_eq!(hits("DO100", "FROM a\nENV x\n"), vec![(2, "ENV x".into())]);
        assert_eq!(hits("DO100", "FROM a\nRUN <<EOF\nnever closed\n").len(), 1);
        assert_eq!(hits("DO100", "# escape=x\nFROM a\n").len(), 1);
        assert_eq!(hits("DO100", "").len(), 1);
    }

    #[test]
    fn quiet_on_valid_files() {
        assert_clean("DO100", "FROM a\nRUN <<EOF\nok\nEOF\nONBUILD RUN x\n");
        assert_clean("DO100", "# escape=`\nFROM a\nRUN x `\n  y\n");
    }
}
