//! Scripts already analysed on this thread, by text. Real projects repeat their RUN lines
//! across Dockerfiles (one per version or variant of an image), so each distinct script is
//! parsed, walked and checked once per thread and later copies only have their offsets moved.
//!
//! An entry holds the script in its own offsets (0 = the script's first byte). The native
//! checks also depend on the shell and on which variables the Dockerfile gives; an entry keeps
//! their findings with the variables the checks asked about and the answers they got, and is
//! reused only when the shell is the same and every one of those answers still holds.

use std::cell::RefCell;
use std::collections::HashMap;

use super::Script;
use super::checks::{Dialect, Finding};

/// Scripts longer than this are not kept: long scripts are rarely repeated word for word.
const MAX_SCRIPT_BYTES: usize = 64 << 10;

/// Text bytes the memo may hold before it is emptied: a bound on its memory (the analysis of a
/// script takes a small multiple of its text).
const MAX_HELD_BYTES: usize = 4 << 20;

/// The native checks' findings for one shell and one set of answers about variables.
pub(super) struct Checked {
    pub dialect: Dialect,
    /// The variables the checks asked about, with whether the Dockerfile gave them.
    pub asked: Vec<(Box<str>, bool)>,
    pub findings: Vec<Finding>,
}

pub(super) struct Entry {
    pub script: Script,
    pub checked: Vec<Checked>,
}

impl Entry {
    /// The findings recorded for `dialect` whose answers `given` would give again.
    pub fn findings(&self, dialect: Dialect, given: &dyn Fn(&str) -> bool) -> Option<&[Finding]> {
        self.checked
            .iter()
            .find(|c| c.dialect == dialect && c.asked.iter().all(|(name, was)| given(name) == *was))
            .map(|c| c.findings.as_slice())
    }
}

#[derive(Default)]
struct Memo {
    entries: HashMap<Box<str>, Entry>,
    held: usize,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::default();
}

/// Run `f` on the entry for `text`, if there is one.
pub(super) fn with<R>(text: &str, f: impl FnOnce(&Entry) -> R) -> Option<R> {
    MEMO.with(|memo| memo.borrow().entries.get(text).map(f))
}

/// Keep `script` (in the script's own offsets) as the analysis of `text`.
pub(super) fn keep_script(text: &str, script: &Script) {
    if text.len() > MAX_SCRIPT_BYTES {
        return;
    }
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if memo.held + text.len() > MAX_HELD_BYTES {
            *memo = Memo::default();
        }
        memo.held += text.len();
        let mut script = script.clone();
        script.findings.clear();
        memo.entries.entry(text.into()).or_insert(Entry { script, checked: Vec::new() });
    });
}

/// Add the checks' findings for `text` (kept before with [`keep_script`]).
pub(super) fn keep_findings(text: &str, checked: Checked) {
    MEMO.with(|memo| {
        if let Some(entry) = memo.borrow_mut().entries.get_mut(text) {
            entry.checked.push(checked);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::checks::{Dialect, Environment};
    use super::super::{analyze, analyze_checked};

    #[test]
    fn a_remembered_script_is_moved_to_where_each_copy_is() {
        let text = "apt-get install -y curl";
        let first = analyze(text, &|o| o);
        let second = analyze(text, &|o| o + 100);
        assert_eq!(first.commands[0].args[2].range, 19..23);
        assert_eq!(second.commands[0].args[2].range, 119..123);
        assert_eq!(second.commands[0].range, 100..123);
    }

    #[test]
    fn findings_are_reused_only_for_the_same_shell_and_the_same_variables() {
        let text = "echo $VERSION $HOME_DIR";
        let codes = |dialect, given: &dyn Fn(&str) -> bool| {
            let env = Environment { dialect, given };
            analyze_checked(text, &|o| o, &env)
                .findings
                .iter()
                .map(|f| (f.range.start, f.range.end))
                .collect::<Vec<_>>()
        };
        let none = |_: &str| false;
        let version = |name: &str| name == "VERSION";
        let both = |name: &str| name == "VERSION" || name == "HOME_DIR";
        assert_eq!(codes(Dialect::Sh, &none), [(5, 13), (14, 23)]);
        assert_eq!(codes(Dialect::Sh, &version), [(14, 23)]);
        assert!(codes(Dialect::Sh, &both).is_empty());
        assert_eq!(codes(Dialect::Sh, &none), [(5, 13), (14, 23)]);
        assert_eq!(codes(Dialect::Bash, &version), [(14, 23)]);
        // Unchecked analysis of the same text carries no findings.
        assert!(analyze(text, &|o| o).findings.is_empty());
    }

    #[test]
    fn the_memo_holds_a_bounded_amount_of_text() {
        let long = format!("echo {}", "x".repeat(super::MAX_SCRIPT_BYTES));
        analyze(&long, &|o| o);
        assert!(super::with(&long, |_| ()).is_none());
        for i in 0..(super::MAX_HELD_BYTES / 1000 + 10) {
            analyze(&format!("echo {i} {}", "y".repeat(1000)), &|o| o);
        }
        let held = super::MEMO.with(|m| m.borrow().held);
        assert!(held <= super::MAX_HELD_BYTES, "{held}");
    }
}
