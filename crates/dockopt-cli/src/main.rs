//! The `dockopt` binary: the command line of [`dockopt_cli::run`].

use std::process::ExitCode;

// Parsing and linting make many small allocations, which jemalloc serves faster than glibc's
// allocator (see the workspace Cargo.toml for the measured difference).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts (`_RJEM_MALLOC_CONF` in the environment still
/// overrides them). Freed pages go back to the system at once instead of after 10 s: the
/// pages one lint pass frees are not all reused by the next, so fix and optimize, which lint
/// many times, peaked a third higher (a 10 MB file: optimize 703 -> 512 MiB, fix 451 -> 397
/// MiB). Lint's CPU time on the realworld corpus did not change.
// The one unsafe item of the binary: jemalloc reads this symbol, so it has to be exported by
// that name.
#[cfg(not(target_env = "msvc"))]
#[allow(unsafe_code)]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: MallocConf = MallocConf(c"dirty_decay_ms:0,muzzy_decay_ms:0".as_ptr());

/// A C string pointer, which jemalloc reads as `const char *malloc_conf`.
#[cfg(not(target_env = "msvc"))]
#[repr(transparent)]
struct MallocConf(*const std::ffi::c_char);

// SAFETY: it points at a static string that nothing writes.
#[cfg(not(target_env = "msvc"))]
#[allow(unsafe_code)]
unsafe impl Sync for MallocConf {}

fn main() -> ExitCode {
    ExitCode::from(dockopt_cli::run(std::env::args_os()))
}
