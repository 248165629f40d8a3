//! `isctl get KIND [NAME...]`: objects as `oc get` shows them (openshift-semantics.md 4.1).

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::Result;
use jiff::Timestamp;
use serde_json::Value;

use super::Ctx;
use crate::catalog::Catalog;
use crate::cli::GetArgs;
use crate::model::meta::parse_time;
use crate::model::{ImageStream, ObjectMeta, ResourceKind};
use crate::render::age::{docker_ago, kube_age};
use crate::render::{self, OutputFormat, table};
use crate::selector::Selector;
use crate::settings::{Scope, SettingsError};
use crate::stream_tags;

/// Width budget of the TAGS column of `oc get is`.
const TAGS_WIDTH: i64 = 40;

/// One object ready to print.
struct Item {
    namespace: String,
    name: String,
    labels: Option<BTreeMap<String, String>>,
    json: Value,
    /// Cells of the default table.
    cells: Vec<String>,
    /// Cells `-o wide` adds.
    wide: Vec<String>,
}

/// Runs `get`.
pub fn run(args: &GetArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let kind = ResourceKind::from_cli_name(&args.kind)
        .filter(|k| !matches!(k, ResourceKind::ImageStreamImage | ResourceKind::ImageStreamLayers))
        .ok_or_else(|| {
            SettingsError::Usage(format!(
                "the resource type {:?} is not one isctl gets; use images, imagestreams (is), imagestreamtags (istag), \
                 imagecontentsourcepolicies (icsp), imagedigestmirrorsets (idms), imagetagmirrorsets (itms) \
                 or images.config.openshift.io",
                args.kind
            ))
        })?;
    let scope = Scope::resolve(&args.scope);
    if scope == Scope::All && !args.names.is_empty() {
        return Err(SettingsError::Usage("a resource cannot be retrieved by name across all namespaces".into()).into());
    }
    let selector = match &args.selector {
        Some(text) => Selector::parse(text).map_err(|e| SettingsError::Usage(e.to_string()))?,
        None => Selector::default(),
    };
    let catalog = super::load(ctx)?;
    let mut all: Vec<Option<Item>> = items(kind, &catalog, &scope, ctx.settings.now).into_iter().map(Some).collect();
    let mut chosen = Vec::new();
    let mut missing = Vec::new();
    if args.names.is_empty() {
        chosen.extend(all.into_iter().flatten());
    } else {
        for name in &args.names {
            match all.iter_mut().find(|i| i.as_ref().is_some_and(|i| &i.name == name)) {
                Some(slot) => chosen.extend(slot.take()),
                None if chosen.iter().any(|i: &Item| &i.name == name) => {}
                None => missing.push(name.clone()),
            }
        }
    }
    chosen.retain(|i| selector.matches(i.labels.as_ref()));
    print(args, ctx, kind, &scope, &chosen)?;
    for name in &missing {
        ctx.printer.error(&format!("Error from server (NotFound): {} \"{name}\" not found", kind.qualified_plural()));
    }
    Ok(if missing.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn print(args: &GetArgs, ctx: &mut Ctx, kind: ResourceKind, scope: &Scope, items: &[Item]) -> Result<()> {
    let namespaced = kind.info().namespaced;
    match args.output {
        OutputFormat::Table | OutputFormat::Wide => {
            if items.is_empty() {
                if args.names.is_empty() {
                    let message = match scope.namespace() {
                        Some(ns) if namespaced => format!("No resources found in {ns} namespace."),
                        _ => "No resources found".to_owned(),
                    };
                    ctx.printer.notice(&message);
                }
                return Ok(());
            }
            let wide = args.output == OutputFormat::Wide;
            let with_namespace = namespaced && *scope == Scope::All;
            let mut header: Vec<&str> = Vec::new();
            if with_namespace {
                header.push("NAMESPACE");
            }
            let (columns, wide_columns) = columns(kind);
            header.extend(columns);
            if wide {
                header.extend(wide_columns);
            }
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|item| {
                    let mut row = Vec::new();
                    if with_namespace {
                        row.push(item.namespace.clone());
                    }
                    row.extend(item.cells.iter().cloned());
                    if wide {
                        row.extend(item.wide.iter().cloned());
                    }
                    row
                })
                .collect();
            let header = (!args.no_headers).then_some(header.as_slice());
            ctx.printer.data(&table::render(header, &rows))?;
        }
        OutputFormat::Name => {
            let text: String = items.iter().map(|i| format!("{}/{}\n", kind.qualified_singular(), i.name)).collect();
            ctx.printer.data(&text)?;
        }
        OutputFormat::Yaml | OutputFormat::Json => {
            let values: Vec<Value> = items.iter().map(|i| i.json.clone()).collect();
            let single = args.names.len() == 1 && values.len() == 1;
            let value = render::list_or_single(values, !single);
            let text =
                if args.output == OutputFormat::Yaml { render::yaml::to_yaml(&value) } else { render::json(&value) };
            ctx.printer.data(&text)?;
        }
    }
    Ok(())
}

/// Column names of a kind's table, then the wide-only ones (oc's printers).
fn columns(kind: ResourceKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        ResourceKind::Image => (&["NAME", "IMAGE REFERENCE"], &[]),
        ResourceKind::ImageStream => (&["NAME", "IMAGE REPOSITORY", "TAGS", "UPDATED"], &[]),
        ResourceKind::ImageStreamTag => (&["NAME", "IMAGE REFERENCE", "UPDATED"], &["IMAGE NAME"]),
        _ => (&["NAME", "AGE"], &[]),
    }
}

