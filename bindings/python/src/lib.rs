//! Python bindings for dockopt: conversion only, all behaviour lives in the core crate.
//!
//! `parse` gives a `Dockerfile` object; `lint`, `fix`, `optimize` and `analyze` give typed
//! results (frozen classes with `to_dict()`); the `*_file` and `lint_paths` functions work on
//! disk. The core runs with the GIL released: other Python threads go on meanwhile.

mod args;
mod errors;
mod files;
mod record;
mod results;
mod syntax;

use pyo3::prelude::*;

use results::{FixResult, OptimizeResult, Report};
use syntax::Dockerfile;

// The core's allocations go to jemalloc, as in the binary; Python's own objects stay with
// Python's allocator.
dockopt_allocator::global!();

/// Parse a Dockerfile (`str`, or UTF-8 `bytes`). Never fails on text: what BuildKit would
/// reject is listed in `Dockerfile.errors`.
#[pyfunction]
fn parse(text: &Bound<'_, PyAny>) -> PyResult<Dockerfile> {
    let source = args::text(text)?.into_owned();
    Ok(text.py().detach(|| Dockerfile::new(source)))
}

/// Lint a Dockerfile; `config` takes the keys of dockopt.toml (`select`, `ignore`,
/// `severity`, ...). What could not be checked is warned as `DockoptWarning`.
#[pyfunction]
#[pyo3(signature = (text, config=None))]
fn lint(text: &Bound<'_, PyAny>, config: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<results::Finding>> {
    let options = dockopt::lint::LintOptions::configured(args::config(config)?.as_ref());
    let source = args::text(text)?;
    let (findings, notes) = text.py().detach(|| {
        let result = dockopt::lint::run(&dockopt::parse(&source), &options);
        (results::findings("<string>", &source, &result), result.notes)
    });
    errors::warn_notes(text.py(), notes.iter().map(|note| format!("<string>: {note}")))?;
    Ok(findings)
}

/// Apply the rules' fixes: safe ones, and unsafe ones too with `unsafe=True`.
#[pyfunction]
#[pyo3(signature = (text, config=None, r#unsafe=false))]
fn fix(text: &Bound<'_, PyAny>, config: Option<&Bound<'_, PyAny>>, r#unsafe: bool) -> PyResult<FixResult> {
    let options = dockopt::fix::FixOptions {
        lint: dockopt::lint::LintOptions::configured(args::config(config)?.as_ref()),
        unsafe_fixes: r#unsafe,
    };
    let source = args::text(text)?;
    Ok(text.py().detach(|| FixResult::new("<string>", &dockopt::fix::fix(&source, &options))))
}

/// `optimize()`'s keyword arguments as the core takes them.
fn optimize_options(
    context: Option<std::path::PathBuf>,
    disable: Option<Vec<String>>,
    buildkit: bool,
    cache_mounts: bool,
    alpine: bool,
    healthcheck_path: Option<String>,
) -> dockopt::optimize::OptimizeOptions {
    dockopt::optimize::OptimizeOptions {
        context,
        disabled: disable.unwrap_or_default(),
        buildkit,
        cache_mounts,
        alpine,
        healthcheck_path,
    }
}

/// The whole-file rewrite; `disable` names transforms to leave out, `context` is the build
/// context folder the rewrites read.
#[pyfunction]
#[pyo3(signature = (text, context=None, disable=None, buildkit=false, cache_mounts=false, alpine=false, healthcheck_path=None))]
#[allow(clippy::too_many_arguments)]
fn optimize(
    text: &Bound<'_, PyAny>,
    context: Option<std::path::PathBuf>,
    disable: Option<Vec<String>>,
    buildkit: bool,
    cache_mounts: bool,
    alpine: bool,
    healthcheck_path: Option<String>,
) -> PyResult<OptimizeResult> {
    let options = optimize_options(context, disable, buildkit, cache_mounts, alpine, healthcheck_path);
    let source = args::text(text)?;
    Ok(text.py().detach(|| dockopt::optimize::optimize(source, &options).into()))
}

/// The report card: image size (estimated, or measured from `context`), what typical changes
/// rebuild, what the build context sends, security signals.
#[pyfunction]
#[pyo3(signature = (text, context=None, base_sizes=None, target=None, changed=None, build_args=None))]
fn analyze(
    text: &Bound<'_, PyAny>,
    context: Option<std::path::PathBuf>,
    base_sizes: Option<&Bound<'_, PyAny>>,
    target: Option<String>,
    changed: Option<Vec<String>>,
    build_args: Option<std::collections::BTreeMap<String, String>>,
) -> PyResult<Report> {
    let options = dockopt::AnalyzeOptions {
        context,
        base_sizes: args::base_sizes(base_sizes)?,
        target,
        changed: changed.unwrap_or_default(),
        build_args: build_args.unwrap_or_default().into_iter().collect(),
        ..dockopt::AnalyzeOptions::default()
    };
    let source = args::text(text)?;
    // Walking a large build context takes a while: other threads run meanwhile.
    Ok(text.py().detach(|| dockopt::analyze(&source, &options)).into())
}

/// The `dockopt` command line on `args` (without the program name), as the binary runs it:
/// it prints to the process's stdout and stderr and returns the exit status.
#[pyfunction]
fn cli(py: Python<'_>, args: Vec<std::ffi::OsString>) -> u8 {
    let argv = std::iter::once(std::ffi::OsString::from("dockopt")).chain(args);
    py.detach(|| dockopt_cli::run(argv))
}

/// Every rule: code, name, category, severity, default, fix, upstream, summary, docs.
#[pyfunction]
fn rules(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    Ok(pythonize::pythonize(py, &dockopt::rules_catalogue())?)
}

#[pymodule(name = "_native")]
mod native {
    use pyo3::prelude::*;

    #[pymodule_export]
    use super::errors::{ConfigError, DockoptError, DockoptWarning, InputError};
    #[pymodule_export]
    use super::files::{fix_file, lint_file, lint_paths, optimize_file};
    #[pymodule_export]
    use super::results::{AppliedFix, Change, Edit, Finding, Fix, FixResult, OptimizeResult, Report, Skipped};
    #[pymodule_export]
    use super::syntax::{
        Comment, Directive, Dockerfile, Flag, Heredoc, ImageRef, Instruction, Pair, Position, Problem, Span, Stage,
        Variable,
    };
    #[pymodule_export]
    use super::{analyze, cli, fix, lint, optimize, parse, rules};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
