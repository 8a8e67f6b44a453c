//! DO181 undefined-arg-in-from: FROM uses a variable that no ARG before the first FROM declares.

use crate::lint::args::{PLATFORM_ARGS, suggest};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::words::Lexer;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO181",
    name: "undefined-arg-in-from",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["buildkit:UndefinedArgInFrom"],
    summary: "FROM should only use ARGs declared before the first FROM.",
    docs: r#"## What it does
Finds variables in the image name or the `--platform` of a FROM that are neither declared by an
`ARG` before the first FROM nor one of BuildKit's platform arguments (`BUILDPLATFORM`,
`TARGETPLATFORM`, `TARGETOS`, `TARGETARCH`, ...). When a declared name is close, the message
suggests it.

## Why is this bad?
FROM only sees the ARGs declared above the first FROM. Any other variable expands to an empty
string, even when `--build-arg` passes a value, so `FROM node:${NODE_VERSION}` without a
global `ARG NODE_VERSION` pulls `node:` and fails, and a misspelt name silently selects another
image.

## Example
```dockerfile
FROM python:${PYTHON_VERSION}-slim
ARG PYTHON_VERSION=3.12
```

## Use instead
```dockerfile
ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-slim
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
        let args = cx.global_args();
        let lexer = Lexer::new(cx.model.escape);
        let options = || args.declared.iter().map(String::as_str).chain(PLATFORM_ARGS);
        for ins in cx.all("FROM") {
            let base = ins.model.arguments.first().map(String::as_str).zip(cx.word_ranges(ins).first().cloned());
            let platform = ins.flag("platform").and_then(|f| f.value.as_deref()).zip(cx.flag_range(ins, "platform"));
            for (text, range) in base.into_iter().chain(platform) {
                let Some(expansion) = args.process(&lexer, text) else { continue };
                for name in expansion.unmatched.iter().filter(|n| !args.is_declared(n)) {
                    let hint = suggest(name, options()).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                    let message =
                        format!("`{name}` is not declared by an ARG before the first FROM, so it is empty here{hint}");
                    out.report(range.clone(), message);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_undeclared_names() {
        let src = "FROM python:${PYTHON_VERSION}-slim\nARG PYTHON_VERSION=3\n";
        assert_eq!(hits("DO181", src), vec![(1, "python:${PYTHON_VERSION}-slim".into())]);
        let src = "ARG VERSION=1\nFROM alpine:$VERISON\n";
        assert!(check("DO181", src)[0].message.contains("did you mean `VERSION`"));
        let src = "FROM --platform=$BUILDPLATFROM alpine AS b\n";
        assert_eq!(hits("DO181", src), vec![(1, "--platform=$BUILDPLATFROM".into())]);
        assert!(check("DO181", src)[0].message.contains("BUILDPLATFORM"));
        let src = "# escape=`\nFROM `\n  img:${TAG}\n";
        assert_eq!(hits("DO181", src), vec![(3, "img:${TAG}".into())]);
    }

    #[test]
    fn quiet_on_declared_and_platform_args() {
        assert_clean("DO181", "ARG TAG\nARG IMG=alpine\nFROM --platform=$BUILDPLATFORM ${IMG}:${TAG:-3}\n");
        assert_clean("DO181", "FROM --platform=${TARGETPLATFORM} alpine\nARG LATER\nFROM alpine\n");
    }
}
