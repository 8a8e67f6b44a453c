//! DO547 required-label-missing: an image without a label the configuration requires.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO547",
    name: "required-label-missing",
    category: Category::Maintainability,
    severity: Severity::Info,
    upstream: &["hadolint:DL3049"],
    summary: "Every image should set the labels the configuration requires.",
    docs: r#"## What it does
When `required_labels` is configured, reports each stage that can be built as an image and
sets none of those labels itself or through the stages it is built on (`FROM earlier-stage`).
Stages that are only copied from (`COPY --from`, `RUN --mount=from=`) are not images and are
not checked. Off by default; nothing is checked without configuration.

## Why is this bad?
Organisations rely on labels such as `org.opencontainers.image.source` or an owner label to
trace images back to code and teams.

## Example
With `required_labels = ["org.opencontainers.image.source"]`:
```dockerfile
FROM alpine:3.20
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/example/app"
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
        let required = &cx.options.required_labels;
        if required.is_empty() {
            return;
        }
        let stages = &cx.model.stages;
        let labels = |s: usize| {
            stages[s].instructions.iter().flat_map(|&i| {
                let ins = &cx.model.instructions[i];
                ins.pairs.iter().filter(move |_| ins.keyword == "LABEL").map(|p| p.key.trim_matches(['"', '\'']))
            })
        };
        let names = |s: usize| {
            let name = stages[s].name.clone().unwrap_or_default().to_lowercase();
            move |v: &str| v == s.to_string() || (!name.is_empty() && v.to_lowercase() == name)
        };
        for (s, stage) in stages.iter().enumerate() {
            let is_name = names(s);
            let copied = cx.instructions().any(|i| {
                i.effective().flags.iter().any(|f| {
                    let v = f.value.as_deref().unwrap_or_default();
                    (&*f.name == "from" && is_name(v))
                        || (&*f.name == "mount" && v.split(',').any(|p| p.trim().strip_prefix("from=").is_some_and(&is_name)))
                })
            });
            let based_on = stages.iter().any(|t| t.base_stage == Some(s));
            if copied && !based_on {
                continue;
            }
            let Some(&from) = stage.instructions.first() else { continue };
            for label in required {
                let mut current = Some(s);
                let mut found = false;
                while let Some(c) = current.filter(|_| !found) {
                    found = labels(c).any(|k| k == label);
                    current = stages[c].base_stage.filter(|&b| b < c);
                }
                if !found {
                    let ins = cx.ins(from);
                    let range = cx.word_ranges(ins).first().cloned().unwrap_or_else(|| cx.keyword_range(ins));
                    out.report(range, format!("the image sets no `{label}` label; add `LABEL {label}=...`"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{LintOptions, lint};

    fn hits(labels: &[&str], src: &str) -> Vec<(usize, String)> {
        let options = LintOptions {
            select: vec!["DO547".into()],
            required_labels: labels.iter().map(|s| s.to_string()).collect(),
            ..LintOptions::default()
        };
        let index = crate::text::LineIndex::new(src);
        lint(&crate::parse(src), &options)
            .iter()
            .map(|d| (index.position(src, d.range.start).line as usize, src[d.range.clone()].to_owned()))
            .collect()
    }

    #[test]
    fn fires_on_images_without_the_label() {
        assert_eq!(hits(&["owner"], "FROM alpine\nLABEL other=x\n"), vec![(1, "alpine".into())]);
        let src = "FROM a AS base\nFROM base AS app\nLABEL owner=me\n";
        assert_eq!(hits(&["owner"], src), vec![(1, "a".into())], "a base stage can be built as a target");
        let src = "FROM a AS build\nFROM b\nCOPY --from=build /x /y\n";
        assert_eq!(hits(&["owner", "team"], src), vec![(2, "b".into()), (2, "b".into())]);
    }

    #[test]
    fn quiet_when_set_inherited_copied_from_or_unconfigured() {
        assert!(hits(&[], "FROM a\n").is_empty());
        assert!(hits(&["owner"], "FROM a AS base\nLABEL \"owner\"=me\nFROM base\n").is_empty());
        let src = "FROM a AS build\nFROM b AS tools\nFROM c\nLABEL owner=x\nCOPY --from=build /x /y\n\
                   RUN --mount=type=bind,from=tools,target=/t true\n";
        assert!(hits(&["owner"], src).is_empty());
    }
}
