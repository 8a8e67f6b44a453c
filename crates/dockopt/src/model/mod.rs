//! The typed model (placeholder while the parser settles).
use serde::Serialize;

use crate::syntax::Syntax;

#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub instructions: Vec<String>,
}

pub fn build(_src: &str, syntax: &Syntax) -> Model {
    Model { instructions: syntax.instructions.iter().map(|i| i.command.keyword.clone()).collect() }
}
