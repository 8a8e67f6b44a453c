//! Which instructions re-run after a change, as BuildKit's layer cache decides it: an
//! instruction re-runs when its own inputs changed (a COPY/ADD or bind mount whose sources
//! hold a changed file the builder receives, a COPY --from whose stage re-ran, a build arg a
//! RUN sees) or when anything before it in the stage did; a stage built on a changed stage
//! re-runs whole. Only the stages the shipped one needs are built. A cache mount does not keep
//! a RUN from re-running; it keeps its downloads, which the report says.

use serde::Serialize;

use super::scan::covers;
use super::stage_index;
use crate::lint::invocation::stage_chain;
use crate::lint::paths::within;
use crate::lint::{Context, Ins};
use crate::semantics::{BuildContext, manifests, provenance};

#[derive(Debug, Clone, Serialize)]
pub struct Rebuild {
    /// The stages a build of the shipped one runs, in order (buildah numbers them so).
    pub built: Vec<usize>,
    pub scenarios: Vec<Scenario>,
    /// Build args past the first [`BUILD_ARG_SCENARIOS`] get no scenario of their own.
    pub omitted_build_args: usize,
}

/// At most this many build args get a scenario: each costs a pass over the file and a list
/// as long as it, so a file of thousands of ARGs stays linear.
pub const BUILD_ARG_SCENARIOS: usize = 16;

/// One change and what it re-runs.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// `source`, `manifest`, `nothing`, `files` (asked for) or `build-arg`.
    pub change: String,
    /// The context paths (or the build arg) changed.
    pub files: Vec<String>,
    /// False when no file of the context fits (no context given, or none of the kind): the
    /// scenario then assumes a file only whole-context copies take.
    pub from_context: bool,
    /// Build steps of the stages built (FROM included).
    pub steps: usize,
    pub reruns: Vec<Rerun>,
    /// Whether a dependency install re-runs.
    pub installs_rerun: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Rerun {
    pub stage: String,
    pub stage_index: usize,
    /// Position in the stage, FROM being 1 (as buildah numbers its STEPs).
    pub step: usize,
    pub line: usize,
    pub keyword: String,
    /// The install re-runs with a cache mount keeping its downloads.
    pub cache_mount: bool,
    pub install: bool,
}

enum Change<'a> {
    Files(&'a [String]),
    /// A file of the context no named COPY source takes (no context to pick one from).
    AnySource,
    Arg(&'a str),
    Nothing,
}

/// Simulate the typical changes (a source file, a dependency manifest, nothing, each build
/// arg) and the files asked for.
pub fn simulate(
    cx: &Context,
    context: Option<&BuildContext>,
    files: Option<&super::scan::Files>,
    shipped: Option<usize>,
    changed: &[String],
) -> Rebuild {
    let mut scenarios = Vec::new();
    let Some(shipped) = shipped else { return Rebuild { built: Vec::new(), scenarios, omitted_build_args: 0 } };
    let built = built_stages(cx, shipped);
    let steps = built.iter().map(|&s| cx.model.stages[s].instructions.len()).sum();
    let mut push = |kind: &str, names: Vec<String>, from_context: bool, change: Change| {
        let reruns = reruns(cx, &built, &change);
        let installs_rerun = reruns.iter().any(|r| r.install);
        scenarios.push(Scenario { change: kind.into(), files: names, from_context, steps, reruns, installs_rerun });
    };
    let candidates = files.map(|f| f.sent_paths()).unwrap_or_default();
    match pick(&candidates, is_source) {
        Some(file) => push("source", vec![file.clone()], true, Change::Files(std::slice::from_ref(&file))),
        None => push("source", vec!["(a source file)".into()], false, Change::AnySource),
    }
    let read_by_installs = install_manifests(cx, context);
    let manifest =
        read_by_installs.into_iter().find(|m| candidates.contains(m)).or_else(|| pick(&candidates, is_manifest));
    if let Some(file) = manifest {
        push("manifest", vec![file.clone()], true, Change::Files(std::slice::from_ref(&file)));
    }
    push("nothing", Vec::new(), true, Change::Nothing);
    if !changed.is_empty() {
        // A file `.dockerignore` leaves out never reaches the builder: it changes nothing.
        let clean: Vec<String> = changed
            .iter()
            .map(|c| BuildContext::normalize(c))
            .filter(|c| context.is_none_or(|cx| cx.sent(c)))
            .collect();
        push("files", clean.clone(), true, Change::Files(&clean));
    }
    let mut seen = std::collections::HashSet::new();
    let mut args: Vec<&str> = Vec::new();
    for ins in cx.instructions().filter(|i| i.is("ARG") && i.model.stage().is_some_and(|s| built.contains(&s))) {
        args.extend(ins.model.pairs.iter().map(|p| p.key.as_ref()).filter(|k| seen.insert(*k)));
    }
    let omitted_build_args = args.len().saturating_sub(BUILD_ARG_SCENARIOS);
    for name in args.into_iter().take(BUILD_ARG_SCENARIOS) {
        push("build-arg", vec![name.to_owned()], true, Change::Arg(name));
    }
    Rebuild { built, scenarios, omitted_build_args }
}

/// The stages building `shipped` needs, in file order.
fn built_stages(cx: &Context, shipped: usize) -> Vec<usize> {
    let mut need = vec![false; cx.model.stages.len()];
    let mut stack = vec![shipped];
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut need[s], true) {
            continue;
        }
        stack.extend(stage_chain(cx, s).into_iter().skip(1));
        for &i in &cx.model.stages[s].instructions {
            stack.extend(from_stages(cx, cx.ins(i)).into_iter().filter(|&d| d < need.len()));
        }
    }
    (0..need.len()).filter(|&s| need[s]).collect()
}

