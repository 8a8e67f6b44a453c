//! An instruction that a later one of the same kind in the same stage replaces (CMD,
//! ENTRYPOINT, HEALTHCHECK): the earlier one has no effect, so the finding is on it and the
//! fix deletes it.

use super::{Context, Edit, Fix, Ins, Reporter};
use crate::text::whole_lines;

pub fn report_overridden(cx: &Context, out: &mut Reporter, keyword: &str) {
    for stage in &cx.model.stages {
        let found: Vec<_> = stage.instructions.iter().map(|&i| cx.ins(i)).filter(|i| i.is(keyword)).collect();
        for pair in found.windows(2) {
            let (ins, later) = (pair[0], pair[1]);
            let range = cx.keyword_range(ins).start..cx.arguments_range(ins).end;
            let message =
                format!("this {keyword} is replaced by the one on line {}; remove it", later.model.span.start.line);
            out.report(range, message).set_fix(removal(cx, ins, keyword));
        }
    }
}

/// The safe fix that deletes the overridden `ins`: its whole lines, continuation lines
/// included; comment lines above it stay.
pub fn removal(cx: &Context, ins: Ins, keyword: &str) -> Fix {
    let lines = whole_lines(cx.src, ins.syntax.range.clone());
    Fix::safe(format!("Remove the overridden {keyword}"), vec![Edit::delete(lines)])
}
