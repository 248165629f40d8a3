//! `isctl record DIR`: what resolve needs from a cluster, written in must-gather layout so that
//! `--from DIR` and `serve --from DIR` give the same answers as the live cluster did.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::Ctx;
use crate::cli::RecordArgs;
use crate::model::ResourceKind;
use crate::render::yaml::to_yaml;
use crate::settings::{Scope, SettingsError};
use crate::source::Wants;

/// Every digest the streams in scope reference (manifest-list children included), with one
/// tag that references it, for messages.
fn referenced_images(catalog: &crate::catalog::Catalog, scope: &Scope) -> BTreeMap<String, String> {
    let mut referenced = BTreeMap::new();
    for stream in catalog.streams().filter(|s| scope.contains(s.metadata.namespace())) {
        for tag in stream.status_tags() {
            for event in tag.history().iter().filter(|e| !e.image.is_empty()) {
                let label = format!("{}/{}:{}", stream.metadata.namespace(), stream.metadata.name(), tag.tag);
                let mut pending = vec![event.image.clone()];
                while let Some(digest) = pending.pop() {
                    if referenced.contains_key(&digest) {
                        continue;
                    }
                    if let Some(image) = catalog.image(&digest) {
                        pending.extend(image.docker_image_manifests.iter().flatten().map(|m| m.digest.clone()));
                    }
                    referenced.insert(digest, label.clone());
                }
            }
        }
    }
    referenced
}

/// Whether the image `digest` is in the catalog by any route: the Image, an ImageStreamImage, or
/// a stream's layers that list it as present.
fn image_recorded(catalog: &crate::catalog::Catalog, digest: &str) -> bool {
    catalog.image(digest).is_some()
        || catalog.of_kind(ResourceKind::ImageStreamImage).any(|o| match o {
            crate::model::Object::ImageStreamImage(i) => i.image.digest() == digest,
            _ => false,
        })
        || catalog
            .stream_layers()
            .any(|l| l.images.as_ref().and_then(|i| i.get(digest)).is_some_and(|r| r.image_missing != Some(true)))
}

/// Runs `record`.
pub fn run(args: &RecordArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    if args.dir.exists() && std::fs::read_dir(&args.dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(SettingsError::Usage(format!(
            "{} exists and is not empty; record into a new directory",
            args.dir.display()
        ))
        .into());
    }
    let scope = Scope::resolve(&args.scope, &ctx.default_namespace);
    let wants = Wants {
        streams: Some((scope.namespace().map(str::to_owned), Vec::new())),
        stream_images: true,
        mirror_rules: true,
        namespace_for_unset: scope.namespace().map(str::to_owned),
        ..Wants::default()
    };
    let catalog = super::load(ctx, &wants)?;
    let referenced = referenced_images(&catalog, &scope);
    for (digest, tag) in &referenced {
        if !image_recorded(&catalog, digest) {
            ctx.printer.warning(&format!("Image {digest} ({tag}) is not there: recorded without it"));
        }
    }
    // Files: path relative to DIR -> objects for one List file, or one object per file.
    let mut lists: BTreeMap<PathBuf, Vec<Value>> = BTreeMap::new();
    let mut singles: BTreeMap<PathBuf, Value> = BTreeMap::new();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for kind in ResourceKind::ALL {
        for object in catalog.of_kind(kind) {
            if kind.info().namespaced && !scope.contains(object.meta().namespace()) {
                continue;
            }
            // Only the Images the recorded streams reference, offline as live.
            if kind == ResourceKind::Image && !referenced.contains_key(object.meta().name()) {
                continue;
            }
            let meta = object.meta();
            let info = kind.info();
            let label = if kind == ResourceKind::ClusterImageConfig { "cluster image config" } else { info.kind };
            *counts.entry(label).or_default() += 1;
            let base = if info.namespaced {
                Path::new("namespaces").join(meta.namespace()).join(info.group)
            } else {
                Path::new("cluster-scoped-resources").join(info.group)
            };
            match kind {
                // One file per Image, as must-gather writes large collections.
                ResourceKind::Image => {
                    singles.insert(base.join("images").join(format!("{}.yaml", meta.name())), object.to_json());
                }
                ResourceKind::ImageStreamLayers | ResourceKind::ImageStreamImage => {
                    let folder =
                        if kind == ResourceKind::ImageStreamLayers { "imagestreamlayers" } else { "imagestreamimages" };
                    singles.insert(base.join(folder).join(format!("{}.yaml", meta.name())), object.to_json());
                }
                _ => lists.entry(base.join(format!("{}.yaml", info.plural))).or_default().push(object.to_json()),
            }
        }
    }
    let write = |relative: &Path, value: &Value| -> Result<()> {
        let path = args.dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("files live in folders"))
            .with_context(|| format!("creating {}", path.display()))?;
        std::fs::write(&path, to_yaml(value)).with_context(|| format!("writing {}", path.display()))
    };
    for (relative, items) in &lists {
        let kind = items.first().and_then(|i| i.get("kind")).and_then(Value::as_str).unwrap_or_default();
        let api_version = items.first().and_then(|i| i.get("apiVersion")).cloned().unwrap_or(Value::Null);
        let list = json!({"apiVersion": api_version, "items": items, "kind": format!("{kind}List"), "metadata": {"resourceVersion": ""}});
        write(relative, &list)?;
    }
    for (relative, object) in &singles {
        write(relative, object)?;
    }
    if lists.is_empty() && singles.is_empty() {
        std::fs::create_dir_all(&args.dir).with_context(|| format!("creating {}", args.dir.display()))?;
    }
    if !counts.contains_key("ImageStream") {
        ctx.printer.warning("no image streams in scope: the recording holds no streams (pass -n NAMESPACE or -A)");
    }
    let summary: Vec<String> = counts.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    let summary = if summary.is_empty() { "nothing".to_owned() } else { summary.join(", ") };
    ctx.printer.data(&format!("recorded {summary} into {}\n", args.dir.display()))?;
    Ok(ExitCode::SUCCESS)
}
