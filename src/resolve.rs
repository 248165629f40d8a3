//! The main job, as a pure function: for each tag of a stream, its history joined to the Image
//! objects and to the places a node pulls each digest from. The result is the versioned
//! `ImageStreamResolution` document (docs/resolution.md); renderers only format it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::catalog::Catalog;
use crate::image_index::{Found, ImageIndex};
use crate::mirror::plan::{PolicyVerdict, PullSource, Resolver, SourceKind};
use crate::mirror::pull_through::{PullThrough, PullThroughPlan, Release};
use crate::model::imagestream::{TagEvent, TagEventCondition, TagIndex, TagReference};
use crate::model::{Image, ImageStream};
use crate::reference::Reference;
use crate::stream_tags::pull_spec;
use crate::tag_order;

/// One stream, resolved (`kind: ImageStreamResolution`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamResolution {
    /// `isctl/v1alpha1`.
    pub(crate) api_version: &'static str,
    /// `ImageStreamResolution`.
    pub kind: &'static str,
    /// The stream's name and namespace.
    pub metadata: ResolutionMeta,
    /// `status.dockerImageRepository`: where `Local` tags are pulled from.
    pub(crate) docker_image_repository: Option<String>,
    /// `status.publicDockerImageRepository`.
    pub(crate) public_docker_image_repository: Option<String>,
    /// Tags in oc's order.
    pub tags: Vec<TagResolution>,
    /// Everything incomplete about this answer.
    pub warnings: Vec<String>,
}

/// Name and namespace of the resolved stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResolutionMeta {
    /// Stream name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
}

/// One tag.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagResolution {
    /// Tag name.
    pub name: String,
    /// For a tag that follows another tag of this stream: the tag it ends at.
    pub(crate) alias_of: Option<String>,
    /// Tags of this stream that follow this one.
    pub aliases: Vec<String>,
    /// The spec tag, `null` for a tag that only has status (pushed).
    pub spec: Option<TagSpec>,
    /// The spec asks for a newer generation than the last import observed.
    pub(crate) import_pending: bool,
    /// The last import failed (`ImportSuccess` is `False`).
    pub(crate) import_failed: Option<ImportFailure>,
    /// The status tag's conditions as recorded.
    pub conditions: Vec<TagEventCondition>,
    /// History, newest first; `current` marks `items[0]`.
    pub history: Vec<HistoryItem>,
}

/// What a spec tag asks for.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagSpec {
    /// `from.kind`, `from.name` and `from.namespace`.
    pub from: Option<SpecFrom>,
    /// A reference tag is never imported.
    pub reference: bool,
    /// Spec generation.
    pub generation: Option<i64>,
    /// Periodic re-import.
    pub(crate) scheduled: bool,
    /// `Legacy` or `PreserveOriginal` (empty when unset).
    pub(crate) import_mode: String,
    /// `Source` or `Local`.
    pub(crate) reference_policy: String,
}

/// `from` of a spec tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpecFrom {
    /// `DockerImage`, `ImageStreamTag` or `ImageStreamImage`.
    pub kind: String,
    /// What it names.
    pub name: String,
    /// Namespace of a referenced stream, if another.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// A failed import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImportFailure {
    /// `NotFound`, `Unauthorized`, `InternalError`...
    pub reason: String,
    /// The registry's message.
    pub message: String,
    /// When the condition last changed.
    pub(crate) last_transition_time: Option<String>,
}

