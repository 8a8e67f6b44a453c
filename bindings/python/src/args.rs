//! Arguments as Python passes them: text as `str` or UTF-8 `bytes`, configuration dicts,
//! paths as `str` or `os.PathLike`, image sizes.

use std::borrow::Cow;
use std::path::PathBuf;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyInt, PyMapping, PyString};

use crate::errors::{DockoptError, config_error, input_error};

/// The Dockerfile text of a `str` or UTF-8 `bytes` argument.
pub fn text<'a>(text: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, str>> {
    if let Ok(text) = text.cast::<PyString>() {
        return text.to_cow();
    }
    if let Ok(bytes) = text.cast::<PyBytes>() {
        let decoded = dockopt::decode(bytes.as_bytes())
            .map_err(|err| input_error(text.py(), err.to_string(), err.offset, None))?;
        return Ok(Cow::Owned(decoded.to_owned()));
    }
    let kind = text.get_type().name()?;
    Err(PyTypeError::new_err(format!("expected str or bytes, not {kind}")))
}

/// A configuration dict with the keys of dockopt.toml, validated.
pub fn config(config: Option<&Bound<'_, PyAny>>) -> PyResult<Option<dockopt::config::Config>> {
    match config {
        Some(c) if !c.is_none() => {
            let config: dockopt::config::Config = pythonize::depythonize(c).map_err(config_error)?;
            config.validate().map_err(config_error)?;
            Ok(Some(config))
        }
        _ => Ok(None),
    }
}

/// One path (`str` or `os.PathLike`), or a sequence of them.
pub fn paths(paths: &Bound<'_, PyAny>) -> PyResult<Vec<PathBuf>> {
    if let Ok(path) = paths.extract::<PathBuf>() {
        return Ok(vec![path]);
    }
    if paths.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err("paths: expected str or os.PathLike, or a sequence of them, not bytes"));
    }
    let mut out = Vec::new();
    for item in paths
        .try_iter()
        .map_err(|_| PyTypeError::new_err("paths: expected str or os.PathLike, or a sequence of them"))?
    {
        out.push(item?.extract::<PathBuf>()?);
    }
    Ok(out)
}

/// `{image reference: bytes}` as the core takes it (in the mapping's order).
pub fn base_sizes(base_sizes: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, u64)>> {
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
