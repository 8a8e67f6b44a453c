//! DO176 ungraceful-stopsignal: STOPSIGNAL SIGKILL or SIGSTOP.

use crate::lint::signals::canonical;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO176",
    name: "ungraceful-stopsignal",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["tally:no-ungraceful-stopsignal"],
    summary: "STOPSIGNAL should not be SIGKILL or SIGSTOP, which give the process no chance to shut down.",
    docs: r#"## What it does
Finds `STOPSIGNAL` set to `SIGKILL` or `SIGSTOP`, in any spelling (`9`, `KILL`, `sigkill`,
`19`, `STOP`).

## Why is this bad?
`docker stop` sends the stop signal, waits for the timeout, then sends `SIGKILL`. `SIGKILL`
cannot be caught, so as the stop signal it skips the grace period: no flushing of data, no
closing of connections, no cleanup. `SIGSTOP` cannot be caught either and only suspends the
process, so every stop waits the full timeout before the kill.

## Example
```dockerfile
STOPSIGNAL SIGKILL
```

## Use instead
```dockerfile
STOPSIGNAL SIGTERM
```
or leave STOPSIGNAL out to use the default (`SIGTERM`), or the signal the program documents
for a graceful stop (`SIGQUIT` for nginx, `SIGINT` for some servers).

## Fix safety
The fix replaces the value with `SIGTERM`. It is unsafe: the program may ignore `SIGTERM` or
use another signal for a graceful stop, which only its documentation can tell.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.effective().keyword == "STOPSIGNAL") {
            let Some(value) = ins.effective().arguments.first() else { continue };
            let Some(signal) = canonical(value).filter(|s| s == "SIGKILL" || s == "SIGSTOP") else { continue };
            let range = cx.arguments_range(ins);
            let why = if signal == "SIGKILL" { "cannot be caught, so the process gets no grace period" } else { "only suspends the process, which is then killed after the timeout" };
            let d = out.report(range.clone(), format!("STOPSIGNAL {signal} {why}; use SIGTERM or the program's graceful-stop signal"));
            d.set_fix(Fix::unsafe_("Use SIGTERM", vec![Edit::replace(range, "SIGTERM")]));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_kill_and_stop() {
        assert_eq!(hits("DO176", "FROM a\nSTOPSIGNAL SIGKILL\n"), vec![(2, "SIGKILL".into())]);
        assert_eq!(hits("DO176", "FROM a\nstopsignal 9\nSTOPSIGNAL stop\nONBUILD STOPSIGNAL 19\n").len(), 3);
        assert_eq!(fixed("DO176", "FROM a\nSTOPSIGNAL kill\n").as_deref(), Some("FROM a\nSTOPSIGNAL SIGTERM\n"));
    }

    #[test]
    fn quiet_on_catchable_signals() {
        assert_clean("DO176", "FROM a\nSTOPSIGNAL SIGTERM\nSTOPSIGNAL SIGQUIT\nSTOPSIGNAL 15\nSTOPSIGNAL $SIG\nSTOPSIGNAL SIGRTMIN+3\n");
    }
}
