//! `isctl consumers STREAM[:TAG]` and `isctl consumers --image DIGEST` (docs/consumers.md).

use super::Ctx;
use crate::catalog::Catalog;
use crate::consumers::{Standing, UseIndex, consumers, image_needles, image_users, lists_holding, stream_needles};
use crate::error::CommandError;
use crate::error::{CommandResult, ExitStatus};
use crate::render::consumers::{consumers_table, image_table};
use crate::settings::{ConsumersQuery, ConsumersSettings};
use crate::source::Wants;

/// Runs `consumers`.
pub(crate) fn run(settings: &ConsumersSettings, ctx: &mut Ctx) -> CommandResult {
    let selections = match &settings.query {
        ConsumersQuery::Stream(selection) => vec![selection.clone()],
        ConsumersQuery::Image(_) => Vec::new(),
    };
    // First the streams and their Images: they say which digests and names matter, so the
    // second load reads only the workloads that mention one.
    let mut resolved = super::resolve_streams(ctx, &settings.scope, &selections)?;
    if !resolved.missing.is_empty() {
        super::report_missing(ctx, &resolved.catalog, &resolved.missing);
        return Ok(ExitStatus::Failure);
    }
    let namespace = resolved.scope.namespace().map(str::to_owned);
    let needles = match &settings.query {
        ConsumersQuery::Stream(selection) => resolved
            .catalog
            .stream(namespace.as_deref().unwrap_or_default(), &selection.stream)
            .map(|stream| stream_needles(stream, selection.tag.as_deref(), &resolved.catalog))
            .unwrap_or_default(),
        ConsumersQuery::Image(digest) => {
            image_needles(digest, &lists_holding(digest, &resolved.catalog), &resolved.catalog)
        }
    };
    load_users(ctx, &mut resolved.catalog, settings.workload_namespace.clone(), namespace, needles)?;
    let catalog = &resolved.catalog;
    let index = UseIndex::of(catalog, ctx.settings.now);
    if !index.finished_pods.is_empty() {
        ctx.printer.note(&format!(
            "{} Pods finished (or Unknown) over {} minutes ago are not counted as uses, as oc adm prune images does not count them: {}",
            index.finished_pods.len(),
            crate::consumers::FINISHED_POD_GRACE.as_mins(),
            index.finished_pods.join(", ")
        ));
    }
    for object in &index.unreadable {
        ctx.printer.warning(&format!(
            "{object}: the {} annotation is not a JSON list; the trigger controller ignores it",
            crate::consumers::TRIGGERS_ANNOTATION
        ));
    }
    match &settings.query {
        ConsumersQuery::Stream(selection) => {
            let namespace = resolved.scope.namespace().unwrap_or_default();
            let Some(stream) = catalog.stream(namespace, &selection.stream) else {
                return Ok(ExitStatus::Failure);
            };
            stream_users(ctx, settings, stream, selection.tag.as_deref(), catalog, &index)?;
        }
        ConsumersQuery::Image(digest) => {
            let answer = image_users(digest, catalog.streams_in(resolved.scope.namespace()), catalog, &index);
            print_image_users(ctx, settings, digest, &answer)?;
        }
    }
    Ok(ExitStatus::Success)
}

/// Prints who follows, runs and may pull a stream's tags, and what needs a word on stderr.
fn stream_users(
    ctx: &mut Ctx,
    settings: &ConsumersSettings,
    stream: &crate::model::ImageStream,
    tag: Option<&str>,
    catalog: &Catalog,
    index: &UseIndex,
) -> Result<(), CommandError> {
    let (limit, no_headers, glyphs) = (ctx.settings.terminal.width, settings.no_headers, ctx.settings.terminal.glyphs);
    let namespace = stream.metadata.namespace();
    let answer = consumers(stream, tag, catalog, index);
    let text = super::as_asked(&answer, settings.output, settings.template.as_ref(), no_headers, || {
        consumers_table(&answer, limit, no_headers, glyphs)
    })?;
    ctx.printer.data(&text)?;
    for tag in &answer.tags {
        let behind = tag.drift();
        if behind > 0 {
            let held = tag.triggers.iter().filter(|t| t.lags() && t.held.is_some()).count();
            let held = if held > 0 { format!(" ({held} held)") } else { String::new() };
            ctx.printer.notice(&format!("{}: {} of its users do not have its current image{held}", tag.tag, behind));
        }
    }
    if !answer.workloads_read {
        ctx.printer.warning(&no_workloads_words(settings));
    }
    if !answer.pull_access.bindings_read {
        ctx.printer.warning(&format!(
            "the input holds no RoleBindings of namespace {namespace} or ClusterRoleBindings: who may pull is unknown"
        ));
    }
    for binding in &answer.pull_access.unknown_roles {
        ctx.printer.warning(&format!("{binding}: the role is not in the input, so whether it grants pulls is unknown"));
    }
    Ok(())
}

/// Prints the users of an image, and a line that sums them up.
fn print_image_users(
    ctx: &mut Ctx,
    settings: &ConsumersSettings,
    digest: &str,
    answer: &crate::consumers::ImageUsers,
) -> Result<(), CommandError> {
    let (limit, no_headers, glyphs) = (ctx.settings.terminal.width, settings.no_headers, ctx.settings.terminal.glyphs);
    let text = super::as_asked(answer, settings.output, settings.template.as_ref(), no_headers, || {
        image_table(answer, limit, no_headers, glyphs)
    })?;
    ctx.printer.data(&text)?;
    let current = answer.tags.iter().filter(|t| t.standing == Standing::Current).count();
    let objects =
        answer.uses.iter().map(|u| (u.kind, &u.namespace, &u.name)).collect::<std::collections::BTreeSet<_>>();
    match answer.unused() {
        true => ctx.printer.notice(&format!(
            "nothing in the input uses {digest}: no tag history holds it, and no trigger, Pod or template names it"
        )),
        false => ctx.printer.notice(&format!(
            "{digest} is the current image of {}, an older image of {}, and used by {}",
            crate::render::plural(current, "tag"),
            crate::render::plural(answer.tags.len() - current, "tag"),
            crate::render::plural(objects.len(), "object")
        )),
    }
    if !answer.workloads_read {
        ctx.printer.warning(&no_workloads_words(settings));
    }
    Ok(())
}

/// Adds to `catalog` the workloads of `workload_namespace` (all when `None`) that hold one of
/// `needles` (every one when empty), pruned to what `consumers` reads, and the RBAC objects of
/// `namespace` and the cluster. `describe` uses it too.
pub(crate) fn load_users(
    ctx: &mut Ctx,
    catalog: &mut Catalog,
    workload_namespace: Option<String>,
    namespace: Option<String>,
    needles: Vec<String>,
) -> Result<(), CommandError> {
    let wants = Wants {
        workloads: Some(workload_namespace),
        workloads_only: true,
        workload_needles: needles,
        rbac_namespace: namespace.clone(),
        namespace_for_unset: namespace,
        ..Wants::default()
    };
    super::load_more(ctx, catalog, &wants)
}

/// The warning for an input without workloads: empty answers then say nothing.
fn no_workloads_words(settings: &ConsumersSettings) -> String {
    let place = match &settings.workload_namespace {
        Some(namespace) => format!("namespace {namespace}"),
        None => "any namespace".to_owned(),
    };
    format!(
        "the input holds no Pods, workloads, DeploymentConfigs or BuildConfigs of {place}: \
         nothing can be said about who uses it (a must-gather keeps them under namespaces/NAME/)"
    )
}
