//! `isctl resolve [STREAM[:TAG]...]`: every tag's history joined to its Images and to the places
//! a node (and, for `Local` tags, the integrated registry) pulls each digest from.

use super::Ctx;
use crate::error::{CommandResult, ExitStatus};
use crate::render::resolution::{History, TableOptions, findings};
use crate::render::{self, OutputFormat};
use crate::resolve::{InputGaps, StreamResolution};
use crate::settings::{ResolveSettings, Scope, TABLE_HISTORY};

/// Runs `resolve`.
pub fn run(settings: &ResolveSettings, ctx: &mut Ctx) -> CommandResult {
    let super::ResolvedStreams { scope, catalog, resolver, mut resolutions, missing } =
        super::resolve_streams(ctx, &settings.scope, &settings.selections)?;
    for conflict in &resolver.config().conflicts {
        ctx.printer.warning(&format!(
            "conflict: {}: {}; the operator would not render these mirror rules",
            conflict.source, conflict.message
        ));
    }
    let gaps = InputGaps::of(&catalog);
    if !resolutions.is_empty() {
        for gap in gaps.warnings() {
            ctx.printer.warning(&gap);
        }
    }
    // Findings are told after the output, but from every history item, before any is left out.
    let notes = findings(&resolutions, gaps.no_images, ctx.printer.is_verbose());
    let text = match settings.output {
        OutputFormat::Yaml | OutputFormat::Json => {
            // Documents keep every history item unless asked otherwise.
            if let Some(n) = settings.history.filter(|n| *n > 0) {
                keep_newest(&mut resolutions, n);
            }
            let single = settings.selections.len() == 1 && resolutions.len() == 1;
            render::document(resolutions, settings.output == OutputFormat::Yaml, !single)
        }
        _ if resolutions.is_empty() => {
            if missing.is_empty() {
                let message = match scope.namespace() {
                    Some(ns) => format!("No resources found in {ns} namespace."),
                    None => "No resources found".to_owned(),
                };
                ctx.printer.notice(&message);
            }
            String::new()
        }
        format => {
            let wide = format == OutputFormat::Wide;
            let history = match settings.history {
                Some(0) => History::All,
                Some(n) => History::Newest(n),
                None if wide => History::All,
                None => History::Newest(TABLE_HISTORY),
            };
            let terminal = ctx.settings.terminal;
            let table = render::resolution::render(
                &resolutions,
                TableOptions {
                    wide,
                    no_headers: settings.no_headers,
                    namespaces: scope == Scope::All,
                    now: ctx.settings.now,
                    width: terminal.width,
                    color: terminal.color,
                    history,
                },
            );
            if table.omitted > 0 {
                ctx.printer.notice(&format!(
                    "{} older history items not shown (--history N shows more, --history 0 all)",
                    table.omitted
                ));
            }
            table.text
        }
    };
    ctx.printer.data(&text)?;
    for note in notes {
        ctx.printer.warning(&note);
    }
    super::report_missing(ctx, &catalog, &missing);
    Ok(if missing.is_empty() { ExitStatus::Success } else { ExitStatus::Failure })
}

/// Keeps the newest `n` history items of every tag.
fn keep_newest(resolutions: &mut [StreamResolution], n: usize) {
    for tag in resolutions.iter_mut().flat_map(|r| r.tags.iter_mut()) {
        tag.history.truncate(n);
    }
}
