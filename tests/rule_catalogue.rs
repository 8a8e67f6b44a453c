//! The rule catalogue holds together: unique codes and names in the right blocks,
//! documentation with the expected sections, every hadolint DL rule and BuildKit check covered,
//! and every rule file carrying tests.

use std::collections::{BTreeSet, HashSet};

use dockopt::lint::{Category, FixAvailability, rules};

#[test]
fn codes_names_and_categories_are_consistent() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for r in rules() {
        assert!(codes.insert(r.code), "duplicate code {}", r.code);
        assert!(names.insert(r.name), "duplicate name {}", r.name);
        assert!(
            r.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            r.name
        );
        let block = match r.category {
            Category::Correctness => '1',
            Category::Security => '2',
            Category::Size => '3',
            Category::Cache => '4',
            Category::Maintainability => '5',
            Category::Style => '6',
        };
        // ShellCheck's checks that dockopt implements itself keep ShellCheck's code.
        let shellcheck = r.code.len() == 6
            && r.code.starts_with("SC")
            && r.code[2..].chars().all(|c| c.is_ascii_digit())
            && r.upstream.contains(&format!("shellcheck:{}", r.code).as_str());
        assert!(
            shellcheck || (r.code.len() == 5 && r.code.starts_with("DO") && r.code.as_bytes()[2] == block as u8),
            "{} in wrong block",
            r.code
        );
        assert!(!r.summary.is_empty() && r.summary.ends_with('.'), "{}: summary", r.code);
    }
}

#[test]
fn every_rule_is_documented() {
    for r in rules() {
        for section in ["## What it does", "## Why is this bad?", "## Example"] {
            assert!(r.docs.contains(section), "{} docs lack `{section}`", r.code);
        }
        if r.fix != FixAvailability::None {
            assert!(
                r.docs.contains("## Fix safety") || r.docs.contains("## Fix"),
                "{} has a fix but no fix notes",
                r.code
            );
        }
    }
}

#[test]
fn every_hadolint_rule_and_buildkit_check_is_covered() {
    let upstream: BTreeSet<&str> = rules().flat_map(|r| r.upstream.iter().copied()).collect();
    let dl = [
        "DL1001", "DL3000", "DL3001", "DL3002", "DL3003", "DL3004", "DL3006", "DL3007", "DL3008", "DL3009", "DL3010",
        "DL3011", "DL3012", "DL3013", "DL3014", "DL3015", "DL3016", "DL3018", "DL3019", "DL3020", "DL3021", "DL3022",
        "DL3023", "DL3024", "DL3025", "DL3026", "DL3027", "DL3028", "DL3029", "DL3030", "DL3032", "DL3033", "DL3034",
        "DL3035", "DL3036", "DL3037", "DL3038", "DL3040", "DL3041", "DL3042", "DL3043", "DL3044", "DL3045", "DL3046",
        "DL3047", "DL3048", "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3057",
        "DL3058", "DL3059", "DL3060", "DL3061", "DL3062", "DL3063", "DL3064", "DL3065", "DL3066", "DL3067", "DL4000",
        "DL4001", "DL4003", "DL4004", "DL4005", "DL4006",
    ];
    let buildkit = [
        "StageNameCasing",
        "FromAsCasing",
        "NoEmptyContinuation",
        "ConsistentInstructionCasing",
        "DuplicateStageName",
        "ReservedStageName",
        "JSONArgsRecommended",
        "MaintainerDeprecated",
        "UndefinedArgInFrom",
        "WorkdirRelativePath",
        "UndefinedVar",
        "MultipleInstructionsDisallowed",
        "LegacyKeyValueFormat",
        "RedundantTargetPlatform",
        "SecretsUsedInArgOrEnv",
        "InvalidDefaultArgInFrom",
        "FromPlatformFlagConstDisallowed",
        "CopyIgnoredFile",
        "ExposeProtoCasing",
        "ExposeInvalidFormat",
        "InvalidDefinitionDescription",
        "InvalidBaseImagePlatform",
    ];
    let missing: Vec<String> = dl
        .iter()
        .map(|c| format!("hadolint:{c}"))
        .chain(buildkit.iter().map(|c| format!("buildkit:{c}")))
        .filter(|id| !upstream.contains(id.as_str()))
        .collect();
    assert!(missing.is_empty(), "not covered: {missing:?}");
    assert_eq!(dl.len(), 71);
    assert_eq!(buildkit.len(), 22);
}

#[test]
fn every_rule_file_has_tests_that_fire_and_stay_quiet() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "mod.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(text.contains("#[test]"), "{name} has no tests");
        assert!(text.contains("hits(") || text.contains("check("), "{name} never checks that it fires");
        assert!(
            text.contains("assert_clean(") || text.contains(".is_empty()") || text.contains("len(), 0"),
            "{name} never checks that it stays quiet"
        );
        files += 1;
    }
    assert_eq!(files, rules().count(), "one file per rule");
}
