//! DO161 reserved-stage-name: a stage named `scratch` or `context`.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO161",
    name: "reserved-stage-name",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3063", "buildkit:ReservedStageName"],
    summary: "Stages must not be named `scratch` or `context`.",
    docs: r#"## What it does
Finds `FROM ... AS name` where the name is `scratch` or `context`, in any letter case (stage
names are case-insensitive).

## Why is this bad?
`scratch` already means the empty image and `context` is how `COPY --from` and named contexts
refer to the build context. A stage with one of these names is confusing at best; references
to it do not mean what they appear to.

## Example
```dockerfile
FROM alpine AS scratch
```

## Use instead
```dockerfile
FROM alpine AS base
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
        for ins in cx.all("FROM") {
            let Some(stage) = ins.model.stage().map(|s| &cx.model.stages[s]) else { continue };
            let Some(name) = stage.name.as_deref() else { continue };
            let lower = name.to_ascii_lowercase();
            if matches!(lower.as_str(), "scratch" | "context") {
                let range = cx.word_ranges(ins).last().cloned().unwrap_or_else(|| cx.keyword_range(ins));
                out.report(range, format!("`{lower}` is reserved; give the stage another name"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_reserved_names() {
        let src = "FROM alpine AS scratch\nFROM alpine as Context\n";
        assert_eq!(hits("DO161", src), vec![(1, "scratch".into()), (2, "Context".into())]);
        let escape = "# escape=`\nFROM alpine `\n  AS context\n";
        assert_eq!(hits("DO161", escape), vec![(3, "context".into())]);
    }

    #[test]
    fn quiet_on_other_names() {
        assert_clean("DO161", "FROM scratch\nFROM alpine AS scratchpad\nFROM context\n");
    }
}
