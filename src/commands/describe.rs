//! `isctl describe is NAME` / `isctl describe istag NAME:TAG`: one stream or tag for a person.

use super::Ctx;
use crate::error::{CommandResult, ExitStatus};
use crate::render::describe::{DescribeOptions, describe};
use crate::resolve::InputGaps;
use crate::settings::DescribeSettings;

/// Runs `describe`.
pub(crate) fn run(settings: &DescribeSettings, ctx: &mut Ctx) -> CommandResult {
    let selections = std::slice::from_ref(&settings.selection);
    let super::ResolvedStreams { mut catalog, resolver, mut resolutions, missing, scope } =
        super::resolve_streams(ctx, &settings.scope, selections)?;
    if !missing.is_empty() {
        super::report_missing(ctx, &catalog, &missing);
        return Ok(ExitStatus::Failure);
    }
    // Then the workloads of every namespace that mention the stream's images or tags: a
    // stream of one namespace is often used from others.
    let namespace = scope.namespace().unwrap_or_default().to_owned();
    let needles = catalog
        .stream(&namespace, &settings.selection.stream)
        .map(|stream| crate::consumers::stream_needles(stream, settings.selection.tag.as_deref(), &catalog))
        .unwrap_or_default();
    super::consumers::load_users(ctx, &mut catalog, None, Some(namespace.clone()), needles)?;
    if let Some(verify) = &settings.verify {
        super::verify::verify_current_items(ctx, verify, &mut resolutions)?;
    }
    let namespace = namespace.as_str();
    let gaps = InputGaps::of(&catalog);
    let options = DescribeOptions {
        tag: settings.selection.tag.as_deref(),
        history: settings.history,
        gaps,
        now: ctx.settings.now,
    };
    let index = crate::consumers::UseIndex::of(&catalog, ctx.settings.now);
    let mut text = String::new();
    for resolution in &resolutions {
        let Some(stream) = catalog.stream(namespace, &resolution.metadata.name) else { continue };
        text.push_str(&describe(resolution, stream, &resolver, options));
        let users = crate::consumers::consumers(stream, settings.selection.tag.as_deref(), &catalog, &index);
        text.push_str(&crate::render::consumers::describe_section(&users, ctx.settings.terminal.width));
    }
    // For a person at a terminal, long values wrap under where they start, as oc describe's do.
    if let Some(width) = ctx.settings.terminal.width {
        text = text.lines().flat_map(|line| crate::render::fit::wrap(line, width)).map(|l| l + "\n").collect();
    }
    ctx.printer.data(&text)?;
    for gap in gaps.warnings() {
        ctx.printer.warning(&gap);
    }
    Ok(ExitStatus::Success)
}
