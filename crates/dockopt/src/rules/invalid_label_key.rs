//! DO641 invalid-label-key: LABEL keys outside Docker's recommended key format.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO641",
    name: "invalid-label-key",
    category: Category::Style,
    severity: Severity::Style,
    upstream: &["hadolint:DL3048"],
    summary: "LABEL keys should be lower-case, dotted names outside Docker's reserved namespaces.",
    docs: r#"## What it does
Checks each `LABEL` key: it should start with a lower-case letter, end with a lower-case letter
or digit, contain only lower-case letters, digits, `.`, `-`, `_` and `/`, have no `..` or
`--`, and not use the namespaces Docker reserves (`com.docker.`, `io.docker.`,
`org.dockerproject.`). Keys containing variables are not checked.

## Why is this bad?
Tools that read labels (registries, scanners, orchestrators) expect the reverse-DNS format of
the Docker and OCI conventions; keys in the reserved namespaces may be overwritten or
misread by Docker itself.

## Example
```dockerfile
LABEL Version=1.0 com.docker.app=x
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.version=1.0 com.example.app=x
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
        for ins in cx.instructions() {
            if ins.effective().keyword != "LABEL" {
                continue;
            }
            let words = cx.word_ranges(ins);
            let mut next = 0;
            for pair in &ins.effective().pairs {
                let key = pair.key.trim_matches(['"', '\'']);
                let Some(problem) = problem(key) else { continue };
                let found = words[next.min(words.len())..]
                    .iter()
                    .position(|w| cx.text(w.clone()).trim_start_matches(['"', '\'']).starts_with(key));
                let range = match found {
                    Some(i) => {
                        next += i + 1;
                        let w = &words[next - 1];
                        let quote = usize::from(cx.text(w.clone()).starts_with(['"', '\'']));
                        w.start + quote..w.start + quote + key.len()
                    }
                    None => cx.arguments_range(ins),
                };
                out.report(range, format!("label key `{key}` {problem}"));
            }
        }
    }
}

/// What is wrong with a label key, if anything.
fn problem(key: &str) -> Option<&'static str> {
    if key.contains('$') || key.is_empty() {
        return None;
    }
    Some(if ["com.docker.", "io.docker.", "org.dockerproject."].iter().any(|p| key.starts_with(p)) {
        "is in a namespace Docker reserves; use your own reverse-DNS prefix"
    } else if key.chars().any(|c| c.is_ascii_uppercase()) {
        "has upper-case letters; use lower case"
    } else if !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_/".contains(c)) {
        "has characters other than a-z, 0-9, `.`, `-`, `_` and `/`"
    } else if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        "should start with a lower-case letter"
    } else if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        "should end with a letter or digit"
    } else if key.contains("..") || key.contains("--") {
        "has repeated separators (`..` or `--`)"
    } else {
        return None;
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_bad_keys() {
        let src = "FROM a\nLABEL Version=1 ok=2 \\\n  com.docker.x=3 \"a..b\"=4\n";
        assert_eq!(hits("DO641", src), vec![(2, "Version".into()), (3, "com.docker.x".into()), (3, "a..b".into())]);
        assert!(check("DO641", src)[0].message.contains("upper-case"));
        assert_eq!(hits("DO641", "FROM a\nLABEL 1x=a x-=b x=c x\u{e9}=d\n").len(), 3);
        assert_eq!(hits("DO641", "FROM a\nONBUILD LABEL Bad=1\n"), vec![(2, "Bad".into())]);
        assert_eq!(hits("DO641", "# escape=`\nFROM a\nLABEL a=1 `\n  B=2\n"), vec![(4, "B".into())]);
    }

    #[test]
    fn quiet_on_good_keys() {
        assert_clean("DO641", "FROM a\nLABEL org.opencontainers.image.title=x maintainer=\"me\" a_b/c-d.e2=x ${K}=v\n");
    }
}