/// One history entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryItem {
    /// True for `items[0]`.
    pub current: bool,
    /// Spec generation that produced it.
    pub generation: Option<i64>,
    /// When the tag started pointing here.
    pub created: Option<String>,
    /// The image digest; empty for a reference tag.
    pub image: String,
    /// The pull spec the stream recorded.
    pub(crate) docker_image_reference: String,
    /// The pull spec a pod gets (the integrated registry for `Local`).
    pub(crate) pull_spec: String,
    /// Whether the Image was found in the input, by any route.
    pub(crate) image_found: bool,
    /// Where the image details came from: `Image`, `ImageStreamTag`, `ImageStreamImage`,
    /// `ImageStreamLayers`, or `null` when the input does not hold it.
    pub(crate) image_from: Option<&'static str>,
    /// Details of the image, when found.
    pub(crate) image_info: Option<ImageInfo>,
    /// Where a node pulls `pullSpec` from, in order (docs/pull-plan.md `sources`).
    pub(crate) pull_sources: Vec<PullSource>,
    /// The policy.json verdict on `pullSpec`.
    pub policy: PolicyVerdict,
    /// For `Local`: where a node would pull the original reference from (the node's algorithm,
    /// docs/pull-plan.md `sources`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) upstream_pull_sources: Option<Vec<PullSource>>,
    /// For `Local`: where the integrated registry's pull-through fetches the image from (its own,
    /// simpler algorithm; docs/semantics.md §7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pull_through: Option<PullThroughPlan>,
    /// For `Local`: where the two hops disagree, one entry per source.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) hops_disagree: Vec<HopDifference>,
    /// Why pulling fails before any source is tried (an invalid rewrite or reference).
    pub errors: Vec<String>,
    /// With `--verify`: the registries' answers for the current item's sources (for `Local`,
    /// the node's sources of the recorded reference) and the source that serves it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<crate::verify::Verification>,
}

impl HistoryItem {
    /// The sources `--verify` asks for the item: its own; for `Local`, the node's sources of
    /// the recorded reference, which the integrated registry pulls through. The registry
    /// verifies no signature on that fetch (the node checks the integrated registry's
    /// reference, which `pull_sources` carries), so these ask for none.
    pub(crate) fn verified_sources(&self) -> Vec<PullSource> {
        match &self.upstream_pull_sources {
            Some(upstream) => upstream.iter().map(|s| PullSource { signatures: Vec::new(), ..s.clone() }).collect(),
            None => self.pull_sources.clone(),
        }
    }
}

/// One way the two hops of a `Local` tag differ: what a node would do with the original
/// reference against what the integrated registry's pull-through does (docs/semantics.md §7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HopDifference {
    /// What differs.
    pub kind: HopDifferenceKind,
    /// The source concerned.
    pub reference: String,
}

/// How the hops differ. The first two can change where an image comes from (a disconnected
/// cluster's mirror is skipped, or a registry the cluster must never contact is contacted); the
/// third only adds a fallback.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum HopDifferenceKind {
    /// Nodes would use this mirror; the pull-through never tries it.
    NodeMirrorSkipped,
    /// Nodes may never contact this source; the pull-through contacts it.
    BlockedSourceContacted,
    /// The pull-through tries this mirror; nodes would not.
    ExtraPullThroughMirror,
}

impl HopDifferenceKind {
    /// Whether the difference can change where the image comes from (worth a warning).
    pub(crate) fn matters(self) -> bool {
        self != HopDifferenceKind::ExtraPullThroughMirror
    }
}

/// Facts about one image.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImageInfo {
    /// Manifest media type.
    pub(crate) media_type: Option<String>,
    /// Size in bytes as recorded (`dockerImageMetadata.Size`, or layers summed).
    pub size: Option<i64>,
    /// Number of layers.
    pub layers: usize,
    /// OS, when recorded.
    pub os: Option<String>,
    /// CPU architecture, when recorded.
    pub architecture: Option<String>,
    /// Creation time of the image config.
    pub created: Option<String>,
    /// For a manifest list, its children.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub manifests: Vec<ChildManifest>,
}

/// One child of a manifest list.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ChildManifest {
    /// Child digest.
    pub digest: String,
    /// Platform OS.
    pub os: Option<String>,
    /// Platform architecture.
    pub architecture: Option<String>,
    /// Platform variant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Whether the child's Image is in the input.
    pub(crate) image_found: bool,
    /// The child's pull spec (the list's repository at the child digest).
    pub(crate) pull_spec: String,
    /// Where a node pulls the child from.
    pub(crate) pull_sources: Vec<PullSource>,
}

