//! Node: a single-stage image that only installs and runs keeps one stage and installs the
//! production dependencies only (`npm ci --omit=dev`). One that also builds (`npm run build`,
//! `npx tsc`) needs the dev dependencies for that, so it splits: a `builder` stage installs,
//! builds and prunes the dev dependencies, and the runner copies the app folder alone. Only npm
//! is handled; layouts whose runner would miss something (system packages, files copied outside
//! the app folder) are skipped with the reason.

use super::stage_text::{chunks, line_text};
use super::{Change, Step};
use crate::fix::apply_edits;
use crate::lint::{Context, Edit, Ins};
use crate::model::Stage;
use crate::text::whole_lines;

/// Instructions that describe how the image runs: they go to the runner only.
const RUNTIME: [&str; 8] = ["EXPOSE", "LABEL", "USER", "HEALTHCHECK", "CMD", "ENTRYPOINT", "STOPSIGNAL", "VOLUME"];

pub(crate) fn node(text: &str, cx: &Context, stage: &Stage) -> Step {
    let body: Vec<Ins> = stage.instructions.iter().skip(1).map(|&i| cx.ins(i)).collect();
    let mut builds = false;
    for ins in &body {
        for c in cx.scripts(*ins).iter().flat_map(|s| &s.commands) {
            if c.is("yarn") || c.is("pnpm") {
                return Step::Skipped(format!(
                    "line {}: only npm projects are handled so far, not `{}`",
                    ins.model.span.start.line,
                    c.program().unwrap_or("?")
                ));
            }
            let sub = c.subcommand();
            builds |= c.is("npx") || (c.is("npm") && !matches!(sub, Some("ci" | "install" | "i" | "config" | "cache")));
        }
    }
    if builds { build_split(text, cx, stage, &body) } else { production_only(text, cx, &body) }
}

/// `npm ci` / `npm install` without package names gets `--omit=dev`.
fn production_only(text: &str, cx: &Context, body: &[Ins]) -> Step {
    let mut insert = Vec::new();
    for ins in body {
        for c in cx.scripts(*ins).iter().flat_map(|s| &s.commands) {
            let installs = c.is("npm") && matches!(c.subcommand(), Some("ci" | "install" | "i"));
            if !installs
                || c.operands().count() > 1
                || c.has_option(None, Some("omit"))
                || c.has_option(None, Some("production"))
            {
                continue;
            }
            let Some(word) = c.operands().next() else { continue };
            if cx.text(word.range.clone()) == word.text() {
                insert.push(word.range.end);
            }
        }
    }
    if insert.is_empty() {
        return Step::Unchanged;
    }
    let edits: Vec<Edit> = insert.into_iter().map(|at| Edit::insert(at, " --omit=dev")).collect();
    let refs: Vec<&Edit> = edits.iter().collect();
    Step::Changed {
        text: apply_edits(text, &refs),
        changes: vec![Change {
            transform: "multi-stage",
            rules: vec![],
            title: "Install production dependencies only (`npm ci --omit=dev`)".into(),
            why: "test and build tools are not needed to run the server".into(),
        }],
    }
}

/// Builder: everything but the runtime settings, then `npm prune`; runner: the app folder, the
/// ARG/ENV and the runtime settings.
fn build_split(text: &str, cx: &Context, stage: &Stage, body: &[Ins]) -> Step {
    let mut workdir: Option<String> = None;
    let last_run = body.iter().rposition(|i| i.is("RUN"));
    for (k, ins) in body.iter().enumerate() {
        let line = ins.model.span.start.line;
        match ins.keyword() {
            "WORKDIR" => {
                let dir = ins.model.arguments.first().cloned().unwrap_or_default();
                if !dir.starts_with('/') || dir.contains('$') {
                    return Step::Skipped(format!("line {line}: the WORKDIR is not a plain absolute path"));
                }
                workdir = Some(dir);
            }
            "RUN" => {
                let other = cx
                    .scripts(*ins)
                    .iter()
                    .flat_map(|s| &s.commands)
                    .find(|c| !["npm", "npx", "node"].iter().any(|p| c.is(p)));
                if let Some(c) = other {
                    return Step::Skipped(format!(
                        "line {line}: `{}` may install what the server needs at run time",
                        c.program().unwrap_or("?")
                    ));
                }
                if workdir.is_none() {
                    return Step::Skipped(format!(
                        "line {line}: no WORKDIR before the build: the app folder is not known"
                    ));
                }
            }
            "COPY" | "ADD" => {
                let dest = ins.model.arguments.last().map(String::as_str).unwrap_or_default();
                let inside = !dest.starts_with('/')
                    || workdir
                        .as_deref()
                        .is_some_and(|w| dest == w || dest.starts_with(&format!("{}/", w.trim_end_matches('/'))));
                if ins.flag("from").is_some() || !inside {
                    return Step::Skipped(format!("line {line}: copies to `{dest}`, outside the app folder"));
                }
            }
            "USER" if last_run.is_some_and(|r| k < r) => {
                return Step::Skipped(format!("line {line}: USER before the build steps"));
            }
            "ONBUILD" | "SHELL" | "VOLUME" => {
                return Step::Skipped(format!("line {line}: {} is not carried into a runner", ins.keyword()));
            }
            _ => {}
        }
    }
    let Some(workdir) = workdir else { return Step::Unchanged };
    let from = cx.ins(stage.instructions[0]);
    let kw = |k: &str| from.model.same_case(k);
    let image = from.model.arguments[0].clone();
    let old_npm = stage
        .image
        .as_ref()
        .and_then(|i| i.tag.as_deref())
        .and_then(|t| t.split(['.', '-']).next()?.parse::<u32>().ok())
        .is_some_and(|major| major < 16);
    let prune = if old_npm { "npm prune --production" } else { "npm prune --omit=dev" };

    let from_line = whole_lines(text, from.syntax.range.clone());
    let mut builder = format!("{} {image} {} builder\n", kw("FROM"), kw("AS"));
    let mut runner = format!("{} {image}\n{} {workdir}\n", kw("FROM"), kw("WORKDIR"));
    let mut copied = false;
    for (ins, range) in body.iter().zip(chunks(text, from_line.end, body)) {
        let chunk = line_text(text, range);
        if RUNTIME.contains(&ins.keyword()) {
            if !copied {
                runner.push_str(&format!("{} --from=builder {workdir} {workdir}\n", kw("COPY")));
                copied = true;
            }
            runner.push_str(&chunk);
            continue;
        }
        builder.push_str(&chunk);
        // The runner needs the environment (and the ARGs it may be built from).
        if ins.is("ENV") || ins.is("ARG") {
            runner.push_str(&chunk);
        }
    }
    builder.push_str(&format!("{} {prune}\n", kw("RUN")));
    if !copied {
        runner.push_str(&format!("{} --from=builder {workdir} {workdir}\n", kw("COPY")));
    }
    let mut out = format!("{}{builder}\n{runner}", &text[..from_line.start]);
    if !text.ends_with('\n') {
        out.pop();
    }
    Step::Changed {
        text: out,
        changes: vec![Change {
            transform: "multi-stage",
            rules: vec![],
            title: "Build in a `builder` stage, prune the dev dependencies and copy the app folder".into(),
            why: format!(
                "the build needs the dev dependencies, the server does not: `{prune}` drops them and the runner gets no npm cache or build leftovers"
            ),
        }],
    }
}
