//! Byte offsets to lines and columns.

use serde::Serialize;

/// A position: 1-based line, 1-based column in characters, 0-based byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// Start offsets of lines, for turning offsets into positions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        Position { line: line + 1, column, offset }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let text = "ab\nc\u{e9}d\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1, offset: 0 });
        assert_eq!(idx.position(text, 3), Position { line: 2, column: 1, offset: 3 });
        assert_eq!(idx.position(text, 6), Position { line: 2, column: 3, offset: 6 });
        assert_eq!(idx.position(text, text.len()), Position { line: 3, column: 1, offset: text.len() });
    }
}
