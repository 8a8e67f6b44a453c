//! Cache order: when a stage copies the whole context and then installs dependencies, copy
//! only the dependency manifests first, install, and copy the rest after; a code-only change
//! then reuses the install layer. Applied only where the install provably needs nothing but
//! the manifests; otherwise skipped with the reason.

use super::{Change, Step};
use crate::fix::apply_edits;
use crate::lint::{Context, Edit, Ins};
use crate::semantics::BuildContext;
use crate::semantics::manifests::{go_replaces_locally, install_reads};
use crate::semantics::provenance::named_context_path;
use crate::shell::Command;

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
fn go_download_first(
    cx: &Context,
    stage: &crate::model::Stage,
    copy: Ins,
    context: Option<&BuildContext>,
) -> Option<Edit> {
    let context = context?;
    if !context.is_file("go.mod") || context.is_dir("vendor") || context.is_file("go.work") {
        return None;
    }
    if go_replaces_locally(&context.read("go.mod")?) {
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
/// configuring, and creating folders. (`rm` and `echo` are not: run before the copy instead of
/// after it, they would act on other files.)
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
        "apt-get" | "apt" | "apk" | "mkdir" | "true" | "set" => true,
        _ => false,
    }
}

/// `COPY . <dest>` from the context.
fn whole_context_copy(ins: Ins) -> Option<String> {
    if !ins.is("COPY") || ins.flag("from").is_some() {
        return None;
    }
    let [src, dest] = ins.model.arguments.as_ref() else { return None };
    matches!(src.as_str(), "." | "./").then(|| dest.clone())
}

/// The COPY lines that put `files` (context paths; a folder ends with `/`) where the
/// whole-context copy to `dest` would have put them: one COPY per folder, so nested files
/// keep their place (`COPY requirements/base.txt ./requirements/`).
fn manifest_copies(keyword: &str, flags: &str, dest: &str, files: &[String]) -> String {
    let dir = folder(dest);
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for file in files {
        let (parent, is_folder) = match file.strip_suffix('/') {
            Some(folder) => (folder.to_owned(), true),
            None => (file.rsplit_once('/').map_or(String::new(), |(p, _)| p.to_owned()), false),
        };
        if is_folder {
            groups.push((parent, vec![file]));
            continue;
        }
        match groups.iter_mut().find(|(p, members)| *p == parent && !members[0].ends_with('/')) {
            Some((_, members)) => members.push(file),
            None => groups.push((parent, vec![file])),
        }
    }
    let mut out = String::new();
    for (parent, members) in groups {
        let target = if parent.is_empty() { dir.clone() } else { format!("{dir}{parent}/") };
        out.push_str(&format!("{keyword} {flags}{} {target}\n", members.join(" ")));
    }
    out
}

/// The package ecosystem an install command belongs to (`pip`, `uv`, `python -m pip` are one),
/// or the program itself for others.
fn ecosystem(command: &Command) -> &'static str {
    match command.program().unwrap_or_default() {
        "pip" | "pip3" | "python" | "python3" | "uv" | "poetry" | "pipenv" | "pdm" => "python",
        "npm" | "npx" | "yarn" | "pnpm" | "bun" | "corepack" => "node",
        "go" => "go",
        "gem" | "bundle" | "bundler" => "ruby",
        "composer" => "php",
        "cargo" => "rust",
        "mvn" | "gradle" | "./gradlew" | "./mvnw" => "java",
        "dotnet" => "dotnet",
        _ => "other",
    }
}

