//! Package caches: the cache flags of pip, apk, apt (via the rules' fixes) and the apt lists
//! removed in the layer that creates them.

use super::{Change, Step, rule_fixes};
use crate::lint::{Context, LintOptions};

/// `--no-cache-dir`, `apk --no-cache`, `--no-install-recommends`, `-y`, and
/// `rm -rf /var/lib/apt/lists/*` after apt installs.
pub(crate) fn package_caches(text: &str) -> Step {
    let mut changes = Vec::new();
    let mut current = text.to_owned();
    if let Step::Changed { text, changes: c } =
        rule_fixes(&current, "package-caches", &["DO343", "DO322", "DO321", "DO123", "DO391"])
    {
        current = text;
        changes.extend(c);
    }
    if let Some(next) = remove_apt_lists(&current) {
        current = next;
        changes.push(Change {
            transform: "package-caches",
            rules: vec!["DO300"],
            title: "Remove the apt lists in the same RUN".into(),
            why: "the package lists are tens of MB and stale once the install is done".into(),
        });
    }
    if changes.is_empty() { Step::Unchanged } else { Step::Changed { text: current, changes } }
}

/// Append `&& rm -rf /var/lib/apt/lists/*` to shell-form RUNs that install with apt and
/// leave the lists (the findings of DO300), on their last line.
fn remove_apt_lists(text: &str) -> Option<String> {
    let file = crate::parse(text);
    let options = LintOptions { select: vec!["DO300".into()], ..LintOptions::default() };
    let findings = crate::lint::lint(&file, &options);
    if findings.is_empty() {
        return None;
    }
    let model = file.model();
    let cx = Context::new(text, file.syntax(), &model, &options);
    let mut inserts: Vec<usize> = Vec::new();
    for d in &findings {
        let Some(ins) =
            cx.instructions().find(|i| i.syntax.range.start <= d.range.start && d.range.end <= i.syntax.range.end)
        else {
            continue;
        };
        // Heredoc bodies and exec form are left alone: the end of the command is not the end
        // of the instruction there.
        if !ins.syntax.heredocs.is_empty() || ins.model.form != Some(crate::model::Form::Shell) {
            continue;
        }
        let end = ins.syntax.segments.last().map_or(ins.syntax.range.end, |s| s.source + s.len);
        let end = text[..end].trim_end().len();
        if !inserts.contains(&end) {
            inserts.push(end);
        }
    }
    if inserts.is_empty() {
        return None;
    }
    inserts.sort_unstable();
    let mut out = String::with_capacity(text.len() + inserts.len() * 32);
    let mut at = 0;
    for i in inserts {
        out.push_str(&text[at..i]);
        out.push_str(" && rm -rf /var/lib/apt/lists/*");
        at = i;
    }
    out.push_str(&text[at..]);
    Some(out)
}
