//! What a stage needs from its base image: the commands its RUNs, HEALTHCHECK, CMD/ENTRYPOINT
//! and entrypoint scripts run, the compilers its dependency installs may call, the system
//! libraries its dependencies load at run time, and what the stage installs for itself.
//! [`missing_on`] answers whether another base image would still have all of it.

use std::collections::BTreeSet;

use regex::Regex;
use serde_json::Value;

use super::bases::BaseFacts;
use super::context::BuildContext;
use super::manifests::{install_reads, requirement_names};
use super::provenance::{named_context_path, stage_context_path};
use crate::lint::invocation::unwrap;
use crate::lint::{Context, Ins};
use crate::model::Form;
use crate::shell::{Command, analyze};

/// Commands an apt package brings, where they differ from the package's name.
const PROVIDES: &[(&str, &[&str])] = &[
    ("build-essential", &["gcc", "cc", "g++", "c++", "cpp", "make", "dpkg-dev", "ld", "as", "ar", "strip"]),
    ("gcc", &["gcc", "cc", "cpp"]),
    ("g++", &["g++", "c++"]),
    ("binutils", &["ld", "as", "ar", "strip", "objdump", "nm"]),
    ("libpq-dev", &["pg_config"]),
    ("postgresql-client", &["psql", "pg_dump", "pg_isready"]),
    ("default-libmysqlclient-dev", &["mysql_config"]),
    ("libmariadb-dev", &["mysql_config"]),
    ("libmariadb-dev-compat", &["mysql_config"]),
    ("imagemagick", &["convert", "identify", "mogrify"]),
    ("procps", &["ps", "top", "free", "pgrep", "pkill"]),
    ("openssh-client", &["ssh", "scp", "ssh-keygen"]),
    ("gnupg", &["gpg", "gpgv"]),
    ("gnupg2", &["gpg", "gpgv"]),
    ("xz-utils", &["xz", "unxz"]),
    ("subversion", &["svn"]),
    ("mercurial", &["hg"]),
    ("libxml2-dev", &["xml2-config"]),
    ("libxslt1-dev", &["xslt-config"]),
    ("libxslt-dev", &["xslt-config"]),
    ("libcurl4-openssl-dev", &["curl-config"]),
    ("libtool", &["libtool", "libtoolize"]),
    ("pkgconf", &["pkg-config"]),
    ("python3", &["python3"]),
    ("nodejs", &["node", "nodejs"]),
];

/// PyPI packages that build from source on Linux (no wheels), so `pip install` runs a compiler.
const PYTHON_SOURCE_ONLY: &[&str] = &[
    "psycopg2",
    "mysqlclient",
    "mysql-python",
    "uwsgi",
    "python-ldap",
    "pycrypto",
    "pygraphviz",
    "pyodbc",
    "gssapi",
    "kerberos",
    "pykerberos",
    "pycurl",
    "python-snappy",
    "pyaudio",
    "dbus-python",
    "pygobject",
    "m2crypto",
    "dlib",
    "xmlsec",
    "mod-wsgi",
    "netifaces",
    "cchardet",
    "pyminizip",
    "python-geoip",
];

/// PyPI packages with C extensions and no pure-Python fallback: wheels exist for the current
/// Pythons, but a pinned version older than the image's Python has none and compiles.
const PYTHON_COMPILED: &[&str] = &[
    "numpy",
    "pandas",
    "scipy",
    "lxml",
    "pillow",
    "cryptography",
    "psycopg2-binary",
    "grpcio",
    "gevent",
    "greenlet",
    "uvloop",
    "httptools",
    "cffi",
    "orjson",
    "pydantic-core",
    "scikit-learn",
    "matplotlib",
    "kiwisolver",
    "psutil",
    "regex",
    "ujson",
    "bcrypt",
    "pymssql",
    "pycryptodome",
    "pycryptodomex",
    "pyzmq",
    "numba",
    "llvmlite",
    "h5py",
    "tokenizers",
    "shapely",
    "pyproj",
    "contourpy",
    "brotli",
    "lz4",
    "zstandard",
    "rapidfuzz",
    "levenshtein",
    "python-levenshtein",
    "pynacl",
    "argon2-cffi-bindings",
    "cytoolz",
    "ruamel-yaml-clib",
    "asyncpg",
    "confluent-kafka",
    "reportlab",
    "pymupdf",
    "opencv-python",
    "opencv-python-headless",
    "torch",
    "tensorflow",
    "xgboost",
    "lightgbm",
    "statsmodels",
    "pyarrow",
    "black",
    "mypy",
];

