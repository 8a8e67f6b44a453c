//! DO177 nginx-stop-signal: nginx or OpenResty as PID 1 without `STOPSIGNAL SIGQUIT`.

use crate::lint::signals::{canonical, final_runtime};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO177",
    name: "nginx-stop-signal",
    category: Category::Correctness,
    severity: Severity::Info,
    upstream: &["tally:prefer-nginx-sigquit"],
    summary: "An image that runs nginx as PID 1 should stop it with SIGQUIT, its graceful shutdown.",
    docs: r#"## What it does
Looks at what the final image runs: when the exec-form `ENTRYPOINT` (or, without one, `CMD`) starts
`nginx` or `openresty` directly, it reports a `STOPSIGNAL` other than `SIGQUIT`, or a missing
one when the base image is not an nginx or OpenResty image (those set `SIGQUIT` themselves, and
it is inherited).

Shell-form commands and entrypoint scripts are not judged: PID 1 is then the shell or the
script, and which signal reaches nginx depends on them.

## Why is this bad?
`docker stop` sends `SIGTERM` by default, which nginx treats as a fast shutdown: open
connections are closed at once and requests in flight fail. `SIGQUIT` makes nginx stop
accepting connections, finish the requests it is serving, and exit, which is what a rolling
update needs.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx
CMD ["nginx", "-g", "daemon off;"]
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends nginx
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
```

## Fix safety
The fix sets `SIGQUIT`: it replaces the value of the STOPSIGNAL in effect, or adds
`STOPSIGNAL SIGQUIT` before the instruction that starts nginx. It is unsafe: stopping now waits
for requests in flight, up to the stop timeout, where it used to be immediate.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let Some(rt) = final_runtime(cx) else { return };
        if !matches!(rt.program.as_str(), "nginx" | "openresty") {
            return;
        }
        match rt.stopsignal {
            Some(ins) => {
                let Some(signal) = ins.model.arguments.first().and_then(|v| canonical(v)) else { return };
                if signal == "SIGQUIT" {
                    return;
                }
                let range = cx.arguments_range(ins);
                let d = out.report(range.clone(), format!("{} runs as PID 1; STOPSIGNAL {signal} makes it drop open connections, use SIGQUIT for a graceful stop", rt.program));
                d.set_fix(Fix::unsafe_("Use SIGQUIT", vec![Edit::replace(range, "SIGQUIT")]));
            }
            None => {
                let base = &cx.model.stages[rt.root];
                let inherits = base.scratch
                    || base.image.as_ref().is_none_or(|i| i.repository.contains("nginx") || i.repository.contains("openresty"));
                if inherits {
                    return;
                }
                let line = format!("{} SIGQUIT\n", rt.command.model.same_case("STOPSIGNAL"));
                let at = rt.command.syntax.range.start;
                let d = out.report(cx.arguments_range(rt.command), format!("{} runs as PID 1 and gets SIGTERM on `docker stop`, which drops open connections; add `STOPSIGNAL SIGQUIT`", rt.program));
                d.set_fix(Fix::unsafe_("Add `STOPSIGNAL SIGQUIT`", vec![Edit::insert(at, line)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_without_sigquit() {
        let src = "FROM debian:12\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n";
        assert_eq!(hits("DO177", src), vec![(2, "[\"nginx\", \"-g\", \"daemon off;\"]".into())]);
        assert_eq!(
            fixed("DO177", src).as_deref(),
            Some("FROM debian:12\nSTOPSIGNAL SIGQUIT\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n")
        );
        let src = "FROM openresty/openresty:1.25\nSTOPSIGNAL SIGTERM\nENTRYPOINT [\"/usr/local/openresty/bin/openresty\"]\n";
        assert_eq!(hits("DO177", src), vec![(2, "SIGTERM".into())]);
        assert_eq!(fixed("DO177", src).as_deref(), Some("FROM openresty/openresty:1.25\nSTOPSIGNAL SIGQUIT\nENTRYPOINT [\"/usr/local/openresty/bin/openresty\"]\n"));
    }

    #[test]
    fn quiet_with_sigquit_inherited_or_other_pid1() {
        assert_clean("DO177", "FROM debian:12\nSTOPSIGNAL 3\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n");
        assert_clean("DO177", "FROM nginx:1.27\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n");
        assert_clean("DO177", "FROM debian:12\nCMD nginx -g 'daemon off;'\n");
        assert_clean("DO177", "FROM debian:12\nENTRYPOINT [\"/entrypoint.sh\"]\nCMD [\"nginx\"]\n");
        assert_clean("DO177", "FROM debian:12 AS web\nCMD [\"nginx\"]\nFROM debian:12\nCMD [\"app\"]\n");
    }
}
