//! DO567 unexpected-label: a label the configured schema does not list.

use crate::lint::labels::{configured, labels};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO567",
    name: "unexpected-label",
    category: Category::Maintainability,
    severity: Severity::Info,
    upstream: &["hadolint:DL3050"],
    summary: "A label is set that the configured label schema does not list.",
    docs: r#"## What it does
Finds `LABEL` keys that are neither in the `label_schema` nor in the `required_labels`
option: hadolint's `strict-labels` mode. Selecting the rule turns strict mode on; it is off by
default and does nothing while both options are empty.

## Why is this bad?
A team that keeps a label schema wants every image described the same way. Labels outside
it are usually typos of a schema label (`org.opencontainers.image.licence`) or leftovers.

## Example
```dockerfile
# label_schema: org.opencontainers.image.licenses
LABEL org.opencontainers.image.licence="MIT"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.licenses="MIT"
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
        if cx.options.label_schema.is_empty() && cx.options.required_labels.is_empty() {
            return;
        }
        for label in labels(cx) {
            if !configured(cx, &label.key) {
                out.report(label.key_range, format!("label `{}` is not in the label schema", label.key));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::labels::LabelFormat;
    use crate::lint::{LintOptions, lint};

    fn hits_with(src: &str, required: &[&str], schema: &[&str]) -> Vec<(usize, String)> {
        let options = LintOptions {
            select: vec!["DO567".into()],
            required_labels: required.iter().map(|s| s.to_string()).collect(),
            label_schema: schema.iter().map(|s| (s.to_string(), LabelFormat::Text)).collect(),
            ..LintOptions::default()
        };
        let index = crate::text::LineIndex::new(src);
        lint(&crate::parse(src), &options)
            .iter()
            .map(|d| (index.position(src, d.range.start).line as usize, src[d.range.clone()].to_owned()))
            .collect()
    }

    #[test]
    fn fires_on_labels_outside_the_schema() {
        let src = "FROM a\nLABEL vendor=x \\\n  licence=MIT\nONBUILD LABEL \"team\"=y\n";
        assert_eq!(hits_with(src, &["vendor"], &[]), vec![(3, "licence".into()), (4, "\"team\"".into())]);
        assert_eq!(hits_with(src, &[], &["vendor", "team"]), vec![(3, "licence".into())]);
    }

    #[test]
    fn quiet_without_config() {
        assert!(hits_with("FROM a\nLABEL anything=x\n", &[], &[]).is_empty());
        assert!(hits_with("FROM a\nLABEL vendor=x\n", &["vendor"], &[]).is_empty());
    }
}
