//! Commands: each resolves what it needs through a [`Source`], calls the pure core and the
//! renderers, and hands text to the printer. One module per command, each with the signature
//! `fn run(settings, ctx) -> CommandResult`; [`main`] is the one entry point `main.rs` calls.

pub mod check;
pub mod get;
pub mod mirrors;
pub mod record;
pub mod resolve;
pub mod serve;

use std::cell::RefCell;

use crate::catalog::{Catalog, Duplicate};
use crate::cli::Cli;
use crate::error::{CommandError, CommandResult, ExitStatus, report};
use crate::printer::Printer;
use crate::settings::{CommandSettings, Input, Scope, ScopeRequest, Selection, Settings};
use crate::source::files::FileSource;
use crate::source::live::LiveSource;
use crate::source::{LoadNote, Observer, Source, SourceError, Wants};

/// What a command needs besides its own settings.
pub struct Ctx {
    /// Resolved global settings.
    pub settings: Settings,
    /// The only way to write output.
    pub printer: Printer,
    /// Where objects come from.
    pub source: Box<dyn Source>,
    /// The namespace used when `-n` is not given.
    pub default_namespace: String,
}

impl Ctx {
    /// Whether objects come from files.
    pub fn offline(&self) -> bool {
        self.settings.offline()
    }

    /// The scope of `-n`/`-A`, with this input's default namespace.
    pub fn scope(&self, request: &ScopeRequest) -> Scope {
        request.resolve(&self.default_namespace)
    }
}

/// Runs isctl: resolves the settings (a usage error ends here, before any input is read), opens
/// the input, runs the command, and reports how it ended. `clock` is read only without `--now`.
pub fn main(cli: &Cli, mut printer: Printer, clock: impl FnOnce() -> jiff::Timestamp) -> ExitStatus {
    let settings = Settings::resolve(&cli.global, clock)
        .and_then(|global| CommandSettings::resolve(&cli.command, &global).map(|command| (global, command)));
    let (settings, command) = match settings {
        Ok(resolved) => resolved,
        Err(error) => return report(Err(error.into()), |text| printer.error(text)),
    };
    let (source, default_namespace) = match open(&settings.input) {
        Ok(opened) => opened,
        Err(error) => return report(Err(error.into()), |text| printer.error(text)),
    };
    let mut ctx = Ctx { settings, printer, source, default_namespace };
    let result = run(&command, &mut ctx);
    report(result, |text| ctx.printer.error(text))
}

/// Opens the input the settings name: files, or the cluster of the kubeconfig (no request is
/// made until a command loads). Returns the source and its default namespace.
fn open(input: &Input) -> Result<(Box<dyn Source>, String), SourceError> {
    Ok(match input {
        Input::Files(paths, limits) => (Box::new(FileSource::new(paths.clone(), *limits)), "default".to_owned()),
        Input::Cluster(options) => {
            let live = LiveSource::connect(options)?;
            let namespace = live.default_namespace.clone();
            (Box::new(live), namespace)
        }
    })
}

/// Runs a command with resolved settings.
pub fn run(command: &CommandSettings, ctx: &mut Ctx) -> CommandResult {
    match command {
        CommandSettings::Get(settings) => get::run(settings, ctx),
        CommandSettings::Mirrors(settings) => mirrors::run(settings, ctx),
        CommandSettings::Resolve(settings) => resolve::run(settings, ctx),
        CommandSettings::Serve(settings) => serve::run(settings, ctx),
        CommandSettings::Record(settings) => record::run(settings, ctx),
        CommandSettings::Check(settings) => check::run(settings, ctx),
    }
}

/// Keeps the notes of a load, to report them once it is over, whether it succeeded or not.
#[derive(Default)]
struct Notes(RefCell<Vec<LoadNote>>);

impl Observer for Notes {
    fn note(&self, note: LoadNote) {
        self.0.borrow_mut().push(note);
    }
}

/// Loads what `wants` describes and reports what the load noticed (warnings always, the rest
/// with `-v`), also when the load fails: `-v` then shows the requests that led there.
pub fn load(ctx: &mut Ctx, wants: &Wants) -> Result<Catalog, CommandError> {
    let notes = Notes::default();
    let loaded = ctx.source.load(wants, &notes);
    let notes = notes.0.into_inner();
    report_notes(ctx, &notes);
    let loaded = loaded?;
    let skipped = notes.iter().filter(|n| matches!(n, LoadNote::Skipped { .. })).count();
    let from = if ctx.offline() { format!("{} files", loaded.files_read) } else { "the cluster".to_owned() };
    ctx.printer.verbose(
        1,
        &format!("read {} objects from {from}; skipped {skipped} objects of other kinds", loaded.catalog.len()),
    );
    Ok(loaded.catalog)
}

/// Prints a load's notes: warnings always, the rest with `-v`; many identical duplicates (a
/// tree and its archive, a file given twice) are summed up in one warning.
fn report_notes(ctx: &mut Ctx, notes: &[LoadNote]) {
    let identical: Vec<&Duplicate> = notes
        .iter()
        .filter_map(|n| match n {
            LoadNote::Duplicate(d) if !d.differs => Some(d),
            _ => None,
        })
        .collect();
    let summarise = identical.len() > 3;
    if let Some(first) = identical.first().filter(|_| summarise) {
        ctx.printer.warning(&format!(
            "{} objects were read again with identical content (the first at {}, already read from {}); keeping the first copies (-v names them)",
            identical.len(),
            first.dropped,
            first.kept
        ));
    }
    for note in notes {
        let summed_up = summarise && matches!(note, LoadNote::Duplicate(d) if !d.differs);
        if note.is_warning() && !summed_up {
            ctx.printer.warning(&note.to_string());
        } else {
            ctx.printer.verbose(1, &note.to_string());
        }
    }
}

/// Streams named on the command line (`STREAM[:TAG]...`), loaded and resolved: what `resolve`
/// and `check` share.
pub struct ResolvedStreams {
    /// The namespaces read.
    pub scope: Scope,
    /// Everything loaded.
    pub catalog: Catalog,
    /// The cluster's mirror rules, rendered.
    pub resolver: crate::mirror::Resolver,
    /// One per stream, by namespace and name.
    pub resolutions: Vec<crate::resolve::StreamResolution>,
    /// Selections that named nothing.
    pub missing: Vec<crate::resolve::Missing>,
}

/// Loads exactly what resolving `selections` needs, and resolves them.
pub fn resolve_streams(
    ctx: &mut Ctx,
    scope: &ScopeRequest,
    selections: &[Selection],
) -> Result<ResolvedStreams, CommandError> {
    let scope = ctx.scope(scope);
    let names: std::collections::BTreeSet<String> = selections.iter().map(|s| s.stream.clone()).collect();
    let wants = Wants {
        streams: Some((scope.namespace().map(str::to_owned), names.into_iter().collect())),
        stream_images: true,
        mirror_rules: true,
        namespace_for_unset: scope.namespace().map(str::to_owned),
        ..Wants::default()
    };
    let catalog = load(ctx, &wants)?;
    let resolver = crate::mirror::Resolver::new(crate::mirror::RegistriesConfig::from_catalog(&catalog));
    let request =
        crate::resolve::Request { namespace: scope.namespace().map(str::to_owned), selections: selections.to_vec() };
    let (resolutions, missing) = crate::resolve::resolve(&catalog, &resolver, &request);
    Ok(ResolvedStreams { scope, catalog, resolver, resolutions, missing })
}
