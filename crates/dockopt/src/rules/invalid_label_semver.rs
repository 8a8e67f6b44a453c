//! DO564 invalid-label-semver: a label whose value is not a semantic version.

use crate::lint::labels::{LabelFormat, check_format};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO564",
    name: "invalid-label-semver",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3056"],
    summary: "A label configured to hold a semantic version does not.",
    docs: r#"## What it does
Checks labels that the `label_schema` option (hadolint's `label-schema`) says must
hold a semantic version. Without that configuration it does nothing, so it is off by default.
Values that use a variable only known at build time are not judged.

## Why is this bad?
Release tooling compares these versions; values that are not SemVer sort wrongly or are rejected.

## Example
```dockerfile
LABEL org.opencontainers.image.version="v1.2"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.version="1.2.0"
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
        check_format(cx, out, LabelFormat::SemVer, "a semantic version");
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::labels::LabelFormat;
    use crate::lint::testing::assert_clean;

    const CODE: &str = "DO564";

    /// `(line, text)` of the findings with `schema` configured.
    fn hits_with(src: &str, schema: &[(&str, LabelFormat)]) -> Vec<(usize, String)> {
        crate::lint::testing::hits_with_schema(CODE, src, schema)
    }

    #[test]
    fn fires_only_on_configured_labels() {
        let src = "FROM a\nLABEL version=v1.2\n";
        assert_clean(CODE, src);
        assert_eq!(hits_with(src, &[("version", LabelFormat::SemVer)]), vec![(2, "v1.2".into())]);
    }

    #[test]
    fn quiet_on_versions() {
        let schema = [("version", LabelFormat::SemVer)];
        assert!(hits_with("FROM a\nLABEL version=1.2.0-rc.1+b5\n", &schema).is_empty());
        assert!(hits_with("FROM a\nARG V=2.0.0\nLABEL version=\"${V}\"\n", &schema).is_empty());
        assert_eq!(hits_with("FROM a\nARG V=2.0\nLABEL version=\"${V}\"\n", &schema).len(), 1);
    }
}
