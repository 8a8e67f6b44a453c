//! JSON-based formats: dockopt's own JSON, SARIF 2.1.0, GitLab Code Quality, and GitHub's
//! workflow commands.

use serde::Serialize;
use serde_json::{Value, json as j};

use std::io::{self, Write};

use super::{FileReport, JsonArray, Located, Sink, level};
use crate::lint::{Applicability, Category, Edit, Fix, FixAvailability, Severity};
use crate::text::Position;

/// A finding's fix as JSON gives it: `{"available": false}`, or `available: true` with the
/// applicability, edits and title. Keys are in alphabetical order, as the format has always
/// printed them; written field by field, without building a JSON value for each fix.
#[derive(Debug, Clone, Copy)]
pub struct FindingFix<'a>(pub Option<&'a Fix>);

impl Serialize for FindingFix<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(f) => AvailableFix {
                applicability: f.applicability,
                available: true,
                edits: EditsJson(&f.edits),
                title: &f.title,
            }
            .serialize(serializer),
            None => NoFix { available: false }.serialize(serializer),
        }
    }
}

#[derive(Serialize)]
struct AvailableFix<'a> {
    applicability: Applicability,
    available: bool,
    edits: EditsJson<'a>,
    title: &'a str,
}

#[derive(Serialize)]
struct NoFix {
    available: bool,
}

/// Each edit as `{"content": ..., "range": {"end": ..., "start": ...}}`.
struct EditsJson<'a>(&'a [Edit]);

impl Serialize for EditsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct EditJson<'a> {
            content: &'a str,
            range: RangeJson,
        }
        #[derive(Serialize)]
        struct RangeJson {
            end: usize,
            start: usize,
        }
        serializer.collect_seq(
            self.0
                .iter()
                .map(|e| EditJson { content: &e.content, range: RangeJson { end: e.range.end, start: e.range.start } }),
        )
    }
}

/// A finding as plain data: what `--format json` prints and the bindings return.
#[derive(Debug, Clone, Serialize)]
pub struct Finding<'a> {
    pub path: &'a str,
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub upstream: &'static [&'static str],
    pub severity: Severity,
    pub message: &'a str,
    pub start: Position,
    pub end: Position,
    pub fix: FindingFix<'a>,
}

/// The findings of one file as plain data.
pub fn findings<'a>(report: &FileReport<'a>) -> Vec<Finding<'a>> {
    each_finding(report).collect()
}

/// [`findings`] one at a time, for writers that need not hold them all.
fn each_finding<'a>(report: &FileReport<'a>) -> impl Iterator<Item = Finding<'a>> {
    let path = report.path;
    report.located().into_iter().map(move |Located { d, start, end }| Finding {
        path,
        code: d.rule.code,
        name: d.rule.name,
        category: d.rule.category,
        upstream: d.rule.upstream,
        severity: d.severity,
        message: &d.message,
        start,
        end,
        fix: FindingFix(d.fix.as_deref()),
    })
}

/// dockopt's own JSON: one array of [`Finding`]s.
#[derive(Default)]
pub struct Json(JsonArray);

impl Sink for Json {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        each_finding(report).try_for_each(|f| self.0.item(out, &f))
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.0.finish(out)
    }
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

/// SARIF 2.1.0 with one run; rules carry their docs; columns count Unicode code points.
/// The log holds every result under its run, so they are kept (as data, without the
/// sources they came from) until the end.
#[derive(Default)]
pub struct Sarif {
    rules: Vec<&'static crate::lint::RuleMeta>,
    results: Vec<Value>,
}

impl Sink for Sarif {
    fn file(&mut self, _out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        for Located { d, start, end } in r.located() {
            let rules = &mut self.rules;
            let index = rules.iter().position(|m| m.code == d.rule.code).unwrap_or_else(|| {
                rules.push(d.rule);
                rules.len() - 1
            });
            self.results.push(j!({
                "ruleId": d.rule.code,
                "ruleIndex": index,
                "level": sarif_level(d.severity),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": r.path.trim_start_matches("./") },
                        "region": {
                            "startLine": start.line, "startColumn": start.column_utf16,
                            "endLine": end.line, "endColumn": end.column_utf16,
                            "charOffset": start.offset, "charLength": end.offset - start.offset,
                        }
                    }
                }],
            }));
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|m| {
                j!({
                    "id": m.code,
                    "name": m.name,
                    "shortDescription": { "text": m.summary },
                    "fullDescription": { "text": m.summary },
                    "help": { "text": m.summary, "markdown": m.docs },
                    "defaultConfiguration": { "level": sarif_level(m.severity) },
                    "properties": {
                        "tags": [m.category.as_str()],
                        "upstream": m.upstream,
                        "fixable": m.fix != FixAvailability::None,
                    },
                })
            })
            .collect();
        let log = j!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "dockopt",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/dockopt/dockopt",
                    "rules": rules,
                }},
                // SARIF's default, and what GitHub code scanning and editors count in.
                "columnKind": "utf16CodeUnits",
                "results": std::mem::take(&mut self.results),
            }]
        });
        super::pretty::to_writer(&mut *out, &log).map_err(io::Error::other)?;
        out.write_all(b"\n")
    }
}

/// FNV-1a: a fingerprint that stays the same across runs and versions.
fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// GitLab Code Quality report.
#[derive(Default)]
pub struct Gitlab(JsonArray);

impl Sink for Gitlab {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        for Located { d, start, end } in r.located() {
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info | Severity::Style => "info",
            };
            let line = start.line.to_string();
            let issue = j!({
                "description": format!("{}: {}", d.rule.code, d.message),
                "check_name": d.rule.code,
                "fingerprint": fingerprint(&[r.path, d.rule.code, &line, &d.message]),
                "severity": severity,
                "location": { "path": r.path, "lines": { "begin": start.line, "end": end.line } },
            });
            self.0.item(out, &issue)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.0.finish(out)
    }
}

/// Escape a GitHub workflow command value (`properties` also escape `:` and `,`).
fn gh_escape(text: &str, property: bool) -> String {
    let mut out = text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// GitHub Actions workflow commands: one annotation per finding.
pub struct Github;

impl Sink for Github {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        for Located { d, start, end } in r.located() {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Style => "notice",
            };
            writeln!(
                out,
                "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                gh_escape(r.path, true),
                start.line,
                start.column,
                end.line,
                end.column,
                gh_escape(&format!("{} {} ({})", d.rule.code, d.rule.name, level(d.severity)), true),
                gh_escape(&d.message, false),
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}
