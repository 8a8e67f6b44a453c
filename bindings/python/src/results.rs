//! The typed results of `lint`, `fix`, `optimize` and `analyze`.

use pyo3::prelude::*;
use serde::Serialize;

use crate::record::record;
use crate::syntax::Position;

record! {
    /// Replace bytes `start` to `end` of the text with `content`.
    Edit {
        /// First byte replaced.
        start: usize,
        /// Byte after the last one replaced.
        end: usize,
        /// The replacement text.
        content: String,
    }
}

record! {
    /// How to fix a finding: `applicability` is `"safe"` (applied by `fix()`) or `"unsafe"`
    /// (only with `unsafe=True`); the edits are sorted and do not overlap.
    Fix {
        /// `safe` (applied by `fix()`) or `unsafe` (only with `unsafe=True`).
        applicability: String,
        /// What the fix does, in a few words.
        title: String,
        /// The edits, sorted and not overlapping.
        edits: Vec<Edit>,
    }
}

record! {
    /// A rule's finding: where (`start`, `end`), which rule (`code`, `name`, `category`, the
    /// hadolint/BuildKit ids in `upstream`), how bad (`severity`: error, warning, info, style),
    /// and a `fix` when one is available. `to_dict()` is what `dockopt lint --format json`
    /// prints for it.
    Finding {
        /// The file, or `<string>` for text passed in.
        path: String,
        /// The rule's code (`DL3008`, `DO101`).
        code: String,
        /// The rule's name (`shell-form-command`).
        name: String,
        /// The rule's category (`security`, `size`, `cache`, ...).
        category: String,
        /// The same check's ids in other tools (`hadolint:DL3025`).
        upstream: Vec<String>,
        /// `error`, `warning`, `info` or `style`.
        severity: String,
        /// What is wrong; secret values are masked.
        message: String,
        /// Where the finding starts.
        start: Position,
        /// Where it ends (exclusive).
        end: Position,
        /// How to fix it, when a fix is available; else None.
        #[serde(serialize_with = "fix_as_json")]
        fix: Option<Fix>,
    }
}

record! {
    /// A fix that `fix()` applied.
    AppliedFix {
        /// The rule's code.
        code: String,
        /// The rule's name.
        name: String,
        /// What the fix did.
        title: String,
        /// The finding it fixed.
        message: String,
        /// `safe` or `unsafe`.
        applicability: String,
    }
}

record! {
    /// What `fix()` returns: the fixed `text` (unchanged outside the fixed ranges), the fixes
    /// `applied`, and the findings that `remaining` in the fixed text.
    FixResult {
        /// The fixed text; unchanged outside the fixed ranges.
        text: String,
        /// The fixes applied, in order.
        applied: Vec<AppliedFix>,
        /// The findings in the fixed text.
        remaining: Vec<Finding>,
    }
}

record! {
    /// One change `optimize()` made: the `transform`, the rule codes it answers, a `title`
    /// and `why` it helps.
    Change {
        /// The transform that made it (`base-image`, `non-root`, ...).
        transform: String,
        /// The rule codes the change answers.
        rules: Vec<String>,
        /// What changed, in a few words.
        title: String,
        /// Why it helps.
        why: String,
    }
}

record! {
    /// A transform `optimize()` did not apply, and the `reason`.
    Skipped {
        /// The transform that did not run.
        transform: String,
        /// Why not.
        reason: String,
    }
}

record! {
    /// What `optimize()` returns: the new `text`, the `changes` made, the transforms
    /// `skipped`, what running the image now needs (`requirements`), and the new
    /// `.dockerignore` when the context needs one.
    OptimizeResult {
        /// The rewritten Dockerfile.
        text: String,
        /// The changes made, each with why.
        changes: Vec<Change>,
        /// The transforms that did not apply, each with the reason.
        skipped: Vec<Skipped>,
        /// What running the image now needs (e.g. secrets passed with `-e`).
        requirements: Vec<String>,
        /// The new `.dockerignore`, when the context was given and needs one; else None.
        dockerignore: Option<String>,
    }
}

/// The JSON output's form of a finding's fix: `{"available": false}`, or `available: true`
/// with the applicability, title and edits (`{"range": {"start", "end"}, "content"}`).
fn fix_as_json<S: serde::Serializer>(fix: &Option<Fix>, serializer: S) -> Result<S::Ok, S::Error> {
    let json = match fix {
        None => serde_json::json!({ "available": false }),
        Some(f) => serde_json::json!({
            "available": true,
            "applicability": f.applicability,
            "title": f.title,
            "edits": f.edits.iter().map(|e| serde_json::json!({
                "range": { "start": e.start, "end": e.end },
                "content": e.content,
            })).collect::<Vec<_>>(),
        }),
    };
    json.serialize(serializer)
}

