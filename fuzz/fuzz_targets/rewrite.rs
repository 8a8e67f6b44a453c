//! Any text: `fix --unsafe` and `optimize` never panic, never add BuildKit rejections, and a
//! second run changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn errors(text: &str) -> usize {
    dockopt::parse(text).syntax().errors.len()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = dockopt::decode(data) else { return };
    let before = errors(text);

    let fix_options = dockopt::fix::FixOptions { unsafe_fixes: true, ..Default::default() };
    let fixed = dockopt::fix::fix(text, &fix_options);
    assert!(errors(&fixed.text) <= before, "fix added parse errors");
    assert_eq!(dockopt::fix::fix(&fixed.text, &fix_options).text, fixed.text, "fix is not stable");

    let options = dockopt::optimize::OptimizeOptions { buildkit: true, ..Default::default() };
    let once = dockopt::optimize::optimize(text, &options);
    assert!(errors(&once.text) <= before, "optimize added parse errors");
    assert_eq!(dockopt::optimize::optimize(&once.text, &options).text, once.text, "optimize is not stable");
});
