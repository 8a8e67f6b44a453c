//! hadolint's own rule tests, ported as fixtures (tests/fixtures/hadolint/DLxxxx.toml): for each
//! case, dockopt's rules whose `upstream` names `hadolint:DLxxxx` must report iff hadolint does.
//!
//! The cases dockopt deliberately decides otherwise are listed, one line each, in
//! docs/hadolint-differences.md under "Cases of hadolint's own rule tests that dockopt decides
//! differently": `- **DLxxxx** \`part of the case's Dockerfile\` ...: reason`. A line covers
//! every case of that rule whose Dockerfile contains the quoted text, where `\n` in the quote
//! stands for a line break and `ONBUILD ` is left out of the Dockerfile (so one line covers a case
//! and its ONBUILD variant). The test fails on a disagreement no line covers, on a covered case
//! that agrees, and on a line that covers nothing, so the document and the fixtures cannot drift
//! apart.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dockopt::config::Config;
use dockopt::lint::{LintOptions, lint, rules};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    id: String,
    /// Where hadolint's test states the case (`DLxxxxSpec.hs:line`).
    #[allow(dead_code)]
    source: String,
    /// Whether hadolint reports the rule.
    hadolint: bool,
    /// How many times hadolint reports it, where its test says so exactly.
    count: Option<usize>,
    /// Taken from an `onBuildRuleCatches*` test: hadolint's RUNs wrapped in ONBUILD.
    #[serde(default)]
    #[allow(dead_code)]
    onbuild: bool,
    /// hadolint's snippet had no FROM; one was put before it.
    #[serde(default)]
    #[allow(dead_code)]
    from_added: bool,
    /// dockopt configuration (the keys of dockopt.toml) standing for hadolint's.
    config: Option<toml::Table>,
    dockerfile: String,
}

/// One listed difference: the rule code and the quoted part of the Dockerfile.
struct Listed {
    code: String,
    quote: String,
    line: usize,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn listed_differences() -> Vec<Listed> {
    const SECTION: &str = "## Cases of hadolint's own rule tests that dockopt decides differently";
    let text = std::fs::read_to_string(root().join("docs/hadolint-differences.md")).unwrap();
    let start = text.find(SECTION).expect("docs/hadolint-differences.md lacks the section of rule-test cases");
    let first_line = text[..start].lines().count() + 1;
    let mut listed = Vec::new();
    for (n, line) in text[start..].lines().enumerate().skip(1) {
        if line.starts_with("## ") {
            break;
        }
        let Some(rest) = line.strip_prefix("- **") else { continue };
        let (code, rest) = rest.split_once("**").expect("a listed difference starts with - **DLxxxx**");
        let quote =
            rest.split('`').nth(1).unwrap_or_else(|| panic!("line {}: no `quoted` Dockerfile part", first_line + n));
        listed.push(Listed { code: code.to_owned(), quote: quote.replace("\\n", "\n"), line: first_line + n });
    }
    listed
}

#[test]
fn dockopt_agrees_with_hadolint_rule_tests() {
    let dir = root().join("tests/fixtures/hadolint");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 70, "expected a fixture file per hadolint rule, found {}", files.len());

    let listed = listed_differences();
    let mut covered_by: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    let (mut ran, mut agreed, mut differ) = (0, 0, 0);
    let mut ids = std::collections::HashSet::new();
    for path in &files {
        let code = path.file_stem().unwrap().to_string_lossy().into_owned();
        let upstream = format!("hadolint:{code}");
        let selected: Vec<String> =
            rules().filter(|r| r.upstream.contains(&upstream.as_str())).map(|r| r.code.to_owned()).collect();
        assert!(!selected.is_empty(), "{code}: no dockopt rule has upstream {upstream}");
        let text = std::fs::read_to_string(path).unwrap();
        let fixture: Fixture = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in fixture.case {
            assert!(ids.insert(case.id.clone()), "duplicate case id {}", case.id);
            assert!(case.id.starts_with(&format!("{code}-")), "{}: id of another rule in {code}.toml", case.id);
            let config: Option<Config> = case.config.clone().map(|t| {
                let c: Config = t.try_into().unwrap_or_else(|e| panic!("{}: config: {e}", case.id));
                c.validate().unwrap_or_else(|e| panic!("{}: config: {e}", case.id));
                c
            });
            let mut options = LintOptions::configured(config.as_ref());
            options.select = selected.clone();
            let found = lint(&dockopt::parse(&case.dockerfile), &options)
                .iter()
                .filter(|d| d.rule.upstream.contains(&upstream.as_str()))
                .count();
            ran += 1;
            let agrees = (found > 0) == case.hadolint && case.count.is_none_or(|n| n == found);
            let plain = case.dockerfile.replace("ONBUILD ", "");
            let covering: Vec<usize> = listed
                .iter()
                .enumerate()
                .filter(|(_, l)| l.code == code && plain.contains(&l.quote))
                .map(|(i, _)| i)
                .collect();
            for &i in &covering {
                covered_by.entry(i).or_default().push(case.id.clone());
            }
            let expected = match case.count {
                Some(n) => format!("{n} finding(s)"),
                None if case.hadolint => "a finding".to_owned(),
                None => "no finding".to_owned(),
            };
            match (agrees, covering.is_empty()) {
                (true, true) => agreed += 1,
                (false, false) => differ += 1,
                (false, true) => problems.push(format!(
                    "{}: hadolint expects {expected}, dockopt reports {found} (not listed in docs/hadolint-differences.md)\n{}",
                    case.id, case.dockerfile
                )),
                (true, false) => problems.push(format!(
                    "{}: agrees with hadolint now ({expected}), but docs/hadolint-differences.md:{} lists it as a difference",
                    case.id, listed[covering[0]].line
                )),
            }
        }
    }
    for (i, l) in listed.iter().enumerate() {
        if !covered_by.contains_key(&i) {
            problems.push(format!("docs/hadolint-differences.md:{}: `{}` is in no {} case", l.line, l.quote, l.code));
        }
    }
    println!(
        "hadolint rule-test cases: {ran} ran, {agreed} agreed, {differ} listed differences ({} lines)",
        listed.len()
    );
    assert!(problems.is_empty(), "{} problem(s):\n\n{}", problems.len(), problems.join("\n\n"));
}
