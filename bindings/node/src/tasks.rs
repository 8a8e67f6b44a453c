//! Promise variants of the heavy calls. The work runs on libuv's thread pool while the JS
//! thread goes on; its plain-data result becomes JS values back on the JS thread.

use napi::Task;
use napi::bindgen_prelude::{AsyncTask, Buffer, Either, Env, Object, Result};
use napi_derive::napi;

use crate::errors::Failure;
use crate::values::Json;
use crate::{AnalyzeOptions, OptimizeOptions, analyze_options, config_arg, optimize_options, text_arg};

type Work = Box<dyn FnOnce() -> std::result::Result<Done, Failure> + Send>;

/// What the work gives back: its result as JSON, and the lint notes to emit as process
/// warnings once back on the JS thread (`process` only exists there).
pub struct Done {
    json: Json,
    notes: Vec<String>,
}

impl From<Json> for Done {
    fn from(json: Json) -> Self {
        Self { json, notes: Vec::new() }
    }
}

impl From<(Json, Vec<String>)> for Done {
    fn from((json, notes): (Json, Vec<String>)) -> Self {
        Self { json, notes }
    }
}

/// One piece of work for the thread pool.
pub struct Job(Option<Work>);

impl Job {
    fn new(work: impl FnOnce() -> std::result::Result<Done, Failure> + Send + 'static) -> AsyncTask<Job> {
        AsyncTask::new(Job(Some(Box::new(work))))
    }
}

/// A task's result: JSON that becomes JS objects, arrays and scalars on the JS thread.
/// (napi wants a `'static` value type for a task, and the JS values only exist there.)
pub struct Plain(Json);

impl napi::bindgen_prelude::TypeName for Plain {
    fn type_name() -> &'static str {
        "Object"
    }

    fn value_type() -> napi::ValueType {
        napi::ValueType::Object
    }
}

// Unsafe only because the trait's method is declared so: this one turns the JSON into values
// as the synchronous calls do. (The bindings' other unsafe item is jemalloc's exported
// options symbol, from dockopt_allocator::global!.)
#[allow(unsafe_code)]
impl napi::bindgen_prelude::ToNapiValue for Plain {
    unsafe fn to_napi_value(env: napi::sys::napi_env, value: Self) -> Result<napi::sys::napi_value> {
        use napi::JsValue;
        // `env` is the live env of the JS thread napi resolves the promise on.
        Ok(value.0.into_js(&Env::from_raw(env))?.raw())
    }
}

impl Task for Job {
    type Output = std::result::Result<Done, Failure>;
    type JsValue = Plain;

    fn compute(&mut self) -> Result<Self::Output> {
        // napi calls compute once per task; a second call has nothing left to do.
        Ok(self.0.take().map_or_else(|| Err(Failure::option("the task already ran".into())), |work| work()))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> Result<Self::JsValue> {
        let done = output.map_err(|failure| failure.into_error(&env))?;
        crate::emit_notes(&env, &done.notes)?;
        Ok(Plain(done.json))
    }
}

/// A task that runs `work` on what the JS thread prepared, or rejects with why that failed:
/// the Promise variants reject rather than throw, whatever goes wrong with their input.
fn job<T: Send + 'static, D: Into<Done>>(
    prepared: std::result::Result<T, Failure>,
    work: impl FnOnce(T) -> std::result::Result<D, Failure> + Send + 'static,
) -> AsyncTask<Job> {
    Job::new(move || work(prepared?).map(Into::into))
}

/// The text as an owned string for the worker thread.
fn owned_text(text: &Either<String, Buffer>) -> std::result::Result<String, Failure> {
    text_arg(text).map(str::to_owned)
}

/// `lint` off the JS thread; its notes are emitted as `DockoptWarning`s when it resolves.
#[napi(ts_args_type = "text: string | Buffer, config?: Config", ts_return_type = "Promise<Finding[]>")]
pub fn lint_async(env: Env, text: Either<String, Buffer>, config: Option<Object>) -> AsyncTask<Job> {
    let prepared = config_arg(&env, config)
        .and_then(|config| Ok((owned_text(&text)?, dockopt::lint::LintOptions::configured(config.as_ref()))));
    job(prepared, |(source, options)| crate::lint_json(&source, &options))
}

/// `optimize` off the JS thread.
#[napi(ts_args_type = "text: string | Buffer, options?: OptimizeOptions", ts_return_type = "Promise<OptimizeResult>")]
pub fn optimize_async(text: Either<String, Buffer>, options: Option<OptimizeOptions>) -> AsyncTask<Job> {
    let options = optimize_options(options);
    job(owned_text(&text), move |source| Json::of(&dockopt::optimize::optimize(source, &options)))
}

/// `analyze` off the JS thread (walking a large build context takes a while).
#[napi(ts_args_type = "text: string | Buffer, options?: AnalyzeOptions", ts_return_type = "Promise<AnalyzeReport>")]
pub fn analyze_async(text: Either<String, Buffer>, options: Option<AnalyzeOptions>) -> AsyncTask<Job> {
    let prepared = analyze_options(options).and_then(|options| Ok((owned_text(&text)?, options)));
    job(prepared, |(source, options)| Json::of(&dockopt::analyze_owned(source, &options)))
}

/// Lint files and folders as `dockopt lint PATH...` does, off the JS thread: folders are
/// searched for Dockerfiles (honouring .gitignore), files are linted in parallel, each under
/// the configuration file above it unless `config` is given; findings come in path order.
/// Rejects with the first file that cannot be read (`code` `ENOENT`, `ERR_DOCKOPT_INPUT` ...).
/// What could not be checked is emitted as process warnings of type `DockoptWarning`, code
/// `DOCKOPT_NOTE` (`"<path>: line 2: ..."`), when it resolves.
#[napi(ts_args_type = "paths: string | string[], config?: Config", ts_return_type = "Promise<Finding[]>")]
pub fn lint_files(env: Env, paths: Either<String, Vec<String>>, config: Option<Object>) -> AsyncTask<Job> {
    let paths = match paths {
        Either::A(path) => vec![path],
        Either::B(paths) => paths,
    };
    let configs = config_arg(&env, config).map(|config| match config {
        Some(config) => dockopt::files::Configs::fixed(Some(config)),
        None => dockopt::files::Configs::discover(),
    });
    job(configs, move |configs| {
        let linted = dockopt::files::lint_paths(&paths, &configs).map_err(Failure::file)?;
        let names: Vec<String> = linted.iter().map(|l| l.path.display().to_string()).collect();
        let all: Vec<_> =
            linted.iter().zip(&names).flat_map(|(l, name)| crate::findings(name, &l.source, &l.result)).collect();
        let notes = linted
            .iter()
            .zip(&names)
            .flat_map(|(l, name)| l.result.notes.iter().map(move |note| format!("{name}: {note}")))
            .collect();
        Ok((Json::list(all)?, notes))
    })
}
