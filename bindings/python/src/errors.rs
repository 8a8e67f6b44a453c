//! The exceptions the module raises: every failure of the core becomes one of these (or an
//! `OSError` for files), never a panic. And the warning it issues for lint notes.

use pyo3::exceptions::{PyOSError, PyUserWarning, PyValueError};
use pyo3::prelude::*;

// ValueError as base so callers that already catch bad-input errors keep working.
pyo3::create_exception!(dockopt, DockoptError, PyValueError, "Raised when dockopt cannot process its input.");
pyo3::create_exception!(
    dockopt,
    InputError,
    DockoptError,
    "The Dockerfile text cannot be read (bytes that are not UTF-8); `offset` is the byte where it fails, `path` the file (None for text)."
);
pyo3::create_exception!(
    dockopt,
    ConfigError,
    DockoptError,
    "A configuration (the keys of dockopt.toml) names an unknown key, rule or value."
);

pyo3::create_exception!(
    dockopt,
    DockoptWarning,
    PyUserWarning,
    "Warned when dockopt could not check part of a Dockerfile (a RUN script too long or nested too deep to analyse, a ShellCheck run that failed): its findings may be incomplete."
);

/// Issue each lint note as a [`DockoptWarning`] attributed to the Python line that called the
/// function (stacklevel 1: a native function has no frame of its own). Under a filter that
/// turns warnings into errors, the first one raises.
pub fn warn_notes(py: Python<'_>, notes: impl IntoIterator<Item = String>) -> PyResult<()> {
    let category = py.get_type::<DockoptWarning>();
    for note in notes {
        // A C string cannot hold NUL; no note should contain one, but a ShellCheck error could.
        let message = std::ffi::CString::new(note.replace('\0', "\\0")).unwrap_or_default();
        PyErr::warn(py, &category, &message, 1)?;
    }
    Ok(())
}

/// An [`InputError`] with the offset of the first byte that is not UTF-8 and the file's path.
pub fn input_error(py: Python<'_>, message: String, offset: usize, path: Option<&std::path::Path>) -> PyErr {
    let error = InputError::new_err(message);
    // Setting attributes on a fresh exception object cannot fail in practice; if it did, the
    // message still names the offset and the file.
    let _ = error.value(py).setattr("offset", offset);
    let _ = error.value(py).setattr("path", path.map(|p| p.to_string_lossy().into_owned()));
    error
}

pub fn config_error(e: impl std::fmt::Display) -> PyErr {
    ConfigError::new_err(format!("config: {e}"))
}

/// The Python exception for a file that cannot be used: `OSError(errno, message, path)`
/// (Python picks the subclass, e.g. `FileNotFoundError`), `InputError`, or `ConfigError`.
pub fn file_error(py: Python<'_>, error: dockopt::files::FileError) -> PyErr {
    use dockopt::files::FileError;
    match error {
        FileError::Io { path, error } => {
            let path = path.to_string_lossy().into_owned();
            match error.raw_os_error() {
                Some(errno) => PyOSError::new_err((errno, error.to_string(), path)),
                None if error.kind() == std::io::ErrorKind::NotFound => {
                    pyo3::exceptions::PyFileNotFoundError::new_err((2, error.to_string(), path))
                }
                None => PyOSError::new_err(format!("{path}: {error}")),
            }
        }
        FileError::NotUtf8 { ref path, offset } => input_error(py, error.to_string(), offset, Some(path)),
        FileError::Config(error) => config_error(error),
    }
}
