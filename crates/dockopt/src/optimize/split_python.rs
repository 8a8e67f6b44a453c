//! Builder/runner split for a single-stage Python image that installs its dependencies with pip
//! or uv.
//!
//! The builder installs them into a virtualenv at /opt/venv (a venv, not `--prefix`, because it
//! works the same with the official images and with a distribution's Python); the runner starts
//! again from the same base and copies the venv. Compilers and header packages the install needs
//! stay in the builder; header packages whose runtime library is not already in the Python images
//! are swapped for that library (`libpq-dev` -> `libpq5`), and unknown ones are kept rather than
//! guessed. With uv, `uv sync` builds the venv at the same place (UV_PROJECT_ENVIRONMENT) and
//! `uv run X` in CMD/ENTRYPOINT becomes the venv's X. Layouts this cannot follow (a USER before
//! the install, pip mixed with other commands, `--user`/`--prefix`/`--target` installs, uv after
//! the install, poetry/pipenv/pdm) are skipped with the reason.

use super::stage_text::{chunks, line_text};
use super::{Change, Step};
use crate::lint::packages::{installed, is_build_tool, package_name};
use crate::lint::{Context, Ins};
use crate::model::Stage;
use crate::semantics::BuildContext;
use crate::semantics::provenance::stage_context_path;
use crate::shell::{Command, Word};
use crate::text::{whole_lines, with_leading_blanks};

const VENV: &str = "/opt/venv";

/// Header packages whose runtime library the Python images already carry (`None`) or that
/// need one installed (`Some`). Debian names, then Alpine names.
const HEADERS: [(&str, Option<&str>); 15] = [
    ("python3-dev", None),
    ("libffi-dev", None),
    ("libssl-dev", None),
    ("zlib1g-dev", None),
    ("libbz2-dev", None),
    ("liblzma-dev", None),
    ("libsqlite3-dev", None),
    ("libreadline-dev", None),
    ("libpq-dev", Some("libpq5")),
    ("libjpeg-dev", Some("libjpeg62-turbo")),
    ("libjpeg62-turbo-dev", Some("libjpeg62-turbo")),
    ("openssl-dev", None),
    ("zlib-dev", None),
    ("postgresql-dev", Some("libpq")),
    ("jpeg-dev", Some("libjpeg-turbo")),
];

/// Where an instruction of the original stage goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Place {
    Builder,
    Runner,
    Both,
    /// A package install whose build-only packages stay in the builder.
    PackagesSplit,
}

/// Whether `cmd` runs pip (`pip`, `pip3`, `python -m pip`).
fn is_pip(cmd: &Command) -> bool {
    let program = cmd.program().unwrap_or_default();
    matches!(program, "pip" | "pip3")
        || (program.starts_with("python") && cmd.args.windows(2).any(|w| w[0].text() == "-m" && w[1].text() == "pip"))
}

fn is_pip_install(cmd: &Command) -> bool {
    is_pip(cmd) && cmd.args.iter().any(|w| w.text() == "install")
}

/// Why a pip install cannot simply run inside the venv, if it cannot.
fn pip_obstacle(cmd: &Command) -> Option<String> {
    let bad = ["--user", "--prefix", "--target", "-t", "--root", "--system"];
    cmd.args
        .iter()
        .map(Word::text)
        .find(|w| bad.iter().any(|b| w == b || w.starts_with(&format!("{b}="))))
        .map(|w| format!("`pip install {w}` installs outside a virtualenv"))
}

/// What the runner installs instead of `name`: itself, another package, or nothing.
fn runner_package(name: &str) -> Option<Option<&'static str>> {
    if is_build_tool(name) {
        return Some(None);
    }
    HEADERS.iter().find(|(h, _)| *h == name).map(|(_, runtime)| *runtime)
}

