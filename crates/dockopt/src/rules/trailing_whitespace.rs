//! DO672 trailing-whitespace: spaces or tabs at the end of a line.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO672",
    name: "trailing-whitespace",
    category: Category::Style,
    severity: Severity::Style,
    upstream: &["tally:no-trailing-spaces"],
    summary: "Lines should not end with spaces or tabs.",
    docs: r#"## What it does
Finds spaces and tabs at the end of lines, outside heredoc bodies (whose content is written
into files or scripts as it is). Off by default: turn it on to keep files clean of invisible
changes.

## Why is this bad?
Trailing blanks are invisible in an editor but show up in diffs and reviews as changes to
lines that did not change. After a line-continuation `\` they are worse: BuildKit still
continues the line, but other tools (shells, some editors and linters) do not, so the same line
reads differently depending on who reads it.

## Example
`RUN apt-get update \␣␣` (with two spaces after the backslash).

## Use instead
`RUN apt-get update \`

## Fix safety
The fix deletes the blanks. It is safe: BuildKit ignores blanks at the end of an instruction
line and after a line-continuation escape, and heredoc bodies are left alone.
"#,
    fix: FixAvailability::Always,
    default_enabled: false,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let bodies: Vec<_> = cx.syntax.instructions.iter().flat_map(|i| i.heredocs().iter().map(|h| h.body.clone())).collect();
        let mut start = 0;
        for line in cx.src.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let kept = content.trim_end_matches([' ', '\t']);
            let blanks = start + kept.len()..start + content.len();
            if !blanks.is_empty() && !bodies.iter().any(|b| b.contains(&blanks.start)) {
                let d = out.report(blanks.clone(), "trailing whitespace");
                d.set_fix(Fix::safe("Remove trailing whitespace", vec![Edit::delete(blanks)]));
            }
            start += line.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_on_trailing_blanks() {
        let src = "FROM a  \nRUN x \\\t\n  && y\n# note \r\n";
        assert_eq!(hits("DO672", src), vec![(1, "  ".into()), (2, "\t".into()), (4, " ".into())]);
        assert_eq!(fixed("DO672", "FROM a \nRUN x\n").as_deref(), Some("FROM a\nRUN x\n"));
    }

    #[test]
    fn quiet_on_clean_lines_and_heredoc_bodies() {
        assert_clean("DO672", "FROM a\nRUN x\n");
        assert_clean("DO672", "FROM a\nCOPY <<EOF /README.md\nline one  \nEOF\n");
    }
}
