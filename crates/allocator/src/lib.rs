//! The allocator of dockopt's front ends: the `dockopt` binary, the Python extension and the
//! Node addon each say `dockopt_allocator::global!();` once.
//!
//! Why jemalloc: parsing and linting make many small allocations, which glibc's allocator
//! serves slower and in more memory (lint CPU x0.62 on the real-world corpus; 100,000
//! one-word RUNs through the Python package: lint 115 -> 103 MB, debug builds).
//!
//! Its options (`malloc_conf`, read when it starts; `_RJEM_MALLOC_CONF` in the environment
//! still overrides them) say when freed pages go back to the system; jemalloc's default is
//! after 10 s. The pages one lint pass frees are not all reused by the next, so fix and
//! optimize, which lint many times, peaked a third higher with the default (a 10 MB file:
//! optimize 703 -> 512 MiB, fix 451 -> 397 MiB):
//! - the packages ([`RETURN_AT_ONCE`], `global!()`) return them at once, so that a Python or
//!   Node process holds no more than it uses between calls;
//! - the CLI ([`RETURN_SOON`], `global!(RETURN_SOON)`) returns them after 50 ms: a page
//!   returned at once is faulted in again when the next file needs memory, and the lint of the
//!   655 real-world files spent a tenth of its CPU time on that (0.106 -> 0.096 s), while the
//!   peaks of the 10 MB file moved by under 1% (analyze 248.9 -> 250.6 MB).
//!
//! TLS: jemalloc is built with `disable_initial_exec_tls` (the workspace Cargo.toml), as a
//! library that Python or Node loads at run time has no room for initial-exec TLS ("cannot
//! allocate memory in static TLS block" on import). Linked into an executable, the linker
//! turns it back into the fast model.

#![no_std]

#[cfg(not(target_env = "msvc"))]
#[doc(hidden)]
pub use tikv_jemallocator::Jemalloc;

/// A C string pointer, which jemalloc reads as `const char *malloc_conf`.
#[cfg(not(target_env = "msvc"))]
#[doc(hidden)]
#[repr(transparent)]
pub struct MallocConf(pub *const core::ffi::c_char);

// SAFETY: it points at a static string that nothing writes.
#[cfg(not(target_env = "msvc"))]
#[allow(unsafe_code)]
unsafe impl Sync for MallocConf {}

/// Options for a process that lives on after its work: freed pages go back at once.
#[cfg(not(target_env = "msvc"))]
pub const RETURN_AT_ONCE: &core::ffi::CStr = c"dirty_decay_ms:0,muzzy_decay_ms:0";

/// Options for a command that exits when done: freed pages go back after 50 ms, so that a
/// page freed by one file is reused by the next instead of returned and faulted in again.
#[cfg(not(target_env = "msvc"))]
pub const RETURN_SOON: &core::ffi::CStr = c"dirty_decay_ms:50,muzzy_decay_ms:0";

/// Make jemalloc, set up as the crate documentation says, the global allocator of the
/// artifact being built (once, in the crate that becomes the binary or library), with the
/// options [`RETURN_AT_ONCE`] or those named.
#[macro_export]
macro_rules! global {
    () => {
        $crate::global!(RETURN_AT_ONCE);
    };
    ($options:ident) => {
        #[cfg(not(target_env = "msvc"))]
        #[global_allocator]
        static ALLOCATOR: $crate::Jemalloc = $crate::Jemalloc;

        // jemalloc reads this symbol, so it is exported by that name: the one unsafe item.
        #[cfg(not(target_env = "msvc"))]
        #[allow(unsafe_code)]
        #[unsafe(export_name = "_rjem_malloc_conf")]
        static MALLOC_CONF: $crate::MallocConf = $crate::MallocConf($crate::$options.as_ptr());
    };
}
