//! Build semantics: what a build has at every step and what it uses, so a rewrite can tell
//! whether the new image still has everything the old one's build and app used.
//!
//! - [`bases`]: what each official base image holds (a documented, versioned table);
//! - [`context`]: the build context as the builder receives it (`.dockerignore` applied);
//! - [`provenance`]: where a path in the image comes from (which COPY, from which context path);
//! - [`manifests`]: what a dependency install reads from the context, references followed;
//! - [`needs`]: the commands, compilers and libraries a stage uses, and whether another base
//!   image would still provide them;
//! - [`runtime`]: what the running app needs from its surroundings (dev dependencies it loads,
//!   files a Go program reads, a temp folder, other programs).
//!
//! Transforms and fixes state their preconditions with these queries: when a precondition
//! holds they apply, when they can make it hold they repair, otherwise they skip with the
//! reason. Without the build context they assume the worst.

pub mod bases;
pub mod context;
pub mod manifests;
pub mod needs;
pub mod provenance;
pub mod runtime;

pub use context::BuildContext;
