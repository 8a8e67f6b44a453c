//! Helpers for rule tests: run one rule on a snippet and look at what it found.

use super::{Context, Diagnostic, LintOptions, lint};

/// `f` of the lint context of `src` (default options), for tests of what rules build on.
pub(crate) fn with_context<T>(src: &str, f: impl FnOnce(&Context) -> T) -> T {
    let file = crate::parse(src);
    let model = file.model();
    let options = LintOptions::default();
    f(&Context::new(src, file.syntax(), &model, &options))
}

/// Findings of the rule `code` (selected alone) on `src`.
pub(crate) fn check(code: &str, src: &str) -> Vec<Diagnostic> {
    let options = LintOptions { select: vec![code.to_owned()], ..LintOptions::default() };
    lint(&crate::parse(src), &options).into_iter().filter(|d| d.rule.code == code).collect()
}

/// `(line, text at the range)` of each finding, for compact assertions.
pub(crate) fn hits(code: &str, src: &str) -> Vec<(usize, String)> {
    let index = crate::text::LineIndex::new(src);
    check(code, src)
        .iter()
        .map(|d| (index.position(src, d.range.start).line as usize, src[d.range.clone()].to_owned()))
        .collect()
}

/// `(line, text)` of the findings of `code` on `src` with hadolint's label schema configured.
pub(crate) fn hits_with_schema(
    code: &str,
    src: &str,
    schema: &[(&str, crate::lint::labels::LabelFormat)],
) -> Vec<(usize, String)> {
    let options = LintOptions {
        select: vec![code.to_owned()],
        label_schema: schema.iter().map(|(k, f)| ((*k).to_owned(), *f)).collect(),
        ..LintOptions::default()
    };
    let index = crate::text::LineIndex::new(src);
    lint(&crate::parse(src), &options)
        .iter()
        .filter(|d| d.rule.code == code)
        .map(|d| (index.position(src, d.range.start).line as usize, src[d.range.clone()].to_owned()))
        .collect()
}

/// Assert the rule reports nothing.
#[track_caller]
pub(crate) fn assert_clean(code: &str, src: &str) {
    let found = hits(code, src);
    assert!(found.is_empty(), "{code} should not fire on:\n{src}\nbut found {found:?}");
}

/// `src` with the fix of the first finding of `code` applied; `None` when there is no
/// finding or it has no fix.
pub(crate) fn fixed(code: &str, src: &str) -> Option<String> {
    let fix = check(code, src).into_iter().next()?.fix?;
    Some(crate::fix::apply_edits(src, &fix.edits.iter().collect::<Vec<_>>()))
}
