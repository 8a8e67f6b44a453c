//! DO521 base-image-untagged: FROM an image without a tag or digest.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO521",
    name: "base-image-untagged",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3006", "trivy:DS-0001", "checkov:CKV_DOCKER_7"],
    summary: "FROM should name a tag or digest, not just the image.",
    docs: r#"## What it does
Finds FROM instructions whose image has neither a tag nor a digest. The image is judged after
global ARG defaults are applied, so `ARG BASE=python` + `FROM $BASE` is reported and
`ARG TAG=3.12` + `FROM python:$TAG` is not (hadolint skips every FROM that starts with a
variable and misreads the rest). `scratch` and earlier stages are not images; a FROM whose
value is only known at build time is not judged.

## Why is this bad?
Without a tag, Docker uses `latest`: whatever the image's publishers pushed last. Rebuilds
silently change the operating system or runtime version and can break at any time.

## Example
```dockerfile
FROM python
```

## Use instead
```dockerfile
FROM python:3.12-slim-bookworm
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
            let Some(image) = &stage.image else { continue };
            if image.tag.is_some() || image.digest.is_some() {
                continue;
            }
            let Some(range) = cx.word_ranges(ins).into_iter().next() else { continue };
            let name = stage.base_resolved.as_deref().unwrap_or(&stage.base);
            out.report(range, format!("`{name}` has no tag, so it means `latest`; name a version tag or digest"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_untagged_images() {
        assert_eq!(hits("DO521", "FROM python\n"), vec![(1, "python".into())]);
        let src = "ARG BASE=ghcr.io/o/app\nFROM --platform=$BUILDPLATFORM \\\n  ${BASE} AS build\n";
        assert_eq!(hits("DO521", src), vec![(3, "${BASE}".into())]);
        let escape = "# escape=`\nFROM `\n  debian\n";
        assert_eq!(hits("DO521", escape), vec![(3, "debian".into())]);
        assert_eq!(hits("DO521", "FROM localhost:5000/app\n").len(), 1, "a registry port is not a tag");
    }

    #[test]
    fn quiet_on_tags_digests_stages_and_unknowns() {
        assert_clean("DO521", "FROM python:3.12\nFROM python@sha256:abc\nFROM scratch\n");
        assert_clean("DO521", "FROM debian:12 AS base\nFROM base\nFROM BASE\n");
        assert_clean("DO521", "ARG TAG=3.12\nFROM python:${TAG}\n");
        assert_clean("DO521", "ARG IMAGE\nFROM $IMAGE\n");
    }
}
