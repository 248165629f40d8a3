//! `isctl prune images`: the plan of `oc adm prune images`, read-only (docs/prune.md).

use super::Ctx;
use crate::error::{CommandError, CommandResult, ExitStatus};
use crate::model::ResourceKind;
use crate::prune::{Decision, PruneOptions, plan};
use crate::render;
use crate::settings::PruneImagesSettings;
use crate::source::{ObjectsWanted, Wants};

/// Where the Images come from, when the input lacks them.
const IMAGES_HINT: &str = "a must-gather holds no Images: add `oc get images -o yaml` (or `isctl record`) with another --from, or read the cluster";

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
        Err(e @ crate::prune::PruneError::NoImages) => {
            ctx.printer.error(&format!("error: {e}"));
            ctx.printer.hint(IMAGES_HINT);
            return Ok(ExitStatus::Failure);
        }
    };
    let text = rendered(&plan, settings, ctx)?;
    ctx.printer.data(&text)?;
    sum_up(ctx, &plan);
    if !crate::consumers::input_has_workloads(&catalog) {
        ctx.printer.warning(
            "the input holds no Pods or workloads: nothing keeps an image in use, so the plan may prune what runs",
        );
    }
    Ok(ExitStatus::Success)
}

/// The plan as `-o` asks: the pruned images' names, a template, YAML or JSON, or the tables.
fn rendered(plan: &crate::prune::PrunePlan, settings: &PruneImagesSettings, ctx: &Ctx) -> Result<String, CommandError> {
    if settings.names_only {
        let pruned = plan.images.iter().filter(|i| i.decision == Decision::Prune);
        return Ok(pruned.map(|i| format!("image/{}\n", i.image)).collect());
    }
    let terminal = &ctx.settings.terminal;
    super::as_asked(plan, settings.output, settings.template.as_ref(), settings.no_headers, || {
        render::prune::plan_table(plan, terminal.width, settings.no_headers, terminal.glyphs)
    })
}

/// The line that sums the plan up, and the warnings about what the input lacks.
fn sum_up(ctx: &mut Ctx, plan: &crate::prune::PrunePlan) {
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
    let orphans = plan.history.iter().filter(|h| h.reason == crate::prune::NO_SUCH_IMAGE).count();
    if orphans > 0 {
        let entries = match orphans {
            1 => "1 history entry names".to_owned(),
            n => format!("{n} history entries name"),
        };
        ctx.printer.warning(&format!("{entries} an Image not in the input: oc drops them"));
        // Most entries orphaned: more likely an input without the Images than such a cluster.
        if orphans * 2 > plan.history.len() {
            ctx.printer.hint(IMAGES_HINT);
        }
    }
}
