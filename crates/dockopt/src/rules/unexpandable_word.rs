//! DO188 unexpandable-word: a word BuildKit fails to expand (an unterminated quote, a broken
//! `${...}`), which fails the build although the file parses.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};
use crate::words::{Env, Lexer};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO188",
    name: "unexpandable-word",
    category: Category::Correctness,
    severity: Severity::Error,
    upstream: &[],
    summary: "BuildKit cannot expand a word of this instruction (unterminated quote or broken `${...}`), so the build fails.",
    docs: r#"## What it does
Reports the words of `ENV`, `ARG`, `LABEL`, `WORKDIR`, `USER`, `EXPOSE`, `VOLUME`, `STOPSIGNAL`,
`COPY`, `ADD` and the image of `FROM` that BuildKit's variable expansion rejects: a quote that is
never closed, or a `${...}` that is not well formed. Errors that depend on the values of
variables (`${NAME:?message}`) are not reported: every variable is taken as set.

## Why is this bad?
BuildKit's parser accepts the line, so the file looks fine, but the build stops at that
instruction with `unexpected end of statement while looking for matching double-quote` (or
`bad substitution`). `RUN`, `CMD` and `ENTRYPOINT` are left to the shell (see ShellCheck).

## Example
```dockerfile
FROM debian:bookworm-slim
ENV GREETING="hello world
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
ENV GREETING="hello world"
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// Instructions whose words BuildKit expands before running them.
const EXPANDED: &[&str] =
    &["ENV", "ARG", "LABEL", "WORKDIR", "USER", "EXPOSE", "VOLUME", "STOPSIGNAL", "COPY", "ADD", "FROM"];

/// Every variable set, so only errors of the word's own form remain.
struct EverySet;

impl Env for EverySet {
    fn get(&self, _: &str) -> Option<&str> {
        Some("x")
    }
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        let lexer = Lexer::new(cx.model.escape);
        for ins in cx.instructions() {
            // A line BuildKit's parser rejects is DO100's; ONBUILD triggers expand in a later build.
            if ins.syntax.error().is_some() || !EXPANDED.contains(&ins.keyword()) {
                continue;
            }
            let command = ins.syntax.command();
            let words = command.values().take(if ins.is("FROM") { 1 } else { usize::MAX });
            if let Some(e) = words.filter_map(|w| lexer.process(w, &EverySet).err()).next() {
                out.report(ins.syntax.range.clone(), format!("BuildKit fails the build here: {e}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, check, hits};

    #[test]
    fn fires_on_words_buildkit_cannot_expand() {
        let found = hits("DO188", "FROM a\nENV A=\"x\nENV B='y C=z\nENV D \"w\nRUN echo $A\n");
        assert_eq!(found.iter().map(|(line, _)| *line).collect::<Vec<_>>(), vec![2, 3, 4]);
        let messages: Vec<String> = check("DO188", "FROM a\nENV A=\"x\nENV B='y\n").into_iter().map(|d| d.message.to_string()).collect();
        assert!(messages[0].contains("matching double-quote"), "{messages:?}");
        assert!(messages[1].contains("matching single-quote"), "{messages:?}");
        // Outside the JSON form, COPY splits at blanks before expanding: quotes do not group.
        assert_eq!(hits("DO188", "FROM a\nCOPY \"a b\" /c/\n").len(), 1);
        assert_eq!(hits("DO188", "FROM a\nWORKDIR /app/${DIR\n").len(), 1);
        assert_eq!(hits("DO188", "FROM a\nLABEL x=\"1\nCOPY \"a /b\n").len(), 2);
        assert_eq!(hits("DO188", "ARG IMG=\"debian\nFROM \"${IMG} AS b\n").len(), 2);
    }

    #[test]
    fn quiet_on_words_that_expand_or_are_not_expanded() {
        assert_clean(
            "DO188",
            "FROM a AS b\nENV A=\"x y\" B='z' C=${D:-e} E=${F:?unset}\nLABEL k=\"v\"\nCOPY --from=b \"/a\" /c/\nCOPY [\"a b\", \"/c/\"]\n",
        );
        // The shell expands RUN, CMD and ENTRYPOINT; ONBUILD triggers run in another build.
        assert_clean("DO188", "FROM a\nRUN echo \"x\nCMD echo 'y\nONBUILD ENV A=\"x\n");
        // A line the parser rejects is reported once, by DO100.
        assert_clean("DO188", "FROM a\nENV A\n");
    }
}
