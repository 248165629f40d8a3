//! `isctl resolve [STREAM[:TAG]...]`: every tag's history joined to its Images and to the places
//! a node pulls each digest from.

use std::process::ExitCode;

use anyhow::Result;

use super::Ctx;
use crate::cli::ResolveArgs;
use crate::mirror::{RegistriesConfig, Resolver};
use crate::render::resolution::{TableOptions, TimeColumn};
use crate::render::{self, OutputFormat};
use crate::resolve::{Missing, Request, resolve};
use crate::settings::{Scope, SettingsError};
use crate::source::Wants;

/// Runs `resolve`.
pub fn run(args: &ResolveArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    let scope = Scope::resolve(&args.scope, &ctx.default_namespace);
    if scope == Scope::All && !args.streams.is_empty() {
        return Err(SettingsError::Usage("a resource cannot be retrieved by name across all namespaces".into()).into());
    }
    if args.output == OutputFormat::Name {
        return Err(
            SettingsError::Usage("-o name is not supported by resolve; use table, wide, yaml or json".into()).into()
        );
    }
    let mut selections = Vec::new();
    for stream in &args.streams {
        let (name, tag) = match stream.split_once(':') {
            Some((name, tag)) => (name, Some(tag.to_owned())),
            None => (stream.as_str(), None),
        };
        if name.is_empty() || tag.as_deref() == Some("") || stream.contains('@') {
            return Err(SettingsError::Usage(format!("{stream:?} is not STREAM or STREAM:TAG")).into());
        }
        selections.push((name.to_owned(), tag));
    }
    let mut names: Vec<String> = selections.iter().map(|(name, _)| name.clone()).collect();
    names.dedup();
    let wants = Wants {
        streams: Some((scope.namespace().map(str::to_owned), names)),
        stream_images: true,
        mirror_rules: true,
        ..Wants::default()
    };
    let catalog = super::load(ctx, &wants)?;
    let resolver = Resolver::new(RegistriesConfig::from_catalog(&catalog));
    for conflict in &resolver.config().conflicts {
        ctx.printer.warning(&format!(
            "conflict: {}: {}; the operator would not render these mirror rules",
            conflict.source, conflict.message
        ));
    }
    let request = Request { namespace: scope.namespace().map(str::to_owned), selections };
    let (resolutions, missing) = resolve(&catalog, &resolver, &request);
    let mut warned = std::collections::BTreeSet::new();
    for warning in resolutions.iter().flat_map(|r| r.warnings.iter()) {
        if warned.insert(warning.clone()) {
            ctx.printer.warning(warning);
        }
    }
    let text = match args.output {
        OutputFormat::Yaml | OutputFormat::Json => {
            let single = args.streams.len() == 1 && resolutions.len() == 1;
            render::document(resolutions, args.output == OutputFormat::Yaml, !single)
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
        let message = match gap {
            Missing::Stream { name, .. } => format!("imagestreams.image.openshift.io \"{name}\" not found"),
            Missing::Tag { stream, tag, .. } => {
                format!("imagestreamtags.image.openshift.io \"{stream}:{tag}\" not found")
            }
        };
        ctx.printer.error(&format!("Error from server (NotFound): {message}"));
    }
    Ok(if missing.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
