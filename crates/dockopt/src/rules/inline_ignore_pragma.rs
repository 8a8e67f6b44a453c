//! DO620 inline-ignore-pragma: an ignore comment for a single instruction.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity, is_inline_ignore};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO620",
    name: "inline-ignore-pragma",
    category: Category::Style,
    severity: Severity::Info,
    upstream: &["hadolint:DL1001"],
    summary: "Findings are silenced with an inline ignore comment instead of in configuration.",
    docs: r#"## What it does
Finds comments that silence rules for the next instruction: `# dockopt ignore=...` and
hadolint's `# hadolint ignore=...`. Stage and global pragmas are not reported. Off by
default: select it for projects that want every exception in one reviewed configuration.

## Why is this bad?
Inline ignores spread exceptions across many files, are easy to add without review, and
outlive the problem they were added for. A central configuration keeps the list of accepted
exceptions visible.

## Example
```dockerfile
# hadolint ignore=DL3008
RUN apt-get install -y curl
```

## Use instead
Pin the package, or list the exception in the project configuration
(`ignore = ["DL3008"]`).
"#,
    fix: FixAvailability::None,
    default_enabled: false,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for range in &cx.syntax.comments {
            if is_inline_ignore(cx.text(range.clone())) {
                out.report(range.clone(), "inline ignore pragma; fix the finding or record the exception in configuration");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_inline_ignores() {
        let src = "FROM a\n# hadolint ignore=DL3008\nRUN x\n# dockopt ignore=DO523 pinned upstream\nRUN y\n";
        assert_eq!(
            hits("DO620", src),
            vec![(2, "# hadolint ignore=DL3008".into()), (4, "# dockopt ignore=DO523 pinned upstream".into())]
        );
        let inside = "FROM a\nRUN x \\\n# dockopt ignore=DO120\n  && y\n";
        assert_eq!(hits("DO620", inside).len(), 1);
    }

    #[test]
    fn quiet_on_other_comments_and_scopes() {
        assert_clean("DO620", "# hadolint global ignore=DL3008\nFROM a\n# dockopt stage ignore=DO523\n# hadolint shell=bash\n# just words\nRUN x\n");
    }

    #[test]
    fn off_by_default() {
        let found = crate::lint::lint(&crate::parse("FROM a\n# hadolint ignore=DL3008\nRUN x\n"), &Default::default());
        assert!(found.iter().all(|d| d.code() != "DO620"));
    }
}