/// PyPI packages that load a system library at run time (ctypes or linked), which the full
/// images carry and the slim ones do not, with the Debian package name prefixes that bring it.
const PYTHON_SYSTEM_LIBRARIES: &[(&str, &str, &[&str])] = &[
    ("python-magic", "libmagic1", &["libmagic"]),
    ("wand", "libmagickwand", &["libmagickwand", "imagemagick"]),
    ("psycopg2", "libpq5", &["libpq"]),
    ("mysqlclient", "libmariadb3", &["libmariadb", "default-libmysqlclient"]),
    ("python-ldap", "libldap", &["libldap"]),
    ("pyodbc", "unixodbc", &["unixodbc"]),
    ("pycurl", "libcurl4", &["libcurl"]),
    ("weasyprint", "libpango", &["libpango"]),
    ("cairosvg", "libcairo2", &["libcairo"]),
    ("pyzbar", "libzbar0", &["libzbar"]),
    ("pylibmc", "libmemcached", &["libmemcached"]),
    ("python-geoip", "libgeoip", &["libgeoip"]),
];

/// npm packages whose install script only prints or checks, never compiles.
const NPM_HARMLESS_INSTALL_SCRIPTS: &[&str] = &[
    "esbuild",
    "core-js",
    "core-js-pure",
    "es5-ext",
    "nodemon",
    "protobufjs",
    "@nestjs/core",
    "yarn",
    "@swc/core",
    "styled-components",
    "@prisma/engines",
    "prisma",
    "@prisma/client",
    "msw",
    "@parcel/watcher",
    "fsevents",
    "spawn-sync",
    "ejs",
    "husky",
    "@sentry/cli",
    "aws-sdk",
];

/// npm packages that compile a native addon (node-gyp) or fetch one at install time.
const NPM_NATIVE: &[&str] = &[
    "bcrypt",
    "sqlite3",
    "better-sqlite3",
    "node-sass",
    "canvas",
    "argon2",
    "grpc",
    "zeromq",
    "node-rdkafka",
    "kerberos",
    "libxmljs",
    "leveldown",
    "microtime",
    "re2",
    "cpu-features",
    "@tensorflow/tfjs-node",
    "farmhash",
    "usb",
    "serialport",
    "node-expat",
    "iconv",
    "fibers",
    "deasync",
    "bufferutil",
    "utf-8-validate",
    "sharp",
    "puppeteer",
    "node-gyp",
];

/// A command some part of the image runs, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    pub command: String,
    /// `line N` of the Dockerfile, or a context file.
    pub at: String,
    /// Index of the instruction that runs it (run-time uses count as the stage's last).
    pub index: usize,
}

/// What the stage's apt/apk installs bring: package names and the commands they provide, each
/// with the index of the first RUN that installs it (a map, so a file of many installs is not
/// scanned again for each command).
struct Installed(std::collections::BTreeMap<String, usize>);

