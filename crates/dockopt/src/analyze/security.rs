//! Security and operations signals of the shipped image: the user it runs as, secrets the
//! Dockerfile leaks (redacted: only rule, line and a message without the value), HEALTHCHECK,
//! the form of CMD/ENTRYPOINT, how each base image is pinned, and unpinned packages.

use serde::Serialize;

use crate::lint::invocation::stage_chain;
use crate::lint::{Context, LintResult};
use crate::model::Form;

/// Rules whose findings are secrets in the image or its history.
const SECRET_RULES: [&str; 5] = ["DO260", "DO293", "DO294", "DO298", "DO299"];

/// Rules whose findings are packages installed without a version.
const PINNING_RULES: [&str; 9] = ["DO523", "DO524", "DO525", "DO526", "DO541", "DO543", "DO545", "DO546", "DO569"];

/// Every rule `assess` reads findings of.
pub fn rules() -> Vec<String> {
    SECRET_RULES.iter().chain(PINNING_RULES.iter()).map(|c| (*c).to_owned()).collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Security {
    /// The user the shipped image runs as.
    pub user: String,
    pub root: bool,
    /// The line of the USER that sets it; None when the base image's default applies.
    pub user_line: Option<usize>,
    pub secrets: Vec<Finding>,
    /// The line of the shipped image's HEALTHCHECK (`HEALTHCHECK NONE` does not count).
    pub healthcheck: Option<usize>,
    /// `exec` or `shell`, when the stage chain sets them.
    pub cmd_form: Option<&'static str>,
    pub entrypoint_form: Option<&'static str>,
    pub base_images: Vec<BaseTag>,
    pub unpinned_packages: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BaseTag {
    pub stage: String,
    pub image: String,
    /// `digest`, `exact` (x.y.z), `partial` (a major or minor version), `floating` (`latest`,
    /// no tag, or a name like `lts`), `variable`, `stage` or `scratch`.
    pub pinning: &'static str,
}

pub fn assess(cx: &Context, shipped: Option<usize>, lint: &LintResult) -> Security {
    let chain = shipped.map(|s| stage_chain(cx, s)).unwrap_or_default();
    // Instructions of the shipped image, base stages first.
    let shipped_instructions: Vec<usize> =
        chain.iter().rev().flat_map(|&s| cx.model.stages[s].instructions.iter().copied()).collect();
    let last = |keyword: &str| shipped_instructions.iter().rev().map(|&i| cx.ins(i)).find(|i| i.is(keyword));
    let (user, user_line) = match last("USER") {
        Some(ins) => (ins.model.arguments.first().cloned().unwrap_or_default(), Some(cx.line(ins.syntax.range.start))),
        None => {
            let base = chain.last().map(|&s| cx.model.stages[s].base.as_str()).unwrap_or_default();
            (if base.contains("nonroot") { "nonroot".to_owned() } else { "root".to_owned() }, None)
        }
    };
    let name = user.split(':').next().unwrap_or_default();
    let root = matches!(name, "root" | "0" | "");
    let healthcheck = last("HEALTHCHECK")
        .filter(|i| !i.model.arguments.first().is_some_and(|a| a.eq_ignore_ascii_case("none")))
        .map(|i| cx.line(i.syntax.range.start));
    let form = |keyword: &str| {
        last(keyword).map(|i| match i.model.form {
            Some(Form::Exec) => "exec",
            _ => "shell",
        })
    };
    let findings = |codes: &[&str]| {
        lint.diagnostics
            .iter()
            .filter(|d| codes.contains(&d.code()))
            .map(|d| Finding {
                rule: d.code(),
                line: cx.line(d.range.start),
                message: redact(&d.message, cx.src, &lint.secrets),
            })
            .collect::<Vec<_>>()
    };
    Security {
        user,
        root,
        user_line,
        secrets: findings(&SECRET_RULES),
        healthcheck,
        cmd_form: form("CMD"),
        entrypoint_form: form("ENTRYPOINT"),
        base_images: cx.model.stages.iter().map(base_tag).collect(),
        unpinned_packages: findings(&PINNING_RULES),
    }
}

/// A message with every secret value of the source replaced, in case a rule quoted one.
fn redact(message: &str, src: &str, secrets: &[std::ops::Range<usize>]) -> String {
    let mut out = message.to_owned();
    for r in secrets {
        if let Some(value) = src.get(r.clone()).filter(|v| v.len() >= 4) {
            out = out.replace(value, "***");
        }
    }
    out
}

fn base_tag(stage: &crate::model::Stage) -> BaseTag {
    let pinning = if stage.scratch {
        "scratch"
    } else if stage.base_stage.is_some() {
        "stage"
    } else {
        match &stage.image {
            None => "variable",
            Some(image) if image.digest.is_some() => "digest",
            Some(image) => match image.tag.as_deref() {
                None | Some("latest") => "floating",
                Some(tag) => {
                    let version = tag.split('-').next().unwrap_or_default();
                    let numbers =
                        version.split('.').filter(|p| p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty()).count();
                    match numbers {
                        0 => "floating",
                        n if n >= 3 || version.split('.').count() > numbers => "exact",
                        _ => "partial",
                    }
                }
            },
        }
    };
    BaseTag { stage: stage.name.clone().unwrap_or_else(|| stage.index.to_string()), image: stage.base.clone(), pinning }
}
