//! Code frames for terminals, built with annotate-snippets.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use super::{FileReport, Located, redacted};
use crate::lint::Severity;

/// Every finding as a code frame, then a one-line summary.
pub fn human(reports: &[FileReport], color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Unicode);
    let mut out = String::new();
    let mut counts = [0usize; 4];
    for r in reports {
        for Located { d, start, end } in r.located() {
            counts[d.severity as usize] += 1;
            // Show only the lines of the finding: the frame stays small for huge files.
            let from = r.source[..d.range.start].rfind('\n').map_or(0, |i| i + 1);
            let to = r.source[d.range.end..].find('\n').map_or(r.source.len(), |i| d.range.end + i);
            let excerpt = redacted(&r.source[from..to], from, r.redact);
            let level = match d.severity {
                Severity::Error => Level::ERROR,
                Severity::Warning => Level::WARNING,
                Severity::Info => Level::INFO,
                Severity::Style => Level::NOTE,
            };
            let title = format!("{} ({})", d.message, d.rule.name);
            let mut label = String::new();
            if let Some(fix) = &d.fix {
                label = format!("fix available: {}", fix.title);
            }
            let span = (d.range.start - from)..(d.range.end - from).max(d.range.start - from);
            let report = &[level.primary_title(&title).id(d.rule.code).element(
                Snippet::source(&excerpt)
                    .line_start(start.line)
                    .path(r.path)
                    .annotation(AnnotationKind::Primary.span(span).label(&label)),
            )];
            out.push_str(&renderer.render(report));
            out.push_str("\n\n");
            let _ = end;
        }
    }
    let [style, info, warning, error] = counts;
    let files = reports.len();
    let total = style + info + warning + error;
    if total == 0 {
        out.push_str(&format!("No problems found in {files} file{}.\n", if files == 1 { "" } else { "s" }));
    } else {
        out.push_str(&format!(
            "Found {total} problem{} in {files} file{} ({error} error, {warning} warning, {info} info, {style} style).\n",
            if total == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" },
        ));
    }
    out
}