/// Every object of `kind` in scope, ordered by namespace and name, with its cells.
fn items(kind: ResourceKind, catalog: &Catalog, scope: &Scope, now: Timestamp) -> Vec<Item> {
    let item = |meta: &ObjectMeta, json: Value, cells: Vec<String>, wide: Vec<String>| Item {
        namespace: meta.namespace().to_owned(),
        name: meta.name().to_owned(),
        labels: meta.labels.clone(),
        json,
        cells,
        wide,
    };
    match kind {
        ResourceKind::ImageStreamTag => stream_tags::all(catalog, scope.namespace())
            .into_iter()
            .map(|tag| {
                let updated = parse_time(tag.metadata.creation_timestamp.as_deref()).map(|t| docker_ago(t, now));
                let cells = vec![
                    tag.metadata.name().to_owned(),
                    tag.image.docker_image_reference.clone().unwrap_or_default(),
                    updated.unwrap_or_default(),
                ];
                let json = serde_json::to_value(&tag).expect("model types serialise");
                item(&tag.metadata, json, cells, vec![tag.image.metadata.name().to_owned()])
            })
            .collect(),
        _ => catalog
            .of_kind(kind)
            .filter(|o| !kind.info().namespaced || scope.contains(o.meta().namespace()))
            .map(|object| {
                let meta = object.meta();
                let cells = match object {
                    crate::model::Object::Image(image) => {
                        vec![meta.name().to_owned(), image.docker_image_reference.clone().unwrap_or_default()]
                    }
                    crate::model::Object::ImageStream(stream) => stream_cells(stream, now),
                    _ => vec![meta.name().to_owned(), kube_age(parse_time(meta.creation_timestamp.as_deref()), now)],
                };
                item(meta, object.to_json(), cells, Vec::new())
            })
            .collect(),
    }
}

/// NAME, IMAGE REPOSITORY, TAGS, UPDATED of `oc get is`.
fn stream_cells(stream: &ImageStream, now: Timestamp) -> Vec<String> {
    let status = stream.status.as_ref();
    let repository = [
        status.and_then(|s| s.public_docker_image_repository.as_deref()),
        stream.spec.as_ref().and_then(|s| s.docker_image_repository.as_deref()),
        status.and_then(|s| s.docker_image_repository.as_deref()),
    ]
    .into_iter()
    .flatten()
    .find(|r| !r.is_empty())
    .unwrap_or_default();
    let updated = stream
        .status_tags()
        .iter()
        .filter_map(|t| parse_time(t.history().first()?.created.as_deref()))
        .max()
        .map(|t| docker_ago(t, now))
        .unwrap_or_default();
    vec![stream.metadata.name().to_owned(), repository.to_owned(), tags_cell(stream), updated]
}

/// The TAGS cell: status tags newest first, cut to a 40-character budget (`printTagsUpToWidth`).
fn tags_cell(stream: &ImageStream) -> String {
    let mut tags: Vec<(i64, &str)> = stream
        .status_tags()
        .iter()
        .map(|t| {
            let created = t.history().first().and_then(|e| parse_time(e.created.as_deref()));
            (created.map_or(i64::MIN, |c| c.as_second()), t.tag.as_str())
        })
        .collect();
    tags.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let mut remaining = TAGS_WIDTH;
    let mut shown = tags.len();
    for (i, (_, tag)) in tags.iter().enumerate() {
        let width = tag.len() as i64 + 1;
        remaining -= width;
        if remaining >= 0 {
            continue;
        }
        let before = remaining + width;
        shown = if i == 0 || (before - 1 > TAGS_WIDTH / 4 && -remaining <= TAGS_WIDTH / 4) { i + 1 } else { i };
        break;
    }
    let mut cell = tags[..shown].iter().map(|(_, t)| *t).collect::<Vec<_>>().join(",");
    if shown < tags.len() {
        cell.push_str(&format!(" + {} more...", tags.len() - shown));
    }
    cell
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_with_tags(tags: &[(&str, &str)]) -> ImageStream {
        let tags: Vec<Value> = tags
            .iter()
            .map(|(name, created)| serde_json::json!({"tag": name, "items": [{"created": created, "image": "sha256:a", "dockerImageReference": "x"}]}))
            .collect();
        serde_json::from_value(serde_json::json!({"metadata": {"name": "s"}, "status": {"tags": tags}})).unwrap()
    }

    #[test]
    fn tags_newest_first_then_by_name() {
        let s = stream_with_tags(&[
            ("b", "2026-01-01T00:00:00Z"),
            ("a", "2026-01-01T00:00:00Z"),
            ("new", "2026-02-01T00:00:00Z"),
        ]);
        assert_eq!(tags_cell(&s), "new,a,b");
    }

    #[test]
    fn tags_cut_at_the_width_budget() {
        let names: Vec<String> = (0..12).map(|i| format!("4.{i}")).collect();
        let tags: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "2026-01-01T00:00:00Z")).collect();
        // Twelve 3-4 character tags: 4.0..4.9 (4 each) use 40, so 4.10 overflows.
        let cell = tags_cell(&stream_with_tags(&tags));
        assert_eq!(cell, "4.0,4.1,4.10,4.11,4.2,4.3,4.4,4.5,4.6 + 3 more...");
        // A single long tag is always shown.
        let long = "x".repeat(60);
        assert_eq!(tags_cell(&stream_with_tags(&[(&long, "2026-01-01T00:00:00Z")])), long);
    }
}