impl Installed {
    /// Each package (and command it provides) with the first RUN installing it, read without
    /// a list of every install: a file may install as many packages as it has words.
    fn of(cx: &Context, stage: usize) -> Self {
        let mut first = std::collections::BTreeMap::new();
        let mut note = |name: &str, at: usize| {
            if !first.contains_key(name) {
                first.insert(name.to_owned(), at);
            }
        };
        for (ins, cmd) in cx.commands(Some(stage)) {
            let cmd = unwrap(cmd);
            let install = (cmd.is("apt-get") || cmd.is("apt") || cmd.is("apk") || cmd.is("aptitude"))
                && matches!(cmd.subcommand(), Some("install" | "add"));
            if !install {
                continue;
            }
            for package in cmd.operands().skip(1) {
                let name = package.text().split(['=', ':']).next().unwrap_or_default();
                note(name, ins.index);
                if let Some((_, commands)) = PROVIDES.iter().find(|(p, _)| *p == name) {
                    commands.iter().for_each(|c| note(c, ins.index));
                }
            }
        }
        Self(first)
    }

    /// Whether `name` is installed by the RUN at `index` or an earlier one.
    fn by(&self, name: &str, index: usize) -> bool {
        self.0.get(name).is_some_and(|at| *at <= index)
    }

    /// Whether a package whose name starts with `prefix` is installed anywhere in the stage.
    fn package_like(&self, prefix: &str) -> bool {
        self.0.range(prefix.to_owned()..).next().is_some_and(|(p, _)| p.starts_with(prefix))
    }
}

/// The programs a script runs (wrappers like `sudo`, `env`, `exec` looked through).
fn programs<'a>(commands: impl IntoIterator<Item = &'a Command>) -> Vec<(String, usize)> {
    commands.into_iter().filter_map(|c| unwrap(c).program().map(|p| (p.to_owned(), c.range().start))).collect()
}

/// The words a CMD/ENTRYPOINT/HEALTHCHECK runs as one command line (the shell form's line, or
/// the exec form's `sh -c` string, or the exec form's words joined).
fn command_line(ins: &crate::model::Instruction) -> Option<String> {
    let words: Vec<&str> = match ins.keyword.as_ref() {
        "HEALTHCHECK" => {
            let mut args = ins.arguments.iter().map(String::as_str);
            if !args.next()?.eq_ignore_ascii_case("CMD") {
                return None;
            }
            args.collect()
        }
        _ => ins.arguments.iter().map(String::as_str).collect(),
    };
    match (ins.form, words.as_slice()) {
        (Some(Form::Exec), [shell, "-c", line, ..]) if shell.ends_with("sh") => Some((*line).to_owned()),
        (Some(Form::Exec), words) => Some(words.iter().map(|w| shell_quote(w)).collect::<Vec<_>>().join(" ")),
        (_, words) => Some(words.join(" ")),
    }
}

