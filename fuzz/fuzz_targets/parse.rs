//! Any bytes: decoding fails cleanly or parsing round-trips, with tokens covering the input;
//! the model parsed straight (`model::parse`) is the one built from the syntax tree, and
//! neither the model nor the BuildKit view panics (the rules have their own target, lint).
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
    assert_eq!(dockopt::model::parse(text), df.model());
    let _ = df.buildkit_nodes();
});
