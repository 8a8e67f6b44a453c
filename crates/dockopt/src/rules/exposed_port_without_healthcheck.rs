//! DO590 exposed-port-without-healthcheck: a service image (it EXPOSEs a port) without
//! HEALTHCHECK.

use crate::lint::invocation::stage_chain;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO590",
    name: "exposed-port-without-healthcheck",
    category: Category::Maintainability,
    severity: Severity::Info,
    upstream: &["checkov:CKV_DOCKER_2", "trivy:DS-0026"],
    summary: "An image that exposes a port should say how to check its health.",
    docs: r#"## What it does
Reports the final stage when it (or an earlier stage it is built from) has an `EXPOSE` but no
`HEALTHCHECK`. Unlike checks that want a `HEALTHCHECK` in every Dockerfile, images that
expose nothing (tools, jobs, build images) are left alone, and `HEALTHCHECK NONE` counts as
a deliberate choice. A base image may define a health check this rule cannot see: suppress
the finding with a comment saying so.

hadolint's DL3057 (DO568 `missing-healthcheck`, off by default) asks for a `HEALTHCHECK` in
every final stage; this rule is the narrower, default-on check that Checkov and Trivy make,
limited to images that serve a port.

## Why is this bad?
Without a health check, Docker, Compose and Swarm only know whether the process is running,
not whether it answers: a server that is stuck or still starting gets traffic and is never
restarted. (Kubernetes ignores `HEALTHCHECK` and uses its own probes; if the image only runs
there, `HEALTHCHECK NONE` documents that.)

## Example
```dockerfile
EXPOSE 8080
CMD ["./server"]
```

## Use instead
```dockerfile
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["./server", "healthcheck"]
CMD ["./server"]
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
        // missing-healthcheck (off by default) reports every final image without one; with
        // both on (`--select DS-0026` names both), this narrower finding would say it twice.
        if crate::lint::rule("DO568").is_some_and(|broader| cx.options.enabled(broader)) {
            return;
        }
        let Some(last) = cx.model.stages.len().checked_sub(1) else { return };
        let chain = stage_chain(cx, last);
        // Walked twice rather than collected: a list of every instruction of a huge file was
        // the lint's peak.
        let instructions = || chain.iter().flat_map(|&s| cx.model.stages[s].instructions.iter().map(|&i| cx.ins(i)));
        if instructions().any(|i| i.is("HEALTHCHECK")) {
            return;
        }
        if let Some(expose) = instructions().find(|i| i.is("EXPOSE") && !i.model.arguments.is_empty()) {
            out.report(
                cx.arguments_range(expose),
                "the image exposes a port but has no HEALTHCHECK; add one (or `HEALTHCHECK NONE`)",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_exposed_port_without_healthcheck() {
        assert_eq!(hits("DO590", "FROM a\nEXPOSE 8080 9090\nCMD x\n"), vec![(2, "8080 9090".into())]);
        assert_eq!(hits("DO590", "FROM a AS base\nEXPOSE 80\nFROM base\nCMD x\n"), vec![(2, "80".into())]);
        assert_eq!(hits("DO590", "# escape=`\nFROM a\nEXPOSE `\n  80\n"), vec![(4, "80".into())]);
        assert_eq!(hits("DO590", "FROM a\nEXPOSE 80\nONBUILD HEALTHCHECK CMD true\n").len(), 1);
    }

    #[test]
    fn quiet_with_healthcheck_or_nothing_exposed() {
        assert_clean("DO590", "FROM a\nEXPOSE 80\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n");
        assert_clean("DO590", "FROM a\nEXPOSE 80\nHEALTHCHECK NONE\n");
        assert_clean("DO590", "FROM a AS base\nHEALTHCHECK CMD true\nFROM base\nEXPOSE 80\n");
        assert_clean("DO590", "FROM a\nCMD [\"job\"]\n");
        assert_clean("DO590", "FROM a AS build\nEXPOSE 80\nFROM b\nCMD x\n");
        assert_clean("DO590", "FROM a\nONBUILD EXPOSE 80\n");
    }

    #[test]
    fn one_finding_when_trivys_id_selects_both_healthcheck_rules() {
        let options =
            crate::lint::LintOptions { select: vec!["DS-0026".into()], ..crate::lint::LintOptions::default() };
        let found = crate::lint::lint(&crate::parse("FROM a\nEXPOSE 80\nCMD x\n"), &options);
        let codes: Vec<&str> = found.iter().map(|d| d.rule.code).collect();
        assert_eq!(codes, ["DO568"]);
    }
}
