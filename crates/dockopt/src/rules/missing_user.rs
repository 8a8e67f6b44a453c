//! DO295 missing-user: the final stage never sets USER, so the container runs as root.

use crate::lint::invocation::stage_chain;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO295",
    name: "missing-user",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &["checkov:CKV_DOCKER_3", "trivy:DS-0002"],
    summary: "The final stage should switch to an unprivileged user with USER.",
    docs: r#"## What it does
Reports a final stage that has no `USER` instruction at all, neither itself nor in the
earlier stages it is built `FROM`. (A `USER root` that is never switched back is a different
rule, hadolint's DL3002.)

It stays quiet when the base image says it runs unprivileged (a `nonroot` tag or name, as
distroless and Chainguard images use) and when `ENTRYPOINT`/`CMD` starts with a tool that
drops privileges (`gosu`, `su-exec`, `setpriv`, `runuser`, `s6-setuidgid`, `chpst`), as many
official images do. A base image may also set a user this rule cannot see; then suppress it
with a comment saying so.

## Why is this bad?
Without `USER` the process runs as root (uid 0). A bug in the application, or a container
escape, then starts with full privileges inside the container and, with some runtime
settings, on the host.

## Example
```dockerfile
FROM python:3.12-slim
COPY . /app
CMD ["python", "/app/main.py"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN useradd --create-home --uid 10001 app
COPY . /app
USER app
CMD ["python", "/app/main.py"]
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

const DROPPERS: [&str; 6] = ["gosu", "su-exec", "setpriv", "runuser", "s6-setuidgid", "chpst"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let Some(last) = cx.model.stages.len().checked_sub(1) else { return };
        let chain = stage_chain(cx, last);
        let instructions = || {
            chain.iter().flat_map(|&s| cx.model.stages[s].instructions.iter().map(|&i| cx.ins(i)))
        };
        if instructions().any(|i| i.is("USER")) {
            return;
        }
        let root = &cx.model.stages[*chain.last().expect("chain starts with the stage")];
        if root.base_resolved.as_deref().unwrap_or(&root.base).to_ascii_lowercase().contains("nonroot") {
            return;
        }
        let drops_privileges = instructions().filter(|i| i.is("ENTRYPOINT") || i.is("CMD")).any(|i| {
            let first = i.model.arguments.first().and_then(|a| a.split_whitespace().next()).unwrap_or("");
            DROPPERS.contains(&first.rsplit('/').next().unwrap_or(first))
        });
        if drops_privileges {
            return;
        }
        let from = cx.ins(cx.model.stages[last].instructions[0]);
        let range = cx.word_ranges(from).into_iter().next().unwrap_or_else(|| cx.keyword_range(from));
        out.report(range, "the final stage has no USER and runs as root; add `USER <unprivileged user>`");
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_when_final_stage_never_sets_user() {
        assert_eq!(hits("DO295", "FROM python:3.12\nCMD [\"python\"]\n"), vec![(1, "python:3.12".into())]);
        let multi = "FROM golang AS build\nUSER builder\nFROM alpine:3\nCOPY --from=build /x /x\n";
        assert_eq!(hits("DO295", multi), vec![(3, "alpine:3".into())]);
        assert_eq!(hits("DO295", "FROM a\nONBUILD USER app\n").len(), 1, "ONBUILD USER runs in a child image");
        assert_eq!(hits("DO295", "# escape=`\nFROM `\n  debian\nRUN x\n"), vec![(3, "debian".into())]);
    }

    #[test]
    fn quiet_with_user_or_privilege_drop() {
        assert_clean("DO295", "FROM a\nUSER 10001\n");
        assert_clean("DO295", "FROM a AS base\nUSER app\nFROM base\nCMD x\n");
        assert_clean("DO295", "FROM debian AS build\nFROM gcr.io/distroless/static:nonroot\n");
        assert_clean("DO295", "ARG V=nonroot\nFROM cgr.dev/chainguard/static:$V\n");
        assert_clean("DO295", "FROM a\nENTRYPOINT [\"/usr/sbin/gosu\", \"app\", \"/run\"]\n");
        assert_clean("DO295", "FROM a\nCMD su-exec app /run\n");
        assert_clean("DO295", "ARG x=1\n");
    }
}
