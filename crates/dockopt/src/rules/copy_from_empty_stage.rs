//! DO173 copy-from-empty-stage: `COPY --from` (or a `RUN --mount` from) a stage built on
//! `scratch` that never adds a file.

use crate::lint::scratch::scratch_chain;
use crate::lint::{Category, Context, FixAvailability, Ins, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO173",
    name: "copy-from-empty-stage",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["tally:copy-from-empty-scratch-stage"],
    summary: "Do not copy from a stage built on `scratch` that adds no files.",
    docs: r#"## What it does
Finds `COPY --from=<stage>` and `RUN --mount=...,from=<stage>` where the stage is `FROM scratch`
(or built on such a stage) and none of those stages has a `COPY`, `ADD` or `RUN`: the stage's
filesystem is empty. `ENV`, `LABEL`, `WORKDIR`, `USER` and the like add no files.

Copying or mounting the stage's root (`COPY --from=extras / /`, a mount without `source=`) is
not reported: an empty folder is found and nothing fails. Such empty stages are placeholders
that a build may replace with `--build-context extras=...`.

## Why is this bad?
There is nothing to copy, so the build fails with a "not found" error for the source path.
This usually means the stage lost its content in a refactoring, or the copy names the wrong
stage.

## Example
```dockerfile
FROM scratch AS assets
FROM nginx:1.27
COPY --from=assets /site /usr/share/nginx/html
```

## Use instead
```dockerfile
FROM scratch AS assets
COPY site/ /site
FROM nginx:1.27
COPY --from=assets /site /usr/share/nginx/html
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
        for ins in cx.instructions() {
            if ins.is("COPY") {
                let Some(from) = ins.flag("from").and_then(|f| f.value.as_deref()) else { continue };
                let sources = ins.model.arguments.split_last().map_or(&[][..], |(_, s)| s);
                if sources.iter().all(|s| is_root(s)) {
                    continue;
                }
                if let Some(name) = empty_stage(cx, from) {
                    let range = cx.flag_range(ins, "from").unwrap_or_else(|| cx.keyword_range(ins));
                    out.report(range, message(&name));
                }
            } else if ins.is("RUN") {
                for mount in ins.mounts() {
                    if mount.source.as_deref().is_none_or(is_root) {
                        continue;
                    }
                    let Some(name) = mount.from.as_deref().and_then(|f| empty_stage(cx, f)) else { continue };
                    let range = cx.flag_range(ins, "mount").unwrap_or_else(|| cx.keyword_range(ins));
                    out.report(range, message(&name));
                }
            }
        }
    }
}

/// `/`: copying or mounting the root of an empty filesystem finds an empty folder, which works.
fn is_root(path: &str) -> bool {
    path.trim_start_matches("./").trim_end_matches(['/', '.']).is_empty()
}

fn message(name: &str) -> String {
    format!("stage `{name}` is built on `scratch` and adds no files, so there is nothing to copy from it")
}

/// The name of the stage `from` refers to, when that stage's filesystem is empty.
fn empty_stage(cx: &Context, from: &str) -> Option<String> {
    let stages = &cx.model.stages;
    let index = stages
        .iter()
        .position(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(from)))
        .or_else(|| from.parse().ok().filter(|&i: &usize| i < stages.len()))?;
    let chain = scratch_chain(cx, index)?;
    let adds = |i: Ins| matches!(i.effective().keyword.as_ref(), "COPY" | "ADD" | "RUN");
    let empty = chain.iter().flat_map(|&s| stages[s].instructions.iter()).all(|&i| !adds(cx.ins(i)));
    empty.then(|| stages[index].name.clone().unwrap_or_else(|| index.to_string()))
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_empty_scratch_stages() {
        let src = "FROM scratch AS assets\nLABEL a=b\nFROM nginx\nCOPY --from=assets /site /html\n";
        assert_eq!(hits("DO173", src), vec![(4, "--from=assets".into())]);
        let src = "FROM scratch AS base\nFROM base AS more\nENV X=1\nFROM alpine\nRUN --mount=from=more,source=/x,target=/m ls /m\nCOPY --from=1 /x /y\n";
        assert_eq!(hits("DO173", src), vec![(5, "--mount=from=more,source=/x,target=/m".into()), (6, "--from=1".into())]);
    }

    #[test]
    fn quiet_when_the_stage_has_files() {
        assert_clean("DO173", "FROM scratch AS a\nCOPY x /x\nFROM alpine\nCOPY --from=a /x /x\n");
        assert_clean("DO173", "FROM scratch AS a\nADD rootfs.tar /\nFROM a AS b\nFROM alpine\nCOPY --from=b /x /x\n");
        // Placeholders replaced with --build-context: the root of an empty stage is an empty folder.
        assert_clean("DO173", "FROM scratch AS extras\nFROM alpine\nCOPY --link --from=extras / /\nRUN --mount=from=extras,target=/e ls /e\n");
        assert_clean("DO173", "FROM alpine AS a\nFROM busybox\nCOPY --from=a /bin/sh /sh\n");
        assert_clean("DO173", "FROM scratch AS a\nFROM alpine\nCOPY --from=scratch-img:1 /x /x\nONBUILD COPY --from=a /x /x\n");
    }
}
