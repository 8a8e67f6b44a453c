//! Snapshot tests of `optimize`, one transform at a time, on the fixtures in
//! tests/fixtures/optimize/<transform>/. Each fixture runs with only its transform switched on;
//! its name says what must happen, which is asserted besides the snapshot:
//! - `applies-*`: the text changes, every change names the transform, and the result parses;
//! - `unchanged-*`: the text stays byte for byte, with no change and no skip reason;
//! - `skipped-*`: the text stays byte for byte, and a reason is given.
//!
//! A directory `<case>.context/` next to a fixture is its build context; a name containing
//! `buildkit` turns on BuildKit-only syntax, `cache-mounts` BuildKit cache mounts, `alpine-option` the Alpine base. Review new snapshots with `cargo insta review`.

use std::fmt::Write as _;
use std::path::Path;

use dockopt::optimize::{OptimizeOptions, Optimized, TRANSFORMS, optimize};

fn options(path: &Path, transform: &str) -> OptimizeOptions {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let context = path.with_file_name(format!("{stem}.context"));
    OptimizeOptions {
        context: context.is_dir().then_some(context),
        disabled: TRANSFORMS.iter().filter(|t| **t != transform).map(|t| (*t).to_owned()).collect(),
        buildkit: stem.contains("buildkit"),
        cache_mounts: stem.contains("cache-mounts"),
        alpine: stem.contains("alpine-option"),
        ..OptimizeOptions::default()
    }
}

/// What a reviewer reads: the changes, the skip reasons, what the image needs, the new text.
fn render(out: &Optimized) -> String {
    let mut s = String::new();
    for c in &out.changes {
        let _ = writeln!(s, "change: {} [{}]\n  why: {}", c.title, c.rules.join(", "), c.why);
    }
    for k in &out.skipped {
        let _ = writeln!(s, "skipped: {}", k.reason);
    }
    for r in &out.requirements {
        let _ = writeln!(s, "requires: {r}");
    }
    if let Some(ignore) = &out.dockerignore {
        let _ = writeln!(s, "--- .dockerignore\n{ignore}");
    }
    let _ = write!(s, "--- Dockerfile\n{}", out.text);
    s
}

#[test]
fn each_transform_with_and_without_its_trigger() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/optimize");
    let mut seen = std::collections::BTreeSet::new();
    insta::glob!("fixtures/optimize/*/*.Dockerfile", |path| {
        let transform = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap();
        assert!(TRANSFORMS.contains(&transform), "{}: no transform named {transform}", path.display());
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap();
        let input = std::fs::read_to_string(path).unwrap();
        let out = optimize(&input, &options(path, transform));
        let kind = stem.split('-').next().unwrap();
        match kind {
            "applies" => {
                assert!(out.text != input || out.dockerignore.is_some(), "{stem}: expected a change\n{}", render(&out));
                assert!(out.changes.iter().all(|c| c.transform == transform) && !out.changes.is_empty());
                assert!(dockopt::parse(&out.text).syntax().errors.is_empty(), "{stem}: result does not parse");
                let again = optimize(&out.text, &options(path, transform));
                assert_eq!(again.text, out.text, "{stem}: a second run changed the text");
            }
            "unchanged" => {
                assert_eq!(out.text, input, "{stem}");
                assert!(out.changes.is_empty() && out.skipped.is_empty(), "{stem}: {}", render(&out));
            }
            "skipped" => {
                assert_eq!(out.text, input, "{stem}");
                assert!(out.skipped.iter().any(|s| s.transform == transform), "{stem}: no reason given");
            }
            other => panic!("{stem}: fixture names start with applies-, unchanged- or skipped-, not {other}-"),
        }
        seen.insert((transform.to_owned(), kind.to_owned()));
        insta::assert_snapshot!(render(&out));
    });
    // Every transform has a case where it applies and one where it does not.
    assert!(root.is_dir());
    for t in TRANSFORMS {
        assert!(seen.contains(&(t.to_owned(), "applies".to_owned())), "{t}: no applies- fixture");
        let quiet = seen.contains(&(t.to_owned(), "unchanged".to_owned()))
            || seen.contains(&(t.to_owned(), "skipped".to_owned()));
        assert!(quiet, "{t}: no unchanged- or skipped- fixture");
    }
}

/// The whole pipeline on every bundled example (the Dockerfiles the e2e harness builds): the
/// output parses, is stable, runs as a non-root user and holds none of the naive file's secret
/// values. `.dockerignore` is left out: it depends on what the checkout holds.
#[test]
fn every_example_end_to_end() {
    insta::glob!("../examples", "*/Dockerfile", |path| {
        let input = std::fs::read_to_string(path).unwrap();
        let options = OptimizeOptions {
            context: path.parent().map(Path::to_path_buf),
            disabled: vec!["dockerignore".into()],
            ..OptimizeOptions::default()
        };
        let out = optimize(&input, &options);
        let file = dockopt::parse(&out.text);
        assert!(file.syntax().errors.is_empty(), "{}", out.text);
        assert_eq!(optimize(&out.text, &options).text, out.text, "a second run changed {}", path.display());
        let model = file.model();
        let last = model.stages.last().unwrap();
        let user = last.instructions.iter().rev().map(|&i| &model.instructions[i]).find(|i| i.keyword == "USER");
        assert!(user.is_some_and(|u| u.arguments[0] != "root"), "{}: no USER", path.display());
        let naive = dockopt::parse(&input);
        for pair in naive.model().instructions.iter().filter(|i| i.keyword == "ENV").flat_map(|i| i.pairs.clone()) {
            let value = pair.value.unwrap_or_default();
            assert!(
                value.len() < 8 || !out.text.contains(&*value),
                "{}: the value of {} is still there",
                path.display(),
                pair.key
            );
        }
        insta::assert_snapshot!(render(&out));
    });
}
