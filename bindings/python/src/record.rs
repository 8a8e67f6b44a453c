//! Plain-data Python classes: frozen, compared by value, with a `repr` naming their fields
//! and `to_dict()` giving the JSON output's shape.

use std::fmt::Write;

use pyo3::prelude::*;

/// `Class(field=repr(value), ...)` for the named attributes of `object`.
pub fn repr(object: &Bound<'_, PyAny>, class: &str, fields: &[&str]) -> PyResult<String> {
    let mut out = format!("{class}(");
    for (i, field) in fields.iter().enumerate() {
        let value = object.getattr(*field)?.repr()?;
        let separator = if i == 0 { "" } else { ", " };
        let _ = write!(out, "{separator}{field}={value}");
    }
    out.push(')');
    Ok(out)
}

/// A frozen class whose fields are read-only attributes, with `==`, `repr` and `to_dict()`.
/// The Rust struct derives `Serialize`, so `to_dict()` has the same keys as the attributes.
macro_rules! record {
    ($(#[$meta:meta])* $name:ident { $($(#[$field_meta:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[pyo3::pyclass(module = "dockopt", frozen, eq, get_all)]
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
        }

        #[pyo3::pymethods]
        impl $name {
            fn __repr__(slf: &pyo3::Bound<'_, Self>) -> pyo3::PyResult<String> {
                $crate::record::repr(slf.as_any(), stringify!($name), &[$(stringify!($field)),*])
            }

            /// The same data as plain dicts, lists and scalars.
            fn to_dict<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                Ok(pythonize::pythonize(py, self)?)
            }
        }
    };
}

pub(crate) use record;
