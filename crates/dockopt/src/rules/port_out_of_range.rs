//! DO121 port-out-of-range: EXPOSE of a port above 65535.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO121",
    name: "port-out-of-range",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["hadolint:DL3011", "trivy:DS-0008"],
    summary: "EXPOSE ports must be between 0 and 65535.",
    docs: r#"## What it does
Finds EXPOSE arguments (`8080`, `8080/tcp`, `8000-8010/udp`) with a port number above 65535.
Ports from variables are checked when the stage's ARG/ENV values make them known.

## Why is this bad?
TCP and UDP ports are 16-bit numbers. Docker rejects such a port when the container is run
or published, so the mistake (usually a typo) surfaces late.

## Example
```dockerfile
EXPOSE 80800
```

## Use instead
```dockerfile
EXPOSE 8080
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
        for ins in cx.instructions().filter(|i| i.effective().keyword == "EXPOSE") {
            let stage = ins.model.stage().map(|s| &cx.model.stages[s]);
            for range in cx.word_ranges(ins) {
                let written = cx.text(range.clone());
                let value = resolve(written, stage.map(|s| s.variables.as_slice()).unwrap_or_default());
                let Some(value) = value else { continue };
                let ports = value.split('/').next().unwrap_or_default();
                let high = ports.split('-').filter_map(|p| p.parse::<u64>().ok()).find(|&p| p > 65535);
                if let Some(port) = high {
                    out.report(range, format!("port {port} is above 65535; use a valid port number"));
                }
            }
        }
    }
}

/// The word with `$NAME`/`${NAME}` replaced, when it is exactly one known variable or has none.
fn resolve(word: &str, variables: &[crate::model::Variable]) -> Option<String> {
    if !word.contains('$') {
        return Some(word.to_owned());
    }
    let (head, tail) = word.split_once('/').map_or((word, ""), |(h, t)| (h, t));
    let name = head.strip_prefix("${").and_then(|n| n.strip_suffix('}')).or_else(|| head.strip_prefix('$'))?;
    let value = variables.iter().rev().find(|v| v.name == name)?.value.as_deref()?;
    Some(if tail.is_empty() { value.to_owned() } else { format!("{value}/{tail}") })
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_large_ports() {
        assert_eq!(hits("DO121", "FROM a\nEXPOSE 80 80800/tcp 1-70000\n"), vec![(2, "80800/tcp".into()), (2, "1-70000".into())]);
        assert_eq!(hits("DO121", "FROM a\nARG P=99999\nEXPOSE \\\n  ${P}/udp\n"), vec![(4, "${P}/udp".into())]);
        assert_eq!(hits("DO121", "FROM a\nONBUILD EXPOSE 65536\n"), vec![(2, "65536".into())]);
        assert_eq!(hits("DO121", "# escape=`\nFROM a\nEXPOSE 1 `\n  65536\n"), vec![(4, "65536".into())]);
    }

    #[test]
    fn quiet_on_valid_and_unknown_ports() {
        assert_clean("DO121", "FROM a\nEXPOSE 0 80/tcp 65535/udp 8000-8010\n");
        assert_clean("DO121", "FROM a\nARG PORT\nEXPOSE $PORT ${OTHER}\n");
    }
}
