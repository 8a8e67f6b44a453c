//! HEALTHCHECK for HTTP services: a final stage that EXPOSEs a port (or starts a server with
//! `--port`/`--bind`) and has no HEALTHCHECK gets one that asks the app's health endpoint with
//! what the image already has (Python's urllib, Node's fetch), so no curl is installed for it.
//! The path is the one given, or found in the context's source files; without one the transform
//! is skipped.

use std::path::Path;

use super::{Change, OptimizeOptions, Step};

/// Find `/healthz` or `/health` in the context's source files (a bounded look).
fn detect_path(context: &Path) -> Option<&'static str> {
    let mut stack = vec![context.to_path_buf()];
    let mut seen = 0;
    let mut found = None;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            seen += 1;
            if seen > 2_000 {
                return found;
            }
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && name != "node_modules" && name != "vendor" {
                    stack.push(path);
                }
                continue;
            }
            if !["py", "js", "mjs", "ts", "go", "rb"].iter().any(|e| name.ends_with(&format!(".{e}"))) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            for candidate in ["/healthz", "/health"] {
                if text.contains(&format!("\"{candidate}\"")) || text.contains(&format!("'{candidate}'")) {
                    found = found.or(Some(candidate));
                }
            }
        }
    }
    found
}

/// The port a server command listens on: `--port 8000`, `--port=8000`, `-p 8000`, `--bind
/// 0.0.0.0:8000`, `-b :8000` (uvicorn, gunicorn, flask, http.server-style arguments).
pub(crate) fn port_in_command(arguments: &[String]) -> Option<u16> {
    let words: Vec<&str> = arguments.iter().flat_map(|a| a.split_whitespace()).collect();
    words.iter().enumerate().find_map(|(i, w)| {
        let value = match *w {
            "--port" | "-p" | "--bind" | "-b" => words.get(i + 1).copied()?,
            w => w.strip_prefix("--port=").or_else(|| w.strip_prefix("--bind="))?,
        };
        value.rsplit(':').next()?.parse().ok()
    })
}

pub(crate) fn healthcheck(text: &str, options: &OptimizeOptions) -> Step {
    let model = crate::model::build_from(text, crate::syntax::parse(text), &[]);
    let Some(stage) = model.stages.last() else { return Step::Unchanged };
    let ins =
        |k: &'static str| stage.instructions.iter().map(|&i| &model.instructions[i]).filter(move |m| m.keyword == k);
    if ins("HEALTHCHECK").next().is_some() {
        return Step::Unchanged;
    }
    let exposed = ins("EXPOSE").flat_map(|e| e.arguments.iter()).find_map(|p| {
        let p = p.split('/').next().unwrap_or(p);
        p.parse::<u16>().ok()
    });
    let started = ins("CMD").chain(ins("ENTRYPOINT")).find_map(|i| port_in_command(&i.arguments));
    let Some(port) = exposed.or(started) else { return Step::Unchanged };
    let path = match (&options.healthcheck_path, &options.context) {
        (Some(p), _) => p.clone(),
        (None, Some(dir)) => match detect_path(dir) {
            Some(p) => p.to_owned(),
            None => {
                return Step::Skipped("no /health or /healthz endpoint found in the context (give the path)".into());
            }
        },
        (None, None) => return Step::Skipped("no build context to look for a health endpoint (give the path)".into()),
    };
    // The image the final stage runs on, following earlier stages.
    let mut root = stage;
    while let Some(b) = root.base_stage {
        root = &model.stages[b];
    }
    let repository = root.image.as_ref().map(|i| i.repository.rsplit('/').next().unwrap_or("").to_owned());
    let url = format!("http://127.0.0.1:{port}{path}");
    if repository.as_deref() == Some("python") && root.image.as_ref().and_then(|i| i.major_version()) == Some(2) {
        return Step::Skipped("Python 2 has no urllib.request to probe with".into());
    }
    let probe = match repository.as_deref() {
        Some("python") => format!(
            "[\"python\", \"-c\", \"import sys, urllib.request; sys.exit(urllib.request.urlopen('{url}', timeout=3).status != 200)\"]"
        ),
        // `http.get`, not `fetch`: Node before 18 has no fetch.
        Some("node") => format!(
            "[\"node\", \"-e\", \"require('http').get('{url}', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))\"]"
        ),
        _ => return Step::Skipped("no HTTP client known in the final image (python and node images only)".into()),
    };
    let from = &model.instructions[stage.instructions[0]];
    let (keyword, cmd) = (from.same_case("HEALTHCHECK"), from.same_case("CMD"));
    // Before the start command, or at the end of the file.
    let at = ins("CMD")
        .chain(ins("ENTRYPOINT"))
        .map(|m| m.span.start.offset as usize)
        .min()
        .map(|o| text[..o].rfind('\n').map_or(0, |i| i + 1));
    let line = format!("{keyword} --interval=30s --timeout=5s --retries=3 {cmd} {probe}\n");
    let new = match at {
        Some(at) => format!("{}{line}{}", &text[..at], &text[at..]),
        None if text.ends_with('\n') || text.is_empty() => format!("{text}{line}"),
        None => format!("{text}\n{line}"),
    };
    Step::Changed {
        text: new,
        changes: vec![Change {
            transform: "healthcheck",
            rules: vec!["DO590"],
            title: format!("Add a HEALTHCHECK on {url}").into(),
            why: "the engine can then tell a hung service from a running one; the probe uses the image's own runtime, no curl"
                .into(),
        }],
    }
}
