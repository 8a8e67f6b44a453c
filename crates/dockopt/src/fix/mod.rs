//! Applying fixes: non-overlapping byte-range edits from the lint rules, pass after pass until
//! nothing changes. A pass takes the fixes whose edits do not overlap (others wait for the next
//! pass, on the new text); a fix that would make BuildKit reject the file, or add parse errors,
//! is dropped. Untouched text stays byte-identical.

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use crate::lint::{Applicability, Diagnostic, Edit, LintOptions, LintResult, Message};

/// At most this many passes: each pass re-lints the new text, and well-behaved fixes settle
/// in two or three.
pub const MAX_PASSES: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct FixOptions {
    pub lint: LintOptions,
    /// Also apply fixes that may change the meaning of the file.
    pub unsafe_fixes: bool,
}

/// One applied fix. Its texts are the finding's: fixed texts stay uncopied (a file may take
/// one fix per line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub code: &'static str,
    pub name: &'static str,
    pub title: Cow<'static, str>,
    pub message: Message,
    pub applicability: Applicability,
}

#[derive(Debug, Clone)]
pub struct FixResult {
    /// The fixed text.
    pub text: String,
    pub applied: Vec<Applied>,
    /// What is left, on the fixed text.
    pub remaining: Vec<Diagnostic>,
    /// Secret values in the fixed text (never to be shown).
    pub secrets: Vec<Range<usize>>,
    pub passes: usize,
    /// A pass changed the text (each pass that runs changes it; passes that undid each other
    /// would report a change that left the text as it was).
    pub changed: bool,
}

