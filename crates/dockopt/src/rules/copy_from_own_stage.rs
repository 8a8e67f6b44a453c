//! DO142 copy-from-own-stage: `COPY --from` naming the stage it is in.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO142",
    name: "copy-from-own-stage",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["hadolint:DL3023", "trivy:DS-0006"],
    summary: "`COPY --from` cannot name the stage it is part of.",
    docs: r#"## What it does
Finds `COPY --from=<stage>` where the stage (by name, compared without case as BuildKit does,
or by index) is the one the instruction belongs to.

## Why is this bad?
A stage cannot read its own result while it is being built: BuildKit stops with "cannot copy
from stage ..., it needs to be defined before current stage".

## Example
```dockerfile
FROM golang:1.22 AS build
COPY --from=build /out/app /usr/local/bin/app
```

## Use instead
```dockerfile
FROM golang:1.22 AS build
RUN go build -o /out/app .

FROM gcr.io/distroless/base
COPY --from=build /out/app /usr/local/bin/app
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
            let (Some(from), Some(index)) = (ins.flag("from").and_then(|f| f.value.as_deref()), ins.model.stage()) else {
                continue;
            };
            let stage = &cx.model.stages[index];
            let own_name = stage.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(from));
            if own_name || from.parse::<usize>().is_ok_and(|i| i == index) {
                let range = cx.flag_range(ins, "from").unwrap_or_else(|| cx.keyword_range(ins));
                out.report(range, format!("`--from={from}` is this stage; copy from an earlier stage instead"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_own_name_or_index() {
        let src = "FROM a AS Build\nCOPY --from=build /x /y\n";
        assert_eq!(hits("DO142", src), vec![(2, "--from=build".into())]);
        let src = "FROM a\nFROM b\nCOPY --chown=1 --from=1 /x /y\n";
        assert_eq!(hits("DO142", src), vec![(3, "--from=1".into())]);
        let src = "# escape=`\nFROM a AS b\nCOPY --from=b `\n  /x /y\n";
        assert_eq!(hits("DO142", src), vec![(3, "--from=b".into())]);
    }

    #[test]
    fn quiet_on_other_stages_and_onbuild() {
        assert_clean("DO142", "FROM a AS build\nFROM b\nCOPY --from=build /x /y\nCOPY --from=0 /x /y\n");
        assert_clean("DO142", "FROM a AS b\nONBUILD COPY --from=b /x /y\nCOPY /x /y\n");
    }
}
