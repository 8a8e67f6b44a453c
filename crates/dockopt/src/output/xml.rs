//! XML formats: Checkstyle and JUnit.

use std::io::{self, Write};

use super::{FileReport, Located, Sink, level};
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
pub struct Checkstyle;

impl Sink for Checkstyle {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n")
    }

    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        writeln!(out, "  <file name=\"{}\">", esc(r.path))?;
        for Located { d, start, .. } in r.located() {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "info",
            };
            writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"dockopt.{}.{}\"/>",
                start.line,
                start.column,
                esc(&d.message),
                d.rule.code,
                d.rule.name
            )?;
        }
        out.write_all(b"  </file>\n")
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"</checkstyle>\n")
    }
}

/// JUnit XML: a test suite per file, a failing test case per finding, and one passing case
/// for a file without findings. The root element counts them all, so the suites are kept
/// (as text) until the end.
#[derive(Default)]
pub struct Junit {
    suites: String,
    tests: usize,
    failures: usize,
}

impl Sink for Junit {
    fn file(&mut self, _out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        use std::fmt::Write as _;
        let found = r.diagnostics.len();
        self.tests += found.max(1);
        self.failures += found;
        let out = &mut self.suites;
        let path = esc(r.path);
        let _ = writeln!(out, "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{found}\">", found.max(1));
        if found == 0 {
            let _ = writeln!(out, "    <testcase name=\"dockopt\" classname=\"{path}\"/>");
        }
        for Located { d, start, .. } in r.located() {
            let _ = writeln!(
                out,
                "    <testcase name=\"{}:{}:{} {}\" classname=\"{path}\">\n      <failure message=\"{}\" type=\"{}\">{} {} ({}) at {}:{}:{}: {}</failure>\n    </testcase>",
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
            );
        }
        out.push_str("  </testsuite>\n");
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"dockopt\" tests=\"{}\" failures=\"{}\">\n{}</testsuites>\n",
            self.tests, self.failures, self.suites
        )
    }
}
