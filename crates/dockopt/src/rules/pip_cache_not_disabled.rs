//! DO343 pip-cache-not-disabled: `pip install` keeping its download cache in the layer.

use crate::lint::install::{commands, exact, has_cache_mount_ending, ships};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Ins, Reporter, RuleMeta, Severity};
use crate::shell::{Command, Word};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO343",
    name: "pip-cache-not-disabled",
    category: Category::Size,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3042"],
    summary: "`pip install` should run with `--no-cache-dir`.",
    docs: r#"## What it does
Finds `pip install` (`pip3`, `pip3.12`, `python -m pip install`) without `--no-cache-dir`.
The cache counts as disabled when `PIP_NO_CACHE_DIR` is set to a true value (`1`, `true`,
`on`, `yes`) by an ENV or ARG earlier in the stage or a stage it is built on, on the command
(`PIP_NO_CACHE_DIR=1 pip install ...`) or by `export` in the RUN, and when a BuildKit cache or
tmpfs mount holds pip's cache (`--mount=type=cache,target=/root/.cache/pip` or `.cache`).
`pipx` and `pipenv` are not pip. Only stages whose layers ship are checked: the last stage,
stages other stages are built on, and ONBUILD triggers; hadolint also reports build-only
stages, whose cache never reaches the image.

## Why is this bad?
pip keeps every downloaded wheel in `~/.cache/pip`. In an image that cache is never used
again and can be larger than the installed packages.

## Example
```dockerfile
RUN pip install -r requirements.txt
```

## Use instead
```dockerfile
RUN pip install --no-cache-dir -r requirements.txt
```
or keep the cache between builds, outside the image:
```dockerfile
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
```

## Fix safety
The fix adds `--no-cache-dir` after `install`. It is safe: only the cache is affected.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

const TRUTHY: [&str; 4] = ["1", "true", "on", "yes"];

fn truthy(value: &str) -> bool {
    TRUTHY.iter().any(|t| value.trim_matches(['"', '\'']).eq_ignore_ascii_case(t))
}

/// The `install` word of a pip install command.
fn pip_install(cmd: &Command) -> Option<&Word> {
    let program = cmd.program()?;
    if program.starts_with("pip") && !program.starts_with("pipenv") && !program.starts_with("pipx") {
        return cmd.operands().next().filter(|w| w.text() == "install");
    }
    if program.starts_with("python") {
        let at = cmd.args.windows(2).position(|w| w[0].text() == "-m" && w[1].text() == "pip")?;
        return cmd.args[at + 2..].iter().find(|w| !w.text().starts_with('-')).filter(|w| w.text() == "install");
    }
    None
}

/// `PIP_NO_CACHE_DIR` is set to a true value in the environment of the RUN.
fn disabled_by_env(cx: &Context, ins: Ins) -> bool {
    let Some(stage) = ins.model.stage else { return false };
    let mut base = cx.model.stages[stage].base_stage;
    while let Some(b) = base {
        let parent = &cx.model.stages[b];
        if parent.variables.iter().any(|v| v.name == "PIP_NO_CACHE_DIR" && v.value.as_deref().is_some_and(truthy)) {
            return true;
        }
        base = parent.base_stage.filter(|&p| p < b);
    }
    let mut set = false;
    for &i in cx.model.stages[stage].instructions.iter().take_while(|&&i| i < ins.index) {
        let model = &cx.model.instructions[i];
        if matches!(model.keyword.as_str(), "ENV" | "ARG") {
            for pair in model.pairs.iter().filter(|p| p.key == "PIP_NO_CACHE_DIR") {
                set = pair.resolved.as_deref().or(pair.value.as_deref()).is_some_and(truthy);
            }
        }
    }
    set
}

fn sets_variable(word: &Word) -> bool {
    word.text().strip_prefix("PIP_NO_CACHE_DIR=").is_some_and(truthy)
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.effective().keyword == "RUN") {
            if !ships(cx, ins) || has_cache_mount_ending(ins, &[".cache/pip", ".cache"]) || disabled_by_env(cx, ins) {
                continue;
            }
            let cmds = commands(cx, ins);
            // `export PIP_NO_CACHE_DIR=1` is a declaration, not a command: look at the text.
            let run = ins.effective();
            let exported = std::iter::once(run.text.as_str())
                .chain(ins.model.heredocs.iter().map(|h| h.content.as_str()))
                .any(|t| t.split(|c: char| c.is_whitespace() || c == ';').any(|w| w.strip_prefix("PIP_NO_CACHE_DIR=").is_some_and(truthy)));
            for cmd in cmds {
                let Some(install) = pip_install(cmd) else { continue };
                if exported || cmd.has_option(None, Some("no-cache-dir")) || cmd.assignments.iter().any(sets_variable) {
                    continue;
                }
                let d = out.report(cmd.range.clone(), "pip keeps its download cache in the layer; add `--no-cache-dir`");
                if let Some(range) = exact(install) {
                    d.fix = Some(Fix::safe("Add `--no-cache-dir`", vec![Edit::insert(range.end, " --no-cache-dir")]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_without_no_cache_dir() {
        let src = "FROM python\nRUN pip3 install -r req.txt \\\n && python -m pip install x\n";
        assert_eq!(hits("DO343", src), vec![(2, "pip3 install -r req.txt".into()), (3, "python -m pip install x".into())]);
        let found = check("DO343", src);
        let edit = &found[1].fix.as_ref().unwrap().edits[0];
        assert_eq!((&src[edit.range.start - 7..edit.range.end], edit.content.as_str()), ("install", " --no-cache-dir"));
        assert_eq!(hits("DO343", "FROM p\nRUN <<EOF\npip install x\nEOF\n"), vec![(3, "pip install x".into())]);
        assert_eq!(hits("DO343", "FROM p\nONBUILD RUN pip install x\n").len(), 1);
        assert_eq!(hits("DO343", "# escape=`\nFROM p\nRUN true `\n  && pip install x\n"), vec![(4, "pip install x".into())]);
        assert_eq!(hits("DO343", "FROM p\nENV PIP_NO_CACHE_DIR=0\nRUN pip install x\n").len(), 1);
    }

    #[test]
    fn quiet_when_cache_disabled_mounted_or_not_pip() {
        assert_clean("DO343", "FROM p\nRUN pip install --no-cache-dir x && pip --no-cache-dir install y\n");
        assert_clean("DO343", "FROM p\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x\n");
        assert_clean("DO343", "FROM p AS base\nENV PIP_NO_CACHE_DIR=true\nFROM base\nRUN pip install x\n");
        assert_clean("DO343", "FROM p\nARG PIP_NO_CACHE_DIR=yes\nRUN pip install x\n");
        assert_clean("DO343", "FROM p\nRUN PIP_NO_CACHE_DIR=1 pip install x\nRUN export PIP_NO_CACHE_DIR=on && pip install y\n");
        assert_clean("DO343", "FROM p\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\n");
        assert_clean("DO343", "FROM p\nRUN --mount=type=cache,target=/home/app/.cache pip install x\n");
        assert_clean("DO343", "FROM p\nRUN pipx install x && pipenv install && pip list && uv pip install x\n");
        assert_clean("DO343", "FROM p AS build\nRUN pip install x\nFROM scratch\n");
    }
}
