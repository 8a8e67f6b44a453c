//! `parse()`'s objects: the Dockerfile, its stages and instructions. The model is built in
//! Rust once per parse; Python objects are made only for the parts a caller reads.

use std::sync::Arc;

use dockopt::model;
use pyo3::prelude::*;

use crate::record::record;

record! {
    /// A place in the text: 1-based line, 1-based column in characters, 0-based byte offset,
    /// and the 1-based column in UTF-16 code units (what editors and LSP count).
    Position {
        /// 1-based line.
        line: u32,
        /// 1-based column, in characters.
        column: u32,
        /// 0-based byte offset in the UTF-8 text.
        offset: u32,
        /// 1-based column in UTF-16 code units (what JavaScript, editors and LSP count).
        column_utf16: u32,
    }
}

record! {
    /// A range of the text, from `start` to `end` (exclusive).
    Span {
        /// Where it starts.
        start: Position,
        /// Where it ends (exclusive).
        end: Position,
    }
}

record! {
    /// A `--name=value` flag of an instruction (`value` is None for a bare `--name`).
    Flag {
        /// The flag's name, without `--`.
        name: String,
        /// Its value; None for a bare `--name`.
        value: Option<String>,
    }
}

record! {
    /// A key and value of ENV, LABEL or ARG: `value` as written (None for an ARG without
    /// default), `resolved` with quotes removed and variables expanded when all are known.
    Pair {
        /// The name.
        key: String,
        /// As written (quotes kept); None for an ARG without default.
        value: Option<String>,
        /// With quotes removed and variables expanded, when every variable is known.
        resolved: Option<String>,
    }
}

record! {
    /// A here-document: its delimiter `name`, file descriptor, whether variables are expanded
    /// (`expand`), whether leading tabs are removed (`chomp`, `<<-`), and its body as written.
    Heredoc {
        /// The delimiter word.
        name: String,
        /// The file descriptor it feeds (0 unless written `3<<EOF`).
        fd: u64,
        /// Whether variables in the body are expanded (the delimiter was not quoted).
        expand: bool,
        /// Whether leading tabs are removed (`<<-`).
        chomp: bool,
        /// The body as written (tabs not yet removed).
        content: String,
        /// Where the body is.
        span: Span,
    }
}

record! {
    /// An image reference split like Docker's grammar: `registry` (None for Docker Hub),
    /// `repository`, `tag` and `digest` (None when absent).
    ImageRef {
        /// Registry host (with port) when one is written; None for Docker Hub.
        registry: Option<String>,
        /// Path on the registry, e.g. `library/python` or `python`.
        repository: String,
        /// The tag, e.g. `3.12-slim`; None when absent.
        tag: Option<String>,
        /// The digest, `sha256:...`; None when absent.
        digest: Option<String>,
    }
}

record! {
    /// A parser directive (`# syntax=...`, `# escape=...`, `# check=...`).
    Directive {
        /// `syntax`, `escape` or `check`.
        name: String,
        /// The value after `=`.
        value: String,
        /// Where it is written.
        span: Span,
    }
}

record! {
    /// A comment line.
    Comment {
        /// The comment line as written.
        text: String,
        /// Where it is written.
        span: Span,
    }
}

record! {
    /// What BuildKit rejects or warns about, with where.
    Problem {
        /// What is wrong.
        message: String,
        /// Where.
        span: Span,
    }
}

record! {
    /// An ARG or ENV value in effect (`kind` is `"arg"` or `"env"`; `value` None when only
    /// known at build time).
    Variable {
        /// The variable's name.
        name: String,
        /// `arg` or `env`.
        kind: String,
        /// Its value; None when only known at build time.
        value: Option<String>,
    }
}

impl From<&dockopt::text::Position> for Position {
    fn from(p: &dockopt::text::Position) -> Self {
        Self { line: p.line, column: p.column, offset: p.offset, column_utf16: p.column_utf16 }
    }
}

impl From<&model::Span> for Span {
    fn from(s: &model::Span) -> Self {
        Self { start: (&s.start).into(), end: (&s.end).into() }
    }
}

impl From<&model::Variable> for Variable {
    fn from(v: &model::Variable) -> Self {
        Self { name: v.name.clone(), kind: v.kind.to_owned(), value: v.value.clone() }
    }
}

impl From<&model::ImageRef> for ImageRef {
    fn from(i: &model::ImageRef) -> Self {
        Self {
            registry: i.registry.clone(),
            repository: i.repository.clone(),
            tag: i.tag.clone(),
            digest: i.digest.clone(),
        }
    }
}

