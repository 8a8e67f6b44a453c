//! dockopt: understand and improve Dockerfiles.
//!
//! (stub while the parser lands; API shape is final)

use serde::Serialize;

/// Error for input that is not valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub offset: usize,
}
impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "input is not valid UTF-8 at byte offset {}", self.offset)
    }
}
impl std::error::Error for DecodeError {}

/// Decode bytes as UTF-8, reporting the first invalid byte offset.
pub fn decode(bytes: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(bytes).map_err(|e| DecodeError { offset: e.valid_up_to() })
}

pub struct Dockerfile {
    text: String,
}

#[derive(Serialize)]
pub struct Model {
    pub instructions: Vec<String>,
}

impl Dockerfile {
    pub fn model(&self) -> Model {
        Model { instructions: self.text.lines().map(str::to_owned).collect() }
    }
}

impl std::fmt::Display for Dockerfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

pub fn parse(text: &str) -> Dockerfile {
    Dockerfile { text: text.to_owned() }
}