/// `STREAM` or `STREAM:TAG`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    /// The stream.
    pub stream: String,
    /// One tag, or every tag when `None`.
    pub tag: Option<String>,
}

/// Which streams and tags to resolve.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Namespace, or `None` for all.
    pub namespace: Option<String>,
    /// Selections; empty means every stream in scope.
    pub selections: Vec<Selection>,
}

/// What the loaded input lacks, for warnings that apply to every stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InputGaps {
    /// No Image objects of any kind were loaded.
    pub(crate) no_images: bool,
    /// No ICSP, IDMS or ITMS was loaded.
    pub(crate) no_mirror_rules: bool,
}

impl InputGaps {
    /// What the gaps mean for every answer, one sentence each.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.no_images {
            warnings.push(NO_IMAGES.to_owned());
        }
        if self.no_mirror_rules {
            warnings.push(NO_MIRROR_RULES.to_owned());
        }
        warnings
    }

    /// Looks at what the catalog holds.
    pub fn of(catalog: &Catalog) -> InputGaps {
        use crate::model::ResourceKind::*;
        InputGaps {
            no_images: ![Image, ImageStreamTag, ImageStreamImage, ImageStreamLayers]
                .into_iter()
                .any(|k| catalog.has_kind(k)),
            no_mirror_rules: ![ImageContentSourcePolicy, ImageDigestMirrorSet, ImageTagMirrorSet]
                .into_iter()
                .any(|k| catalog.has_kind(k)),
        }
    }
}

const NO_IMAGES: &str =
    "image details unknown: the input holds no Image, ImageStreamTag, ImageStreamImage or ImageStreamLayers objects";
const NO_MIRROR_RULES: &str = "pull sources assume no mirrors: the input holds no ImageContentSourcePolicy, ImageDigestMirrorSet or ImageTagMirrorSet";

/// A selection that names nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// No such stream in the namespace.
    Stream {
        /// Namespace.
        namespace: String,
        /// Stream.
        name: String,
    },
    /// The stream has no such tag.
    Tag {
        /// Namespace.
        namespace: String,
        /// Stream.
        stream: String,
        /// Tag.
        tag: String,
    },
}

impl Missing {
    /// The resource and name the API server would say are not found.
    pub fn not_found(&self) -> crate::catalog::NotFound {
        let (resource, name) = match self {
            Missing::Stream { name, .. } => ("imagestreams.image.openshift.io", name.clone()),
            Missing::Tag { stream, tag, .. } => ("imagestreamtags.image.openshift.io", format!("{stream}:{tag}")),
        };
        crate::catalog::NotFound { resource: resource.to_owned(), name }
    }
}

/// Resolves the requested streams. Returns the resolutions (by namespace, then name) and the
/// selections that named nothing.
pub fn resolve(catalog: &Catalog, resolver: &Resolver, request: &Request) -> (Vec<StreamResolution>, Vec<Missing>) {
    let gaps = InputGaps::of(catalog);
    let index = ImageIndex::new(catalog);
    let mut missing = Vec::new();
    let mut chosen: BTreeMap<(String, String), Option<BTreeSet<String>>> = BTreeMap::new();
    if request.selections.is_empty() {
        for stream in catalog.streams_in(request.namespace.as_deref()) {
            chosen.insert((stream.metadata.namespace().to_owned(), stream.metadata.name().to_owned()), None);
        }
    } else {
        let namespace = request.namespace.clone().unwrap_or_default();
        for Selection { stream: name, tag } in &request.selections {
            let Some(stream) = catalog.stream(&namespace, name) else {
                missing.push(Missing::Stream { namespace: namespace.clone(), name: name.clone() });
                continue;
            };
            let key = (namespace.clone(), name.clone());
            match tag {
                None => {
                    chosen.insert(key, None);
                }
                Some(tag) if TagIndex::new(stream).names().contains(tag.as_str()) => {
                    // A whole-stream selection (None) already covers every tag.
                    if let Some(tags) = chosen.entry(key).or_insert_with(|| Some(BTreeSet::new())) {
                        tags.insert(tag.clone());
                    }
                }
                Some(tag) => {
                    missing.push(Missing::Tag { namespace: namespace.clone(), stream: name.clone(), tag: tag.clone() })
                }
            }
        }
    }
    let pull_through = PullThrough::from_catalog(catalog, Release::Current);
    let context = Context { index: &index, resolver, pull_through: &pull_through, gaps: &gaps };
    let resolutions = chosen
        .into_iter()
        .filter_map(|((ns, name), tags)| Some(resolve_stream(catalog.stream(&ns, &name)?, tags.as_ref(), &context)))
        .collect();
    (resolutions, missing)
}

