//! DO591 python-env-unset: a Python image without PYTHONUNBUFFERED / PYTHONDONTWRITEBYTECODE.

use crate::lint::invocation::{env_before, stage_chain};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO591",
    name: "python-env-unset",
    category: Category::Maintainability,
    severity: Severity::Info,
    upstream: &[],
    summary: "Python images should set PYTHONUNBUFFERED and PYTHONDONTWRITEBYTECODE.",
    docs: r#"## What it does
Reports a final stage built on the official `python` image (directly, through earlier
stages, or through an `ARG` default) that does not set `PYTHONUNBUFFERED` and
`PYTHONDONTWRITEBYTECODE` with `ENV` (an `ARG` of the same name sets nothing in the image, and
an empty value counts as unset).

Off by default: whether `.pyc` files should be written is a trade-off. Images that compile
bytecode at build time on purpose (`python -m compileall`, `UV_COMPILE_BYTECODE=1`) start
faster and should keep doing so; for them, set only `PYTHONUNBUFFERED` and suppress the rest.

## Why is this bad?
- Without `PYTHONUNBUFFERED=1`, output to a pipe is block-buffered: logs show up late, and
  the last lines before a crash are lost.
- Without `PYTHONDONTWRITEBYTECODE=1`, Python writes `__pycache__` files at run time into the
  container's writable layer (or fails to, on a read-only filesystem), and builds that run
  Python leave them in layers.

## Example
```dockerfile
FROM python:3.12-slim
CMD ["python", "app.py"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
CMD ["python", "app.py"]
```

## Fix safety
The fix adds an `ENV` line with the missing variables after the final stage's `FROM`; there
is none when an `ENV` later in that stage empties one of them, which would undo the line. It
is unsafe: it changes how the program buffers output and whether it writes bytecode.
"#,
    fix: FixAvailability::Always,
    default_enabled: false,
};

const VARIABLES: [&str; 2] = ["PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let Some(last) = cx.model.stages.len().checked_sub(1) else { return };
        let root = &cx.model.stages[*stage_chain(cx, last).last().expect("chain starts with the stage")];
        let python = root.image.as_ref().and_then(|i| i.hub_repository()).is_some_and(|r| r == "library/python");
        if !python {
            return;
        }
        // The image's ENV at the end of the stage; a value only known at build time counts as set.
        let set = |name: &str| env_before(cx, last, usize::MAX, name).is_some_and(|value| !value.is_empty());
        let missing: Vec<&str> = VARIABLES.into_iter().filter(|v| !set(v)).collect();
        if missing.is_empty() {
            return;
        }
        let stage = &cx.model.stages[last];
        let from = cx.ins(stage.instructions[0]);
        let range = cx.word_ranges(from).into_iter().next().unwrap_or_else(|| cx.keyword_range(from));
        let d = out.report(range, format!("Python image without {}; set it with ENV", missing.join(" and ")));
        // An ENV after the FROM would be undone by the stage's own ENV that empties the
        // variable (the finding would stay, and each fix pass would add the line again).
        let emptied_here = missing.iter().any(|name| cx.assignments(last, name).iter().any(|a| a.env));
        if emptied_here {
            return;
        }
        let line = format!("\n{} {}", from.model.same_case("ENV"), missing.iter().map(|v| format!("{v}=1")).collect::<Vec<_>>().join(" "));
        d.set_fix(Fix::unsafe_(format!("Add `{}`", line.trim()), vec![Edit::insert(from.syntax.range.end, line)]));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_python_images_without_the_variables() {
        assert_eq!(hits("DO591", "FROM python:3.12-slim\nCMD x\n"), vec![(1, "python:3.12-slim".into())]);
        let partial = "ARG V=3.12\nFROM python:$V AS base\nENV PYTHONUNBUFFERED=1\nFROM base\n";
        assert_eq!(hits("DO591", partial), vec![(4, "base".into())]);
        assert!(check("DO591", partial)[0].message.contains("PYTHONDONTWRITEBYTECODE"));
        assert!(!check("DO591", partial)[0].message.contains("PYTHONUNBUFFERED"));
        assert_eq!(hits("DO591", "# escape=`\nFROM `\n  python\n").len(), 1);
    }

    #[test]
    fn fix_adds_env_after_from() {
        let src = "FROM python:3.12 AS app\nCMD x\n";
        let fix = check("DO591", src)[0].fix.clone().unwrap();
        let mut fixed = src.to_owned();
        fixed.insert_str(fix.edits[0].range.start, &fix.edits[0].content);
        assert_eq!(fixed, "FROM python:3.12 AS app\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\nCMD x\n");
    }

    #[test]
    fn reads_the_images_env_not_the_args() {
        // An ARG after an ENV of the same name leaves the image's ENV as it was.
        let shadowed = "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\nARG PYTHONUNBUFFERED=0\n";
        assert_clean("DO591", shadowed);
        let inherited = "FROM python:3.12 AS base\nENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1\nARG PYTHONUNBUFFERED\nFROM base\n";
        assert_clean("DO591", inherited);
        // An ARG alone sets nothing in the image.
        assert!(check("DO591", "FROM python:3.12\nARG PYTHONUNBUFFERED=1\nARG PYTHONDONTWRITEBYTECODE=1\n")[0].fix.is_some());
    }

    #[test]
    fn no_fix_that_a_later_env_of_the_stage_would_undo() {
        let emptied = check("DO591", "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1\nENV PYTHONUNBUFFERED=\"\"\n");
        assert!(emptied[0].message.contains("PYTHONUNBUFFERED") && emptied[0].fix.is_none());
        // Emptied in the stage built on: an ENV after this stage's FROM comes after it.
        let in_base = check("DO591", "FROM python:3.12 AS base\nENV PYTHONUNBUFFERED=\nFROM base\n");
        assert!(in_base[0].fix.is_some());
    }

    #[test]
    fn quiet_when_set_or_not_python() {
        assert_clean("DO591", "FROM python:3.12\nENV PYTHONUNBUFFERED=1 \\\n    PYTHONDONTWRITEBYTECODE=1\n");
        assert_clean("DO591", "FROM python AS build\nFROM gcr.io/distroless/python3\n");
        assert_clean("DO591", "FROM node\nONBUILD ENV X=1\n");
    }
}
