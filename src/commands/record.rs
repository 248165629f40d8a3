//! `isctl record DIR`: what resolve needs from a cluster (with `--workloads`, what `consumers`
//! needs too), written in must-gather layout so that `--from DIR` and `serve --from DIR` give
//! the same answers as the live cluster did.
//!
//! Workloads are written as `consumers` reads them: pruned to their images, triggers and
//! owners ([`crate::model::workload::prune`]), so a recording holds no environment values, commands
//! or other fields of a Pod that isctl never reads.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::Ctx;
use crate::catalog::Catalog;
use crate::error::{CommandResult, ExitStatus};
use crate::image_index::ImageIndex;
use crate::listing;
use crate::model::{Family, ResourceKind};
use crate::render::yaml::to_yaml;
use crate::settings::{RecordSettings, Scope};
use crate::source::{ObjectsWanted, Wants};

/// Every digest the streams in scope reference (manifest-list children included), with one
/// tag that references it, for messages.
fn referenced_images(catalog: &Catalog, index: &ImageIndex<'_>, scope: &Scope) -> BTreeMap<String, String> {
    let mut referenced = BTreeMap::new();
    for stream in catalog.streams_in(scope.namespace()) {
        let meta = &stream.metadata;
        for (digest, tag) in crate::image_index::referenced_digests_by_tag(stream, |d| index.children(d)) {
            let label = || format!("{}/{}:{tag}", meta.namespace(), meta.name());
            referenced.entry(digest).or_insert_with(label);
        }
    }
    referenced
}

/// Where an object goes inside DIR: its own file, or one List file per kind and namespace.
enum Relative {
    Single(PathBuf),
    List(PathBuf),
}

/// The must-gather path of an object, relative to DIR, built only from checked segments.
fn relative_path(kind: ResourceKind, meta: &crate::model::ObjectMeta) -> Result<Relative, String> {
    let info = kind.info();
    // oc adm inspect writes the core group as `core`.
    let group = if info.group.is_empty() { "core" } else { info.group };
    let mut segments: Vec<&str> = if info.namespaced {
        vec!["namespaces", meta.namespace(), group]
    } else {
        vec!["cluster-scoped-resources", group]
    };
    let file;
    let single = match kind {
        // One file per Image, as must-gather writes large collections.
        ResourceKind::Image => Some("images"),
        ResourceKind::ImageStreamLayers => Some("imagestreamlayers"),
        ResourceKind::ImageStreamImage => Some("imagestreamimages"),
        // Cluster-scoped RBAC objects one per file, as oc adm inspect writes them.
        ResourceKind::ClusterRole => Some("clusterroles"),
        ResourceKind::ClusterRoleBinding => Some("clusterrolebindings"),
        _ => None,
    };
    if let Some(folder) = single {
        segments.push(folder);
        // The name itself must be a valid segment, before ".yaml" makes ".." look harmless.
        if let Some(problem) = crate::names::path_segment_problem(meta.name()) {
            return Err(format!("the name {problem}"));
        }
        file = file_name(meta.name());
    } else {
        file = format!("{}.yaml", info.plural);
    }
    segments.push(&file);
    if info.namespaced
        && let Some(problem) = crate::names::path_segment_problem(meta.namespace())
    {
        return Err(format!("the namespace {problem}"));
    }
    // A namespace's directory is named by it (a one-namespace read skips the others by name),
    // so a namespace too long for a file name is not encoded but skipped.
    if info.namespaced && meta.namespace().len() > NAME_MAX {
        return Err(format!("the namespace is longer than a file name may be ({NAME_MAX} bytes)"));
    }
    let path = crate::names::join_segments(Path::new(""), &segments)?;
    Ok(if single.is_some() { Relative::Single(path) } else { Relative::List(path) })
}

/// The longest file name most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// `NAME.yaml`, or for a name too long for a file name (an RBAC name may be any length) its
/// first 200 bytes, `~` and a hash of the whole name: what an object is comes from its content,
/// never from its file's name, so the recording reads back the same.
fn file_name(name: &str) -> String {
    let plain = format!("{name}.yaml");
    if plain.len() <= NAME_MAX {
        return plain;
    }
    let mut cut = 200;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    // FNV-1a (64 bits): stable across builds, unlike the standard library's hasher.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{}~{hash:016x}.yaml", &name[..cut])
}

/// The files of a recording, relative to DIR: List files and one-object files.
#[derive(Default)]
struct Files {
    lists: BTreeMap<PathBuf, Vec<Value>>,
    singles: BTreeMap<PathBuf, Value>,
    /// Objects recorded, by what the summary calls them.
    counts: BTreeMap<&'static str, usize>,
}

