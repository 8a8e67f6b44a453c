//! DO187 invalid-dockerignore: the build context's .dockerignore cannot be read, or holds a
//! pattern Docker refuses, so the build fails before its first step.

use crate::lint::dockerignore::IgnoreFile;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO187",
    name: "invalid-dockerignore",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &[],
    summary: "The build context's .dockerignore must be readable and hold only patterns Docker accepts.",
    docs: r#"## What it does
When the linter knows the build context, reports a `.dockerignore` (or `<Dockerfile>.dockerignore`)
that cannot be read (permissions, a folder of that name) or that Docker refuses: a pattern
Go's `filepath.Match` rejects (an unclosed `[`, an empty or reversed range `[z-a]`, a
trailing `\`), or a line that is a lone `!`. The message names the file, the line and the
pattern. It is reported on the first `COPY` or `ADD` from the context, else on the first
instruction.

## Why is this bad?
Docker reads `.dockerignore` before it sends the context, and stops with `syntax error in
pattern` or `permission denied`: nothing is built. Other checks that depend on the file
(DO186 copy-ignored-file, DO491 missing-dockerignore) cannot judge it either.

## Example
With `.dockerignore`:
```text
node_modules
[abc
```
```dockerfile
COPY . /app
```

## Use instead
Close the bracket (`[abc]`) or escape it (`\[abc`), and make the file readable.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let Some(context) = &cx.options.context else { return };
        let message = match &context.dockerignore {
            IgnoreFile::Invalid { path, error } => format!(
                "{} line {}: Docker refuses the pattern `{}` ({}), so the build fails",
                path.display(),
                error.line,
                error.pattern,
                error.reason
            ),
            IgnoreFile::Unreadable { path, error } => {
                format!("{} cannot be read ({error}), so the build fails", path.display())
            }
            IgnoreFile::Missing | IgnoreFile::Parsed(_) => return,
        };
        let copy = cx.instructions().find(|i| (i.is("COPY") || i.is("ADD")) && i.flag("from").is_none());
        let range = match (copy, cx.instructions().next()) {
            (Some(copy), _) => cx.arguments_range(copy),
            (None, Some(first)) => first.syntax.range.clone(),
            (None, None) => return,
        };
        out.report(range, message);
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use crate::lint::dockerignore::IgnoreFile;
    use crate::lint::testing::assert_clean;
    use crate::lint::{BuildContext, LintOptions, lint};

    fn found(src: &str, dockerignore: IgnoreFile) -> Vec<(usize, String, String)> {
        let options = LintOptions {
            select: vec!["DO187".into()],
            context: Some(BuildContext { dockerignore }),
            ..LintOptions::default()
        };
        let index = crate::text::LineIndex::new(src);
        lint(&crate::parse(src), &options)
            .iter()
            .map(|d| (index.position(src, d.range.start).line as usize, src[d.range.clone()].to_owned(), d.message.to_string()))
            .collect()
    }

    fn text(t: &str) -> IgnoreFile {
        IgnoreFile::parse(&PathBuf::from("ctx/.dockerignore"), t)
    }

    #[test]
    fn fires_on_a_pattern_docker_refuses() {
        let hits = found("FROM a\nRUN true\nCOPY --from=b /x /x\nCOPY . /app\n", text("node_modules\n[abc\n"));
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].0, hits[0].1.as_str()), (4, ". /app"));
        assert_eq!(
            hits[0].2,
            "ctx/.dockerignore line 2: Docker refuses the pattern `[abc` (syntax error in pattern), so the build fails"
        );
        let lone = found("FROM a\n", text("a\n!\n"));
        assert_eq!((lone[0].0, lone[0].1.as_str()), (1, "FROM a"));
        assert!(lone[0].2.contains("line 2: Docker refuses the pattern `!`"), "{}", lone[0].2);
    }

    #[test]
    fn fires_on_an_unreadable_file() {
        let error = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let file = IgnoreFile::Unreadable { path: PathBuf::from("ctx/.dockerignore"), error: Arc::new(error) };
        let hits = found("FROM a\nCOPY . .\n", file);
        assert_eq!(hits[0].1, ". .");
        assert!(hits[0].2.starts_with("ctx/.dockerignore cannot be read (permission denied)"), "{}", hits[0].2);
    }

    #[test]
    fn quiet_on_valid_or_missing_files_and_without_context() {
        assert!(found("FROM a\nCOPY . .\n", text("[abc]\n\\[x\n!a\n")).is_empty());
        assert!(found("FROM a\nCOPY . .\n", IgnoreFile::Missing).is_empty());
        assert!(found("", text("[abc\n")).is_empty(), "nothing to report on");
        assert_clean("DO187", "FROM a\nCOPY . .\n");
    }
}
