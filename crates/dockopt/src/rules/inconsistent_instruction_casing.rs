//! DO682 inconsistent-instruction-casing: instruction keywords in mixed case or against the
//! file's majority case.

use std::ops::Range;

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};
use crate::syntax::TokenKind;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO682",
    name: "inconsistent-instruction-casing",
    category: Category::Style,
    severity: Severity::Style,
    upstream: &["buildkit:ConsistentInstructionCasing"],
    summary: "Instruction keywords should all be upper case or all lower case.",
    docs: r#"## What it does
Counts the instruction keywords written entirely in upper case and entirely in lower case,
and reports every keyword that is not written in the case of the majority (upper case wins a
tie), including keywords in mixed case such as `Run`.

Like BuildKit, only the instructions of build stages take part in the vote. Unlike BuildKit,
dockopt also checks ARGs before the first FROM and the instruction after `ONBUILD`, since
they are keywords too.

## Why is this bad?
Keywords are case-insensitive, but a file that mixes `RUN` and `run` is harder to read and to
search, and usually shows pasted fragments nobody reviewed.

## Example
```dockerfile
FROM alpine
run apk add --no-cache curl
COPY . /app
```

## Use instead
```dockerfile
FROM alpine
RUN apk add --no-cache curl
COPY . /app
```

## Fix safety
The fix rewrites the keyword in the majority case. It is safe: keywords are case-insensitive.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

fn is_upper(s: &str) -> bool {
    s == s.to_uppercase()
}

fn is_lower(s: &str) -> bool {
    s == s.to_lowercase()
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let (mut lower, mut upper) = (0usize, 0usize);
        for ins in cx.instructions().filter(|i| i.model.stage().is_some() && i.model.known) {
            let written = &ins.model.written();
            if is_lower(written) {
                lower += 1;
            } else if is_upper(written) {
                upper += 1;
            }
        }
        let majority_lower = lower > upper;
        for ins in cx.instructions().filter(|i| i.model.known) {
            // The keyword and, for ONBUILD, the keyword of the instruction it registers (read
            // from the tokens only then: the others are many).
            let keywords: Vec<Range<usize>> = if ins.model.onbuild().is_some() {
                cx.tokens(ins).filter(|t| t.kind == TokenKind::Keyword).take(2).map(|t| t.start..t.end).collect()
            } else {
                vec![cx.keyword_range(ins)]
            };
            for range in keywords {
                let word = cx.text(range.clone());
                let (ok, wanted, case) = if majority_lower {
                    (is_lower(word), word.to_lowercase(), "lower")
                } else {
                    (is_upper(word), word.to_uppercase(), "upper")
                };
                if ok {
                    continue;
                }
                let message = format!("`{word}` is not in {case} case like most instructions; write `{wanted}`");
                let fix = Fix::safe(format!("Write `{wanted}`"), vec![Edit::replace(range.clone(), wanted)]);
                out.report(range, message).set_fix(fix);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_against_the_majority() {
        let src = "FROM alpine\nrun echo hi\nCOPY a b\nCmd x\n";
        assert_eq!(hits("DO682", src), vec![(2, "run".into()), (4, "Cmd".into())]);
        let src = "from alpine\nrun echo hi\nCOPY a b\n";
        assert_eq!(hits("DO682", src), vec![(3, "COPY".into())]);
        let d = &check("DO682", src)[0];
        assert_eq!(d.fix.as_ref().unwrap().edits[0].content, "copy");
        // A tie goes to upper case.
        assert_eq!(hits("DO682", "FROM alpine\nrun x\n"), vec![(2, "run".into())]);
    }

    #[test]
    fn checks_onbuild_global_args_heredocs_and_escape() {
        let src = "arg V=1\nFROM alpine\nONBUILD run x\nRUN <<EOF\nrun this is not a keyword\nEOF\n";
        assert_eq!(hits("DO682", src), vec![(1, "arg".into()), (3, "run".into())]);
        let escape = "# escape=`\nFROM alpine\nRUN a `\n  b\nworkdir /x\n";
        assert_eq!(hits("DO682", escape), vec![(5, "workdir".into())]);
    }

    #[test]
    fn quiet_when_consistent() {
        assert_clean("DO682", "FROM alpine\nRUN x\nONBUILD RUN y\n");
        assert_clean("DO682", "from alpine\nrun x\nfrobnicate y\n");
    }
}
