//! Reading inputs: files, standard input, and Dockerfiles found under directories.

use std::io::Read;
use std::path::{Path, PathBuf};

use dockopt::files::{self, FileError};

/// A failure to report: message and exit code (1: the input is bad, 2: usage or I/O).
pub struct Failure(pub String, pub u8);

impl From<FileError> for Failure {
    fn from(error: FileError) -> Self {
        let code = if matches!(error, FileError::NotUtf8 { .. }) { 1 } else { 2 };
        Failure(error.to_string(), code)
    }
}

/// Read a file (or `-` for standard input) as UTF-8: its display name and text.
pub fn read_input(path: &Path) -> Result<(String, String), Failure> {
    if path.as_os_str() != "-" {
        return Ok((path.display().to_string(), files::read(path)?));
    }
    let mut buf = Vec::new();
    std::io::stdin().read_to_end(&mut buf).map_err(|e| Failure(format!("<stdin>: {e}"), 2))?;
    // Taken over without a copy: huge inputs are held once.
    let text = String::from_utf8(buf).map_err(|e| {
        let e = dockopt::DecodeError { offset: e.utf8_error().valid_up_to() };
        Failure(format!("<stdin>: {e}"), 1)
    })?;
    Ok(("<stdin>".to_owned(), text))
}

/// Expand the command-line paths: `-` as given, the rest as [`files::find_dockerfiles`] does.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(path.clone());
        } else {
            out.extend(files::find_dockerfiles(std::slice::from_ref(path))?);
        }
    }
    Ok(out)
}
