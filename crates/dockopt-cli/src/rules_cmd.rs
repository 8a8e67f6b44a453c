//! `dockopt rules` and `dockopt rule CODE`: the catalogue and one rule's documentation.

use crate::input::Failure;

pub fn list(json_format: bool) -> String {
    let rules: Vec<_> = dockopt::lint::rules().collect();
    if json_format {
        return dockopt::output::pretty::to_string(&rules).unwrap_or_default();
    }
    let mut out = String::new();
    for r in rules {
        let mut upstream: Vec<&str> = r.upstream.iter().map(|u| u.split_once(':').map_or(*u, |(_, id)| id)).collect();
        // hadolint and ShellCheck name ShellCheck's checks alike: show the id once.
        upstream.dedup();
        out.push_str(&format!(
            "{:<6} {:<40} {:<15} {:<8} {}{}\n",
            r.code,
            r.name,
            r.category.as_str(),
            r.severity.as_str(),
            if r.default_enabled { "" } else { "(off by default) " },
            upstream.join(" ")
        ));
    }
    out.push_str(&format!(
        "{:<6} {:<40} {:<15} {:<8} {}\n",
        "SC*",
        "shellcheck",
        "correctness",
        "(varies)",
        "ShellCheck's checks, when the shellcheck binary runs (`dockopt rule SC2086`)"
    ));
    out
}

pub fn show(selector: &str) -> Result<String, Failure> {
    if dockopt::lint::shellcheck::is_selector(selector) && !selector.eq_ignore_ascii_case("shellcheck") {
        return Ok(dockopt::lint::shellcheck::describe(selector));
    }
    let r = dockopt::lint::rule(selector).ok_or_else(|| Failure(format!("no rule named `{selector}`"), 2))?;
    Ok(format!(
        "# {} {}\n\n{}\n\nCategory: {}. Severity: {}. {}Fix: {}. Upstream: {}.\n\n{}",
        r.code,
        r.name,
        r.summary,
        r.category.as_str(),
        r.severity.as_str(),
        if r.default_enabled { "" } else { "Off by default. " },
        match r.fix {
            dockopt::lint::FixAvailability::None => "none",
            dockopt::lint::FixAvailability::Sometimes => "sometimes",
            dockopt::lint::FixAvailability::Always => "always",
        },
        if r.upstream.is_empty() { "none".to_owned() } else { r.upstream.join(", ") },
        r.docs.trim_end()
    ))
}
