//! BuildKit cache mounts (`--cache-mounts`): package downloads go to a cache kept between builds
//! instead of being thrown away (`--no-cache-dir`) or left in the layer. A mount is added to a RUN
//! that installs with pip, npm, yarn or go and runs as root (the cache paths are root's); the
//! package-caches rules accept the mount as their answer, so they do not add flags after it.

use super::{Change, Step, edited};
use crate::lint::{Context, Edit, Ins};
use crate::shell::Command;

/// The cache folders a command downloads into, when run as root.
fn cache_targets(cmd: &Command) -> &'static [&'static str] {
    let sub = cmd.subcommand();
    let pip = matches!(cmd.program(), Some("pip" | "pip3"))
        || (cmd.program().is_some_and(|p| p.starts_with("python"))
            && cmd.args.windows(2).any(|w| w[0].text() == "-m" && w[1].text() == "pip"));
    if pip && cmd.args.iter().any(|w| w.text() == "install") && !cmd.has_option(None, Some("no-cache-dir")) {
        return &["/root/.cache/pip"];
    }
    match (cmd.program(), sub) {
        (Some("npm"), Some("ci" | "install" | "i")) => &["/root/.npm"],
        (Some("yarn"), None | Some("install")) => &["/usr/local/share/.cache/yarn"],
        (Some("go"), Some("mod")) => &["/go/pkg/mod"],
        (Some("go"), Some("build" | "install")) => &["/go/pkg/mod", "/root/.cache/go-build"],
        _ => &[],
    }
}

/// Whether the RUN runs as root: no USER in its stage before it, or `USER root`/`0`.
fn runs_as_root(cx: &Context, ins: Ins) -> bool {
    let Some(stage) = ins.model.stage().and_then(|s| cx.model.stages.get(s)) else { return false };
    let user = stage
        .instructions
        .iter()
        .map(|&i| cx.ins(i))
        .take_while(|i| i.syntax.range.start < ins.syntax.range.start)
        .filter(|i| i.is("USER"))
        .last();
    user.is_none_or(|u| u.model.arguments.first().is_some_and(|a| a == "root" || a == "0" || a.starts_with("0:")))
}

pub(crate) fn add(text: &str) -> Step {
    let syntax = crate::syntax::parse(text);
    let model = crate::model::build(text, &syntax, &[]);
    let cx = Context::reading(text, &syntax, &model);
    let mut edits = Vec::new();
    let mut targets_added: Vec<&str> = Vec::new();
    for ins in cx.instructions().filter(|i| i.is("RUN")) {
        if !runs_as_root(&cx, ins) {
            continue;
        }
        let mut wanted: Vec<&str> = Vec::new();
        for c in cx.scripts(ins).iter().flat_map(|s| &s.commands) {
            for t in cache_targets(c) {
                if !ins.has_cache_mount(t) && !wanted.contains(t) {
                    wanted.push(t);
                }
            }
        }
        if wanted.is_empty() {
            continue;
        }
        let mounts: String = wanted.iter().map(|t| format!(" --mount=type=cache,target={t}")).collect();
        edits.push(Edit::insert(cx.keyword_range(ins).end, mounts));
        for t in wanted {
            if !targets_added.contains(&t) {
                targets_added.push(t);
            }
        }
    }
    edited(
        text,
        edits,
        Change {
            transform: "package-caches",
            rules: vec!["DO343"],
            title: format!("Cache package downloads in BuildKit cache mounts ({})", targets_added.join(", ")).into(),
            why: "downloads are reused by the next build and never stored in a layer".into(),
        },
    )
}