fn shell_quote(word: &str) -> String {
    if word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@,%+".contains(c)) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Every command the stage runs, handed to `visit` one by one (a file runs as many commands as
/// it has words, so they are not collected): in its RUNs (at their line), and at run time in
/// HEALTHCHECK, CMD/ENTRYPOINT and the scripts from the context they execute (and that RUNs
/// execute).
pub fn each_use(cx: &Context, stage: usize, context: Option<&BuildContext>, mut visit: impl FnMut(Use)) {
    let Some(st) = cx.model.stages.get(stage) else { return };
    let last = st.instructions.last().copied().unwrap_or_default();
    let mut scripts: Vec<(Ins, String)> = Vec::new();
    for &i in &st.instructions {
        let ins = cx.ins(i);
        let (commands, line_of): (Vec<(String, usize)>, _) = if ins.effective().keyword == "RUN" {
            (programs(cx.scripts(ins).iter().flat_map(|s| &s.commands)), ins.index)
        } else if matches!(ins.keyword(), "CMD" | "ENTRYPOINT" | "HEALTHCHECK") {
            let Some(line) = command_line(ins.model) else { continue };
            (programs(&analyze(&line, &|o| o).commands), last)
        } else {
            continue;
        };
        for (program, _) in commands {
            let at = format!("line {}", ins.model.span.start.line);
            if program.contains('/') || program.ends_with(".sh") {
                scripts.push((ins, program.clone()));
            }
            let name = program.rsplit('/').next().unwrap_or(&program).to_owned();
            visit(Use { command: name, at, index: line_of });
        }
    }
    // Scripts copied from the context (`./entrypoint.sh`, `/docker-entrypoint.sh`): what they run.
    if let Some(context) = context {
        for (ins, program) in scripts {
            let Some(path) = named_context_path(cx, ins, &program).or_else(|| stage_context_path(cx, ins, &program))
            else {
                continue;
            };
            let Some(text) = context.read(&path) else { continue };
            let index = if ins.effective().keyword == "RUN" { ins.index } else { last };
            for (command, _) in programs(&analyze(&text, &|o| o).commands) {
                visit(Use {
                    command: command.rsplit('/').next().unwrap_or(&command).to_owned(),
                    at: path.clone(),
                    index,
                });
            }
        }
    }
}

/// Calls of external programs in the app's source files (`subprocess.run(["git", ...])`,
/// `execSync("curl ...")`, `exec.Command("convert", ...)`): the program names.
pub fn source_calls(context: &BuildContext) -> Vec<(String, String)> {
    static CALL: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let call = CALL.get_or_init(|| {
        Regex::new(
            r#"(?:subprocess\.\w+|os\.system|os\.popen|check_output|check_call|Popen|execSync|execFileSync|execFile|spawnSync|spawn|exec\.Command|child_process\.exec)\(\s*\[?\s*["'`]([A-Za-z0-9_.+-]+)"#,
        )
        .expect("valid regex")
    });
    let mut out = Vec::new();
    for file in context.files() {
        let source = [".py", ".js", ".mjs", ".cjs", ".ts", ".go", ".rb"].iter().any(|e| file.ends_with(e));
        if !source || file.contains("node_modules/") || file.contains("test") {
            continue;
        }
        let Some(text) = context.read(&file) else { continue };
        if text.len() > 1_000_000 {
            continue;
        }
        for m in call.captures_iter(&text) {
            out.push((m[1].to_owned(), file.clone()));
        }
    }
    out
}

/// The commands the stage runs (RUN, HEALTHCHECK, CMD/ENTRYPOINT, start scripts) that
/// `current` has, `target` lacks and the stage does not install before running them: one
/// reason each, naming where it runs and the command.
pub fn commands_missing_on(
    cx: &Context,
    stage: usize,
    context: Option<&BuildContext>,
    current: &BaseFacts,
    target: &BaseFacts,
) -> Vec<String> {
    lost_commands(cx, stage, context, current, target, &Installed::of(cx, stage)).into_iter().map(|(_, r)| r).collect()
}

/// [`commands_missing_on`] as (command, reason), first use of each command only.
fn lost_commands(
    cx: &Context,
    stage: usize,
    context: Option<&BuildContext>,
    current: &BaseFacts,
    target: &BaseFacts,
    installed: &Installed,
) -> Vec<(String, String)> {
    let mut lost: Vec<(String, String)> = Vec::new();
    each_use(cx, stage, context, |u| {
        let missing = current.has_command(&u.command) && !target.has_command(&u.command);
        if missing && !installed.by(&u.command, u.index) && !lost.iter().any(|(c, _)| *c == u.command) {
            let reason = format!("{} runs `{}`, which `{}` does not have", u.at, u.command, target.name);
            lost.push((u.command, reason));
        }
    });
    lost
}

/// Why the stage would break on `target` instead of `current`: commands it runs that
/// `current` has and `target` lacks and that the stage does not install before it runs them;
/// compilers its dependency installs need; system libraries its dependencies load at run time.
/// Empty when nothing is missing. Without the context, dependency installs count as needing
/// a compiler (the worst case).
pub fn missing_on(
    cx: &Context,
    stage: usize,
    context: Option<&BuildContext>,
    current: &BaseFacts,
    target: &BaseFacts,
) -> Vec<String> {
    let installed = Installed::of(cx, stage);
    let lost = lost_commands(cx, stage, context, current, target, &installed);
    let mut seen: BTreeSet<String> = lost.iter().map(|(c, _)| c.clone()).collect();
    let mut reasons: Vec<String> = lost.into_iter().map(|(_, r)| r).collect();
    // What a script that was not (fully) parsed runs is unknown: it may use anything the base has.
    if let Some(ins) = cx.unanalysed_run(&cx.model.stages[stage]) {
        reasons.push(format!("line {}: the RUN's script could not be analysed", ins.model.span.start.line));
    }
    if let Some(context) = context {
        for (command, file) in source_calls(context) {
            if current.has_command(&command) && !target.has_command(&command) && seen.insert(command.clone()) {
                reasons.push(format!("{file} runs `{command}`, which `{}` does not have", target.name));
            }
        }
    }
    // Dependencies fetched from version control need its client during the install.
    for vcs in ["git", "hg", "svn"] {
        if current.has_command(vcs) && !target.has_command(vcs) && !seen.contains(vcs) {
            reasons.extend(
                vcs_dependencies(cx, stage, context, vcs)
                    .into_iter()
                    .filter(|(index, _)| !installed.by(vcs, *index))
                    .map(|(_, r)| r),
            );
        }
    }
    let compiler_lost = current.has_command("gcc") && !target.has_command("gcc");
    if compiler_lost {
        reasons.extend(compile_needs(cx, stage, context, &installed));
    }
    reasons
}

/// Installs that fetch a dependency through `vcs` (`git+https://...` requirements, npm
/// `github:`/`git+` dependencies), with the index of the RUN and the reason. Without the
/// context, an install from a manifest counts as one (the worst case).
fn vcs_dependencies(cx: &Context, stage: usize, context: Option<&BuildContext>, vcs: &str) -> Vec<(usize, String)> {
    let marker = format!("{vcs}+");
    let mut out = Vec::new();
    for (ins, cmd) in cx.commands(Some(stage)) {
        let cmd = unwrap(cmd);
        let line = ins.model.span.start.line;
        let words: Vec<&str> = cmd.args.iter().map(|w| w.text()).collect();
        if words.iter().any(|w| w.starts_with(&marker)) {
            out.push((ins.index, format!("line {line} installs from {vcs}, which needs `{vcs}`")));
            continue;
        }
        let map = |p: &str| named_context_path(cx, ins, p);
        let Ok(Some(files)) = install_reads(&cmd, context, &map) else { continue };
        let Some(context) = context else { continue };
        let from_vcs = files.iter().filter_map(|f| context.read(f)).any(|text| {
            text.contains(&marker)
                || (vcs == "git"
                    && (text.contains("\"github:") || text.contains("\"git://") || text.contains("git@github.com")))
        });
        if from_vcs {
            out.push((ins.index, format!("line {line}: a dependency comes from {vcs}, which needs `{vcs}`")));
        }
    }
    out
}

/// Dependency installs in the stage that need a compiler or a system library the full image
/// has, when the stage does not install a compiler before them.
fn compile_needs(cx: &Context, stage: usize, context: Option<&BuildContext>, installed: &Installed) -> Vec<String> {
    let mut reasons = Vec::new();
    let compiler_installed = |index: usize| installed.by("gcc", index);
    for (ins, cmd) in cx.commands(Some(stage)) {
        let cmd = unwrap(cmd);
        let line = ins.model.span.start.line;
        let program = cmd.program().unwrap_or_default();
        let words: Vec<&str> = cmd.args.iter().map(|w| w.text()).collect();
        let pip = crate::lint::invocation::is_pip(program)
            || (program.starts_with("python") && words.windows(2).any(|w| w == ["-m", "pip"]))
            || (program == "uv" && words.first() == Some(&"pip"));
        let node = matches!(program, "npm" | "yarn" | "pnpm")
            && matches!(cmd.subcommand(), None | Some("ci" | "install" | "i" | "add"));
        if !(node || pip && words.contains(&"install")) {
            continue;
        }
        let Some(context) = context else {
            if !compiler_installed(ins.index) {
                reasons.push(format!("line {line}: without the build context, the install may compile dependencies"));
            }
            continue;
        };
        let map = |p: &str| named_context_path(cx, ins, p);
        if pip {
            let named: Vec<(String, String)> = cmd
                .operands()
                .skip(1)
                .map(|w| w.text())
                .filter(|w| !w.starts_with('.') && !w.starts_with('/'))
                .map(|w| {
                    let end = w.find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))).unwrap_or(w.len());
                    (w[..end].to_ascii_lowercase().replace(['_', '.'], "-"), w[end..].to_owned())
                })
                .collect();
            let from_files = match install_reads(&cmd, Some(context), &map) {
                Ok(Some(files)) => requirement_names(context, &files),
                Ok(None) => Vec::new(),
                Err(_) => {
                    if project_compiles(context) && !compiler_installed(ins.index) {
                        reasons.push(format!("line {line}: the project has C/Cython sources to compile"));
                    }
                    Vec::new()
                }
            };
            for (name, spec) in named.into_iter().chain(from_files) {
                let Some(need) = python_package_need(&name, &spec) else { continue };
                let met = match &need {
                    Need::Library { packages, .. } => packages.iter().any(|p| installed.package_like(p)),
                    Need::Compiler(_) => compiler_installed(ins.index),
                };
                if !met {
                    reasons.push(format!("line {line}: {need}"));
                }
            }
        } else if !compiler_installed(ins.index) {
            reasons.extend(node_native(context, &map).map(|r| format!("line {line}: {r}")));
        }
    }
    reasons.sort();
    reasons.dedup();
    reasons
}

