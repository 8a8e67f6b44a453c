//! dockopt's own ShellCheck checks (`shell::checks`) against the shellcheck binary on the
//! real-world Dockerfiles of ../shared/corpus: same code, same file, same byte range.
//!
//! Needs the corpus and a shellcheck binary (`DOCKOPT_SHELLCHECK`, else `shellcheck` on PATH;
//! scripts/test installs one). Without either the test says so and checks nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use dockopt::lint::shellcheck::{Shellcheck, on_path};
use dockopt::lint::{LintOptions, rules, run};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("DOCKOPT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    let dir = dir.join("realworld");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: corpus not found at {} (set DOCKOPT_CORPUS)", dir.display());
        None
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "MANIFEST.tsv") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// (code, file, start, end) of the findings of the natively checked codes.
type Found = BTreeSet<(String, String, usize, usize)>;

fn findings(path: &Path, text: &str, options: &LintOptions, codes: &[&str]) -> Found {
    let file = dockopt::parse(text);
    run(&file, options)
        .diagnostics
        .into_iter()
        .filter(|d| codes.contains(&d.rule.code))
        .map(|d| (d.rule.code.to_owned(), path.display().to_string(), d.range.start, d.range.end))
        .collect()
}

#[test]
fn native_checks_agree_with_the_binary() {
    let Some(dir) = corpus() else { return };
    let Some(binary) = std::env::var_os("DOCKOPT_SHELLCHECK").map(PathBuf::from).or_else(on_path) else {
        eprintln!("SKIPPED: no shellcheck binary (PATH or DOCKOPT_SHELLCHECK)");
        return;
    };
    let codes: Vec<&str> = rules().map(|r| r.code).filter(|c| c.starts_with("SC")).collect();
    let select: Vec<String> = codes.iter().map(|c| (*c).to_owned()).collect();
    let native_options = LintOptions { select: select.clone(), ..LintOptions::default() };
    let binary_options = LintOptions {
        select,
        shellcheck: Shellcheck::Binary(binary),
        shellcheck_binary_only: true,
        ..LintOptions::default()
    };
    let (mut native, mut reference) = (Found::new(), Found::new());
    for path in files(&dir) {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        native.extend(findings(&path, &text, &native_options, &codes));
        reference.extend(findings(&path, &text, &binary_options, &codes));
    }
    // Per code: (binary, native, both).
    let mut table: BTreeMap<&str, (usize, usize, usize)> = codes.iter().map(|c| (*c, (0, 0, 0))).collect();
    for f in &reference {
        table.get_mut(f.0.as_str()).unwrap().0 += 1;
    }
    for f in &native {
        let row = table.get_mut(f.0.as_str()).unwrap();
        row.1 += 1;
        row.2 += usize::from(reference.contains(f));
    }
    eprintln!("code    binary  native  both  only-binary  only-native");
    let mut failures = Vec::new();
    for (code, (b, n, both)) in &table {
        let differ = (b - both) + (n - both);
        eprintln!("{code}  {b:>6}  {n:>6}  {both:>4}  {:>11}  {:>11}", b - both, n - both);
        // At most 1% of the binary's findings may differ.
        if differ * 100 > *b {
            failures.push(*code);
        }
    }
    for f in reference.symmetric_difference(&native).take(40) {
        let side = if reference.contains(f) { "only binary" } else { "only native" };
        eprintln!("{side}: {} {}:{}..{}", f.0, f.1, f.2, f.3);
    }
    assert!(failures.is_empty(), "more than 1% differ for {failures:?}");
}
