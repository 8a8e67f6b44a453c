//! DO561 invalid-label-date: a label whose value is not an RFC 3339 date-time.

use crate::lint::labels::{LabelFormat, check_format};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO561",
    name: "invalid-label-date",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3053"],
    summary: "A label that must hold an RFC 3339 date-time does not.",
    docs: r#"## What it does
Checks labels whose value must be an RFC 3339 date-time: those given that format in the
`label_schema` option (hadolint's `label-schema`), and, without any configuration, the
labels whose format a specification fixes: `org.opencontainers.image.created` and label-schema.org's `build-date`.
Unlike hadolint, the labels whose format the OCI image spec or label-schema.org fixes are
checked without configuration. Values that use a variable only known at build time
(`LABEL org.opencontainers.image.created=$BUILD_DATE` with no default) are not judged.

## Why is this bad?
Tools sort and compare images by these dates and reject values they cannot parse.

## Example
```dockerfile
LABEL org.opencontainers.image.created="2024-05-01"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.created="2024-05-01T12:00:00Z"
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
        check_format(cx, out, LabelFormat::Rfc3339, "an RFC 3339 date-time");
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::labels::LabelFormat;
    use crate::lint::testing::{assert_clean, hits};

    const CODE: &str = "DO561";

    /// `(line, text)` of the findings with `schema` configured.
    fn hits_with(src: &str, schema: &[(&str, LabelFormat)]) -> Vec<(usize, String)> {
        crate::lint::testing::hits_with_schema(CODE, src, schema)
    }

    #[test]
    fn fires_on_dates_that_are_not_rfc3339() {
        let src = "FROM a\nLABEL org.opencontainers.image.created=\"2024-05-01\"\n";
        assert_eq!(hits(CODE, src), vec![(2, "\"2024-05-01\"".into())]);
        let src = "FROM a\nARG WHEN=yesterday\nLABEL org.label-schema.build-date=$WHEN\n";
        assert_eq!(hits(CODE, src), vec![(3, "$WHEN".into())], "ARG defaults are resolved");
        let src = "FROM a\nLABEL built=\"2024-02-30T00:00:00Z\"\n";
        assert_eq!(hits_with(src, &[("built", LabelFormat::Rfc3339)]).len(), 1);
    }

    #[test]
    fn quiet_on_valid_or_unknown_dates() {
        assert_clean(CODE, "FROM a\nLABEL org.opencontainers.image.created=2024-05-01T12:00:00+02:00\n");
        assert_clean(CODE, "FROM a\nARG BUILD_DATE\nLABEL org.opencontainers.image.created=${BUILD_DATE}\n");
        assert_clean(CODE, "FROM a\nLABEL built=yesterday\n");
    }
}
