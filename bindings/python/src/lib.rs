//! Python bindings for dockopt: conversion only, all behaviour lives in the core crate.

use std::borrow::Cow;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyInt, PyMapping, PyString};

// ValueError as base so callers that already catch bad-input errors keep working.
pyo3::create_exception!(dockopt, DockoptError, PyValueError, "Raised when dockopt cannot process its input.");
pyo3::create_exception!(
    dockopt,
    InputError,
    DockoptError,
    "The Dockerfile text cannot be read (bytes that are not UTF-8); `offset` is the byte where it fails."
);
pyo3::create_exception!(
    dockopt,
    ConfigError,
    DockoptError,
    "A configuration (the keys of dockopt.toml) names an unknown key, rule or value."
);

/// An [`InputError`] with the offset of the first byte that is not UTF-8.
fn input_error(py: Python<'_>, err: &dockopt::DecodeError) -> PyErr {
    let error = InputError::new_err(err.to_string());
    // Setting an attribute on a fresh exception object cannot fail in practice; if it did,
    // the message still names the offset.
    let _ = error.value(py).setattr("offset", err.offset);
    error
}

fn config_error(e: impl std::fmt::Display) -> PyErr {
    ConfigError::new_err(format!("config: {e}"))
}

/// The Dockerfile text of a `str` or UTF-8 `bytes` argument.
fn text_arg<'a>(text: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    if let Ok(text) = text.cast::<PyString>() {
        return text.to_cow();
    }
    if let Ok(bytes) = text.cast::<PyBytes>() {
        let text = dockopt::decode(bytes.as_bytes()).map_err(|err| input_error(text.py(), &err))?;
        return Ok(Cow::Owned(text.to_owned()));
    }
    let kind = text.get_type().name()?;
    Err(PyTypeError::new_err(format!("expected str or bytes, not {kind}")))
}

/// A configuration dict with the keys of dockopt.toml.
fn config_arg(config: Option<&Bound<'_, PyAny>>) -> PyResult<Option<dockopt::config::Config>> {
    match config {
        Some(c) if !c.is_none() => Ok(Some(pythonize::depythonize(c).map_err(config_error)?)),
        _ => Ok(None),
    }
}

/// Parse a Dockerfile (`str`, or UTF-8 `bytes`) into plain Python data.
#[pyfunction]
fn parse<'py>(text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let source = text_arg(text)?;
    // The core never touches Python objects: other threads may run meanwhile.
    let model = text.py().detach(|| dockopt::parse(&source).model());
    Ok(pythonize::pythonize(text.py(), &model)?)
}

/// Lint a Dockerfile; `config` takes the keys of dockopt.toml (`select`, `ignore`,
/// `severity`, ...). Returns the findings as `dockopt lint --format json` prints them.
#[pyfunction]
#[pyo3(signature = (text, config=None))]
fn lint<'py>(text: &Bound<'py, PyAny>, config: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    let config = config_arg(config)?;
    let source = text_arg(text)?;
    let findings =
        text.py().detach(|| dockopt::lint_text(&source, config.as_ref(), "<string>")).map_err(config_error)?;
    Ok(pythonize::pythonize(text.py(), &findings)?)
}

/// Apply the rules' fixes: safe ones, and unsafe ones too with `unsafe=True`. Returns
/// `{"text", "applied", "remaining"}`.
#[pyfunction]
#[pyo3(signature = (text, config=None, r#unsafe=false))]
fn fix<'py>(
    text: &Bound<'py, PyAny>,
    config: Option<&Bound<'py, PyAny>>,
    r#unsafe: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let config = config_arg(config)?;
    let source = text_arg(text)?;
    let result =
        text.py().detach(|| dockopt::fix_text(&source, config.as_ref(), r#unsafe, "<string>")).map_err(config_error)?;
    Ok(pythonize::pythonize(text.py(), &result)?)
}

/// The whole-file rewrite. Returns `{"text", "changes", "skipped", "requirements",
/// "dockerignore"}`; `disable` names transforms to leave out.
#[pyfunction]
#[pyo3(signature = (text, context=None, disable=None, buildkit=false, cache_mounts=false, alpine=false, healthcheck_path=None))]
#[allow(clippy::too_many_arguments)]
fn optimize<'py>(
    text: &Bound<'py, PyAny>,
    context: Option<String>,
    disable: Option<Vec<String>>,
    buildkit: bool,
    cache_mounts: bool,
    alpine: bool,
    healthcheck_path: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = dockopt::optimize::OptimizeOptions {
        context: context.map(std::path::PathBuf::from),
        disabled: disable.unwrap_or_default(),
        buildkit,
        cache_mounts,
        alpine,
        healthcheck_path,
    };
    let source = text_arg(text)?;
    let result = text.py().detach(|| dockopt::optimize_text(&source, &options));
    Ok(pythonize::pythonize(text.py(), &result)?)
}

/// `{image reference: bytes}` as the core takes it (in the mapping's order).
fn base_sizes_arg(base_sizes: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, u64)>> {
    let Some(sizes) = base_sizes.filter(|s| !s.is_none()) else { return Ok(Vec::new()) };
    let Ok(sizes) = sizes.cast::<PyMapping>() else {
        let kind = sizes.get_type().name()?;
        return Err(PyTypeError::new_err(format!("base_sizes: expected a dict of image -> bytes, not {kind}")));
    };
    let mut out = Vec::new();
    for item in sizes.items()?.iter() {
        let (image, bytes): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
        let Ok(image) = image.extract::<String>() else {
            let kind = image.get_type().name()?;
            return Err(PyTypeError::new_err(format!("base_sizes: image names must be str, not {kind}")));
        };
        if !bytes.is_instance_of::<PyInt>() {
            let kind = bytes.get_type().name()?;
            return Err(PyTypeError::new_err(format!("base_sizes[{image:?}]: expected an int of bytes, not {kind}")));
        }
        let Ok(size) = bytes.extract::<u64>() else {
            return Err(DockoptError::new_err(format!(
                "base_sizes[{image:?}]: {bytes} is not a size in bytes (0 to 2**64-1)"
            )));
        };
        out.push((image, size));
    }
    Ok(out)
}

/// The report card: image size (estimated, or measured from `context`), what typical changes
/// rebuild, what the build context sends, security signals. `base_sizes` maps image
/// references as written in FROM to their size in bytes; `target` is the shipped stage (a
/// name or an index, default the last); `changed` names context paths to simulate a change
/// of; `build_args` maps ARG names to the values of `--build-arg`. Returns the report as
/// `dockopt analyze --format json` prints it.
#[pyfunction]
#[pyo3(signature = (text, context=None, base_sizes=None, target=None, changed=None, build_args=None))]
fn analyze<'py>(
    text: &Bound<'py, PyAny>,
    context: Option<std::path::PathBuf>,
    base_sizes: Option<&Bound<'py, PyAny>>,
    target: Option<String>,
    changed: Option<Vec<String>>,
    build_args: Option<std::collections::BTreeMap<String, String>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = dockopt::AnalyzeOptions {
        context,
        base_sizes: base_sizes_arg(base_sizes)?,
        target,
        changed: changed.unwrap_or_default(),
        build_args: build_args.unwrap_or_default().into_iter().collect(),
        ..dockopt::AnalyzeOptions::default()
    };
    let source = text_arg(text)?;
    // Walking a large build context takes a while: other threads run meanwhile.
    let report = text.py().detach(|| dockopt::analyze(&source, &options));
    Ok(pythonize::pythonize(text.py(), &report)?)
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
    use super::{ConfigError, DockoptError, InputError, analyze, cli, fix, lint, optimize, parse, rules};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
