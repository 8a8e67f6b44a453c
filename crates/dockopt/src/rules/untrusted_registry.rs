//! DO240 untrusted-registry: images pulled from a registry outside the configured list.

use std::ops::Range;

use crate::lint::{Category, Context, FixAvailability, Ins, Reporter, RuleMeta, Severity};
use crate::model::ImageRef;
use crate::syntax::TokenKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO240",
    name: "untrusted-registry",
    category: Category::Security,
    severity: Severity::Error,
    upstream: &["hadolint:DL3026"],
    summary: "Images should come only from the trusted registries.",
    docs: r#"## What it does
When `trusted_registries` is configured, checks every image the build pulls: the base of each
`FROM` (after ARG defaults are applied), `COPY --from=<image>` and `RUN --mount=from=<image>`.
Images without a registry come from Docker Hub, trusted when `docker.io` or `hub.docker.com`
is listed. Patterns may start or end with `*` (`*.corp.example`, `registry.*`); `*` alone
trusts everything. Earlier stages and `scratch` are always fine. Nothing is checked without
configuration, and bases whose ARGs have no default are not judged.

## Why is this bad?
An image from an unknown registry is code you run without review; organisations mirror the
images they vetted in their own registry.

## Example
With `trusted_registries = ["registry.corp.example"]`:
```dockerfile
FROM ghcr.io/someone/tool:1.0
```

## Use instead
```dockerfile
FROM registry.corp.example/mirror/tool:1.0
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
        let allowed = &cx.options.trusted_registries;
        if allowed.is_empty() {
            return;
        }
        for stage in &cx.model.stages {
            let (Some(image), Some(&from)) = (&stage.image, stage.instructions.first()) else { continue };
            if stage.base_stage.is_none() && !stage.scratch && !trusted(allowed, image) {
                let ins = cx.ins(from);
                let range = cx.word_ranges(ins).first().cloned().unwrap_or_else(|| cx.keyword_range(ins));
                report(out, range, image);
            }
        }
        for ins in cx.instructions() {
            let Some(stage) = ins.model.stage() else { continue };
            let earlier = |name: &str| {
                name.parse::<usize>().is_ok_and(|i| i <= stage)
                    || cx.model.stages[..=stage].iter().any(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
            };
            for flag in &ins.effective().flags {
                let Some(value) = flag.value.as_deref() else { continue };
                let source = match (ins.effective().keyword.as_ref(), flag.name.as_ref()) {
                    ("COPY" | "ADD", "from") => Some(value),
                    ("RUN", "mount") => value.split(',').find_map(|p| p.trim().strip_prefix("from=")),
                    _ => None,
                };
                let Some(source) = source.map(|s| s.trim_matches('"')) else { continue };
                if source.contains('$') || earlier(source) || source == "scratch" {
                    continue;
                }
                if let Some(image) = ImageRef::parse(source).filter(|i| !trusted(allowed, i)) {
                    report(out, flag_range(cx, ins, &flag.name, value), &image);
                }
            }
        }
    }
}

fn report(out: &mut Reporter, range: Range<usize>, image: &ImageRef) {
    let registry = image.registry.as_deref().unwrap_or("docker.io");
    out.report(range, format!("registry `{registry}` is not trusted; pull the image from a trusted registry"));
}

/// The flag token `--name=value` (several `--mount` flags can be given).
fn flag_range(cx: &Context, ins: Ins, name: &str, value: &str) -> Range<usize> {
    cx.tokens(ins)
        .filter(|t| t.kind == TokenKind::Flag)
        .find(|t| cx.text(t.start..t.end).trim_start_matches('-').strip_prefix(name).is_some_and(|r| r.ends_with(value)))
        .map_or_else(|| cx.keyword_range(ins), |t| t.start..t.end)
}

fn trusted(allowed: &[String], image: &ImageRef) -> bool {
    match image.registry.as_deref() {
        Some(registry) => allowed.iter().any(|p| matches(p, registry)),
        None => allowed.iter().any(|p| matches(p, "docker.io") || matches(p, "hub.docker.com")),
    }
}

fn matches(pattern: &str, registry: &str) -> bool {
    if pattern == "*" {
        true
    } else if let Some(suffix) = pattern.strip_prefix('*') {
        registry.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        registry.starts_with(prefix)
    } else {
        pattern.eq_ignore_ascii_case(registry)
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{LintOptions, lint};

    fn hits(registries: &[&str], src: &str) -> Vec<String> {
        let options = LintOptions {
            select: vec!["DO240".into()],
            trusted_registries: registries.iter().map(|s| s.to_string()).collect(),
            ..LintOptions::default()
        };
        lint(&crate::parse(src), &options).iter().map(|d| src[d.range.clone()].to_owned()).collect()
    }

    #[test]
    fn fires_on_untrusted_images() {
        let src = "ARG REG=ghcr.io\nFROM ${REG}/x/y:1 AS a\nFROM debian:12\nCOPY --from=quay.io/a/b:1 /x /y\n\
                   RUN --mount=type=bind,target=/m --mount=type=bind,from=gcr.io/p/i,target=/n true\n";
        assert_eq!(hits(&["registry.corp"], src), vec!["${REG}/x/y:1", "debian:12", "--from=quay.io/a/b:1", "--mount=type=bind,from=gcr.io/p/i,target=/n"]);
        assert_eq!(hits(&["*cr.io"], src), vec!["debian:12", "--from=quay.io/a/b:1"]);
        assert_eq!(hits(&["*.io"], src), Vec::<String>::new(), "Docker Hub is docker.io");
        assert_eq!(hits(&["docker.io", "gh*"], src), vec!["--from=quay.io/a/b:1", "--mount=type=bind,from=gcr.io/p/i,target=/n"]);
        assert_eq!(hits(&["x"], "FROM a\nONBUILD COPY --from=ghcr.io/a:1 /x /y\n").len(), 2);
    }

    #[test]
    fn quiet_without_configuration_or_on_stages_scratch_and_unknowns() {
        assert!(hits(&[], "FROM ghcr.io/x/y\n").is_empty());
        let src = "ARG B\nFROM scratch AS s\nFROM ${B}/x\nFROM s\nCOPY --from=s /x /y\nCOPY --from=0 /a /b\n\
                   RUN --mount=type=cache,target=/c true\n";
        assert!(hits(&["corp.example"], src).is_empty());
        assert!(hits(&["*"], "FROM ghcr.io/x/y\nFROM quay.io/a\n").is_empty());
    }
}