/// What one Python requirement needs of the full image.
enum Need {
    /// A system library at run time, brought by Debian packages with these name prefixes.
    Library { text: String, packages: &'static [&'static str] },
    /// A compiler at install time.
    Compiler(String),
}

impl std::fmt::Display for Need {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Need::Library { text, .. } | Need::Compiler(text) => f.write_str(text),
        }
    }
}

/// Why one Python requirement needs the full image, if it does.
fn python_package_need(name: &str, spec: &str) -> Option<Need> {
    if let Some((_, library, packages)) = PYTHON_SYSTEM_LIBRARIES.iter().find(|(p, _, _)| *p == name) {
        return Some(Need::Library {
            text: format!("`{name}` loads the system library {library} at run time"),
            packages,
        });
    }
    if PYTHON_SOURCE_ONLY.contains(&name) {
        return Some(Need::Compiler(format!("`{name}` has no wheels and compiles")));
    }
    let pinned = ["==", "<", "~=", "==="].iter().any(|op| spec.trim_start().starts_with(op)) || spec.contains(",<");
    if PYTHON_COMPILED.contains(&name) && pinned {
        return Some(Need::Compiler(format!(
            "`{name}{spec}` is pinned; without a wheel for the image's Python it compiles"
        )));
    }
    None
}