fn problems(list: &[model::Problem]) -> Vec<Problem> {
    list.iter().map(|p| Problem { message: p.message.clone(), span: (&p.span).into() }).collect()
}

/// One instruction: `keyword` upper-cased (`written` as in the file), its flags, exec or
/// shell `form`, BuildKit's `arguments`, ENV/LABEL/ARG `pairs`, heredocs and span.
#[pyclass(module = "dockopt", frozen, eq)]
#[derive(Debug, Clone, PartialEq)]
pub struct Instruction(model::Instruction);

#[pymethods]
impl Instruction {
    /// Upper-case instruction name (`RUN`), or the word as written for unknown ones.
    #[getter]
    fn keyword(&self) -> &str {
        &self.0.keyword
    }

    /// The keyword exactly as written (`run`).
    #[getter]
    fn written(&self) -> String {
        self.0.written().into_owned()
    }

    /// Whether it is a known Dockerfile instruction.
    #[getter]
    fn known(&self) -> bool {
        self.0.known
    }

    /// The `--name=value` flags, in order.
    #[getter]
    fn flags(&self) -> Vec<Flag> {
        self.0
            .flags
            .iter()
            .map(|f| Flag { name: f.name.to_string(), value: f.value.as_deref().map(str::to_owned) })
            .collect()
    }

    /// `"exec"` or `"shell"` for instructions that have both forms, else None.
    #[getter]
    fn form(&self) -> Option<&'static str> {
        self.0.form.map(|f| match f {
            model::Form::Exec => "exec",
            model::Form::Shell => "shell",
        })
    }

    /// BuildKit's argument values (exec-form items, the shell command, words ...).
    #[getter]
    fn arguments(&self) -> Vec<String> {
        self.0.arguments.to_vec()
    }

    /// ENV, LABEL and ARG entries.
    #[getter]
    fn pairs(&self) -> Vec<Pair> {
        self.0
            .pairs
            .iter()
            .map(|p| Pair {
                key: p.key.to_string(),
                value: p.value.as_deref().map(str::to_owned),
                resolved: p.resolved.as_deref().map(str::to_owned),
            })
            .collect()
    }

    /// The here-documents, in order.
    #[getter]
    fn heredocs(&self) -> Vec<Heredoc> {
        self.0
            .heredocs()
            .iter()
            .map(|h| Heredoc {
                name: h.name.clone(),
                fd: h.fd,
                expand: h.expand,
                chomp: h.chomp,
                content: h.content.clone(),
                span: (&h.span).into(),
            })
            .collect()
    }

    /// The instruction ONBUILD registers, else None.
    #[getter]
    fn onbuild(&self) -> Option<Instruction> {
        self.0.onbuild().map(|i| Instruction(i.clone()))
    }

    /// Index of the stage it belongs to (None before the first FROM).
    #[getter]
    fn stage(&self) -> Option<usize> {
        self.0.stage()
    }

    /// The logical line (continuations joined), as BuildKit reads it.
    #[getter]
    fn text(&self) -> &str {
        &self.0.text
    }

    /// Where the instruction is, continuation lines and heredocs included.
    #[getter]
    fn span(&self) -> Span {
        (&self.0.span).into()
    }

    /// Why BuildKit rejects this instruction, else None.
    #[getter]
    fn error(&self) -> Option<&str> {
        self.0.error()
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        crate::record::repr(slf.as_any(), "Instruction", &["keyword", "text", "span"])
    }

    /// The same data as plain dicts, lists and scalars.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize::pythonize(py, &self.0)?)
    }
}

/// A build stage: `FROM base [AS name]` and the instructions up to the next FROM.
#[pyclass(module = "dockopt", frozen)]
pub struct Stage {
    model: Arc<model::Model>,
    index: usize,
}

impl Stage {
    fn get(&self) -> &model::Stage {
        &self.model.stages[self.index]
    }
}

#[pymethods]
impl Stage {
    /// Position among the stages, from 0.
    #[getter]
    fn index(&self) -> usize {
        self.index
    }

