use super::*;

fn run(text: &str) -> Report {
    analyze(text, &AnalyzeOptions::default())
}

#[test]
fn placeholder_compiles() {
    let r = run("FROM python:3.12-slim\nRUN pip install flask\nCMD [\"flask\"]\n");
    assert!(r.image.size_bytes > 0);
}
