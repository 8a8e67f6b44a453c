//! Node: a single-stage image that only installs and runs keeps one stage and installs the
//! production dependencies only (`npm ci --omit=dev`, `yarn install --production`, `pnpm install
//! --prod`). One that also builds (`npm run build`, `npx tsc`) needs the dev dependencies for
//! that, so it splits: a `builder` stage installs, builds and prunes the dev dependencies, and
//! the runner copies the app folder alone. npm, pnpm and Yarn 1 are handled (Yarn 2+ has no
//! in-place production install); layouts whose runner would miss something (system packages,
//! files copied outside the app folder) are skipped with the reason.

use crate::semantics::BuildContext;

use super::stage_text::{chunks, line_text};
use super::{Change, Step, edited};
use crate::lint::{Context, Edit, Ins};
use crate::model::Stage;
use crate::shell::Command;
use crate::text::whole_lines;

/// Instructions that describe how the image runs: they go to the runner only.
const RUNTIME: [&str; 8] = ["EXPOSE", "LABEL", "USER", "HEALTHCHECK", "CMD", "ENTRYPOINT", "STOPSIGNAL", "VOLUME"];

/// The package manager that installs the project.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Manager {
    Npm,
    Yarn,
    Pnpm,
}

impl Manager {
    fn of(cmd: &Command) -> Option<Self> {
        match cmd.program()? {
            "npm" => Some(Self::Npm),
            "yarn" => Some(Self::Yarn),
            "pnpm" => Some(Self::Pnpm),
            _ => None,
        }
    }

    /// Whether `cmd` installs the project's dependencies (not named packages, not global tools).
    fn installs_project(self, cmd: &Command) -> bool {
        let sub = cmd.subcommand();
        let global = cmd.has_option(Some('g'), Some("global")) || sub == Some("global");
        let named = cmd.operands().count() > 1;
        !global
            && !named
            && match self {
                Self::Npm => matches!(sub, Some("ci" | "install" | "i")),
                Self::Yarn => matches!(sub, None | Some("install")),
                Self::Pnpm => matches!(sub, Some("install" | "i")),
            }
    }

    /// Commands that neither install the project nor build it (configuration, caches, global
    /// tools such as `npm install -g pnpm`).
    fn housekeeping(self, cmd: &Command) -> bool {
        let sub = cmd.subcommand();
        cmd.has_option(Some('g'), Some("global"))
            || sub == Some("global")
            || matches!(sub, Some("config" | "cache" | "set"))
            || (self == Self::Pnpm && sub == Some("fetch"))
    }

    /// The flag that makes the install leave the dev dependencies out.
    fn production_flag(self) -> &'static str {
        match self {
            Self::Npm => "--omit=dev",
            Self::Yarn => "--production",
            Self::Pnpm => "--prod",
        }
    }

    fn already_production(self, cmd: &Command) -> bool {
        ["omit", "production", "prod"].iter().any(|o| cmd.has_option(None, Some(o)))
            || (self == Self::Pnpm && cmd.has_option(Some('P'), None))
    }

    /// The command that drops the dev dependencies after a build.
    fn prune(self, old_npm: bool) -> &'static str {
        match self {
            Self::Npm if old_npm => "npm prune --production",
            Self::Npm => "npm prune --omit=dev",
            Self::Yarn => "yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline",
            Self::Pnpm => "pnpm prune --prod",
        }
    }
}

/// Yarn 2+ (Berry) is recognised by its `.yarnrc.yml`, `--immutable`, or `packageManager`.
fn yarn_berry(cmd: &Command, context: Option<&BuildContext>) -> Option<bool> {
    if cmd.has_option(None, Some("immutable")) {
        return Some(true);
    }
    let context = context?.root();
    if context.join(".yarnrc.yml").exists() {
        return Some(true);
    }
    let package = std::fs::read_to_string(context.join("package.json")).unwrap_or_default();
    let declared = package.split("\"packageManager\"").nth(1).and_then(|rest| rest.split('"').nth(1));
    Some(declared.is_some_and(|v| v.strip_prefix("yarn@").is_some_and(|version| !version.starts_with('1'))))
}