/// What every stream's resolution reads.
struct Context<'a> {
    index: &'a ImageIndex<'a>,
    resolver: &'a Resolver,
    pull_through: &'a PullThrough,
    gaps: &'a InputGaps,
}

/// Follows `ImageStreamTag` references within the same stream to the spec tag they end at, as
/// oc's `FollowTagReference` does; a tag is an alias only when the chain has at least one hop
/// and ends at a spec tag that is not itself a reference to another tag. A chain that loops,
/// leaves the stream or namespace, or ends at a tag without a spec entry (a pushed tag) makes
/// no alias.
fn alias_target(table: &TagIndex<'_>, tag: &str) -> Option<String> {
    let stream = table.stream;
    let mut current = tag.to_owned();
    let mut seen = BTreeSet::new();
    let mut hops = 0;
    loop {
        if !seen.insert(current.clone()) {
            return None;
        }
        let spec = table.spec.get(current.as_str())?;
        let Some(from) = spec.from.as_ref().filter(|f| f.kind == "ImageStreamTag") else {
            return (hops > 0).then_some(current);
        };
        if from.namespace.as_deref().is_some_and(|ns| !ns.is_empty() && ns != stream.metadata.namespace()) {
            return None;
        }
        current = match from.name.split_once(':') {
            // `SplitImageStreamTag`: an empty tag means `latest`.
            Some((name, tag)) if name == stream.metadata.name() => {
                if tag.is_empty() {
                    "latest".to_owned()
                } else {
                    tag.to_owned()
                }
            }
            Some(_) => return None,
            None => from.name.clone(),
        };
        hops += 1;
    }
}

fn resolve_stream(stream: &ImageStream, only: Option<&BTreeSet<String>>, context: &Context<'_>) -> StreamResolution {
    let table = TagIndex::new(stream);
    let all_names = table.names();
    let mut names: Vec<String> =
        all_names.iter().filter(|t| only.is_none_or(|o| o.contains(**t))).map(|t| (*t).to_owned()).collect();
    tag_order::sort(&mut names);
    let targets: BTreeMap<String, String> =
        all_names.iter().filter_map(|t| alias_target(&table, t).map(|target| ((*t).to_owned(), target))).collect();
    let mut warnings = context.gaps.warnings();
    let mut missing_images = BTreeSet::new();
    let tags = names
        .iter()
        .map(|name| {
            let tag = resolve_tag(&table, name, context);
            for item in tag.history.iter().filter(|i| !i.image.is_empty() && !i.image_found) {
                missing_images.insert((item.image.clone(), name.clone()));
            }
            let mut aliases: Vec<String> = targets.iter().filter(|(_, t)| *t == name).map(|(a, _)| a.clone()).collect();
            tag_order::sort(&mut aliases);
            TagResolution { alias_of: targets.get(name).cloned(), aliases, ..tag }
        })
        .collect();
    if !context.gaps.no_images {
        for (digest, tag) in missing_images {
            warnings.push(format!(
                "Image {digest} ({}/{}:{tag}) is not in the input",
                stream.metadata.namespace(),
                stream.metadata.name()
            ));
        }
    }
    let status = stream.status.as_ref();
    StreamResolution {
        api_version: "isctl/v1alpha1",
        kind: "ImageStreamResolution",
        metadata: ResolutionMeta {
            name: stream.metadata.name().to_owned(),
            namespace: stream.metadata.namespace().to_owned(),
        },
        docker_image_repository: status.and_then(|s| s.docker_image_repository.clone()).filter(|s| !s.is_empty()),
        public_docker_image_repository: status
            .and_then(|s| s.public_docker_image_repository.clone())
            .filter(|s| !s.is_empty()),
        tags,
        warnings,
    }
}

