//! The `policy-check` binary: argument parsing, dispatch and exit codes. Everything else is
//! in the library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
