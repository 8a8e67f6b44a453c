//! `dockopt optimize`: the whole-file rewrite; the new file (or a diff, or JSON) on stdout,
//! a table of what changed and why on stderr, `--write` to replace the file atomically.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use dockopt::analyze::{AnalyzeOptions, Report, analyze, analyze_parsed};
use dockopt::optimize::{Change, OptimizeOptions, Optimized, optimize_in};
use dockopt::output::card;
use dockopt::semantics::BuildContext;
use serde::Serialize;

use dockopt::files::write_atomic;

use crate::before::Before;
use crate::fix_cmd::unified_diff;
use crate::input::{self, Failure};

#[derive(Args)]
pub struct OptimizeArgs {
    /// The Dockerfile, or `-` for standard input.
    file: PathBuf,
    /// The build context (default: the Dockerfile's folder), read for .dockerignore.
    #[arg(long)]
    context: Option<PathBuf>,
    /// Print a unified diff instead of the new file.
    #[arg(long, conflicts_with_all = ["write", "format"])]
    diff: bool,
    /// Replace the file (atomically) and write .dockerignore in the context.
    #[arg(long, conflicts_with = "format")]
    write: bool,
    /// `json`: {text, changes, skipped, requirements, dockerignore}.
    #[arg(long, value_parser = ["json"])]
    format: Option<String>,
    /// Allow BuildKit-only syntax (secret mounts).
    #[arg(long)]
    buildkit: bool,
    /// Use the Alpine variant of a slim python/node base (smaller; musl may break C extensions).
    #[arg(long)]
    alpine: bool,
    /// Cache package downloads in BuildKit cache mounts (`RUN --mount=type=cache`) instead of
    /// `--no-cache-dir`; BuildKit-only syntax.
    #[arg(long)]
    cache_mounts: bool,
    /// The HTTP path of the app's health endpoint (default: found in the context).
    #[arg(long)]
    healthcheck_path: Option<String>,
    #[arg(long)]
    no_healthcheck: bool,
    #[arg(long)]
    no_base_image: bool,
    #[arg(long)]
    no_cache_order: bool,
    #[arg(long)]
    no_multi_stage: bool,
    #[arg(long)]
    no_package_caches: bool,
    #[arg(long)]
    no_secrets: bool,
    #[arg(long)]
    no_non_root: bool,
    #[arg(long)]
    no_exec_form: bool,
    #[arg(long)]
    no_python_env: bool,
    #[arg(long)]
    no_dockerignore: bool,
}

