//! What a rule is: metadata, documentation and a check.

use serde::Serialize;

use super::{Context, Reporter};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Style,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_lowercase().as_str() {
            "style" => Self::Style,
            "info" => Self::Info,
            "warning" | "warn" => Self::Warning,
            "error" => Self::Error,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Style => "style",
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// The build fails or does something other than what was meant.
    Correctness,
    /// Secrets, root, unverified downloads.
    Security,
    /// Image size.
    Size,
    /// Layer-cache use and rebuild time.
    Cache,
    /// Reproducibility and readability over time.
    Maintainability,
    /// Formatting and conventions.
    Style,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Correctness => "correctness",
            Self::Security => "security",
            Self::Size => "size",
            Self::Cache => "cache",
            Self::Maintainability => "maintainability",
            Self::Style => "style",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// Everything about a rule except its check.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// Own code, e.g. `DO301`: DO1xx correctness, DO2xx security, DO3xx size, DO4xx cache,
    /// DO5xx maintainability, DO6xx style.
    pub code: &'static str,
    /// kebab-case name saying what is found, e.g. `apt-lists-not-removed`.
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Equivalents elsewhere: `hadolint:DL3009`, `buildkit:JSONArgsRecommended`,
    /// `checkov:CKV_DOCKER_2`, `trivy:DS-0026`.
    pub upstream: &'static [&'static str],
    /// One sentence, shown in rule lists.
    pub summary: &'static str,
    /// Markdown with the sections `## What it does`, `## Why is this bad?`, `## Example`,
    /// `## Use instead` and `## Fix safety` (when a fix exists).
    pub docs: &'static str,
    pub fix: FixAvailability,
    /// Off unless selected (rules that need configuration or are opinionated).
    #[serde(rename = "default")]
    pub default_enabled: bool,
}

impl RuleMeta {
    /// Whether `selector` names this rule: its code, name, category, an upstream id with or
    /// without its tool prefix, or `ALL`. Case-insensitive.
    pub fn matches(&self, selector: &str) -> bool {
        let s = selector.trim();
        s.eq_ignore_ascii_case("all")
            || s.eq_ignore_ascii_case(self.code)
            || s.eq_ignore_ascii_case(self.name)
            || s.eq_ignore_ascii_case(self.category.as_str())
            || self.upstream.iter().any(|u| {
                // `shellcheck`, `hadolint`, `trivy` ...: every rule with an id of that tool.
                u.eq_ignore_ascii_case(s)
                    || u.split_once(':')
                        .is_some_and(|(tool, id)| id.eq_ignore_ascii_case(s) || tool.eq_ignore_ascii_case(s))
            })
    }

    /// The upstream id of `tool` (`hadolint`, `buildkit`, ...), if any.
    pub fn upstream_id(&self, tool: &str) -> Option<&'static str> {
        self.upstream.iter().find_map(|u| u.strip_prefix(tool)?.strip_prefix(':'))
    }
}

/// A lint rule. Implementations live in `src/rules/<name>.rs` as `pub struct Rule;`.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context, out: &mut Reporter);
}

#[cfg(test)]
mod tests {
    use crate::lint::rules;

    #[test]
    fn a_tool_name_selects_every_rule_with_an_id_of_that_tool() {
        let named = |tool: &str| rules().filter(|r| r.matches(tool)).map(|r| r.code).collect::<Vec<_>>();
        let shellcheck = named("shellcheck");
        assert!(shellcheck.contains(&"SC2086") && shellcheck.iter().all(|c| c.starts_with("SC")), "{shellcheck:?}");
        let hadolint = named("HADOLINT");
        assert!(hadolint.contains(&"DO321") && !hadolint.contains(&"DO534"), "{hadolint:?}");
        assert!(rules().filter(|r| r.matches("trivy")).all(|r| r.upstream.iter().any(|u| u.starts_with("trivy:"))));
    }
}
