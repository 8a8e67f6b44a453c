//! DO184 expose-host-mapping: `EXPOSE 8080:80` or `EXPOSE 127.0.0.1:80:80`.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO184",
    name: "expose-host-mapping",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["buildkit:ExposeInvalidFormat"],
    summary: "EXPOSE takes container ports only, not host ports or addresses.",
    docs: r#"## What it does
Finds ports in `EXPOSE` written like a `docker run -p` mapping: with a host port
(`8080:80`) or a host address (`127.0.0.1:8080:80`). Ports written with variables are not
judged.

## Why is this bad?
An image cannot choose how it is published on the host. BuildKit throws the host part away and
records only the container port, so `EXPOSE 8080:80` exposes port 80 and nothing else, which
is rarely what the author expected. BuildKit warns about this today and plans to reject it.

## Example
```dockerfile
EXPOSE 8080:80
```

## Use instead
```dockerfile
EXPOSE 80
```
and publish with `docker run -p 8080:80`.

## Fix safety
The fix removes the host address and port, keeping the container port. It is safe when the
container port is a plain port or range: the image records exactly the same ports as before.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

/// `80`, `8000-8010`: what BuildKit accepts as a container port (range).
fn is_port_range(s: &str) -> bool {
    let port = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u32>().is_ok_and(|n| n <= 65535);
    match s.split_once('-') {
        Some((a, b)) => port(a) && port(b) && a.parse::<u32>().ok() <= b.parse::<u32>().ok(),
        None => port(s),
    }
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.effective().keyword == "EXPOSE") {
            let args = &ins.effective().arguments;
            let words = cx.word_ranges(ins);
            if words.len() != args.len() {
                continue;
            }
            for (port, range) in args.iter().zip(words) {
                if port.contains('$') || !port.contains(':') || cx.text(range.clone()) != port {
                    continue;
                }
                let Some(colon) = port.rfind(':') else { continue };
                let container = &port[colon + 1..];
                let number = container.split_once('/').map_or(container, |(n, _)| n);
                let message = format!("`{port}` maps a host port; EXPOSE only takes the container port `{container}`");
                let diagnostic = out.report(range.clone(), message);
                if is_port_range(number) {
                    let edit = Edit::delete(range.start..range.start + colon + 1);
                    diagnostic.set_fix(Fix::safe("Keep only the container port", vec![edit]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_host_ports_and_addresses() {
        let src = "FROM a\nEXPOSE 80 8080:80/tcp 127.0.0.1:9000:9000 [::1]:53:53/udp\n";
        let found = hits("DO184", src);
        assert_eq!(
            found,
            vec![(2, "8080:80/tcp".into()), (2, "127.0.0.1:9000:9000".into()), (2, "[::1]:53:53/udp".into())]
        );
        let fixes: Vec<String> = check("DO184", src)
            .iter()
            .map(|d| {
                let e = &d.fix.as_ref().unwrap().edits[0];
                let mut s = src.to_owned();
                s.replace_range(e.range.clone(), &e.content);
                s.lines().nth(1).unwrap().to_owned()
            })
            .collect();
        assert_eq!(fixes[0], "EXPOSE 80 80/tcp 127.0.0.1:9000:9000 [::1]:53:53/udp");
        assert_eq!(fixes[2], "EXPOSE 80 8080:80/tcp 127.0.0.1:9000:9000 53/udp");
        assert_eq!(hits("DO184", "FROM a\nONBUILD EXPOSE 1:2\n"), vec![(2, "1:2".into())]);
        assert_eq!(hits("DO184", "# escape=`\nFROM a\nEXPOSE 1 `\n  3:4\n"), vec![(4, "3:4".into())]);
        assert!(check("DO184", "FROM a\nEXPOSE 1:x\n")[0].fix.is_none());
    }

    #[test]
    fn quiet_on_container_ports() {
        assert_clean("DO184", "FROM a\nEXPOSE 80 443/tcp 8000-8010/udp ${HOST}:${PORT}\n");
    }
}
