//! The report card of `analyze`, for people (aligned text) and for pull requests (Markdown),
//! alone or as a before/after comparison.

use crate::analyze::rebuild::Scenario;
use crate::analyze::{Basis, Report, human_bytes};

/// One row of the card: a label and the value.
fn rows(r: &Report) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    let approx = if r.image.size_basis == Basis::Measured { "" } else { "~" };
    let incomplete = if r.image.incomplete { ", some parts unknown" } else { "" };
    let shipped = r.stages.iter().find(|s| s.name == r.image.stage);
    let base = shipped.map_or(0, |s| s.base_bytes);
    rows.push((
        "Image size",
        format!(
            "{approx}{} {}{incomplete} (base {} + {} added)",
            human_bytes(r.image.size_bytes),
            basis_word(r.image.size_basis),
            human_bytes(base),
            human_bytes(r.image.size_bytes.saturating_sub(base))
        ),
    ));
    if let Some(pull) = shipped.and_then(|s| s.base_compressed_bytes) {
        rows.push(("Base pull", format!("{} compressed", human_bytes(pull))));
    }
    rows.push(("Layers", format!("{} added", r.image.layers)));
    for s in &r.rebuild.scenarios {
        match s.change.as_str() {
            "source" => rows.push(("Code change", scenario(s))),
            "manifest" => rows.push(("Manifest change", scenario(s))),
            "files" => rows.push(("Your change", scenario(s))),
            _ => {}
        }
    }
    let sec = &r.security;
    let user = match sec.user_line {
        Some(line) => format!("{} (line {line})", sec.user),
        None => format!("{} (base image default)", sec.user),
    };
    rows.push(("User", if sec.root { format!("{user}: runs as root") } else { user }));
    rows.push(("HEALTHCHECK", sec.healthcheck.map_or("none".into(), |l| format!("yes (line {l})"))));
    let forms: Vec<String> = [("CMD", sec.cmd_form), ("ENTRYPOINT", sec.entrypoint_form)]
        .iter()
        .filter_map(|(k, f)| f.map(|f| format!("{k} {f} form")))
        .collect();
    rows.push((
        "Start command",
        if forms.is_empty() { "none set (base image default)".into() } else { forms.join(", ") },
    ));
    rows.push((
        "Secrets",
        if sec.secrets.is_empty() {
            "none found".into()
        } else {
            lines_of(sec.secrets.iter().map(|f| (f.line, f.rule)))
        },
    ));
    let tags: Vec<String> = sec
        .base_images
        .iter()
        .filter(|b| !matches!(b.pinning, "stage" | "scratch"))
        .map(|b| format!("{} ({})", b.image, b.pinning))
        .collect();
    if !tags.is_empty() {
        rows.push(("Base tags", first_named(&tags)));
    }
    rows.push((
        "Unpinned packages",
        if sec.unpinned_packages.is_empty() {
            "none".into()
        } else {
            lines_of(sec.unpinned_packages.iter().map(|f| (f.line, f.rule)))
        },
    ));
    match &r.context {
        Some(c) => {
            let left_out = c.without_dockerignore.bytes.saturating_sub(c.sent.bytes);
            let ignore = if let Some(error) = &c.dockerignore_error {
                format!(", .dockerignore unusable ({error}): Docker fails the build")
            } else if c.dockerignore {
                format!(
                    ", .dockerignore keeps out {} in {} files",
                    human_bytes(left_out),
                    c.without_dockerignore.files - c.sent.files
                )
            } else {
                ", no .dockerignore".into()
            };
            rows.push((
                "Build context",
                format!("{} in {} files sent{ignore}", human_bytes(c.sent.bytes), c.sent.files),
            ));
            if !c.unreadable.is_empty() {
                let list: Vec<String> = c.unreadable.iter().map(|u| format!("{} ({})", u.path, u.error)).collect();
                rows.push(("Unreadable in context", list.join(", ")));
            }
            let heavy: Vec<String> = c
                .offenders
                .iter()
                .filter(|o| !o.ignored)
                .take(3)
                .map(|o| format!("{} {}", o.path, human_bytes(o.bytes)))
                .collect();
            if !heavy.is_empty() {
                rows.push(("Heavy in context", heavy.join(", ")));
            }
            let landing: Vec<String> = c
                .secrets
                .iter()
                .filter(|s| !s.copied_by.is_empty())
                .map(|s| format!("{} ({})", s.path, s.kind))
                .collect();
            if !landing.is_empty() {
                rows.push(("Secret files copied", landing.join(", ")));
            }
        }
        None => rows.push(("Build context", "not read (pass --context DIR)".into())),
    }
    rows
}

