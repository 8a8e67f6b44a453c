//! Reading inputs: files, standard input, and Dockerfiles found under directories.

use std::io::Read;
use std::path::{Path, PathBuf};

/// A failure to report: message and exit code (1: the input is bad, 2: usage or I/O).
pub struct Failure(pub String, pub u8);

/// Read a file (or `-` for standard input) as UTF-8: its display name and text.
pub fn read_input(path: &Path) -> Result<(String, String), Failure> {
    let (name, bytes) = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| Failure(format!("<stdin>: {e}"), 2))?;
        ("<stdin>".to_owned(), buf)
    } else {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| Failure(format!("{name}: {e}"), 2))?;
        (name, bytes)
    };
    let text = dockopt::decode(&bytes).map_err(|e| Failure(format!("{name}: {e}"), 1))?;
    Ok((name, text.to_owned()))
}

/// Whether a file name is a Dockerfile's: `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`,
/// `*.dockerfile`, `Containerfile`, `Containerfile.*`.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["dockerfile", "containerfile"].iter().any(|base| lower == *base || lower.starts_with(&format!("{base}.")))
        || lower.ends_with(".dockerfile")
}

/// Expand the command-line paths: files and `-` as given, directories searched recursively
/// (respecting .gitignore and hidden files like git does) for Dockerfiles, sorted.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" || !path.is_dir() {
            if path.as_os_str() != "-" && !path.exists() {
                return Err(Failure(format!("{}: no such file or directory", path.display()), 2));
            }
            out.push(path.clone());
            continue;
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
