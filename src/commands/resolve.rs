//! `isctl resolve [STREAM[:TAG]...]`: every tag's history joined to its Images and to the places
//! a node pulls each digest from.

use std::process::ExitCode;

use anyhow::Result;

use super::Ctx;
use crate::cli::ResolveArgs;
use crate::render::resolution::{TableOptions, TimeColumn};
use crate::render::{self, OutputFormat};

use crate::settings::Scope;

/// Runs `resolve`.
pub fn run(args: &ResolveArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let super::ResolvedStreams { scope, resolver, resolutions, missing, .. } =
        super::resolve_streams(ctx, &args.scope, &args.streams)?;
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
    let output = OutputFormat::from(args.output);
    let text = match output {
        OutputFormat::Yaml | OutputFormat::Json => {
            let single = args.streams.len() == 1 && resolutions.len() == 1;
            render::document(resolutions, output == OutputFormat::Yaml, !single)
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
                no_headers: args.no_headers,
                namespaces: scope == Scope::All,
                time: if ctx.settings.now_given { TimeColumn::AgeAt(ctx.settings.now) } else { TimeColumn::Absolute },
            },
        ),
    };
    ctx.printer.data(&text)?;
    for gap in &missing {
        ctx.printer.error(&format!("Error from server (NotFound): {}", gap.message()));
    }
    Ok(if missing.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
