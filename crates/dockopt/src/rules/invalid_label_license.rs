//! DO562 invalid-label-license: a label whose value is not an SPDX license expression.

use crate::lint::labels::{LabelFormat, check_format};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO562",
    name: "invalid-label-license",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3054"],
    summary: "A label that must hold an SPDX license expression does not.",
    docs: r#"## What it does
Checks labels whose value must be an SPDX license expression: those given that format in the
`label_schema` option (hadolint's `label-schema`), and, without any configuration, the
labels whose format a specification fixes: `org.opencontainers.image.licenses`.
Unlike hadolint, the labels whose format the OCI image spec or label-schema.org fixes are
checked without configuration. Values that use a variable only known at build time
(`LABEL org.opencontainers.image.created=$BUILD_DATE` with no default) are not judged.
The expression's syntax is checked (ids, `+`, `WITH`, `AND`, `OR`, parentheses,
`LicenseRef-`); ids are not looked up in the SPDX license list.

## Why is this bad?
License scanners read the label as an SPDX expression; free text is reported as unknown.

## Example
```dockerfile
LABEL org.opencontainers.image.licenses="Apache 2.0"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.licenses="Apache-2.0"
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
        check_format(cx, out, LabelFormat::Spdx, "an SPDX license expression");
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::labels::LabelFormat;
    use crate::lint::testing::{assert_clean, hits};

    const CODE: &str = "DO562";

    /// `(line, text)` of the findings with `schema` configured.
    fn hits_with(src: &str, schema: &[(&str, LabelFormat)]) -> Vec<(usize, String)> {
        crate::lint::testing::hits_with_schema(CODE, src, schema)
    }

    #[test]
    fn fires_on_free_text_licenses() {
        let src = "FROM a\nLABEL org.opencontainers.image.licenses=\"Apache 2.0\"\n";
        assert_eq!(hits(CODE, src), vec![(2, "\"Apache 2.0\"".into())]);
        let src = "FROM a\nLABEL license=\"MIT or GPL\"\n";
        assert_eq!(hits_with(src, &[("license", LabelFormat::Spdx)]), vec![(2, "\"MIT or GPL\"".into())]);
    }

    #[test]
    fn quiet_on_spdx_expressions() {
        assert_clean(CODE, "FROM a\nLABEL org.opencontainers.image.licenses=\"(MIT OR Apache-2.0) AND BSD-3-Clause\"\n");
        assert_clean(CODE, "FROM a\nLABEL license=\"Apache 2.0\"\n");
    }
}
