//! `analyze`: the report card of a Dockerfile. How big the shipped image is (estimated from
//! documented tables, or measured where the build context is read), what a typical change
//! rebuilds (BuildKit's layer cache simulated), what the build context sends, and the security
//! and operations signals (user, secrets, HEALTHCHECK, exec form, pinning).
//!
//! - [`sizes`]: the data tables (base images, Debian, PyPI and npm packages), each with its
//!   source and date;
//! - [`estimate`]: what each instruction adds to its stage's image;
//! - [`rebuild`]: which instructions re-run after a change;
//! - [`scan`]: the build context with and without `.dockerignore`;
//! - [`security`]: user, secrets (redacted), HEALTHCHECK, exec form, pinning.

pub mod estimate;
pub mod rebuild;
pub mod scan;
pub mod security;
pub mod sizes;

use std::path::PathBuf;

use serde::Serialize;

use crate::lint::{Context, LintOptions};
use crate::semantics::BuildContext;

/// What `analyze` reads besides the Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions {
    /// The build context folder; without it COPY sizes, manifests and the context scan are
    /// unknown.
    pub context: Option<PathBuf>,
    /// Sizes (uncompressed bytes) of base images the caller knows, by image reference as
    /// written in FROM (`python:3.11`): private images, or what the local engine holds. They
    /// win over the table.
    pub base_sizes: Vec<(String, u64)>,
    /// The stage that ships (a name or index); default: the last stage.
    pub target: Option<String>,
    /// Context paths to simulate a change of, as one more rebuild scenario.
    pub changed: Vec<String>,
    /// A `.dockerignore` text to use instead of the context's own (what `optimize` proposes).
    pub dockerignore: Option<String>,
    /// The build context already read (its `.dockerignore` parsed), to use instead of reading
    /// `context` and `dockerignore` again.
    pub build_context: Option<BuildContext>,
    /// `--build-arg NAME=VALUE` of the build to size: FROM lines, ENV values and the branches
    /// a RUN takes on them follow these values instead of the ARG defaults.
    pub build_args: Vec<(String, String)>,
}

/// How a figure was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// Read from the build context (file sizes) or from the engine.
    Measured,
    /// From a documented table or a rule of thumb.
    Estimated,
    /// Given by the caller (`base_sizes`).
    Given,
    /// Nothing to go on (an unknown image, a download): counted as 0.
    Unknown,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Bumped when a field changes meaning.
    pub schema: u32,
    pub image: Image,
    pub stages: Vec<estimate::StageSize>,
    pub rebuild: rebuild::Rebuild,
    pub context: Option<scan::ContextScan>,
    pub security: security::Security,
    /// Where the tables' figures come from.
    pub sources: Vec<sizes::TableSource>,
}

/// The shipped image at a glance.
#[derive(Debug, Clone, Serialize)]
pub struct Image {
    /// The shipped stage: its name, or its index.
    pub stage: String,
    pub base: String,
    pub size_bytes: u64,
    /// The estimate, also when `size_bytes` was measured by building the image.
    pub estimated_bytes: u64,
    /// `measured` only when every figure was; `estimated` when any was estimated.
    pub size_basis: Basis,
    /// Whether some part could not be sized (an unknown base image, a download).
    pub incomplete: bool,
    /// Layers the Dockerfile adds to the shipped image (RUN, COPY, ADD of its stage chain).
    pub layers: usize,
}

/// Analyze `text`: never fails; what cannot be told is reported as unknown.
pub fn analyze(text: &str, options: &AnalyzeOptions) -> Report {
    analyze_parsed(&crate::parse(text), options)
}

/// [`analyze`] text the caller hands over: the parse keeps it without a copy.
pub fn analyze_owned(text: String, options: &AnalyzeOptions) -> Report {
    analyze_parsed(&crate::parse_owned(text), options)
}

/// [`analyze`] a file already parsed (the caller keeps its text, e.g. to write it after).
pub fn analyze_parsed(file: &crate::Dockerfile, options: &AnalyzeOptions) -> Report {
    let text = file.source();
    let context = options.build_context.clone().or_else(|| {
        options.context.as_deref().map(|root| match &options.dockerignore {
            Some(text) => BuildContext::with_dockerignore(root, text),
            None => BuildContext::new(root),
        })
    });
    let files = context.as_ref().map(scan::Files::walk);
    let security_rules = LintOptions { select: security::rules(), ..LintOptions::default() };
    // Rules lint the file as written: with build arguments, whose values the report's model
    // holds, they run apart first. Otherwise the report reads the file through the context the
    // rules ran in, so the model and the RUN scripts are made once.
    let linted_apart = (!options.build_args.is_empty()).then(|| crate::lint::run(file, &security_rules));
    let model = file.model_with_build_args(&options.build_args);
    let cx = &Context::new(text, file.syntax(), &model, &security_rules);
    let findings = linted_apart.unwrap_or_else(|| crate::lint::run_in(cx));
    let shipped = shipped_stage(cx, options.target.as_deref());
    // The findings are done with before the sizes are estimated (a file may have one per line).
    let security = security::assess(cx, shipped, &findings);
    drop(findings);
    let stages = estimate::stages(cx, context.as_ref(), files.as_ref(), &options.base_sizes);
    let image = image_summary(cx, &stages, shipped);
    Report {
        schema: 1,
        image,
        stages,
        rebuild: rebuild::simulate(cx, context.as_ref(), files.as_ref(), shipped, &options.changed),
        context: context.as_ref().zip(files.as_ref()).map(|(c, f)| scan::scan(cx, c, f)),
        security,
        sources: sizes::sources(),
    }
}

/// The stage that ships: `target` (a name or an index), else the last.
pub(crate) fn shipped_stage(cx: &Context, target: Option<&str>) -> Option<usize> {
    match target {
        Some(t) => stage_index(cx, t),
        None => cx.model.stages.len().checked_sub(1),
    }
}

/// The stage a `--from`, `--target` or mount names: by its name (any case), else by index.
pub(crate) fn stage_index(cx: &Context, name: &str) -> Option<usize> {
    let stages = &cx.model.stages;
    stages
        .iter()
        .position(|s| s.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
        .or_else(|| name.parse().ok().filter(|&i: &usize| i < stages.len()))
}

fn image_summary(cx: &Context, stages: &[estimate::StageSize], shipped: Option<usize>) -> Image {
    let Some(index) = shipped else {
        return Image {
            stage: String::new(),
            base: String::new(),
            size_bytes: 0,
            estimated_bytes: 0,
            size_basis: Basis::Unknown,
            incomplete: true,
            layers: 0,
        };
    };
    let stage = &stages[index];
    let layers = crate::lint::invocation::stage_chain(cx, index).iter().map(|&s| stages[s].instructions.len()).sum();
    Image {
        stage: stage.name.clone(),
        base: cx.model.stages[index].base.clone(),
        size_bytes: stage.total_bytes,
        estimated_bytes: stage.total_bytes,
        size_basis: stage.basis,
        incomplete: stage.incomplete,
        layers,
    }
}

/// `bytes` as people read them: `1.2 GB`, `159 MB`, `12 kB` (powers of 1000, as `docker
/// images` prints them).
pub fn human_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.0} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests;
