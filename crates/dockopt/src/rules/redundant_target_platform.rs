//! DO660 redundant-target-platform: `FROM --platform=$TARGETPLATFORM`.

use crate::lint::{Category, Context, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO660",
    name: "redundant-target-platform",
    category: Category::Style,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3065", "buildkit:RedundantTargetPlatform"],
    summary: "`FROM --platform=$TARGETPLATFORM` repeats the default.",
    docs: r#"## What it does
Finds `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`). Not reported when the file
declares a global `ARG TARGETPLATFORM` with its own default, which changes what the variable
holds.

## Why is this bad?
A stage is built for the target platform unless told otherwise, so the flag does nothing.
It also makes readers wonder whether `$BUILDPLATFORM` was meant.

## Example
```dockerfile
FROM --platform=$TARGETPLATFORM alpine
```

## Use instead
```dockerfile
FROM alpine
```

## Fix safety
The fix removes the flag; this is safe, the stage is built for the same platform.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let redefined = cx.model.global_args.iter().any(|v| v.name == "TARGETPLATFORM" && v.value.is_some());
        if redefined {
            return;
        }
        for ins in cx.all("FROM") {
            let Some(platform) = ins.flag("platform").and_then(|f| f.value.as_deref()) else { continue };
            if !matches!(platform, "$TARGETPLATFORM" | "${TARGETPLATFORM}") {
                continue;
            }
            let Some(range) = cx.flag_range(ins, "platform") else { continue };
            let diagnostic = out.report(range.clone(), "the stage is built for $TARGETPLATFORM anyway; remove the flag");
            diagnostic.set_fix(Fix::safe("Remove `--platform`", vec![cx.flag_deletion(range)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_target_platform() {
        let src = "FROM --platform=$TARGETPLATFORM alpine AS a\nfrom --platform=\"${TARGETPLATFORM}\" b\n";
        assert_eq!(
            hits("DO660", src),
            vec![(1, "--platform=$TARGETPLATFORM".into()), (2, "--platform=\"${TARGETPLATFORM}\"".into())]
        );
        let fix = check("DO660", src)[0].fix.clone().unwrap();
        assert_eq!(&src[fix.edits[0].range.clone()], "--platform=$TARGETPLATFORM ");
        assert_eq!(hits("DO660", "# escape=`\nFROM --platform=$TARGETPLATFORM a\n").len(), 1);
    }

    #[test]
    fn quiet_on_other_platforms() {
        assert_clean("DO660", "FROM --platform=$BUILDPLATFORM a\nFROM --platform=linux/amd64 b\nFROM c\n");
        assert_clean("DO660", "ARG TARGETPLATFORM=linux/arm64\nFROM --platform=$TARGETPLATFORM a\n");
    }
}
