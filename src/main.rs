//! `kroniek`: parses the command line and hands over to the library.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap exits with 2 on usage errors, as kroniek's other usage errors do.
    let cli = kroniek::cli::Cli::parse();
    kroniek::cli::run(cli)
}
