//! The `isctl` binary: parse the command line, run, exit with the status the run decided.

use std::process::ExitCode;

use clap::Parser;
use isctl::cli::Cli;
use isctl::printer::Printer;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = isctl::settings::Environment::detect();
    let printer = Printer::stdio(cli.global.verbose);
    ExitCode::from(isctl::commands::main(&cli, &env, printer, jiff::Timestamp::now).code())
}
