//! Node.js bindings for dockopt: conversion only, all behaviour lives in the core crate.
//!
//! Results are plain objects in the shape of the CLI's JSON output (snake_case keys), typed
//! in index.d.ts (js/dts-header.d.ts). Failures are `Error`s with a stable `code`
//! ([`errors::Failure`]). The heavy calls have Promise variants that run on libuv's thread
//! pool (tasks.rs).

pub mod errors;
pub mod tasks;
mod values;

use std::collections::HashMap;

use napi::bindgen_prelude::{Buffer, Either, Env, FnArgs, Function, JsObjectValue, Object, Result, Unknown};
use napi_derive::napi;

use errors::Failure;
use values::{Json, to_js};

// The core's allocations go to jemalloc, as in the binary; V8's heap is V8's.
dockopt_allocator::global!();

/// The Dockerfile text of a string or a Buffer of UTF-8 bytes.
fn text_arg(text: &Either<String, Buffer>) -> std::result::Result<&str, Failure> {
    match text {
        Either::A(text) => Ok(text),
        Either::B(bytes) => dockopt::decode(bytes).map_err(|err| Failure::input(&err)),
    }
}

/// A configuration object with the keys of dockopt.toml, validated.
fn config_arg(env: &Env, config: Option<Object>) -> std::result::Result<Option<dockopt::config::Config>, Failure> {
    let Some(config) = config else { return Ok(None) };
    let config: dockopt::config::Config = env.from_js_value(config).map_err(|e| Failure::config(e.reason))?;
    config.validate().map_err(Failure::config)?;
    Ok(Some(config))
}

/// The findings of `source`, as `dockopt lint --format json` gives them.
fn findings<'a>(
    path: &'a str,
    source: &'a str,
    result: &'a dockopt::lint::LintResult,
) -> Vec<dockopt::output::Finding<'a>> {
    dockopt::output::findings(&dockopt::output::FileReport::of_lint(path, source, result))
}

/// The findings of linting text as JSON, and the notes on what could not be checked (named
/// `<string>` as the findings are).
fn lint_json(source: &str, options: &dockopt::lint::LintOptions) -> std::result::Result<(Json, Vec<String>), Failure> {
    let result = dockopt::lint::run(&dockopt::parse(source), options);
    let json = Json::list(findings("<string>", source, &result))?;
    Ok((json, result.notes.iter().map(|note| format!("<string>: {note}")).collect()))
}

/// Emit each lint note with `process.emitWarning(note, { type: 'DockoptWarning', code:
/// 'DOCKOPT_NOTE' })`, as Node's own warnings are: listeners of `process.on('warning')` get
/// them, and Node prints them on stderr unless run with `--no-warnings`.
fn emit_notes(env: &Env, notes: &[String]) -> Result<()> {
    if notes.is_empty() {
        return Ok(());
    }
    let process: Object = env.get_global()?.get_named_property("process")?;
    let emit_warning: Function<FnArgs<(&str, Object)>, Unknown> = process.get_named_property("emitWarning")?;
    for note in notes {
        let mut options = Object::new(env)?;
        options.set_named_property("type", "DockoptWarning")?;
        options.set_named_property("code", "DOCKOPT_NOTE")?;
        emit_warning.apply(process, (note.as_str(), options).into())?;
    }
    Ok(())
}

/// Parse a Dockerfile (string, or UTF-8 bytes in a Buffer) into a plain object. The model is
/// built as it is read (`model::streamed`), and its instructions become JS objects a piece
/// at a time: neither the model nor its whole JSON is ever held.
#[napi(ts_args_type = "text: string | Buffer", ts_return_type = "Dockerfile")]
pub fn parse<'env>(env: &'env Env, text: Either<String, Buffer>) -> Result<Unknown<'env>> {
    let source = text_arg(&text).map_err(|f| f.into_error(env))?;
    let model = dockopt::model::streamed(source);
    let mut out = values::Writer::default();
    let object = out.js(env, model.without_instructions())?;
    let mut instructions = values::List::field(env, &object, "instructions")?;
    let mut failed = None;
    model.for_each_instruction(|ins| {
        let appended = match out.item(ins) {
            Ok(piece) => piece.map_or(Ok(()), |piece| instructions.append(piece)),
            Err(failure) => Err(failure.into_error(env)),
        };
        failed = appended.err();
        failed.is_none()
    });
    match (failed, out.last_piece()) {
        (Some(err), _) => Err(err),
        (None, Some(piece)) => instructions.append(piece).map(|()| object),
        (None, None) => Ok(object),
    }
}

/// Lint a Dockerfile; `config` takes the keys of dockopt.toml. Returns the findings as
/// `dockopt lint --format json` prints them. What could not be checked (a RUN script too long
/// to analyse, ...) is emitted as a process warning of type `DockoptWarning`, code
/// `DOCKOPT_NOTE`: `"<string>: line 2: ..."`.
#[napi(ts_args_type = "text: string | Buffer, config?: Config", ts_return_type = "Finding[]")]
pub fn lint<'env>(env: &'env Env, text: Either<String, Buffer>, config: Option<Object>) -> Result<Unknown<'env>> {
    let config = config_arg(env, config).map_err(|f| f.into_error(env))?;
    let source = text_arg(&text).map_err(|f| f.into_error(env))?;
    let (json, notes) =
        lint_json(source, &dockopt::lint::LintOptions::configured(config.as_ref())).map_err(|f| f.into_error(env))?;
    emit_notes(env, &notes)?;
    json.into_js(env)
}

