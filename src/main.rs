//! The `policy-check` binary. Argument parsing, dispatch and exit codes live in the library's
//! `cli` module (feature `cli`), so the CLI can use crate-private items.

fn main() -> std::process::ExitCode {
    policy_check::cli::main()
}
