//! Rendering findings for people and machines: human (code frames), json, sarif 2.1.0,
//! github (workflow commands), checkstyle, gitlab (Code Quality) and junit.

pub mod card;
mod human;
mod machine;
mod xml;

use std::ops::Range;

use crate::lint::{Diagnostic, Severity};
use crate::text::{LineIndex, Position};

pub use human::human;
pub use machine::{Finding, FindingFix, findings, github, gitlab, json, sarif};
pub use xml::{checkstyle, junit};

/// The findings of one file, with what is needed to show them.
pub struct FileReport<'a> {
    /// The path as the user gave it (`<stdin>` for standard input).
    pub path: &'a str,
    pub source: &'a str,
    pub diagnostics: &'a [Diagnostic],
    /// Byte ranges whose text must never be shown (secret values).
    pub redact: &'a [Range<usize>],
}

impl<'a> FileReport<'a> {
    /// The report of a lint of `source`.
    pub fn of_lint(path: &'a str, source: &'a str, result: &'a crate::lint::LintResult) -> Self {
        Self { path, source, diagnostics: &result.diagnostics, redact: &result.secrets }
    }

    /// The findings that remain in a fixed text.
    pub fn of_fix(path: &'a str, result: &'a crate::fix::FixResult) -> Self {
        Self { path, source: &result.text, diagnostics: &result.remaining, redact: &result.secrets }
    }
}

/// A finding with its positions worked out.
pub(crate) struct Located<'a> {
    pub d: &'a Diagnostic,
    pub start: Position,
    pub end: Position,
}

impl<'a> FileReport<'a> {
    pub(crate) fn located(&self) -> Vec<Located<'a>> {
        let index = LineIndex::new(self.source);
        self.diagnostics
            .iter()
            .map(|d| Located {
                d,
                start: index.position(self.source, d.range.start),
                end: index.position(self.source, d.range.end),
            })
            .collect()
    }
}

/// `text` with every redacted byte range replaced by `*` (one per character).
pub(crate) fn redacted(text: &str, offset: usize, redact: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let at = offset + i;
        if c != '\n' && redact.iter().any(|r| r.contains(&at)) {
            out.push('*');
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn level(severity: Severity) -> &'static str {
    severity.as_str()
}
