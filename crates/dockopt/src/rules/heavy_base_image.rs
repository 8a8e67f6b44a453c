//! DO390 heavy-base-image: a full language image where a slim variant exists.

use crate::lint::invocation::is_shipped;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO390",
    name: "heavy-base-image",
    category: Category::Size,
    severity: Severity::Info,
    upstream: &[],
    summary: "Shipped stages should use the slim variant of python, node, ruby, perl and openjdk images.",
    docs: r#"## What it does
Looks at the base image of every stage that ends up in the image (the last stage and the
stages it is built from), after applying `ARG` defaults, and reports the full Debian
variants of the official `python`, `node`, `ruby`, `perl` and `openjdk` images when a
`-slim` variant of the same tag exists. A full (Debian) `golang` image in the final stage is
reported too: it has no slim variant, and the Go toolchain is only needed to build. `golang`
alpine variants are left alone (they are often used on purpose for tool images).

Build stages are not reported: their size does not reach the shipped image.

## Why is this bad?
The full variants are built on `buildpack-deps`: compilers, headers, version control tools
and hundreds of libraries, typically 600 MB to 1 GB more than the slim variant. That is more
to pull, more to store and more packages for scanners to flag, none of it needed to run
the application.

## Example
```dockerfile
FROM python:3.12-bookworm
```

## Use instead
```dockerfile
FROM python:3.12-slim-bookworm
```
When a dependency needs a compiler, build it in an earlier stage from the full image and copy
the result into the slim one.

## Fix safety
The fix rewrites the tag in `FROM` when it is written literally (not through an `ARG`) and not
pinned by digest, and when the stage runs no command that only the full image has (`curl`,
`git`, `make`, `gcc` ... in a RUN, HEALTHCHECK or CMD, unless the stage installs it first); the
message names the first such command. It is unsafe: what the stage's installs compile, and the
libraries they load, depend on the build context, which lint does not read (`optimize` does).
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

/// What the stage runs that `repository:slim` lacks, per the base-image table (commands only:
/// the build context, and so what its installs compile, is not known to lint).
fn slim_lacks(cx: &Context, stage: usize, image: &crate::model::ImageRef, slim: &str) -> Vec<String> {
    use crate::semantics::bases::lookup;
    let target = crate::model::ImageRef { tag: Some(slim.to_owned()), ..image.clone() };
    match (lookup(image), lookup(&target)) {
        (Some(current), Some(target)) => {
            crate::semantics::needs::commands_missing_on(cx, stage, None, current, target)
        }
        _ => Vec::new(),
    }
}

const CODENAMES: [&str; 6] = ["jessie", "stretch", "buster", "bullseye", "bookworm", "trixie"];

