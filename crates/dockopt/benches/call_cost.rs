//! The core's cost of one `lint` and one `parse` call per file, for comparison with the same
//! calls through the Python and Node bindings (scripts/bench-bindings runs all three on the
//! same files). A lint call is what every binding does before converting: parse, lint, and
//! locate the findings; a parse call builds the model.
//!
//! Usage: cargo bench -p dockopt --bench call_cost -- FILE...   (prints JSON lines)

use std::time::Instant;

/// Nanoseconds per call of `f`: the fastest of three rounds, each long enough (>= 2 ms) to
/// make the clock's resolution negligible.
fn per_call(mut f: impl FnMut() -> usize) -> f64 {
    let started = Instant::now();
    std::hint::black_box(f());
    let once = started.elapsed().as_nanos().max(1);
    let reps = (2_000_000 / once).clamp(3, 10_000) as usize;
    (0..3)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..reps {
                std::hint::black_box(f());
            }
            started.elapsed().as_nanos() as f64 / reps as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let options = dockopt::lint::LintOptions::default();
    for path in std::env::args().skip(1).filter(|a| a != "--bench") {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let lint = || {
            let result = dockopt::lint::run(&dockopt::parse(&text), &options);
            let report = dockopt::output::FileReport::of_lint("<string>", &text, &result);
            dockopt::output::findings(&report).len()
        };
        let findings = lint();
        let lint_ns = per_call(lint);
        let parse_ns = per_call(|| dockopt::parse(&text).model().instructions.len());
        println!(
            "{}",
            serde_json::json!({"file": path, "bytes": text.len(), "findings": findings, "lint_ns": lint_ns, "parse_ns": parse_ns})
        );
    }
}
