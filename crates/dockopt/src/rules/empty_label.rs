//! DO566 empty-label: a configured label set to an empty value.

use crate::lint::labels::{configured, labels};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO566",
    name: "empty-label",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3051"],
    summary: "A label named in the configuration is set to an empty value.",
    docs: r#"## What it does
Finds `LABEL` entries with an empty value for labels that the configuration names (the
`label_schema` or `required_labels` options). Without configuration it does nothing, so it
is off by default.

An empty value is also how an inherited label is cleared, which is why labels outside the
configuration are left alone. Values that depend on a build-time variable are not judged.

## Why is this bad?
The label is there to satisfy a policy, but carries no information: the check that requires
it passes and whoever reads it finds nothing.

## Example
```dockerfile
LABEL org.opencontainers.image.vendor=""
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.vendor="ACME Inc."
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
        for label in labels(cx) {
            if label.value == Some("") && configured(cx, &label.key) {
                out.report(label.value_range, format!("label `{}` is empty; give it a value", label.key));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{LintOptions, lint};

    fn hits_with(src: &str, required: &[&str]) -> Vec<(usize, String)> {
        let options = LintOptions {
            select: vec!["DO566".into()],
            required_labels: required.iter().map(|s| s.to_string()).collect(),
            ..LintOptions::default()
        };
        let index = crate::text::LineIndex::new(src);
        lint(&crate::parse(src), &options)
            .iter()
            .map(|d| (index.position(src, d.range.start).line as usize, src[d.range.clone()].to_owned()))
            .collect()
    }

    #[test]
    fn fires_on_empty_configured_labels() {
        let src = "FROM a\nLABEL vendor=\"\" other=\"\"\nONBUILD LABEL vendor=''\n";
        assert_eq!(hits_with(src, &["vendor"]), vec![(2, "\"\"".into()), (3, "''".into())]);
        let escape = "# escape=`\nFROM a\nLABEL x=1 `\n  vendor=\n";
        assert_eq!(hits_with(escape, &["vendor"]).len(), 1);
    }

    #[test]
    fn quiet_without_config_or_with_values() {
        assert!(hits_with("FROM a\nLABEL vendor=\"\"\n", &[]).is_empty());
        assert!(hits_with("FROM a\nLABEL vendor=acme\n", &["vendor"]).is_empty());
        assert!(hits_with("FROM a\nARG V\nLABEL vendor=$V\n", &["vendor"]).is_empty());
    }
}