impl Files {
    /// Writes the files under `dir` (created if missing).
    fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let write = |relative: &Path, value: &Value| -> Result<()> {
            let path = dir.join(relative);
            let parent = path.parent().unwrap_or(dir);
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            std::fs::write(&path, to_yaml(value)).with_context(|| format!("writing {}", path.display()))
        };
        for (relative, items) in &self.lists {
            let kind = items.first().and_then(|i| i.get("kind")).and_then(Value::as_str).unwrap_or_default();
            let api_version = items.first().and_then(|i| i.get("apiVersion")).cloned().unwrap_or(Value::Null);
            let list = json!({"apiVersion": api_version, "items": items, "kind": format!("{kind}List"), "metadata": {"resourceVersion": ""}});
            write(relative, &list)?;
        }
        for (relative, object) in &self.singles {
            write(relative, object)?;
        }
        Ok(())
    }
}

/// Which object goes into which file. Every namespace and name that becomes part of a path is
/// checked first: nothing is written outside DIR, and an object whose name cannot be a file
/// name is reported and skipped.
fn plan_files(ctx: &mut Ctx, catalog: &Catalog, scope: &Scope, referenced: Option<&BTreeMap<String, String>>) -> Files {
    let mut files = Files::default();
    for kind in ResourceKind::ALL {
        for object in listing::stored(catalog, kind, scope.namespace()) {
            // Only the Images the recorded streams reference (every one with --all-images).
            if kind == ResourceKind::Image && referenced.is_some_and(|r| !r.contains_key(object.meta().name())) {
                continue;
            }
            let meta = object.meta();
            // Only what isctl reads of a workload: consumers reads a pruned copy too.
            let json = || match kind.family() {
                Family::Workload => {
                    let mut pruned = object.clone();
                    crate::model::workload::prune(&mut pruned);
                    pruned.to_json()
                }
                Family::Image | Family::Access | Family::Limit => object.to_json(),
            };
            let planned = relative_path(kind, meta).and_then(|relative| match relative {
                Relative::Single(path) if files.singles.contains_key(&path) => {
                    Err("its file name is taken by another object's (a long name's hash collides)".to_owned())
                }
                relative => Ok(relative),
            });
            match planned {
                Ok(Relative::Single(path)) => {
                    files.singles.insert(path, json());
                }
                Ok(Relative::List(path)) => files.lists.entry(path).or_default().push(json()),
                Err(problem) => {
                    let place = match kind.info().namespaced {
                        true => format!(" in namespace {:?}", meta.namespace()),
                        false => String::new(),
                    };
                    let (what, name) = (kind.info().kind, meta.name());
                    ctx.printer.warning(&format!(
                        "skipped {what} {name:?}{place}: {problem}, so it cannot be written as a file"
                    ));
                    continue;
                }
            }
            let label =
                if kind == ResourceKind::ClusterImageConfig { "cluster image config" } else { kind.info().kind };
            *files.counts.entry(label).or_default() += 1;
        }
    }
    files
}

/// Runs `record`.
pub(crate) fn run(args: &RecordSettings, ctx: &mut Ctx) -> CommandResult {
    let scope = ctx.scope(&args.scope);
    // Every Image, or only those the streams reference (and the children of lists among them).
    let all_images =
        args.all_images.then(|| ObjectsWanted { kind: ResourceKind::Image, namespace: None, names: Vec::new() });
    let wants = Wants {
        streams: Some((scope.namespace().map(str::to_owned), Vec::new())),
        stream_images: all_images.is_none(),
        objects: all_images,
        mirror_rules: true,
        workloads: args.workloads.then(|| scope.namespace().map(str::to_owned)),
        namespace_for_unset: scope.namespace().map(str::to_owned),
        ..Wants::default()
    };
    let catalog = super::load(ctx, &wants)?;
    let index = ImageIndex::new(&catalog);
    let referenced = referenced_images(&catalog, &index, &scope);
    for (digest, tag) in &referenced {
        if !index.is_recorded(digest) {
            ctx.printer.warning(&format!("Image {digest} ({tag}) is not there: recorded without it"));
        }
    }
    let files = plan_files(ctx, &catalog, &scope, (!args.all_images).then_some(&referenced));
    files.write(&args.dir)?;
    let counts = files.counts;
    if !counts.contains_key("ImageStream") {
        ctx.printer.warning("no image streams in scope: the recording holds no streams (pass -n NAMESPACE or -A)");
    }
    let summary: Vec<String> = counts.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    let summary = if summary.is_empty() { "nothing".to_owned() } else { summary.join(", ") };
    ctx.printer.data(&format!("recorded {summary} into {}\n", args.dir.display()))?;
    Ok(ExitStatus::Success)
}
