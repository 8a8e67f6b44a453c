//! DO684 invalid-description-comment: the comment right above a named FROM or an ARG does not
//! start with the stage or argument name.

use crate::lint::{Category, Context, FixAvailability, Reporter, RuleMeta, Severity};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "DO684",
    name: "invalid-description-comment",
    category: Category::Style,
    severity: Severity::Style,
    upstream: &["buildkit:InvalidDefinitionDescription"],
    summary: "A comment right above a named FROM or an ARG should start with the stage or argument name.",
    docs: r#"## What it does
Looks at the comment line directly above `FROM ... AS name` and `ARG` instructions. BuildKit
uses such comments as descriptions in `docker build --call=outline` and `--call=targets` when
they start with the name (`# name description`). The rule reports the comment when it does
not start with the name (for FROM, the lower-case stage name, which is how BuildKit knows the
stage; for an ARG with several keys, any of them).

Off by default, like BuildKit's experimental check.

A blank line or an empty `#` line between the comment and the instruction means the comment
is not a description. BuildKit's parser currently keeps comments across blank lines, so it
still warns there, although its documentation says a blank line is the way to opt out: dockopt
follows the documentation. Suppression comments (`# dockopt ...`, `# hadolint ...`,
`# check=...`) are never taken as descriptions.

## Why is this bad?
A comment that is not meant as a description ends up shown as one, or a description that is
meant as one is ignored because it names the stage or argument wrongly.

## Example
```dockerfile
# compile the binary
FROM golang:1.22 AS build
# set at release time
ARG VERSION
```

## Use instead
```dockerfile
# build compiles the binary
FROM golang:1.22 AS build
# VERSION is set at release time
ARG VERSION
```
"#,
    fix: FixAvailability::None,
    default_enabled: false,
};

fn is_pragma(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("").to_ascii_lowercase();
    first == "dockopt" || first == "hadolint" || first.starts_with("check=")
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            let (kind, keys): (&str, Vec<String>) = if ins.is("FROM") {
                match ins.model.arguments.as_ref() {
                    [_, a, name] if a.eq_ignore_ascii_case("as") => ("stage", vec![name.to_lowercase()]),
                    _ => continue,
                }
            } else if ins.is("ARG") {
                ("argument", ins.model.pairs.iter().map(|p| p.key.to_string()).collect())
            } else {
                continue;
            };
            if keys.is_empty() {
                continue;
            }
            // The line just above the instruction.
            let start = ins.syntax.range.start;
            let line_start = cx.src[..start].rfind('\n').map_or(0, |i| i + 1);
            if line_start == 0 {
                continue;
            }
            let prev_start = cx.src[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
            let prev = cx.text(prev_start..line_start - 1).trim_end_matches('\r');
            let Some(text) = prev.trim_start().strip_prefix('#') else { continue };
            let text = text.trim();
            let directive = cx.syntax.directives.iter().any(|d| d.range.start >= prev_start && d.range.end < line_start);
            if text.is_empty() || directive || is_pragma(text) {
                continue;
            }
            let first = text.split(' ').next().unwrap_or("");
            if keys.iter().any(|k| k == first) {
                continue;
            }
            let example = if keys.len() == 1 { keys[0].as_str() } else { "<name>" };
            let message = format!(
                "comment above {} is not a {kind} description; start it with `# {example} ` or put an empty line between",
                ins.keyword()
            );
            out.report(cx.keyword_range(ins), message);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn fires_on_comments_that_do_not_name_the_definition() {
        let src = "# bar is bar\nARG foo=bar\n# Base image\nFROM scratch AS Base\n# nope\nARG a b=1\n";
        assert_eq!(hits("DO684", src), vec![(2, "ARG".into()), (4, "FROM".into()), (6, "ARG".into())]);
        let escape = "# escape=`\n# some words\nARG x=1\n";
        assert_eq!(hits("DO684", escape), vec![(3, "ARG".into())]);
    }

    #[test]
    fn quiet_on_descriptions_separated_comments_and_pragmas() {
        let src = "# syntax=docker/dockerfile:1\nARG top\n# foo the foo\nARG foo=bar\n# base is the base\nFROM scratch AS Base\n\
                   # other words\n\nARG version\n# b is b\nARG a b\n#\nARG c\n# dockopt ignore=DO182\nARG d\n\
                   # a comment on a stage without name\nFROM scratch\n# comment above COPY\nCOPY a b\n";
        assert_clean("DO684", src);
        assert_clean("DO684", "FROM a\nRUN <<EOF\n# not a description\nEOF\nARG x\n");
    }
}