/// The builder's last step: remove pip from the venv, and setuptools too when no installed
/// package and no code of the app imports it (checked in the venv at build time).
fn uninstall_packaging(app_uses_setuptools: bool, escape: char) -> String {
    if app_uses_setuptools {
        return "python -m pip uninstall --yes pip".into();
    }
    let imports = "'^[[:space:]]*(import|from)[[:space:]]+(pkg_resources|setuptools)'";
    let skip =
        ["setuptools", "pkg_resources", "_distutils_hack", "pip"].map(|d| format!("--exclude-dir={d}")).join(" ");
    format!(
        "site=\"$(python -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])')\" {escape}\n    \
         && if grep -rqsE --include='*.py' {skip} {escape}\n        {imports} \"$site\"; {escape}\n    \
         then python -m pip uninstall --yes pip; else python -m pip uninstall --yes pip setuptools; fi"
    )
}

/// Whether the app's own Python code (in the build context) imports setuptools or pkg_resources.
fn imports_setuptools(context: Option<&BuildContext>) -> bool {
    let Some(context) = context else { return true };
    context.files().iter().filter(|f| f.ends_with(".py")).any(|f| {
        context.read(f).is_some_and(|t| {
            t.lines().any(|l| {
                let l = l.trim_start();
                (l.starts_with("import ") || l.starts_with("from "))
                    && (l.contains("pkg_resources") || l.contains("setuptools"))
            })
        })
    })
}

