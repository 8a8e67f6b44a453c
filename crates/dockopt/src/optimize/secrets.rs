//! Secrets: ENV and ARG entries that hold a secret (by name or by value) are removed. A secret
//! the build uses becomes a BuildKit secret mount on the RUNs that use it (only with the
//! BuildKit option; otherwise the transform is skipped for it). A secret only the running
//! application reads becomes a requirement: pass it with `-e` or `--env-file`.

use std::collections::{HashMap, HashSet};

use super::{Change, OptimizeOptions, Step};
use crate::fix::apply_edits;
use crate::lint::{Context, Edit, Ins};
use crate::secrets::{credentials, is_secret_name};
use crate::syntax::TokenKind;

struct Found {
    key: String,
    /// The entry to delete (a word, or the whole instruction with its line ending).
    delete: std::ops::Range<usize>,
    line: usize,
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The text after each `$` of `text`, and after its `{` for `${`.
fn after_dollars(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('$').map(|(i, _)| {
        let rest = &text[i + 1..];
        rest.strip_prefix('{').unwrap_or(rest)
    })
}

fn uses(text: &str, key: &str) -> bool {
    after_dollars(text).any(|rest| rest.strip_prefix(key).is_some_and(|after| !after.starts_with(is_name_char)))
}

/// The names `text` refers to as `$NAME` or `${NAME}`: for a key made of name characters,
/// `uses(text, key)` is `names(text)` holding it.
fn names(text: &str) -> impl Iterator<Item = &str> {
    after_dollars(text).map(|rest| &rest[..rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len())])
}

/// What a RUN runs: its line and its heredocs' bodies.
fn run_texts<'a>(run: Ins<'a>) -> impl Iterator<Item = &'a str> {
    std::iter::once(&*run.syntax.logical).chain(run.model.heredocs().iter().map(|h| &*h.content))
}

/// The RUN instructions of a file (in order), and for each name they refer to, the ones that
/// do: which RUNs use a secret is then a lookup, not a scan of the file per secret.
struct Runs<'a> {
    all: Vec<Ins<'a>>,
    by_name: HashMap<&'a str, Vec<Ins<'a>>>,
}

impl<'a> Runs<'a> {
    fn of(cx: &Context<'a>) -> Self {
        let all: Vec<Ins> = cx.instructions().filter(|i| i.effective().keyword == "RUN").collect();
        let mut by_name: HashMap<&str, Vec<Ins>> = HashMap::new();
        for &run in &all {
            let mut named: Vec<&str> = run_texts(run).flat_map(names).filter(|n| !n.is_empty()).collect();
            named.sort_unstable();
            named.dedup();
            for name in named {
                by_name.entry(name).or_default().push(run);
            }
        }
        Self { all, by_name }
    }

    /// The RUNs after `line` that use `key`.
    fn using(&self, key: &str, line: usize) -> Vec<Ins<'a>> {
        let after = |runs: &[Ins<'a>]| runs.partition_point(|r| r.model.span.start.line as usize <= line);
        if !key.is_empty() && key.chars().all(is_name_char) {
            let runs = self.by_name.get(key).map_or(&[][..], Vec::as_slice);
            return runs[after(runs)..].to_vec();
        }
        let later = &self.all[after(&self.all)..];
        later.iter().copied().filter(|&run| run_texts(run).any(|t| uses(t, key))).collect()
    }
}

/// The words to delete (`key`, range) as runs of neighbours (only blanks and line
/// continuations between them), each with its keys, in order.
fn runs_of_words(
    text: &str,
    escape: char,
    mut words: Vec<(String, std::ops::Range<usize>)>,
) -> Vec<(std::ops::Range<usize>, Vec<String>)> {
    words.sort_by_key(|(_, w)| w.start);
    let mut runs: Vec<(std::ops::Range<usize>, Vec<String>)> = Vec::new();
    for (key, word) in words {
        match runs.last_mut() {
            Some((run, keys)) if crate::text::with_trailing_blanks(text, escape, run.clone()).end == word.start => {
                run.end = word.end;
                keys.push(key);
            }
            _ => runs.push((word, vec![key])),
        }
    }
    runs
}

