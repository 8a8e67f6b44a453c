//! XML formats: Checkstyle and JUnit.

use super::{FileReport, Located, level};
use crate::lint::Severity;

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot carry other control characters at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Checkstyle XML, one `<file>` per input.
pub fn checkstyle(reports: &[FileReport]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for r in reports {
        out.push_str(&format!("  <file name=\"{}\">\n", esc(r.path)));
        for Located { d, start, .. } in r.located() {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "info",
            };
            out.push_str(&format!(
                "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"dockopt.{}.{}\"/>\n",
                start.line,
                start.column,
                esc(&d.message),
                d.rule.code,
                d.rule.name
            ));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

/// JUnit XML: a test suite per file, a failing test case per finding, and one passing case
/// for a file without findings.
pub fn junit(reports: &[FileReport]) -> String {
    let total: usize = reports.iter().map(|r| r.diagnostics.len().max(1)).sum();
    let failures: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dockopt\" tests=\"{total}\" failures=\"{failures}\">\n"
    );
    for r in reports {
        let path = esc(r.path);
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{}\">\n",
            r.diagnostics.len().max(1),
            r.diagnostics.len()
        ));
        if r.diagnostics.is_empty() {
            out.push_str(&format!("    <testcase name=\"dockopt\" classname=\"{path}\"/>\n"));
        }
        for Located { d, start, .. } in r.located() {
            out.push_str(&format!(
                "    <testcase name=\"{}:{}:{} {}\" classname=\"{path}\">\n      <failure message=\"{}\" type=\"{}\">{} {} ({}) at {}:{}:{}: {}</failure>\n    </testcase>\n",
                path,
                start.line,
                start.column,
                d.rule.code,
                esc(&d.message),
                d.rule.code,
                d.rule.code,
                d.rule.name,
                level(d.severity),
                path,
                start.line,
                start.column,
                esc(&d.message)
            ));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
