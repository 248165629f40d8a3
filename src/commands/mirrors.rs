//! `isctl mirrors PULLSPEC...`: where a node pulls each reference from, and why
//! (docs/semantics.md §5); `--render` prints the registries.conf or policy.json nodes get.

use super::Ctx;
use crate::cli::RenderedFile;
use crate::error::{CommandResult, ExitStatus};
use crate::mirror::{RegistriesConfig, Resolver};
use crate::model::ResourceKind;
use crate::render::pull_plan::{PullPlanDocument, render_blocks};
use crate::render::{self, OutputFormat};
use crate::settings::{MirrorsMode, MirrorsSettings};
use crate::source::Wants;

/// Runs `mirrors`.
pub(crate) fn run(settings: &MirrorsSettings, ctx: &mut Ctx) -> CommandResult {
    let wants = Wants {
        mirror_rules: true,
        policy_namespace: settings.namespace.clone(),
        namespace_for_unset: settings.namespace.clone(),
        ..Wants::default()
    };
    let catalog = super::load(ctx, &wants)?;
    let config = RegistriesConfig::from_catalog(&catalog);
    super::warn_unplaced_policies(ctx, &config.signatures.unplaced);
    let kinds =
        [ResourceKind::ImageContentSourcePolicy, ResourceKind::ImageDigestMirrorSet, ResourceKind::ImageTagMirrorSet];
    let signatures_only =
        matches!(settings.mode, MirrorsMode::Render(RenderedFile::PolicyJson | RenderedFile::RegistriesD));
    if !signatures_only && !kinds.into_iter().any(|k| catalog.has_kind(k)) {
        ctx.printer.warning(
            "the input holds no ImageContentSourcePolicy, ImageDigestMirrorSet or ImageTagMirrorSet: plans assume no mirrors",
        );
    }
    let MirrorsMode::Plans { references, output, template, no_headers } = &settings.mode else {
        let MirrorsMode::Render(file) = settings.mode else { unreachable!("the other mode has plans") };
        return rendered_file(ctx, config, file, settings.namespace.as_deref());
    };
    let resolver = Resolver::new(config);
    let namespace = settings.namespace.as_deref();
    let plans: Vec<_> = references.iter().map(|r| resolver.plan_in(r, namespace)).collect();
    let verifications = match &settings.verify {
        Some(verify) => {
            let endpoints: Vec<_> =
                plans.iter().flat_map(|p| crate::verify::plan_endpoints(p, verify.include_blocked)).collect();
            let answers = super::verify::answers(ctx, verify, &endpoints)?;
            Some(
                plans
                    .iter()
                    .map(|p| crate::verify::verify_plan(p, verify.include_blocked, &answers))
                    .collect::<Vec<_>>(),
            )
        }
        None => None,
    };
    let output = OutputFormat::from(*output);
    let text = match output {
        OutputFormat::Yaml | OutputFormat::Json => {
            let documents: Vec<PullPlanDocument<'_>> = plans
                .iter()
                .enumerate()
                .map(|(i, plan)| PullPlanDocument {
                    verification: verifications.as_ref().and_then(|v| v.get(i)),
                    ..PullPlanDocument::new(plan)
                })
                .collect();
            match template {
                Some(template) => render::templated_document(documents, false, template, *no_headers)?,
                None => render::document(documents, output == OutputFormat::Yaml, false),
            }
        }
        _ => render_blocks(
            &plans,
            *no_headers,
            verifications.as_deref(),
            ctx.settings.terminal.width,
            ctx.settings.terminal.glyphs,
        ),
    };
    // Blocked pulls, invalid rewrites and conflicts are findings shown in the output; a
    // reference that does not parse is the user's error: exit 1 after answering the others.
    ctx.printer.data(&text)?;
    if namespace.is_none() {
        namespaced_hint(ctx, &resolver, &plans);
    }
    let unparsable: Vec<&str> = plans.iter().filter(|p| p.pull_type.is_none()).map(|p| p.reference.as_str()).collect();
    for reference in &unparsable {
        ctx.printer.error(&format!("error: {reference:?} is not an image reference"));
    }
    // An image no source serves is a finding shown in the output, as a blocked pull is;
    // `check --verify` turns it into an exit code.
    Ok(if unparsable.is_empty() { ExitStatus::Success } else { ExitStatus::Failure })
}

/// Without -n, a hint for each reference some namespace's ImagePolicy also covers: its Pods'
/// pulls need that signature too, which the plan shown leaves out.
fn namespaced_hint(ctx: &mut Ctx, resolver: &Resolver, plans: &[crate::mirror::PullPlan]) {
    let own_file = resolver.config().signatures.namespaces();
    let mut namespaces = std::collections::BTreeSet::new();
    for plan in plans.iter().filter(|p| p.pull_type.is_some()) {
        for namespace in &own_file {
            let in_namespace = resolver.plan_in(&plan.reference, Some(namespace));
            if in_namespace.sources.first().map(|s| &s.signatures) != plan.sources.first().map(|s| &s.signatures) {
                namespaces.insert(namespace.clone());
            }
        }
    }
    if let Some(first) = namespaces.first() {
        let (noun, list) = match namespaces.len() {
            1 => ("namespace", first.clone()),
            _ => ("namespaces", namespaces.iter().map(String::as_str).collect::<Vec<_>>().join(", ")),
        };
        ctx.printer.note(&format!("Pods of {noun} {list} need other signatures (an ImagePolicy): add -n {first}"));
    }
}

/// `--render`: registries.conf (with the conflicts that would stop the operator), policy.json
/// (the cluster's, or a namespace's; exit 1 when the operator would refuse it), or the
/// registries.d file for signatures.
fn rendered_file(
    ctx: &mut Ctx,
    config: RegistriesConfig,
    file: RenderedFile,
    namespace: Option<&str>,
) -> CommandResult {
    if file == RenderedFile::RegistriesD {
        match crate::mirror::registries_d::render(&Resolver::new(config)) {
            Some(text) => ctx.printer.data(&text)?,
            None => ctx
                .printer
                .notice("no ClusterImagePolicy or ImagePolicy in the input: the operator writes no registries.d file"),
        }
        return Ok(ExitStatus::Success);
    }
    let config = &config;
    if file == RenderedFile::PolicyJson {
        let own_file = config.signatures.namespaces();
        if let Some(namespace) = namespace.filter(|n| !own_file.iter().any(|o| o == n)) {
            ctx.printer.note(&format!(
                "namespace {namespace} has no ImagePolicy the operator keeps: CRI-O reads the cluster's /etc/containers/policy.json for its Pods"
            ));
        }
        return match crate::mirror::policy_json::render(config, namespace) {
            Ok(text) => {
                ctx.printer.data(&text)?;
                Ok(ExitStatus::Success)
            }
            Err(why) => {
                ctx.printer.error(&format!("error: the operator would not render policy.json: {why}"));
                Ok(ExitStatus::Failure)
            }
        };
    }
    for conflict in &config.conflicts {
        ctx.printer.warning(&format!(
            "conflict: {}: {}; the operator would not render this file",
            conflict.source, conflict.message
        ));
    }
    ctx.printer.data(&crate::mirror::toml::render(config))?;
    Ok(ExitStatus::Success)
}
