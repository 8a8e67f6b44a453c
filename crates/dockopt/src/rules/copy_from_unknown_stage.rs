//! DO141 copy-from-unknown-stage: `COPY --from` naming no earlier stage.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO141",
    name: "copy-from-unknown-stage",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3022"],
    summary: "`COPY --from` should name an earlier stage or a tagged image.",
    docs: r#"## What it does
Checks the value of `COPY --from=...`:
- a stage index must be lower than the current stage's;
- a stage name must belong to an earlier stage (compared without case, as BuildKit does);
- a name that is no stage at all is taken for an image, and is reported unless it carries a
  tag or digest (`nginx:1.27`): a name that could be a stage is most often a misspelt one,
  and an image name that cannot be a stage (`org/tool`) still floats on `latest`;
- variables are reported: BuildKit does not expand them in `--from`.

A stage copying from itself is left to `copy-from-own-stage`; `ONBUILD COPY` is not checked,
its stages are those of the image that builds on this one.

## Why is this bad?
BuildKit stops with "cannot copy from stage ..., it needs to be defined before current stage"
for later stages and out-of-range indices, and an untagged unknown name silently pulls
`name:latest` from Docker Hub.

## Example
```dockerfile
FROM golang:1.22 AS build
FROM alpine:3.20
COPY --from=biuld /out/app /app
```

## Use instead
```dockerfile
FROM golang:1.22 AS build
FROM alpine:3.20
COPY --from=build /out/app /app
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
        for ins in cx.all("COPY") {
            let (Some(from), Some(current)) = (ins.flag("from").and_then(|f| f.value.as_deref()), ins.model.stage()) else {
                continue;
            };
            let range = cx.flag_range(ins, "from").unwrap_or_else(|| cx.keyword_range(ins));
            let stages = &cx.model.stages;
            let named = stages.iter().position(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(from)));
            let message = if from.contains('$') {
                format!("`--from={from}`: variables are not expanded here; name the stage or image literally")
            } else if let Ok(index) = from.parse::<usize>() {
                if index <= current {
                    continue;
                }
                format!("`--from={from}` is not an earlier stage; use an index below {current} or a stage name")
            } else if let Some(index) = named {
                if index <= current {
                    continue;
                }
                format!("stage `{from}` is defined after this one; move it before the stage that copies from it")
            } else if from.contains([':', '@']) {
                continue;
            } else if !stage_name_like(from) {
                // Stage names are `[a-z][a-z0-9-_.]*`: anything else can only be an image.
                format!("`--from={from}` names an image without a tag; pin it (`{from}:<tag>`)")
            } else {
                format!("no earlier stage is named `{from}`; fix the name, or give the image a tag (`{from}:<tag>`)")
            };
            out.report(range, message);
        }
    }
}

fn stage_name_like(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_unknown_later_and_variable_sources() {
        let src = "FROM a AS build\nFROM b\nCOPY --from=biuld /x /y\n";
        assert_eq!(hits("DO141", src), vec![(3, "--from=biuld".into())]);
        let src = "FROM a\nCOPY --from=later /x /y\nCOPY --from=1 /x /y\nFROM b AS later\n";
        assert_eq!(hits("DO141", src), vec![(2, "--from=later".into()), (3, "--from=1".into())]);
        let src = "ARG S=build\nFROM a AS build\nFROM b\nCOPY --from=${S} /x /y\n";
        assert_eq!(hits("DO141", src), vec![(4, "--from=${S}".into())]);
        let src = "# escape=`\nFROM a\nCOPY --from=nope `\n  /x /y\n";
        assert_eq!(hits("DO141", src), vec![(3, "--from=nope".into())]);
    }

    #[test]
    fn quiet_on_earlier_stages_images_and_onbuild() {
        let src = "FROM a AS Build\nFROM b\nCOPY --from=build /x /y\nCOPY --from=0 /x /y\nCOPY --from=nginx:1.27 /x /y\n";
        assert_clean("DO141", src);
        assert_clean("DO141", "FROM a AS x\nCOPY --from=x /x /y\n");
        assert_clean("DO141", "FROM a\nONBUILD COPY --from=builder /x /y\nCOPY --from=img@sha256:ab /x /y\n");
        assert_eq!(hits("DO141", "FROM a\nCOPY --from=org/tool /x /y\n"), vec![(2, "--from=org/tool".into())]);
        assert_clean("DO141", "FROM a\nCOPY --from=org/tool:1.2 /x /y\n");
    }
}
