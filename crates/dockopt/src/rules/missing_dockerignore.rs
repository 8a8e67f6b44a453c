//! DO491 missing-dockerignore: the whole build context is copied and there is no
//! .dockerignore.

use crate::lint::invocation::{context_source_range, copies_context};
use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO491",
    name: "missing-dockerignore",
    category: Category::Cache,
    severity: Severity::Warning,
    upstream: &[],
    summary: "A Dockerfile that copies the whole build context needs a .dockerignore.",
    docs: r#"## What it does
When the linter is given the build context (the folder the image is built from) and that
folder has no `.dockerignore`, reports the first `COPY` or `ADD` of the whole context (`.`,
`./`, `*`). Without build context information the rule does nothing.

## Why is this bad?
Everything in the folder is sent to the builder and copied into the image: `.git`, local
virtual environments and `node_modules`, build output, editor files, and often `.env` files
or keys. The image grows, secrets leak, and since `.git` changes with every commit, the
`COPY` layer and everything after it are rebuilt even when no source file changed.

## Example
```dockerfile
COPY . /app
```
in a folder without `.dockerignore`.

## Use instead
Add a `.dockerignore` next to the Dockerfile:
```text
.git
.env
node_modules
__pycache__
*.log
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
        let Some(context) = &cx.options.context else { return };
        // One that cannot be read or that Docker refuses is DO187's.
        if context.dockerignore.exists() {
            return;
        }
        let Some(copy) = cx.instructions().find(|ins| copies_context(*ins)) else { return };
        let range = context_source_range(cx, copy);
        out.report(range, "the whole context is copied but there is no .dockerignore; add one to keep .git and secrets out");
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::assert_clean;
    use crate::lint::{BuildContext, LintOptions, lint};

    fn found(src: &str, dockerignore: Option<&str>) -> Vec<(usize, String)> {
        let options = LintOptions {
            select: vec!["DO491".into()],
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
    fn fires_without_dockerignore() {
        let src = "FROM a\nCOPY go.mod ./\nCOPY . /src\nCOPY . /again\n";
        assert_eq!(found(src, None), vec![(3, ".".into())]);
        assert_eq!(found("FROM a\nONBUILD ADD [\"./\", \"/app\"]\n", None), vec![(2, "./".into())]);
        assert_eq!(found("# escape=`\nFROM a\nCOPY `\n  * /app/\n", None), vec![(4, "*".into())]);
    }

    #[test]
    fn quiet_with_dockerignore_or_without_context() {
        assert!(found("FROM a\nCOPY . .\n", Some(".git\n")).is_empty());
        assert!(found("FROM a\nCOPY . .\n", Some("")).is_empty(), "an empty file is a decision");
        assert_clean("DO491", "FROM a\nCOPY . .\n");
        assert!(found("FROM a\nCOPY src/ /app/\nCOPY --from=build . .\n", None).is_empty());
    }
}
