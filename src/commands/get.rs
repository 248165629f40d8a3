//! `isctl get KIND [NAME...]`: objects as `oc get` shows them (openshift-semantics.md 4.1).

use std::process::ExitCode;

use anyhow::Result;
use serde_json::Value;

use super::Ctx;
use crate::cli::GetArgs;
use crate::model::ResourceKind;
use crate::render::columns::{Row as Item, columns, rows};
use crate::render::{self, OutputFormat, table};
use crate::selector::Selector;
use crate::settings::{Scope, SettingsError};
use crate::source::{ObjectsWanted, Wants};

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
    let scope = Scope::resolve(&args.scope, &ctx.default_namespace);
    if scope == Scope::All && !args.names.is_empty() {
        return Err(SettingsError::Usage("a resource cannot be retrieved by name across all namespaces".into()).into());
    }
    let selector = match &args.selector {
        Some(text) => Selector::parse(text).map_err(|e| SettingsError::Usage(e.to_string()))?,
        None => Selector::default(),
    };
    let namespace = scope.namespace().map(str::to_owned);
    let wants = if kind == ResourceKind::ImageStreamTag {
        // Built from streams and Images, as the server builds them.
        let streams: Vec<String> =
            args.names.iter().filter_map(|n| n.split_once(':').map(|(s, _)| s.to_owned())).collect();
        Wants {
            streams: Some((namespace.clone(), streams)),
            stream_images: true,
            namespace_for_unset: namespace,
            ..Wants::default()
        }
    } else {
        Wants {
            objects: Some(ObjectsWanted { kind, namespace: namespace.clone(), names: args.names.clone() }),
            namespace_for_unset: namespace,
            ..Wants::default()
        }
    };
    if kind == ResourceKind::ImageStreamTag
        && let Some(bad) =
            args.names.iter().find(|n| n.split_once(':').is_none_or(|(s, t)| s.is_empty() || t.is_empty()))
    {
        return Err(SettingsError::Usage(format!(
            "{bad:?} is not a valid image stream tag name: must be <stream>:<tag>"
        ))
        .into());
    }
    let catalog = super::load(ctx, &wants)?;
    let mut all: Vec<Option<Item>> = rows(
        kind,
        &catalog,
        scope.namespace(),
        ctx.settings.now,
        matches!(args.output, OutputFormat::Yaml | OutputFormat::Json),
    )
    .into_iter()
    .map(Some)
    .collect();
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
