//! Any bytes: decoding fails cleanly or parsing round-trips, with tokens covering the input;
//! the model parsed straight (`model::parse`) is the one built from the syntax tree, the
//! model written as it is read (`model::streamed`, what `dockopt parse` prints) serializes
//! as that model does, and neither the model nor the BuildKit view panics (the rules have
//! their own target, lint).
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
    let model = df.model();
    assert_eq!(dockopt::model::parse(text), model);
    let streamed = serde_json::to_string(&dockopt::model::streamed(text)).unwrap();
    assert!(streamed == serde_json::to_string(&model).unwrap());
    let _ = df.buildkit_nodes();
});
