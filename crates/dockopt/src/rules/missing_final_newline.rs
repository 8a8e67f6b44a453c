//! DO671 missing-final-newline: the file does not end with a line break.

use crate::lint::{Category, Context, Edit, Fix, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO671",
    name: "missing-final-newline",
    category: Category::Style,
    severity: Severity::Style,
    upstream: &["tally:eol-last"],
    summary: "End the file with a line break.",
    docs: r#"## What it does
Finds non-empty Dockerfiles whose last line has no line break after it.

## Why is this bad?
Text files end their lines with a line break, the last one too. Without it, `cat` runs the
shell prompt into the last line, concatenating files joins two lines into one, and diffs show
the last line as changed ("No newline at end of file") whenever a line is appended.

## Example
A file whose last bytes are `CMD ["app"]` with nothing after them.

## Use instead
The same file with a line break after `CMD ["app"]`, which most editors add when set to
(EditorConfig: `insert_final_newline = true`).

## Fix safety
The fix appends a line break (`\r\n` when the file's first line ends with one). It is safe:
BuildKit reads the last line the same way with or without it.
"#,
    fix: FixAvailability::Always,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let src = cx.src;
        if src.trim().is_empty() || src.ends_with('\n') {
            return;
        }
        let start = src.rfind('\n').map_or(0, |i| i + 1);
        let end = src.len();
        let newline = if src.find('\n').is_some_and(|i| src[..i].ends_with('\r')) { "\r\n" } else { "\n" };
        let d = out.report(start..end, "the file does not end with a line break");
        d.set_fix(Fix::safe("Add a final line break", vec![Edit::insert(end, newline)]));
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, fixed, hits};

    #[test]
    fn fires_without_final_newline() {
        assert_eq!(hits("DO671", "FROM a\nCMD [\"x\"]"), vec![(2, "CMD [\"x\"]".into())]);
        assert_eq!(fixed("DO671", "FROM a\nRUN x").as_deref(), Some("FROM a\nRUN x\n"));
        assert_eq!(fixed("DO671", "FROM a\r\nRUN x").as_deref(), Some("FROM a\r\nRUN x\r\n"));
        assert_eq!(fixed("DO671", "FROM a").as_deref(), Some("FROM a\n"));
    }

    #[test]
    fn quiet_with_final_newline_or_empty_file() {
        assert_clean("DO671", "FROM a\nRUN x\n");
        assert_clean("DO671", "FROM a\r\n");
        assert_clean("DO671", "");
    }
}
