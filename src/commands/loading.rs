//! Loading for the commands: what a load noticed reported (warnings always, the rest with
//! `-v`) also when it failed, `--without` applied, a progress line on a terminal, and the
//! streams resolved once loaded. The runtime that runs a command is `commands/mod.rs`.

use std::cell::RefCell;

use super::Ctx;
use crate::catalog::{Catalog, Duplicate};
use crate::error::CommandError;
use crate::printer::Printer;
use crate::render::plural;
use crate::settings::{Scope, ScopeRequest, Selection, Without};
use crate::source::{LoadNote, Observer, Source, SourceError, Wants};

/// Keeps the notes of a load, to report them once it is over, whether it succeeded or not, and
/// draws a progress line once the load has taken more than a second (on a terminal).
struct Notes<'a> {
    notes: RefCell<Vec<LoadNote>>,
    printer: RefCell<&'a mut Printer>,
    started: std::time::Instant,
    drawn: std::cell::Cell<Option<std::time::Instant>>,
}

impl<'a> Notes<'a> {
    fn new(printer: &'a mut Printer) -> Notes<'a> {
        Notes {
            notes: RefCell::new(Vec::new()),
            printer: RefCell::new(printer),
            started: std::time::Instant::now(),
            drawn: std::cell::Cell::new(None),
        }
    }
}

impl Observer for Notes<'_> {
    fn note(&self, note: LoadNote) {
        self.notes.borrow_mut().push(note);
    }

    fn progress(&self, progress: crate::source::Progress) {
        let now = std::time::Instant::now();
        let due = now.duration_since(self.started) > std::time::Duration::from_secs(1)
            && self.drawn.get().is_none_or(|last| now.duration_since(last) > std::time::Duration::from_millis(100));
        if !due {
            return;
        }
        self.drawn.set(Some(now));
        let text = if progress.requests > 0 {
            format!("reading the cluster: {} requests answered", progress.requests)
        } else {
            format!("reading: {} files, {}", progress.files, crate::quantity::format_size(progress.bytes))
        };
        self.printer.borrow_mut().progress(&text);
    }
}

/// Loads what `wants` describes, less the objects `--without` names, and reports what the load
/// noticed (warnings always, the rest with `-v`), also when the load fails: `-v` then shows the
/// requests that led there.
pub(crate) fn load(ctx: &mut Ctx, wants: &Wants) -> Result<Catalog, CommandError> {
    let without = ctx.settings.without.clone();
    load_leaving_out(ctx, wants, &without)
}

/// [`load`], leaving out `without` (which `diff` and `check --proposed` apply to the proposed
/// state only, so they pass none for the current one).
pub(super) fn load_leaving_out(ctx: &mut Ctx, wants: &Wants, without: &[Without]) -> Result<Catalog, CommandError> {
    let observer = Notes::new(&mut ctx.printer);
    let loaded = ctx.source.load(wants, &observer);
    let notes = observer.notes.into_inner();
    let mut catalog = conclude_load(ctx, loaded, &notes, Load::First)?;
    leave_out(&mut catalog, without)?;
    Ok(catalog)
}

/// Loads more objects into `catalog` (a second load, once the first says what it needs),
/// reporting its notes as [`load`] does; `--without` was applied to the first.
pub(crate) fn load_more(ctx: &mut Ctx, catalog: &mut Catalog, wants: &Wants) -> Result<(), CommandError> {
    let observer = Notes::new(&mut ctx.printer);
    let loaded = ctx.source.load(wants, &observer);
    let notes = observer.notes.into_inner();
    let more = conclude_load(ctx, loaded, &notes, Load::More)?;
    catalog.overlay(more);
    Ok(())
}

/// Removes the objects `--without` names; naming one the input does not hold is an error (a
/// typo would otherwise leave the answer unchanged without a word).
pub(crate) fn leave_out(catalog: &mut Catalog, without: &[Without]) -> Result<(), CommandError> {
    for object in without {
        if !catalog.remove(object.kind, &object.namespace, &object.name) {
            return Err(CommandError::from(anyhow::anyhow!(
                "--without {}: the input holds no such object",
                object.describe()
            )));
        }
    }
    Ok(())
}

/// Loads from another source than the command's (the proposed state of `diff`), reporting its
/// notes the same way.
pub(crate) fn load_from(ctx: &mut Ctx, source: &dyn Source, wants: &Wants) -> Result<Catalog, CommandError> {
    let observer = Notes::new(&mut ctx.printer);
    let loaded = source.load(wants, &observer);
    let notes = observer.notes.into_inner();
    conclude_load(ctx, loaded, &notes, Load::First)
}

/// Which load of a command this is: the first says when the input held nothing to read; a
/// second one (the workloads `consumers` reads after the streams) may rightly find nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Load {
    First,
    More,
}

