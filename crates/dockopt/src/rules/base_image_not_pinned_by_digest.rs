//! DO534 base-image-not-pinned-by-digest: FROM an image by tag only.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO534",
    name: "base-image-not-pinned-by-digest",
    category: Category::Maintainability,
    severity: Severity::Info,
    upstream: &[],
    summary: "Pin base images by digest (`image:tag@sha256:...`) for reproducible builds.",
    docs: r#"## What it does
Finds `FROM` instructions whose image has no `@sha256:` digest. Stages built on earlier
stages, `scratch`, and images named only through variables whose value the Dockerfile does
not give are not reported. Untagged and `latest` images have their own rules (DO521, DO522),
which this one does not repeat.

The rule is off by default: pinning by digest is a policy (supply-chain guidelines such as
OpenSSF Scorecard's "Pinned-Dependencies" ask for it) and needs a tool that updates the
digests, such as Dependabot or Renovate.

## Why is this bad?
A tag is a name that the publisher can move: `python:3.12-slim` points to a new image after
every rebuild upstream, so the same Dockerfile builds on different bases from one day to the
next, and a compromised or broken push reaches the build unnoticed. A digest names exactly one
image; with the tag kept next to it, readers still see which version it is.

## Example
```dockerfile
FROM python:3.12-slim
```

## Use instead
```dockerfile
FROM python:3.12-slim@sha256:<digest of the image>
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
        for ins in cx.all("FROM") {
            let Some(stage) = ins.model.stage().map(|s| &cx.model.stages[s]) else { continue };
            if stage.scratch || stage.base_stage.is_some() {
                continue;
            }
            let Some(image) = &stage.image else { continue };
            let tag = image.tag.as_deref();
            if image.digest.is_some() || tag.is_none_or(|t| t == "latest") || image.repository.contains('$') {
                continue;
            }
            let Some(range) = cx.word_ranges(ins).into_iter().find(|r| !cx.text(r.clone()).starts_with("--")) else {
                continue;
            };
            out.report(range, format!("`{}:{}` can move to another image; add its `@sha256:` digest", image.repository, tag.unwrap_or_default()));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_tags_without_digest() {
        assert_eq!(hits("DO534", "FROM python:3.12-slim AS app\n"), vec![(1, "python:3.12-slim".into())]);
        assert_eq!(hits("DO534", "ARG V=3.12\nFROM --platform=$BUILDPLATFORM python:$V\n").len(), 1);
    }

    #[test]
    fn quiet_on_digests_stages_and_unknowns() {
        assert_clean("DO534", "FROM python:3.12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
        assert_clean("DO534", "FROM scratch\nFROM debian:12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS b\nFROM b\n");
        assert_clean("DO534", "ARG IMAGE\nFROM $IMAGE\nFROM node\nFROM node:latest\n");
    }
}
