//! Cutting a stage's text into one piece per instruction, for the rewrites that deal its
//! instructions out to a builder and a runner.

use std::ops::Range;

use crate::lint::Ins;
use crate::text::whole_lines;

/// One range per instruction of `body`, each running from the end of the previous one (from
/// `start` for the first) to the end of the instruction's last line, so comments and blank
/// lines travel with the instruction below them.
pub(crate) fn chunks(text: &str, start: usize, body: &[Ins]) -> Vec<Range<usize>> {
    let mut at = start;
    body.iter()
        .map(|ins| {
            let end = whole_lines(text, ins.syntax.range.clone()).end;
            let range = at.min(end)..end;
            at = end;
            range
        })
        .collect()
}

/// The text of `range`, ending with a line break.
pub(crate) fn line_text(text: &str, range: Range<usize>) -> String {
    let piece = &text[range];
    if piece.ends_with('\n') { piece.to_owned() } else { format!("{piece}\n") }
}
