//! Cache order: when a stage copies the whole context and then installs dependencies, copy
//! only the dependency manifests first, install, and copy the rest after; a code-only change
//! then reuses the install layer. Applied only where the install provably needs nothing but
//! the manifests; otherwise skipped with the reason.

use std::path::Path;

use super::{Change, OptimizeOptions, Step};
use crate::fix::apply_edits;
use crate::lint::{Context, Edit, Ins, LintOptions};
use crate::shell::Command;

/// The manifests an install command needs, or why it cannot move.
fn manifests(cmd: &Command, context: Option<&Path>) -> Result<Option<Vec<String>>, String> {
    let program = cmd.program().unwrap_or_default();
    let words: Vec<&str> = cmd.args.iter().map(|w| w.text()).collect();
    let sub = cmd.subcommand();
    let exists = |name: &str| context.is_some_and(|c| c.join(name).exists());
    let pip = matches!(program, "pip" | "pip3")
        || (program.starts_with("python") && words.windows(2).any(|w| w == ["-m", "pip"]));
    if pip {
        if !words.contains(&"install") {
            return Ok(None);
        }
        let mut files = Vec::new();
        let mut iter = words.iter().skip_while(|w| **w != "install").skip(1);
        while let Some(w) = iter.next() {
            match *w {
                "-r" | "--requirement" | "-c" | "--constraint" => files.extend(iter.next().map(|f| (*f).to_owned())),
                w if w.starts_with("--requirement=") => files.push(w["--requirement=".len()..].to_owned()),
                "-e" | "--editable" | "." => {
                    return Err("pip installs the project itself, which needs its source".into());
                }
                w if w.starts_with("./") || w.starts_with('/') => {
                    return Err(format!("pip installs the local path `{w}`"));
                }
                _ => {}
            }
        }
        return Ok((!files.is_empty()).then_some(files));
    }
    match (program, sub) {
        ("npm", Some("ci" | "install" | "i")) => {
            if cmd.operands().count() > 1 {
                return Err("npm install names packages; not a lockfile install".into());
            }
            Ok(Some(vec!["package*.json".into()]))
        }
        ("yarn", None | Some("install")) => match exists("yarn.lock") {
            true => Ok(Some(vec!["package.json".into(), "yarn.lock".into()])),
            false => Err("yarn without a yarn.lock in the context".into()),
        },
        ("uv", Some("sync")) => {
            let pyproject = context.and_then(|c| std::fs::read_to_string(c.join("pyproject.toml")).ok());
            // No [build-system]: uv treats the project as virtual and installs only its dependencies.
            let table = pyproject.and_then(|p| p.parse::<toml::Table>().ok());
            let virtual_project = table.is_some_and(|t| !t.contains_key("build-system"));
            if !(virtual_project || words.contains(&"--no-install-project")) {
                return Err("`uv sync` would also install the project itself (its source is not copied yet)".into());
            }
            let mut files = vec!["pyproject.toml".to_owned()];
            if exists("uv.lock") {
                files.push("uv.lock".into());
            }
            Ok(Some(files))
        }
        ("poetry", Some("install")) => {
            if !words.contains(&"--no-root") {
                return Err("`poetry install` without --no-root also installs the project itself".into());
            }
            Ok(Some(vec!["pyproject.toml".into(), "poetry.lock*".into()]))
        }
        ("pnpm", None | Some("install" | "i")) => match exists("pnpm-lock.yaml") {
            true => Ok(Some(vec!["package.json".into(), "pnpm-lock.yaml".into()])),
            false => Err("pnpm without a pnpm-lock.yaml in the context".into()),
        },
        ("pipenv", Some("install")) => Ok(Some(vec!["Pipfile".into(), "Pipfile.lock*".into()])),
        ("pdm", Some("install" | "sync")) => {
            if !words.contains(&"--no-self") {
                return Err("`pdm install` without --no-self also installs the project itself".into());
            }
            Ok(Some(vec!["pyproject.toml".into(), "pdm.lock*".into()]))
        }
        ("cargo", Some("fetch")) => {
            // A workspace's members have manifests of their own, which the copy would miss.
            let manifest = context.and_then(|c| std::fs::read_to_string(c.join("Cargo.toml")).ok());
            match manifest.and_then(|m| m.parse::<toml::Table>().ok()) {
                Some(t) if !t.contains_key("workspace") => Ok(Some(vec!["Cargo.toml".into(), "Cargo.lock*".into()])),
                Some(_) => Err("a Cargo workspace: its members' manifests are needed too".into()),
                None => Err("`cargo fetch` without a readable Cargo.toml in the context".into()),
            }
        }
        ("mvn" | "mvnw", _) if words.iter().any(|w| w.starts_with("dependency:")) => {
            let pom = context.and_then(|c| std::fs::read_to_string(c.join("pom.xml")).ok());
            match pom {
                Some(p) if !p.contains("<modules>") => Ok(Some(vec!["pom.xml".into()])),
                Some(_) => Err("a multi-module Maven build: the modules' poms are needed too".into()),
                None => Err("Maven without a readable pom.xml in the context".into()),
            }
        }
        ("gradle" | "gradlew", _) if cmd.operands().any(|w| w.text() == "dependencies") => {
            gradle_manifests(context, program == "gradlew")
        }
        ("go", Some("mod")) if words.contains(&"download") => Ok(Some(vec!["go.*".into()])),
        ("bundle", Some("install")) | ("bundle", None) => Ok(Some(vec!["Gemfile*".into()])),
        ("composer", Some("install")) => Ok(Some(vec!["composer.*".into()])),
        _ => Ok(None),
    }
}

