//! Commands: each reads its input through a [`Source`], calls the pure core and renders, then
//! hands text to the printer. One module per command.

pub mod get;
pub mod mirrors;
pub mod resolve;
pub mod serve;

use std::process::ExitCode;

use anyhow::Result;

use crate::catalog::Catalog;
use crate::cli::Command;
use crate::printer::Printer;
use crate::settings::Settings;
use crate::source::files::FileSource;
use crate::source::{LoadNote, Source};

/// What a command needs besides its own arguments.
pub struct Ctx {
    /// Resolved global settings.
    pub settings: Settings,
    /// The only way to write output.
    pub printer: Printer,
}

/// Runs a parsed command.
pub fn run(command: &Command, ctx: &mut Ctx) -> Result<ExitCode> {
    match command {
        Command::Get(args) => get::run(args, ctx),
        Command::Mirrors(args) => mirrors::run(args, ctx),
        Command::Resolve(args) => resolve::run(args, ctx),
        Command::Serve(args) => serve::run(args, ctx),
    }
}

/// Loads the input and reports what the load noticed: warnings always, the rest with `-v`.
pub fn load(ctx: &mut Ctx) -> Result<Catalog> {
    let loaded = FileSource::new(ctx.settings.from.clone()).load()?;
    let mut skipped = 0;
    for note in &loaded.notes {
        if note.is_warning() {
            ctx.printer.warning(&note.to_string());
        } else {
            if matches!(note, LoadNote::Skipped { .. }) {
                skipped += 1;
            }
            ctx.printer.verbose(1, &note.to_string());
        }
    }
    ctx.printer.verbose(
        1,
        &format!(
            "read {} objects from {} files; skipped {} objects of other kinds",
            loaded.catalog.len(),
            loaded.files_read,
            skipped
        ),
    );
    Ok(loaded.catalog)
}
