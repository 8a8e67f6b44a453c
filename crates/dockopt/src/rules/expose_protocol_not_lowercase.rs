//! DO683 expose-protocol-not-lowercase: `EXPOSE 80/TCP`.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO683",
    name: "expose-protocol-not-lowercase",
    category: Category::Style,
    severity: Severity::Style,
    upstream: &["buildkit:ExposeProtoCasing"],
    summary: "The protocol in EXPOSE should be written in lower case.",
    docs: r#"## What it does
Finds ports in `EXPOSE` whose protocol (`tcp`, `udp` or `sctp`) has upper-case letters, such
as `8080/TCP`. Ports written with variables are not judged.

## Why is this bad?
BuildKit lower-cases the protocol when it records the port, so the image says `8080/tcp`
whatever the Dockerfile says. Writing it differently hides what the image metadata contains
and makes the ports harder to search for.

## Example
```dockerfile
EXPOSE 8080/TCP 53/Udp
```

## Use instead
```dockerfile
EXPOSE 8080/tcp 53/udp
```

## Fix safety
The fix lower-cases the protocol. It is safe: the image records the same port.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

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
                if port.contains('$') || cx.text(range.clone()) != port {
                    continue;
                }
                let container = port.rsplit(':').next().unwrap_or(port);
                let Some((number, proto)) = container.split_once('/') else { continue };
                let lower = proto.to_ascii_lowercase();
                if number.is_empty() || proto == lower || !matches!(lower.as_str(), "tcp" | "udp" | "sctp") {
                    continue;
                }
                let at = range.end - proto.len();
                let message = format!("protocol `{proto}` in `{port}` should be lower case: `{lower}`");
                let fix = Fix::safe("Lower-case the protocol", vec![Edit::replace(at..range.end, lower)]);
                out.report(range, message).set_fix(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_upper_case_protocols() {
        let src = "FROM a\nEXPOSE 80 8080/TCP 53/Udp\n";
        assert_eq!(hits("DO683", src), vec![(2, "8080/TCP".into()), (2, "53/Udp".into())]);
        let d = &check("DO683", src)[0];
        let edit = &d.fix.as_ref().unwrap().edits[0];
        assert_eq!((&src[edit.range.clone()], edit.content.as_ref()), ("TCP", "tcp"));
        assert_eq!(hits("DO683", "FROM a\nONBUILD EXPOSE 1/SCTP\n"), vec![(2, "1/SCTP".into())]);
        assert_eq!(hits("DO683", "# escape=`\nFROM a\nEXPOSE 1 `\n  2/UDP\n"), vec![(4, "2/UDP".into())]);
    }

    #[test]
    fn quiet_on_lower_case_unknown_or_variable_protocols() {
        assert_clean("DO683", "FROM a\nEXPOSE 80/tcp 53/udp 7/sctp 9\n");
        assert_clean("DO683", "FROM a\nEXPOSE 80/HTTP ${PORT}/TCP /TCP\n");
    }
}
