//! The build context as the builder sees it: files under the context folder, minus what
//! `.dockerignore` leaves out. Every rewrite reads the context through this one type.

use std::path::{Path, PathBuf};

use crate::lint::dockerignore::IgnoreFile;

/// Folders never walked when searching the context: they are large and hold no project files
/// a Dockerfile step reads by name.
const UNWALKED: [&str; 6] = [".git", "node_modules", ".venv", "venv", "__pycache__", "target"];

/// At most this many entries are visited by one walk, so a huge context stays cheap.
const WALK_LIMIT: usize = 20_000;

#[derive(Debug, Clone)]
pub struct BuildContext {
    root: PathBuf,
    ignore: IgnoreFile,
}

impl BuildContext {
    /// The context at `root`, its `.dockerignore` read and parsed (once: clones share it).
    pub fn new(root: &Path) -> Self {
        Self::with_ignore_file(root, IgnoreFile::read(&root.join(".dockerignore")))
    }

    /// The context at `root` as if its `.dockerignore` read `dockerignore` (a proposed one).
    pub fn with_dockerignore(root: &Path, dockerignore: &str) -> Self {
        Self::with_ignore_file(root, IgnoreFile::parse(&root.join(".dockerignore"), dockerignore))
    }

    /// The context at `root` with a `.dockerignore` already read.
    pub fn with_ignore_file(root: &Path, ignore: IgnoreFile) -> Self {
        Self { root: root.to_path_buf(), ignore }
    }

    /// The `.dockerignore` as read.
    pub fn ignore_file(&self) -> &IgnoreFile {
        &self.ignore
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A context path written as in COPY (`./a/b`, `/a/b`, `a/b`) made relative and clean.
    pub fn normalize(path: &str) -> String {
        let clean = crate::lint::paths::clean(&format!("/{}", path.trim_start_matches("./")));
        clean.trim_start_matches('/').to_owned()
    }

    /// Whether the builder receives `path`: it exists and `.dockerignore` keeps it.
    pub fn sent(&self, path: &str) -> bool {
        let path = Self::normalize(path);
        self.root.join(&path).exists() && !self.ignore.patterns().is_some_and(|i| !path.is_empty() && i.matches(&path))
    }

    pub fn is_file(&self, path: &str) -> bool {
        self.sent(path) && self.root.join(Self::normalize(path)).is_file()
    }

    pub fn is_dir(&self, path: &str) -> bool {
        self.sent(path) && self.root.join(Self::normalize(path)).is_dir()
    }

    /// Whether `.dockerignore` exists and Docker accepts it.
    pub fn has_dockerignore(&self) -> bool {
        self.ignore.patterns().is_some()
    }

    /// Whether `.dockerignore` leaves out `path` (relative, clean).
    pub fn ignores(&self, path: &str) -> bool {
        self.ignore.patterns().is_some_and(|i| !path.is_empty() && i.matches(path))
    }

    /// Whether `.dockerignore` leaves out the folder `path` and everything below it (no `!`
    /// exception brings anything back), so a walk need not look inside.
    pub fn prunes(&self, path: &str) -> bool {
        self.ignore.patterns().is_some_and(|i| !path.is_empty() && i.excludes(path))
    }

    /// The text of a file the builder receives (None when absent, ignored or not UTF-8).
    pub fn read(&self, path: &str) -> Option<String> {
        if !self.sent(path) {
            return None;
        }
        std::fs::read_to_string(self.root.join(Self::normalize(path))).ok()
    }

    /// Relative paths of the files the builder receives, up to [`WALK_LIMIT`] entries, skipping
    /// dependency and VCS folders.
    pub fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![String::new()];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(self.root.join(&dir)) else { continue };
            let mut entries: Vec<_> = entries.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                seen += 1;
                if seen > WALK_LIMIT {
                    return out;
                }
                let Some(name) = e.file_name().to_str().map(str::to_owned) else { continue };
                let rel = if dir.is_empty() { name.clone() } else { format!("{dir}/{name}") };
                if self.ignore.patterns().is_some_and(|i| i.matches(&rel)) {
                    continue;
                }
                let Ok(kind) = e.file_type() else { continue };
                if kind.is_dir() {
                    if !UNWALKED.contains(&name.as_str()) {
                        stack.push(rel);
                    }
                } else {
                    out.push(rel);
                }
            }
        }
        out.sort();
        out
    }
}

/// A fresh folder under the temp dir holding `files` (path, text), for tests that need a
/// build context. Removed when the returned guard drops.
#[cfg(test)]
pub(crate) fn temp_context(name: &str, files: &[(&str, &str)]) -> TempContext {
    let dir = std::env::temp_dir().join(format!("dockopt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    TempContext(dir)
}

/// A test build context folder, removed on drop.
#[cfg(test)]
pub(crate) struct TempContext(pub PathBuf);

/// [`temp_context`] and the build context it holds.
#[cfg(test)]
pub(crate) fn temp_build_context(name: &str, files: &[(&str, &str)]) -> (TempContext, BuildContext) {
    let dir = temp_context(name, files);
    let context = BuildContext::new(&dir.0);
    (dir, context)
}

#[cfg(test)]
impl Drop for TempContext {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_files_are_not_sent() {
        let dir = std::env::temp_dir().join(format!("dockopt-ctx-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join(".dockerignore"), "*.log\n").unwrap();
        std::fs::write(dir.join("src/a.py"), "x").unwrap();
        std::fs::write(dir.join("debug.log"), "x").unwrap();
        let cx = BuildContext::new(&dir);
        assert!(cx.is_file("./src/a.py") && cx.is_dir("src") && cx.is_file("/src/a.py"));
        assert!(!cx.sent("debug.log") && cx.read("debug.log").is_none());
        assert_eq!(cx.files(), vec![".dockerignore", "src/a.py"]);
        assert_eq!(BuildContext::normalize("./a/../b/"), "b");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
