//! DO568 missing-healthcheck: the final image has no HEALTHCHECK.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO568",
    name: "missing-healthcheck",
    category: Category::Maintainability,
    severity: Severity::Info,
    upstream: &["hadolint:DL3057", "trivy:DS-0026", "checkov:CKV_DOCKER_2"],
    summary: "The final stage sets no HEALTHCHECK.",
    docs: r#"## What it does
Reports the `FROM` of the final stage when neither that stage nor the stages it is built on
(`FROM <earlier stage>`) have a `HEALTHCHECK` instruction. `HEALTHCHECK NONE` counts as a
decision and silences the rule. Off by default, as in hadolint: many images (CLIs, jobs,
images run under an orchestrator with its own probes) have no use for one.

hadolint also reports intermediate build stages, which are never run; this rule only looks
at the image the build produces. A base image's own HEALTHCHECK cannot be seen from the
Dockerfile.

## Why is this bad?
Without a health check Docker only knows whether the process is running, not whether it
serves: a hung server stays "up".

## Example
```dockerfile
FROM nginx
COPY site /usr/share/nginx/html
```

## Use instead
```dockerfile
FROM nginx
COPY site /usr/share/nginx/html
HEALTHCHECK CMD curl -fs http://localhost/ || exit 1
```
"#,
    fix: FixAvailability::None,
    default_enabled: false,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let Some(last) = cx.model.stages.last() else { return };
        let mut stage = Some(last);
        let mut seen = 0;
        while let Some(s) = stage {
            if s.instructions.iter().any(|&i| cx.ins(i).is("HEALTHCHECK")) {
                return;
            }
            seen += 1;
            stage = s.base_stage.filter(|_| seen <= cx.model.stages.len()).map(|b| &cx.model.stages[b]);
        }
        if let Some(&from) = last.instructions.first() {
            out.report(cx.keyword_range(cx.ins(from)), "the final image has no HEALTHCHECK; add one");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_the_final_stage() {
        assert_eq!(hits("DO568", "FROM a AS b\nHEALTHCHECK CMD x\nFROM c\nRUN y\n"), vec![(3, "FROM".into())]);
        assert_eq!(hits("DO568", "FROM a\nONBUILD HEALTHCHECK CMD x\n").len(), 1);
        assert_eq!(hits("DO568", "# escape=`\nfrom a\n").len(), 1);
    }

    #[test]
    fn quiet_with_a_healthcheck_here_or_inherited() {
        assert_clean("DO568", "FROM a\nHEALTHCHECK NONE\n");
        assert_clean("DO568", "FROM a AS base\nHEALTHCHECK --interval=5s CMD x\nFROM base AS mid\nFROM mid\n");
        assert_clean("DO568", "ARG A=1\n");
    }
}