/// What `gradle dependencies` reads in a single-project build: the build and settings scripts,
/// gradle.properties, and for the wrapper `gradlew` with its `gradle/` folder (a folder entry
/// ends with `/`).
fn gradle_manifests(context: Option<&Path>, wrapper: bool) -> Result<Option<Vec<String>>, String> {
    let Some(context) = context else { return Err("Gradle without a build context to read".into()) };
    let exists = |name: &str| context.join(name).exists();
    let first = |names: [&str; 2]| names.into_iter().find(|n| exists(n)).map(str::to_owned);
    let Some(build) = first(["build.gradle.kts", "build.gradle"]) else {
        return Err("no build.gradle(.kts) at the root of the context".into());
    };
    let settings = first(["settings.gradle.kts", "settings.gradle"]);
    let multi_project = settings
        .as_ref()
        .and_then(|s| std::fs::read_to_string(context.join(s)).ok())
        .is_some_and(|text| text.lines().any(|l| l.trim_start().starts_with("include")));
    if multi_project {
        return Err("a multi-project Gradle build: the subprojects' build files are needed too".into());
    }
    let mut files = vec![build];
    files.extend(settings);
    if exists("gradle.properties") {
        files.push("gradle.properties".into());
    }
    if wrapper {
        if !exists("gradle/wrapper") {
            return Err("`gradlew` without its gradle/wrapper folder in the context".into());
        }
        files.push("gradlew".into());
        files.push("gradle/".into());
    }
    Ok(Some(files))
}

/// The destination of the whole-context copy written as a folder (`.` -> `./`, `/app` -> `/app/`),
/// for the manifest copies that go before it.
fn folder(dest: &str) -> String {
    if matches!(dest, "." | "./") {
        "./".to_owned()
    } else if dest.ends_with('/') {
        dest.to_owned()
    } else {
        format!("{dest}/")
    }
}

/// A Go build after the whole context is copied, with no `go mod download` of its own: copy
/// go.mod/go.sum and download the modules first. Only when the context has a go.mod and no
/// vendor/ folder (vendored builds download nothing).
fn go_download_first(cx: &Context, stage: &crate::model::Stage, copy: Ins, context: Option<&Path>) -> Option<Edit> {
    let context = context?;
    if !context.join("go.mod").is_file() || context.join("vendor").is_dir() {
        return None;
    }
    let commands: Vec<&Command> =
        stage.instructions.iter().flat_map(|&i| cx.scripts(cx.ins(i)).iter().flat_map(|s| &s.commands)).collect();
    let builds = commands.iter().any(|c| c.is("go") && matches!(c.subcommand(), Some("build" | "install" | "test")));
    let downloads = commands.iter().any(|c| c.is("go") && c.subcommand() == Some("mod"));
    if !builds || downloads {
        return None;
    }
    let dest = whole_context_copy(copy)?;
    let dir = folder(&dest);
    let copy_keyword = cx.text(cx.keyword_range(copy));
    let run = copy.model.same_case("RUN");
    let at = cx.src[..copy.syntax.range.start].rfind('\n').map_or(0, |i| i + 1);
    Some(Edit::insert(at, format!("{copy_keyword} go.* {dir}\n{run} go mod download\n")))
}

/// Commands that may run before the source is there: package managers installing or
/// configuring, and plain file housekeeping.
fn setup_only(cmd: &Command) -> bool {
    let words: Vec<&str> = cmd.args.iter().map(|w| w.text()).collect();
    let sub = cmd.subcommand();
    match cmd.program().unwrap_or_default() {
        "pip" | "pip3" => matches!(sub, Some("install" | "config" | "cache")),
        "python" | "python3" => words.windows(2).any(|w| w == ["-m", "pip"]),
        "uv" => matches!(sub, Some("sync" | "pip")),
        "poetry" => matches!(sub, Some("install" | "config")),
        "npm" => matches!(sub, Some("ci" | "install" | "i" | "config" | "cache")),
        "yarn" => matches!(sub, None | Some("install" | "config" | "cache")),
        "go" => sub == Some("mod"),
        "bundle" => matches!(sub, None | Some("install" | "config")),
        "gem" => sub == Some("install"),
        "composer" => sub == Some("install"),
        "pnpm" => matches!(sub, None | Some("install" | "i" | "config" | "fetch")),
        "pipenv" | "pdm" => matches!(sub, Some("install" | "sync")),
        "cargo" => sub == Some("fetch"),
        "mvn" | "mvnw" => words.iter().all(|w| w.starts_with('-') || w.starts_with("dependency:")),
        "gradle" | "gradlew" => cmd.operands().all(|w| w.text() == "dependencies"),
        "apt-get" | "apt" | "apk" | "rm" | "mkdir" | "true" | "set" | "echo" => true,
        _ => false,
    }
}