/// Apply `edits` (sorted, non-overlapping) to `text`.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> String {
    // Sized exactly: a rewrite may be held (and a huge one doubled by growing) until it is written.
    let added: usize = edits.iter().map(|e| e.content.len()).sum();
    let removed: usize = edits.iter().map(|e| e.range.len()).sum();
    let mut out = String::with_capacity((text.len() + added).saturating_sub(removed));
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.range.start]);
        out.push_str(&e.content);
        at = e.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether two edits touch: overlapping ranges, or insertions at the same point (their order
/// would be arbitrary).
fn touches(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
        || (a.start == b.start && (a.is_empty() || b.is_empty()))
        || (a.is_empty() && a.start == b.end)
        || (b.is_empty() && b.start == a.end)
}

/// The edits of the fixes taken in one pass, by position, so that a file with many fixes is
/// not checked pairwise. They never overlap (each fix's edits are sorted and disjoint, and a
/// fix touching a taken one is not taken), so their ends rise with their starts.
#[derive(Default)]
struct TakenEdits(std::collections::BTreeSet<(usize, usize)>);

impl TakenEdits {
    fn add(&mut self, edits: &[Edit]) {
        self.0.extend(edits.iter().map(|e| (e.range.start, e.range.end)));
    }

    /// Whether `edit` touches a taken edit: only those starting at or before its end and
    /// ending at or after its start can, and they are the last ones in that order.
    fn touch(&self, edit: &Edit) -> bool {
        self.0
            .range(..=(edit.range.end, usize::MAX))
            .rev()
            .take_while(|&&(_, end)| end >= edit.range.start)
            .any(|&(start, end)| touches(&(start..end), &edit.range))
    }
}

fn valid(text: &str, edits: &[Edit]) -> bool {
    let mut end = 0;
    edits.iter().all(|e| {
        let ok = e.range.start >= end
            && e.range.end <= text.len()
            && text.is_char_boundary(e.range.start)
            && text.is_char_boundary(e.range.end);
        end = e.range.end;
        ok
    })
}

/// Fix `text` with the rules `options` selects.
pub fn fix(text: &str, options: &FixOptions) -> FixResult {
    fix_owned(text.to_owned(), options)
}

/// [`fix`] of a text the caller gives away: it becomes the result's (a huge file is held
/// once, not twice).
pub fn fix_owned(text: String, options: &FixOptions) -> FixResult {
    fix_with(text, options, crate::lint::run)
}

/// [`fix`] for a caller that shows none of the file's text (a rewrite's own step):
/// [`FixResult::secrets`] is empty, and no lint pass looks for them.
pub(crate) fn fix_without_secrets(text: &str, options: &FixOptions) -> FixResult {
    fix_with(text.to_owned(), options, crate::lint::run_without_secrets)
}

/// [`fix_owned`], each pass linting with `lint`.
fn fix_with(text: String, options: &FixOptions, lint: fn(&crate::Dockerfile, &LintOptions) -> LintResult) -> FixResult {
    let crlf = crate::text::all_crlf(&text);
    let mut current = text;
    let mut changed = false;
    let mut applied = Vec::new();
    let mut passes = 0;
    // The lint of `current` by the pass that left it as it was: what remains to report.
    let mut last = None;
    while passes < MAX_PASSES {
        // The text is handed to the parse and taken back, not copied; the tree goes with it.
        let file = crate::parse_owned(std::mem::take(&mut current));
        let errors_before = file.syntax().errors.len();
        let result = lint(&file, &options.lint);
        current = file.into_source();
        // Take fixes in source order; a fix waits if any of its edits touches a taken one.
        let mut taken: Vec<&Diagnostic> = Vec::new();
        let mut taken_edits = TakenEdits::default();
        for d in &result.diagnostics {
            let Some(f) = &d.fix else { continue };
            if f.applicability == Applicability::Unsafe && !options.unsafe_fixes {
                continue;
            }
            if f.edits.is_empty() || !valid(&current, &f.edits) {
                continue;
            }
            if !f.edits.iter().any(|n| taken_edits.touch(n)) {
                taken_edits.add(&f.edits);
                taken.push(d);
            }
        }
        if taken.is_empty() {
            last = Some(result);
            break;
        }
        // Keep the fixes that leave the file as parseable as it was.
        let mut kept: Vec<&Diagnostic> = Vec::new();
        let candidate = |set: &[&Diagnostic]| {
            let mut edits: Vec<&Edit> = set.iter().flat_map(|d| &d.fix.as_ref().expect("has fix").edits).collect();
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            apply_edits(&current, &edits)
        };
        let all = candidate(&taken);
        let fixed = if crate::syntax::errors(&all).len() <= errors_before {
            kept = taken;
            all
        } else {
            drop(all);
            for d in taken {
                let mut trial = kept.clone();
                trial.push(d);
                if crate::syntax::errors(&candidate(&trial)).len() <= errors_before {
                    kept = trial;
                }
            }
            if kept.is_empty() {
                last = Some(result);
                break;
            }
            candidate(&kept)
        };
        let next = crate::text::with_line_endings(crlf, fixed);
        passes += 1;
        for d in &kept {
            let f = d.fix.as_ref().expect("kept fixes exist");
            applied.push(Applied {
                code: d.rule.code,
                name: d.rule.name,
                title: f.title.clone(),
                message: d.message.clone(),
                applicability: f.applicability,
            });
        }
        if next == current {
            last = Some(result);
            break;
        }
        current = next;
        changed = true;
    }
    // Linted again only when the passes ran out with the text still changing (the text is
    // handed to the parse and taken back, not copied).
    let result = match last {
        Some(result) => result,
        None => {
            let file = crate::parse_owned(current);
            let result = lint(&file, &options.lint);
            current = file.into_source();
            result
        }
    };
    FixResult { text: current, applied, remaining: result.diagnostics, secrets: result.secrets, passes, changed }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(unsafe_fixes: bool) -> FixOptions {
        FixOptions { unsafe_fixes, ..FixOptions::default() }
    }

    #[test]
    fn applies_safe_fixes_and_keeps_the_rest_byte_identical() {
        let src =
            "# keep me\nFROM alpine:3.20\nRUN apk add curl=8 \\\n    # and me\n && pip install x==1\nCMD [\"x\"]\n";
        let r = fix(src, &opts(false));
        assert_eq!(
            r.text,
            "# keep me\nFROM alpine:3.20\nRUN apk add --no-cache curl=8 \\\n    # and me\n && pip install --no-cache-dir x==1\nCMD [\"x\"]\n"
        );
        let codes: Vec<&str> = r.applied.iter().map(|a| a.code).collect();
        assert!(codes.contains(&"DO322") && codes.contains(&"DO343"), "{codes:?}");
        assert_eq!(fix(&r.text, &opts(false)).applied, vec![], "a second run changes nothing");
        assert!(r.changed && !fix(&r.text, &opts(false)).changed);
    }

    #[test]
    fn a_fix_that_shows_no_text_finds_the_same_without_locating_secrets() {
        let src = "FROM alpine:3.20\nENV API_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a\nRUN apk add curl=8\n";
        let shown = fix(src, &opts(true));
        let unshown = fix_without_secrets(src, &opts(true));
        assert!(!shown.secrets.is_empty() && unshown.secrets.is_empty());
        assert_eq!((unshown.text, unshown.applied), (shown.text, shown.applied));
        assert_eq!(unshown.remaining, shown.remaining);
    }

    #[test]
    fn an_owned_text_is_fixed_as_a_borrowed_one_crlf_kept() {
        let src = "FROM alpine:3.20\r\nRUN apk add curl=8 && \\\r\n    pip install x==1\r\n";
        let owned = fix_owned(src.to_owned(), &opts(false));
        assert_eq!(owned.text, fix(src, &opts(false)).text);
        assert!(
            owned.changed && owned.text.contains("--no-cache curl") && !owned.text.replace("\r\n", "").contains('\n')
        );
        let clean = fix_owned(owned.text.clone(), &opts(false));
        assert_eq!((clean.changed, clean.text), (false, owned.text));
    }

    #[test]
    fn unsafe_fixes_need_opting_in() {
        let src = "FROM a:1\nCMD python app.py\n";
        assert_eq!(fix(src, &opts(false)).text, src);
        assert_eq!(fix(src, &opts(true)).text, "FROM a:1\nCMD [\"python\", \"app.py\"]\n");
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let a = Edit::replace(2..5, "x");
        assert!(touches(&a.range, &(4..6)));
        assert!(touches(&a.range, &(2..2)));
        assert!(!touches(&a.range, &(5..6)));
        // Two fixes on one apt-get line (-y and --no-install-recommends) both land.
        let src = "FROM debian:12\nRUN apt-get install curl=8 && rm -rf /var/lib/apt/lists/*\n";
        let r = fix(src, &opts(true));
        assert!(r.text.contains("-y") && r.text.contains("--no-install-recommends"), "{}", r.text);
    }

    proptest::proptest! {
        /// The indexed clash check answers as checking every taken edit would.
        #[test]
        fn taken_edits_answer_as_a_pairwise_check(
            fixes in proptest::collection::vec(proptest::collection::vec((0usize..40, 0usize..4), 1..3), 0..30)
        ) {
            let mut index = TakenEdits::default();
            let mut taken: Vec<Range<usize>> = Vec::new();
            for fix in fixes {
                // Each fix's edits sorted and disjoint, as `valid` requires.
                let mut at = 0;
                let edits: Vec<Edit> = fix.iter().map(|&(gap, len)| {
                    let e = Edit::delete(at + gap..at + gap + len);
                    at = e.range.end;
                    e
                }).collect();
                let pairwise = edits.iter().any(|n| taken.iter().any(|t| touches(t, &n.range)));
                proptest::prop_assert_eq!(edits.iter().any(|n| index.touch(n)), pairwise);
                if !pairwise {
                    index.add(&edits);
                    taken.extend(edits.iter().map(|e| e.range.clone()));
                }
            }
        }
    }

    #[test]
    fn edits_apply_in_order() {
        let e1 = Edit::replace(0..1, "A");
        let e2 = Edit::insert(3, "!");
        assert_eq!(apply_edits("abcd", &[&e1, &e2]), "Abc!d");
    }
}