pub(crate) fn python(text: &str, cx: &Context, stage: &Stage, context: Option<&BuildContext>) -> Step {
    let app_uses_setuptools = imports_setuptools(context);
    let body: Vec<Ins> = stage.instructions.iter().skip(1).map(|&i| cx.ins(i)).collect();
    let uv = body.iter().flat_map(|i| cx.scripts(*i).iter().flat_map(|s| &s.commands)).any(is_uv_sync);
    let installs = |c: &Command| if uv { is_uv_sync(c) } else { is_pip_install(c) };
    let pip_runs: Vec<usize> =
        (0..body.len()).filter(|&k| cx.scripts(body[k]).iter().flat_map(|s| &s.commands).any(installs)).collect();
    if stage.image.as_ref().and_then(|i| i.major_version()) == Some(2) {
        return Step::Skipped("Python 2 has no venv module".into());
    }
    if let Some(tool) = other_installer(cx, &body) {
        return Step::Skipped(format!("only pip and uv installs are split into a builder so far, not `{tool}`"));
    }
    let Some(&last_install) = pip_runs.last() else { return Step::Unchanged };
    for &k in &pip_runs {
        let ins = body[k];
        let line = ins.model.span.start.line;
        for c in cx.scripts(ins).iter().flat_map(|s| &s.commands) {
            // With uv, pip only installs uv itself (into the system Python, not the venv).
            if let Some(why) = (!uv && is_pip_install(c)).then(|| pip_obstacle(c)).flatten() {
                return Step::Skipped(format!("line {line}: {why}"));
            }
            if c.is("uv") && !is_uv_sync(c) {
                return Step::Skipped(format!(
                    "line {line}: `uv {}` is not a project sync",
                    c.subcommand().unwrap_or("")
                ));
            }
            // Shell housekeeping changes nothing the runner needs.
            if !is_pip(c) && !c.is("uv") && !["rm", "set", "true", "echo"].iter().any(|p| c.is(p)) {
                return Step::Skipped(format!(
                    "line {line}: the pip install runs together with `{}`, which the runner may need",
                    c.program().unwrap_or("?")
                ));
            }
        }
    }
    let copies_context = |ins: &Ins| {
        (ins.is("COPY") || ins.is("ADD"))
            && ins.flag("from").is_none()
            && ins
                .model
                .arguments
                .split_last()
                .is_some_and(|(_, sources)| sources.iter().any(|s| s == "." || s == "./"))
    };
    if let Some(copy) = body[..last_install].iter().find(|i| copies_context(i)) {
        return Step::Skipped(format!(
            "line {}: the whole context is copied before the dependency install",
            copy.model.span.start.line
        ));
    }
    if let Some(user) = body[..last_install].iter().find(|i| i.is("USER")) {
        return Step::Skipped(format!(
            "line {}: USER before the install; the builder would not own the virtualenv",
            user.model.span.start.line
        ));
    }
    if uv && let Some(ins) = body[last_install + 1..].iter().find(|i| i.is("RUN") && runs_uv(cx, **i)) {
        return Step::Skipped(format!(
            "line {}: uv runs after the install; the runner has no uv",
            ins.model.span.start.line
        ));
    }
    if let Some(why) = system_python_after(cx, &body[last_install + 1..], context) {
        return Step::Skipped(why);
    }
    let context_copied_later = body[last_install..].iter().any(copies_context);
    let places: Vec<Place> = body
        .iter()
        .enumerate()
        .map(|(k, ins)| {
            if pip_runs.contains(&k) {
                Place::Builder
            } else if k > last_install {
                Place::Runner
            } else {
                place_before_install(cx, *ins, context_copied_later)
            }
        })
        .collect();

    let kw = |k: &str| cx.ins(stage.instructions[0]).model.same_case(k);
    // `uv run X` starts X from the venv; the runner has the venv on PATH and no uv.
    let mut starts: Vec<(usize, String)> = Vec::new();
    if uv {
        for (k, ins) in body.iter().enumerate().filter(|(_, i)| i.is("CMD") || i.is("ENTRYPOINT")) {
            match without_uv_run(ins) {
                Ok(Some(exec)) => starts.push((k, format!("{} {exec}\n", kw(ins.keyword())))),
                Ok(None) => {}
                Err(why) => return Step::Skipped(format!("line {}: {why}", ins.model.span.start.line)),
            }
        }
    }
    let from = cx.ins(stage.instructions[0]);
    let from_line = whole_lines(text, from.syntax.range.clone());
    let builder_name = if stage.name.as_deref() == Some("builder") { "deps" } else { "builder" };
    let venv_path = format!("{} PATH=\"{VENV}/bin:$PATH\"\n", kw("ENV"));

    let mut builder = format!("{} {} {} {builder_name}\n", kw("FROM"), from.model.arguments[0], kw("AS"));
    if uv {
        // uv builds the project's venv there; with no Python downloads it links the base's Python,
        // which the runner has too.
        builder.push_str(&format!("{} UV_PROJECT_ENVIRONMENT={VENV} UV_PYTHON_DOWNLOADS=never\n", kw("ENV")));
    } else {
        builder.push_str(&format!("{} python -m venv {VENV}\n{venv_path}", kw("RUN")));
    }
    let mut runner = text[from_line.clone()].to_owned();
    if !runner.ends_with('\n') {
        runner.push('\n');
    }
    let mut moved_tools: Vec<String> = Vec::new();
    for (k, (ins, range)) in body.iter().zip(chunks(text, from_line.end, &body)).enumerate() {
        let start = range.start;
        let chunk = match starts.iter().find(|(at, _)| *at == k) {
            // The comments above the start command stay, the command becomes the venv's.
            Some((_, exec)) => format!("{}{exec}", &text[start..whole_lines(text, ins.syntax.range.clone()).start]),
            None => line_text(text, range),
        };
        match places[k] {
            Place::Builder => builder.push_str(&chunk),
            Place::Runner => runner.push_str(&chunk),
            Place::Both => {
                builder.push_str(&chunk);
                runner.push_str(&chunk);
            }
            Place::PackagesSplit => {
                builder.push_str(&chunk);
                let (kept, dropped) = runner_packages(text, cx, *ins, start);
                moved_tools.extend(dropped);
                if let Some(kept) = kept {
                    runner.push_str(&kept);
                }
            }
        }
        if k == last_install {
            // The runner installs nothing, so the venv's own pip (~15 MB) need not ship, nor
            // the setuptools a venv gets before Python 3.12, unless some code imports it.
            if !uv {
                builder.push_str(&format!(
                    "{} {}\n",
                    kw("RUN"),
                    uninstall_packaging(app_uses_setuptools, cx.model.escape)
                ));
            }
            runner.push_str(&format!("{} --from={builder_name} {VENV} {VENV}\n{venv_path}", kw("COPY")));
        }
    }
    if !uv && moved_tools.is_empty() {
        // The runner would be the same base with the same packages: no smaller, and the venv
        // would add its own copy of the packaging tools.
        return Step::Skipped(
            "nothing would stay in the builder (no compilers or build packages to leave behind)".into(),
        );
    }
    let prefix = &text[..from_line.start];
    let mut out = format!("{prefix}{builder}\n{runner}");
    if !text.ends_with('\n') {
        out.pop();
    }
    let tool = if uv { "uv" } else { "pip" };
    let mut why = format!(
        "the runner gets only the installed packages: {tool}, its downloads and build files stay in the builder"
    );
    if !starts.is_empty() {
        why.push_str("; `uv run` becomes the venv's own command");
    }
    if !moved_tools.is_empty() {
        why.push_str(&format!(", and so do the build packages ({})", moved_tools.join(", ")));
    }
    Step::Changed {
        text: out,
        changes: vec![Change {
            transform: "multi-stage",
            rules: if moved_tools.is_empty() { vec![] } else { vec!["DO392"] },
            title: format!("Install the dependencies into a virtualenv in a `{builder_name}` stage and copy it").into(),
            why: why.into(),
        }],
    }
}

