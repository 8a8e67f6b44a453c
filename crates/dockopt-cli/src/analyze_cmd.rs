//! `dockopt analyze`: the report card (size, rebuild cost, build context, security) as text,
//! JSON or Markdown; `--engine` builds the image to measure its size.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Args;
use dockopt::analyze::{AnalyzeOptions, Basis, Report, analyze_owned};
use dockopt::output::card;

use crate::input::{self, Failure};

#[derive(Args)]
pub struct AnalyzeArgs {
    /// The Dockerfile, or `-` for standard input.
    file: PathBuf,
    /// The build context (default: the Dockerfile's folder; none for standard input).
    #[arg(long)]
    context: Option<PathBuf>,
    /// `human` (default), `json`, or `markdown` (for a pull-request comment).
    #[arg(long, short, value_parser = ["human", "json", "markdown"], default_value = "human")]
    format: String,
    /// The stage that ships (name or index; default: the last).
    #[arg(long)]
    target: Option<String>,
    /// A base image's size as your registry or engine reports it, e.g. `python:3.11=541MB`
    /// (bytes, or kB/MB/GB); repeatable. Wins over the built-in table.
    #[arg(long = "base-size", value_name = "IMAGE=SIZE")]
    base_sizes: Vec<String>,
    /// A build argument, as `docker build --build-arg` takes it: `NAME=VALUE`, or `NAME` to
    /// take the value from the environment (skipped when unset); repeatable.
    #[arg(long = "build-arg", value_name = "NAME[=VALUE]")]
    build_args: Vec<String>,
    /// Also simulate a change of these context paths (repeatable).
    #[arg(long, value_name = "PATH")]
    changed: Vec<String>,
    /// Build the image with this engine and report its measured size.
    #[arg(long, value_parser = ["docker", "podman", "buildah"])]
    engine: Option<String>,
}

pub fn run(args: &AnalyzeArgs) -> Result<(String, u8), Failure> {
    let (name, text) = input::read_input(&args.file)?;
    let stdin = args.file.as_os_str() == "-";
    let context = args.context.clone().or_else(|| {
        (!stdin)
            .then(|| args.file.parent().filter(|p| !p.as_os_str().is_empty()).map_or(PathBuf::from("."), PathBuf::from))
    });
    if let Some(dir) = context.as_ref().filter(|d| !d.is_dir()) {
        return Err(Failure(format!("{}: the build context is not a folder", dir.display()), 2));
    }
    let base_sizes = args.base_sizes.iter().map(|s| parse_base_size(s)).collect::<Result<Vec<_>, _>>()?;
    let build_args = build_args(&args.build_args)?;
    let options = AnalyzeOptions {
        context: context.clone(),
        base_sizes,
        target: args.target.clone(),
        changed: args.changed.clone(),
        dockerignore: None,
        build_args: build_args.clone(),
        build_context: None,
    };
    let mut report = analyze_owned(text, &options);
    if report.stages.is_empty() {
        return Err(Failure(format!("{name}: no FROM: the file builds no image to analyze"), 1));
    }
    if let Some(target) = args.target.as_deref().filter(|_| report.image.stage.is_empty()) {
        return Err(Failure(format!("{name}: --target {target}: no stage has that name or index"), 2));
    }
    if let Some(engine) = &args.engine {
        if stdin {
            return Err(Failure("--engine needs a file, not standard input".into(), 2));
        }
        let dir = context.clone().unwrap_or_else(|| PathBuf::from("."));
        let size = measure(engine, &args.file, &dir, args.target.as_deref(), &build_args)?;
        report.image.size_bytes = size;
        report.image.size_basis = Basis::Measured;
        report.image.incomplete = false;
    }
    Ok((render(&report, &name, &args.format), 0))
}

pub fn render(report: &Report, name: &str, format: &str) -> String {
    match format {
        "json" => dockopt::output::pretty::to_string(report).unwrap_or_default(),
        "markdown" => card::markdown(report, name),
        _ => card::human(report, name),
    }
}

/// `IMAGE=SIZE` with SIZE in bytes or with a kB/MB/GB suffix (powers of 1000, as engines print).
fn parse_base_size(text: &str) -> Result<(String, u64), Failure> {
    let bad = || Failure(format!("--base-size {text}: expected IMAGE=SIZE, e.g. python:3.11=541MB"), 2);
    let (image, size) = text.rsplit_once('=').ok_or_else(bad)?;
    if image.is_empty() {
        return Err(bad());
    }
    Ok((image.to_owned(), parse_size(size).ok_or_else(bad)?))
}

/// `541MB`, `77.9 MB`, `12 kB`, `1234`: bytes (powers of 1000, as engines print them).
fn parse_size(size: &str) -> Option<u64> {
    let size = size.trim();
    let split = size.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(size.len());
    let (number, unit) = size.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        _ => return None,
    };
    Some((number * factor) as u64)
}

/// `NAME=VALUE` as given; a bare `NAME` takes the environment's value, as `docker build` does,
/// and is dropped when the environment has none.
fn build_args(given: &[String]) -> Result<Vec<(String, String)>, Failure> {
    let mut out = Vec::new();
    for arg in given {
        let (name, value) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (arg.as_str(), std::env::var(arg).ok()),
        };
        if name.is_empty() {
            return Err(Failure(format!("--build-arg {arg}: expected NAME=VALUE"), 2));
        }
        if let Some(value) = value {
            out.push((name.to_owned(), value));
        }
    }
    Ok(out)
}

/// Build the image with `engine` under a temporary tag, read its size, remove the tag.
fn measure(
    engine: &str,
    file: &Path,
    context: &Path,
    target: Option<&str>,
    build_args: &[(String, String)],
) -> Result<u64, Failure> {
    let tag = format!("localhost/dockopt-analyze:{}", std::process::id());
    let mut build = Command::new(engine);
    build.arg("build").arg("-f").arg(file).arg("-t").arg(&tag);
    if let Some(t) = target {
        build.arg("--target").arg(t);
    }
    for (name, value) in build_args {
        build.arg("--build-arg").arg(format!("{name}={value}"));
    }
    let status = build.arg(context).status().map_err(|e| Failure(format!("{engine}: {e}"), 2))?;
    if !status.success() {
        return Err(Failure(
            format!("{engine} build failed ({status}); the estimate needs no engine: drop --engine"),
            1,
        ));
    }
    // buildah reports sizes only as people read them (`77.9 MB`, three digits): close enough.
    let query: &[&str] = if engine == "buildah" {
        &["images", "--noheading", "--format", "{{.Size}}", &tag]
    } else {
        &["image", "inspect", "--format", "{{.Size}}", &tag]
    };
    let out = Command::new(engine).args(query).output().map_err(|e| Failure(format!("{engine}: {e}"), 2))?;
    let _ = Command::new(engine).args(["rmi", &tag]).output();
    let text = String::from_utf8_lossy(&out.stdout);
    let size = text.trim().parse().ok().or_else(|| parse_size(text.trim()));
    size.ok_or_else(|| {
        Failure(format!("{engine} gave no image size: {}", String::from_utf8_lossy(&out.stderr).trim()), 2)
    })
}