fn basis_word(b: Basis) -> &'static str {
    match b {
        Basis::Measured => "measured",
        Basis::Estimated => "estimated",
        Basis::Given => "from the given sizes",
        Basis::Unknown => "unknown",
    }
}

/// At most this many lines are named in a row of findings; the rest are counted.
const LINES_NAMED: usize = 10;

/// `16: line 6 (DO523 x10), line 9 (DO524)`: the count, then each line and rule once, with
/// how many findings it has (the first [`LINES_NAMED`], then how many more lines).
fn lines_of<'a>(items: impl Iterator<Item = (usize, &'a str)>) -> String {
    let mut grouped: Vec<((usize, &str), usize)> = Vec::new();
    // Findings come in file order: the same line and rule are neighbours.
    for item in items {
        match grouped.last_mut() {
            Some((key, n)) if *key == item => *n += 1,
            _ => grouped.push((item, 1)),
        }
    }
    let total: usize = grouped.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = grouped
        .iter()
        .take(LINES_NAMED)
        .map(
            |((line, rule), n)| {
                if *n > 1 { format!("line {line} ({rule} x{n})") } else { format!("line {line} ({rule})") }
            },
        )
        .collect();
    let more = match grouped.len().saturating_sub(LINES_NAMED) {
        0 => String::new(),
        1 => " and 1 more line".into(),
        n => format!(" and {n} more lines"),
    };
    format!("{total}: {}{more}", parts.join(", "))
}

/// The first [`LINES_NAMED`] items, then how many more (a file of many stages has many bases).
fn first_named(items: &[String]) -> String {
    let named = items[..items.len().min(LINES_NAMED)].join(", ");
    match items.len().saturating_sub(LINES_NAMED) {
        0 => named,
        n => format!("{named} and {n} more"),
    }
}

fn scenario(s: &Scenario) -> String {
    let what = if s.from_context { s.files.join(", ") } else { "a source file".into() };
    let install = if s.installs_rerun {
        let cached = s.reruns.iter().any(|r| r.install && r.cache_mount);
        if cached { "the dependency install re-runs (downloads cached)" } else { "the dependency install re-runs" }
    } else {
        "no dependency install re-runs"
    };
    format!("{what}: {} of {} steps re-run, {install}", s.reruns.len(), s.steps)
}

/// The biggest contributions of the shipped image's stages.
fn contributions(r: &Report, limit: usize) -> Vec<String> {
    let mut items: Vec<(u64, String)> = r
        .stages
        .iter()
        .filter(|s| s.name == r.image.stage)
        .flat_map(|s| s.instructions.iter())
        .filter(|i| i.bytes > 0)
        .map(|i| {
            let what: Vec<&str> = i.parts.iter().filter(|p| p.bytes > 0).map(|p| &*p.what).collect();
            (
                i.bytes,
                format!(
                    "line {:<4} {:<4} {:>10} {:<9} {}",
                    i.line,
                    i.keyword,
                    human_bytes(i.bytes),
                    basis_word(i.basis),
                    what.join("; ")
                ),
            )
        })
        .collect();
    items.sort_by_key(|i| std::cmp::Reverse(i.0));
    items.into_iter().take(limit).map(|(_, s)| s).collect()
}

