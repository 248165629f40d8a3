//! The `isctl` binary: parse the command line, run, exit with the status the run decided.

use std::process::ExitCode;

use clap::Parser;
use isctl::cli::Cli;
use isctl::printer::Printer;

fn main() -> ExitCode {
    // `__complete` takes the words of a half-typed line as they stand: clap must not read the
    // global flags among them (`--kubeconfig`, `--from` before the command) as its own.
    let mut args = std::env::args_os().skip(1);
    if args.next().is_some_and(|first| first == "__complete") {
        let words: Vec<String> = args.map(|w| w.to_string_lossy().into_owned()).collect();
        return ExitCode::from(isctl::commands::completion::candidates(&words, Printer::stdio(0)).code());
    }
    let cli = Cli::parse();
    let env = isctl::settings::Environment::detect();
    let printer = Printer::stdio(cli.global.verbose);
    ExitCode::from(isctl::commands::main(&cli, &env, printer, jiff::Timestamp::now).code())
}
