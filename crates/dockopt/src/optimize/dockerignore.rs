//! `.dockerignore`: written or extended from what the build context really holds. The user's
//! own lines always stay; entries are added only for what exists.

use std::path::Path;

use super::{Change, OptimizeOptions, Step};

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

pub(crate) fn update(_text: &str, options: &OptimizeOptions, out: &mut Option<String>) -> Step {
    let Some(context) = &options.context else {
        return Step::Skipped("no build context given (--context DIR)".into());
    };
    let path = context.join(".dockerignore");
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    let have: Vec<&str> = existing.lines().map(str::trim).collect();
    let mut added: Vec<&str> = Vec::new();
    for (name, pattern) in CANDIDATES {
        let anywhere = pattern.starts_with("**/");
        if !have.contains(&pattern) && !have.contains(&name) && present(context, name, anywhere) {
            added.push(pattern);
        }
    }
    // `.env.*` files (but not `.env.example`-style templates, which some builds copy).
    let env_files = std::fs::read_dir(context)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(".env.") && !n.ends_with(".example")));
    if env_files && !have.contains(&".env.*") {
        added.push(".env.*");
    }
    if added.is_empty() {
        return Step::Unchanged;
    }
    let mut text = existing.clone();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if text.is_empty() {
        text.push_str("# Written by dockopt optimize: keep these out of the build context.\n");
    }
    for a in &added {
        text.push_str(a);
        text.push('\n');
    }
    *out = Some(text);
    let title = if existing.is_empty() { "Write .dockerignore" } else { "Extend .dockerignore" };
    Step::Changed {
        text: _text.to_owned(),
        changes: vec![Change {
            transform: "dockerignore",
            rules: vec!["DO491"],
            title: format!("{title}: {}", added.join(", ")),
            why: "the whole context is sent to the builder and `COPY . .` puts it in the image".into(),
        }],
    }
}