/// The slim tag for `tag` of `repository`, if the image has one and `tag` is a full variant.
fn slim_tag(repository: &str, tag: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let has_variant = ["slim", "alpine", "windowsservercore", "nanoserver", "oracle", "ltsc"]
        .iter()
        .any(|v| lower.contains(v));
    if has_variant {
        return None;
    }
    if lower == "latest" {
        return Some("slim".into());
    }
    if repository == "node" {
        // node puts the variant last: 20-bookworm-slim, lts-slim.
        return Some(format!("{tag}-slim"));
    }
    // python, ruby, perl and openjdk put it before the Debian release: 3.12-slim-bookworm.
    if let Some(codename) = CODENAMES.iter().find(|c| lower == **c || lower.ends_with(&format!("-{c}"))) {
        let prefix = &tag[..tag.len() - codename.len()];
        return Some(format!("{prefix}slim-{codename}"));
    }
    Some(format!("{tag}-slim"))
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let last = cx.model.stages.len().checked_sub(1);
        for stage in &cx.model.stages {
            let Some(image) = &stage.image else { continue };
            if !is_shipped(cx, stage.index) {
                continue;
            }
            let Some(hub) = image.hub_repository() else { continue };
            let Some(repository) = hub.strip_prefix("library/") else { continue };
            let from = cx.ins(stage.instructions[0]);
            let Some(word) = cx.word_ranges(from).into_iter().next() else { continue };
            let tag = image.tag.as_deref().unwrap_or("latest");
            if repository == "golang" {
                let lower = tag.to_ascii_lowercase();
                let small = ["alpine", "windowsservercore", "nanoserver"].iter().any(|v| lower.contains(v));
                if Some(stage.index) == last && !small {
                    out.report(
                        word,
                        format!("`golang:{tag}` ships the Go toolchain on full Debian; build in it and copy the binary into a small runtime image"),
                    );
                }
                continue;
            }
            if !matches!(repository, "python" | "node" | "ruby" | "perl" | "openjdk") {
                continue;
            }
            let Some(slim) = slim_tag(repository, tag) else { continue };
            // Commands the stage runs that only the full image has: the slim one would break it.
            let missing = slim_lacks(cx, stage.index, image, &slim);
            let mut message =
                format!("`{repository}:{tag}` is the full build image; `{repository}:{slim}` is several hundred MB smaller");
            if let Some(first) = missing.first() {
                message.push_str(&format!(" (but {first}: install it there, or build in a full-image stage)"));
            }
            let d = out.report(word.clone(), message);
            let literal = cx.text(word.clone()) == stage.base && stage.base_resolved.as_deref() == Some(stage.base.as_str());
            if literal && image.digest.is_none() && missing.is_empty() {
                let replacement = match &image.tag {
                    Some(t) => format!("{}{slim}", &stage.base[..stage.base.len() - t.len()]),
                    None => format!("{}:{slim}", stage.base),
                };
                d.set_fix(Fix::unsafe_(format!("Use `{replacement}`"), vec![Edit::replace(word, replacement)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::slim_tag;
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn slim_tags() {
        assert_eq!(slim_tag("python", "3.12-bookworm").as_deref(), Some("3.12-slim-bookworm"));
        assert_eq!(slim_tag("python", "3.12").as_deref(), Some("3.12-slim"));
        assert_eq!(slim_tag("ruby", "bookworm").as_deref(), Some("slim-bookworm"));
        assert_eq!(slim_tag("node", "20-bookworm").as_deref(), Some("20-bookworm-slim"));
        assert_eq!(slim_tag("openjdk", "17-jdk").as_deref(), Some("17-jdk-slim"));
        assert_eq!(slim_tag("node", "latest").as_deref(), Some("slim"));
        assert_eq!(slim_tag("python", "3.12-alpine"), None);
        assert_eq!(slim_tag("python", "3.12-windowsservercore-ltsc2022"), None);
    }

    #[test]
    fn fires_on_full_images_resolving_args() {
        assert_eq!(hits("DO390", "FROM python:3.12\n"), vec![(1, "python:3.12".into())]);
        let arg = "ARG PY=3.11-bookworm\nFROM python:${PY}\n";
        assert_eq!(hits("DO390", arg), vec![(2, "python:${PY}".into())]);
        assert!(check("DO390", arg)[0].message.contains("python:3.11-slim-bookworm"));
        assert!(check("DO390", arg)[0].fix.is_none(), "the tag comes from an ARG");
        assert_eq!(hits("DO390", "FROM docker.io/library/node AS base\nFROM base\n").len(), 1);
        assert_eq!(hits("DO390", "FROM golang:1.22 AS build\nFROM golang:1.22-bookworm\n"), vec![(2, "golang:1.22-bookworm".into())]);
        assert_clean("DO390", "FROM golang:1.22\nFROM golang:1.22-alpine\n");
        assert_eq!(hits("DO390", "# escape=`\nFROM `\n  ruby:3.3\n").len(), 1);
    }

    #[test]
    fn no_fix_when_the_slim_image_lacks_a_command_the_stage_runs() {
        let src = "FROM python:3.12\nRUN git clone https://example.com/x /x\nCMD [\"python\"]\n";
        let d = &check("DO390", src)[0];
        assert!(d.fix.is_none() && d.message.contains("`git`"), "{}", d.message);
        let installed = "FROM python:3.12\nRUN apt-get update && apt-get install -y git\nRUN git clone x /x\n";
        assert!(check("DO390", installed)[0].fix.is_some());
    }

    #[test]
    fn fix_rewrites_the_tag() {
        let d = &check("DO390", "FROM python:3.12-bookworm AS app\n")[0];
        assert_eq!(d.fix.as_ref().unwrap().edits[0].content, "python:3.12-slim-bookworm");
        let d = &check("DO390", "FROM node\n")[0];
        assert_eq!(d.fix.as_ref().unwrap().edits[0].content, "node:slim");
        assert!(check("DO390", "FROM python:3.12@sha256:abc\n")[0].fix.is_none());
        assert!(check("DO390", "FROM \"python:3.12\"\n")[0].fix.is_none(), "quoted: no text surgery");
    }

    #[test]
    fn quiet_on_slim_build_stages_and_other_images() {
        assert_clean("DO390", "FROM python:3.12-slim\nFROM node:20-alpine\n");
        assert_clean("DO390", "FROM python:3.12 AS build\nRUN pip wheel .\nFROM python:3.12-slim\n");
        assert_clean("DO390", "FROM golang:1.22 AS build\nFROM gcr.io/distroless/static\n");
        assert_clean("DO390", "FROM ghcr.io/org/python:3.12\nFROM myorg/node:20\n");
        assert_clean("DO390", "ARG TAG\nFROM python:$TAG\n");
    }
}
