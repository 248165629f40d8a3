//! `isctl get KIND [NAME...]`: objects as `oc get` shows them (docs/semantics.md
//! §9).

use serde_json::Value;

use super::Ctx;
use crate::catalog::NotFound;
use crate::error::{CommandResult, ExitStatus};
use crate::listing::{self, Listed};
use crate::model::ResourceKind;
use crate::render::columns::{cells, columns};
use crate::render::list_writer::{Format, ListWriter};
use crate::render::{self, OutputFormat, table};
use crate::settings::{GetSettings, Scope};
use crate::source::{ObjectsWanted, Wants};

/// Runs `get`.
pub(crate) fn run(settings: &GetSettings, ctx: &mut Ctx) -> CommandResult {
    let kind = settings.kind;
    let scope = ctx.scope(&settings.scope);
    let namespace = scope.namespace().map(str::to_owned);
    let wants = if kind == ResourceKind::ImageStreamTag {
        // Built from streams and Images, as the server builds them.
        let streams = settings.names.iter().filter_map(|n| n.split_once(':').map(|(s, _)| s.to_owned())).collect();
        Wants {
            streams: Some((namespace.clone(), streams)),
            stream_images: true,
            namespace_for_unset: namespace,
            ..Wants::default()
        }
    } else {
        Wants {
            objects: Some(ObjectsWanted { kind, namespace: namespace.clone(), names: settings.names.clone() }),
            namespace_for_unset: namespace,
            ..Wants::default()
        }
    };
    // Templates and sorting need every object: they are not streamed.
    let plain = settings.template.is_none() && settings.sort_by.is_none();
    if plain && settings.names.is_empty() && kind != ResourceKind::ImageStreamTag && settings.output.is_streamable() {
        return stream(settings, ctx, &scope);
    }
    let catalog = super::load(ctx, &wants)?;
    let mut selected = listing::select(&catalog, kind, scope.namespace(), &settings.names, &settings.selector);
    if let Some(key) = &settings.sort_by {
        let values: Vec<Value> = selected.found.iter().map(Listed::to_json).collect();
        let mut slots: Vec<Option<Listed<'_>>> = std::mem::take(&mut selected.found).into_iter().map(Some).collect();
        let order = crate::render::jsonpath::sort_order(&values, key).map_err(anyhow::Error::msg)?;
        selected.found = order.into_iter().filter_map(|i| slots[i].take()).collect();
    }
    // As kubectl: what was found is printed, then each missing name is an error.
    if !(settings.output.is_document() && selected.found.is_empty() && !selected.missing.is_empty()) {
        print(settings, ctx, &scope, &selected.found)?;
    }
    for name in &selected.missing {
        ctx.printer.error(&NotFound { resource: kind.qualified_plural(), name: name.clone() }.to_string());
    }
    Ok(if selected.missing.is_empty() { ExitStatus::Success } else { ExitStatus::Failure })
}

/// A whole list as YAML, JSON or names, written item by item as the source hands them over:
/// a cluster's list is never held whole (the output is byte for byte what [`print`] writes).
fn stream(settings: &GetSettings, ctx: &mut Ctx, scope: &Scope) -> CommandResult {
    let kind = settings.kind;
    let format = match settings.output {
        OutputFormat::Yaml => Some(Format::Yaml),
        OutputFormat::Json => Some(Format::Json),
        _ => None,
    };
    let mut writer: Option<ListWriter<Vec<u8>>> = format.map(|f| ListWriter::new(Vec::new(), f));
    let selector = &settings.selector;
    super::each(ctx, kind, scope.namespace(), &mut |object, printer| {
        if !selector.matches(object.meta().labels.as_ref()) {
            return Ok(());
        }
        match &mut writer {
            Some(writer) => {
                writer.item(&object.to_json())?;
                printer.data_part(&std::mem::take(writer.output()))
            }
            None => printer.data_part(format!("{}/{}\n", kind.qualified_singular(), object.meta().name()).as_bytes()),
        }
    })?;
    if let Some(writer) = writer {
        ctx.printer.data_part(&writer.finish()?)?;
    }
    ctx.printer.flush_data()?;
    Ok(ExitStatus::Success)
}

fn print(settings: &GetSettings, ctx: &mut Ctx, scope: &Scope, items: &[Listed<'_>]) -> std::io::Result<()> {
    let kind = settings.kind;
    let namespaced = kind.info().namespaced;
    if let Some(template) = &settings.template {
        let values: Vec<Value> = items.iter().map(Listed::to_json).collect();
        let single = settings.names.len() == 1 && values.len() == 1;
        // As kubectl: custom columns print the rows before a failing one, then the error.
        let (text, error) = template.apply_partial(&render::list_or_single(values, !single), settings.no_headers);
        if !text.is_empty() {
            ctx.printer.data(&text)?;
        }
        return match error {
            None => Ok(()),
            Some(error) => Err(std::io::Error::other(error)),
        };
    }
    match settings.output {
        OutputFormat::Table | OutputFormat::Wide => {
            if items.is_empty() {
                if settings.names.is_empty() {
                    let message = match scope.namespace() {
                        Some(ns) if namespaced => format!("No resources found in {ns} namespace."),
                        _ => "No resources found".to_owned(),
                    };
                    ctx.printer.notice(&message);
                }
                return Ok(());
            }
            let wide = settings.output == OutputFormat::Wide;
            let with_namespace = namespaced && *scope == Scope::All;
            let mut header: Vec<&str> = Vec::new();
            if with_namespace {
                header.push("NAMESPACE");
            }
            let (names, wide_names) = columns(kind);
            header.extend(names);
            if wide {
                header.extend(wide_names);
            }
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|item| {
                    let (cells, wide_cells) = cells(item, ctx.settings.now);
                    let mut row = Vec::new();
                    if with_namespace {
                        row.push(item.meta().namespace().to_owned());
                    }
                    row.extend(cells);
                    if wide {
                        row.extend(wide_cells);
                    }
                    row
                })
                .collect();
            let header = (!settings.no_headers).then_some(header.as_slice());
            ctx.printer.data(&table::kubectl(header, &rows))
        }
        OutputFormat::Name => {
            let text: String =
                items.iter().map(|i| format!("{}/{}\n", kind.qualified_singular(), i.meta().name())).collect();
            ctx.printer.data(&text)
        }
        OutputFormat::Yaml | OutputFormat::Json => {
            let values: Vec<Value> = items.iter().map(Listed::to_json).collect();
            let single = settings.names.len() == 1 && values.len() == 1;
            let value = render::list_or_single(values, !single);
            let text = if settings.output == OutputFormat::Yaml {
                render::yaml::kubectl_yaml(&value)
            } else {
                render::json(&value)
            };
            ctx.printer.data(&text)
        }
    }
}
