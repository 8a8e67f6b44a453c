//! DO178 systemd-stop-signal: systemd (or /sbin/init) as PID 1 without `STOPSIGNAL SIGRTMIN+3`.

use crate::lint::signals::{canonical, final_runtime};
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO178",
    name: "systemd-stop-signal",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["tally:prefer-systemd-sigrtmin-plus-3"],
    summary: "An image that runs systemd as PID 1 should stop it with SIGRTMIN+3.",
    docs: r#"## What it does
Looks at what the final image runs: when the exec-form `ENTRYPOINT` (or, without one, `CMD`)
starts systemd (`/sbin/init`, `/usr/sbin/init`, `/lib/systemd/systemd`,
`/usr/lib/systemd/systemd`, `systemd`), it reports a `STOPSIGNAL` other than `SIGRTMIN+3`, or
a missing one unless the base image's name says it is a systemd image (which may set it).

## Why is this bad?
systemd does not shut down on `SIGTERM`, the default stop signal: as PID 1 it reads it as a
request to switch to rescue mode. `docker stop` then waits the whole timeout and kills
everything, without stopping services cleanly. `SIGRTMIN+3` is systemd's signal to halt,
stopping units in order.

## Example
```dockerfile
FROM fedora:40
RUN dnf install -y systemd httpd && systemctl enable httpd
CMD ["/sbin/init"]
```

## Use instead
```dockerfile
FROM fedora:40
RUN dnf install -y systemd httpd && systemctl enable httpd
STOPSIGNAL SIGRTMIN+3
CMD ["/sbin/init"]
```

## Fix safety
The fix sets `SIGRTMIN+3`: it replaces the value of the STOPSIGNAL in effect, or adds
`STOPSIGNAL SIGRTMIN+3` before the instruction that starts systemd. It is unsafe because it
changes how the container stops (now an orderly shutdown of every unit, within the stop
timeout).
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

const INIT: [&str; 4] = ["/sbin/init", "/usr/sbin/init", "/lib/systemd/systemd", "/usr/lib/systemd/systemd"];

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let Some(rt) = final_runtime(cx) else { return };
        if !(INIT.contains(&rt.path.as_str()) || rt.program == "systemd") {
            return;
        }
        const WANT: &str = "SIGRTMIN+3";
        match rt.stopsignal {
            Some(ins) => {
                let Some(signal) = ins.model.arguments.first().and_then(|v| canonical(v)) else { return };
                if signal == WANT {
                    return;
                }
                let range = cx.arguments_range(ins);
                let message = format!("systemd runs as PID 1 and does not halt on {signal}; use STOPSIGNAL SIGRTMIN+3");
                let d = out.report(range.clone(), message);
                d.set_fix(Fix::unsafe_("Use SIGRTMIN+3", vec![Edit::replace(range, WANT)]));
            }
            None => {
                let base = &cx.model.stages[rt.root];
                if base.image.as_ref().is_none_or(|i| i.repository.contains("systemd")) {
                    return;
                }
                let line = format!("{} {WANT}\n", rt.command.model.same_case("STOPSIGNAL"));
                let message = "systemd runs as PID 1 and does not halt on SIGTERM, the default stop signal; add `STOPSIGNAL SIGRTMIN+3`";
                let d = out.report(cx.arguments_range(rt.command), message);
                d.set_fix(Fix::unsafe_("Add `STOPSIGNAL SIGRTMIN+3`", vec![Edit::insert(rt.command.syntax.range.start, line)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_without_sigrtmin3() {
        let src = "FROM fedora:40\nCMD [\"/sbin/init\"]\n";
        assert_eq!(hits("DO178", src), vec![(2, "[\"/sbin/init\"]".into())]);
        assert_eq!(fixed("DO178", src).as_deref(), Some("FROM fedora:40\nSTOPSIGNAL SIGRTMIN+3\nCMD [\"/sbin/init\"]\n"));
        let src = "FROM ubuntu:24.04\nstopsignal SIGTERM\nentrypoint [\"/lib/systemd/systemd\", \"--log-level=info\"]\n";
        assert_eq!(hits("DO178", src), vec![(2, "SIGTERM".into())]);
    }

    #[test]
    fn quiet_with_the_right_signal_or_other_pid1() {
        assert_clean("DO178", "FROM fedora:40\nSTOPSIGNAL RTMIN+3\nCMD [\"/sbin/init\"]\n");
        assert_clean("DO178", "FROM fedora:40\nSTOPSIGNAL 37\nCMD [\"/usr/sbin/init\"]\n");
        assert_clean("DO178", "FROM jrei/systemd-ubuntu:22.04\nCMD [\"/lib/systemd/systemd\"]\n");
        assert_clean("DO178", "FROM fedora:40\nCMD [\"/usr/bin/tini\", \"--\", \"app\"]\n");
        assert_clean("DO178", "FROM fedora:40\nCMD /sbin/init\n");
    }
}