pub(crate) fn node(text: &str, cx: &Context, stage: &Stage, context: Option<&BuildContext>) -> Step {
    let body: Vec<Ins> = stage.instructions.iter().skip(1).map(|&i| cx.ins(i)).collect();
    let mut manager: Option<Manager> = None;
    let mut builds = false;
    for ins in &body {
        for c in cx.scripts(*ins).iter().flat_map(|s| &s.commands) {
            let line = ins.model.span.start.line;
            builds |= c.is("npx");
            let Some(m) = Manager::of(c) else { continue };
            if m.installs_project(c) {
                if manager.is_some_and(|known| known != m) {
                    return Step::Skipped(format!("line {line}: the project is installed by two package managers"));
                }
                if m == Manager::Yarn {
                    match yarn_berry(c, context) {
                        Some(false) => {}
                        Some(true) => {
                            return Step::Skipped(format!(
                                "line {line}: Yarn 2+ has no in-place production install (`yarn workspaces focus --production`)"
                            ));
                        }
                        None => {
                            return Step::Skipped(format!(
                                "line {line}: the Yarn version is not known (no build context)"
                            ));
                        }
                    }
                }
                manager = Some(m);
            } else if !m.housekeeping(c) {
                builds = true;
            }
        }
    }
    let Some(manager) = manager else { return Step::Unchanged };
    // Dropping the dev dependencies is safe only when the app does not load one at run time.
    let Some(context) = context else {
        return Step::Skipped("no build context: whether the app loads dev dependencies cannot be read".into());
    };
    if let Some((package, file)) =
        crate::semantics::runtime::node_dev_dependencies_used(context, "package.json").first()
    {
        return Step::Skipped(format!(
            "{file} loads `{package}`, a dev dependency: a production-only install would leave it out"
        ));
    }
    if builds { build_split(text, cx, stage, &body, manager) } else { production_only(text, cx, &body, manager) }
}

/// The project install gets the manager's production flag.
fn production_only(text: &str, cx: &Context, body: &[Ins], manager: Manager) -> Step {
    let flag = manager.production_flag();
    let mut edits = Vec::new();
    let mut example = String::new();
    for ins in body {
        for c in cx.scripts(*ins).iter().flat_map(|s| &s.commands) {
            if Manager::of(c) != Some(manager) || !manager.installs_project(c) || manager.already_production(c) {
                continue;
            }
            // After the subcommand, or after the bare `yarn`.
            let Some(word) = c.operands().next().or(c.name.as_ref()) else { continue };
            if cx.text(word.range()) == word.raw() {
                edits.push(Edit::insert(word.range().end, format!(" {flag}")));
                if example.is_empty() {
                    example = cx.text(c.range().start..word.range().end).to_owned();
                }
            }
        }
    }
    edited(
        text,
        edits,
        Change {
            transform: "multi-stage",
            rules: vec![],
            title: format!("Install production dependencies only (`{example} {flag}`)").into(),
            why: "test and build tools are not needed to run the server".into(),
        },
    )
}

/// Builder: everything but the runtime settings, then `npm prune`; runner: the app folder, the
/// ARG/ENV and the runtime settings.
/// Whether a RUN installs tools outside the app folder: global installs and corepack's shims.
fn installs_globally(cx: &Context, ins: Ins) -> bool {
    cx.scripts(ins).iter().flat_map(|s| &s.commands).any(|c| {
        c.is("corepack")
            || (Manager::of(c).is_some()
                && (c.has_option(Some('g'), Some("global")) || c.subcommand() == Some("global")))
    })
}

fn build_split(text: &str, cx: &Context, stage: &Stage, body: &[Ins], manager: Manager) -> Step {
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
                    .find(|c| !["npm", "npx", "node", "yarn", "pnpm", "corepack"].iter().any(|p| c.is(p)));
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
                let inside =
                    !dest.starts_with('/') || workdir.as_deref().is_some_and(|w| crate::lint::paths::within(dest, w));
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
    let old_npm = stage.image.as_ref().and_then(|i| i.major_version()).is_some_and(|major| major < 16);
    let prune = manager.prune(old_npm);

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
        // The runner needs the environment (and the ARGs it may be built from), and the tools
        // installed outside the app folder (`npm install -g pm2`, `corepack enable`) that the
        // start command may run.
        if ins.is("ENV") || ins.is("ARG") || (ins.is("RUN") && installs_globally(cx, *ins)) {
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
                "the build needs the dev dependencies, the server does not: `{prune}` drops them and the runner gets no package cache or build leftovers"
            ).into(),
        }],
    }
}
