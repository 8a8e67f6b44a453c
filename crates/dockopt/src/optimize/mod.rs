//! `optimize`: the whole-file rewrite, as a fixed sequence of transforms that can each be
//! switched off. Each transform reads the current text, and either rewrites it (with the
//! changes it made and why) or is skipped with a reason; it never guesses.
//!
//! Transforms: base image, cache order, builder/runner split (Go, Python with pip; Node gets
//! production dependencies only), package caches, secrets, non-root user, exec form, Python
//! environment, HEALTHCHECK, .dockerignore.

mod alpine;
mod base;
mod cache_mounts;
mod dockerignore;
mod edits;
mod exec_form;
mod health;
mod order;
mod secrets;
mod split;
mod split_node;
mod split_python;
mod stage_text;
mod user;

use std::borrow::Cow;
use std::path::PathBuf;

use serde::Serialize;

use crate::fix::{FixOptions, fix_without_secrets};
use crate::lint::LintOptions;
use crate::semantics::BuildContext;

/// What a transform did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub transform: &'static str,
    /// Rule codes the change answers.
    pub rules: Vec<&'static str>,
    /// The title and the why are shared, not copied, by the same change made many times (a
    /// flag added to every install).
    pub title: Cow<'static, str>,
    pub why: Cow<'static, str>,
}

/// A transform that did not run, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub transform: &'static str,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Optimized {
    pub text: String,
    /// A step changed the text (the text given is not kept to compare with). Not serialized:
    /// the text says it.
    #[serde(skip)]
    pub changed: bool,
    pub changes: Vec<Change>,
    pub skipped: Vec<Skipped>,
    /// The new `.dockerignore`, when the context was given and it needs writing.
    pub dockerignore: Option<String>,
    /// What running the image now needs (e.g. secrets passed with `-e`).
    pub requirements: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct OptimizeOptions {
    /// The build context, to read and write `.dockerignore`.
    pub context: Option<PathBuf>,
    /// Transforms switched off, by name.
    pub disabled: Vec<String>,
    /// Emit BuildKit-only syntax (secret mounts); off keeps the file buildable by older engines.
    pub buildkit: bool,
    /// Move the shipped stage's slim python/node image on to its Alpine variant.
    pub alpine: bool,
    /// Cache package downloads in BuildKit cache mounts instead of disabling the caches
    /// (BuildKit-only syntax, so asking for it allows it).
    pub cache_mounts: bool,
    /// The HTTP path of the app's health endpoint; found in the context when not given.
    pub healthcheck_path: Option<String>,
}

/// The transforms in the order they run.
/// The base image changes first, so a builder and its runner share one base: what compiles
/// against the builder's libraries finds them at run time (a full-image builder would hide
/// missing runtime libraries until the app starts).
pub const TRANSFORMS: [&str; 10] = [
    "base-image",
    "cache-order",
    "multi-stage",
    "package-caches",
    "secrets",
    "non-root",
    "exec-form",
    "python-env",
    "healthcheck",
    "dockerignore",
];

/// What one transform returns.
pub(crate) enum Step {
    Changed { text: String, changes: Vec<Change> },
    Unchanged,
    Skipped(String),
}

impl Step {
    /// Run `next` on the text this step produced (or on `input` when it changed nothing), and
    /// report both steps' changes as one. A skip reason survives only when nothing changed.
    pub(crate) fn then(self, input: &str, next: impl FnOnce(&str) -> Step) -> Step {
        // `input` itself when this step changed nothing: a copy of a huge file would add to
        // the peak of the step that reads it.
        let Step::Changed { text, mut changes } = self else { return next(input) };
        match next(&text) {
            Step::Changed { text, changes: more } => {
                changes.extend(more);
                Step::Changed { text, changes }
            }
            _ => Step::Changed { text, changes },
        }
    }
}

/// The words of a CMD/ENTRYPOINT: the exec-form items, or the shell-form line split at blanks
/// (callers that need exactness reject quotes and expansions themselves).
pub(crate) fn command_words(ins: &crate::model::Instruction) -> Vec<&str> {
    match ins.form {
        Some(crate::model::Form::Exec) => ins.arguments.iter().map(String::as_str).collect(),
        _ => ins.arguments.first().map(|line| line.split_whitespace().collect()).unwrap_or_default(),
    }
}