/// Stages an instruction reads from (`COPY --from`, `RUN --mount=from=`).
fn from_stages(cx: &Context, ins: Ins) -> Vec<usize> {
    let mut names: Vec<String> =
        ins.flag("from").and_then(|f| f.value.as_deref()).map(str::to_owned).into_iter().collect();
    if ins.is("RUN") {
        names.extend(ins.mounts().into_iter().filter_map(|m| m.from_stage()));
    }
    names.iter().filter_map(|n| stage_index(cx, n)).collect()
}

fn reruns(cx: &Context, built: &[usize], change: &Change) -> Vec<Rerun> {
    let mut out: Vec<Rerun> = Vec::new();
    // Per stage, the image paths its re-run instructions wrote ("/" when unknown).
    let mut written: Vec<Vec<String>> = vec![Vec::new(); cx.model.stages.len()];
    for &s in built {
        let stage = &cx.model.stages[s];
        let mut dirty = stage.base_stage.is_some_and(|b| !written[b].is_empty());
        if let Some(b) = stage.base_stage {
            written[s] = written[b].clone();
        }
        let mut arg_seen = matches!(change, Change::Arg(name) if cx.model.global_args.iter().any(|a| a.name == *name) && stage.base.contains(name));
        dirty |= arg_seen;
        for (position, &i) in stage.instructions.iter().enumerate() {
            let ins = cx.ins(i);
            if position == 0 {
                if dirty {
                    out.push(rerun(cx, s, position, ins));
                    written[s].push("/".into());
                }
                continue;
            }
            if let Change::Arg(name) = change {
                if ins.is("ARG") && ins.model.pairs.iter().any(|p| *p.key == **name) {
                    arg_seen = true;
                }
                // Every RUN after the declaration sees the value in its environment.
                dirty |= arg_seen && ins.is("RUN");
            }
            if !dirty {
                dirty = inputs_changed(cx, ins, change, &written);
            }
            if dirty {
                out.push(rerun(cx, s, position, ins));
                written[s].extend(writes(cx, ins));
            }
        }
    }
    out
}

/// Where an instruction writes in its image, as far as the cache check of a later
/// `COPY --from` needs it: a copy's destination; a RUN's working directory, the absolute paths
/// it names, and the system folders when it installs packages.
fn writes(cx: &Context, ins: Ins) -> Vec<String> {
    let workdir = provenance::workdir_at(cx, ins);
    if ins.is("COPY") || ins.is("ADD") {
        let dest = ins
            .effective()
            .arguments
            .last()
            .and_then(|d| crate::lint::paths::resolve(workdir.as_deref().or(Some("/")), d));
        return vec![dest.unwrap_or_else(|| "/".into())];
    }
    if !ins.is("RUN") {
        return Vec::new();
    }
    let commands: Vec<&crate::shell::Command> = cx.scripts(ins).iter().flat_map(|s| &s.commands).collect();
    let mut out = vec![workdir.unwrap_or_else(|| "/".into()), "/tmp".into(), "/root".into()];
    for cmd in &commands {
        out.extend(cmd.args.iter().map(|w| w.text()).filter(|t| t.starts_with('/')).map(crate::lint::paths::clean));
        if is_install(cmd) {
            out.extend(["/usr", "/etc", "/var", "/opt", "/home", "/go"].map(String::from));
        }
    }
    out
}

/// Whether what `stage` re-ran wrote under `path` (or above it).
fn touched(written: &[String], path: &str) -> bool {
    let path = crate::lint::paths::clean(&format!("/{path}"));
    written.iter().any(|w| within(&path, w) || within(w, &path))
}

fn rerun(cx: &Context, stage: usize, position: usize, ins: Ins) -> Rerun {
    let install = ins.is("RUN") && cx.scripts(ins).iter().flat_map(|s| &s.commands).any(is_install);
    let cache_mount = install && ins.mounts().iter().any(|m| m.kind == "cache");
    Rerun {
        stage: cx.model.stages[stage].name.clone().unwrap_or_else(|| stage.to_string()),
        stage_index: stage,
        step: position + 1,
        line: cx.line(ins.syntax.range.start),
        keyword: ins.keyword().to_owned(),
        cache_mount,
        install,
    }
}

