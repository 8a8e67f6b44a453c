//! Any bytes: decoding fails cleanly or parsing round-trips, with tokens covering the input
//! and each instruction's tokens, read on their own, the same as the file's; the model parsed straight (`model::parse`) is the one built from the syntax tree, the
//! model written as it is read (`model::streamed`, what `dockopt parse` prints) serializes
//! as that model does, and neither the model nor the BuildKit view panics (the rules have
//! their own target, lint).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = dockopt::decode(data) else { return };
    let df = dockopt::parse(text);
    assert_eq!(df.to_string(), text);
    let tokens = dockopt::syntax::tokens(text);
    let mut at = 0;
    for t in &tokens {
        assert!(t.start == at && t.end > t.start);
        at = t.end;
    }
    assert_eq!(at, text.len());
    let syntax = df.syntax();
    for ins in &syntax.instructions {
        let alone = dockopt::syntax::instruction_tokens(text, syntax.escape, ins.range.clone());
        assert!(alone.eq(tokens.starting_in(ins.range.clone())));
    }
    let model = df.model();
    assert_eq!(dockopt::model::parse(text), model);
    let streamed = serde_json::to_string(&dockopt::model::streamed(text)).unwrap();
    assert!(streamed == serde_json::to_string(&model).unwrap());
    let _ = df.buildkit_nodes();
});