    /// The `AS name`, else None.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.get().name.as_deref()
    }

    /// The base as written in FROM.
    #[getter]
    fn base(&self) -> &str {
        &self.get().base
    }

    /// The base with global ARG defaults applied, when every variable is known.
    #[getter]
    fn base_resolved(&self) -> Option<&str> {
        self.get().base_resolved.as_deref()
    }

    /// The resolved base split into registry, repository, tag and digest (None for `scratch`,
    /// an earlier stage, or a base that depends on an unknown build argument).
    #[getter]
    fn base_image(&self) -> Option<ImageRef> {
        self.get().image.as_ref().map(ImageRef::from)
    }

    /// Index of the earlier stage the base names, else None.
    #[getter]
    fn base_stage(&self) -> Option<usize> {
        self.get().base_stage
    }

    /// Whether the stage starts from `scratch` (an empty image).
    #[getter]
    fn scratch(&self) -> bool {
        self.get().scratch
    }

    /// The `--platform` of FROM, else None.
    #[getter]
    fn platform(&self) -> Option<&str> {
        self.get().platform.as_deref()
    }

    /// The stage's instructions, FROM first.
    #[getter]
    fn instructions(&self) -> Vec<Instruction> {
        self.get().instructions.iter().map(|&i| Instruction(self.model.instructions[i].clone())).collect()
    }

    /// ARG and ENV values in effect at the end of the stage (ENV inherited from a base stage).
    #[getter]
    fn variables(&self) -> Vec<Variable> {
        self.get().variables.iter().map(Variable::from).collect()
    }

    /// Where the stage is, from its FROM to its last instruction.
    #[getter]
    fn span(&self) -> Span {
        (&self.get().span).into()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Stage>().is_ok_and(|o| o.get().get() == self.get())
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        crate::record::repr(slf.as_any(), "Stage", &["index", "name", "base"])
    }

    /// The same data as plain dicts, lists and scalars (`instructions` as indices).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize::pythonize(py, self.get())?)
    }
}

/// A parsed Dockerfile. `str(df)` gives back the text byte for byte; the attributes give the
/// model (stages, instructions, directives, variables, BuildKit's errors and warnings).
#[pyclass(module = "dockopt", frozen)]
pub struct Dockerfile {
    text: String,
    model: Arc<model::Model>,
}

impl Dockerfile {
    pub fn new(text: String) -> Self {
        // Straight from the source: the syntax tree is never held whole (half the peak memory).
        let model = Arc::new(dockopt::model::parse(&text));
        Self { text, model }
    }
}

#[pymethods]
impl Dockerfile {
    /// The text it was parsed from, unchanged.
    #[getter]
    fn text(&self) -> &str {
        &self.text
    }

    /// The escape character (`\\` unless a `# escape=` directive says otherwise).
    #[getter]
    fn escape(&self) -> char {
        self.model.escape
    }

    /// The parser directives (`# syntax=`, `# escape=`, `# check=`).
    #[getter]
    fn directives(&self) -> Vec<Directive> {
        self.model
            .directives
            .iter()
            .map(|d| Directive { name: d.name.clone(), value: d.value.clone(), span: (&d.span).into() })
            .collect()
    }

    /// ARGs declared before the first FROM.
    #[getter]
    fn global_args(&self) -> Vec<Variable> {
        self.model.global_args.iter().map(Variable::from).collect()
    }

    /// The build stages, in order.
    #[getter]
    fn stages(&self) -> Vec<Stage> {
        (0..self.model.stages.len()).map(|index| Stage { model: Arc::clone(&self.model), index }).collect()
    }

    /// Every instruction in file order (also those before the first FROM).
    #[getter]
    fn instructions(&self) -> Vec<Instruction> {
        self.model.instructions.iter().cloned().map(Instruction).collect()
    }

    /// The comment lines.
    #[getter]
    fn comments(&self) -> Vec<Comment> {
        self.model.comments.iter().map(|c| Comment { text: c.text.clone(), span: (&c.span).into() }).collect()
    }

    /// What BuildKit rejects the file for (the first is what `docker build` reports).
    #[getter]
    fn errors(&self) -> Vec<Problem> {
        problems(&self.model.errors)
    }

    /// What BuildKit warns about (e.g. empty continuation lines).
    #[getter]
    fn warnings(&self) -> Vec<Problem> {
        problems(&self.model.warnings)
    }

    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self) -> String {
        format!(
            "Dockerfile(stages={}, instructions={}, bytes={})",
            self.model.stages.len(),
            self.model.instructions.len(),
            self.text.len()
        )
    }

    /// Two Dockerfiles are equal when their texts are.
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Dockerfile>().is_ok_and(|o| o.get().text == self.text)
    }

    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.text.hash(&mut hasher);
        hasher.finish()
    }

    /// The model as plain dicts, lists and scalars (`dockopt parse --format json`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize::pythonize(py, &*self.model)?)
    }
}
