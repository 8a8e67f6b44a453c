//! DO180 empty-continuation-line: blank lines inside a continued instruction.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO180",
    name: "empty-continuation-line",
    category: Category::Correctness,
    severity: Severity::Warning,
    upstream: &["buildkit:NoEmptyContinuation"],
    summary: "A continued instruction should not contain empty lines.",
    docs: r#"## What it does
Finds empty (or blank) lines inside an instruction that continues over several lines with
the escape character.

## Why is this bad?
The parser skips such lines and keeps joining, so an empty line does not end the instruction,
whatever it looks like. A forgotten `\` before an empty line silently pulls the next
instruction into a `RUN`. BuildKit warns about this and has announced that it will become an
error.

## Example
```dockerfile
RUN apk add --no-cache \
    curl \

    git
```

## Use instead
```dockerfile
RUN apk add --no-cache \
    curl \
    git
```

## Fix safety
The fix deletes the empty lines. It is safe: the parser ignores them, so the instruction
stays the same.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions().filter(|i| i.syntax.has_empty_continuation()) {
            // The continued part ends where the first heredoc body starts.
            let end = ins.syntax.heredocs().first().map_or(ins.syntax.range.end, |h| h.body.start);
            let start = ins.syntax.range.start;
            let mut empty = Vec::new();
            let mut at = start;
            for line in cx.text(start..end).split_inclusive('\n') {
                if at != start && line.trim().is_empty() {
                    empty.push(at..at + line.len());
                }
                at += line.len();
            }
            let Some(first) = empty.first().cloned() else { continue };
            let edits = empty.into_iter().map(Edit::delete).collect();
            let message = format!("empty line inside a continued {}; remove it", ins.keyword());
            out.report(first, message).set_fix(Fix::safe("Remove the empty lines", edits));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_empty_lines_in_continuations() {
        let src = "FROM a\nRUN apk add \\\n  curl \\\n\n  git\n";
        assert_eq!(hits("DO180", src), vec![(4, "\n".into())]);
        let d = &check("DO180", src)[0];
        assert_eq!(d.fix.as_ref().unwrap().edits.len(), 1);
        let src = "FROM a\nRUN a \\\n   \n# c\n\n  b\n";
        let d = &check("DO180", src)[0];
        assert_eq!(d.fix.as_ref().unwrap().edits.len(), 2);
        assert_eq!(hits("DO180", src), vec![(3, "   \n".into())]);
        assert_eq!(hits("DO180", "# escape=`\nFROM a\nRUN a `\n\n b\n"), vec![(4, "\n".into())]);
        assert_eq!(hits("DO180", "FROM a\nONBUILD RUN a \\\n\n b\n"), vec![(3, "\n".into())]);
    }

    #[test]
    fn quiet_on_heredoc_blank_lines_and_normal_files() {
        assert_clean("DO180", "FROM a\n\nRUN a \\\n  b\n\nRUN <<EOF\necho\n\necho\nEOF\n");
        assert_clean("DO180", "FROM a\nRUN <<EOF \\\n  && true\necho\n\nEOF\n");
    }
}