/// `COPY . <dest>` from the context.
fn whole_context_copy(ins: Ins) -> Option<String> {
    if !ins.is("COPY") || ins.flag("from").is_some() {
        return None;
    }
    let [src, dest] = ins.model.arguments.as_slice() else { return None };
    matches!(src.as_str(), "." | "./").then(|| dest.clone())
}

pub(crate) fn cache_order(text: &str, options: &OptimizeOptions) -> Step {
    let file = crate::parse(text);
    let model = file.model();
    let lint_options = LintOptions::default();
    let cx = Context::new(text, file.syntax(), &model, &lint_options);
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    for stage in &model.stages {
        let Some(pos) = stage.instructions.iter().position(|&i| whole_context_copy(cx.ins(i)).is_some()) else {
            continue;
        };
        let copy = cx.ins(stage.instructions[pos]);
        let dest = whole_context_copy(copy).unwrap_or_default();
        let edits_before = edits.len();
        for &i in &stage.instructions[pos + 1..] {
            let ins = cx.ins(i);
            if !ins.is("RUN") {
                if matches!(ins.keyword(), "ENV" | "ARG" | "LABEL" | "EXPOSE") {
                    continue;
                }
                break;
            }
            let commands: Vec<&Command> = cx.scripts(ins).iter().flat_map(|s| &s.commands).collect();
            let mut needed: Vec<String> = Vec::new();
            for c in &commands {
                match manifests(c, options.context.as_deref()) {
                    Ok(Some(files)) => needed.extend(files),
                    Ok(None) => {}
                    Err(reason) => return Step::Skipped(format!("line {}: {reason}", ins.model.span.start.line)),
                }
            }
            let setup = commands.iter().all(|c| setup_only(c)) && ins.syntax.heredocs.is_empty();
            if needed.is_empty() {
                // System packages and the like stay before the source; anything else may read it.
                if setup && !commands.is_empty() {
                    continue;
                }
                break;
            }
            if !setup {
                return Step::Skipped(format!(
                    "line {}: the install RUN also runs commands that may need the source",
                    ins.model.span.start.line
                ));
            }
            needed.dedup();
            let dir = folder(&dest);
            let copy_line = &text[crate::text::whole_lines(text, copy.syntax.range.clone())];
            let keyword = cx.text(cx.keyword_range(copy));
            let flags: Vec<String> = copy
                .model
                .flags
                .iter()
                .map(|f| f.value.as_ref().map_or(format!("--{}", f.name), |v| format!("--{}={v}", f.name)))
                .collect();
            let flags = if flags.is_empty() { String::new() } else { format!("{} ", flags.join(" ")) };
            // Files go in one COPY; a folder (`gradle/`) needs its own to keep its name.
            let (folders, files): (Vec<&String>, Vec<&String>) = needed.iter().partition(|n| n.ends_with('/'));
            let files: Vec<&str> = files.iter().map(|f| f.as_str()).collect();
            let mut manifests_line = format!("{keyword} {flags}{} {dir}\n", files.join(" "));
            for folder in folders {
                manifests_line.push_str(&format!("{keyword} {flags}{folder} {dir}{folder}\n"));
            }
            edits.push(Edit::delete(crate::text::whole_lines(text, copy.syntax.range.clone())));
            edits.push(Edit::insert(line_start(ins.syntax.range.start), manifests_line));
            let after = line_end(ins.syntax.range.end);
            let mut moved = copy_line.to_owned();
            if !moved.ends_with('\n') {
                moved.push('\n');
            }
            if after == text.len() && !text.ends_with('\n') {
                moved.insert(0, '\n');
                moved.pop();
            }
            edits.push(Edit::insert(after, moved));
            changes.push(Change {
                transform: "cache-order",
                rules: vec!["DO490"],
                title: format!("Copy {} and install before copying the rest of the context", needed.join(", ")),
                why: "a code-only change then reuses the dependency-install layer instead of reinstalling everything"
                    .into(),
            });
            break;
        }
        if edits.len() == edits_before
            && let Some(edit) = go_download_first(&cx, stage, copy, options.context.as_deref())
        {
            edits.push(edit);
            changes.push(Change {
                transform: "cache-order",
                rules: vec!["DO490"],
                title: "Download the Go modules (go.mod, go.sum) before copying the rest of the context".into(),
                why: "`go build` would download them again after every code change; `go mod download` in a layer \
                      of its own keeps them cached"
                    .into(),
            });
        }
    }
    if edits.is_empty() {
        return Step::Unchanged;
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let refs: Vec<&Edit> = edits.iter().collect();
    Step::Changed { text: apply_edits(text, &refs), changes }
}
