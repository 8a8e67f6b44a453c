//! DO186 copy-ignored-file: COPY or ADD of a path that .dockerignore leaves out of the context.

use crate::lint::dockerignore::clean;
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::model::Form;

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO186",
    name: "copy-ignored-file",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &["buildkit:CopyIgnoredFile"],
    summary: "COPY and ADD should not name files that .dockerignore excludes.",
    docs: r#"## What it does
When the linter knows the build context's `.dockerignore`, finds `COPY` and `ADD` sources
from the context that it excludes, following Docker's matching rules (`*`, `?`, `[...]`,
`**`, `!` exceptions, a leading `/`, cleaned paths, and excluded parent directories). It does
nothing without a `.dockerignore`.

Differences from BuildKit, which skips the check as soon as the file has a `!` exception:
dockopt applies the exceptions, and reports a directory only when no exception can bring
back anything below it. A source written with a leading `/` is read relative to the context
root, as the build does. Sources with variables, URLs, heredocs, `COPY --from` and ONBUILD
instructions (which run with another context) are not judged.

## Why is this bad?
Excluded files are not sent to the builder. The instruction fails with "not found", or a
wildcard quietly copies fewer files than intended.

## Example
With `.dockerignore`:
```text
*.env
```
```dockerfile
COPY production.env /app/.env
```

## Use instead
Remove the pattern from `.dockerignore`, add an exception (`!production.env`), or pass the
file as a build secret if it holds credentials.
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

fn judged(source: &str) -> bool {
    !(source.is_empty()
        || source.starts_with("<<")
        || source.contains('$')
        || source.contains("://")
        || source.starts_with("git@"))
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let Some(ignore) = cx.options.context.as_ref().and_then(|c| c.dockerignore.patterns()) else { return };
        for ins in cx.instructions().filter(|i| i.is("COPY") || i.is("ADD")) {
            if ins.flag("from").is_some() {
                continue;
            }
            let args = &ins.model.arguments;
            let Some((_, sources)) = args.split_last() else { continue };
            let words = cx.word_ranges(ins);
            let aligned = ins.model.form == Some(Form::Shell) && words.len() == args.len();
            for (i, source) in sources.iter().enumerate() {
                if !judged(source) || !ignore.excludes(source) {
                    continue;
                }
                let range = match words.get(i) {
                    Some(r) if aligned && cx.text(r.clone()) == source => r.clone(),
                    _ => cx.arguments_range(ins),
                };
                let shown = clean(source.trim_start_matches('/'));
                let message = format!("`{shown}` is excluded by .dockerignore, so {} cannot see it", ins.keyword());
                out.report(range, message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::hits;
    use crate::lint::{BuildContext, LintOptions, lint};

    fn found(dockerignore: Option<&str>, src: &str) -> Vec<(usize, String)> {
        let options = LintOptions {
            select: vec!["DO186".into()],
            context: Some(BuildContext::with_dockerignore(dockerignore)),
            ..LintOptions::default()
        };
        let index = crate::text::LineIndex::new(src);
        lint(&crate::parse(src), &options)
            .iter()
            .map(|d| (index.position(src, d.range.start).line as usize, src[d.range.clone()].to_owned()))
            .collect()
    }

    #[test]
    fn fires_on_excluded_sources() {
        let src = "FROM a\nCOPY app.py secrets.env /app/\nADD --chown=1 ./tmp/x.txt /x\n";
        let di = "*.env\n*/tmp/*\ntmp\n";
        assert_eq!(found(Some(di), src), vec![(2, "secrets.env".into()), (3, "./tmp/x.txt".into())]);
        assert_eq!(found(Some("build\n"), "FROM a\nCOPY [\"/build/out\", \"/x\"]\n"), vec![(2, "[\"/build/out\", \"/x\"]".into())]);
        assert_eq!(found(Some("**\n"), "FROM a\nCOPY . /src\n"), vec![(2, ".".into())]);
        let escape = "# escape=`\nFROM a\nCOPY `\n  docs /docs\n";
        assert_eq!(found(Some("docs\n"), escape), vec![(4, "docs".into())]);
    }

    #[test]
    fn applies_exceptions() {
        let di = "docs\n!docs/README.md\n*.md\n!CHANGELOG.md\n";
        let src = "FROM a\nCOPY docs /d\nCOPY docs/README.md docs/x.txt NOTES.md CHANGELOG.md /d/\n";
        assert_eq!(found(Some(di), src), vec![(3, "docs/x.txt".into()), (3, "NOTES.md".into())]);
        assert!(found(Some("*\n!src\n"), "FROM a\nCOPY . /app\n").is_empty());
    }

    #[test]
    fn quiet_without_context_or_for_other_sources() {
        let src = "FROM a\nCOPY secret /x\n";
        assert!(hits("DO186", src).is_empty(), "no context given");
        assert!(found(None, src).is_empty(), "no .dockerignore");
        let src = "FROM a AS b\nCOPY --from=b secret /x\nADD https://x/secret /y\nCOPY $F /z\n\
                   COPY <<secret /w\nhi\nsecret\nONBUILD COPY secret /v\n";
        assert!(found(Some("secret\n"), src).is_empty());
        assert!(found(Some("*.go\n"), "FROM a\nCOPY . /src\n").is_empty());
    }
}