fn resolve_tag(table: &TagIndex<'_>, name: &str, context: &Context<'_>) -> TagResolution {
    let spec_tag = table.spec.get(name).copied();
    let status = table.status.get(name).copied();
    let history: &[TagEvent] = status.map(|s| s.history()).unwrap_or_default();
    let conditions: Vec<TagEventCondition> = status.and_then(|s| s.conditions.clone()).unwrap_or_default();
    let failed = status.and_then(|s| s.failed_import());
    // oc's latestObservedTagGeneration: items[0]'s generation, or the first ImportSuccess
    // condition's when newer, whatever its status; 0 when nothing was observed.
    let import_condition = conditions.iter().find(|c| c.kind == "ImportSuccess");
    let observed = history
        .first()
        .and_then(|e| e.generation)
        .unwrap_or(0)
        .max(import_condition.and_then(|c| c.generation).unwrap_or(0));
    let import_pending = spec_tag.is_some_and(|s| {
        !s.reference.unwrap_or(false) && s.from.is_some() && s.generation.is_some_and(|g| g > observed)
    });
    TagResolution {
        name: name.to_owned(),
        alias_of: None,
        aliases: Vec::new(),
        spec: spec_tag.map(tag_spec),
        import_pending,
        import_failed: failed.map(|c| ImportFailure {
            reason: c.reason.clone().unwrap_or_default(),
            message: c.message.clone().unwrap_or_default(),
            last_transition_time: c.last_transition_time.clone(),
        }),
        conditions,
        history: history
            .iter()
            .enumerate()
            .map(|(i, event)| history_item(table.stream, spec_tag, name, event, i == 0, context))
            .collect(),
    }
}

fn tag_spec(spec: &TagReference) -> TagSpec {
    let policy = spec.import_policy.as_ref();
    TagSpec {
        from: spec.from.as_ref().map(|f| SpecFrom {
            kind: f.kind.clone(),
            name: f.name.clone(),
            namespace: f.namespace.clone(),
        }),
        reference: spec.reference.unwrap_or(false),
        generation: spec.generation,
        scheduled: policy.and_then(|p| p.scheduled).unwrap_or(false),
        import_mode: policy.and_then(|p| p.import_mode.clone()).unwrap_or_default(),
        reference_policy: spec
            .reference_policy
            .as_ref()
            .map(|p| p.kind.clone())
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| "Source".into()),
    }
}

fn history_item(
    stream: &ImageStream,
    spec_tag: Option<&TagReference>,
    tag: &str,
    event: &TagEvent,
    current: bool,
    context: &Context<'_>,
) -> HistoryItem {
    let pull_spec = pull_spec(stream, spec_tag, event);
    // A node pulls it for a Pod of the stream's namespace: that namespace's ImagePolicies apply.
    let namespace = Some(stream.metadata.namespace());
    let plan = context.resolver.plan_in(&pull_spec, namespace);
    let local = pull_spec != event.docker_image_reference;
    let upstream = local.then(|| context.resolver.plan_in(&event.docker_image_reference, namespace).sources);
    // The registry fetches by the item's digest from the recorded reference's repository.
    let pull_through = (local && !event.image.is_empty()).then(|| {
        let repository = event.docker_image_reference.split('@').next().unwrap_or_default();
        let repository =
            Reference::parse_normalized(repository).map(|r| r.name()).unwrap_or_else(|_| repository.to_owned());
        context.pull_through.plan(&format!("{repository}@{}", event.image))
    });
    let hops_disagree = match (&upstream, &pull_through) {
        (Some(node), Some(registry)) => disagreements(node, registry),
        _ => Vec::new(),
    };
    let found = context.index.find(stream.metadata.namespace(), stream.metadata.name(), tag, &event.image);
    let image_info = found.map(|found| with_children(found_info(found, &event.image), &pull_spec, namespace, context));
    HistoryItem {
        current,
        generation: event.generation,
        created: event.created.clone(),
        image: event.image.clone(),
        docker_image_reference: event.docker_image_reference.clone(),
        pull_spec,
        image_found: found.is_some(),
        image_from: found.map(|f| f.route()),
        image_info,
        pull_sources: plan.sources,
        policy: plan.policy,
        upstream_pull_sources: upstream,
        pull_through,
        hops_disagree,
        errors: plan.errors,
        verification: None,
    }
}