/// Ends a load: its notes reported, then its catalog or its error.
fn conclude_load(
    ctx: &mut Ctx,
    loaded: Result<crate::source::Loaded, SourceError>,
    notes: &[LoadNote],
    load: Load,
) -> Result<Catalog, CommandError> {
    match loaded {
        Ok(loaded) => {
            finish_load(ctx, notes, Some((loaded.catalog.len(), loaded.files_read)), load)?;
            Ok(loaded.catalog)
        }
        Err(error) => {
            finish_load(ctx, notes, None, load)?;
            Err(error.into())
        }
    }
}

/// Hands every object of `kind` in `namespace` to `sink` as the source delivers them (a
/// cluster's list page by page), with the printer to write them: `get` prints a long list
/// without holding it. Reports the load's notes as [`load`] does. Returns how many objects.
pub(crate) fn each(
    ctx: &mut Ctx,
    kind: crate::model::ResourceKind,
    namespace: Option<&str>,
    sink: &mut dyn FnMut(&crate::model::Object, &mut Printer) -> std::io::Result<()>,
) -> Result<usize, CommandError> {
    let without: Vec<crate::settings::Without> =
        ctx.settings.without.iter().filter(|w| w.kind == kind).cloned().collect();
    let mut left_out = vec![false; without.len()];
    let observer = Notes::new(&mut ctx.printer);
    let printer = &observer.printer;
    let outcome = ctx.source.each(kind, namespace, &observer, &mut |object| {
        let meta = object.meta();
        let named = without.iter().position(|w| w.name == meta.name() && w.namespace == meta.namespace());
        match named {
            Some(i) => {
                left_out[i] = true;
                Ok(())
            }
            None => sink(object, &mut printer.borrow_mut()),
        }
    });
    let notes = observer.notes.into_inner();
    match outcome {
        Ok((count, files)) => {
            finish_load(ctx, &notes, Some((count, files)), Load::First)?;
            // An object of another namespace than the one listed was not looked for.
            let missed = without
                .iter()
                .zip(&left_out)
                .find(|(w, seen)| !**seen && namespace.is_none_or(|ns| w.namespace.is_empty() || w.namespace == ns));
            if let Some((object, _)) = missed {
                return Err(CommandError::from(anyhow::anyhow!(
                    "--without {}: the input holds no such object",
                    object.describe()
                )));
            }
            Ok(count - left_out.iter().filter(|seen| **seen).count())
        }
        Err(crate::source::EachError::Sink(error)) => Err(error.into()),
        Err(crate::source::EachError::Source(error)) => {
            finish_load(ctx, &notes, None, Load::First)?;
            Err(error.into())
        }
    }
}

/// What follows a load: its notes reported, unreadable files counted (or, when nothing else
/// was read, the first of them made the error), and with `-v` what was read. `counts` is
/// (objects, files) of a load that succeeded.
fn finish_load(
    ctx: &mut Ctx,
    notes: &[LoadNote],
    counts: Option<(usize, usize)>,
    load: Load,
) -> Result<(), CommandError> {
    ctx.printer.end_progress();
    let unreadable: Vec<&LoadNote> = notes.iter().filter(|n| matches!(n, LoadNote::Unreadable { .. })).collect();
    // When nothing else was read, the unreadable file is the answer: one error, not a note.
    let fatal = match (counts, unreadable.first()) {
        (Some((0, _)), Some(LoadNote::Unreadable { path, position, message })) => Some(match position.line {
            0 => SourceError::Refused { path: path.clone(), reason: message.clone() },
            _ => SourceError::Decode { path: path.clone(), position: *position, message: message.clone() },
        }),
        _ => None,
    };
    report_notes(ctx, notes, fatal.is_none());
    if let Some(error) = fatal {
        return Err(error.into());
    }
    let Some((objects, files)) = counts else { return Ok(()) };
    ctx.unreadable += unreadable.len();
    let skipped = notes.iter().filter(|n| matches!(n, LoadNote::Skipped { .. })).count();
    if load == Load::First && ctx.offline() && files == 0 {
        // An answer of nothing from a folder of source code must not look like an empty cluster.
        let left = notes.iter().filter(|n| matches!(n, LoadNote::IgnoredFile { .. })).count();
        ctx.printer.warning(&format!(
            "--from holds no YAML or JSON file to read: 0 objects read ({} left alone; -v names them)",
            plural(left, "file")
        ));
    }
    let from = if ctx.offline() { plural(files, "file") } else { "the cluster".to_owned() };
    ctx.printer.verbose(
        1,
        &format!(
            "read {} from {from}; skipped {} of other kinds",
            plural(objects, "object"),
            plural(skipped, "object")
        ),
    );
    Ok(())
}

