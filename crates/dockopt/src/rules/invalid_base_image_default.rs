//! DO183 invalid-base-image-default: with the ARG defaults, FROM names no valid image.

use crate::lint::args::{ArgValue, is_valid_reference};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::words::Lexer;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO183",
    name: "invalid-base-image-default",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["buildkit:InvalidDefaultArgInFrom"],
    summary: "FROM should name a valid image when the ARGs keep their defaults.",
    docs: r#"## What it does
Expands the image name of each FROM with the default values of the ARGs declared before the
first FROM (an ARG without a default is empty) and reports the FROM when the result is not a
valid image reference: empty, ending in `:`, with upper-case letters in the repository, and
so on. FROM lines without variables, and those that depend on BuildKit's platform arguments,
are not judged.

## Why is this bad?
The build only works when every user remembers to pass the right `--build-arg`; a plain
`docker build .`, an IDE or a scanner that reads the Dockerfile fails or picks something else.

## Example
```dockerfile
ARG TAG
FROM alpine:${TAG}
```

## Use instead
```dockerfile
ARG TAG=3.20
FROM alpine:${TAG}
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
        for ins in cx.all("FROM") {
            let (Some(base), Some(range)) = (ins.model.arguments.first(), cx.word_ranges(ins).first().cloned()) else {
                continue;
            };
            let Some(e) = args.process(&lexer, base) else { continue };
            let used: Vec<&String> = e.matched.iter().chain(&e.unmatched).collect();
            // Only defaults are judged: undeclared names are undefined-arg-in-from's, builder
            // values are unknowable.
            if used.is_empty() || used.iter().any(|n| !matches!(args.value(n), Some(ArgValue::Known(_) | ArgValue::Unset)))
            {
                continue;
            }
            if is_valid_reference(&e.word) {
                continue;
            }
            let names: Vec<String> = used.iter().map(|n| format!("`{n}`")).collect();
            let message = format!(
                "with the default value of {} the base image is `{}`, which is not a valid image name; set a usable default",
                names.join(", "),
                e.word
            );
            out.report(range, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_invalid_defaults() {
        assert_eq!(hits("DO183", "ARG TAG\nFROM alpine:${TAG}\n"), vec![(2, "alpine:${TAG}".into())]);
        assert_eq!(hits("DO183", "ARG IMAGE\nFROM $IMAGE AS base\n"), vec![(2, "$IMAGE".into())]);
        let src = "ARG REPO=Team/App\nFROM ${REPO}:1\n";
        assert!(check("DO183", src)[0].message.contains("`Team/App:1`"));
        let src = "ARG A=\nARG B=${A}x\nFROM ${B}:\n";
        assert_eq!(hits("DO183", src).len(), 1);
        assert_eq!(hits("DO183", "# escape=`\nARG T\nFROM a:$T\n").len(), 1);
    }

    #[test]
    fn quiet_on_valid_defaults_and_unknowable_values() {
        assert_clean("DO183", "ARG TAG=3.20\nFROM alpine:${TAG}\nFROM alpine:${TAG:-3}\n");
        assert_clean("DO183", "ARG IMAGE\nFROM ${IMAGE:-alpine}\n");
        assert_clean("DO183", "FROM busybox:${TARGETARCH}\nFROM alpine:${UNDECLARED}\nFROM Alpine\n");
        assert_clean("DO183", "ARG BASE=build\nFROM alpine AS build\nFROM ${BASE}\n");
    }
}
