//! DO322 apk-cache-kept: `apk add` that leaves apk's package cache in the layer.

use crate::lint::packages::{exact, subcommand_operands};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Ins, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO322",
    name: "apk-cache-kept",
    category: Category::Size,
    severity: Severity::Info,
    upstream: &["hadolint:DL3019", "trivy:DS-0025"],
    summary: "`apk add` should use `--no-cache` so the package index stays out of the image.",
    docs: r#"## What it does
Finds `apk add` without `--no-cache` in a RUN that neither removes `/var/cache/apk` nor keeps
it in a BuildKit cache or tmpfs mount.

## Why is this bad?
`apk add --update` (or an earlier `apk update`) downloads the package index into
`/var/cache/apk`, where it stays in the layer. `--no-cache` fetches the index into memory
and keeps nothing.

## Example
```dockerfile
RUN apk update && apk add curl
```

## Use instead
```dockerfile
RUN apk add --no-cache curl
```
or, to reuse downloads between builds:
```dockerfile
RUN --mount=type=cache,target=/var/cache/apk apk add curl
```

Unlike hadolint, a RUN that deletes `/var/cache/apk/*` itself is accepted.

## Fix safety
The fix adds `--no-cache` after `add`. It is safe: the same packages are installed.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for (ins, command) in cx.commands(None) {
            if !command.is("apk") || command.has_option(None, Some("no-cache")) || cache_handled(cx, ins) {
                continue;
            }
            let Some((add, _)) = subcommand_operands(command, &["add"], &["t", "virtual", "X", "repository"]) else {
                continue;
            };
            let d = out.report(command.range(), "apk keeps its cache in the layer; add `--no-cache`");
            if exact(cx, add) {
                d.set_fix(Fix::safe("Add `--no-cache`", vec![Edit::insert(add.range().end, " --no-cache")]));
            }
        }
    }
}

/// A cache/tmpfs mount covers /var/cache/apk, or the RUN deletes it.
fn cache_handled(cx: &Context, ins: Ins) -> bool {
    ins.has_cache_mount("/var/cache/apk")
        || cx.scripts(ins).iter().flat_map(|s| s.commands.iter()).any(|c| {
            c.is("rm") && c.operands().any(|w| w.text().trim_end_matches(['*', '/']) == "/var/cache/apk")
        })
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_without_no_cache() {
        let src = "FROM alpine:3.20\nRUN apk update && \\\n    apk add curl=8\n";
        assert_eq!(hits("DO322", src), vec![(3, "apk add curl=8".into())]);
        let heredoc = "FROM alpine:3.20\nRUN <<EOF\napk add --update curl=8\nEOF\n";
        assert_eq!(hits("DO322", heredoc), vec![(3, "apk add --update curl=8".into())]);
        assert_eq!(hits("DO322", "FROM alpine:3.20\nONBUILD RUN apk add curl=8\n").len(), 1);
        let escape = "# escape=`\nFROM alpine:3.20\nRUN apk `\n  add curl=8\n";
        assert_eq!(hits("DO322", escape).len(), 1);
    }

    #[test]
    fn quiet_with_no_cache_mount_or_removal() {
        assert_clean("DO322", "FROM alpine:3.20\nRUN apk add --no-cache curl=8\n");
        assert_clean("DO322", "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=8\n");
        assert_clean("DO322", "FROM alpine:3.20\nRUN apk add curl=8 && rm -rf /var/cache/apk/*\n");
        assert_clean("DO322", "FROM alpine:3.20\nRUN apk del curl\n");
    }

    #[test]
    fn fix_adds_no_cache() {
        let src = "FROM alpine:3.20\nRUN apk add curl=8\n";
        let edit = check("DO322", src)[0].fix.clone().unwrap().edits[0].clone();
        assert_eq!((edit.range.start, edit.content.as_ref()), (src.find(" curl").unwrap(), " --no-cache"));
    }
}
