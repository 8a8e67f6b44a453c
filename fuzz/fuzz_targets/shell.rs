//! Any UTF-8 text as a shell script: the sh/bash parser and the analysis built on it never
//! panic, and their ranges fit (`dockopt::shell::check_invariants`): every node inside its
//! parent and the text, on character boundaries, after its previous sibling; the commands,
//! words and native ShellCheck findings of `analyze` inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    dockopt::shell::check_invariants(text);
});
