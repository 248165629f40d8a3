//! `isctl resolve [STREAM[:TAG]...]`: every tag's history joined to its Images and to the places
//! a node pulls each digest from.

use super::Ctx;
use crate::error::{CommandResult, ExitStatus};
use crate::render::resolution::{TableOptions, TimeColumn};
use crate::render::{self, OutputFormat};
use crate::settings::{ResolveSettings, Scope};

/// Runs `resolve`.
pub fn run(settings: &ResolveSettings, ctx: &mut Ctx) -> CommandResult {
    let super::ResolvedStreams { scope, resolver, resolutions, missing, .. } =
        super::resolve_streams(ctx, &settings.scope, &settings.selections)?;
    for conflict in &resolver.config().conflicts {
        ctx.printer.warning(&format!(
            "conflict: {}: {}; the operator would not render these mirror rules",
            conflict.source, conflict.message
        ));
    }
    let mut warned = std::collections::BTreeSet::new();
    for warning in resolutions.iter().flat_map(|r| r.warnings.iter()) {
        if warned.insert(warning.clone()) {
            ctx.printer.warning(warning);
        }
    }
    let text = match settings.output {
        OutputFormat::Yaml | OutputFormat::Json => {
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
        format => render::resolution::render(
            &resolutions,
            TableOptions {
                wide: format == OutputFormat::Wide,
                no_headers: settings.no_headers,
                namespaces: scope == Scope::All,
                time: if ctx.settings.now_given { TimeColumn::AgeAt(ctx.settings.now) } else { TimeColumn::Absolute },
            },
        ),
    };
    ctx.printer.data(&text)?;
    for gap in &missing {
        ctx.printer.error(&gap.not_found().to_string());
    }
    Ok(if missing.is_empty() { ExitStatus::Success } else { ExitStatus::Failure })
}
