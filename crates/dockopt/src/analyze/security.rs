//! Security and operations signals of the shipped image: the user it runs as, secrets the
//! Dockerfile leaks (redacted: only rule, line and a message without the value), HEALTHCHECK,
//! the form of CMD/ENTRYPOINT, how each base image is pinned, and unpinned packages.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Serialize;

use crate::lint::invocation::stage_chain;
use crate::lint::{Context, LintResult, Message};
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
    /// The lint's message, shared with it when it quotes no secret (a file may have a finding
    /// on every line, most saying the same).
    pub message: Message,
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
    let secrets = Secrets::of(cx.src, &lint.secrets);
    let findings = |codes: &[&str]| {
        let mut found = lint
            .diagnostics
            .iter()
            .filter(|d| codes.contains(&d.code()))
            .map(|d| Finding { rule: d.code(), line: cx.line(d.range.start), message: secrets.redact(&d.message) })
            .collect::<Vec<_>>();
        // Kept in the report: without the room the list grew (a finding per line of a huge file).
        found.shrink_to_fit();
        found
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

/// The secret values of a source (of 4 bytes or more), found in any text in one pass.
struct Secrets(Option<AhoCorasick>);

impl Secrets {
    fn of(src: &str, ranges: &[std::ops::Range<usize>]) -> Self {
        let values: Vec<&str> = ranges.iter().filter_map(|r| src.get(r.clone())).filter(|v| v.len() >= 4).collect();
        // Leftmost-longest: a secret that contains another is hidden whole.
        let builder = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(values);
        Self(builder.ok())
    }

    /// `message` with every secret value replaced by `***`, in case a rule quoted one. A
    /// source whose secrets cannot be searched for (never seen: the automaton outgrew its
    /// limits) hides the whole message.
    fn redact(&self, message: &Message) -> Message {
        match &self.0 {
            Some(secrets) if !secrets.is_match(message.as_str()) => message.clone(),
            Some(secrets) => {
                let mut out = String::with_capacity(message.len());
                secrets.replace_all_with(message, &mut out, |_, _, out| {
                    out.push_str("***");
                    true
                });
                out.into()
            }
            None => Message::Static("***"),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::Secrets;

    #[test]
    fn messages_lose_every_secret_value_even_one_inside_another() {
        let src = "ENV A=hunter22 URL=u:hunter22@x B=abc\n";
        let at = |s: &str| src.find(s).unwrap()..src.find(s).unwrap() + s.len();
        // Values of 4 bytes or more only (`abc` is too short to search for safely).
        let secrets = Secrets::of(src, &[at("hunter22"), at("u:hunter22@x"), at("abc")]);
        let redact = |secrets: &Secrets, message: &'static str| secrets.redact(&message.into()).to_string();
        assert_eq!(redact(&secrets, "uses hunter22, and u:hunter22@x, and abc"), "uses ***, and ***, and abc");
        assert_eq!(redact(&secrets, "no secret here"), "no secret here");
        assert_eq!(redact(&Secrets::of(src, &[]), "hunter22"), "hunter22");
    }
}
