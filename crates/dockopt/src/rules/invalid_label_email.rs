//! DO565 invalid-label-email: a label whose value is not an e-mail address.

use crate::lint::labels::{LabelFormat, check_format};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO565",
    name: "invalid-label-email",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3058"],
    summary: "A label configured to hold an e-mail address does not.",
    docs: r#"## What it does
Checks labels that the `label_schema` option (hadolint's `label-schema`) says must
hold an e-mail address. Without that configuration it does nothing, so it is off by default.
Values that use a variable only known at build time are not judged.

## Why is this bad?
Tools that contact the maintainer or validate metadata expect a bare RFC 5322 address.

## Example
```dockerfile
LABEL maintainer="Jane Doe <jane@example.com>"
```

## Use instead
```dockerfile
LABEL maintainer="jane@example.com"
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
        check_format(cx, out, LabelFormat::Email, "an e-mail address");
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::labels::LabelFormat;
    use crate::lint::testing::assert_clean;

    const CODE: &str = "DO565";

    /// `(line, text)` of the findings with `schema` configured.
    fn hits_with(src: &str, schema: &[(&str, LabelFormat)]) -> Vec<(usize, String)> {
        crate::lint::testing::hits_with_schema(CODE, src, schema)
    }

    #[test]
    fn fires_only_on_configured_labels() {
        let src = "FROM a\nLABEL maintainer=\"Jane Doe <jane@example.com>\"\n";
        assert_clean(CODE, src);
        let schema = [("maintainer", LabelFormat::Email)];
        assert_eq!(hits_with(src, &schema), vec![(2, "\"Jane Doe <jane@example.com>\"".into())]);
    }

    #[test]
    fn quiet_on_addresses() {
        let schema = [("maintainer", LabelFormat::Email)];
        assert!(hits_with("FROM a\nLABEL maintainer=jane.doe+images@example.com\n", &schema).is_empty());
    }
}
