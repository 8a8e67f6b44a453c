//! DO670 non-canonical-stopsignal: a STOPSIGNAL written as a number, without `SIG`, in lower
//! case or in quotes.

use crate::lint::signals::canonical;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO670",
    name: "non-canonical-stopsignal",
    category: Category::Style,
    severity: Severity::Style,
    upstream: &["tally:prefer-canonical-stopsignal"],
    summary: "Write STOPSIGNAL as the signal's full name, e.g. `SIGTERM`, not a number or short form.",
    docs: r#"## What it does
Finds `STOPSIGNAL` values that Docker accepts but that are not written as the signal's name:
numbers (`15`), names without `SIG` (`TERM`), lower case (`sigterm`), quotes (`"SIGINT"`), or
real-time signals not written as `SIGRTMIN+n`.

## Why is this bad?
Signal numbers differ between architectures and are easy to misread (`9` is `SIGKILL`, `19`
is `SIGSTOP` on x86 but not on every platform); names say what happens and match the
program's documentation, which speaks of `SIGQUIT` or `SIGRTMIN+3`.

## Example
```dockerfile
STOPSIGNAL 3
```

## Use instead
```dockerfile
STOPSIGNAL SIGQUIT
```

## Fix safety
The fix writes the canonical name of the same signal, as Docker maps it on Linux. It is safe:
Docker reads both spellings as the same signal.
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
            let range = cx.arguments_range(ins);
            let written = cx.text(range.clone());
            let Some(name) = canonical(written) else { continue };
            if written == name {
                continue;
            }
            let d = out.report(range.clone(), format!("write the signal as `{name}`"));
            d.set_fix(Fix::safe(format!("Write `{name}`"), vec![Edit::replace(range, name)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_other_spellings() {
        let src = "FROM a\nSTOPSIGNAL 15\nSTOPSIGNAL term\nSTOPSIGNAL \"SIGINT\"\nSTOPSIGNAL RTMIN+3\n";
        assert_eq!(hits("DO670", src).len(), 4);
        assert_eq!(fixed("DO670", "FROM a\nSTOPSIGNAL 3\n").as_deref(), Some("FROM a\nSTOPSIGNAL SIGQUIT\n"));
        assert_eq!(fixed("DO670", "FROM a\nSTOPSIGNAL sigrtmin+3\n").as_deref(), Some("FROM a\nSTOPSIGNAL SIGRTMIN+3\n"));
    }

    #[test]
    fn quiet_on_canonical_names_and_variables() {
        assert_clean("DO670", "FROM a\nSTOPSIGNAL SIGTERM\nSTOPSIGNAL SIGRTMIN+3\nSTOPSIGNAL $SIGNAL\nSTOPSIGNAL SIGFOO\n");
    }
}