pub(crate) fn remove(text: &str, options: &OptimizeOptions, requirements: &mut Vec<String>) -> Step {
    let syntax = crate::syntax::parse(text);
    let model = crate::model::build(text, &syntax, &[]);
    let cx = Context::reading(text, &syntax, &model);
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
        let line = ins.model.span.start.line as usize;
        if secret_pairs.len() == ins.model.pairs.len() {
            // The whole instruction goes, with its line ending.
            let whole = crate::text::whole_lines(text, ins.syntax.range.clone());
            for p in secret_pairs {
                found.push(Found { key: p.key.to_string(), delete: whole.clone(), line });
            }
            continue;
        }
        // Words already matched to a pair: a key given twice (`A=1 ... A=2`) has two words.
        let mut words: Vec<(String, std::ops::Range<usize>)> = Vec::new();
        for p in secret_pairs {
            let taken = |t: &crate::syntax::Token| words.iter().any(|(_, w)| w.start == t.start);
            let word = cx.tokens(ins).filter(|t| t.kind == TokenKind::Word && !taken(t)).find(|t| {
                let w = &text[t.start..t.end];
                w.strip_prefix(p.key.as_ref()).is_some_and(|r| r.starts_with('=') || r.is_empty())
            });
            let Some(word) = word else { return Step::Skipped(format!("cannot locate `{}` on line {line}", p.key)) };
            words.push((p.key.to_string(), word.start..word.end));
        }
        let keyword_end = cx.keyword_range(ins).end;
        for (run, keys) in runs_of_words(text, model.escape, words) {
            // Take the blanks and line continuations around the words too: no line is left
            // empty, and a first pair leaves the keyword followed by the next one. Neighbouring
            // words go as one run: their blanks are shared, and two deletions would overlap.
            let first = text[keyword_end..run.start].trim().is_empty();
            let delete = if first {
                crate::text::with_trailing_blanks(text, model.escape, run)
            } else {
                crate::text::with_leading_blanks(text, model.escape, run)
            };
            found.extend(keys.into_iter().map(|key| Found { key, delete: delete.clone(), line }));
        }
    }
    if found.is_empty() {
        return Step::Unchanged;
    }
    let runs = Runs::of(&cx);
    let mut edits: Vec<Edit> = Vec::new();
    let mut deleted = HashSet::new();
    let mut changes = Vec::new();
    let mut titles = HashSet::new();
    // Kept aside until every secret could be handled: a skipped rewrite requires nothing.
    let mut needed = Vec::new();
    for f in &found {
        let builds = runs.using(&f.key, f.line);
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
        if deleted.insert(f.delete.clone()) {
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
        if !titles.insert(title.clone()) {
            continue;
        }
        changes.push(Change {
            transform: "secrets",
            rules: vec!["DO260", "DO294"],
            title: title.into(),
            why: format!("ENV and ARG values stay readable in the image and its history; {how}").into(),
        });
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    edits.dedup();
    requirements.extend(needed);
    let refs: Vec<&Edit> = edits.iter().collect();
    Step::Changed { text: apply_edits(text, &refs), changes }
}

#[cfg(test)]
mod tests {
    use super::{Runs, names, uses};
    use crate::lint::testing::with_context;

    #[test]
    fn the_name_index_answers_as_the_scan_does() {
        let texts = ["echo $A ${B}x $A_1 $$C ${D:-x} $", "curl -u u:${TOKEN}@h $TOKEN2 ${{E}", "x$F$G"];
        for text in texts {
            for key in ["A", "B", "A_1", "C", "D", "TOKEN", "TOKEN2", "E", "F", "G", "H", "TOK", "A_"] {
                assert_eq!(uses(text, key), names(text).any(|n| n == key), "{key} in {text}");
            }
        }
    }

    #[test]
    fn runs_using_a_key_after_a_line() {
        let src = "FROM a\nENV K=1\nRUN echo $K\nARG P.Q\nRUN <<EOF\necho ${K}\nEOF\nRUN echo ${P.Q} $KEY\n";
        with_context(src, |cx| {
            let runs = Runs::of(cx);
            let lines = |key: &str, after: usize| -> Vec<usize> {
                runs.using(key, after).iter().map(|r| r.model.span.start.line as usize).collect()
            };
            assert_eq!(lines("K", 2), vec![3, 5]);
            assert_eq!(lines("K", 3), vec![5], "only the RUNs after the line");
            assert_eq!(lines("KEY", 1), vec![8]);
            // A key that is not a plain name is looked for the slow way.
            assert_eq!(lines("P.Q", 4), vec![8]);
            assert!(lines("Z", 1).is_empty());
        });
    }
}
