//! Any bytes: every rule runs (all selected, the native ShellCheck checks included) without
//! panicking, in bounded time, and reports ranges and fix edits that fit the text: inside it,
//! on character boundaries, edits sorted and not overlapping; applying any one fix gives text
//! that still parses into instructions (checked for the first FIXES_PARSED fixes: each check
//! parses the whole text again, which for an input with hundreds of fixes took the target past
//! libFuzzer's 10 s timeout while dockopt linted it in 31 ms).
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Fixes whose result is parsed again, per input.
const FIXES_PARSED: usize = 32;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = dockopt::decode(data) else { return };
    let df = dockopt::parse(text);
    let options = dockopt::lint::LintOptions { select: vec!["ALL".into()], ..Default::default() };
    let inside = |r: &std::ops::Range<usize>| {
        r.start <= r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    };
    let mut parsed = 0;
    for d in dockopt::lint::run(&df, &options).diagnostics {
        assert!(inside(&d.range), "{} reports {:?}", d.rule.code, d.range);
        let Some(fix) = &d.fix else { continue };
        let mut at = 0;
        for edit in &fix.edits {
            assert!(inside(&edit.range) && edit.range.start >= at, "{} fix edit {:?}", d.rule.code, edit.range);
            at = edit.range.end;
        }
        if parsed == FIXES_PARSED {
            continue;
        }
        parsed += 1;
        let mut fixed = text.to_owned();
        for edit in fix.edits.iter().rev() {
            fixed.replace_range(edit.range.clone(), &edit.content);
        }
        assert_eq!(dockopt::parse(&fixed).to_string(), fixed);
    }
});
