//! DO542 from-platform-pinned: FROM --platform with a fixed value.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO542",
    name: "from-platform-pinned",
    category: Category::Maintainability,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3029"],
    summary: "FROM --platform should not fix the platform to a constant.",
    docs: r#"## What it does
Finds `FROM --platform=...` whose value is a constant such as `linux/amd64`. A value built
from variables (`$BUILDPLATFORM`, `$TARGETPLATFORM`, `$TARGETOS/$TARGETARCH` or an ARG of
your own) is left alone: it follows the build's `--platform` option.

hadolint only accepts values naming `BUILDPLATFORM` or `TARGETPLATFORM` and so also reports
`--platform=$TARGETOS/$TARGETARCH`; this rule does not.

## Why is this bad?
A fixed platform overrides what the person building asked for: `docker build --platform
linux/arm64` still gets an amd64 stage, which then runs under emulation or produces an image
for the wrong machine.

## Example
```dockerfile
FROM --platform=linux/amd64 golang:1.22 AS build
```

## Use instead
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
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
            let Some(platform) = ins.flag("platform").and_then(|f| f.value.as_deref()) else { continue };
            if platform.contains('$') || platform.is_empty() {
                continue;
            }
            let range = cx.flag_range(ins, "platform").unwrap_or_else(|| cx.keyword_range(ins));
            out.report(range, format!("`--platform={platform}` overrides the requested platform; use `$BUILDPLATFORM` or `$TARGETPLATFORM`"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_constant_platforms() {
        let src = "FROM --platform=linux/amd64 a AS b\nFROM --platform=\"linux/arm64\" b\n";
        assert_eq!(
            hits("DO542", src),
            vec![(1, "--platform=linux/amd64".into()), (2, "--platform=\"linux/arm64\"".into())]
        );
        let src = "# escape=`\nFROM --platform=linux/amd64 `\n  a\n";
        assert_eq!(hits("DO542", src), vec![(2, "--platform=linux/amd64".into())]);
    }

    #[test]
    fn quiet_on_variables_and_no_flag() {
        let src = "ARG P=linux/amd64\nFROM --platform=$BUILDPLATFORM a\nFROM --platform=${TARGETOS}/${TARGETARCH} b\n\
                   FROM --platform=$P c\nFROM d\n";
        assert_clean("DO542", src);
    }
}
