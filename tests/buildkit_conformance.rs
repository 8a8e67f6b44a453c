//! Conformance with BuildKit's parser over ../shared/corpus: BuildKit's own parser test
//! cases, its shell-lexer tables, and its reference parses of ~700 real Dockerfiles.
//!
//! The corpus is not part of this repository. When it is missing (or DOCKOPT_CORPUS points
//! nowhere) each test prints that it skipped and passes.

use std::fs;
use std::path::{Path, PathBuf};

use dockopt::buildkit;
use dockopt::words::Lexer;
use serde_json::Value;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("DOCKOPT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: corpus not found at {} (set DOCKOPT_CORPUS)", dir.display());
        None
    }
}

fn read(path: &Path) -> String {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    dockopt::decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display())).to_owned()
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    out.sort();
    out
}

#[test]
fn buildkit_testfiles_dump_equals_result() {
    let Some(corpus) = corpus() else { return };
    let cases = sorted_dirs(&corpus.join("buildkit/testfiles"));
    assert_eq!(cases.len(), 33);
    let mut failures = Vec::new();
    for case in &cases {
        let src = read(&case.join("Dockerfile"));
        let expected = read(&case.join("result"));
        let df = dockopt::parse(&src);
        assert!(df.syntax().errors.is_empty(), "{}: {:?}", case.display(), df.syntax().errors);
        let got = buildkit::dump_file(df.syntax());
        if got.trim_end() != expected.trim_end() {
            failures.push(format!("{}\n--- expected\n{expected}\n--- got\n{got}", case.display()));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
    println!("buildkit testfiles: {} of {} dumps equal", cases.len(), cases.len());
}

#[test]
fn buildkit_negative_cases_are_rejected_with_buildkit_messages() {
    let Some(corpus) = corpus() else { return };
    let expected = [
        ("empty_dockerfile", "file with no instructions"),
        ("env_no_value", "ENV must have two arguments"),
        ("only_comments", "file with no instructions"),
        ("shykes-nested-json", "when using JSON array syntax, arrays must be comprised of strings only"),
    ];
    let cases = sorted_dirs(&corpus.join("buildkit/testfiles-negative"));
    assert_eq!(cases.len(), expected.len());
    for (name, message) in expected {
        let src = read(&corpus.join("buildkit/testfiles-negative").join(name).join("Dockerfile"));
        let rejection = dockopt::parse(&src).buildkit_nodes().expect_err(name);
        assert_eq!(rejection.message, message, "{name}");
    }
}

#[test]
fn buildkit_testfile_line_ranges() {
    let Some(corpus) = corpus() else { return };
    let df = dockopt::parse(&read(&corpus.join("buildkit/testfile-line/Dockerfile")));
    let ins = &df.syntax().instructions;
    assert_eq!(ins.first().map(|i| i.start_line), Some(5));
    assert_eq!(ins.last().map(|i| i.end_line), Some(31));
    let ranges: Vec<(usize, usize)> = ins.iter().map(|i| (i.start_line as usize, i.end_line as usize)).collect();
    assert_eq!(ranges, vec![(5, 5), (11, 12), (17, 31)]);
}

/// One line of BuildKit's reference parses, compared field by field.
fn compare_oracle_row(corpus: &Path, row: &Value) -> Vec<String> {
    let path = row["path"].as_str().unwrap();
    let src = read(&corpus.join(path));
    let df = dockopt::parse(&src);
    let mut diffs = Vec::new();
    match (row["ok"].as_bool().unwrap(), df.buildkit_nodes()) {
        (true, Ok(nodes)) => {
            let expected = row["commands"].as_array().unwrap();
            if expected.len() != nodes.len() {
                diffs.push(format!("{path}: {} instructions, BuildKit has {}", nodes.len(), expected.len()));
                return diffs;
            }
            for ((want, got), ins) in expected.iter().zip(&nodes).zip(&df.syntax().instructions) {
                let got_json = serde_json::to_value(got).unwrap();
                for field in
                    ["cmd", "sub_cmd", "json", "original", "start_line", "end_line", "flags", "value", "heredocs"]
                {
                    if want[field] != got_json[field] {
                        diffs.push(format!(
                            "{path}:{} {field}: want {} got {}",
                            got.start_line, want[field], got_json[field]
                        ));
                    }
                }
                let dump = format!("({})", buildkit::dump(ins));
                if want["dump"].as_str() != Some(dump.as_str()) {
                    diffs.push(format!("{path}:{} dump: want {} got {dump}", got.start_line, want["dump"]));
                }
            }
            let warnings: Vec<&str> =
                row["warnings"].as_array().unwrap().iter().map(|w| w["short"].as_str().unwrap()).collect();
            let ours: Vec<&str> = df.syntax().warnings.iter().map(|w| w.message.as_str()).collect();
            if warnings != ours {
                diffs.push(format!("{path}: warnings: want {warnings:?} got {ours:?}"));
            }
        }
        (false, Err(rejection)) => {
            if row["error"].as_str() != Some(rejection.message.as_str()) {
                diffs.push(format!("{path}: error: want {} got {}", row["error"], rejection.message));
            }
        }
        (true, Err(rejection)) => diffs.push(format!("{path}: rejected ({}), BuildKit accepts", rejection.message)),
        (false, Ok(_)) => diffs.push(format!("{path}: accepted, BuildKit rejects: {}", row["error"])),
    }
    diffs
}

#[test]
fn buildkit_reference_parses_match_on_every_field() {
    let Some(corpus) = corpus() else { return };
    let oracle = read(&corpus.join("oracle-buildkit-head.jsonl"));
    let rows: Vec<Value> = oracle.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(rows.len() >= 696, "oracle has {} rows", rows.len());
    let mut diffs = Vec::new();
    let mut commands = 0;
    for row in &rows {
        commands += row["commands"].as_array().map_or(0, Vec::len);
        diffs.extend(compare_oracle_row(&corpus, row));
    }
    let shown: Vec<&String> = diffs.iter().take(40).collect();
    assert!(diffs.is_empty(), "{} differences over {} files:\n{shown:#?}", diffs.len(), rows.len());
    println!("BuildKit reference: {} files, {commands} instructions, 0 differences", rows.len());
}

/// `(mode, input, expected)` lines of a BuildKit lexer table.
fn table(path: &Path) -> Vec<String> {
    read(path).lines().map(str::to_owned).collect()
}

#[test]
fn buildkit_env_var_table() {
    let Some(corpus) = corpus() else { return };
    let env = vec![("PWD", "/home"), ("SHELL", "bash"), ("KOREAN", "한국어"), ("NULL", "")];
    let lexer = Lexer::default();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (n, line) in table(&corpus.join("buildkit/shell/envVarTest")).iter().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.trim().split('|').collect();
        assert_eq!(parts.len(), 3, "line {}: {line}", n + 1);
        let (mode, input, expected) = (parts[0].trim(), parts[1].trim(), parts[2].trim());
        if mode == "W" {
            continue;
        }
        checked += 1;
        match (lexer.process_word(input, &env), expected) {
            (Err(_), "error") => {}
            (Ok(got), want) if got == want => {}
            (got, want) => failures.push(format!("line {}: {input:?}: want {want:?}, got {got:?}", n + 1)),
        }
    }
    assert!(failures.is_empty(), "{} of {checked} failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > 200, "only {checked} cases");
}

#[test]
fn buildkit_words_table() {
    let Some(corpus) = corpus() else { return };
    let lexer = Lexer::default();
    let mut env: Vec<(String, String)> = Vec::new();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (n, line) in table(&corpus.join("buildkit/shell/wordsTest")).iter().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(def) = line.strip_prefix("ENV ") {
            let (k, v) = def.trim_start_matches(' ').split_once('=').unwrap_or((def, ""));
            env.push((k.to_owned(), v.to_owned()));
            continue;
        }
        let parts: Vec<&str> = line.split('|').collect();
        assert_eq!(parts.len(), 2, "line {}: {line}", n + 1);
        let input = parts[0].trim();
        let expected: Vec<String> = parts[1].trim_start_matches(' ').split(',').map(str::to_owned).collect();
        checked += 1;
        let got = lexer.process_words(input, &env).unwrap_or_else(|_| vec!["error".to_owned()]);
        if got != expected {
            failures.push(format!("line {}: {input:?}: want {expected:?}, got {got:?}", n + 1));
        }
    }
    assert!(failures.is_empty(), "{} of {checked} failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 24, "only {checked} cases");
}

/// Every corpus Dockerfile, as (relative path, text).
fn corpus_files(corpus: &Path) -> Vec<(String, String)> {
    let oracle = read(&corpus.join("oracle-buildkit-head.jsonl"));
    oracle
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["path"].as_str().unwrap().to_owned())
        .map(|p| {
            let text = read(&corpus.join(&p));
            (p, text)
        })
        .collect()
}

/// The file's tokens cover it exactly, each instruction's tokens read on their own are the
/// file's tokens in its range, and the file prints back as it was.
fn assert_tokens_cover(name: &str, src: &str) {
    let df = dockopt::parse(src);
    let tokens = dockopt::syntax::tokens(src);
    let mut at = 0;
    for t in &tokens {
        assert!(t.start == at && t.end > t.start, "{name}: token {t:?} does not continue at {at}");
        at = t.end;
    }
    assert_eq!(at, src.len(), "{name}: tokens end at {at} of {}", src.len());
    let syntax = df.syntax();
    for ins in &syntax.instructions {
        let alone: Vec<_> = dockopt::syntax::instruction_tokens(src, syntax.escape, ins.range.clone()).collect();
        let in_file: Vec<_> = tokens.starting_in(ins.range.clone()).collect();
        assert_eq!(alone, in_file, "{name}: the tokens of the instruction at {:?}", ins.range);
    }
    assert_eq!(df.to_string(), src, "{name}: round trip");
}

#[test]
fn round_trip_on_corpus_and_crlf_and_bom_variants() {
    let Some(corpus) = corpus() else { return };
    let files = corpus_files(&corpus);
    for (path, src) in &files {
        assert_tokens_cover(path, src);
        let crlf = src.replace('\n', "\r\n");
        assert_tokens_cover(&format!("{path} (CRLF)"), &crlf);
        let bom = format!("\u{feff}{src}");
        assert_tokens_cover(&format!("{path} (BOM)"), &bom);

        // BuildKit reads CRLF and BOM files like the plain ones (heredoc bodies keep their
        // bytes, so compare only instructions without heredocs).
        let plain = dockopt::parse(src).buildkit_nodes();
        for variant in [&crlf, &bom] {
            let other = dockopt::parse(variant).buildkit_nodes();
            match (&plain, &other) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.len(), b.len(), "{path}");
                    for (x, y) in a.iter().zip(b).filter(|(x, _)| x.heredocs.is_empty()) {
                        assert_eq!(x, y, "{path}");
                    }
                }
                (Err(a), Err(b)) => assert_eq!(a.message, b.message, "{path}"),
                _ => panic!("{path}: variant changes acceptance"),
            }
        }
    }
    println!("round trip: {} files x 3 variants", files.len());
}
