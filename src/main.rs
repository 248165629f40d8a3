//! The `isctl` binary: parse, resolve settings, run, and turn errors into exit codes.

use std::process::ExitCode;

use clap::Parser;
use isctl::cli::Cli;
use isctl::commands::{self, Ctx};
use isctl::printer::Printer;
use isctl::settings::{Settings, SettingsError};
use isctl::source::SourceError;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut printer = Printer::stdio(cli.global.verbose);
    let settings = match Settings::resolve(&cli.global, jiff::Timestamp::now) {
        Ok(settings) => settings,
        Err(error) => {
            printer.error(&format!("error: {error}"));
            return ExitCode::from(2);
        }
    };
    let mut ctx = match Ctx::open(settings, printer) {
        Ok(ctx) => ctx,
        Err(error) => {
            let mut printer = Printer::stdio(cli.global.verbose);
            printer.error(&format!("error: {error}"));
            return ExitCode::FAILURE;
        }
    };
    match commands::run(&cli.command, &mut ctx) {
        Ok(code) => code,
        Err(error) => exit_for(&error, &mut ctx.printer),
    }
}

/// Broken pipes end quietly with 0 (`isctl ... | head`); usage errors exit 2; the rest 1.
fn exit_for(error: &anyhow::Error, printer: &mut Printer) -> ExitCode {
    let broken_pipe = error
        .chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe));
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    // Server errors read exactly as kubectl prints them, without "error: ".
    match error.downcast_ref::<SourceError>() {
        Some(source) if source.is_server_worded() => printer.error(&source.to_string()),
        _ => printer.error(&format!("error: {error:#}")),
    }
    if error.downcast_ref::<SettingsError>().is_some() { ExitCode::from(2) } else { ExitCode::FAILURE }
}
