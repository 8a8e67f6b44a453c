//! DO343 pip-cache-not-disabled: `pip install` keeping its download cache in the layer.

use crate::lint::install::{commands, exact, ships};
use crate::lint::pip;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

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

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.effective().keyword == "RUN" && ships(cx, *i)) {
            for cmd in commands(cx, ins) {
                let Some(install) = pip::install_word(cmd) else { continue };
                if !pip::keeps_cache(cx, ins, cmd) {
                    continue;
                }
                let d = out.report(cmd.range(), "pip keeps its download cache in the layer; add `--no-cache-dir`");
                if let Some(range) = exact(install) {
                    d.set_fix(Fix::safe("Add `--no-cache-dir`", vec![Edit::insert(range.end, " --no-cache-dir")]));
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
        assert_eq!((&src[edit.range.start - 7..edit.range.end], edit.content.as_ref()), ("install", " --no-cache-dir"));
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
