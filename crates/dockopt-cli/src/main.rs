//! The `dockopt` binary: the command line of [`dockopt_cli::run`].

use std::process::ExitCode;

// Parsing and linting make many small allocations, which jemalloc serves faster than glibc's
// allocator (see the workspace Cargo.toml for the measured difference).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    ExitCode::from(dockopt_cli::run(std::env::args_os()))
}
