//! `isctl diff mirrors`: the current state against a proposed one (docs/what-if.md).

use super::Ctx;
use crate::catalog::Catalog;
use crate::error::{CommandError, CommandResult, ExitStatus};
use crate::mirror::{RegistriesConfig, Resolver};
use crate::render::what_if::{changes_table, summary};
use crate::render::{self, OutputFormat};
use crate::settings::{DiffMirrorsSettings, DiffStreamsSettings, Input};
use crate::source::Wants;
use crate::source::files::{FileSource, InputLimits};
use crate::source::files::{NamedFile, read_named_text};
use crate::what_if::{Asked, apply_icsp_migration, diff_plans, diff_streams, stream_references};

/// Runs `diff streams`: the input against `--to`, tag by tag.
pub(crate) fn streams(settings: &DiffStreamsSettings, ctx: &mut Ctx) -> CommandResult {
    // --without shapes the other state only, as for diff mirrors.
    let without = ctx.settings.without.clone();
    let current = super::resolve_streams_from(ctx, None, &settings.scope, &settings.selections, &[])?;
    let limits = match &ctx.settings.input {
        Input::Files(_, limits) => *limits,
        Input::Cluster(_) => InputLimits::default(),
    };
    let source = FileSource::new(settings.to.clone(), limits);
    let other = super::resolve_streams_from(ctx, Some(&source), &settings.scope, &settings.selections, &without)?;
    let diff = diff_streams(&current.resolutions, &other.resolutions);
    let text = match OutputFormat::from(settings.output) {
        _ if let Some(template) = &settings.template => {
            render::templated_document(vec![&diff], false, template, settings.no_headers)?
        }
        format @ (OutputFormat::Yaml | OutputFormat::Json) => {
            render::document(vec![&diff], format == OutputFormat::Yaml, false)
        }
        _ if diff.changes.is_empty() => String::new(),
        _ => crate::render::what_if::streams_table(
            &diff,
            ctx.settings.terminal.width,
            settings.no_headers,
            ctx.settings.terminal.glyphs,
        ),
    };
    ctx.printer.data(&text)?;
    ctx.printer.notice(&format!(
        "{} of {} tags differ",
        diff.changes.iter().map(|c| &c.tag).collect::<std::collections::BTreeSet<_>>().len(),
        diff.compared
    ));
    // A stream named but in neither state is an error, as for resolve; in one only, a change.
    let nowhere: Vec<_> = current.missing.iter().filter(|m| other.missing.contains(m)).cloned().collect();
    super::report_missing(ctx, &current.catalog, &nowhere);
    Ok(match (nowhere.is_empty(), diff.changes.is_empty()) {
        (false, _) => ExitStatus::Failure,
        (true, false) => ExitStatus::Findings,
        (true, true) => ExitStatus::Success,
    })
}

/// Runs `diff mirrors`.
pub(crate) fn run(settings: &DiffMirrorsSettings, ctx: &mut Ctx) -> CommandResult {
    // --without shapes the proposed state only: the current one is what the input holds.
    let without = ctx.settings.without.clone();
    let current = super::resolve_streams_from(ctx, None, &settings.scope, &settings.selections, &[])?;
    let mut asked = stream_references(&current.resolutions, settings.history);
    if let Some(path) = &settings.images {
        asked.extend(images_file(path, ctx.settings.file_limit)?);
    }
    let proposed = proposed_state(ctx, &current.catalog, &settings.proposed, settings.migrate_icsp, &without)?;
    let diff = diff_plans(&current.resolver, &resolver(&proposed), &asked);
    let text = match OutputFormat::from(settings.output) {
        _ if settings.render => diff.registries_conf.clone(),
        _ if let Some(template) = &settings.template => {
            render::templated_document(vec![&diff], false, template, settings.no_headers)?
        }
        format @ (OutputFormat::Yaml | OutputFormat::Json) => {
            render::document(vec![&diff], format == OutputFormat::Yaml, false)
        }
        _ if diff.changes.is_empty() => String::new(),
        _ => changes_table(&diff, ctx.settings.terminal.width, settings.no_headers, ctx.settings.terminal.glyphs),
    };
    ctx.printer.data(&text)?;
    for line in summary(&diff) {
        match line.starts_with("refused") || line.starts_with("the current") {
            true => ctx.printer.warning(&line),
            false => ctx.printer.notice(&line),
        }
    }
    super::report_missing(ctx, &current.catalog, &current.missing);
    Ok(match (current.missing.is_empty(), diff.differs()) {
        (false, _) => ExitStatus::Failure,
        (true, true) => ExitStatus::Findings,
        (true, false) => ExitStatus::Success,
    })
}

/// The proposed state: `base` with the `paths` laid over it, ICSPs migrated when asked, and
/// the `--without` objects left out. Says which objects the overlay replaced.
pub(crate) fn proposed_state(
    ctx: &mut Ctx,
    base: &Catalog,
    paths: &[std::path::PathBuf],
    migrate_icsp: bool,
    without: &[crate::settings::Without],
) -> Result<Catalog, CommandError> {
    let mut proposed = base.clone();
    if !paths.is_empty() {
        let limits = match &ctx.settings.input {
            Input::Files(_, limits) => *limits,
            Input::Cluster(_) => InputLimits::default(),
        };
        let source = FileSource::new(paths.to_vec(), limits);
        let overlay = super::load_from(ctx, &source, &Wants { mirror_rules: true, ..Wants::default() })?;
        for replaced in proposed.overlay(overlay) {
            ctx.printer.note(&crate::source::LoadNote::Replaced(replaced).to_string());
        }
    }
    super::warn_unplaced_policies(ctx, &crate::mirror::signatures::policies(&proposed).unplaced);
    if migrate_icsp && apply_icsp_migration(&mut proposed).is_empty() {
        ctx.printer.warning("--migrate-icsp: the input holds no ImageContentSourcePolicy");
    }
    super::leave_out(&mut proposed, without)?;
    Ok(proposed)
}

/// The proposed rules, rendered as the operator would.
pub(crate) fn resolver(catalog: &Catalog) -> Resolver {
    Resolver::new(RegistriesConfig::from_catalog(catalog))
}

/// The references of an `--images` file: a release's `image-references` (an ImageStream whose
/// spec tags name the images), or one reference per line, `#` starting a comment.
fn images_file(path: &std::path::Path, limit: u64) -> Result<Vec<Asked>, CommandError> {
    let label = path.display().to_string();
    let text = read_named_text(path, limit, NamedFile::MayBePipe)
        .map_err(|e| CommandError::from(anyhow::Error::new(e).context("cannot read --images")))?;
    if text.contains("ImageStream") {
        let decoded = crate::source::decode::decode(&text)
            .map_err(|e| CommandError::from(anyhow::anyhow!("{label}:{}: {}", e.position, e.message)))?;
        let mut asked = Vec::new();
        for object in decoded.objects {
            if let crate::model::Object::ImageStream(stream) = object.object {
                for tag in stream.spec_tags() {
                    if let Some(from) = tag.from.as_ref().filter(|f| f.kind == "DockerImage") {
                        let reference = from.name.clone();
                        asked.push(Asked {
                            reference,
                            namespace: None,
                            used_by: vec![format!("{label} ({})", tag.name)],
                            import: true,
                        });
                    }
                }
            }
        }
        return Ok(asked);
    }
    Ok(text
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let reference = line.split('#').next().unwrap_or_default().trim();
            (!reference.is_empty()).then(|| Asked {
                reference: reference.to_owned(),
                namespace: None,
                used_by: vec![format!("{label}:{}", i + 1)],
                import: false,
            })
        })
        .collect())
}