/// Where a node's plan for the original reference and the registry's pull-through disagree.
fn disagreements(node: &[PullSource], registry: &PullThroughPlan) -> Vec<HopDifference> {
    let tried = |reference: &str| registry.sources.iter().any(|s| s.reference == reference);
    let difference = |kind, reference: &String| HopDifference { kind, reference: reference.clone() };
    let skipped = node
        .iter()
        .filter(|s| s.kind == SourceKind::Mirror && !s.blocked && !tried(&s.reference))
        .map(|s| difference(HopDifferenceKind::NodeMirrorSkipped, &s.reference));
    let contacted = node
        .iter()
        .filter(|s| s.kind == SourceKind::Source && s.blocked && tried(&s.reference))
        .map(|s| difference(HopDifferenceKind::BlockedSourceContacted, &s.reference));
    let extra = registry
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Mirror && !node.iter().any(|n| n.reference == s.reference))
        .map(|s| difference(HopDifferenceKind::ExtraPullThroughMirror, &s.reference));
    skipped.chain(contacted).chain(extra).collect()
}

/// The facts a route offers about an image.
fn found_info(found: Found<'_>, digest: &str) -> ImageInfo {
    match found {
        Found::Image(image) | Found::StreamTag(image) | Found::StreamImage(image) => image_info(image),
        Found::Layers(layers, refs) => {
            let blobs = layers.blobs.as_ref();
            let size_of = |d: &String| blobs.and_then(|b| b.get(d)).and_then(|b| b.size);
            let layer_digests = refs.layers.as_deref().unwrap_or_default();
            let size = layer_digests.iter().chain(refs.config.iter()).map(size_of).sum::<Option<i64>>();
            let manifests = refs.manifests.as_deref().unwrap_or_default().iter().map(|d| child(d, None)).collect();
            let media_type = blobs.and_then(|b| b.get(digest)).and_then(|b| b.media_type.clone());
            ImageInfo { media_type, size, layers: layer_digests.len(), manifests, ..ImageInfo::default() }
        }
    }
}

/// A child manifest before its pull spec and plan are known.
fn child(digest: &str, manifest: Option<&crate::model::image::ImageManifest>) -> ChildManifest {
    ChildManifest {
        digest: digest.to_owned(),
        os: manifest.and_then(|m| m.os.clone()),
        architecture: manifest.and_then(|m| m.architecture.clone()),
        variant: manifest.and_then(|m| m.variant.clone()),
        image_found: false,
        pull_spec: String::new(),
        pull_sources: Vec::new(),
    }
}

fn image_info(image: &Image) -> ImageInfo {
    let metadata = image.docker_image_metadata.as_ref();
    let layers = image.docker_image_layers.as_deref().unwrap_or_default();
    let size =
        metadata.and_then(|m| m.size).or_else(|| (!layers.is_empty()).then(|| layers.iter().map(|l| l.size).sum()));
    ImageInfo {
        media_type: image.docker_image_manifest_media_type.clone(),
        size: if image.is_manifest_list() { None } else { size },
        layers: layers.len(),
        os: metadata
            .and_then(|m| m.extra.get("Os").or_else(|| m.extra.get("OS")))
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        architecture: metadata.and_then(|m| m.architecture.clone()).filter(|_| !image.is_manifest_list()),
        created: metadata.and_then(|m| m.created.clone()),
        manifests: image.docker_image_manifests.iter().flatten().map(|m| child(&m.digest, Some(m))).collect(),
    }
}