/// `edits` applied to `text` as the one change `change`, or Unchanged when there are none.
pub(crate) fn edited(text: &str, mut edits: Vec<crate::lint::Edit>, change: Change) -> Step {
    if edits.is_empty() {
        return Step::Unchanged;
    }
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let refs: Vec<&crate::lint::Edit> = edits.iter().collect();
    Step::Changed { text: crate::fix::apply_edits(text, &refs), changes: vec![change] }
}

/// Apply the fixes of `codes` (unsafe ones included) as the changes of `transform`.
pub(crate) fn rule_fixes(text: &str, transform: &'static str, codes: &[&str]) -> Step {
    let options = FixOptions {
        lint: LintOptions { select: codes.iter().map(|c| (*c).to_owned()).collect(), ..LintOptions::default() },
        unsafe_fixes: true,
    };
    let result = fix_without_secrets(text, &options);
    if result.text == text {
        return Step::Unchanged;
    }
    let changes = result
        .applied
        .iter()
        .map(|a| Change {
            transform,
            rules: vec![a.code],
            title: a.title.clone(),
            why: crate::lint::rule(a.code).map_or(Cow::Borrowed(""), |r| Cow::Borrowed(r.summary)),
        })
        .collect();
    Step::Changed { text: result.text, changes }
}

/// Optimize a Dockerfile; the context's `.dockerignore` (`options.context`) is read once.
/// A `String` given away becomes the result's text; a `&str` is copied (a huge file is then
/// held twice).
pub fn optimize(text: impl Into<String>, options: &OptimizeOptions) -> Optimized {
    let context = options.context.as_deref().map(BuildContext::new);
    optimize_in(text, options, context.as_ref())
}

/// [`optimize`] with the build context already read (`context`: `options.context`'s, or
/// none), so a caller that reads it anyway reads it once.
pub fn optimize_in(text: impl Into<String>, options: &OptimizeOptions, context: Option<&BuildContext>) -> Optimized {
    let mut out = Optimized { text: text.into(), ..Optimized::default() };
    // What is kept of the text as given (the first change drops it): its line endings, and
    // BuildKit's rejections of it, to compare each rewrite with.
    let crlf = crate::text::all_crlf(&out.text);
    let mut errors = crate::syntax::errors(&out.text).len();
    for name in TRANSFORMS {
        if options.disabled.iter().any(|d| d == name) {
            continue;
        }
        let step = match name {
            "base-image" => base::base_image(&out.text, options, context),
            "cache-order" => order::cache_order(&out.text, context),
            "multi-stage" => split::split(&out.text, context),
            "package-caches" => edits::package_caches(&out.text, options),
            "secrets" => secrets::remove(&out.text, options, &mut out.requirements),
            "non-root" => user::non_root(&out.text, context),
            "exec-form" => exec_form::exec_form(&out.text, context),
            "python-env" => rule_fixes(&out.text, name, &["DO591"]),
            "healthcheck" => health::healthcheck(&out.text, options),
            "dockerignore" => dockerignore::update(&out.text, context, &mut out.dockerignore),
            _ => Step::Unchanged,
        };
        match step {
            Step::Changed { text, changes } => {
                // A transform must never make the file unreadable to BuildKit.
                let text_errors = crate::syntax::errors(&text).len();
                if text_errors <= errors {
                    errors = text_errors;
                    out.changed |= text != out.text;
                    out.text = text;
                    out.changes.extend(changes);
                } else {
                    out.skipped.push(Skipped { transform: name, reason: "the rewrite would not parse".into() });
                }
            }
            Step::Unchanged => {}
            Step::Skipped(reason) => out.skipped.push(Skipped { transform: name, reason }),
        }
    }
    out.text = crate::text::with_line_endings(crlf, std::mem::take(&mut out.text));
    // A secret set in both stages of a split is one requirement.
    let mut seen = std::collections::HashSet::new();
    out.requirements.retain(|r| seen.insert(r.clone()));
    out
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod properties;
