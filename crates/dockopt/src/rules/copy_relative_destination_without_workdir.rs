//! DO149 copy-relative-destination-without-workdir: COPY/ADD to a relative path before any WORKDIR.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO149",
    name: "copy-relative-destination-without-workdir",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3045"],
    summary: "COPY or ADD to a relative destination needs a WORKDIR set in the stage.",
    docs: r#"## What it does
Finds `COPY` and `ADD` with a relative destination (`app/`, `.`) when neither the stage nor a
stage it is built on has set a `WORKDIR` before. Stages built `FROM scratch` are fine: their
working folder is `/`. Absolute paths (`/app`, `C:\app`) and
destinations starting with a variable are fine. `ONBUILD` instructions are not checked: they
run in a downstream image whose working folder is not known here.

hadolint checks only `COPY`; `ADD` resolves its destination the same way and is checked too.

## Why is this bad?
A relative destination is resolved against the working folder of the base image, which this
Dockerfile does not control: it is `/` for most images but differs for others, and can change
between two tags of the same image.

## Example
```dockerfile
FROM node:22
COPY package.json .
```

## Use instead
```dockerfile
FROM node:22
WORKDIR /app
COPY package.json .
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
        let stages = &cx.model.stages;
        // Whether each stage sets a WORKDIR anywhere, to answer for stages built on it.
        let sets_workdir: Vec<bool> =
            stages.iter().map(|s| s.instructions.iter().any(|&i| cx.model.instructions[i].keyword == "WORKDIR")).collect();
        for stage in stages {
            // `scratch` has no working folder but `/`: relative paths are known there.
            let mut workdir = stage.scratch;
            let mut base = stage.base_stage;
            while let Some(b) = base.filter(|_| !workdir) {
                workdir = sets_workdir[b] || stages[b].scratch;
                base = stages[b].base_stage.filter(|&p| p < b);
            }
            for &index in &stage.instructions {
                let ins = cx.ins(index);
                if ins.is("WORKDIR") {
                    workdir = true;
                }
                if workdir || !(ins.is("COPY") || ins.is("ADD")) || ins.model.arguments.len() < 2 {
                    continue;
                }
                let Some(dest) = ins.model.arguments.last() else { continue };
                let bare = dest.trim_matches(['"', '\'']);
                let windows = bare.as_bytes().get(1) == Some(&b':') && bare.starts_with(|c: char| c.is_ascii_alphabetic());
                if bare.starts_with(['/', '$']) || windows {
                    continue;
                }
                let range = cx.word_ranges(ins).pop().unwrap_or_else(|| cx.keyword_range(ins));
                out.report(range, format!("`{bare}` is relative to the base image's working folder; set WORKDIR first or use an absolute path"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_relative_destinations_without_workdir() {
        let src = "FROM node\nCOPY package.json .\nADD a.tgz app/\n";
        assert_eq!(hits("DO149", src), vec![(2, ".".into()), (3, "app/".into())]);
        let src = "FROM a AS one\nWORKDIR /x\nFROM b\nCOPY a b/\n";
        assert_eq!(hits("DO149", src), vec![(4, "b/".into())], "WORKDIR of an unrelated stage does not count");
        let src = "# escape=`\nFROM a\nCOPY a `\n  b\n";
        assert_eq!(hits("DO149", src), vec![(4, "b".into())]);
        let src = "FROM a\nCOPY <<EOF run.sh\necho\nEOF\n";
        assert_eq!(hits("DO149", src), vec![(2, "run.sh".into())]);
    }

    #[test]
    fn quiet_with_workdir_or_absolute_destinations() {
        assert_clean("DO149", "FROM a\nWORKDIR /app\nCOPY . .\n");
        assert_clean("DO149", "FROM a AS base\nWORKDIR /app\nFROM base\nCOPY . .\n");
        assert_clean("DO149", "FROM a\nCOPY a /b\nCOPY a \"/c\"\nCOPY a C:\\\\x\nCOPY a $DIR\nCOPY [\"a\", \"/d\"]\n");
        assert_clean("DO149", "FROM a\nONBUILD COPY . .\n");
        assert_clean("DO149", "FROM scratch AS s\nCOPY a b\nFROM s\nCOPY c d\n");
    }
}
