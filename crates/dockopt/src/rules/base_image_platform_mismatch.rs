//! DO185 base-image-platform-mismatch: `FROM --platform=linux/amd64 arm64v8/alpine`.

use crate::lint::args::{ArgValue, parse_platform};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::model::ImageRef;
use crate::words::Lexer;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO185",
    name: "base-image-platform-mismatch",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["buildkit:InvalidBaseImagePlatform"],
    summary: "FROM --platform should match the platform the base image is built for.",
    docs: r#"## What it does
Finds a FROM whose `--platform` (a fixed value, or one made of ARG defaults) names another
operating system or architecture than its base image is built for, where the image name
says it: Docker Hub's per-architecture namespaces (`arm64v8/alpine`, `amd64/python`,
`arm32v7/...`, `i386/...`, `ppc64le/...`, `s390x/...`, `riscv64/...`, `mips64le/...`,
`windows-amd64/...`) and Windows images (`mcr.microsoft.com/windows/...`, tags with
`nanoserver` or `windowsservercore`).

BuildKit checks this against the registry after pulling. dockopt does not contact a
registry, so it only reports what the file itself makes certain.

## Why is this bad?
The pull either fails or gives an image for another platform, which then runs under
emulation or not at all.

## Example
```dockerfile
FROM --platform=linux/amd64 arm64v8/alpine:3.20
```

## Use instead
```dockerfile
FROM --platform=linux/amd64 alpine:3.20
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// The operating system and architecture an image is built for, when its name says so.
fn implied_platform(image: &ImageRef) -> Option<(&'static str, Option<&'static str>)> {
    const NAMESPACES: [(&str, &str, &str); 11] = [
        ("amd64", "linux", "amd64"),
        ("arm64v8", "linux", "arm64"),
        ("arm32v7", "linux", "arm"),
        ("arm32v6", "linux", "arm"),
        ("arm32v5", "linux", "arm"),
        ("i386", "linux", "386"),
        ("ppc64le", "linux", "ppc64le"),
        ("s390x", "linux", "s390x"),
        ("riscv64", "linux", "riscv64"),
        ("mips64le", "linux", "mips64le"),
        ("windows-amd64", "windows", "amd64"),
    ];
    if let Some(repo) = image.hub_repository() {
        let namespace = repo.split('/').next().unwrap_or("");
        if let Some((_, os, arch)) = NAMESPACES.iter().find(|(n, _, _)| *n == namespace) {
            return Some((os, Some(arch)));
        }
    }
    let tag = image.tag.as_deref().unwrap_or("");
    let windows_repo = image.registry.as_deref() == Some("mcr.microsoft.com") && image.repository.starts_with("windows/");
    if windows_repo || tag.contains("nanoserver") || tag.contains("windowsservercore") {
        return Some(("windows", None));
    }
    None
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let args = cx.global_args();
        let lexer = Lexer::new(cx.model.escape);
        for ins in cx.all("FROM") {
            let Some(stage) = ins.model.stage().map(|s| &cx.model.stages[s]) else { continue };
            let Some(image) = &stage.image else { continue };
            let Some((image_os, image_arch)) = implied_platform(image) else { continue };
            let Some(value) = ins.flag("platform").and_then(|f| f.value.as_deref()) else { continue };
            let Some(e) = args.process(&lexer, value) else { continue };
            if e.unmatched.iter().chain(&e.matched).any(|n| !matches!(args.value(n), Some(ArgValue::Known(_)))) {
                continue;
            }
            let Some((os, arch)) = parse_platform(&e.word) else { continue };
            let arch_differs = image_arch.zip(arch.as_deref()).is_some_and(|(a, b)| a != b);
            if os == image_os && !arch_differs {
                continue;
            }
            let Some(range) = cx.word_ranges(ins).first().cloned() else { continue };
            let built_for = match image_arch {
                Some(a) => format!("{image_os}/{a}"),
                None => image_os.to_owned(),
            };
            let message = format!("this image is built for {built_for}, but FROM asks for `{}`", e.word);
            out.report(range, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_when_the_name_says_another_platform() {
        let src = "FROM --platform=linux/amd64 arm64v8/alpine:3.20\n";
        assert_eq!(hits("DO185", src), vec![(1, "arm64v8/alpine:3.20".into())]);
        let src = "ARG P=linux/arm64\nFROM --platform=$P docker.io/amd64/python\n";
        assert_eq!(hits("DO185", src), vec![(2, "docker.io/amd64/python".into())]);
        let src = "FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/runtime:8.0-nanoserver-ltsc2022\n";
        assert_eq!(hits("DO185", src).len(), 1);
        assert_eq!(hits("DO185", "# escape=`\nFROM --platform=windows/amd64 `\n  i386/debian\n").len(), 1);
    }

    #[test]
    fn quiet_when_matching_or_unknowable() {
        assert_clean("DO185", "FROM --platform=linux/arm64/v8 arm64v8/alpine\nFROM --platform=linux/amd64 alpine\n");
        assert_clean("DO185", "FROM --platform=$BUILDPLATFORM arm64v8/alpine\nFROM arm64v8/alpine\n");
        assert_clean("DO185", "FROM --platform=windows python:3-windowsservercore\nFROM --platform=linux ghcr.io/amd64/x\n");
    }
}
