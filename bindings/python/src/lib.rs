//! Python bindings for dockopt: conversion only, all behaviour lives in the core crate.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

// ValueError as base so callers that already catch bad-input errors keep working.
pyo3::create_exception!(dockopt, DockoptError, PyValueError, "Raised when dockopt cannot process its input.");

/// Parse a Dockerfile (`str`, or UTF-8 `bytes`) into plain Python data.
#[pyfunction]
fn parse<'py>(text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let model = if let Ok(text) = text.cast::<PyString>() {
        dockopt::parse(&text.to_cow()?).model()
    } else if let Ok(bytes) = text.cast::<PyBytes>() {
        let text = dockopt::decode(bytes.as_bytes()).map_err(|err| DockoptError::new_err(err.to_string()))?;
        dockopt::parse(text).model()
    } else {
        let kind = text.get_type().name()?;
        return Err(PyTypeError::new_err(format!("parse() expects str or bytes, not {kind}")));
    };
    Ok(pythonize::pythonize(text.py(), &model)?)
}

#[pymodule(name = "_native")]
mod native {
    use pyo3::prelude::*;

    #[pymodule_export]
    use super::{DockoptError, parse};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
