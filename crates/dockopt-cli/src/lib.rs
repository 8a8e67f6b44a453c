//! The `dockopt` command line: argument handling and I/O only; the work is in the core.
//! A library so that other front ends run the very same command line (`python -m dockopt`).

mod analyze_cmd;
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

fn parse_command(format: ParseFormat, path: &std::path::Path) -> Result<String, Failure> {
    let (name, text) = read_input(path)?;
    let file = dockopt::parse(&text);
    let json = match format {
        ParseFormat::Json => serde_json::to_string_pretty(&file.model()),
        ParseFormat::BuildkitJson => {
            let nodes = file
                .buildkit_nodes()
                .map_err(|r| Failure(format!("{name}:{}: {}", r.start_line.max(1), r.message), 1))?;
            serde_json::to_string_pretty(&nodes)
        }
        ParseFormat::Tokens => {
            let tokens: Vec<TokenOut> = file
                .syntax()
                .tokens
                .iter()
                .map(|t| TokenOut { kind: t.kind, text: &text[t.start..t.end], start: t.start, end: t.end })
                .collect();
            serde_json::to_string_pretty(&tokens)
        }
    };
    json.map_err(|e| Failure(format!("{name}: {e}"), 2))
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
        Command::Parse { format, file } => parse_command(*format, file).map(|out| (out, 0)),
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
            eprintln!("dockopt: error: {message}");
            code
        }
    }
}
