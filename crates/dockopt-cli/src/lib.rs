//! The `dockopt` command line: argument handling and I/O only; the work is in the core.
//! A library so that other front ends run the very same command line (`python -m dockopt`).

/// `eprint!` and `eprintln!` that ignore a closed standard error. The std macros panic when
/// they cannot write, and `dockopt lint x 2>&1 | head` closes the pipe before the closing notes.
macro_rules! quiet_eprint {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr().lock(), $($arg)*);
    }};
}
macro_rules! quiet_eprintln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod analyze_cmd;
mod before;
mod fix_cmd;
mod input;
mod lint_cmd;
mod optimize_cmd;
mod rules_cmd;

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use input::{Failure, read_input};
use serde::Serialize;

#[derive(Parser)]
#[command(name = "dockopt", version, about = "Understand and improve Dockerfiles")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse a Dockerfile and print what was read.
    Parse {
        /// Output format.
        #[arg(long, short, value_enum, default_value_t = ParseFormat::Json)]
        format: ParseFormat,
        /// The Dockerfile, or `-` for standard input.
        file: PathBuf,
    },
    /// Check Dockerfiles against the rule catalogue.
    Lint(lint_cmd::LintArgs),
    /// Apply the rules' fixes (safe ones; `--unsafe` for all).
    Fix(fix_cmd::FixArgs),
    /// Rewrite a Dockerfile the way the best practice says, explaining every change.
    Optimize(optimize_cmd::OptimizeArgs),
    /// The report card: image size, what a change rebuilds, build context, security.
    Analyze(analyze_cmd::AnalyzeArgs),
    /// List every rule.
    Rules {
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Show one rule's documentation (by code, name or upstream id such as DL3008).
    Rule { code: String },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseFormat {
    /// The model: directives, stages, instructions, variables, errors.
    Json,
    /// BuildKit's parser nodes (cmd, sub_cmd, json, original, lines, flags, value, heredocs).
    BuildkitJson,
    /// Every token with its byte range; together they cover the input exactly.
    Tokens,
}

#[derive(Serialize)]
struct TokenOut<'a> {
    kind: dockopt::syntax::TokenKind,
    text: &'a str,
    start: usize,
    end: usize,
}

/// The tokens as a JSON array, serialized one by one.
struct TokensOut<'a>(&'a dockopt::Dockerfile);

impl Serialize for TokensOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.0.source();
        serializer.collect_seq(dockopt::syntax::tokens(text).iter().map(|t| TokenOut {
            kind: t.kind,
            text: &text[t.start..t.end],
            start: t.start,
            end: t.end,
        }))
    }
}

/// The BuildKit nodes of a file BuildKit accepts, as a JSON array, made and serialized one
/// by one.
struct NodesOut<'a>(&'a dockopt::Dockerfile);

impl Serialize for NodesOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let nodes = dockopt::buildkit::iter_nodes(self.0.source(), self.0.syntax());
        serializer.collect_seq(nodes.into_iter().flatten())
    }
}

/// `dockopt parse`: the JSON goes straight to `out` as it is made, never held whole (the
/// model of a 50 MB file prints as more than 1 GB of JSON).
fn parse_command(format: ParseFormat, path: &std::path::Path, out: &mut impl Write) -> Result<(), Failure> {
    let (name, text) = read_input(path)?;
    let written = match format {
        // Each instruction is built as it is written: the model is never held whole.
        ParseFormat::Json => dockopt::output::pretty::to_writer(&mut *out, &dockopt::model::streamed(&text)),
        ParseFormat::BuildkitJson => {
            let file = dockopt::parse_owned(text);
            if let Err(r) = dockopt::buildkit::iter_nodes(file.source(), file.syntax()) {
                return Err(Failure(format!("{name}:{}: {}", r.start_line.max(1), r.message), 1));
            }
            dockopt::output::pretty::to_writer(&mut *out, &NodesOut(&file))
        }
        ParseFormat::Tokens => dockopt::output::pretty::to_writer(&mut *out, &TokensOut(&dockopt::parse_owned(text))),
    };
    // A closed pipe (`dockopt parse x | head`) is not an error worth reporting.
    match written.and_then(|()| writeln!(out).map_err(serde_json::Error::io)) {
        Err(e) if !e.is_io() => Err(Failure(format!("{name}: {e}"), 2)),
        _ => Ok(()),
    }
}

/// Run the command line on `args` (the program name first, as `std::env::args_os` gives it):
/// print what it prints and return its exit status.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version land here too, with status 0.
            let _ = e.print();
            return u8::try_from(e.exit_code()).unwrap_or(2);
        }
    };
    let result = match &cli.command {
        Command::Parse { format, file } => {
            let mut stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
            let result = parse_command(*format, file, &mut stdout);
            // In a host process (Python) nothing flushes Rust's stdout at exit.
            let _ = stdout.flush();
            result.map(|()| (String::new(), 0))
        }
        Command::Lint(args) => lint_cmd::run(args),
        Command::Fix(args) => fix_cmd::run(args),
        Command::Optimize(args) => optimize_cmd::run(args),
        Command::Analyze(args) => analyze_cmd::run(args),
        Command::Rules { format } => Ok((rules_cmd::list(*format == ListFormat::Json), 0)),
        Command::Rule { code } => rules_cmd::show(code).map(|out| (out, 0)),
    };
    match result {
        Ok((out, code)) => {
            let mut stdout = io::stdout().lock();
            // A closed pipe (`dockopt parse x | head`) is not an error worth reporting.
            let _ = write!(stdout, "{out}");
            // Dockerfile text goes out byte for byte; reports end with a newline.
            let raw = matches!(cli.command, Command::Fix(_) | Command::Optimize(_));
            if !raw && !out.is_empty() && !out.ends_with('\n') {
                let _ = writeln!(stdout);
            }
            // In a host process (Python) nothing flushes Rust's stdout at exit.
            let _ = stdout.flush();
            code
        }
        Err(Failure(message, code)) => {
            quiet_eprintln!("dockopt: error: {message}");
            code
        }
    }
}
