//! Functions on files and folders: read, lint in parallel, fix and optimize, optionally
//! writing back atomically. The work runs with the GIL released.

use std::path::{Path, PathBuf};

use dockopt::files::{self, Configs, FileError};
use pyo3::prelude::*;

use crate::args;
use crate::errors::{file_error, warn_notes};
use crate::results::{Finding, FixResult, OptimizeResult, findings};

/// `config` for every file when given, else the nearest configuration file above each.
fn configs(config: Option<&Bound<'_, PyAny>>) -> PyResult<Configs> {
    Ok(match args::config(config)? {
        Some(config) => Configs::fixed(Some(config)),
        None => Configs::discover(),
    })
}

fn typed(linted: &files::Linted) -> Vec<Finding> {
    findings(&linted.path.display().to_string(), &linted.source, &linted.result)
}

/// The lint notes of a file, named as `dockopt lint` names them.
fn notes(linted: &files::Linted) -> impl Iterator<Item = String> + '_ {
    linted.result.notes.iter().map(|note| format!("{}: {note}", linted.path.display()))
}

/// Lint one Dockerfile as `dockopt lint FILE` does: the configuration file above it applies
/// unless `config` is given, and so does the `.dockerignore` beside it. What could not be
/// checked is warned as `DockoptWarning`.
#[pyfunction]
#[pyo3(signature = (path, config=None))]
pub fn lint_file(py: Python<'_>, path: PathBuf, config: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Finding>> {
    let configs = configs(config)?;
    let linted = py.detach(|| files::lint_file(&path, &configs).map(|l| (typed(&l), notes(&l).collect::<Vec<_>>())));
    let (found, notes) = linted.map_err(|e| file_error(py, e))?;
    warn_notes(py, notes)?;
    Ok(found)
}

/// Lint files and folders as `dockopt lint PATH...` does: folders are searched for
/// Dockerfiles (honouring .gitignore), files are linted in parallel, findings come in path
/// order. The first file that cannot be read raises. What could not be checked is warned as
/// `DockoptWarning`, once the GIL is held again.
#[pyfunction]
#[pyo3(signature = (paths, config=None))]
pub fn lint_paths(
    py: Python<'_>,
    paths: &Bound<'_, PyAny>,
    config: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<Finding>> {
    let paths = args::paths(paths)?;
    let configs = configs(config)?;
    let linted = py.detach(|| {
        files::lint_paths(&paths, &configs).map(|all| {
            let found: Vec<Finding> = all.iter().flat_map(typed).collect();
            (found, all.iter().flat_map(notes).collect::<Vec<_>>())
        })
    });
    let (found, notes) = linted.map_err(|e| file_error(py, e))?;
    warn_notes(py, notes)?;
    Ok(found)
}

/// Fix one Dockerfile (safe fixes; unsafe ones too with `unsafe=True`) under its
/// configuration; `write=True` replaces the file atomically when the text changed.
#[pyfunction]
#[pyo3(signature = (path, config=None, r#unsafe=false, write=false))]
pub fn fix_file(
    py: Python<'_>,
    path: PathBuf,
    config: Option<&Bound<'_, PyAny>>,
    r#unsafe: bool,
    write: bool,
) -> PyResult<FixResult> {
    let configs = configs(config)?;
    let fixed = py.detach(|| -> Result<FixResult, FileError> {
        let options = dockopt::fix::FixOptions { unsafe_fixes: r#unsafe, lint: files::lint_options(&path, &configs)? };
        let result = dockopt::fix::fix_owned(files::read(&path)?, &options);
        if write && result.changed {
            files::write_atomic(&path, &result.text)?;
        }
        Ok(FixResult::new(&path.display().to_string(), &result))
    });
    fixed.map_err(|e| file_error(py, e))
}

/// Optimize one Dockerfile with `context` as the build context (default: its folder);
/// `write=True` replaces the file atomically and writes the new `.dockerignore` into the
/// context, as `dockopt optimize --write` does. The other options are `optimize()`'s.
#[pyfunction]
#[pyo3(signature = (path, context=None, write=false, disable=None, buildkit=false, cache_mounts=false, alpine=false, healthcheck_path=None))]
#[allow(clippy::too_many_arguments)]
pub fn optimize_file(
    py: Python<'_>,
    path: PathBuf,
    context: Option<PathBuf>,
    write: bool,
    disable: Option<Vec<String>>,
    buildkit: bool,
    cache_mounts: bool,
    alpine: bool,
    healthcheck_path: Option<String>,
) -> PyResult<OptimizeResult> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).map_or(PathBuf::from("."), Path::to_path_buf);
    let context = context.unwrap_or(folder);
    let options =
        crate::optimize_options(Some(context.clone()), disable, buildkit, cache_mounts, alpine, healthcheck_path);
    let optimized = py.detach(|| -> Result<OptimizeResult, FileError> {
        let source = files::read(&path)?;
        // Given away: a huge file is held once.
        let result = dockopt::optimize::optimize(source, &options);
        if write {
            if result.changed {
                files::write_atomic(&path, &result.text)?;
            }
            if let Some(ignore) = &result.dockerignore {
                files::write_atomic(&context.join(".dockerignore"), ignore)?;
            }
        }
        Ok(result.into())
    });
    optimized.map_err(|e| file_error(py, e))
}
