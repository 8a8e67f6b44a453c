//! `.dockerignore`: written or extended from what the build context really holds. The user's
//! own lines always stay; entries are added only for what exists.

use std::path::Path;

use super::{Change, Step};
use crate::lint::dockerignore::IgnoreFile;
use crate::semantics::BuildContext;

/// Context entries that never belong in an image, with the pattern that keeps them out.
const CANDIDATES: [(&str, &str); 16] = [
    (".git", ".git"),
    (".venv", ".venv"),
    ("venv", "venv"),
    ("env", "env"),
    ("node_modules", "node_modules"),
    ("__pycache__", "**/__pycache__"),
    (".pytest_cache", ".pytest_cache"),
    (".mypy_cache", ".mypy_cache"),
    (".env", ".env"),
    ("dist", "dist"),
    ("build", "build"),
    ("target", "target"),
    ("coverage", "coverage"),
    (".coverage", ".coverage"),
    (".idea", ".idea"),
    (".vscode", ".vscode"),
];

/// Whether `dir` holds `name`, at the top level or (for `**/` patterns) anywhere below.
fn present(dir: &Path, name: &str, anywhere: bool) -> bool {
    if dir.join(name).exists() {
        return true;
    }
    if !anywhere {
        return false;
    }
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0;
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            seen += 1;
            // A bounded look: huge contexts are not walked to the end.
            if seen > 20_000 {
                return false;
            }
            let path = e.path();
            if path.file_name().is_some_and(|n| n == name) {
                return true;
            }
            if path.is_dir() && !path.file_name().is_some_and(|n| n == ".git" || n == "node_modules") {
                stack.push(path);
            }
        }
    }
    false
}

/// What the Dockerfile uses of the context by name: the first path part of every COPY/ADD
/// source, and the words of its RUN/CMD/ENTRYPOINT lines.
struct Used {
    sources: Vec<String>,
    words: Vec<String>,
    builds: bool,
    installs_node: bool,
}

fn used(text: &str) -> Used {
    let model = crate::model::build_from(text, crate::syntax::parse(text), &[]);
    let mut used = Used { sources: Vec::new(), words: Vec::new(), builds: false, installs_node: false };
    for ins in &model.instructions {
        let ins = ins.onbuild().unwrap_or(ins);
        match ins.keyword.as_ref() {
            "COPY" | "ADD" if !ins.flags.iter().any(|f| &*f.name == "from") => {
                let sources = ins.arguments.split_last().map_or(&[][..], |(_, s)| s);
                for source in sources {
                    let clean = crate::semantics::BuildContext::normalize(source);
                    used.sources.push(clean.split('/').next().unwrap_or_default().to_owned());
                }
            }
            "RUN" | "CMD" | "ENTRYPOINT" => {
                let line = ins.arguments.join(" ");
                for word in line.split(|c: char| c.is_whitespace() || "\"';&|()=".contains(c)) {
                    used.words.extend(word.split('/').filter(|w| !w.is_empty()).map(str::to_owned));
                }
                let build_words = ["build", "tsc", "webpack", "vite", "next", "compile", "package", "install"];
                used.builds |= ins.keyword == "RUN" && build_words.iter().any(|w| line.contains(w));
                used.installs_node |= ins.keyword == "RUN"
                    && ["npm ci", "npm install", "npm i ", "yarn", "pnpm install", "pnpm i"]
                        .iter()
                        .any(|w| line.contains(w));
            }
            _ => {}
        }
    }
    used
}

/// Why a present candidate must stay in the context, if it must: the Dockerfile names it, or
/// the build or the app reads it (a VCS-derived version, a `.env` loaded at start-up, build
/// output or dependencies the Dockerfile does not make itself).
fn needed(cx: &BuildContext, name: &str, used: &Used) -> bool {
    let context = cx.root();
    if used.sources.iter().any(|s| s == name) || used.words.iter().any(|w| w == name) {
        return true;
    }
    let read = |f: &str| std::fs::read_to_string(context.join(f)).unwrap_or_default();
    match name {
        ".git" => {
            let manifests =
                [read("pyproject.toml"), read("setup.py"), read("setup.cfg"), read("package.json")].concat();
            ["setuptools_scm", "setuptools-scm", "hatch-vcs", "versioneer", "pbr", "dunamai", "git "]
                .iter()
                .any(|m| manifests.contains(m))
        }
        ".env" => mentions_dotenv(cx),
        "venv" | "env" | ".venv" => !context.join(name).join("pyvenv.cfg").exists(),
        "node_modules" => !used.installs_node,
        "dist" | "build" | "target" => !used.builds,
        _ => false,
    }
}

/// Whether the app's source loads a `.env` file (python-dotenv, dotenv, godotenv, ...).
fn mentions_dotenv(cx: &BuildContext) -> bool {
    cx.files()
        .iter()
        .filter(|f| {
            [".py", ".js", ".ts", ".mjs", ".cjs", ".go", ".rb", ".json", ".toml", ".txt"].iter().any(|e| f.ends_with(e))
        })
        .any(|f| cx.read(f).is_some_and(|t| t.contains("dotenv") || t.contains("\".env\"") || t.contains("'.env'")))
}

pub(crate) fn update(text: &str, cx: Option<&BuildContext>, out: &mut Option<String>) -> Step {
    let Some(cx) = cx else {
        return Step::Skipped("no build context given (--context DIR)".into());
    };
    if let IgnoreFile::Invalid { error, .. } = cx.ignore_file() {
        return Step::Skipped(format!(".dockerignore {error}: Docker refuses it; left as it is"));
    }
    let context = cx.root();
    let used = used(text);
    let path = context.join(".dockerignore");
    // A file that is there but cannot be read as text is left alone: writing a new one would
    // replace the user's lines.
    let existing = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                return Step::Skipped(format!(".dockerignore is not UTF-8 (byte {offset}): left as it is"));
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Step::Skipped(format!("cannot read .dockerignore ({e}): left as it is")),
    };
    let have: Vec<&str> = existing.lines().map(str::trim).collect();
    let mut added: Vec<&str> = Vec::new();
    for (name, pattern) in CANDIDATES {
        let anywhere = pattern.starts_with("**/");
        if !have.contains(&pattern)
            && !have.contains(&name)
            && present(context, name, anywhere)
            && !needed(cx, name, &used)
        {
            added.push(pattern);
        }
    }
    // `.env.*` files (but not `.env.example`-style templates, which some builds copy).
    let env_files = std::fs::read_dir(context)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(".env.") && !n.ends_with(".example")));
    if env_files && !have.contains(&".env.*") && !mentions_dotenv(cx) {
        added.push(".env.*");
    }
    if added.is_empty() {
        return Step::Unchanged;
    }
    let mut ignore = existing.clone();
    if !ignore.is_empty() && !ignore.ends_with('\n') {
        ignore.push('\n');
    }
    if ignore.is_empty() {
        ignore.push_str("# Written by dockopt optimize: keep these out of the build context.\n");
    }
    for a in &added {
        ignore.push_str(a);
        ignore.push('\n');
    }
    *out = Some(ignore);
    let title = if existing.is_empty() { "Write .dockerignore" } else { "Extend .dockerignore" };
    Step::Changed {
        text: text.to_owned(),
        changes: vec![Change {
            transform: "dockerignore",
            rules: vec!["DO491"],
            title: format!("{title}: {}", added.join(", ")).into(),
            why: "the whole context is sent to the builder and `COPY . .` puts it in the image".into(),
        }],
    }
}
