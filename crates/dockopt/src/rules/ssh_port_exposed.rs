//! DO292 ssh-port-exposed: `EXPOSE 22`.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO292",
    name: "ssh-port-exposed",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &["checkov:CKV_DOCKER_1", "trivy:DS-0004"],
    summary: "The image should not expose the SSH port 22.",
    docs: r#"## What it does
Finds `EXPOSE` entries that include port 22 (`22`, `22/tcp`, `22/udp`, or a range such as
`20-30`).

## Why is this bad?
Port 22 means an SSH server runs in the container: one more daemon with credentials or keys
baked into the image, a way in that bypasses the container runtime's access control, and a
process that must be patched separately. `docker exec` (or `kubectl exec`) gives a shell
without any of that.

## Example
```dockerfile
RUN apt-get update && apt-get install -y openssh-server
EXPOSE 22 8080
```

## Use instead
```dockerfile
EXPOSE 8080
```
and use `docker exec -it <container> sh` to get a shell.
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
            for range in cx.word_ranges(ins) {
                if covers_ssh(cx.text(range.clone())) {
                    out.report(range, "port 22 (SSH) is exposed; use `docker exec` instead of an SSH server");
                }
            }
        }
    }
}

/// `22`, `22/tcp`, `20-30/udp`, `"22"`.
fn covers_ssh(word: &str) -> bool {
    let word = word.trim_matches(['"', '\'']);
    let ports = word.split('/').next().unwrap_or(word);
    let (low, high) = ports.split_once('-').unwrap_or((ports, ports));
    match (low.parse::<u32>(), high.parse::<u32>()) {
        (Ok(low), Ok(high)) => (low..=high).contains(&22),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_port_22() {
        assert_eq!(hits("DO292", "FROM a\nEXPOSE 8080 22/tcp\n"), vec![(2, "22/tcp".into())]);
        assert_eq!(hits("DO292", "FROM a\nexpose 20-30\nEXPOSE 22/udp\n").len(), 2);
        assert_eq!(hits("DO292", "FROM a\nONBUILD EXPOSE 22\n"), vec![(2, "22".into())]);
        assert_eq!(hits("DO292", "# escape=`\nFROM a\nEXPOSE 80 `\n  22\n"), vec![(4, "22".into())]);
    }

    #[test]
    fn quiet_on_other_ports() {
        assert_clean("DO292", "FROM a\nEXPOSE 2222 220 8022/tcp 23-30 $PORT\n");
        assert_clean("DO292", "FROM a\nRUN echo 22\n");
    }
}
