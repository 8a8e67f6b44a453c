//! Secrets: ENV and ARG entries that hold a secret (by name or by value) are removed. A secret
//! the build uses becomes a BuildKit secret mount on the RUNs that use it (only with the
//! BuildKit option; otherwise the transform is skipped for it). A secret only the running
//! application reads becomes a requirement: pass it with `-e` or `--env-file`.

use super::{Change, OptimizeOptions, Step};
use crate::fix::apply_edits;
use crate::lint::{Context, Edit, LintOptions};
use crate::secrets::{credentials, is_secret_name};
use crate::syntax::TokenKind;

struct Found {
    key: String,
    /// The entry to delete (a word, or the whole instruction with its line ending).
    delete: std::ops::Range<usize>,
    line: usize,
}

fn uses(text: &str, key: &str) -> bool {
    text.match_indices('$').any(|(i, _)| {
        let rest = &text[i + 1..];
        let rest = rest.strip_prefix('{').unwrap_or(rest);
        rest.strip_prefix(key).is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    })
}

pub(crate) fn remove(text: &str, options: &OptimizeOptions, requirements: &mut Vec<String>) -> Step {
    let file = crate::parse(text);
    let model = file.model();
    let lint_options = LintOptions::default();
    let cx = Context::new(text, file.syntax(), &model, &lint_options);
    let mut found: Vec<Found> = Vec::new();
    for ins in cx.instructions().filter(|i| i.is("ENV") || i.is("ARG")) {
        let secret = |key: &str, value: Option<&str>| {
            // Not the random-looking-value heuristic: a false alarm would take a setting the
            // image needs out of it.
            is_secret_name(key) || value.is_some_and(|v| !credentials(v).is_empty())
        };
        let secret_pairs: Vec<&crate::model::Pair> =
            ins.model.pairs.iter().filter(|p| secret(&p.key, p.value.as_deref())).collect();
        if secret_pairs.is_empty() {
            continue;
        }
        let line = ins.model.span.start.line;
        if secret_pairs.len() == ins.model.pairs.len() {
            // The whole instruction goes, with its line ending.
            let whole = crate::text::whole_lines(text, ins.syntax.range.clone());
            for p in secret_pairs {
                found.push(Found { key: p.key.to_string(), delete: whole.clone(), line });
            }
            continue;
        }
        // Words already matched to a pair: a key given twice (`A=1 ... A=2`) has two words.
        let mut taken = Vec::new();
        for p in secret_pairs {
            let word = cx.tokens(ins).filter(|t| t.kind == TokenKind::Word && !taken.contains(&t.start)).find(|t| {
                let w = &text[t.start..t.end];
                w.strip_prefix(p.key.as_ref()).is_some_and(|r| r.starts_with('=') || r.is_empty())
            });
            let Some(word) = word else { return Step::Skipped(format!("cannot locate `{}` on line {line}", p.key)) };
            taken.push(word.start);
            // Take the blanks and line continuation around the word too: no line is left empty,
            // and a first pair leaves the keyword followed by the next one.
            let first = text[cx.keyword_range(ins).end..word.start].trim().is_empty();
            let delete = if first {
                crate::text::with_trailing_blanks(text, model.escape, word.start..word.end)
            } else {
                crate::text::with_leading_blanks(text, model.escape, word.start..word.end)
            };
            found.push(Found { key: p.key.to_string(), delete, line });
        }
    }
    if found.is_empty() {
        return Step::Unchanged;
    }
    let mut edits: Vec<Edit> = Vec::new();
    let mut changes = Vec::new();
    // Kept aside until every secret could be handled: a skipped rewrite requires nothing.
    let mut needed = Vec::new();
    for f in &found {
        let builds: Vec<_> = cx
            .instructions()
            .filter(|i| i.effective().keyword == "RUN" && i.model.span.start.line > f.line)
            .filter(|i| uses(&i.syntax.logical, &f.key) || i.model.heredocs.iter().any(|h| uses(&h.content, &f.key)))
            .collect();
        if !builds.is_empty() && !options.buildkit {
            return Step::Skipped(format!(
                "`{}` (line {}) is used by RUN at build time; a secret mount needs BuildKit (enable it to rewrite)",
                f.key, f.line
            ));
        }
        for run in &builds {
            let keyword = cx.keyword_range(*run);
            let id = f.key.to_ascii_lowercase();
            edits.push(Edit::insert(keyword.end, format!(" --mount=type=secret,id={id},env={}", f.key)));
        }
        if !edits.iter().any(|e| e.range == f.delete) {
            edits.push(Edit::delete(f.delete.clone()));
        }
        let how = if builds.is_empty() {
            needed
                .push(format!("pass `{}` when the container starts: `docker run -e {}` or `--env-file`", f.key, f.key));
            "the application reads it at run time: pass it with `-e` or `--env-file`".to_owned()
        } else {
            format!(
                "the build reads it from a secret mount: `docker build --secret id={},env={}`",
                f.key.to_ascii_lowercase(),
                f.key
            )
        };
        // One change per secret, also when a builder/runner split set it in both stages. No line
        // number: earlier transforms may have moved it from where the user wrote it.
        let title = format!("Remove the secret `{}` from the image", f.key);
        if changes.iter().any(|c: &Change| c.title == title) {
            continue;
        }
        changes.push(Change {
            transform: "secrets",
            rules: vec!["DO260", "DO294"],
            title,
            why: format!("ENV and ARG values stay readable in the image and its history; {how}"),
        });
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup();
    requirements.extend(needed);
    let refs: Vec<&Edit> = edits.iter().collect();
    Step::Changed { text: apply_edits(text, &refs), changes }
}
