//! DO680 stage-name-not-lowercase: `FROM image AS Name` with upper-case letters in the name.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO680",
    name: "stage-name-not-lowercase",
    category: Category::Style,
    severity: Severity::Style,
    upstream: &["buildkit:StageNameCasing"],
    summary: "Build stage names should be written in lower case.",
    docs: r#"## What it does
Finds `FROM ... AS <name>` where the stage name has upper-case letters.

## Why is this bad?
BuildKit lower-cases stage names: `AS Builder` defines the stage `builder`, which is what
`--target`, `COPY --from` and `docker buildx bake` see. Writing the name in another case
than the one that is actually used makes references harder to search for and suggests that
`Builder` and `builder` could be two different stages.

## Example
```dockerfile
FROM golang:1.22 AS Builder
```

## Use instead
```dockerfile
FROM golang:1.22 AS builder
```

## Fix safety
The fix lower-cases the name. It is safe: BuildKit matches stage names without regard to
case, so every reference keeps working.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.all("FROM") {
            let [_, as_word, name] = ins.model.arguments.as_ref() else { continue };
            if !as_word.eq_ignore_ascii_case("as") || name.to_lowercase() == *name {
                continue;
            }
            let words = cx.word_ranges(ins);
            let Some(range) = words.get(2).filter(|r| cx.text((*r).clone()) == name).cloned() else {
                continue;
            };
            let lower = name.to_lowercase();
            let message = format!("stage name `{name}` is used as `{lower}`; write it in lower case");
            let fix = Fix::safe("Lower-case the stage name", vec![Edit::replace(range.clone(), lower)]);
            out.report(range, message).set_fix(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_upper_case_names() {
        assert_eq!(hits("DO680", "FROM alpine AS Build\nFROM build\n"), vec![(1, "Build".into())]);
        assert_eq!(hits("DO680", "from --platform=linux/amd64 alpine \\\n  as BUILD\n"), vec![(2, "BUILD".into())]);
        let escape = "# escape=`\nFROM alpine `\n  AS Tools\n";
        assert_eq!(hits("DO680", escape), vec![(3, "Tools".into())]);
        let d = &check("DO680", "FROM alpine AS MyStage\n")[0];
        assert_eq!(d.fix.as_ref().unwrap().edits[0].content, "mystage");
    }

    #[test]
    fn quiet_on_lower_case_or_unnamed_stages() {
        assert_clean("DO680", "FROM Alpine\nFROM alpine AS build-2\nFROM alpine AS x.y_z\n");
        assert_clean("DO680", "FROM alpine as\n");
    }
}