/// Prints a load's notes: warnings always, the rest with `-v`; many identical duplicates (a
/// tree and its archive, a file given twice) are summed up in one warning.
fn report_notes(ctx: &mut Ctx, notes: &[LoadNote], unreadable: bool) {
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
        if let LoadNote::Unreadable { .. } = note {
            if unreadable {
                ctx.printer.error(&format!("error: {note}"));
            }
            continue;
        }
        let summed_up = summarise && matches!(note, LoadNote::Duplicate(d) if !d.differs);
        if let LoadNote::Replaced(_) = note {
            // Asked for (an overlay), so a note, not a warning.
            ctx.printer.note(&note.to_string());
        } else if note.is_warning() && !summed_up {
            ctx.printer.warning(&note.to_string());
        } else {
            ctx.printer.verbose(1, &note.to_string());
        }
    }
}

/// Prints each selection that named nothing as the API server would, with a hint: the
/// namespaces of the input that hold the stream, or the tags the stream has.
pub(crate) fn report_missing(ctx: &mut Ctx, catalog: &Catalog, missing: &[crate::resolve::Missing]) {
    use crate::resolve::Missing;
    for gap in missing {
        ctx.printer.error(&gap.not_found().to_string());
        match gap {
            Missing::Stream { name, namespace } => {
                let elsewhere: Vec<String> =
                    crate::listing::namespaces_holding(catalog, crate::model::ResourceKind::ImageStream, name)
                        .into_iter()
                        .filter(|ns| ns != namespace)
                        .collect();
                if let Some(first) = elsewhere.first() {
                    let all = if elsewhere.len() > 1 {
                        format!(" (and {})", elsewhere[1..].join(", "))
                    } else {
                        String::new()
                    };
                    ctx.printer.hint(&format!("found in namespace {first}{all}; use -n {first}"));
                }
            }
            Missing::Tag { namespace, stream, .. } => {
                if let Some(found) = catalog.stream(namespace, stream) {
                    let names = found.spec_tags().iter().map(|t| t.name.clone());
                    let names = names.chain(found.status_tags().iter().map(|t| t.tag.clone()));
                    let mut tags: Vec<String> = names.collect::<std::collections::BTreeSet<_>>().into_iter().collect();
                    crate::tag_order::sort(&mut tags);
                    let shown: Vec<&str> = tags.iter().take(10).map(String::as_str).collect();
                    let more = if tags.len() > 10 { format!(" and {} more", tags.len() - 10) } else { String::new() };
                    match shown.is_empty() {
                        true => ctx.printer.hint(&format!("{namespace}/{stream} has no tags")),
                        false => ctx.printer.hint(&format!("{namespace}/{stream} has tags {}{more}", shown.join(", "))),
                    }
                }
            }
        }
    }
}

/// A hint for an answer that is empty because the namespace is: the namespaces of the input
/// that hold image streams (offline; a cluster is not listed beyond what was asked).
pub(crate) fn empty_namespace_hint(ctx: &mut Ctx, catalog: &Catalog) {
    let namespaces: std::collections::BTreeSet<&str> =
        catalog.streams_in(None).map(|s| s.metadata.namespace()).collect();
    if namespaces.is_empty() {
        return;
    }
    let list: Vec<&str> = namespaces.iter().take(5).copied().collect();
    let more = if namespaces.len() > 5 { format!(" and {} more", namespaces.len() - 5) } else { String::new() };
    ctx.printer.hint(&format!(
        "the input has image streams in namespace{} {}{more}; use -n NAMESPACE or -A",
        if namespaces.len() == 1 { "" } else { "s" },
        list.join(", ")
    ));
}

/// Streams named on the command line (`STREAM[:TAG]...`), loaded and resolved: what `resolve`
/// and `check` share.
pub(crate) struct ResolvedStreams {
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
pub(crate) fn resolve_streams(
    ctx: &mut Ctx,
    scope: &ScopeRequest,
    selections: &[Selection],
) -> Result<ResolvedStreams, CommandError> {
    let without = ctx.settings.without.clone();
    resolve_streams_from(ctx, None, scope, selections, &without)
}

/// [`resolve_streams`] from another source than the command's (`diff streams --to`), or with
/// other objects left out than `--without` names: the mirror rules are rendered from what is
/// left.
pub(crate) fn resolve_streams_from(
    ctx: &mut Ctx,
    source: Option<&dyn Source>,
    scope: &ScopeRequest,
    selections: &[Selection],
    without: &[Without],
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
    let catalog = match source {
        None => load_leaving_out(ctx, &wants, without)?,
        Some(source) => {
            let mut catalog = load_from(ctx, source, &wants)?;
            leave_out(&mut catalog, without)?;
            catalog
        }
    };
    let resolver = crate::mirror::Resolver::new(crate::mirror::RegistriesConfig::from_catalog(&catalog));
    let request =
        crate::resolve::Request { namespace: scope.namespace().map(str::to_owned), selections: selections.to_vec() };
    let (resolutions, missing) = crate::resolve::resolve(&catalog, &resolver, &request);
    Ok(ResolvedStreams { scope, catalog, resolver, resolutions, missing })
}
