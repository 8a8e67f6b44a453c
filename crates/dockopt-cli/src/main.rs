//! The `dockopt` command line: argument handling and I/O only; the work is in the core.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
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

/// A failure to report: message and exit code (1: the input is bad, 2: usage or I/O).
struct Failure(String, u8);

fn read_input(path: &PathBuf) -> Result<(String, String), Failure> {
    let (name, bytes) = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin().read_to_end(&mut buf).map_err(|e| Failure(format!("<stdin>: {e}"), 2))?;
        ("<stdin>".to_owned(), buf)
    } else {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| Failure(format!("{name}: {e}"), 2))?;
        (name, bytes)
    };
    let text = dockopt::decode(&bytes).map_err(|e| Failure(format!("{name}: {e}"), 1))?;
    Ok((name, text.to_owned()))
}

#[derive(Serialize)]
struct TokenOut<'a> {
    kind: dockopt::syntax::TokenKind,
    text: &'a str,
    start: usize,
    end: usize,
}

fn parse_command(format: ParseFormat, path: &PathBuf) -> Result<String, Failure> {
    let (name, text) = read_input(path)?;
    let file = dockopt::parse(&text);
    let json = match format {
        ParseFormat::Json => serde_json::to_string_pretty(&file.model()),
        ParseFormat::BuildkitJson => {
            let nodes =
                file.buildkit_nodes().map_err(|r| Failure(format!("{name}:{}: {}", r.start_line, r.message), 1))?;
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Parse { format, file } => parse_command(*format, file),
    };
    match result {
        Ok(out) => {
            let mut stdout = io::stdout().lock();
            // A closed pipe (`dockopt parse x | head`) is not an error worth reporting.
            let _ = writeln!(stdout, "{out}");
            ExitCode::SUCCESS
        }
        Err(Failure(message, code)) => {
            eprintln!("dockopt: error: {message}");
            ExitCode::from(code)
        }
    }
}