/// A lower-case name as serde writes it (`Severity::Warning` -> `warning`).
fn serde_name(value: impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

impl From<&dockopt::lint::Fix> for Fix {
    fn from(f: &dockopt::lint::Fix) -> Self {
        Self {
            applicability: serde_name(f.applicability),
            title: f.title.to_string(),
            edits: f
                .edits
                .iter()
                .map(|e| Edit { start: e.range.start, end: e.range.end, content: e.content.to_string() })
                .collect(),
        }
    }
}

impl From<&dockopt::output::Finding<'_>> for Finding {
    fn from(f: &dockopt::output::Finding<'_>) -> Self {
        Self {
            path: f.path.to_owned(),
            code: f.code.to_owned(),
            name: f.name.to_owned(),
            category: serde_name(f.category),
            upstream: f.upstream.iter().map(|&u| u.to_owned()).collect(),
            severity: serde_name(f.severity),
            message: f.message.to_owned(),
            start: (&f.start).into(),
            end: (&f.end).into(),
            fix: f.fix.0.map(Fix::from),
        }
    }
}

/// The findings of a lint run, typed.
pub fn findings(path: &str, source: &str, result: &dockopt::lint::LintResult) -> Vec<Finding> {
    let report = dockopt::output::FileReport::of_lint(path, source, result);
    dockopt::output::findings(&report).iter().map(Finding::from).collect()
}

impl FixResult {
    pub fn new(path: &str, result: &dockopt::fix::FixResult) -> Self {
        let report = dockopt::output::FileReport::of_fix(path, result);
        Self {
            text: result.text.clone(),
            applied: result
                .applied
                .iter()
                .map(|a| AppliedFix {
                    code: a.code.to_owned(),
                    name: a.name.to_owned(),
                    title: a.title.to_string(),
                    message: a.message.to_string(),
                    applicability: serde_name(a.applicability),
                })
                .collect(),
            remaining: dockopt::output::findings(&report).iter().map(Finding::from).collect(),
        }
    }
}

impl From<dockopt::optimize::Optimized> for OptimizeResult {
    fn from(o: dockopt::optimize::Optimized) -> Self {
        Self {
            text: o.text,
            changes: o
                .changes
                .into_iter()
                .map(|c| Change {
                    transform: c.transform.to_owned(),
                    rules: c.rules.iter().map(|&r| r.to_owned()).collect(),
                    title: c.title.into_owned(),
                    why: c.why.into_owned(),
                })
                .collect(),
            skipped: o
                .skipped
                .into_iter()
                .map(|s| Skipped { transform: s.transform.to_owned(), reason: s.reason })
                .collect(),
            requirements: o.requirements,
            dockerignore: o.dockerignore,
        }
    }
}

/// What `analyze()` returns: the shipped `image` at a glance, size per `stage`, what typical
/// changes `rebuild`, the build `context` scan (None without a context folder), `security`
/// signals, and the `sources` of the tables' figures. The parts are plain dicts, typed in the
/// stubs; `to_dict()` is `dockopt analyze --format json`.
#[pyclass(module = "dockopt", frozen)]
pub struct Report(dockopt::Report);

impl From<dockopt::Report> for Report {
    fn from(report: dockopt::Report) -> Self {
        Self(report)
    }
}

#[pymethods]
impl Report {
    /// Bumped when a field changes meaning.
    #[getter]
    fn schema(&self) -> u32 {
        self.0.schema
    }

    /// The shipped image's size in bytes (`image["size_bytes"]`).
    #[getter]
    fn size_bytes(&self) -> u64 {
        self.0.image.size_bytes
    }

    /// The shipped image at a glance (`AnalyzeImage`).
    #[getter]
    fn image<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize::pythonize(py, &self.0.image)?)
    }

    /// Size per stage, with what each instruction adds (`AnalyzeStage`).
    #[getter]
    fn stages<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize::pythonize(py, &self.0.stages)?)
    }

    /// What typical changes re-run (`AnalyzeRebuild`).
    #[getter]
    fn rebuild<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize::pythonize(py, &self.0.rebuild)?)
    }

    /// The build context scan (`AnalyzeContext`); None without a context folder.
    #[getter]
    fn context<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize::pythonize(py, &self.0.context)?)
    }

    /// User, secrets, health check, command forms, pinning (`AnalyzeSecurity`).
    #[getter]
    fn security<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize::pythonize(py, &self.0.security)?)
    }

    /// Where the tables' figures come from (`AnalyzeSource`).
    #[getter]
    fn sources<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize::pythonize(py, &self.0.sources)?)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Report>()
            .is_ok_and(|o| serde_json::to_value(&o.get().0).ok() == serde_json::to_value(&self.0).ok())
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        crate::record::repr(slf.as_any(), "Report", &["size_bytes", "image"])
    }

    /// The report as plain dicts, lists and scalars.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize::pythonize(py, &self.0)?)
    }
}