/// Whether the project's own code has C or Cython sources (an install of the project compiles).
fn project_compiles(context: &BuildContext) -> bool {
    let setup = context.read("setup.py").unwrap_or_default();
    setup.contains("Extension(")
        || setup.contains("ext_modules")
        || setup.contains("cythonize")
        || context.files().iter().any(|f| [".pyx", ".c", ".cpp", ".cc"].iter().any(|e| f.ends_with(e)))
}

/// Node dependencies that build native addons: from the lockfile's `hasInstallScript` marks,
/// or, without a lockfile, the direct dependencies known to.
fn node_native(context: &BuildContext, map: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let lock = map("package-lock.json").and_then(|p| context.read(&p));
    if let Some(lock) = lock.and_then(|t| serde_json::from_str::<Value>(&t).ok()) {
        let packages = lock.get("packages").and_then(Value::as_object)?;
        let native = packages.iter().find(|(path, meta)| {
            let name = path.rsplit("node_modules/").next().unwrap_or(path);
            meta.get("hasInstallScript").and_then(Value::as_bool) == Some(true)
                && !NPM_HARMLESS_INSTALL_SCRIPTS.contains(&name)
        });
        return native.map(|(path, _)| {
            let name = path.rsplit("node_modules/").next().unwrap_or(path);
            format!("`{name}` runs an install script that may compile a native addon")
        });
    }
    let manifest: Value = serde_json::from_str(&context.read(&map("package.json")?)?).ok()?;
    ["dependencies", "optionalDependencies", "devDependencies"].iter().find_map(|section| {
        let deps = manifest.get(section).and_then(Value::as_object)?;
        deps.keys().find(|d| NPM_NATIVE.contains(&d.as_str())).map(|d| format!("`{d}` builds a native addon"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ImageRef;
    use crate::semantics::bases::lookup;

    fn missing(src: &str, context: Option<&BuildContext>) -> Vec<String> {
        let full = lookup(&ImageRef::parse("python:3.11").unwrap()).unwrap();
        let slim = lookup(&ImageRef::parse("python:3.11-slim").unwrap()).unwrap();
        Context::read(src, |cx| missing_on(cx, 0, context, full, slim))
    }

    #[test]
    fn commands_only_the_full_image_has() {
        let reasons = missing("FROM python:3.11\nRUN git clone x && make\nHEALTHCHECK CMD curl -f localhost\n", None);
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons[0].contains("`git`") && reasons[2].contains("`curl`"));
        assert!(missing("FROM python:3.11\nRUN apt-get update && apt-get install -y git build-essential\nRUN git clone x && make\n", None).is_empty());
        assert!(missing("FROM python:3.11\nCMD [\"python\", \"app.py\"]\n", None).is_empty());
        assert!(
            !missing("FROM python:3.11\nRUN git x\nRUN apt-get install -y git\n", None).is_empty(),
            "installed too late"
        );
    }

    #[test]
    fn installs_without_context_assume_the_worst() {
        let reasons = missing("FROM python:3.11\nRUN pip install -r requirements.txt\n", None);
        assert!(reasons[0].contains("may compile"), "{reasons:?}");
        assert!(
            missing("FROM python:3.11\nRUN apt-get install -y gcc && pip install -r requirements.txt\n", None)
                .is_empty()
        );
        let psycopg = "FROM python:3.11\nRUN pip install psycopg2==2.9.9\n";
        assert_eq!(missing(psycopg, None).len(), 1, "compiles and links libpq");
        let built = "FROM python:3.11\nRUN apt-get install -y gcc libpq-dev\nRUN pip install psycopg2==2.9.9\n";
        assert!(missing(built, None).is_empty(), "the stage brings both itself");
    }

    #[test]
    fn dependencies_from_version_control_need_its_client() {
        let reasons = missing("FROM python:3.11\nRUN pip install git+https://github.com/a/b\n", None);
        assert!(reasons.iter().any(|r| r.contains("needs `git`")), "{reasons:?}");
        let installed = "FROM python:3.11\nRUN apt-get install -y git\nRUN pip install git+https://github.com/a/b\n";
        assert!(!missing(installed, None).iter().any(|r| r.contains("git")));
    }

    #[test]
    fn requirements_that_compile_or_load_libraries() {
        assert!(python_package_need("psycopg2", "==2.9").is_some());
        assert!(python_package_need("psycopg2-binary", "").is_none());
        assert!(python_package_need("numpy", "==1.21.0").is_some());
        assert!(python_package_need("numpy", ">=1.26").is_none());
        assert!(python_package_need("python-magic", "").unwrap().to_string().contains("libmagic1"));
        assert!(python_package_need("flask", "==3.0").is_none());
    }
}
