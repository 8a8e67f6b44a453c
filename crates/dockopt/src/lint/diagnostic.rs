//! Findings and the edits that fix them.

use std::borrow::Cow;
use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

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

/// What a finding says: the same text for every finding of its rule, or text written for
/// this finding, which it shares with the rule's recent findings that say the same (a file
/// that repeats one mistake on every line holds the message once, not once per line).
/// Compared, ordered and hashed as its text, however it is held.
#[derive(Clone)]
pub enum Message {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Message {
    pub fn as_str(&self) -> &str {
        match self {
            Message::Static(text) => text,
            Message::Shared(text) => text,
        }
    }
}

impl Deref for Message {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Message {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl From<&'static str> for Message {
    fn from(text: &'static str) -> Self {
        Message::Static(text)
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::Shared(text.into())
    }
}

impl From<Cow<'static, str>> for Message {
    fn from(text: Cow<'static, str>) -> Self {
        match text {
            Cow::Borrowed(text) => Message::Static(text),
            Cow::Owned(text) => text.into(),
        }
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Message {}

impl std::hash::Hash for Message {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for Message {
    fn partial_cmp(&self, other: &Message) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Message {
    fn cmp(&self, other: &Message) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: Message,
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
    /// The last messages written for this rule's findings, to share (see [`Message`]).
    recent: Recent,
}

/// The last [`Recent::KEPT`] messages written, oldest replaced first. A rule that repeats a
/// message repeats it from one instruction to the next, or within a short cycle; a set of
/// them all cost a hash of every message, 0.7% of a lint of the real-world files.
#[derive(Default)]
struct Recent {
    texts: Vec<Arc<str>>,
    next: usize,
}

impl Recent {
    const KEPT: usize = 8;

    /// `text`, shared with an earlier message that says the same if there is one.
    fn share(&mut self, text: String) -> Arc<str> {
        if let Some(same) = self.texts.iter().find(|t| t.len() == text.len() && ***t == *text) {
            return same.clone();
        }
        let text: Arc<str> = text.into();
        if self.texts.len() < Self::KEPT {
            self.texts.push(text.clone());
        } else {
            self.texts[self.next] = text.clone();
            self.next = (self.next + 1) % Self::KEPT;
        }
        text
    }
}

impl Reporter {
    /// A reporter that adds the rule's findings to `found`.
    pub(crate) fn appending(rule: &'static RuleMeta, found: Vec<Diagnostic>) -> Self {
        Self { rule, found, recent: Recent::default() }
    }

    /// Report a finding at `range`; the returned diagnostic can take a fix.
    pub fn report(&mut self, range: Range<usize>, message: impl Into<Cow<'static, str>>) -> &mut Diagnostic {
        let message = match message.into() {
            Cow::Borrowed(text) => Message::Static(text),
            Cow::Owned(text) => Message::Shared(self.recent.share(text)),
        };
        self.found.push(Diagnostic { rule: self.rule, severity: self.rule.severity, message, range, fix: None });
        self.found.last_mut().expect("just pushed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rules_findings_that_say_the_same_share_their_message() {
        let rule = crate::lint::rules().next().expect("a rule");
        let mut out = Reporter::appending(rule, Vec::new());
        for package in ["gcc", "make", "gcc"] {
            out.report(0..1, format!("pin `{package}`"));
        }
        out.report(0..1, "the same for every finding");
        let texts: Vec<&str> = out.found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(texts, ["pin `gcc`", "pin `make`", "pin `gcc`", "the same for every finding"]);
        let shared = |i: usize| match &out.found[i].message {
            Message::Shared(text) => text.clone(),
            Message::Static(_) => panic!("finding {i}'s message was written for it"),
        };
        assert!(Arc::ptr_eq(&shared(0), &shared(2)), "one text for both");
        assert!(!Arc::ptr_eq(&shared(0), &shared(1)));
        assert!(matches!(out.found[3].message, Message::Static(_)));
        // Past the messages kept, a repeat gets its own text, which says the same.
        let mut out = Reporter::appending(rule, Vec::new());
        for i in (0..=Recent::KEPT).chain([0]) {
            out.report(0..1, format!("pin `p{i}`"));
        }
        let (first, last) = (&out.found[0].message, &out.found[Recent::KEPT + 1].message);
        assert_eq!(first, last);
        assert!(matches!((first, last), (Message::Shared(a), Message::Shared(b)) if !Arc::ptr_eq(a, b)));
        // However it is held, a message is its text.
        let (held, written) = (Message::Static("pin `x`"), Message::from(String::from("pin `x`")));
        assert_eq!(held, written);
        assert_eq!(held.cmp(&written), std::cmp::Ordering::Equal);
        assert_eq!(std::collections::HashSet::from([held, written]).len(), 1);
    }
}
