//! DO170 unknown-instruction: a keyword that is not a Dockerfile instruction, also as an
//! ONBUILD trigger.

use crate::lint::args::distance;
use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::syntax::TokenKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO170",
    name: "unknown-instruction",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["tally:unknown-instruction", "tally:invalid-onbuild-trigger"],
    summary: "Every instruction, including the one after ONBUILD, must be a known Dockerfile keyword.",
    docs: r#"## What it does
Finds instructions whose keyword is not one of the eighteen that Dockerfiles know (`FROM`,
`RUN`, `COPY`, `ADD`, `ENV`, `ARG`, ...), usually a typo such as `COPPY` or `WROKDIR`, and
ONBUILD triggers with such a keyword (`ONBUILD RUNN make`). When one keyword is close in
spelling, the message names it.

## Why is this bad?
BuildKit parses the line and then refuses the whole file with `unknown instruction`. Inside
`ONBUILD` the mistake is worse: the image that declares the trigger builds fine, and the error
only appears later, in every build that uses that image as its base.

## Example
```dockerfile
FROM alpine:3.20
WROKDIR /app
ONBUILD COPPY . /app
```

## Use instead
```dockerfile
FROM alpine:3.20
WORKDIR /app
ONBUILD COPY . /app
```

## Fix safety
When exactly one instruction is within two edits of the unknown word (one edit for words of
up to four letters), the fix replaces the word
with it (in the case the word was written in). It is unsafe: a close spelling is a guess at
what was meant, and the arguments may not suit that instruction.
"#,
    fix: FixAvailability::Sometimes,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            let keyword = |nth| cx.tokens(ins).filter(|t| t.kind == TokenKind::Keyword).nth(nth);
            let (word, range, what) = if !ins.model.known {
                let Some(t) = keyword(0) else { continue };
                (&ins.model.written(), t.start..t.end, "instruction")
            } else if let Some(trigger) = ins.model.onbuild().filter(|t| !t.known && !t.written().is_empty()) {
                let Some(t) = keyword(1) else { continue };
                (&trigger.written(), t.start..t.end, "ONBUILD trigger")
            } else {
                continue;
            };
            if cx.text(range.clone()) != word.as_ref() {
                continue;
            }
            let close = closest(word);
            let message = match close {
                Some(k) => format!("unknown {what} `{word}`; did you mean `{k}`?"),
                None => format!("unknown {what} `{word}`; BuildKit rejects it"),
            };
            let d = out.report(range.clone(), message);
            d.set_fix(close.map(|k| {
                let k = if word.chars().any(|c| c.is_ascii_lowercase()) { k.to_lowercase() } else { k.to_owned() };
                Fix::unsafe_(format!("Replace with `{k}`"), vec![Edit::replace(range, k)])
            }));
        }
    }
}

/// The one keyword within two edits of `word` (one for words of up to four letters), if
/// exactly one is that close.
fn closest(word: &str) -> Option<&'static str> {
    let upper = word.to_ascii_uppercase();
    let best = crate::model::KEYWORDS.iter().map(|k| (distance(&upper, k), *k)).min_by_key(|(d, _)| *d)?;
    let ties = crate::model::KEYWORDS.iter().filter(|k| distance(&upper, k) == best.0).count();
    let limit = if upper.len() <= 4 { 1 } else { 2 };
    (best.0 <= limit && ties == 1).then_some(best.1)
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_unknown_keywords_and_triggers() {
        let src = "FROM alpine\nWROKDIR /app\nONBUILD COPPY . /app\nfoo bar\n";
        assert_eq!(
            hits("DO170", src),
            vec![(2, "WROKDIR".into()), (3, "COPPY".into()), (4, "foo".into())]
        );
        let found = crate::lint::testing::check("DO170", src);
        assert!(found[0].message.contains("`WORKDIR`"), "{}", found[0].message);
        assert!(found[2].message.ends_with("BuildKit rejects it"), "{}", found[2].message);
    }

    #[test]
    fn fix_replaces_a_close_keyword() {
        assert_eq!(fixed("DO170", "FROM a\ncopyy . /x\n").as_deref(), Some("FROM a\ncopy . /x\n"));
        assert_eq!(fixed("DO170", "FROM a\nONBUILD RUNN make\n").as_deref(), Some("FROM a\nONBUILD RUN make\n"));
        assert_eq!(fixed("DO170", "FROM a\nfoo bar\n"), None);
    }

    #[test]
    fn quiet_on_known_keywords() {
        assert_clean("DO170", "from a\nrun x\nONBUILD run y\nHEALTHCHECK NONE\nStopSignal SIGTERM\n");
        assert_clean("DO170", "FROM a\nRUN <<EOF\nWROKDIR x\nEOF\n");
        // Forbidden triggers are DO147's.
        assert_clean("DO170", "FROM a\nONBUILD FROM b\n");
    }
}
