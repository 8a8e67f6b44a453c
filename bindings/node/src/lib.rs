//! Node.js bindings for dockopt: conversion only, all behaviour lives in the core crate.

use std::collections::HashMap;

use napi::bindgen_prelude::{Buffer, Either, Env, Error, Object, Result, Status, Unknown};
use napi_derive::napi;

fn text_arg(text: &Either<String, Buffer>) -> Result<&str> {
    match text {
        Either::A(text) => Ok(text),
        Either::B(bytes) => dockopt::decode(bytes).map_err(|err| Error::new(Status::InvalidArg, err.to_string())),
    }
}

/// A configuration object with the keys of dockopt.toml.
fn config_arg(env: &Env, config: Option<Object>) -> Result<Option<dockopt::config::Config>> {
    config.map(|c| env.from_js_value(c).map_err(|e| Error::new(Status::InvalidArg, format!("config: {e}")))).transpose()
}

/// Parse a Dockerfile (string, or UTF-8 bytes in a Buffer) into a plain object.
#[napi(ts_return_type = "Record<string, any>")]
pub fn parse<'env>(env: &'env Env, text: Either<String, Buffer>) -> Result<Unknown<'env>> {
    let model = dockopt::parse(text_arg(&text)?).model();
    // Serialize straight into JS values: no intermediate serde_json::Value tree.
    env.to_js_value(&model)
}

/// Lint a Dockerfile; `config` takes the keys of dockopt.toml. Returns the findings as
/// `dockopt lint --format json` prints them.
#[napi(
    ts_args_type = "text: string | Buffer, config?: Record<string, any>",
    ts_return_type = "Array<Record<string, any>>"
)]
pub fn lint<'env>(env: &'env Env, text: Either<String, Buffer>, config: Option<Object>) -> Result<Unknown<'env>> {
    let config = config_arg(env, config)?;
    let findings = dockopt::lint_text(text_arg(&text)?, config.as_ref(), "<string>")
        .map_err(|e| Error::new(Status::InvalidArg, format!("config: {e}")))?;
    env.to_js_value(&findings)
}

/// Apply the rules' fixes: safe ones, and unsafe ones too when `unsafe` is true. Returns
/// `{ text, applied, remaining }`.
#[napi(
    ts_args_type = "text: string | Buffer, config?: Record<string, any>, unsafe?: boolean",
    ts_return_type = "{ text: string, applied: Array<Record<string, any>>, remaining: Array<Record<string, any>> }"
)]
pub fn fix<'env>(
    env: &'env Env,
    text: Either<String, Buffer>,
    config: Option<Object>,
    r#unsafe: Option<bool>,
) -> Result<Unknown<'env>> {
    let config = config_arg(env, config)?;
    let result = dockopt::fix_text(text_arg(&text)?, config.as_ref(), r#unsafe.unwrap_or(false), "<string>")
        .map_err(|e| Error::new(Status::InvalidArg, format!("config: {e}")))?;
    env.to_js_value(&result)
}

/// Options of `optimize`.
#[napi(object)]
pub struct OptimizeOptions {
    /// The build context folder, read for what the rewrites depend on (manifests, scripts,
    /// sources, `.dockerignore`); without it those transforms are skipped.
    pub context: Option<String>,
    /// Transforms to leave out (`"non-root"`, `"base-image"`, ...).
    pub disable: Option<Vec<String>>,
    /// Allow BuildKit-only syntax (secret mounts).
    pub buildkit: Option<bool>,
    /// Cache package downloads in BuildKit cache mounts instead of `--no-cache-dir`.
    pub cache_mounts: Option<bool>,
    /// Move a slim python/node base on to its Alpine variant.
    pub alpine: Option<bool>,
    /// The HTTP path of the health endpoint (default: found in the context).
    pub healthcheck_path: Option<String>,
}

