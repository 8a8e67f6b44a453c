//! dockopt: understand and improve Dockerfiles.
//!
//! [`parse`] reads any text the way BuildKit does and keeps every byte: `parse(x).to_string()
//! == x`. The [`Dockerfile`] gives the lossless [`syntax`] (tokens, instructions, heredocs,
//! BuildKit's own reading of each line) and a typed [`model`] of stages, images and variables.

pub mod analyze;
pub mod buildkit;
pub mod config;
pub mod files;
pub mod fix;
pub mod lint;
pub mod model;
pub mod optimize;
pub mod output;
pub mod rules;
pub mod secrets;
pub mod semantics;
pub mod shell;
pub mod syntax;
pub mod text;
pub mod words;

use std::fmt;

pub use analyze::{AnalyzeOptions, Report, analyze, analyze_owned};
pub use model::Model;
pub use syntax::Syntax;

/// Input that is not valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Offset of the first byte that is not valid UTF-8.
    pub offset: usize,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "input is not valid UTF-8 (invalid byte at offset {})", self.offset)
    }
}

impl std::error::Error for DecodeError {}

/// Read bytes as UTF-8, naming the first invalid byte.
pub fn decode(bytes: &[u8]) -> Result<&str, DecodeError> {
    std::str::from_utf8(bytes).map_err(|e| DecodeError { offset: e.valid_up_to() })
}

/// A parsed Dockerfile. Displaying it gives back the input byte for byte.
#[derive(Debug, Clone)]
pub struct Dockerfile {
    source: String,
    syntax: Syntax,
}

impl Dockerfile {
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn syntax(&self) -> &Syntax {
        &self.syntax
    }

    /// The text, handed back (the syntax tree is dropped): for a caller that gave it with
    /// [`parse_owned`] and needs it after the Dockerfile.
    pub fn into_source(self) -> String {
        self.source
    }

    /// The typed model: directives, stages, instructions, variables, diagnostics.
    pub fn model(&self) -> Model {
        model::build(&self.source, &self.syntax, &[])
    }

    /// [`Dockerfile::model`] for a caller that needs only the model: the syntax tree is
    /// freed while the model is built, and its logical lines are reused instead of copied
    /// (for huge files the peak is about a third lower).
    pub fn into_model(self) -> Model {
        model::build_from(&self.source, self.syntax, &[])
    }

    /// The model as a build with these `--build-arg NAME=VALUE` sees it: their values replace
    /// the defaults of the ARGs of those names (FROM lines, ENV and ARG values, stage bases).
    pub fn model_with_build_args(&self, build_args: &[(String, String)]) -> Model {
        model::build(&self.source, &self.syntax, build_args)
    }

    /// The instructions as BuildKit's parser reports them, or its rejection of the file.
    pub fn buildkit_nodes(&self) -> Result<Vec<buildkit::Node>, buildkit::Rejection> {
        buildkit::nodes(&self.source, &self.syntax)
    }
}

impl fmt::Display for Dockerfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Every rule's metadata and documentation, by code.
pub fn rules_catalogue() -> serde_json::Value {
    serde_json::to_value(lint::rules().collect::<Vec<_>>()).unwrap_or_default()
}

/// Parse a Dockerfile. Never fails: problems are reported in the syntax and the model.
pub fn parse(text: &str) -> Dockerfile {
    parse_owned(text.to_owned())
}

/// [`parse`] text the caller hands over: it becomes the Dockerfile's source without a copy
/// (for huge files, one copy of the input less).
pub fn parse_owned(text: String) -> Dockerfile {
    let syntax = syntax::parse(&text);
    Dockerfile { source: text, syntax }
}