/// Why something after the install would run the base image's Python instead of the venv's,
/// if it would: an absolute path to a Python or a script in /usr/local/bin or /usr/bin (the
/// venv's packages are not visible there), in a RUN, CMD, ENTRYPOINT, HEALTHCHECK or a start
/// script from the context.
fn system_python_after(cx: &Context, after: &[Ins], context: Option<&BuildContext>) -> Option<String> {
    let system = |text: &str| {
        text.split(|c: char| c.is_whitespace() || "\"'[],;&|".contains(c))
            .map(|w| w.trim_start_matches("#!"))
            .find(|w| (w.starts_with("/usr/local/bin/") || w.starts_with("/usr/bin/python")) && w.len() > 15)
            .map(str::to_owned)
    };
    for ins in after {
        let line = ins.model.span.start.line;
        if matches!(ins.keyword(), "RUN" | "CMD" | "ENTRYPOINT" | "HEALTHCHECK")
            && let Some(path) = system(&ins.model.arguments.join(" "))
        {
            return Some(format!("line {line} runs `{path}`, which would not see the venv's packages"));
        }
        if !(ins.is("CMD") || ins.is("ENTRYPOINT")) {
            continue;
        }
        // A start script from the context may call them too.
        for word in super::command_words(ins.model).iter().filter(|w| w.ends_with(".sh") || w.ends_with(".py")) {
            let path = stage_context_path(cx, *ins, word);
            let text = path.as_deref().and_then(|p| context?.read(p));
            if let Some(found) = text.as_deref().and_then(system) {
                return Some(format!(
                    "the start script `{word}` runs `{found}`, which would not see the venv's packages"
                ));
            }
        }
    }
    None
}

/// The first Python installer other than pip and uv the stage runs, for the skip reason.
fn other_installer(cx: &Context, body: &[Ins]) -> Option<&'static str> {
    let tools = ["poetry", "pipenv", "pdm", "conda"];
    body.iter()
        .flat_map(|ins| cx.scripts(*ins).iter().flat_map(|s| &s.commands))
        .find_map(|c| tools.iter().find(|t| c.is(t)).copied())
}

/// `uv sync`: installs the project's locked dependencies into its venv.
fn is_uv_sync(cmd: &Command) -> bool {
    cmd.is("uv") && cmd.subcommand() == Some("sync")
}

fn runs_uv(cx: &Context, ins: Ins) -> bool {
    cx.scripts(ins).iter().flat_map(|s| &s.commands).any(|c| c.is("uv") || c.is("uvx"))
}

