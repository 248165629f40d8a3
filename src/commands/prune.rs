//! `isctl prune images`: the plan of `oc adm prune images`, read-only (docs/prune.md).

use super::Ctx;
use crate::error::{CommandError, CommandResult, ExitStatus};
use crate::model::ResourceKind;
use crate::prune::{Decision, PruneOptions, plan};
use crate::render::{self, OutputFormat};
use crate::settings::PruneImagesSettings;
use crate::source::{ObjectsWanted, Wants};

/// Runs `prune images`.
pub(crate) fn run(settings: &PruneImagesSettings, ctx: &mut Ctx) -> CommandResult {
    let namespace = settings.namespace.clone();
    // Every Image (a candidate whether or not a stream names it), the streams, and the
    // workloads whose pull specs keep tags and images.
    let wants = Wants {
        objects: Some(ObjectsWanted { kind: ResourceKind::Image, namespace: None, names: Vec::new() }),
        streams: Some((namespace.clone(), Vec::new())),
        workloads: Some(namespace.clone()),
        namespace_for_unset: namespace.clone(),
        ..Wants::default()
    };
    let catalog = super::load(ctx, &wants)?;
    let keep_younger_than = jiff::SignedDuration::try_from(settings.keep_younger_than)
        .map_err(|e| anyhow::anyhow!("--keep-younger-than: {e}"))?;
    let options = PruneOptions {
        keep_tag_revisions: settings.keep_tag_revisions,
        keep_younger_than,
        all_images: settings.all,
        namespace,
        ignore_invalid_refs: settings.ignore_invalid_refs,
        over_size_limit: settings.over_size_limit,
        now: ctx.settings.now,
    };
    let plan = match plan(&catalog, &options) {
        Ok(plan) => plan,
        Err(crate::prune::PruneError::InvalidReferences(found)) => {
            for reference in &found {
                ctx.printer.error(&format!("error: invalid image reference: {reference}"));
            }
            ctx.printer.hint("oc adm prune images stops here too; --ignore-invalid-refs passes over them");
            return Ok(ExitStatus::Failure);
        }
        Err(e) => return Err(CommandError::from(anyhow::anyhow!("{e}"))),
    };
    let text = if settings.names_only {
        let pruned = plan.images.iter().filter(|i| i.decision == Decision::Prune);
        pruned.map(|i| format!("image/{}\n", i.image)).collect()
    } else {
        let format = OutputFormat::from(settings.output);
        match format {
            _ if let Some(template) = &settings.template => {
                render::templated_document(vec![&plan], false, template, settings.no_headers)?
            }
            OutputFormat::Yaml | OutputFormat::Json => {
                render::document(vec![&plan], format == OutputFormat::Yaml, false)
            }
            _ => render::prune::plan_table(
                &plan,
                ctx.settings.terminal.width,
                settings.no_headers,
                ctx.settings.terminal.glyphs,
            ),
        }
    };
    ctx.printer.data(&text)?;
    let summary = &plan.summary;
    let size = match summary.bytes_pruned {
        0 => String::new(),
        bytes => format!(" ({})", crate::quantity::format_size(bytes)),
    };
    ctx.printer.notice(&format!(
        "would prune {} of {}{size} and {} of {} history entries; isctl deleted nothing",
        summary.images_pruned,
        render::plural(summary.images_pruned + summary.images_kept, "image"),
        summary.history_removed,
        summary.history_removed + summary.history_kept
    ));
    if !crate::consumers::input_has_workloads(&catalog) {
        ctx.printer.warning(
            "the input holds no Pods or workloads: nothing keeps an image in use, so the plan may prune what runs",
        );
    }
    Ok(ExitStatus::Success)
}
