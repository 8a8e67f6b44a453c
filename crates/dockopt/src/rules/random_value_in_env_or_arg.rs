//! DO299 random-value-in-env-or-arg: ENV, ARG or LABEL values that look randomly generated.

use crate::lint::pairs::pair_spans;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::secrets::{credentials, is_secret_name, looks_random};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO299",
    name: "random-value-in-env-or-arg",
    category: Category::Security,
    severity: Severity::Warning,
    upstream: &[],
    summary: "ENV, ARG and LABEL values that look like generated keys may be secrets.",
    docs: r#"## What it does
Finds `ENV`, `ARG` and `LABEL` values that look randomly generated, as keys, passwords and
tokens of unknown formats do: at least 20 characters without blanks, upper- and lower-case
letters and digits mixed, and at least 4 bits of entropy per character. Paths, URLs, lists,
hexadecimal checksums and commit ids are not reported, nor values of variables named for a
checksum, digest, fingerprint, GPG key, commit or version (`NODE_SHA256`, `GPG_KEY`).

Values whose format says what they are (`ghp_...`, `AKIA...`) are `secret-value-in-env-or-arg`'s
findings, and variables whose name says secret are `secret-in-arg-or-env`'s; this rule covers
the rest, so it guesses: turn it off for a value that is not a secret with an ignore comment.
The value is never shown.

## Why is this bad?
`ENV` and `LABEL` values are stored in the image configuration and `ARG` values in the build
history: anyone who can pull the image can read them.

## Example
```dockerfile
ENV SIGNING=q8Zr3Kx0Lm2Vw9Tb7Yp4Nc6Hd1Gf5Js0
```

## Use instead
Pass it at run time (`docker run -e SIGNING=...`), or to the build as a secret
(`RUN --mount=type=secret,id=signing`).
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            let keyword = ins.effective().keyword.as_ref();
            if !matches!(keyword, "ENV" | "ARG" | "LABEL") {
                continue;
            }
            for span in pair_spans(cx, ins) {
                let key = &span.pair.key;
                let Some(value) = span.pair.resolved.as_deref().or(span.pair.value.as_deref()) else { continue };
                // Named secrets and recognised formats are the other two rules' findings.
                let named = keyword != "LABEL" && is_secret_name(key);
                if named || !credentials(value).is_empty() || !looks_random(key, value) {
                    continue;
                }
                let message = format!(
                    "{keyword} `{key}` holds a random-looking value, like a generated key or password; if it is one, pass it as a secret and revoke it"
                );
                out.report(span.value, message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    const RANDOM: &str = "q8Zr3Kx0Lm2Vw9Tb7Yp4Nc6Hd1Gf5Js0";

    #[test]
    fn fires_on_random_values_under_plain_names() {
        let src = format!("FROM a\nENV SIGNING={RANDOM}\nLABEL x.sig=\"{RANDOM}\"\nARG SEED={RANDOM}\n");
        assert_eq!(hits("DO299", &src).len(), 3);
        assert!(check("DO299", &src).iter().all(|d| !d.message.contains(RANDOM)));
    }

    #[test]
    fn leaves_named_secrets_formats_and_checksums_to_others() {
        assert_clean(
            "DO299",
            &format!(
                "FROM a\nENV API_TOKEN={RANDOM} NODE_SHA256={RANDOM}\nENV GH=ghp_0123456789abcdefghijklmnopqrstuvwxyz\n\
                 ENV PYTHON_SHA256=a3b2c1d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2 GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n\
                 ENV PATH=/usr/local/bin:$PATH JAVA_OPTS=\"-Xmx512m -XX:+UseG1GC\"\n"
            ),
        );
    }
}