/// The exec form of a start command without its `uv run` (`uv run app.py` -> `["python",
/// "app.py"]`), None when it does not use uv, Err when it uses uv in a way the venv cannot stand
/// in for.
fn without_uv_run(ins: &Ins) -> Result<Option<String>, String> {
    if ins.model.form != Some(crate::model::Form::Exec) {
        let line = ins.model.arguments.first().map(String::as_str).unwrap_or_default();
        if line.contains(['$', '"', '\'', '&', '|', ';', '>', '<', '`', '\\']) {
            return if line.contains("uv") {
                Err("the start command runs uv through the shell".into())
            } else {
                Ok(None)
            };
        }
    }
    match super::command_words(ins.model).as_slice() {
        ["uv", "run", rest @ ..] => {
            let Some(first) = rest.first() else { return Err("`uv run` without a command".into()) };
            if first.starts_with('-') {
                return Err(format!("`uv run {first}` takes options the venv cannot stand in for"));
            }
            let mut exec: Vec<&str> = Vec::new();
            if first.ends_with(".py") {
                exec.push("python");
            }
            exec.extend(rest.iter().copied());
            let quoted: Vec<String> = exec.iter().map(|w| serde_json::to_string(w).unwrap_or_default()).collect();
            Ok(Some(format!("[{}]", quoted.join(", "))))
        }
        [first, ..] if *first == "uv" || *first == "uvx" => Err(format!("the start command runs `{first}`")),
        _ => Ok(None),
    }
}

/// Where an instruction before the dependency install goes.
fn place_before_install(cx: &Context, ins: Ins, context_copied_later: bool) -> Place {
    match ins.keyword() {
        "WORKDIR" | "ENV" | "ARG" | "SHELL" => Place::Both,
        // Manifests are all the builder needs; the runner gets them with the whole context.
        "COPY" | "ADD" if ins.flag("from").is_none() && context_copied_later => Place::Builder,
        "COPY" | "ADD" => Place::Both,
        "RUN" if package_run(cx, ins).is_some_and(|names| names.iter().any(|n| runner_package(n).is_some())) => {
            Place::PackagesSplit
        }
        "RUN" => Place::Both,
        _ => Place::Runner,
    }
}

/// The packages a RUN installs when it does nothing but manage system packages (a shell-form
/// RUN without heredocs), else None.
fn package_run(cx: &Context, ins: Ins) -> Option<Vec<String>> {
    if ins.model.form != Some(crate::model::Form::Shell) || !ins.syntax.heredocs().is_empty() {
        return None;
    }
    let managers = ["apt-get", "apt", "apk", "rm", "apt-mark"];
    let commands: Vec<&Command> = cx.scripts(ins).iter().flat_map(|s| &s.commands).collect();
    if commands.is_empty() || !commands.iter().all(|c| managers.iter().any(|m| c.is(m))) {
        return None;
    }
    let names: Vec<String> = commands
        .iter()
        .filter_map(|c| installed(c))
        .flatten()
        .filter(|w| crate::lint::packages::exact(cx, w))
        .map(|w| package_name(w.text()).to_owned())
        .collect();
    Some(names)
}

/// The runner's copy of a package RUN (`chunk_start` is where its chunk starts in `text`):
/// build tools removed, header packages swapped for their runtime library. None when nothing is
/// left to install. Also returns the packages that stay in the builder only.
fn runner_packages(text: &str, cx: &Context, ins: Ins, chunk_start: usize) -> (Option<String>, Vec<String>) {
    let end = whole_lines(text, ins.syntax.range.clone()).end;
    let escape = cx.model.escape;
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    let mut dropped = Vec::new();
    let mut kept = 0;
    for c in cx.scripts(ins).iter().flat_map(|s| &s.commands) {
        for word in installed(c).unwrap_or_default() {
            let name = package_name(word.text());
            match runner_package(name) {
                Some(Some(runtime)) => {
                    dropped.push(name.to_owned());
                    kept += 1;
                    edits.push((word.range(), runtime));
                }
                Some(None) => {
                    dropped.push(name.to_owned());
                    edits.push((with_leading_blanks(text, escape, word.range()), ""));
                }
                None => kept += 1,
            }
        }
    }
    if kept == 0 {
        return (None, dropped);
    }
    let mut out = String::new();
    let mut at = chunk_start;
    for (range, with) in edits {
        out.push_str(&text[at..range.start]);
        out.push_str(with);
        at = range.end;
    }
    out.push_str(&text[at..end]);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    (Some(out), dropped)
}
