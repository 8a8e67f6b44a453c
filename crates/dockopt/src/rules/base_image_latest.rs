//! DO522 base-image-latest: FROM an image tagged `latest`.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO522",
    name: "base-image-latest",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3007", "trivy:DS-0001", "checkov:CKV_DOCKER_7"],
    summary: "FROM should not use the `latest` tag.",
    docs: r#"## What it does
Finds FROM instructions whose image is tagged `latest` without a digest. Global ARG defaults
are applied first, so `ARG TAG=latest` + `FROM node:$TAG` is reported too.

## Why is this bad?
`latest` moves whenever the image's publishers push: rebuilds pick up new major versions
without any change to the Dockerfile, and two builds of the same commit can differ.
With a digest (`image:latest@sha256:...`) the image is pinned and the tag is only a label.

## Example
```dockerfile
FROM node:latest
```

## Use instead
```dockerfile
FROM node:22.9-bookworm-slim
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
            if image.tag.as_deref() != Some("latest") || image.digest.is_some() {
                continue;
            }
            let Some(range) = cx.word_ranges(ins).into_iter().next() else { continue };
            out.report(range, format!("`{}` changes with every push; pin a version tag", image.repository));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_latest() {
        assert_eq!(hits("DO522", "FROM node:latest AS build\n"), vec![(1, "node:latest".into())]);
        assert_eq!(hits("DO522", "ARG TAG=latest\nFROM \\\n  node:$TAG\n"), vec![(3, "node:$TAG".into())]);
        assert_eq!(hits("DO522", "# escape=`\nFROM `\n  ghcr.io/o/r:latest\n").len(), 1);
    }

    #[test]
    fn quiet_on_versions_digests_and_unknowns() {
        assert_clean("DO522", "FROM node:22\nFROM node:latest@sha256:abc\nFROM node\n");
        assert_clean("DO522", "ARG TAG\nFROM node:$TAG\n");
        assert_clean("DO522", "FROM node:22 AS latest\nFROM latest\n");
    }
}
