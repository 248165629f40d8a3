//! `isctl describe is NAME` / `isctl describe istag NAME:TAG`: one stream or tag for a person.

use super::Ctx;
use crate::error::{CommandResult, ExitStatus};
use crate::render::describe::describe;
use crate::settings::DescribeSettings;

/// Runs `describe`.
pub fn run(settings: &DescribeSettings, ctx: &mut Ctx) -> CommandResult {
    let selections = std::slice::from_ref(&settings.selection);
    let super::ResolvedStreams { catalog, resolver, resolutions, missing, scope } =
        super::resolve_streams(ctx, &settings.scope, selections)?;
    if !missing.is_empty() {
        super::report_missing(ctx, &catalog, &missing);
        return Ok(ExitStatus::Failure);
    }
    let namespace = scope.namespace().unwrap_or_default();
    let mut text = String::new();
    for resolution in &resolutions {
        let Some(stream) = catalog.stream(namespace, &resolution.metadata.name) else { continue };
        text.push_str(&describe(resolution, stream, settings.selection.tag.as_deref(), &resolver, ctx.settings.now));
    }
    ctx.printer.data(&text)?;
    Ok(ExitStatus::Success)
}
