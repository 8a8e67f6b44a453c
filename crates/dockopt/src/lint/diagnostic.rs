//! Findings and the edits that fix them.

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use super::{RuleMeta, Severity};

/// Whether applying a fix keeps the Dockerfile's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// Replace `range` of the source with `content`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: Range<usize>,
    /// Not copied when it is the same text for every fix of its rule.
    pub content: Cow<'static, str>,
}

impl Edit {
    pub fn replace(range: Range<usize>, content: impl Into<Cow<'static, str>>) -> Self {
        Self { range, content: content.into() }
    }

    pub fn insert(at: usize, content: impl Into<Cow<'static, str>>) -> Self {
        Self { range: at..at, content: content.into() }
    }

    pub fn delete(range: Range<usize>) -> Self {
        Self { range, content: Cow::Borrowed("") }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: Cow<'static, str>,
    pub applicability: Applicability,
    /// Non-overlapping, sorted by position. (A boxed slice, 8 bytes less than a list, as a
    /// finding's fix is held until the findings are written.)
    pub edits: Box<[Edit]>,
}

impl Fix {
    pub fn safe(title: impl Into<Cow<'static, str>>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_(title: impl Into<Cow<'static, str>>, edits: Vec<Edit>) -> Self {
        Self::new(title, Applicability::Unsafe, edits)
    }

    fn new(title: impl Into<Cow<'static, str>>, applicability: Applicability, mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Self { title: title.into(), applicability, edits: edits.into_boxed_slice() }
    }
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    /// Not copied when it is the same for every finding of its rule.
    pub message: Cow<'static, str>,
    /// Byte range in the source.
    pub range: Range<usize>,
    /// Boxed: most findings have none, and a finding is then 64 bytes, not 104 (a file with a
    /// finding per instruction holds hundreds of thousands). Set it with [`Diagnostic::set_fix`].
    pub fix: Option<Box<Fix>>,
}

// Held for every finding until the findings are written.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Diagnostic>() <= 64);

impl PartialEq for RuleMeta {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for RuleMeta {}

impl Diagnostic {
    pub fn code(&self) -> &'static str {
        self.rule.code
    }

    /// Give the finding `fix` (a [`Fix`] or an `Option<Fix>`).
    pub fn set_fix(&mut self, fix: impl Into<Option<Fix>>) {
        self.fix = fix.into().map(Box::new);
    }
}

/// Collects the findings of the rule being run.
pub struct Reporter {
    rule: &'static RuleMeta,
    pub(crate) found: Vec<Diagnostic>,
}

impl Reporter {
    /// A reporter that adds the rule's findings to `found`.
    pub(crate) fn appending(rule: &'static RuleMeta, found: Vec<Diagnostic>) -> Self {
        Self { rule, found }
    }

    /// Report a finding at `range`; the returned diagnostic can take a fix.
    pub fn report(&mut self, range: Range<usize>, message: impl Into<Cow<'static, str>>) -> &mut Diagnostic {
        let mut message = message.into();
        // `format!` leaves room, up to as much again as the text, and a finding keeps its
        // message until the findings are written.
        if let Cow::Owned(text) = &mut message {
            text.shrink_to_fit();
        }
        self.found.push(Diagnostic { rule: self.rule, severity: self.rule.severity, message, range, fix: None });
        self.found.last_mut().expect("just pushed")
    }
}
