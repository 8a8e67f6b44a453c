//! DO143 duplicate-stage-name: two FROM instructions with the same `AS` name.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO143",
    name: "duplicate-stage-name",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["hadolint:DL3024", "buildkit:DuplicateStageName", "trivy:DS-0012", "checkov:CKV_DOCKER_11"],
    summary: "Stage names must be unique.",
    docs: r#"## What it does
Finds a `FROM ... AS name` whose name an earlier stage already uses. Names are compared
without case, as BuildKit lower-cases them.

## Why is this bad?
`COPY --from=name`, `FROM name` and `--target name` can only mean one stage; BuildKit
rejects the file.

## Example
```dockerfile
FROM debian:12 AS builder
FROM golang:1.22 AS builder
```

## Use instead
```dockerfile
FROM debian:12 AS deb-builder
FROM golang:1.22 AS go-builder
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
        // First stage per lower-cased name, so that files with many stages stay linear.
        let mut seen: std::collections::HashMap<String, &crate::model::Stage> = std::collections::HashMap::new();
        for stage in &cx.model.stages {
            let Some(name) = stage.name.as_deref() else { continue };
            let Some(first) = seen.get(&name.to_lowercase()).copied() else {
                seen.insert(name.to_lowercase(), stage);
                continue;
            };
            let Some(&from) = stage.instructions.first() else { continue };
            let ins = cx.ins(from);
            let range = cx.word_ranges(ins).pop().unwrap_or_else(|| cx.keyword_range(ins));
            out.report(range, format!("stage name `{name}` is already used on line {}; rename this stage", first.span.start.line));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_repeated_names_ignoring_case() {
        let src = "FROM a AS build\nRUN x\nFROM b as BUILD\n";
        assert_eq!(hits("DO143", src), vec![(3, "BUILD".into())]);
        assert!(check("DO143", src)[0].message.contains("line 1"));
        let src = "# escape=`\nFROM a AS x\nFROM b `\n  AS x\nFROM c AS x\n";
        assert_eq!(hits("DO143", src), vec![(4, "x".into()), (5, "x".into())]);
    }

    #[test]
    fn quiet_on_unique_or_missing_names() {
        assert_clean("DO143", "FROM a AS one\nFROM b AS two\nFROM c\nFROM c\n");
    }
}
