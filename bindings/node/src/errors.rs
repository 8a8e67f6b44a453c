//! Failures as JavaScript `Error`s with a stable `code` (and `offset` / `path` where they
//! apply), so callers can tell them apart without reading messages.

use napi::JsValue;
use napi::bindgen_prelude::JsObjectValue;
use napi::bindgen_prelude::{Env, Error, Status};

/// Why a call failed, before it becomes a JS error (async work fails off the JS thread).
#[derive(Debug)]
pub struct Failure {
    /// `ERR_DOCKOPT_INPUT` (bytes that are not UTF-8), `ERR_DOCKOPT_CONFIG` (unknown key, rule
    /// or value), `ERR_DOCKOPT_OPTION` (a bad option value), `ERR_DOCKOPT_TOO_LARGE` (a result
    /// too large for a JavaScript string), or for files Node's own codes
    /// (`ENOENT`, `EACCES`, `EISDIR`, `ENOTDIR`) and `ERR_DOCKOPT_IO` for the rest.
    pub code: &'static str,
    pub message: String,
    /// The byte offset of the first byte that is not UTF-8.
    pub offset: Option<usize>,
    /// The file the failure is about.
    pub path: Option<String>,
}

impl Failure {
    fn new(code: &'static str, message: String) -> Self {
        Self { code, message, offset: None, path: None }
    }

    pub fn input(err: &dockopt::DecodeError) -> Self {
        Self { offset: Some(err.offset), ..Self::new("ERR_DOCKOPT_INPUT", err.to_string()) }
    }

    pub fn config(err: impl std::fmt::Display) -> Self {
        Self::new("ERR_DOCKOPT_CONFIG", format!("config: {err}"))
    }

    pub fn option(message: String) -> Self {
        Self::new("ERR_DOCKOPT_OPTION", message)
    }

    /// A result too large for one JavaScript string (the JSON it travels as).
    pub fn too_large(bytes: usize) -> Self {
        Self::new(
            "ERR_DOCKOPT_TOO_LARGE",
            format!(
                "the result is more than {bytes} bytes of JSON, more than one JavaScript string holds (the \
                 most this package turns into JavaScript values): split the input, or use the dockopt command \
                 line or the Python package"
            ),
        )
    }

    pub fn file(err: dockopt::files::FileError) -> Self {
        use dockopt::files::FileError;
        let message = err.to_string();
        match err {
            FileError::Io { path, error } => {
                let code = match error.kind() {
                    std::io::ErrorKind::NotFound => "ENOENT",
                    std::io::ErrorKind::PermissionDenied => "EACCES",
                    std::io::ErrorKind::IsADirectory => "EISDIR",
                    std::io::ErrorKind::NotADirectory => "ENOTDIR",
                    _ => "ERR_DOCKOPT_IO",
                };
                Self { path: Some(path.display().to_string()), ..Self::new(code, message) }
            }
            FileError::NotUtf8 { path, offset } => Self {
                offset: Some(offset),
                path: Some(path.display().to_string()),
                ..Self::new("ERR_DOCKOPT_INPUT", message)
            },
            FileError::Config(error) => Self::config(error),
        }
    }

    /// The JS `Error` to throw or reject with.
    pub fn into_error(self, env: &Env) -> Error {
        let Ok(mut error) = env.create_error(Error::new(Status::GenericFailure, self.message.clone())) else {
            return Error::new(Status::GenericFailure, self.message);
        };
        // Setting properties on a fresh Error cannot fail in practice; if it did, the message
        // still says what went wrong.
        let _ = error.set_named_property("code", self.code);
        if let Some(offset) = self.offset {
            let _ = error.set_named_property("offset", offset as f64);
        }
        if let Some(path) = self.path {
            let _ = error.set_named_property("path", path);
        }
        Error::from(error.to_unknown())
    }
}
