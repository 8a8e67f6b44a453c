//! DO147 onbuild-forbidden-trigger: ONBUILD registering ONBUILD, FROM or MAINTAINER.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::syntax::TokenKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO147",
    name: "onbuild-forbidden-trigger",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["hadolint:DL3043"],
    summary: "ONBUILD cannot register ONBUILD, FROM or MAINTAINER.",
    docs: r#"## What it does
Finds `ONBUILD ONBUILD ...`, `ONBUILD FROM ...` and `ONBUILD MAINTAINER ...`.

## Why is this bad?
These triggers are not allowed: the build of any image based on this one fails when the
trigger runs, long after this Dockerfile was written.

## Example
```dockerfile
ONBUILD FROM alpine:3.20
```

## Use instead
Write the instruction in the downstream Dockerfile, or use `LABEL` instead of `MAINTAINER`:
```dockerfile
ONBUILD LABEL org.opencontainers.image.authors="team@example.com"
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
        for ins in cx.all("ONBUILD") {
            let Some(inner) = ins.model.onbuild() else { continue };
            if !matches!(inner.keyword.as_ref(), "ONBUILD" | "FROM" | "MAINTAINER") {
                continue;
            }
            // The second keyword token is the registered instruction.
            let range = cx
                .tokens(ins)
                .filter(|t| t.kind == TokenKind::Keyword)
                .nth(1)
                .map_or_else(|| cx.keyword_range(ins), |t| t.start..t.end);
            out.report(range, format!("`ONBUILD {}` is not allowed; it fails every downstream build", inner.keyword));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_forbidden_triggers() {
        let src = "FROM a\nONBUILD FROM b\nONBUILD maintainer me\nONBUILD ONBUILD RUN x\n";
        assert_eq!(
            hits("DO147", src),
            vec![(2, "FROM".into()), (3, "maintainer".into()), (4, "ONBUILD".into())]
        );
        let src = "# escape=`\nFROM a\nONBUILD `\n  FROM b\n";
        assert_eq!(hits("DO147", src), vec![(4, "FROM".into())]);
    }

    #[test]
    fn quiet_on_allowed_triggers() {
        assert_clean("DO147", "FROM a\nONBUILD RUN x\nONBUILD COPY . /app\nONBUILD LABEL a=b\n");
    }
}
