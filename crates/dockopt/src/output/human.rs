//! Code frames for terminals, built with annotate-snippets.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use std::io::{self, Write};

use super::{FileReport, Located, Sink, disjoint, redacted};
use crate::lint::Severity;

/// Every finding as a code frame, then a one-line summary.
pub struct Human {
    renderer: Renderer,
    /// Findings per severity.
    counts: [usize; 4],
    files: usize,
}

impl Human {
    pub fn new(color: bool) -> Self {
        let renderer = if color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Unicode);
        Self { renderer, counts: [0; 4], files: 0 }
    }
}

impl Sink for Human {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        self.files += 1;
        let hidden = disjoint(r.redact);
        for Located { d, start, .. } in r.located() {
            self.counts[d.severity as usize] += 1;
            // Show only the lines of the finding: the frame stays small for huge files.
            let from = r.source[..d.range.start].rfind('\n').map_or(0, |i| i + 1);
            let to = r.source[d.range.end..].find('\n').map_or(r.source.len(), |i| d.range.end + i);
            let excerpt = redacted(&r.source[from..to], from, &hidden);
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
                    .line_start(start.line as usize)
                    .path(r.path)
                    .annotation(AnnotationKind::Primary.span(span).label(&label)),
            )];
            write!(out, "{}\n\n", self.renderer.render(report))?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let [style, info, warning, error] = self.counts;
        let files = self.files;
        let total = style + info + warning + error;
        if total == 0 {
            writeln!(out, "No problems found in {files} file{}.", if files == 1 { "" } else { "s" })
        } else {
            writeln!(
                out,
                "Found {total} problem{} in {files} file{} ({error} error, {warning} warning, {info} info, {style} style).",
                if total == 1 { "" } else { "s" },
                if files == 1 { "" } else { "s" },
            )
        }
    }
}
