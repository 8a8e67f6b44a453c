//! SC2006 legacy-backticks: `` `cmd` `` command substitution in RUN scripts (ShellCheck's
//! SC2006, checked natively so it runs without the shellcheck binary).

use std::ops::Range;

use crate::lint::{Category, Context, FixAvailability, Offsets, Reporter, RuleMeta, Severity, shell_texts};

pub struct Rule;

static META: RuleMeta = RuleMeta {
    code: "SC2006",
    name: "legacy-backticks",
    category: Category::Style,
    severity: Severity::Style,
    upstream: &["hadolint:SC2006", "shellcheck:SC2006"],
    summary: "Use $(...) for command substitution, not backticks.",
    docs: r#"## What it does
Finds command substitution written with backticks (`` `cmd` ``) in the scripts a `RUN` executes:
its shell-form command line and the heredoc scripts the shell runs. This is ShellCheck's check
SC2006, done by dockopt itself, at the same place ShellCheck reports it; with the shellcheck
binary present, dockopt reports this code itself and takes the binary's other checks.

## Why is this bad?
Backticks do not nest without escaping, and backslashes inside them mean something different
than everywhere else; `$(...)` nests and reads plainly.

## Example
```dockerfile
RUN cd `mktemp -d` && make
```

## Use instead
```dockerfile
RUN cd "$(mktemp -d)" && make
```
"#,
    fix: FixAvailability::None,
    default_enabled: true,
};

/// The byte ranges of backtick substitutions in a shell script, backticks included: outside
/// single quotes and comments, not escaped.
fn backtick_spans(script: &str) -> Vec<Range<usize>> {
    // Most scripts have none: one fast search instead of the byte-by-byte walk.
    if memchr::memchr(b'`', script.as_bytes()).is_none() {
        return Vec::new();
    }
    let bytes = script.as_bytes();
    let mut spans = Vec::new();
    let mut in_double = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'\'' if !in_double => match script[i + 1..].find('\'') {
                Some(end) => i += end + 1,
                None => break,
            },
            b'"' => in_double = !in_double,
            b'#' if !in_double && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(')) => {
                match script[i..].find('\n') {
                    Some(end) => i += end,
                    None => break,
                }
            }
            b'`' => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'`' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                if j >= bytes.len() {
                    break;
                }
                // Nothing to run (`` `# a comment` ``): not a substitution to rewrite.
                let inner = script[i + 1..j].trim();
                if !inner.is_empty() && !inner.starts_with('#') {
                    spans.push(i..j + 1);
                }
                i = j;
            }
            _ => {}
        }
        i += 1;
    }
    spans
}

impl crate::lint::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Reporter) {
        for ins in cx.instructions() {
            for text in shell_texts(cx.src, ins) {
                // An exec-form `sh -c` string cannot be located inside the instruction.
                if matches!(text.at, Offsets::Instruction) {
                    continue;
                }
                for span in backtick_spans(&text.text) {
                    let range = text.source_offset(ins, span.start)..text.source_offset(ins, span.end);
                    out.report(range, "use $(...) for command substitution, not legacy backticks");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backtick_spans;
    use crate::lint::testing::{assert_clean, hits};

    #[test]
    fn finds_backticks_where_the_shell_sees_them() {
        let s = r#"a `b` "c `d`" 'e `f`' \`g\` # `h`"#;
        let found: Vec<&str> = backtick_spans(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(found, ["`b`", "`d`"]);
        assert_eq!(backtick_spans("x `unclosed"), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(backtick_spans("echo foo `# inline comment` ``"), Vec::<std::ops::Range<usize>>::new());
    }

    #[test]
    fn fires_on_run_lines_continuations_and_heredoc_scripts() {
        let src = "FROM a\nRUN set -e \\\n    && cd `mktemp -d` \\\n    && make\nRUN <<EOF\necho `date`\nEOF\n";
        assert_eq!(hits("SC2006", src), vec![(3, "`mktemp -d`".into()), (6, "`date`".into())]);
    }

    #[test]
    fn quiet_elsewhere() {
        assert_clean(
            "SC2006",
            "FROM a\nRUN echo '`x`' && cd \"$(mktemp -d)\"\nLABEL x=\"`y`\"\nRUN <<EOF\n#!/usr/bin/env python3\nprint('`z`')\nEOF\n",
        );
    }
}
