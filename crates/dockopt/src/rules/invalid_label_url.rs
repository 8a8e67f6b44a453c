//! DO560 invalid-label-url: a label whose value is not an absolute URL.

use crate::lint::labels::{LabelFormat, check_format};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO560",
    name: "invalid-label-url",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3052"],
    summary: "A label that must hold a URL does not.",
    docs: r#"## What it does
Checks labels whose value must be an absolute URL: those given that format in the
`label_schema` option (hadolint's `label-schema`), and, without any configuration, the
labels whose format a specification fixes: `org.opencontainers.image.url`, `.source` and `.documentation`, and label-schema.org's `url`, `vcs-url` and `usage`.
Unlike hadolint, the labels whose format the OCI image spec or label-schema.org fixes are
checked without configuration. Values that use a variable only known at build time
(`LABEL org.opencontainers.image.created=$BUILD_DATE` with no default) are not judged.

## Why is this bad?
Registries, scanners and `docker inspect` users follow these links; a value without a scheme is not a link.

## Example
```dockerfile
LABEL org.opencontainers.image.source="github.com/acme/app"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.source="https://github.com/acme/app"
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
        check_format(cx, out, LabelFormat::Url, "an absolute URL");
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::labels::LabelFormat;
    use crate::lint::testing::{assert_clean, hits};

    const CODE: &str = "DO560";

    /// `(line, text)` of the findings with `schema` configured.
    fn hits_with(src: &str, schema: &[(&str, LabelFormat)]) -> Vec<(usize, String)> {
        crate::lint::testing::hits_with_schema(CODE, src, schema)
    }

    #[test]
    fn fires_on_well_known_and_configured_labels() {
        let src = "FROM a\nLABEL org.opencontainers.image.source=\"github.com/acme/app\" \\\n  org.opencontainers.image.url=https://acme.io\n";
        assert_eq!(hits(CODE, src), vec![(2, "\"github.com/acme/app\"".into())]);
        let src = "FROM a\nLABEL homepage=acme.io\nONBUILD LABEL homepage=www.acme.io\n";
        assert_clean(CODE, src);
        assert_eq!(hits_with(src, &[("homepage", LabelFormat::Url)]), vec![(2, "acme.io".into()), (3, "www.acme.io".into())]);
        let escape = "# escape=`\nFROM a\nLABEL x=1 `\n  org.label-schema.vcs-url=acme\n";
        assert_eq!(hits(CODE, escape), vec![(4, "acme".into())]);
    }

    #[test]
    fn quiet_on_urls_and_unknown_values() {
        assert_clean(CODE, "FROM a\nLABEL org.opencontainers.image.source=https://github.com/acme/app\n");
        assert_clean(CODE, "FROM a\nARG SRC\nLABEL org.opencontainers.image.source=$SRC\n");
        let src = "FROM a\nLABEL org.opencontainers.image.source=x\n";
        assert!(hits_with(src, &[("org.opencontainers.image.source", LabelFormat::Text)]).is_empty(), "config wins");
    }
}