/// Whether the instruction's own inputs changed: the files it copies or binds, or a stage it
/// copies from that re-ran.
fn inputs_changed(cx: &Context, ins: Ins, change: &Change, written: &[Vec<String>]) -> bool {
    // BuildKit and buildah compare what a copy from another stage takes, not whether the stage
    // re-ran: only paths a re-run instruction wrote count.
    if let Some(from) = ins.flag("from").and_then(|f| f.value.as_deref()).and_then(|n| stage_index(cx, n)) {
        let sources = ins.effective().arguments.split_last().map(|(_, s)| s.to_vec()).unwrap_or_default();
        return sources.iter().any(|src| touched(&written[from], src));
    }
    if ins.is("RUN") {
        for m in ins.mounts() {
            let stage = m.from_stage().and_then(|n| stage_index(cx, &n));
            if stage.is_some_and(|s| touched(&written[s], m.source.as_deref().unwrap_or("/"))) {
                return true;
            }
        }
    }
    let sources: Vec<String> = if ins.is("COPY") || ins.is("ADD") {
        if ins.flag("from").is_some() || !ins.syntax.heredocs().is_empty() {
            return false;
        }
        let args = &ins.effective().arguments;
        args.split_last()
            .map(|(_, s)| s.iter().filter(|s| !s.contains("://")).map(|s| BuildContext::normalize(s)).collect())
            .unwrap_or_default()
    } else if ins.is("RUN") {
        ins.mounts()
            .into_iter()
            .filter(|m| m.kind == "bind" && m.from_stage().is_none())
            .map(|m| BuildContext::normalize(m.source.as_deref().unwrap_or(".")))
            .collect()
    } else {
        return false;
    };
    match change {
        Change::Files(files) => files.iter().any(|f| sources.iter().any(|s| covers(s, f))),
        Change::AnySource => sources.iter().any(|s| s.is_empty() || s == "."),
        Change::Arg(_) | Change::Nothing => false,
    }
}

/// Whether a command installs dependencies.
fn is_install(cmd: &crate::shell::Command) -> bool {
    let program = cmd.program().unwrap_or_default();
    let sub = cmd.subcommand().unwrap_or_default();
    crate::lint::packages::installed(cmd).is_some()
        || crate::lint::pip::install_word(cmd).is_some()
        || matches!(
            (program, sub),
            ("npm", "ci" | "install" | "i")
                | ("yarn", "" | "install")
                | ("pnpm", "install" | "i")
                | ("uv", "sync" | "pip")
                | ("poetry", "install")
                | ("pipenv" | "pdm", "install" | "sync")
                | ("bundle", "install")
                | ("composer", "install")
                | ("cargo", "fetch")
        )
        || (program == "go" && sub == "mod" && cmd.args.iter().any(|w| w.text() == "download"))
}

/// Context paths the dependency installs read.
fn install_manifests(cx: &Context, context: Option<&BuildContext>) -> Vec<String> {
    let Some(context) = context else { return Vec::new() };
    let mut out = Vec::new();
    for ins in cx.instructions().filter(|i| i.is("RUN")) {
        for cmd in cx.scripts(ins).iter().flat_map(|s| &s.commands) {
            let map = |p: &str| provenance::named_context_path(cx, ins, p);
            if let Ok(Some(files)) = manifests::install_reads(cmd, Some(context), &map) {
                out.extend(files.into_iter().filter(|f| !f.ends_with('/')));
            }
        }
    }
    out
}

const SOURCE_EXTENSIONS: [&str; 16] = [
    ".py", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go", ".rb", ".php", ".java", ".kt", ".rs", ".vue",
    ".svelte", ".html",
];

const MANIFESTS: [&str; 18] = [
    "requirements.txt",
    "pyproject.toml",
    "poetry.lock",
    "uv.lock",
    "Pipfile",
    "Pipfile.lock",
    "pdm.lock",
    "setup.py",
    "package.json",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "go.mod",
    "go.sum",
    "Gemfile",
    "Gemfile.lock",
    "composer.json",
    "Cargo.toml",
];

fn is_source(path: &str) -> bool {
    SOURCE_EXTENSIONS.iter().any(|e| path.ends_with(e))
        && !is_manifest(path)
        && !path.split('/').any(|c| c.starts_with('.'))
}

fn is_manifest(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    MANIFESTS.contains(&name) || (name.starts_with("requirements") && name.ends_with(".txt"))
}

/// The shallowest, then first, path that fits.
fn pick(paths: &[String], fits: fn(&str) -> bool) -> Option<String> {
    paths.iter().filter(|p| fits(p)).min_by_key(|p| (p.matches('/').count(), p.as_str())).cloned()
}
