//! The allocator of dockopt's front ends: the `dockopt` binary, the Python extension and the
//! Node addon each say `dockopt_allocator::global!();` once.
//!
//! Why jemalloc: parsing and linting make many small allocations, which glibc's allocator
//! serves slower and in more memory (lint CPU x0.62 on the real-world corpus; 100,000
//! one-word RUNs through the Python package: lint 115 -> 103 MB, debug builds).
//!
//! Its options (`malloc_conf`, read when it starts; `_RJEM_MALLOC_CONF` in the environment
//! still overrides them): freed pages go back to the system at once instead of after 10 s.
//! The pages one lint pass frees are not all reused by the next, so fix and optimize, which
//! lint many times, peaked a third higher (a 10 MB file: optimize 703 -> 512 MiB, fix 451 ->
//! 397 MiB), and the packages' memory stays high between calls.
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

/// The options jemalloc starts with (see the crate documentation).
#[cfg(not(target_env = "msvc"))]
#[doc(hidden)]
pub const MALLOC_CONF: &core::ffi::CStr = c"dirty_decay_ms:0,muzzy_decay_ms:0";

/// Make jemalloc, set up as the crate documentation says, the global allocator of the
/// artifact being built (once, in the crate that becomes the binary or library).
#[macro_export]
macro_rules! global {
    () => {
        #[cfg(not(target_env = "msvc"))]
        #[global_allocator]
        static ALLOCATOR: $crate::Jemalloc = $crate::Jemalloc;

        // jemalloc reads this symbol, so it is exported by that name: the one unsafe item.
        #[cfg(not(target_env = "msvc"))]
        #[allow(unsafe_code)]
        #[unsafe(export_name = "_rjem_malloc_conf")]
        static MALLOC_CONF: $crate::MallocConf = $crate::MallocConf($crate::MALLOC_CONF.as_ptr());
    };
}
