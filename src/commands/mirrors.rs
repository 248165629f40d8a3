//! `isctl mirrors PULLSPEC...`: where a node pulls each reference from, and why
//! (openshift-semantics.md section 3); `--render` prints the registries.conf nodes get.

use std::process::ExitCode;

use anyhow::Result;

use super::Ctx;
use crate::cli::MirrorsArgs;
use crate::mirror::{RegistriesConfig, Resolver};
use crate::render::pull_plan::{PullPlanDocument, render_blocks};
use crate::render::{self, OutputFormat};

use crate::settings::SettingsError;
use crate::source::Wants;

/// Runs `mirrors`.
pub fn run(args: &MirrorsArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    if args.render && args.output != crate::render::ReportFormat::Table {
        return Err(SettingsError::Usage("--render prints registries.conf (TOML); -o does not apply".into()).into());
    }
    if args.render != args.references.is_empty() {
        let message =
            if args.render { "--render takes no PULLSPEC" } else { "give at least one PULLSPEC, or --render" };
        return Err(SettingsError::Usage(message.into()).into());
    }
    let catalog = super::load(ctx, &Wants { mirror_rules: true, ..Wants::default() })?;
    let config = RegistriesConfig::from_catalog(&catalog);
    if !catalog.has_kind(crate::model::ResourceKind::ImageContentSourcePolicy)
        && !catalog.has_kind(crate::model::ResourceKind::ImageDigestMirrorSet)
        && !catalog.has_kind(crate::model::ResourceKind::ImageTagMirrorSet)
    {
        ctx.printer.warning("the input holds no ImageContentSourcePolicy, ImageDigestMirrorSet or ImageTagMirrorSet: plans assume no mirrors");
    }
    if args.render {
        for conflict in &config.conflicts {
            ctx.printer.warning(&format!(
                "conflict: {}: {}; the operator would not render this file",
                conflict.source, conflict.message
            ));
        }
        ctx.printer.data(&crate::mirror::toml::render(&config))?;
        return Ok(ExitCode::SUCCESS);
    }
    let resolver = Resolver::new(config);
    let plans: Vec<_> = args.references.iter().map(|r| resolver.plan(r)).collect();
    let output = OutputFormat::from(args.output);
    let text = match output {
        OutputFormat::Yaml | OutputFormat::Json => {
            let documents: Vec<PullPlanDocument<'_>> = plans.iter().map(PullPlanDocument::new).collect();
            render::document(documents, output == OutputFormat::Yaml, false)
        }
        _ => render_blocks(&plans, args.no_headers),
    };
    // Blocked pulls, invalid rewrites and conflicts are findings shown in the output; a
    // reference that does not parse is the user's error: exit 1 after answering the others.
    ctx.printer.data(&text)?;
    let unparsable: Vec<&str> = plans.iter().filter(|p| p.pull_type.is_none()).map(|p| p.reference.as_str()).collect();
    for reference in &unparsable {
        ctx.printer.error(&format!("error: {reference:?} is not an image reference"));
    }
    Ok(if unparsable.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
