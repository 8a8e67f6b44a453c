//! Any bytes: decoding fails cleanly or parsing round-trips, with tokens covering the input,
//! and neither the model, the BuildKit view nor any lint rule panics or reports a range
//! outside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = dockopt::decode(data) else { return };
    let df = dockopt::parse(text);
    assert_eq!(df.to_string(), text);
    let mut at = 0;
    for t in &df.syntax().tokens {
        assert!(t.start == at && t.end > t.start);
        at = t.end;
    }
    assert_eq!(at, text.len());
    let _ = df.model();
    let _ = df.buildkit_nodes();
    let options = dockopt::lint::LintOptions { select: vec!["ALL".into()], ..Default::default() };
    for d in dockopt::lint::lint(&df, &options) {
        assert!(d.range.end <= text.len() && text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end));
    }
});
