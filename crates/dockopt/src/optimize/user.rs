//! Non-root: the final stage gets a system user created the way its base distribution expects,
//! its context copies are owned by that user, and `USER` comes before CMD/ENTRYPOINT.

use super::{Change, Step, command_words, edited};
use crate::lint::invocation::unwrap;
use crate::lint::paths::resolve;
use crate::lint::{Context, Edit};
use crate::semantics::BuildContext;
use crate::semantics::provenance::{stage_context_path, workdir_at};

/// How to add a user on the final stage's base.
enum Distro {
    Debian,
    Alpine,
    /// The image already has an unprivileged user with this name (node images: `node`).
    Existing(&'static str),
}

/// Servers whose main process must start as root (to open privileged ports, logs or other
/// users' files) and hands the work to an unprivileged user itself.
const STARTS_AS_ROOT: [&str; 12] = [
    "nginx",
    "httpd",
    "httpd-foreground",
    "apache2",
    "apache2-foreground",
    "apachectl",
    "php-fpm",
    "sshd",
    "supervisord",
    "cron",
    "crond",
    "systemd",
];

/// Interpreters and shells: a CMD that runs one of them without arguments starts a REPL.
const INTERPRETERS: [&str; 14] =
    ["python", "python3", "node", "bash", "sh", "ash", "zsh", "irb", "ruby", "php", "perl", "ghci", "jshell", "iex"];

/// The program of a start command that has no arguments and no ENTRYPOINT before it.
fn starts_alone(cx: &Context, stage: &crate::model::Stage) -> Option<String> {
    let starts: Vec<_> =
        stage.instructions.iter().map(|&i| cx.ins(i)).filter(|i| i.is("CMD") || i.is("ENTRYPOINT")).collect();
    let [only] = starts.as_slice() else { return None };
    let words = command_words(only.model);
    let [program] = words.as_slice() else { return None };
    Some(program.rsplit('/').next().unwrap_or(program).to_owned())
}

/// Whether a COPY destination lands in the app's folder: relative to a WORKDIR other than `/`,
/// or inside that WORKDIR.
fn into_app_folder(dest: &str, workdir: Option<&str>) -> bool {
    let Some(workdir) = workdir.filter(|w| *w != "/") else { return false };
    !dest.starts_with('/') || dest == workdir || dest.starts_with(&format!("{workdir}/"))
}

/// Commands only root may run, or that act on what root owns: a start script running them
/// needs root.
const ROOT_ONLY: [&str; 16] = [
    "chown", "chmod", "apt-get", "apt", "apk", "useradd", "adduser", "groupadd", "addgroup", "mount", "sysctl", "gosu",
    "su-exec", "setpriv", "su", "sudo",
];

/// Why the stage's RUNs leave something in root's home that the app may use, if they do:
/// files under /root or $HOME, `pip install --user`, browsers downloaded by playwright,
/// virtualenvs that poetry or pipenv keep in root's cache.
fn uses_root_home(cx: &Context, stage: &crate::model::Stage) -> Option<String> {
    for &i in &stage.instructions {
        let ins = cx.ins(i);
        if ins.effective().keyword != "RUN" && !ins.is("ENV") {
            continue;
        }
        let line = ins.model.span.start.line;
        let logical = &ins.syntax.logical;
        if ["/root", "~/", "$HOME", "${HOME}"].iter().any(|h| logical.contains(h)) {
            return Some(format!("line {line} works in root's home, which another user would not see"));
        }
        for c in cx.scripts(ins).iter().flat_map(|s| &s.commands) {
            let c = unwrap(c);
            let words: Vec<&str> = c.args.iter().map(|w| w.text()).collect();
            let why = if crate::lint::invocation::is_pip(c.program().unwrap_or_default()) && words.contains(&"--user") {
                Some("`pip install --user` installs into root's home")
            } else if c.is("playwright") || words.windows(2).any(|w| w == ["playwright", "install"]) {
                Some("playwright keeps its browsers in root's home")
            } else if c.is("poetry") && c.subcommand() == Some("install") && !poetry_without_venv(cx, stage) {
                Some("poetry keeps its virtualenv in root's cache")
            } else if c.is("pipenv") && c.subcommand() == Some("install") && !words.contains(&"--system") {
                Some("pipenv keeps its virtualenv in root's home")
            } else {
                None
            };
            if let Some(why) = why {
                return Some(format!("line {line}: {why}"));
            }
        }
    }
    None
}

/// The line of a copy of the whole build context into `/` (the app's own folder is then the
/// filesystem root), if the stage has one.
fn context_copied_to_root(cx: &Context, stage: &crate::model::Stage) -> Option<usize> {
    stage.instructions.iter().map(|&i| cx.ins(i)).find_map(|ins| {
        let copy = crate::semantics::provenance::context_copy(cx, ins)?;
        (copy.dest == "/" && copy.sources.iter().any(|s| s == ".")).then_some(ins.model.span.start.line as usize)
    })
}

/// Whether poetry is told to install into the system Python (no virtualenv).
fn poetry_without_venv(cx: &Context, stage: &crate::model::Stage) -> bool {
    stage.instructions.iter().map(|&i| cx.ins(i)).any(|i| {
        let text = i.syntax.logical.to_ascii_lowercase();
        text.contains("poetry_virtualenvs_create=false")
            || text.contains("poetry_virtualenvs_create false")
            || text.contains("virtualenvs.create false")
    })
}

/// The port a start command listens on (`--port 80`, `-b 0.0.0.0:8000`), if it says.
fn port_in_command(cx: &Context, stage: &crate::model::Stage) -> Option<u16> {
    stage
        .instructions
        .iter()
        .map(|&i| cx.ins(i))
        .filter(|i| i.is("CMD") || i.is("ENTRYPOINT"))
        .find_map(|i| super::health::port_in_command(&i.model.arguments))
}

/// Why a script the image starts with needs root, if it does: it runs a root-only command.
/// Without the context a start script cannot be read, and counts as needing root.
fn start_script_needs_root(
    cx: &Context,
    stage: &crate::model::Stage,
    context: Option<&BuildContext>,
) -> Option<String> {
    for ins in stage.instructions.iter().map(|&i| cx.ins(i)).filter(|i| i.is("CMD") || i.is("ENTRYPOINT")) {
        let words = command_words(ins.model);
        let script = words.iter().find(|w| w.ends_with(".sh") || (w.contains('/') && !w.starts_with('-')));
        let Some(script) = script else { continue };
        let path = stage_context_path(cx, ins, script);
        let text = path.as_deref().and_then(|p| context?.read(p));
        if !script.ends_with(".sh") && text.is_none() {
            // A binary or a file that is not from the context: nothing to read.
            continue;
        }
        let Some(text) = text else {
            return Some(format!("the start script `{script}` cannot be read from the build context"));
        };
        let parsed = crate::shell::analyze(&text, &|o| o);
        let shell_script = script.ends_with(".sh")
            || crate::shell::shebang(&text).is_some_and(|s| crate::shell::POSIX_SHELLS.contains(&s.as_str()));
        if shell_script && parsed.has_errors {
            return Some(format!("the start script `{script}` could not be analysed"));
        }
        if let Some(c) = parsed.commands.iter().map(|c| unwrap(c)).find(|c| ROOT_ONLY.iter().any(|r| c.is(r))) {
            return Some(format!(
                "the start script `{script}` runs `{}`, which needs root",
                c.program().unwrap_or_default()
            ));
        }
        if text.contains("> /etc/") || text.contains(">/etc/") {
            return Some(format!("the start script `{script}` writes to /etc"));
        }
    }
    None
}

/// Folders the app may write that RUN or VOLUME create as root: `mkdir` and `touch` targets in
/// the final stage and VOLUME paths, resolved against the working directory.
fn created_as_root(cx: &Context, stage: &crate::model::Stage) -> Vec<String> {
    let mut paths = Vec::new();
    // The working directory, followed in one pass (not looked up again for each instruction).
    let mut dir = stage.instructions.first().and_then(|&i| workdir_at(cx, cx.ins(i)));
    for &i in &stage.instructions {
        let ins = cx.ins(i);
        if ins.is("WORKDIR") {
            dir = ins.model.arguments.first().and_then(|a| resolve(dir.as_deref(), a));
            continue;
        }
        if ins.is("VOLUME") {
            paths.extend(ins.model.arguments.iter().filter_map(|a| resolve(dir.as_deref(), a)));
        }
        if ins.effective().keyword != "RUN" {
            continue;
        }
        for c in cx.scripts(ins).iter().flat_map(|s| &s.commands) {
            if c.is("mkdir") || c.is("touch") {
                paths.extend(c.operands().filter_map(|w| w.value()).filter_map(|w| resolve(dir.as_deref(), w)));
            }
        }
    }
    let system = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/var/lib/apt", "/opt/venv", "/root", "/tmp", "/var/tmp"];
    paths.retain(|p| p != "/" && !system.iter().any(|s| p == s || p.starts_with(&format!("{s}/"))));
    paths.sort();
    paths.dedup();
    paths
}

/// Folders named by ENV values (`DATA_DIR=/data`): single absolute paths outside the system
/// folders, where the app is told to write.
fn env_folders(cx: &Context, stage: &crate::model::Stage) -> Vec<String> {
    stage
        .instructions
        .iter()
        .map(|&i| cx.ins(i))
        .filter(|i| i.is("ENV"))
        .flat_map(|i| i.model.pairs.iter())
        .filter(|p| !matches!(p.key.as_ref(), "PATH" | "PYTHONPATH" | "NODE_PATH" | "LD_LIBRARY_PATH" | "VIRTUAL_ENV"))
        .filter_map(|p| p.value.as_deref())
        .filter(|v| v.starts_with('/') && !v.contains([':', '$', ' ']))
        .filter_map(crate::semantics::runtime::app_folder)
        .filter(|f| !f.starts_with("/opt/venv") && !f.starts_with("/root"))
        .collect()
}

/// Whether a RUN after the app is copied runs a database migration or the like, which leaves a
/// root-owned database in the app's folder that the app then writes.
fn migrates_at_build(cx: &Context, stage: &crate::model::Stage) -> Option<String> {
    stage.instructions.iter().map(|&i| cx.ins(i)).filter(|i| i.effective().keyword == "RUN").find_map(|ins| {
        let logical = &ins.syntax.logical;
        ["migrate", "db upgrade", "alembic upgrade", "sqlite3", "createdb", "loaddata", "init-db", "init_db", "initdb"]
            .iter()
            .find(|m| logical.contains(*m))
            .map(|m| {
                format!(
                    "line {} runs `{m}` as root: the data it writes would not be writable by the app",
                    ins.model.span.start.line
                )
            })
    })
}

fn distro(repository: &str, tag: &str) -> Option<Distro> {
    let name = repository.rsplit('/').next().unwrap_or(repository);
    if tag.contains("alpine") || name == "alpine" {
        return if name == "node" { Some(Distro::Existing("node")) } else { Some(Distro::Alpine) };
    }
    match name {
        "node" => Some(Distro::Existing("node")),
        "python" | "ruby" | "golang" | "openjdk" | "eclipse-temurin" | "php" | "perl" | "debian" | "ubuntu"
        | "buildpack-deps" => Some(Distro::Debian),
        _ => None,
    }
}

pub(crate) fn non_root(text: &str, context: Option<&BuildContext>) -> Step {
    let syntax = crate::syntax::parse(text);
    let model = crate::model::build(text, &syntax, &[]);
    let cx = Context::reading(text, &syntax, &model);
    let Some(stage) = model.stages.last() else { return Step::Skipped("no FROM".into()) };
    let sets_user = stage.instructions.iter().any(|&i| model.instructions[i].keyword == "USER");
    if sets_user {
        return Step::Unchanged;
    }
    // Entrypoint scripts often start as root and drop privileges themselves (gosu, su-exec):
    // a USER line would break them, so such images are left alone.
    let drops_privileges = stage.instructions.iter().map(|&i| cx.ins(i)).any(|ins| {
        (ins.is("ENTRYPOINT")
            && ins.model.arguments.first().is_some_and(|a| a.ends_with(".sh") || a.contains("entrypoint")))
            || (ins.is("RUN") && ["gosu", "su-exec", "setpriv"].iter().any(|t| ins.syntax.logical.contains(t)))
    });
    if drops_privileges {
        return Step::Skipped(
            "the entrypoint script may drop privileges itself (gosu, su-exec): not adding USER".into(),
        );
    }
    let starts = stage.instructions.iter().map(|&i| cx.ins(i)).filter(|i| i.is("CMD") || i.is("ENTRYPOINT"));
    let programs: Vec<&str> = starts
        .filter_map(|i| command_words(i.model).first().copied())
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .collect();
    // Images that work in root's home (interactive tools) would lose it.
    let in_root_home = stage.instructions.iter().map(|&i| cx.ins(i)).any(|i| {
        (i.is("WORKDIR") || i.is("COPY") || i.is("ADD"))
            && i.model.arguments.last().is_some_and(|a| a == "/root" || a.starts_with("/root/"))
    });
    if in_root_home {
        return Step::Skipped("the image works in /root, root's home: not adding USER".into());
    }
    if let Some(line) = context_copied_to_root(&cx, stage) {
        return Step::Skipped(format!(
            "line {line} copies the build context into `/`: the app would live where a user cannot write: not adding USER"
        ));
    }
    if let Some(why) = uses_root_home(&cx, stage) {
        return Step::Skipped(format!("{why}: not adding USER"));
    }
    if let Some(why) = start_script_needs_root(&cx, stage, context) {
        return Step::Skipped(format!("{why}: not adding USER"));
    }
    if let Some(why) = migrates_at_build(&cx, stage) {
        return Step::Skipped(format!("{why}: not adding USER"));
    }
    let command_port = port_in_command(&cx, stage);
    if let Some(port) = command_port.filter(|p| *p < 1024) {
        return Step::Skipped(format!(
            "the start command listens on port {port}, which an unprivileged user may not open: not adding USER"
        ));
    }
    if programs.is_empty() {
        // Nothing to run: most likely a base for other images, whose RUN steps would then run
        // as the new user.
        return Step::Skipped("no CMD or ENTRYPOINT: a base for other images is left as root".into());
    }
    if let Some(ins) = cx.unanalysed_run(stage) {
        // It may create the folders the app writes, or work in root's home.
        return Step::Skipped(format!(
            "line {}: the RUN's script could not be analysed: not adding USER",
            ins.model.span.start.line
        ));
    }
    // Ports below 1024 need root (or a sysctl Docker sets but Kubernetes does not).
    let privileged = stage.instructions.iter().map(|&i| cx.ins(i)).filter(|i| i.is("EXPOSE")).find_map(|i| {
        i.model.arguments.iter().find_map(|a| {
            let port: u32 = a.split('/').next()?.parse().ok()?;
            (port < 1024).then_some(port)
        })
    });
    if let Some(port) = privileged {
        return Step::Skipped(format!(
            "the image serves port {port}, which an unprivileged user may not open outside Docker: \
             move the app to a port above 1023, then add USER"
        ));
    }
    // `CMD ["python3"]` alone: the image is a runtime for others to build on (official images).
    let only_interpreter = starts_alone(&cx, stage).is_some_and(|p| INTERPRETERS.contains(&p.as_str()));
    if only_interpreter {
        return Step::Skipped(
            "CMD only starts an interpreter or a shell: a base for other images is left as root".into(),
        );
    }
    if let Some(daemon) = programs.iter().find(|p| STARTS_AS_ROOT.contains(p)) {
        return Step::Skipped(format!("`{daemon}` starts as root and drops privileges itself: not adding USER"));
    }
    // Follow FROM <earlier stage> to the image it rests on.
    let mut root = stage;
    while let Some(b) = root.base_stage {
        root = &model.stages[b];
        if root.instructions.iter().any(|&i| model.instructions[i].keyword == "USER") {
            return Step::Unchanged;
        }
    }
    let Some(image) = &root.image else {
        return Step::Skipped("the final stage's base image is not known (scratch or a build-time value)".into());
    };
    // A build argument in FROM may pick another distribution than its default names.
    if root.base.contains('$') {
        return Step::Skipped(format!(
            "the base image `{}` depends on a build argument: how to add a user there is not known",
            root.base
        ));
    }
    let Some(kind) = distro(&image.repository, image.tag.as_deref().unwrap_or("latest")) else {
        return Step::Skipped(format!(
            "unknown distribution for `{}`: not guessing how to add a user",
            image.repository
        ));
    };
    let exposes = stage.instructions.iter().any(|&i| model.instructions[i].keyword == "EXPOSE");
    // Without a port in the file, the app's configuration decides; without the context, unknown.
    if !exposes && command_port.is_none() {
        match context.map(crate::semantics::runtime::privileged_port) {
            Some(Some((port, file))) => {
                return Step::Skipped(format!(
                    "{file} sets port {port}, which an unprivileged user may not open: not adding USER"
                ));
            }
            Some(None) => {}
            None => {
                return Step::Skipped("no port in the file and no build context to find it: not adding USER".into());
            }
        }
    }
    let kw = |k: &str| model.instructions[stage.instructions[0]].same_case(k);
    let (user, create) = match kind {
        Distro::Debian => ("app", Some("groupadd --system app && useradd --system --gid app --create-home app")),
        Distro::Alpine => ("app", Some("addgroup -S app && adduser -S -G app app")),
        Distro::Existing(name) => (name, None),
    };
    let from = cx.ins(stage.instructions[0]);
    let mut edits = Vec::new();
    if let Some(create) = create {
        edits.push(Edit::insert(from.syntax.range.end, format!("\n{} {create}", kw("RUN"))));
    }
    // A home directory: tools like uv and pip write caches under $HOME at run time.
    // Context copies into the app's folder belong to the user; copies into system paths
    // (/usr/local/bin, /etc) stay root's, so the app cannot rewrite its own binaries or
    // configuration; copies from other stages and images keep their owner.
    // None once a WORKDIR holds what the file does not decide (a variable).
    let mut workdir = Some(String::from("/"));
    for &i in &stage.instructions {
        let ins = cx.ins(i);
        if ins.is("WORKDIR") {
            workdir = resolve(workdir.as_deref(), ins.model.arguments.first().map(String::as_str).unwrap_or_default());
        }
        let copies = (ins.is("COPY") || ins.is("ADD")) && ins.flag("chown").is_none() && ins.flag("from").is_none();
        let dest = ins.model.arguments.last().map(String::as_str).unwrap_or("/");
        if copies && into_app_folder(dest, workdir.as_deref()) {
            edits.push(Edit::insert(cx.keyword_range(ins).end, format!(" --chown={user}:{user}")));
        }
    }
    // The app's folder and the folders RUN and VOLUME create belong to the user, so the app
    // can still write where it wrote as root (the folder only, not what is already in it).
    let mut writable = created_as_root(&cx, stage);
    if let Some(context) = &context {
        writable.extend(crate::semantics::runtime::folders_written(context));
    }
    writable.extend(env_folders(&cx, stage));
    writable.sort();
    writable.dedup();
    if let Some(dir) = workdir.as_deref().filter(|w| *w != "/" && !w.starts_with("/root")) {
        writable.retain(|w| w != dir);
        writable.insert(0, dir.to_owned());
    }
    // USER before the first CMD/ENTRYPOINT of the stage, or at its end.
    let command = stage.instructions.iter().map(|&i| cx.ins(i)).find(|i| i.is("CMD") || i.is("ENTRYPOINT"));
    let mut line = format!("{} {user}", kw("USER"));
    if !writable.is_empty() {
        // A path that is already a file (copied in) stays one; folders are made as needed.
        line = format!(
            "{} for d in {}; do [ -e \"$d\" ] || mkdir -p \"$d\"; chown {user}:{user} \"$d\"; done\n{line}",
            kw("RUN"),
            writable.join(" ")
        );
    }
    match command {
        Some(cmd) => {
            let start = text[..cmd.syntax.range.start].rfind('\n').map_or(0, |i| i + 1);
            edits.push(Edit::insert(start, format!("{line}\n")));
        }
        None => {
            let last = cx.ins(*stage.instructions.last().expect("a stage has its FROM"));
            edits.push(Edit::insert(last.syntax.range.end, format!("\n{line}")));
        }
    }
    let mut title = format!("Run as the unprivileged user `{user}`");
    if let Some(create) = create {
        title.push_str(&format!(" (created with `{}`)", create.split(' ').next().unwrap_or("")));
    }
    edited(
        text,
        edits,
        Change {
            transform: "non-root",
            rules: vec!["DO295", "DO220"],
            title: title.into(),
            why: "a process running as root inside the container is root on the host if it escapes".into(),
        },
    )
}
