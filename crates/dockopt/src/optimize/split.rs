//! Builder/runner split, by toolchain (Python: see split_python.rs). A single-stage Go build
//! becomes a `build` stage that compiles a static binary and a `scratch` runner holding only
//! that binary (and CA certificates), running as an unprivileged numeric user. A single-stage
//! Node image installs production dependencies only. Other layouts are skipped with the reason.

use super::{Change, Step, command_words, edited};
use crate::lint::paths::resolve;
use crate::lint::{Context, Edit};

pub(crate) fn split(text: &str, context: Option<&crate::semantics::BuildContext>) -> Step {
    let syntax = crate::syntax::parse(text);
    let model = crate::model::build(text, &syntax, &[]);
    let cx = Context::reading(text, &syntax, &model);
    let [stage] = model.stages.as_slice() else { return Step::Unchanged };
    let Some(image) = &stage.image else { return Step::Unchanged };
    match image.hub_repository().as_deref() {
        Some("library/node") => return super::split_node::node(text, &cx, stage, context),
        Some("library/python") => return super::split_python::python(text, &cx, stage, context),
        _ => {}
    }
    if image.hub_repository().as_deref() != Some("library/golang") {
        return Step::Unchanged;
    }
    let mut workdir: Option<String> = None;
    let mut build: Option<(crate::lint::Ins, usize, String)> = None;
    for &i in &stage.instructions {
        let ins = cx.ins(i);
        match ins.keyword() {
            "WORKDIR" => {
                let dir = ins.model.arguments.first().map(String::as_str).unwrap_or_default();
                workdir = resolve(Some(workdir.as_deref().unwrap_or("/")), dir);
            }
            "RUN" => {
                for c in cx.scripts(ins).iter().flat_map(|s| &s.commands) {
                    let words: Vec<&str> = c.args.iter().map(|w| w.text()).collect();
                    if c.is("go") && c.subcommand() == Some("build") {
                        let Some(o) = words.iter().position(|w| *w == "-o").and_then(|p| words.get(p + 1)) else {
                            return Step::Skipped("`go build` without `-o`: the binary's path is not known".into());
                        };
                        let Some(binary) = resolve(workdir.as_deref(), o) else {
                            return Step::Skipped(
                                "the binary's path is not known (no WORKDIR before `go build`, or a variable)".into(),
                            );
                        };
                        build = Some((ins, c.range().start, binary));
                    } else if !(c.is("go") && c.subcommand() == Some("mod")) {
                        return Step::Skipped(format!(
                            "line {}: `{}` may install what the program needs at run time",
                            ins.model.span.start.line,
                            c.program().unwrap_or("?")
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    let Some((run, command_start, binary)) = build else { return Step::Skipped("no `go build -o` found".into()) };
    let name = binary.rsplit('/').next().unwrap_or("app").to_owned();
    // The command must start the binary we build.
    let start = stage.instructions.iter().map(|&i| cx.ins(i)).find(|i| i.is("CMD") || i.is("ENTRYPOINT"));
    let Some(start) = start else { return Step::Skipped("no CMD or ENTRYPOINT to start the binary".into()) };
    let args = command_words(start.model);
    let runs_binary = args.first().is_some_and(|a| {
        *a == binary
            || resolve(Some(workdir.as_deref().unwrap_or("/")), a).as_deref() == Some(binary.as_str())
            || a.trim_start_matches("./") == name
    });
    if !runs_binary || args.iter().any(|a| a.contains(['$', '"', '\'', '&', '|', ';'])) {
        return Step::Skipped("the start command is not a plain call of the built binary".into());
    }
    let kw = |k: &str| model.instructions[stage.instructions[0]].same_case(k);
    // What the program expects around it at run time decides what the runner must hold.
    let Some(context) = context else {
        return Step::Skipped("no build context: what the program needs at run time cannot be read".into());
    };
    let needs = crate::semantics::runtime::go_runtime(context);
    if let Some(why) = needs.needs_os {
        return Step::Skipped(format!("{why}, which a scratch image does not have"));
    }
    let dir = workdir.clone().unwrap_or_else(|| "/".into());
    if let Some(why) = &needs.reads_files
        && dir == "/"
    {
        return Step::Skipped(format!("{why} and works in `/`: the runner would need the whole build stage"));
    }

    let mut edits = Vec::new();
    let from = cx.ins(stage.instructions[0]);
    let builder = match &stage.name {
        Some(name) => name.clone(),
        None => {
            edits.push(Edit::insert(from.syntax.range.end, format!(" {} build", kw("AS"))));
            "build".to_owned()
        }
    };
    if !run.syntax.logical.contains("CGO_ENABLED") {
        edits.push(Edit::insert(command_start, "CGO_ENABLED=0 "));
    }
    // Runtime settings move to the runner; ENV is kept in both (the build may read it too).
    let mut runner_lines: Vec<String> = Vec::new();
    for &i in &stage.instructions {
        let ins = cx.ins(i);
        let whole = crate::text::whole_lines(text, ins.syntax.range.clone());
        match ins.keyword() {
            "EXPOSE" | "LABEL" | "USER" | "HEALTHCHECK" | "CMD" | "ENTRYPOINT" | "STOPSIGNAL" => {
                if !matches!(ins.keyword(), "USER" | "CMD" | "ENTRYPOINT" | "HEALTHCHECK") {
                    runner_lines.push(text[whole.clone()].trim_end_matches(['\n', '\r']).to_owned());
                }
                edits.push(Edit::delete(whole));
            }
            "ENV" => runner_lines.push(text[whole].trim_end_matches(['\n', '\r']).to_owned()),
            _ => {}
        }
    }
    let mut exec: Vec<String> = vec![format!("\"/{name}\"")];
    exec.extend(args.iter().skip(1).map(|a| format!("\"{a}\"")));
    let mut runner = format!("\n{} scratch\n", kw("FROM"));
    runner.push_str(&format!(
        "{} --from={builder} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n{} --from={builder} {binary} /{name}\n",
        kw("COPY"),
        kw("COPY")
    ));
    // The program starts in the same working directory, next to the files it reads.
    if dir != "/" {
        runner.push_str(&format!("{} {dir}\n", kw("WORKDIR")));
        if needs.reads_files.is_some() {
            runner.push_str(&format!("{} --from={builder} {dir} {dir}\n", kw("COPY")));
        }
    }
    for l in runner_lines {
        runner.push_str(&l);
        runner.push('\n');
    }
    runner.push_str(&format!("{} 65532:65532\n{} [{}]\n", kw("USER"), kw(start.keyword()), exec.join(", ")));
    let end = text.len();
    let sep = if text.ends_with('\n') { "" } else { "\n" };
    // A blank line between the stages, as people write them.
    edits.push(Edit::insert(end, format!("{sep}\n{}", runner.trim_start_matches('\n'))));
    edited(
        text,
        edits,
        Change {
            transform: "multi-stage",
            rules: vec!["DO390", "DO392"],
            title: format!("Build a static `{name}` in a `{builder}` stage and ship it on scratch").into(),
            why: "the Go toolchain and sources stay in the builder; the image holds one binary and CA certificates, \
                  and runs as an unprivileged numeric user"
                .into(),
        },
    )
}
