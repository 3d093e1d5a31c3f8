//! `policy-check completions SHELL` and `policy-check man`: generated from the clap
//! definitions, so they never drift from the real flags.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Exit, output};

/// Arguments of `policy-check completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write a completion script for.
    #[arg(value_enum)]
    shell: Shell,
}

/// Prints the completion script for `args.shell` to stdout.
pub fn completions(args: &CompletionsArgs) -> Exit {
    let mut script = Vec::new();
    // Into a buffer first: `generate` panics on a write error, and stdout may be a closed pipe.
    clap_complete::generate(args.shell, &mut Cli::command(), "policy-check", &mut script);
    let mut script = String::from_utf8_lossy(&script).into_owned();
    if matches!(args.shell, Shell::Bash) {
        // clap_complete's bash script names its per-subcommand states `policy__check__subcmd__X`
        // in the loop that finds them but `policy__subcmd__check__subcmd__X` in the `case` arms
        // (clap issue #6421: a hyphen in the bin name), so no subcommand option or value would
        // ever complete. Spell the arms the way the loop does; a no-op once that is fixed.
        script = script.replace("policy__subcmd__check", "policy__check");
    }
    output::write(|o| o.write_all(script.as_bytes()));
    Exit::Ok
}

/// Prints the man page (roff, section 1) to stdout: `policy-check man > policy-check.1`.
pub fn man() -> Exit {
    let mut page = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut page) {
        Ok(()) => {
            output::write(|o| o.write_all(&page));
            Exit::Ok
        }
        Err(e) => {
            output::error(&format!("cannot render the man page: {e}"));
            Exit::CannotAnswer
        }
    }
}