/// The whole-file rewrite. Returns `{ text, changes, skipped, requirements, dockerignore }`.
#[napi(
    ts_return_type = "{ text: string, changes: Array<Record<string, any>>, skipped: Array<Record<string, any>>, requirements: string[], dockerignore: string | null }"
)]
pub fn optimize<'env>(
    env: &'env Env,
    text: Either<String, Buffer>,
    options: Option<OptimizeOptions>,
) -> Result<Unknown<'env>> {
    let options = options.map(|o| dockopt::optimize::OptimizeOptions {
        context: o.context.map(std::path::PathBuf::from),
        disabled: o.disable.unwrap_or_default(),
        buildkit: o.buildkit.unwrap_or(false),
        cache_mounts: o.cache_mounts.unwrap_or(false),
        alpine: o.alpine.unwrap_or(false),
        healthcheck_path: o.healthcheck_path,
    });
    let result = dockopt::optimize_text(text_arg(&text)?, &options.unwrap_or_default());
    env.to_js_value(&result)
}

/// Options of `analyze`.
#[napi(object)]
pub struct AnalyzeOptions {
    /// The build context folder; without it COPY sizes, manifests and the context scan are
    /// unknown (`context` is then null).
    pub context: Option<String>,
    /// Sizes in bytes of base images you know, by image reference as written in FROM
    /// (`"python:3.11"`); they win over the built-in table.
    pub base_sizes: Option<HashMap<String, f64>>,
    /// The stage that ships: a name or an index (default: the last stage).
    pub target: Option<String>,
    /// Context paths to simulate a change of, as one more rebuild scenario.
    pub changed: Option<Vec<String>>,
    /// `--build-arg` values by ARG name: FROM lines, ENV values and RUN branches follow them.
    pub build_args: Option<HashMap<String, String>>,
}

/// A byte count given from JavaScript: a non-negative integer (exact up to 2^53).
fn bytes_arg(image: &str, bytes: f64) -> Result<u64> {
    if bytes.is_finite() && bytes >= 0.0 && bytes.fract() == 0.0 && bytes <= MAX_SAFE_INTEGER {
        Ok(bytes as u64)
    } else {
        Err(Error::new(Status::InvalidArg, format!("baseSizes[{image:?}]: {bytes} is not a size in bytes")))
    }
}

/// `Number.MAX_SAFE_INTEGER`: the largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// napi (without BigInt support) refuses to serialize a u64 above u32::MAX, and with it makes
/// a BigInt, which JSON.stringify rejects. Byte counts of big images and contexts pass 4 GiB:
/// make them plain numbers (exact up to 2^53, 8 PiB).
fn large_integers_as_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) => {
            if let Some(v) = n.as_u64().filter(|&v| v > u64::from(u32::MAX))
                && let Some(f) = serde_json::Number::from_f64(v as f64)
            {
                *n = f;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(large_integers_as_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(large_integers_as_numbers),
        _ => {}
    }
}

/// The report card: image size (estimated, or measured from `context`), what typical changes
/// rebuild, what the build context sends, security signals. Returns the report as `dockopt
/// analyze --format json` prints it (snake_case keys).
#[napi(ts_return_type = "AnalyzeReport")]
pub fn analyze<'env>(
    env: &'env Env,
    text: Either<String, Buffer>,
    options: Option<AnalyzeOptions>,
) -> Result<Unknown<'env>> {
    let mut core = dockopt::AnalyzeOptions::default();
    if let Some(o) = options {
        let mut base_sizes = Vec::new();
        for (image, bytes) in o.base_sizes.unwrap_or_default() {
            let bytes = bytes_arg(&image, bytes)?;
            base_sizes.push((image, bytes));
        }
        // A JS object has no duplicate keys; sorted, the order does not depend on the hash.
        base_sizes.sort();
        core.context = o.context.map(std::path::PathBuf::from);
        core.base_sizes = base_sizes;
        core.target = o.target;
        core.changed = o.changed.unwrap_or_default();
        core.build_args = o.build_args.unwrap_or_default().into_iter().collect();
        core.build_args.sort();
    }
    let report = dockopt::analyze(text_arg(&text)?, &core);
    let mut value = serde_json::to_value(&report).map_err(|e| Error::new(Status::GenericFailure, e.to_string()))?;
    large_integers_as_numbers(&mut value);
    env.to_js_value(&value)
}

/// Every rule: code, name, category, severity, default, fix, upstream, summary, docs.
#[napi(ts_return_type = "Array<Record<string, any>>")]
pub fn rules(env: &Env) -> Result<Unknown<'_>> {
    env.to_js_value(&dockopt::rules_catalogue())
}
