//! Dockerfiles on disk, shared by the command line and the bindings: finding them under
//! folders, reading them, the `.dockerignore` beside them, the configuration that applies to
//! them, and replacing them atomically.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::{Config, ConfigError};
use crate::lint::dockerignore::IgnoreFile;
use crate::lint::{BuildContext, LintOptions, LintResult};

/// Why a file could not be used.
#[derive(Debug)]
pub enum FileError {
    /// The path does not exist, cannot be read or written.
    Io { path: PathBuf, error: std::io::Error },
    /// The file is not UTF-8 (`offset`: the first bad byte).
    NotUtf8 { path: PathBuf, offset: usize },
    /// The configuration that applies to the file is invalid.
    Config(ConfigError),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io { path, error } => write!(f, "{}: {error}", path.display()),
            Self::NotUtf8 { path, offset } => {
                write!(f, "{}: {}", path.display(), crate::DecodeError { offset: *offset })
            }
            Self::Config(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for FileError {}

/// Whether a file name is a Dockerfile's: `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`,
/// `*.dockerfile`, `Containerfile`, `Containerfile.*`.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["dockerfile", "containerfile"].iter().any(|base| lower == *base || lower.starts_with(&format!("{base}.")))
        || lower.ends_with(".dockerfile")
}

/// The files to work on: each path that is a file as given, each folder searched recursively
/// (honouring .gitignore and skipping hidden files, as git does) for Dockerfiles, sorted per
/// folder. A path that does not exist is an error.
pub fn find_dockerfiles<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<PathBuf>, FileError> {
    let mut out = Vec::new();
    for path in paths {
        let path = path.as_ref();
        // One look at the path (a file given is read next anyway): a stat per file counts
        // when thousands are given.
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                out.push(path.to_path_buf());
                continue;
            }
            Err(_) => {
                let error = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory");
                return Err(FileError::Io { path: path.to_path_buf(), error });
            }
        }
        let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(path)
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .filter(|e| e.file_name().to_str().is_some_and(is_dockerfile_name))
            .map(ignore::DirEntry::into_path)
            .collect();
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// A file's text, which must be UTF-8.
pub fn read(path: &Path) -> Result<String, FileError> {
    let bytes = std::fs::read(path).map_err(|error| FileError::Io { path: path.to_path_buf(), error })?;
    String::from_utf8(bytes)
        .map_err(|e| FileError::NotUtf8 { path: path.to_path_buf(), offset: e.utf8_error().valid_up_to() })
}

/// The build context beside a Dockerfile: its `<name>.dockerignore`, else `.dockerignore`,
/// read and parsed once. One that exists but cannot be read or that Docker refuses is kept
/// as such (Docker fails the build), not taken for none.
pub fn build_context(file: &Path) -> BuildContext {
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let own = file.file_name().map(|n| dir.join(format!("{}.dockerignore", n.to_string_lossy())));
    let dockerignore = own
        .into_iter()
        .chain([dir.join(".dockerignore")])
        .map(|p| IgnoreFile::read(&p))
        .find(IgnoreFile::exists)
        .unwrap_or_default();
    BuildContext { dockerignore }
}

/// Write `text` to `path` through a temporary file in the same folder and a rename, so the
/// file is either the old or the new version, never half written; its permissions are kept.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), FileError> {
    let io = |error| FileError::Io { path: path.to_path_buf(), error };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(text.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(meta.permissions()).map_err(io)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// The configuration of each file: one given for all, or the nearest `dockopt.toml` (or
/// `.dockopt.toml`, `pyproject.toml` with `[tool.dockopt]`) above it, looked up once per
/// folder. Safe to share between threads.
pub struct Configs {
    fixed: Option<Option<Config>>,
    found: Mutex<HashMap<PathBuf, Option<Config>>>,
}

impl Configs {
    /// Discover configuration files next to and above each file.
    pub fn discover() -> Self {
        Self { fixed: None, found: Mutex::new(HashMap::new()) }
    }

    /// This configuration (or none) for every file; nothing is read from disk.
    pub fn fixed(config: Option<Config>) -> Self {
        Self { fixed: Some(config), found: Mutex::new(HashMap::new()) }
    }

    /// The configuration that applies to `file` (a file name of `-`: the current folder's).
    pub fn for_file(&self, file: &Path) -> Result<Option<Config>, FileError> {
        if let Some(fixed) = &self.fixed {
            return Ok(fixed.clone());
        }
        let dir = if file.as_os_str() == "-" { None } else { file.parent() };
        let dir = dir.filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        // A poisoned lock only means another thread panicked mid-insert: the map is still valid.
        if let Some(config) = self.found.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&dir) {
            return Ok(config.clone());
        }
        let config = Config::discover(&dir).map_err(FileError::Config)?.map(|(_, c)| c);
        self.found.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(dir, config.clone());
        Ok(config)
    }
}

/// A file read and linted.
pub struct Linted {
    pub path: PathBuf,
    pub source: String,
    pub result: LintResult,
}

/// The lint options of a file: its configuration, and the `.dockerignore` beside it.
pub fn lint_options(path: &Path, configs: &Configs) -> Result<LintOptions, FileError> {
    let config = configs.for_file(path)?;
    Ok(LintOptions { context: Some(build_context(path)), ..LintOptions::configured(config.as_ref()) })
}

/// Read and lint one file under its configuration.
pub fn lint_file(path: &Path, configs: &Configs) -> Result<Linted, FileError> {
    let options = lint_options(path, configs)?;
    let source = read(path)?;
    let result = crate::lint::run(&crate::parse(&source), &options);
    Ok(Linted { path: path.to_path_buf(), source, result })
}

/// Lint files and folders as `dockopt lint PATH...` does: folders searched with
/// [`find_dockerfiles`], files linted in parallel, results in path order. The first file (in
/// that order) that cannot be read or configured is the error.
pub fn lint_paths<P: AsRef<Path>>(paths: &[P], configs: &Configs) -> Result<Vec<Linted>, FileError> {
    let found = find_dockerfiles(paths)?;
    found.par_iter().map(|path| lint_file(path, configs)).collect::<Vec<_>>().into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_names() {
        for name in ["Dockerfile", "dockerfile", "Dockerfile.dev", "api.Dockerfile", "x.dockerfile", "Containerfile"] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in ["Dockerfiles", "README.md", "docker-compose.yml", "Makefile"] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }

    #[test]
    fn finds_dockerfiles_under_folders_sorted_and_rejects_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b/Dockerfile", "a/Dockerfile.dev", "a/README.md", "c.dockerfile"] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "FROM scratch\n").unwrap();
        }
        let found = find_dockerfiles(&[dir.path()]).unwrap();
        let names: Vec<_> = found.iter().map(|p| p.strip_prefix(dir.path()).unwrap().to_path_buf()).collect();
        assert_eq!(names, [Path::new("a/Dockerfile.dev"), Path::new("b/Dockerfile"), Path::new("c.dockerfile")]);
        let missing = find_dockerfiles(&[dir.path().join("nope")]).unwrap_err();
        assert!(missing.to_string().ends_with("nope: no such file or directory"), "{missing}");
    }

    #[test]
    fn read_names_the_first_byte_that_is_not_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, b"FROM a\xff\n").unwrap();
        assert!(matches!(read(&path), Err(FileError::NotUtf8 { offset: 6, .. })));
    }

    #[test]
    fn write_atomic_replaces_the_file_and_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Dockerfile");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
    }

    #[test]
    fn lint_paths_applies_each_files_configuration_and_keeps_path_order() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [("a/Dockerfile", "FROM a\nCMD x\n"), ("b/Dockerfile", "FROM b\nCMD y\n")] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        std::fs::write(dir.path().join("b/dockopt.toml"), "ignore = [\"DO101\"]\n").unwrap();
        let linted = lint_paths(&[dir.path()], &Configs::discover()).unwrap();
        let codes = |l: &Linted| l.result.diagnostics.iter().map(|d| d.rule.code).collect::<Vec<_>>();
        assert_eq!(
            linted.iter().map(|l| l.source.as_str()).collect::<Vec<_>>(),
            ["FROM a\nCMD x\n", "FROM b\nCMD y\n"]
        );
        assert!(codes(&linted[0]).contains(&"DO101"));
        assert!(!codes(&linted[1]).contains(&"DO101"));
        std::fs::write(dir.path().join("b/Dockerfile"), b"\xff").unwrap();
        assert!(matches!(lint_paths(&[dir.path()], &Configs::discover()), Err(FileError::NotUtf8 { .. })));
    }

    #[test]
    fn configs_are_found_above_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("dockopt.toml"), "ignore = [\"DL3008\"]\n").unwrap();
        let config = Configs::discover().for_file(&dir.path().join("sub/Dockerfile")).unwrap();
        assert!(config.is_some());
        assert!(Configs::fixed(None).for_file(&dir.path().join("sub/Dockerfile")).unwrap().is_none());
    }
}
