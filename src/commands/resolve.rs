//! `isctl resolve [STREAM[:TAG]...]`: every tag's history joined to its Images and to the places
//! a node (and, for `Local` tags, the integrated registry) pulls each digest from.

use super::Ctx;
use crate::error::{CommandResult, ExitStatus};
use crate::render::resolution::{FindingOptions, History, TableOptions, findings};
use crate::render::{self, OutputFormat};
use crate::resolve::{InputGaps, StreamResolution};
use crate::settings::{ResolveSettings, Scope, TABLE_HISTORY};

/// Runs `resolve`.
pub(crate) fn run(settings: &ResolveSettings, ctx: &mut Ctx) -> CommandResult {
    let super::ResolvedStreams { scope, catalog, resolver, mut resolutions, missing } =
        super::resolve_streams(ctx, &settings.scope, &settings.selections)?;
    if let Some(verify) = &settings.verify {
        super::verify::verify_current_items(ctx, verify, &mut resolutions)?;
    }
    let gaps = InputGaps::of(&catalog);
    // Summaries follow the output (a long table must not scroll them away); they come from
    // every history item, before any is left out.
    let mut summary: Vec<(bool, String)> = Vec::new();
    if !resolutions.is_empty() {
        summary.extend(gaps.warnings().into_iter().map(|gap| (true, gap)));
    }
    for conflict in &resolver.config().conflicts {
        summary.push((
            true,
            format!(
                "conflict: {}: {}; the operator would not render these mirror rules",
                conflict.source, conflict.message
            ),
        ));
    }
    let brief = ctx.settings.terminal.stderr_width.is_some() && !ctx.printer.is_verbose();
    let options = FindingOptions { verbose: ctx.printer.is_verbose(), brief, gaps };
    summary.extend(findings(&resolutions, options).into_iter().map(|f| (f.warning, f.text)));
    let empty = resolutions.is_empty();
    let text = match settings.output {
        OutputFormat::Yaml | OutputFormat::Json => {
            // Documents keep every history item unless asked otherwise.
            if let Some(n) = settings.history.filter(|n| *n > 0) {
                keep_newest(&mut resolutions, n);
            }
            let single = settings.selections.len() == 1 && resolutions.len() == 1;
            match &settings.template {
                Some(template) => render::templated_document(resolutions, !single, template, settings.no_headers)?,
                None => render::document(resolutions, settings.output == OutputFormat::Yaml, !single),
            }
        }
        _ if empty => String::new(),
        format => {
            let table = table(settings, ctx, &resolutions, format, gaps);
            if table.omitted > 0 {
                let how = if settings.current { "omit --current to see them" } else { "--history N shows more, 0 all" };
                summary.push((false, format!("{} older history items hidden ({how})", table.omitted)));
            }
            table.text
        }
    };
    ctx.printer.data(&text)?;
    if empty && missing.is_empty() {
        let message = match scope.namespace() {
            Some(ns) => format!("No resources found in {ns} namespace."),
            None => "No resources found".to_owned(),
        };
        ctx.printer.notice(&message);
        super::empty_namespace_hint(ctx, &catalog);
    }
    print_summary(ctx, &summary);
    super::report_missing(ctx, &catalog, &missing);
    Ok(if missing.is_empty() { ExitStatus::Success } else { ExitStatus::Failure })
}

/// The table, as the settings and the terminal ask.
fn table(
    settings: &ResolveSettings,
    ctx: &Ctx,
    resolutions: &[StreamResolution],
    format: OutputFormat,
    gaps: InputGaps,
) -> render::resolution::Table {
    let wide = format == OutputFormat::Wide;
    let history = match settings.history {
        Some(0) => History::All,
        Some(n) => History::Newest(n),
        None if wide => History::All,
        None => History::Newest(TABLE_HISTORY),
    };
    let terminal = ctx.settings.terminal;
    render::resolution::render(
        resolutions,
        TableOptions {
            wide,
            no_headers: settings.no_headers,
            namespaces: ctx.scope(&settings.scope) == Scope::All,
            now: ctx.settings.now,
            width: terminal.width,
            glyphs: terminal.glyphs,
            color: terminal.color,
            history,
            gaps,
        },
    )
}

/// The summary lines, `warning:` or `note:`, after the table (the printer fits them for a
/// person).
fn print_summary(ctx: &mut Ctx, summary: &[(bool, String)]) {
    for (warning, text) in summary {
        match warning {
            true => ctx.printer.warning(text),
            false => ctx.printer.note(text),
        }
    }
}

/// Keeps the newest `n` history items of every tag.
fn keep_newest(resolutions: &mut [StreamResolution], n: usize) {
    for tag in resolutions.iter_mut().flat_map(|r| r.tags.iter_mut()) {
        tag.history.truncate(n);
    }
}