/// Fills each child manifest's pull spec (the list's repository at the child's digest), whether
/// its Image is in the input, and its pull sources.
fn with_children(
    mut info: ImageInfo,
    list_pull_spec: &str,
    namespace: Option<&str>,
    context: &Context<'_>,
) -> ImageInfo {
    let repository = list_pull_spec.split_once('@').map_or(list_pull_spec, |(r, _)| r);
    for child in &mut info.manifests {
        child.pull_spec = format!("{repository}@{}", child.digest);
        let image = context.index.image(&child.digest);
        child.image_found = image.is_some();
        if let Some(image) = image {
            let child_info = image_info(image);
            child.os = child.os.take().or(child_info.os);
            child.architecture = child.architecture.take().or(child_info.architecture);
        }
        child.pull_sources = context.resolver.plan_in(&child.pull_spec, namespace).sources;
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::mirror::RegistriesConfig;

    const D1: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    const D2: &str = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    fn catalog(text: &str) -> Catalog {
        Catalog::from_yaml(text)
    }

    fn run(text: &str, selections: &[(&str, Option<&str>)]) -> (Vec<StreamResolution>, Vec<Missing>) {
        let catalog = catalog(text);
        let resolver = Resolver::new(RegistriesConfig::from_catalog(&catalog));
        let selections =
            selections.iter().map(|(s, t)| Selection { stream: (*s).to_owned(), tag: t.map(str::to_owned) }).collect();
        resolve(&catalog, &resolver, &Request { namespace: Some("n".into()), selections })
    }

    fn stream(spec: &str, status: &str) -> String {
        format!(
            "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {{name: s, namespace: n}}\nspec:\n  tags:\n{spec}\nstatus:\n  dockerImageRepository: image-registry.openshift-image-registry.svc:5000/n/s\n  tags:\n{status}\n"
        )
    }

    #[test]
    fn tags_come_in_oc_order_with_aliases_and_import_state() {
        let text = stream(
            "  - {name: '4.9', generation: 3, from: {kind: DockerImage, name: 'quay.io/x/s:4.9'}}\n  - {name: latest, from: {kind: ImageStreamTag, name: '4.10'}}\n  - {name: '4.10', generation: 2, from: {kind: DockerImage, name: 'quay.io/x/s:4.10'}}",
            &format!(
                "  - {{tag: '4.9', items: [{{image: '{D1}', dockerImageReference: 'quay.io/x/s@{D1}', generation: 2}}]}}\n  - {{tag: '4.10', items: [{{image: '{D2}', dockerImageReference: 'quay.io/x/s@{D2}', generation: 2}}], conditions: [{{type: ImportSuccess, status: 'False', reason: NotFound, message: gone, generation: 2}}]}}"
            ),
        );
        let (streams, missing) = run(&text, &[]);
        assert!(missing.is_empty());
        let tags = &streams[0].tags;
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["latest", "4.10", "4.9"]);
        assert_eq!(tags[0].alias_of.as_deref(), Some("4.10"));
        assert_eq!(tags[1].aliases, ["latest"]);
        assert_eq!(tags[1].import_failed.as_ref().map(|f| f.reason.as_str()), Some("NotFound"));
        assert!(tags[2].import_pending, "generation 3 asked, 2 observed");
        assert!(!tags[1].import_pending);
    }

    #[test]
    fn local_tags_are_pulled_through_the_integrated_registry() {
        let text = stream(
            "  - {name: t, referencePolicy: {type: Local}, from: {kind: DockerImage, name: 'quay.io/x/s:t'}}",
            &format!("  - {{tag: t, items: [{{image: '{D1}', dockerImageReference: 'quay.io/x/s@{D1}'}}]}}"),
        );
        let (streams, _) = run(&text, &[("s", Some("t"))]);
        let item = &streams[0].tags[0].history[0];
        assert_eq!(item.pull_spec, format!("image-registry.openshift-image-registry.svc:5000/n/s@{D1}"));
        let upstream = item.upstream_pull_sources.as_ref().expect("Local items keep the upstream plan");
        assert_eq!(upstream[0].reference, format!("quay.io/x/s@{D1}"));
    }

    /// A node pulling a `Local` tag checks the integrated registry's reference against the
    /// signature policies; the registry's pull-through from quay.io checks nothing. So
    /// `--verify` asks the upstream sources for no attachment, while a pod pulling quay.io
    /// itself (the hypothetical upstream plan) would need one.
    #[test]
    fn a_local_tags_upstream_fetch_asks_for_no_signature() {
        let policy = "apiVersion: config.openshift.io/v1\nkind: ClusterImagePolicy\nmetadata: {name: q}\nspec: {scopes: [quay.io], policy: {rootOfTrust: {policyType: PublicKey}}}\n---\n";
        let text = policy.to_owned()
            + &stream(
                "  - {name: t, referencePolicy: {type: Local}, from: {kind: DockerImage, name: 'quay.io/x/s:t'}}",
                &format!("  - {{tag: t, items: [{{image: '{D1}', dockerImageReference: 'quay.io/x/s@{D1}'}}]}}"),
            );
        let (streams, _) = run(&text, &[("s", Some("t"))]);
        let item = &streams[0].tags[0].history[0];
        let upstream = item.upstream_pull_sources.as_ref().unwrap();
        assert_eq!(upstream[0].signatures.len(), 1, "a node pulling quay.io would need it");
        assert!(item.pull_sources[0].signatures.is_empty(), "the integrated registry is outside the scope");
        let asked = item.verified_sources();
        assert_eq!(asked[0].reference, upstream[0].reference);
        assert!(asked.iter().all(|s| s.signatures.is_empty()));
    }

    #[test]
    fn images_are_joined_and_missing_ones_are_warned_once() {
        let text = format!(
            "{}---\napiVersion: image.openshift.io/v1\nkind: Image\nmetadata: {{name: '{D1}'}}\ndockerImageManifests: [{{digest: '{D2}', os: linux, architecture: arm64}}]\n",
            stream(
                "  - {name: t}",
                &format!(
                    "  - {{tag: t, items: [{{image: '{D1}', dockerImageReference: 'quay.io/x/s@{D1}'}}, {{image: 'sha256:gone', dockerImageReference: 'quay.io/x/s@sha256:gone'}}]}}"
                ),
            )
        );
        let (streams, _) = run(&text, &[]);
        let history = &streams[0].tags[0].history;
        assert_eq!(history[0].image_from, Some("Image"));
        let children = &history[0].image_info.as_ref().unwrap().manifests;
        assert_eq!(children[0].pull_spec, format!("quay.io/x/s@{D2}"));
        assert_eq!(children[0].architecture.as_deref(), Some("arm64"));
        assert!(!history[1].image_found);
        assert_eq!(streams[0].warnings.last().unwrap(), "Image sha256:gone (n/s:t) is not in the input");
    }

    #[test]
    fn selections_that_name_nothing_are_reported() {
        let text = stream("  - {name: t}", "  - {tag: t, items: []}");
        let (streams, missing) = run(&text, &[("s", Some("nope")), ("other", None), ("s", Some("t"))]);
        assert_eq!(streams.len(), 1);
        assert_eq!(streams[0].tags.len(), 1);
        assert_eq!(
            missing.iter().map(|m| m.not_found().to_string()).collect::<Vec<_>>(),
            [
                "Error from server (NotFound): imagestreamtags.image.openshift.io \"s:nope\" not found",
                "Error from server (NotFound): imagestreams.image.openshift.io \"other\" not found"
            ]
        );
    }
}