pub fn run(args: &OptimizeArgs) -> Result<(String, u8), Failure> {
    let stdin = args.file.as_os_str() == "-";
    if args.write && stdin {
        return Err(Failure("--write needs a file, not standard input".into(), 2));
    }
    let (name, text) = input::read_input(&args.file)?;
    let context = args.context.clone().or_else(|| {
        (!stdin)
            .then(|| args.file.parent().filter(|p| !p.as_os_str().is_empty()).map_or(PathBuf::from("."), PathBuf::from))
    });
    let switches = [
        (args.no_base_image, "base-image"),
        (args.no_cache_order, "cache-order"),
        (args.no_multi_stage, "multi-stage"),
        (args.no_package_caches, "package-caches"),
        (args.no_secrets, "secrets"),
        (args.no_non_root, "non-root"),
        (args.no_exec_form, "exec-form"),
        (args.no_python_env, "python-env"),
        (args.no_healthcheck, "healthcheck"),
        (args.no_dockerignore, "dockerignore"),
    ];
    let disabled = switches.iter().filter(|(off, _)| *off).map(|(_, n)| (*n).to_owned()).collect();
    let options = OptimizeOptions {
        context: context.clone(),
        disabled,
        buildkit: args.buildkit,
        cache_mounts: args.cache_mounts,
        alpine: args.alpine,
        healthcheck_path: args.healthcheck_path.clone(),
    };
    // The context's .dockerignore is read and parsed once, for the rewrite and the card.
    let read = context.as_deref().map(BuildContext::new);
    let options_for = |build_context: Option<BuildContext>| AnalyzeOptions {
        context: context.clone(),
        build_context,
        ..AnalyzeOptions::default()
    };
    if args.format.is_some() {
        let result = optimize_in(&text, &options, read.as_ref());
        let proposed = proposed_context(&result, context.as_deref(), &read);
        let before = analyze(&text, &options_for(read));
        let after = analyze(&result.text, &options_for(proposed));
        let out = WithCard { result: &result, analysis: Card { before, after } };
        return Ok((dockopt::output::pretty::to_string(&out).unwrap_or_default(), 0));
    }
    // For a huge file the card's two reports are the peaks, so each is made while little else
    // is held, from a parse that takes its text without a copy, and only its rows are kept:
    // the input's before the rewrite; the rewrite's with the input and the list of changes
    // dropped, before the file is written (a failure leaves the file as it was).
    let parsed = dockopt::parse_owned(text);
    let (builds, before) = {
        let report = analyze_parsed(&parsed, &options_for(read.clone()));
        (!report.stages.is_empty(), card::Rows::of(&report))
    };
    let text = parsed.into_source();
    // The rewrite takes the text; only a diff needs it as it was.
    let (original, text) = Before::keep_if(args.diff, &args.file, text);
    let result = optimize_in(text, &options, read.as_ref());
    let proposed = proposed_context(&result, context.as_deref(), &read);
    let table = table(&result);
    // (Fields left out of a pattern would be dropped only when the function returns.)
    let Optimized { text: rewritten, changed, dockerignore, changes, .. } = result;
    drop(changes);
    let diff = match original {
        Some(before) => Some(unified_diff(&name, &before.text()?, &rewritten)),
        None => None,
    };
    let rewritten = dockopt::parse_owned(rewritten);
    // A file without a stage builds nothing: no card to compare.
    let card = if !builds {
        String::new()
    } else {
        let after = card::Rows::of(&analyze_parsed(&rewritten, &options_for(proposed)));
        format!("\nBefore and after (dockopt analyze):\n{}", card::compare(&before, &after, false))
    };
    let rewritten = rewritten.into_source();
    if args.write {
        if changed {
            write_atomic(&args.file, &rewritten)?;
        }
        if let (Some(ignore), Some(dir)) = (&dockerignore, &context) {
            write_atomic(&dir.join(".dockerignore"), ignore)?;
        }
    } else {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`dockopt optimize x | head`) is not an error worth reporting.
        let out = diff.as_deref().unwrap_or(&rewritten);
        let _ = stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush());
    }
    // The new file (or diff) first, then the table: in a terminal the explanation follows the file.
    quiet_eprint!("{table}{card}");
    Ok((String::new(), 0))
}

/// The build context the rewrite leaves: with its new `.dockerignore`, when it writes one.
fn proposed_context(result: &Optimized, context: Option<&Path>, read: &Option<BuildContext>) -> Option<BuildContext> {
    match (&result.dockerignore, context) {
        (Some(ignore), Some(dir)) => Some(BuildContext::with_dockerignore(dir, ignore)),
        _ => read.clone(),
    }
}

/// `--format json`: the result with the report card of the file before and after.
#[derive(Serialize)]
struct WithCard<'a> {
    #[serde(flatten)]
    result: &'a Optimized,
    analysis: Card,
}

#[derive(Serialize)]
struct Card {
    before: Report,
    after: Report,
}

/// What changed and why, then what was skipped and what running the image needs.
fn table(result: &Optimized) -> String {
    let mut out = String::new();
    if result.changes.is_empty() {
        out.push_str("\nNothing to change.\n");
    } else {
        out.push_str("\nChanges:\n");
        // The same change made many times (a flag added to every install) is one line, counted.
        let same = |a: &Change, b: &Change| (a.transform, &a.title, &a.why) == (b.transform, &b.title, &b.why);
        for run in result.changes.chunk_by(same) {
            let c = &run[0];
            let times = if run.len() > 1 { format!(" ({} times)", run.len()) } else { String::new() };
            out.push_str(&format!("  {:<15} {}{times}\n  {:<15}   why: {}\n", c.transform, c.title, "", c.why));
        }
    }
    for s in &result.skipped {
        out.push_str(&format!("  skipped {:<15} {}\n", s.transform, s.reason));
    }
    for r in &result.requirements {
        out.push_str(&format!("  requires: {r}\n"));
    }
    out
}