/// The card as aligned text.
pub fn human(r: &Report, name: &str) -> String {
    let mut out = format!("{name}: shipped stage `{}` (FROM {})\n\n", r.image.stage, r.image.base);
    for (label, value) in rows(r) {
        out.push_str(&format!("  {label:<20} {value}\n"));
    }
    let top = contributions(r, 5);
    if !top.is_empty() {
        out.push_str("\nWhat the shipped stage adds, biggest first:\n");
        for line in top {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.push_str(&footnote(r));
    out
}

/// The card as a Markdown table, for a pull-request comment.
pub fn markdown(r: &Report, name: &str) -> String {
    let mut out = format!(
        "### dockopt analyze: `{name}`\n\nShipped stage `{}` (`FROM {}`)\n\n| | |\n|---|---|\n",
        r.image.stage, r.image.base
    );
    for (label, value) in rows(r) {
        out.push_str(&format!("| {label} | {} |\n", escape(&value)));
    }
    out.push_str(&format!("\n<sub>{}</sub>\n", footnote(r).trim()));
    out
}

/// Before and after side by side, as text or Markdown.
/// The rows of a report's card: all a comparison needs of the report, which can then go
/// (optimize compares a file's report with its rewrite's, and a huge file's report is big).
pub struct Rows(Vec<(&'static str, String)>);

impl Rows {
    pub fn of(report: &Report) -> Self {
        Self(rows(report))
    }
}

/// The cards of two reports side by side (their [`Rows`]).
pub fn compare(before: &Rows, after: &Rows, markdown: bool) -> String {
    let (b, a) = (&before.0, &after.0);
    let labels: Vec<&str> = b.iter().map(|(l, _)| *l).chain(a.iter().map(|(l, _)| *l)).fold(Vec::new(), |mut v, l| {
        if !v.contains(&l) {
            v.push(l);
        }
        v
    });
    let value = |rows: &[(&str, String)], label: &str| {
        rows.iter().find(|(l, _)| *l == label).map_or("-".to_owned(), |(_, v)| v.clone())
    };
    let mut out = String::new();
    if markdown {
        out.push_str("| | before | after |\n|---|---|---|\n");
        for l in labels {
            out.push_str(&format!("| {l} | {} | {} |\n", escape(&value(b, l)), escape(&value(a, l))));
        }
    } else {
        for l in labels {
            let (vb, va) = (value(b, l), value(a, l));
            if vb == va {
                out.push_str(&format!("  {l:<20} {vb}  (unchanged)\n"));
            } else {
                out.push_str(&format!("  {l:<20} before: {vb}\n  {:<20} after:  {va}\n", ""));
            }
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

fn footnote(r: &Report) -> String {
    let tables: Vec<String> = r.sources.iter().map(|s| format!("{} ({}, {})", s.table, s.source, s.date)).collect();
    format!(
        "\nSizes are uncompressed; COPY from the context is measured, installs are estimated from tables: {}.\n",
        tables.join("; ")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn findings_on_one_line_are_counted_once() {
        let items = [(6, "DO523"), (6, "DO523"), (6, "DO523"), (9, "DO524"), (12, "DO523")];
        assert_eq!(super::lines_of(items.into_iter()), "5: line 6 (DO523 x3), line 9 (DO524), line 12 (DO523)");
    }

    #[test]
    fn lines_past_the_first_ten_are_counted() {
        let items = (1..=13).map(|line| (line, "DO523"));
        let named: Vec<String> = (1..=10).map(|line| format!("line {line} (DO523)")).collect();
        assert_eq!(super::lines_of(items), format!("13: {} and 3 more lines", named.join(", ")));
        let eleven = super::lines_of((1..=11).map(|line| (line, "DO523")));
        assert!(eleven.ends_with("line 10 (DO523) and 1 more line"), "{eleven}");
    }

    #[test]
    fn base_tags_past_the_first_ten_are_counted() {
        let tags: Vec<String> = (1..=12).map(|n| format!("img{n} (floating)")).collect();
        let named = super::first_named(&tags);
        assert!(named.starts_with("img1 (floating), img2 (floating)"), "{named}");
        assert!(named.ends_with("img10 (floating) and 2 more"), "{named}");
        assert_eq!(super::first_named(&tags[..2]), "img1 (floating), img2 (floating)");
    }
}
