//! The `dockopt` binary: the command line of [`dockopt_cli::run`].

use std::process::ExitCode;

dockopt_allocator::global!(RETURN_SOON);

fn main() -> ExitCode {
    ExitCode::from(dockopt_cli::run(std::env::args_os()))
}
