//! `isctl describe is NAME` / `isctl describe istag NAME:TAG`: one stream or tag for a person.

use super::Ctx;
use crate::error::{CommandResult, ExitStatus};
use crate::render::describe::{DescribeOptions, describe};
use crate::resolve::InputGaps;
use crate::settings::DescribeSettings;

/// Runs `describe`.
pub fn run(settings: &DescribeSettings, ctx: &mut Ctx) -> CommandResult {
    let selections = std::slice::from_ref(&settings.selection);
    let super::ResolvedStreams { catalog, resolver, mut resolutions, missing, scope } =
        super::resolve_streams(ctx, &settings.scope, selections)?;
    if !missing.is_empty() {
        super::report_missing(ctx, &catalog, &missing);
        return Ok(ExitStatus::Failure);
    }
    if let Some(verify) = &settings.verify {
        super::verify::verify_current_items(ctx, verify, &mut resolutions)?;
    }
    let namespace = scope.namespace().unwrap_or_default();
    let gaps = InputGaps::of(&catalog);
    let options = DescribeOptions {
        tag: settings.selection.tag.as_deref(),
        history: settings.history,
        gaps,
        now: ctx.settings.now,
    };
    let mut text = String::new();
    for resolution in &resolutions {
        let Some(stream) = catalog.stream(namespace, &resolution.metadata.name) else { continue };
        text.push_str(&describe(resolution, stream, &resolver, options));
    }
    ctx.printer.data(&text)?;
    for gap in gaps.warnings() {
        ctx.printer.warning(&gap);
    }
    Ok(ExitStatus::Success)
}
