//! `dockopt fix`: apply the lint rules' fixes; print the result, a diff, or write in place.

use std::path::PathBuf;

use clap::Args;
use dockopt::fix::{FixOptions, fix_owned};
use dockopt::lint::LintOptions;

use crate::before::Before;
use crate::input::{self, Failure};

#[derive(Args)]
pub struct FixArgs {
    /// Dockerfiles, or `-` for standard input.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Also apply fixes that may change what the image does.
    #[arg(long = "unsafe")]
    unsafe_fixes: bool,
    /// Print a unified diff instead of the fixed file.
    #[arg(long, conflicts_with = "write")]
    diff: bool,
    /// Replace the files (atomically) with their fixed version.
    #[arg(long)]
    write: bool,
    /// Only the fixes of these rules (codes, names, upstream ids); comma-separated.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Leave these rules' fixes out.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
}

/// The change from `old` to `new` as a unified diff (three lines of context). The diff gives
/// up looking for the smallest one after [`DIFF_TIME_LIMIT`] and shows what remains as one
/// replacement: a change on every few lines of a 10 MB file took 47 s to diff exactly. A
/// real-world Dockerfile diffs in milliseconds, so its diff is always the smallest.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::configure().timeout(DIFF_TIME_LIMIT).diff_lines(old, new);
    diff.unified_diff().context_radius(3).header(name, name).to_string()
}

const DIFF_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(2);

pub fn run(args: &FixArgs) -> Result<(String, u8), Failure> {
    if args.files.len() > 1 && !args.diff && !args.write {
        return Err(Failure("several files: use --diff or --write".into(), 2));
    }
    if args.write && args.files.iter().any(|f| f.as_os_str() == "-") {
        return Err(Failure("--write needs files, not standard input".into(), 2));
    }
    for (flag, list) in [("--select", &args.select), ("--ignore", &args.ignore)] {
        if let Some(bad) = list.iter().find(|s| !dockopt::lint::names_a_rule(s)) {
            return Err(Failure(format!("{flag}: `{bad}` names no rule"), 2));
        }
    }
    let options = FixOptions {
        lint: LintOptions { select: args.select.clone(), ignore: args.ignore.clone(), ..LintOptions::default() },
        unsafe_fixes: args.unsafe_fixes,
    };
    let mut out = String::new();
    let (mut applied, mut remaining) = (0, 0);
    for path in &args.files {
        let (name, text) = input::read_input(path)?;
        // Fixing takes the text; only a diff needs it as it was.
        let (before, text) = Before::keep_if(args.diff, path, text);
        let result = fix_owned(text, &options);
        applied += result.applied.len();
        remaining += result.remaining.iter().filter(|d| d.fix.is_some()).count();
        if let Some(before) = before {
            if result.changed {
                out.push_str(&unified_diff(&name, &before.text()?, &result.text));
            }
        } else if args.write {
            if result.changed {
                dockopt::files::write_atomic(path, &result.text)?;
            }
        } else {
            out.push_str(&result.text);
        }
        for a in &result.applied {
            quiet_eprintln!("{name}: fixed {} {} ({})", a.code, a.name, a.title);
        }
    }
    quiet_eprintln!(
        "Applied {applied} fix{}{}.",
        if applied == 1 { "" } else { "es" },
        if remaining > 0 && !args.unsafe_fixes {
            format!("; {remaining} more with --unsafe or by hand")
        } else {
            String::new()
        }
    );
    Ok((out, 0))
}
