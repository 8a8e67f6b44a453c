//! DO581 constant-from-platform: `FROM --platform=linux/amd64 ...`.

use crate::lint::args::parse_platform;
use crate::lint::{Category, Context, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::words::{Lexer, NoEnv};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO581",
    name: "constant-from-platform",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["buildkit:FromPlatformFlagConstDisallowed", "hadolint:DL3029"],
    summary: "FROM --platform should not be a fixed platform.",
    docs: r#"## What it does
Finds `FROM --platform=<os/arch>` with a fixed value, in stages whose name does not mention
that operating system or architecture.

## Why is this bad?
A fixed platform makes the stage ignore `docker build --platform`: a multi-platform build
produces images whose content is all built for one architecture, and on another machine the
stage runs under emulation. Use `$BUILDPLATFORM` for stages that only produce files (then
cross-compile for `$TARGETPLATFORM`), or leave the flag out. A stage that exists for one
platform on purpose can say so in its name (`AS build-arm64`), which silences this rule.

## Example
```dockerfile
FROM --platform=linux/amd64 golang:1.22 AS build
```

## Use instead
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
ARG TARGETOS TARGETARCH
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .
```

## Fix safety
The fix removes the `--platform` flag, so the stage follows the requested platform. It is
unsafe: the base image may not exist for every platform, and the stage may rely on running on
that one (prebuilt binaries, emulation on purpose). Switching to `$BUILDPLATFORM` needs
cross-compiling commands, which no fix can write.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let lexer = Lexer::new(cx.model.escape);
        for ins in cx.all("FROM") {
            let Some(value) = ins.flag("platform").and_then(|f| f.value.as_deref()) else { continue };
            let Ok(e) = lexer.process(value, &NoEnv) else { continue };
            if !e.matched.is_empty() || !e.unmatched.is_empty() {
                continue;
            }
            let Some((os, arch)) = parse_platform(&e.word) else { continue };
            let name = match ins.model.arguments.as_ref() {
                [_, a, name] if a.eq_ignore_ascii_case("as") => name.to_lowercase(),
                _ => String::new(),
            };
            if name.contains(&os) || arch.as_deref().is_some_and(|a| name.contains(a)) {
                continue;
            }
            let Some(range) = cx.flag_range(ins, "platform") else { continue };
            let message =
                format!("fixed platform `{}` ignores the requested build platform; use `$BUILDPLATFORM` or drop it", e.word);
            let removal = cx.flag_deletion(range.clone());
            out.report(range, message).set_fix(Fix::unsafe_("Remove the fixed `--platform`", vec![removal]));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, fixed, hits};

    #[test]
    fn unsafe_fix_removes_the_flag() {
        let src = "FROM --platform=linux/amd64  golang:1.22 AS build\n";
        assert_eq!(fixed("DO581", src).as_deref(), Some("FROM golang:1.22 AS build\n"));
        assert_eq!(check("DO581", src)[0].fix.as_ref().unwrap().applicability, crate::lint::Applicability::Unsafe);
        let escape = "# escape=`\nFROM `\n  --platform=linux/x86_64 a\n";
        assert_eq!(fixed("DO581", escape).as_deref(), Some("# escape=`\nFROM `\n  a\n"));
    }

    #[test]
    fn fires_on_constant_platforms() {
        let src = "FROM --platform=linux/amd64 golang AS build\nFROM --platform=\"linux/arm64\" alpine\n";
        assert_eq!(
            hits("DO581", src),
            vec![(1, "--platform=linux/amd64".into()), (2, "--platform=\"linux/arm64\"".into())]
        );
        assert_eq!(hits("DO581", "# escape=`\nFROM `\n  --platform=linux/x86_64 a\n").len(), 1);
    }

    #[test]
    fn quiet_on_variables_named_stages_and_non_platforms() {
        assert_clean("DO581", "FROM --platform=$BUILDPLATFORM golang AS build\n");
        assert_clean("DO581", "FROM --platform=linux/amd64 golang AS build-amd64\n");
        assert_clean("DO581", "FROM --platform=linux/arm64 golang AS Linux-Tools\n");
        assert_clean("DO581", "FROM --platform=x86_64 golang AS amd64\nFROM --platform=banana a\nFROM a\n");
    }
}