pub(crate) fn cache_order(text: &str, context: Option<&BuildContext>) -> Step {
    let syntax = crate::syntax::parse(text);
    let model = crate::model::build(text, &syntax, &[]);
    let cx = Context::reading(text, &syntax, &model);
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |at: usize| text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    for stage in &model.stages {
        let Some(pos) = stage.instructions.iter().position(|&i| whole_context_copy(cx.ins(i)).is_some()) else {
            continue;
        };
        // Dependencies of an ecosystem already installed before the copy: for that ecosystem
        // the order is the cache-friendly one (a later install of the project itself needs the
        // source), so its installs after the copy stay. Another ecosystem's install after the
        // copy (npm after pip) is still reordered: otherwise a second run, once the first ones
        // have moved to a builder stage, would reorder what the first run left.
        let installed_before: Vec<&'static str> = stage.instructions[..pos]
            .iter()
            .flat_map(|&i| cx.scripts(cx.ins(i)).iter().flat_map(|s| &s.commands))
            .filter_map(|c| {
                let c = crate::lint::invocation::unwrap(c);
                let installs = match install_reads(&c, context, &|_: &str| None) {
                    Ok(Some(files)) => !files.is_empty(),
                    Ok(None) => false,
                    Err(_) => true,
                };
                installs.then(|| ecosystem(&c))
            })
            .collect();
        let installs_again = stage.instructions[pos + 1..].iter().any(|&i| {
            cx.scripts(cx.ins(i)).iter().flat_map(|s| &s.commands).any(|c| {
                let c = crate::lint::invocation::unwrap(c);
                installed_before.contains(&ecosystem(&c))
                    && !matches!(install_reads(&c, context, &|_: &str| None), Ok(None))
            })
        });
        if installs_again {
            continue;
        }
        let copy = cx.ins(stage.instructions[pos]);
        let dest = whole_context_copy(copy).unwrap_or_default();
        let edits_before = edits.len();
        // Every install that follows the copy gets its manifests copied before it, and the
        // copy moves after the last of them (one pass: a second run must find nothing to move).
        let mut copied: Vec<String> = Vec::new();
        let mut last_install = None;
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
            // Paths the install names are image paths: map them back through the copies.
            let map = |p: &str| named_context_path(&cx, ins, p);
            let mut unmovable = None;
            for c in &commands {
                let c = crate::lint::invocation::unwrap(c);
                match install_reads(&c, context, &map) {
                    Ok(Some(files)) => needed.extend(files),
                    Ok(None) => {}
                    Err(reason) => unmovable = Some(format!("line {}: {reason}", ins.model.span.start.line)),
                }
            }
            let setup = commands.iter().all(|c| setup_only(c)) && ins.syntax.heredocs().is_empty();
            if unmovable.is_none() && needed.is_empty() {
                // System packages and the like stay before the source; anything else may read it.
                if setup && !commands.is_empty() {
                    continue;
                }
                break;
            }
            if unmovable.is_none() && !setup {
                unmovable = Some(format!(
                    "line {}: the install RUN also runs commands that may need the source",
                    ins.model.span.start.line
                ));
            }
            if let Some(reason) = unmovable {
                // A later install that cannot move stays after the source, with the copy.
                if last_install.is_none() {
                    return Step::Skipped(reason);
                }
                break;
            }
            let mut unique = Vec::new();
            for n in needed {
                if !unique.contains(&n) && !copied.contains(&n) {
                    unique.push(n);
                }
            }
            if !unique.is_empty() {
                let keyword = cx.text(cx.keyword_range(copy));
                let flags: Vec<String> = copy
                    .model
                    .flags
                    .iter()
                    .map(|f| f.value.as_ref().map_or(format!("--{}", f.name), |v| format!("--{}={v}", f.name)))
                    .collect();
                let flags = if flags.is_empty() { String::new() } else { format!("{} ", flags.join(" ")) };
                edits.push(Edit::insert(
                    line_start(ins.syntax.range.start),
                    manifest_copies(keyword, &flags, &dest, &unique),
                ));
                changes.push(Change {
                    transform: "cache-order",
                    rules: vec!["DO490"],
                    title: format!("Copy {} and install before copying the rest of the context", unique.join(", "))
                        .into(),
                    why:
                        "a code-only change then reuses the dependency-install layer instead of reinstalling everything"
                            .into(),
                });
                copied.extend(unique);
            }
            last_install = Some(ins);
        }
        if let Some(ins) = last_install {
            let copy_line = &text[crate::text::whole_lines(text, copy.syntax.range.clone())];
            edits.push(Edit::delete(crate::text::whole_lines(text, copy.syntax.range.clone())));
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
        }
        if edits.len() == edits_before
            && let Some(edit) = go_download_first(&cx, stage, copy, context)
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