/// Apply the rules' fixes: safe ones, and unsafe ones too when `unsafe` is true.
#[napi(ts_args_type = "text: string | Buffer, config?: Config, unsafe?: boolean", ts_return_type = "FixResult")]
pub fn fix<'env>(
    env: &'env Env,
    text: Either<String, Buffer>,
    config: Option<Object>,
    r#unsafe: Option<bool>,
) -> Result<Unknown<'env>> {
    let config = config_arg(env, config).map_err(|f| f.into_error(env))?;
    let source = text_arg(&text).map_err(|f| f.into_error(env))?;
    let options = dockopt::fix::FixOptions {
        lint: dockopt::lint::LintOptions::configured(config.as_ref()),
        unsafe_fixes: r#unsafe.unwrap_or(false),
    };
    fix_json(source, &options).map_err(|f| f.into_error(env))?.into_js(env)
}

/// The result of `fix` as JSON; the core's result is freed before it becomes JS values.
fn fix_json(source: &str, options: &dockopt::fix::FixOptions) -> std::result::Result<Json, Failure> {
    let result = dockopt::fix::fix(source, options);
    let report = dockopt::output::FileReport::of_fix("<string>", &result);
    let remaining = dockopt::output::findings(&report);
    let out = FixOut { text: &result.text, applied: &result.applied, remaining: &[] };
    Json::with_list(&out, "remaining", &remaining)
}

/// What `fix` returns, written with its `remaining` findings apart (in pieces). Written
/// straight to JSON: a `serde_json::Value` of it first took several times the memory of the
/// findings (a map and strings per field).
#[derive(serde::Serialize)]
struct FixOut<'a> {
    text: &'a str,
    applied: &'a [dockopt::fix::Applied],
    remaining: &'a [dockopt::output::Finding<'a>],
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

fn optimize_options(options: Option<OptimizeOptions>) -> dockopt::optimize::OptimizeOptions {
    let Some(o) = options else { return dockopt::optimize::OptimizeOptions::default() };
    dockopt::optimize::OptimizeOptions {
        context: o.context.map(std::path::PathBuf::from),
        disabled: o.disable.unwrap_or_default(),
        buildkit: o.buildkit.unwrap_or(false),
        cache_mounts: o.cache_mounts.unwrap_or(false),
        alpine: o.alpine.unwrap_or(false),
        healthcheck_path: o.healthcheck_path,
    }
}

/// The whole-file rewrite. Returns `{ text, changes, skipped, requirements, dockerignore }`.
#[napi(ts_args_type = "text: string | Buffer, options?: OptimizeOptions", ts_return_type = "OptimizeResult")]
pub fn optimize<'env>(
    env: &'env Env,
    text: Either<String, Buffer>,
    options: Option<OptimizeOptions>,
) -> Result<Unknown<'env>> {
    let source = text_arg(&text).map_err(|f| f.into_error(env))?;
    to_js(env, &dockopt::optimize::optimize(source, &optimize_options(options)))
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

/// `Number.MAX_SAFE_INTEGER`: the largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A byte count given from JavaScript: a non-negative integer (exact up to 2^53).
fn bytes_arg(image: &str, bytes: f64) -> std::result::Result<u64, Failure> {
    if bytes.is_finite() && bytes >= 0.0 && bytes.fract() == 0.0 && bytes <= MAX_SAFE_INTEGER {
        Ok(bytes as u64)
    } else {
        Err(Failure::option(format!("baseSizes[{image:?}]: {bytes} is not a size in bytes")))
    }
}

impl AnalyzeOptions {
    fn into_core(self) -> std::result::Result<dockopt::AnalyzeOptions, Failure> {
        let mut base_sizes = Vec::new();
        for (image, bytes) in self.base_sizes.unwrap_or_default() {
            let bytes = bytes_arg(&image, bytes)?;
            base_sizes.push((image, bytes));
        }
        // A JS object has no duplicate keys; sorted, the order does not depend on the hash.
        base_sizes.sort();
        let mut build_args: Vec<_> = self.build_args.unwrap_or_default().into_iter().collect();
        build_args.sort();
        Ok(dockopt::AnalyzeOptions {
            context: self.context.map(std::path::PathBuf::from),
            base_sizes,
            target: self.target,
            changed: self.changed.unwrap_or_default(),
            build_args,
            ..dockopt::AnalyzeOptions::default()
        })
    }
}

fn analyze_options(options: Option<AnalyzeOptions>) -> std::result::Result<dockopt::AnalyzeOptions, Failure> {
    options.map_or_else(|| Ok(dockopt::AnalyzeOptions::default()), AnalyzeOptions::into_core)
}

/// The report card: image size (estimated, or measured from `context`), what typical changes
/// rebuild, what the build context sends, security signals. Returns the report as `dockopt
/// analyze --format json` prints it (snake_case keys).
#[napi(ts_args_type = "text: string | Buffer, options?: AnalyzeOptions", ts_return_type = "AnalyzeReport")]
pub fn analyze<'env>(
    env: &'env Env,
    text: Either<String, Buffer>,
    options: Option<AnalyzeOptions>,
) -> Result<Unknown<'env>> {
    let options = analyze_options(options).map_err(|f| f.into_error(env))?;
    let source = text_arg(&text).map_err(|f| f.into_error(env))?;
    to_js(env, &dockopt::analyze(source, &options))
}

/// Every rule: code, name, category, severity, default, fix, upstream, summary, docs.
#[napi(ts_return_type = "Rule[]")]
pub fn rules(env: &Env) -> Result<Unknown<'_>> {
    to_js(env, &dockopt::rules_catalogue())
}
