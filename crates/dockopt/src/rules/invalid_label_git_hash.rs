//! DO563 invalid-label-git-hash: a label whose value is not a git commit hash.

use crate::lint::labels::{LabelFormat, check_format};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO563",
    name: "invalid-label-git-hash",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3055"],
    summary: "A label configured to hold a git commit hash does not.",
    docs: r#"## What it does
Checks labels that the `label_schema` option (hadolint's `label-schema`) says must
hold a git commit hash. Without that configuration it does nothing, so it is off by default.
Values that use a variable only known at build time are not judged.
Short ids of 7 to 40 lower-case hex digits and 64-digit SHA-256 ids are accepted (hadolint
only accepts exactly 7 or 40 digits, but git abbreviates to more than 7 in large repositories).

## Why is this bad?
A branch name moves; only the commit id says exactly what source the image was built from.

## Example
```dockerfile
LABEL org.opencontainers.image.revision="main"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.revision="3f2a9c1"
```
"#,
    fix: FixAvailability::None,
    default_enabled: false,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        check_format(cx, out, LabelFormat::GitHash, "a git commit hash");
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::labels::LabelFormat;
    use crate::lint::testing::assert_clean;

    const CODE: &str = "DO563";

    /// `(line, text)` of the findings with `schema` configured.
    fn hits_with(src: &str, schema: &[(&str, LabelFormat)]) -> Vec<(usize, String)> {
        crate::lint::testing::hits_with_schema(CODE, src, schema)
    }

    #[test]
    fn fires_only_on_configured_labels() {
        let src = "FROM a\nLABEL org.opencontainers.image.revision=main\n";
        assert_clean(CODE, src);
        let schema = [("org.opencontainers.image.revision", LabelFormat::GitHash)];
        assert_eq!(hits_with(src, &schema), vec![(2, "main".into())]);
        let src = "FROM a\nONBUILD LABEL org.opencontainers.image.revision=3F2A9C1\n";
        assert_eq!(hits_with(src, &schema), vec![(2, "3F2A9C1".into())]);
    }

    #[test]
    fn quiet_on_hashes() {
        let schema = [("rev", LabelFormat::GitHash)];
        assert!(hits_with("FROM a\nLABEL rev=3f2a9c1d\n", &schema).is_empty());
        assert!(hits_with(&format!("FROM a\nLABEL rev={}\n", "0".repeat(40)), &schema).is_empty());
        assert!(hits_with("FROM a\nARG REV\nLABEL rev=$REV\n", &schema).is_empty());
    }
}
