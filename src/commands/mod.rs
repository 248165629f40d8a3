//! Commands: each reads its input through a [`Source`], calls the pure core and renders, then
//! hands text to the printer. One module per command.

pub mod check;
pub mod get;
pub mod mirrors;
pub mod record;
pub mod resolve;
pub mod serve;

use std::process::ExitCode;

use anyhow::Result;

use crate::catalog::Catalog;
use crate::cli::Command;
use crate::printer::Printer;
use crate::settings::{Input, Settings};
use crate::source::files::FileSource;
use crate::source::live::LiveSource;
use crate::source::{LoadNote, Source, SourceError, Wants};

/// What a command needs besides its own arguments.
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
    /// Opens the input the settings name: files, or the cluster of the kubeconfig (no request is
    /// made until a command loads).
    pub fn open(settings: Settings, printer: Printer) -> Result<Ctx, SourceError> {
        let (source, default_namespace): (Box<dyn Source>, String) = match &settings.input {
            Input::Files(paths) => (Box::new(FileSource::new(paths.clone())), "default".to_owned()),
            Input::Cluster(options) => {
                let live = LiveSource::connect(options)?;
                let namespace = live.default_namespace.clone();
                (Box::new(live), namespace)
            }
        };
        Ok(Ctx { settings, printer, source, default_namespace })
    }

    /// Whether objects come from files.
    pub fn offline(&self) -> bool {
        matches!(self.settings.input, Input::Files(_))
    }
}

/// Runs a parsed command.
pub fn run(command: &Command, ctx: &mut Ctx) -> Result<ExitCode> {
    match command {
        Command::Get(args) => get::run(args, ctx),
        Command::Mirrors(args) => mirrors::run(args, ctx),
        Command::Resolve(args) => resolve::run(args, ctx),
        Command::Serve(args) => serve::run(args, ctx),
        Command::Record(args) => record::run(args, ctx),
        Command::Check(args) => check::run(args, ctx),
    }
}

/// Loads what `wants` describes and reports what the load noticed: warnings always, the rest
/// with `-v`.
pub fn load(ctx: &mut Ctx, wants: &Wants) -> Result<Catalog> {
    let loaded = ctx.source.load(wants)?;
    let mut skipped = 0;
    // Identical copies (a tree and its archive, a file given under two names) are summed up in
    // one warning when there are many; -v still names each.
    let identical: Vec<&crate::catalog::Duplicate> = loaded
        .notes
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
    for note in &loaded.notes {
        if summarise && matches!(note, LoadNote::Duplicate(d) if !d.differs) {
            ctx.printer.verbose(1, &note.to_string());
            continue;
        }
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
            "read {} objects from {}; skipped {} objects of other kinds",
            loaded.catalog.len(),
            if ctx.offline() { format!("{} files", loaded.files_read) } else { "the cluster".to_owned() },
            skipped
        ),
    );
    Ok(loaded.catalog)
}

/// Streams named on the command line (`STREAM[:TAG]...`), loaded and resolved: what `resolve`
/// and `check` share.
pub struct ResolvedStreams {
    /// The namespaces read.
    pub scope: crate::settings::Scope,
    /// Everything loaded.
    pub catalog: Catalog,
    /// The cluster's mirror rules, rendered.
    pub resolver: crate::mirror::Resolver,
    /// One per stream, by namespace and name.
    pub resolutions: Vec<crate::resolve::StreamResolution>,
    /// Selections that named nothing.
    pub missing: Vec<crate::resolve::Missing>,
}

/// Parses the selections, loads exactly what resolving them needs, and resolves them.
pub fn resolve_streams(ctx: &mut Ctx, scope: &crate::cli::ScopeArgs, streams: &[String]) -> Result<ResolvedStreams> {
    use crate::settings::{Scope, SettingsError};
    let scope = Scope::resolve(scope, &ctx.default_namespace);
    if scope == Scope::All && !streams.is_empty() {
        return Err(SettingsError::Usage("a resource cannot be retrieved by name across all namespaces".into()).into());
    }
    let mut selections = Vec::new();
    for stream in streams {
        let (name, tag) = match stream.split_once(':') {
            Some((name, tag)) => (name, Some(tag.to_owned())),
            None => (stream.as_str(), None),
        };
        if name.is_empty() || tag.as_deref() == Some("") || stream.contains('@') {
            return Err(SettingsError::Usage(format!("{stream:?} is not STREAM or STREAM:TAG")).into());
        }
        selections.push((name.to_owned(), tag));
    }
    let names: std::collections::BTreeSet<String> = selections.iter().map(|(name, _)| name.clone()).collect();
    let wants = Wants {
        streams: Some((scope.namespace().map(str::to_owned), names.into_iter().collect())),
        stream_images: true,
        mirror_rules: true,
        namespace_for_unset: scope.namespace().map(str::to_owned),
        ..Wants::default()
    };
    let catalog = load(ctx, &wants)?;
    let resolver = crate::mirror::Resolver::new(crate::mirror::RegistriesConfig::from_catalog(&catalog));
    let request = crate::resolve::Request { namespace: scope.namespace().map(str::to_owned), selections };
    let (resolutions, missing) = crate::resolve::resolve(&catalog, &resolver, &request);
    Ok(ResolvedStreams { scope, catalog, resolver, resolutions, missing })
}
