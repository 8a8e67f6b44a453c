//! DO220 final-user-root: the image ends with `USER root`.

use crate::lint::{Category, Context, FixAvailability, Ins, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO220",
    name: "final-user-root",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &["hadolint:DL3002", "trivy:DS-0002", "checkov:CKV_DOCKER_8"],
    summary: "The last USER of the image should not be root.",
    docs: r#"## What it does
Finds the `USER root` (or `USER 0`, `root:group`, `0:0`) that decides the user the image runs
as: the last USER of the final stage, or, when the final stage has none, of the stage it is
built `FROM`, and so on.

Unlike hadolint, builder stages whose files are only copied out are not reported: their
user never runs the application. A Dockerfile with no USER at all is a different finding
(the container runs as root by default).

## Why is this bad?
A process running as root in a container is root on any volume it mounts and is one kernel
bug away from root on the host. Switching to root for installation steps is fine; the image
should switch back to an unprivileged user before it ends.

## Example
```dockerfile
FROM debian:12
USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:12
USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl
USER app
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
        let Some(user) = effective_user(cx) else { return };
        let Some(name) = user.model.arguments.first() else { return };
        let account = name.split(':').next().unwrap_or(name);
        if account == "root" || account == "0" {
            let range = cx.arguments_range(user);
            out.report(range, "the image runs as root; end with `USER` of an unprivileged account");
        }
    }
}

/// The last USER of the final stage, following `FROM <stage>` while a stage has none.
fn effective_user<'a>(cx: &Context<'a>) -> Option<Ins<'a>> {
    let mut stage = cx.model.stages.last()?;
    // Each step moves to an earlier stage, so this ends.
    loop {
        let last = stage.instructions.iter().rev().map(|&i| cx.ins(i)).find(|i| i.is("USER"));
        match (last, stage.base_stage) {
            (Some(user), _) => return Some(user),
            (None, Some(base)) if base < stage.index => stage = &cx.model.stages[base],
            (None, _) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_when_the_image_ends_as_root() {
        let src = "FROM debian:12\nUSER app\nRUN id\nUSER root\nCMD [\"id\"]\n";
        assert_eq!(hits("DO220", src), vec![(4, "root".into())]);
        let inherited = "FROM debian:12 AS base\nUSER 0:0\nFROM base\nRUN id\n";
        assert_eq!(hits("DO220", inherited), vec![(2, "0:0".into())]);
        let escape = "# escape=`\nFROM debian:12\nUSER `\n  root:root\n";
        assert_eq!(hits("DO220", escape), vec![(4, "root:root".into())]);
    }

    #[test]
    fn quiet_for_builders_unprivileged_users_and_no_user() {
        assert_clean("DO220", "FROM debian:12 AS build\nUSER root\nRUN make\nFROM debian:12\nUSER app\n");
        assert_clean("DO220", "FROM debian:12 AS build\nUSER root\nFROM scratch\nCOPY --from=build /x /x\n");
        assert_clean("DO220", "FROM debian:12\nUSER root\nRUN id\nUSER 1000:1000\n");
        assert_clean("DO220", "FROM debian:12\nRUN id\n");
        assert_clean("DO220", "FROM debian:12\nUSER rootless\nONBUILD USER root\n");
    }
}
