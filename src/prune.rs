//! What `oc adm prune images` would remove, and why everything else stays (docs/prune.md).
//! Pure, over a [`Catalog`] and an injected "now"; isctl never deletes anything.
//!
//! The rules are openshift/oc `pkg/cli/admin/prune/imageprune` (`prune.go`):
//! 1. References (`analyzeImageStreamsReferences`): the pod specs of Pods (Running and Pending
//!    ones, others only while younger than `--keep-younger-than`), ReplicationControllers,
//!    DeploymentConfigs, ReplicaSets, Deployments, DaemonSets, StatefulSets, Jobs and CronJobs
//!    (init containers and containers), and the strategy `from` of BuildConfigs and Builds. A
//!    pull spec counts when it names a registry host, then exactly `namespace/name`
//!    (`analyzeImageReference`): by tag it uses that stream tag, by digest that stream's image.
//! 2. History (`pruneImageStream`, `pruneImageStreamTag`): a stream younger than
//!    `--keep-younger-than` is left alone; in the others each tag's entries are kept when young,
//!    when revision 1 of a tag a workload names, when their Image is in the input and they are
//!    among the first `--keep-tag-revisions`, or when a workload names the image in that
//!    stream; every other entry is removed (one whose Image is not in the input too).
//! 3. Images (`pruneImages`, `pruneImage`), only without a namespace: an Image stays when a
//!    remaining history entry holds it, or it is in a manifest list that one holds, or it is
//!    not managed by OpenShift and `--all=false`, or it is young; the rest are pruned.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::model::{Object, ResourceKind, Workload};
use crate::reference::{StreamPull, stream_pull};

/// `openshift.io/image.managed`: the integrated registry's mark on images pushed to it.
const MANAGED_ANNOTATION: &str = "openshift.io/image.managed";

/// The reason of a history entry whose Image is not in the input: oc drops it.
pub(crate) const NO_SUCH_IMAGE: &str = "no such Image (oc drops the entry)";

/// The pruner's options, as `oc adm prune images` takes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PruneOptions {
    /// `--keep-tag-revisions` (3).
    pub keep_tag_revisions: usize,
    /// `--keep-younger-than` (60m).
    pub keep_younger_than: SignedDuration,
    /// `--all` (true): images not managed by OpenShift are candidates too.
    pub all_images: bool,
    /// `-n`: only that namespace's streams and workloads, and no image is pruned.
    pub namespace: Option<String>,
    /// `--ignore-invalid-refs`: a pull spec that does not parse is passed over, not an error.
    pub ignore_invalid_refs: bool,
    /// `--prune-over-size-limit`: instead of ages and revision counts, entries whose image is
    /// larger than an `openshift.io/Image` LimitRange of their namespace go (unless used).
    pub over_size_limit: bool,
    /// The clock.
    pub now: Timestamp,
}

/// What becomes of an image or a history entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Decision {
    /// `oc adm prune images --confirm` would remove it.
    Prune,
    /// It stays; the reason says why.
    Keep,
}

/// One Image and its fate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImageDecision {
    /// The digest.
    pub image: String,
    /// Prune or keep.
    pub decision: Decision,
    /// Why, in a few words.
    pub reason: String,
    /// `dockerImageMetadata.Size`, when written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// One history entry of a stream tag and its fate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct HistoryDecision {
    /// `namespace/stream:tag`.
    pub tag: String,
    /// 1 for the current entry.
    pub revision: usize,
    /// The entry's image digest (empty for a reference tag).
    pub image: String,
    /// Prune (the entry is removed from the stream) or keep.
    pub decision: Decision,
    /// Why.
    pub reason: String,
}

/// The totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PruneSummary {
    /// Images pruned.
    pub images_pruned: usize,
    /// Images kept.
    pub images_kept: usize,
    /// History entries removed.
    pub history_removed: usize,
    /// History entries kept.
    pub history_kept: usize,
    /// The sum of the pruned images' sizes, where written.
    pub bytes_pruned: u64,
}

/// The options a plan was made with, echoed in the document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlanOptions {
    /// `--keep-tag-revisions` (absent with `--prune-over-size-limit`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_tag_revisions: Option<usize>,
    /// `--keep-younger-than`, as Go writes a duration (absent with `--prune-over-size-limit`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_younger_than: Option<String>,
    /// `--prune-over-size-limit`.
    pub prune_over_size_limit: bool,
    /// `--all`.
    pub all: bool,
    /// `-n`, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The clock the ages were measured against.
    pub now: String,
}

/// The plan (`kind: PrunePlan`, docs/prune.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PrunePlan {
    /// `isctl/v1alpha1`.
    pub api_version: &'static str,
    /// `PrunePlan`.
    pub kind: &'static str,
    /// The options.
    pub options: PlanOptions,
    /// Every Image of the input, the pruned ones first, by digest.
    pub images: Vec<ImageDecision>,
    /// Every history entry of the streams in scope, by stream, tag and revision.
    pub history: Vec<HistoryDecision>,
    /// The totals.
    pub summary: PruneSummary,
}

/// Why no plan can be made: what oc would refuse too.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PruneError {
    /// Pull specs that do not parse (oc stops unless `--ignore-invalid-refs`).
    #[error("{} invalid image references: {}", .0.len(), .0.join("; "))]
    InvalidReferences(Vec<String>),
    /// The input holds streams but no Image: every entry would look orphaned.
    #[error("the input holds image streams but no Images: every history entry would look orphaned and be removed")]
    NoImages,
}

/// Who names what, as `kind/name in namespace` phrases, in the order they were read.
#[derive(Debug, Default)]
struct References {
    by: BTreeMap<StreamPull, Vec<String>>,
    invalid: Vec<String>,
}

impl References {
    /// `analyzeImageReference`: a pull spec with a registry host and exactly `namespace/name`.
    fn pull_spec(&mut self, referrer: &str, spec: &str, options: &PruneOptions) {
        let spec = spec.trim();
        if spec.is_empty() {
            return;
        }
        match stream_pull(spec) {
            Ok(Some(named)) => self.by.entry(named).or_default().push(referrer.to_owned()),
            Ok(None) => {}
            Err(e) if !options.ignore_invalid_refs => self.invalid.push(format!("{referrer}: {spec:?}: {e}")),
            Err(_) => {}
        }
    }

    /// `analyzeReferencesFromBuildStrategy`: the strategy's `from`.
    fn strategy(&mut self, referrer: &str, namespace: &str, workload: &Workload, options: &PruneOptions) {
        let strategy = workload.spec.as_ref().and_then(|s| s.get("strategy"));
        let from = ["sourceStrategy", "dockerStrategy", "customStrategy"]
            .iter()
            .find_map(|key| strategy.and_then(|s| s.get(*key)).and_then(|s| s.get("from")));
        let Some(from) = from else { return };
        let text = |key: &str| from.get(key).and_then(Value::as_str).unwrap_or_default();
        let namespace = Some(text("namespace")).filter(|n| !n.is_empty()).unwrap_or(namespace);
        let name = text("name");
        match text("kind") {
            "DockerImage" => self.pull_spec(referrer, name, options),
            "ImageStreamImage" => match name.split_once('@') {
                Some((stream, digest)) if !stream.is_empty() && !digest.is_empty() => {
                    let named = StreamPull::Image(format!("{namespace}/{stream}@{digest}"));
                    self.by.entry(named).or_default().push(referrer.to_owned());
                }
                _ if !options.ignore_invalid_refs => {
                    self.invalid.push(format!("{referrer}: ImageStreamImage {name:?} is not name@digest"))
                }
                _ => {}
            },
            "ImageStreamTag" => match name.split_once(':') {
                Some((stream, tag)) if !stream.is_empty() && !tag.is_empty() && !tag.contains(':') => {
                    let named = StreamPull::Tag(format!("{namespace}/{stream}:{tag}"));
                    self.by.entry(named).or_default().push(referrer.to_owned());
                }
                _ if !options.ignore_invalid_refs => {
                    self.invalid.push(format!("{referrer}: ImageStreamTag {name:?} is not name:tag"))
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn first(&self, named: &StreamPull) -> Option<&str> {
        self.by.get(named).and_then(|r| r.first()).map(String::as_str)
    }
}

/// The pod spec of a workload kind, where the pruner reads it.
fn pod_spec(kind: ResourceKind, workload: &Workload) -> Option<&Value> {
    let spec = workload.spec.as_ref()?;
    match kind {
        ResourceKind::Pod => Some(spec),
        ResourceKind::CronJob => spec.pointer("/jobTemplate/spec/template/spec"),
        _ => spec.pointer("/template/spec"),
    }
}

/// When an object was created, if written.
fn created(meta: &crate::model::ObjectMeta) -> Option<Timestamp> {
    meta.creation_timestamp.as_deref().and_then(|t| t.parse().ok())
}

/// Every reference the workloads in scope make.
fn references(catalog: &Catalog, options: &PruneOptions) -> References {
    let mut found = References::default();
    for kind in ResourceKind::WORKLOADS {
        for object in catalog.of_kind(kind) {
            let Some(workload) = object.workload() else { continue };
            let namespace = workload.metadata.namespace();
            if options.namespace.as_deref().is_some_and(|n| n != namespace) {
                continue;
            }
            let referrer = format!("{} {namespace}/{}", kind.info().singular, workload.metadata.name());
            if let Object::Pod(pod) = object
                && !crate::consumers::pod_counts(pod, options.now, options.keep_younger_than)
            {
                continue;
            }
            match kind {
                ResourceKind::BuildConfig | ResourceKind::Build => {
                    found.strategy(&referrer, namespace, workload, options);
                }
                _ => {
                    let spec = pod_spec(kind, workload);
                    for key in ["initContainers", "containers"] {
                        let containers = spec.and_then(|s| s.get(key)).and_then(Value::as_array);
                        for container in containers.into_iter().flatten() {
                            let image = container.get("image").and_then(Value::as_str).unwrap_or_default();
                            found.pull_spec(&referrer, image, options);
                        }
                    }
                }
            }
        }
    }
    found
}

/// Go's `time.Duration.String()` for whole seconds and minutes: `60m0s` is `1h0m0s`.
fn go_duration(duration: SignedDuration) -> String {
    let seconds = duration.as_secs();
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

/// A digest as tables show it: the first 12 hex digits (by characters: a digest read from a
/// file may hold anything).
fn short(digest: &str) -> String {
    let hex = digest.split_once(':').map_or(digest, |(_, hex)| hex);
    hex.chars().take(12).collect()
}

/// The `openshift.io/Image` storage limits of each namespace's LimitRanges, in bytes (a limit
/// that does not parse as a whole quantity is not counted).
fn image_limits(catalog: &Catalog) -> BTreeMap<String, Vec<u64>> {
    let mut limits: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for object in catalog.of_kind(ResourceKind::LimitRange) {
        let Some(range) = object.workload() else { continue };
        let entries = range.spec.as_ref().and_then(|s| s.get("limits")).and_then(Value::as_array);
        for limit in entries.into_iter().flatten() {
            if limit.get("type").and_then(Value::as_str) != Some("openshift.io/Image") {
                continue;
            }
            let max = limit.pointer("/max/storage").and_then(Value::as_str);
            if let Some(bytes) = max.and_then(|m| crate::quantity::parse_bytes(m).ok()) {
                limits.entry(range.metadata.namespace().to_owned()).or_default().push(bytes);
            }
        }
    }
    limits
}

/// What the stages share: the options, the clock's threshold and the references.
struct Pruner<'a> {
    options: &'a PruneOptions,
    threshold: Timestamp,
    age_words: String,
    refs: References,
    images: BTreeMap<&'a str, &'a crate::model::Image>,
    limits: BTreeMap<String, Vec<u64>>,
}

impl Pruner<'_> {
    /// Whether `created` is younger than `--keep-younger-than` (never with
    /// `--prune-over-size-limit`, which replaces the ages, as in oc).
    fn young(&self, created: Option<Timestamp>) -> bool {
        !self.options.over_size_limit && created.is_some_and(|c| c > self.threshold)
    }

    /// oc's `exceedsLimits`: the image is larger than a limit of the stream's namespace.
    fn exceeds_limits(&self, namespace: &str, image: &crate::model::Image) -> bool {
        let size = image.docker_image_metadata.as_ref().and_then(|m| m.size).and_then(|s| u64::try_from(s).ok());
        let limits = self.limits.get(namespace).map(Vec::as_slice).unwrap_or_default();
        size.is_some_and(|size| limits.iter().any(|limit| *limit < size))
    }

    /// Stage 2 for one stream: each history entry's fate, and (in `held`) what the kept ones
    /// say of their images.
    fn stream(
        &self,
        stream: &crate::model::ImageStream,
        history: &mut Vec<HistoryDecision>,
        held: &mut BTreeMap<String, String>,
    ) {
        let (namespace, name) = (stream.metadata.namespace(), stream.metadata.name());
        let stream_young = self.young(created(&stream.metadata));
        let kept = self.options.keep_tag_revisions;
        for tag in stream.status_tags() {
            let tag_name = format!("{namespace}/{name}:{}", tag.tag);
            for (rev, item) in tag.history().iter().enumerate() {
                let revision = rev + 1;
                let keep = |reason: String| (Decision::Keep, reason);
                let image = self.images.get(item.image.as_str());
                let (decision, reason) = if stream_young {
                    keep(format!("the stream is younger than {}", self.age_words))
                } else if self.young(item.created.as_deref().and_then(|c| c.parse().ok())) {
                    keep(format!("younger than {}", self.age_words))
                } else if let Some(user) =
                    (rev == 0).then(|| self.refs.first(&StreamPull::Tag(tag_name.clone()))).flatten()
                {
                    keep(format!("the tag is used by {user}"))
                } else if image.is_none() {
                    (Decision::Prune, NO_SUCH_IMAGE.to_owned())
                } else if self.options.over_size_limit && !image.is_some_and(|i| self.exceeds_limits(namespace, i)) {
                    keep("within the namespace's image size limits".to_owned())
                } else if !self.options.over_size_limit && rev < kept {
                    keep(format!("among the newest {kept}"))
                } else if let Some(user) =
                    self.refs.first(&StreamPull::Image(format!("{namespace}/{name}@{}", item.image)))
                {
                    keep(format!("used by {user}"))
                } else if self.options.over_size_limit {
                    (Decision::Prune, "over the namespace's image size limit, and unused".to_owned())
                } else {
                    (Decision::Prune, format!("unused, after the newest {kept}"))
                };
                if decision == Decision::Keep && !item.image.is_empty() {
                    // A use says most about why the image stays; else the entry that holds it.
                    let holder = match reason.strip_prefix("used by ") {
                        Some(user) => format!("used by {user} (revision {revision} of {tag_name})"),
                        None => format!("revision {revision} of {tag_name}"),
                    };
                    held.entry(item.image.clone()).or_insert(holder);
                }
                let image = item.image.clone();
                history.push(HistoryDecision { tag: tag_name.clone(), revision, image, decision, reason });
            }
        }
    }

    /// Stage 3: each Image's fate, given what the remaining history holds.
    fn images(&self, held: &BTreeMap<String, String>) -> Vec<ImageDecision> {
        let lists: BTreeMap<String, String> = self
            .images
            .values()
            .filter(|list| held.contains_key(list.metadata.name()))
            .flat_map(|list| {
                let name = list.metadata.name().to_owned();
                list.docker_image_manifests.iter().flatten().map(move |m| (m.digest.clone(), name.clone()))
            })
            .collect();
        let mut decisions = Vec::new();
        for (digest, image) in &self.images {
            let annotations = image.metadata.annotations.as_ref();
            let managed = annotations.and_then(|a| a.get(MANAGED_ANNOTATION)).map(String::as_str) == Some("true");
            let keep = |reason: String| (Decision::Keep, reason);
            let (decision, reason) = if self.options.namespace.is_some() {
                keep("-n: oc prunes images only cluster-wide".to_owned())
            } else if let Some(holder) = held.get(*digest) {
                keep(holder.clone())
            } else if let Some(list) = lists.get(*digest) {
                keep(format!("in manifest list {}", short(list)))
            } else if !self.options.all_images && !managed {
                keep("not managed by OpenShift (--all=false)".to_owned())
            } else if self.young(created(&image.metadata)) {
                keep(format!("younger than {}", self.age_words))
            } else {
                (Decision::Prune, "no history entry holds it".to_owned())
            };
            let size = image.docker_image_metadata.as_ref().and_then(|m| m.size).and_then(|s| u64::try_from(s).ok());
            decisions.push(ImageDecision { image: (*digest).to_owned(), decision, reason, size });
        }
        decisions.sort_by(|a, b| (a.decision, &a.image).cmp(&(b.decision, &b.image)));
        decisions
    }
}

/// The plan for `catalog` under `options`.
pub(crate) fn plan(catalog: &Catalog, options: &PruneOptions) -> Result<PrunePlan, PruneError> {
    let threshold = options.now - options.keep_younger_than;
    let refs = references(catalog, options);
    if !refs.invalid.is_empty() {
        return Err(PruneError::InvalidReferences(refs.invalid));
    }
    let pruner = Pruner {
        options,
        threshold,
        age_words: go_duration(options.keep_younger_than),
        refs,
        images: catalog.images().map(|i| (i.metadata.name(), i)).collect(),
        limits: image_limits(catalog),
    };
    let streams: Vec<&crate::model::ImageStream> = catalog.streams_in(options.namespace.as_deref()).collect();
    if pruner.images.is_empty() && streams.iter().any(|s| s.status_tags().iter().any(|t| !t.history().is_empty())) {
        return Err(PruneError::NoImages);
    }
    let (mut history, mut held) = (Vec::new(), BTreeMap::new());
    for stream in &streams {
        pruner.stream(stream, &mut history, &mut held);
    }
    let images = pruner.images(&held);
    let pruned = |d: &&ImageDecision| d.decision == Decision::Prune;
    let summary = PruneSummary {
        images_pruned: images.iter().filter(pruned).count(),
        images_kept: images.iter().filter(|d| !pruned(d)).count(),
        history_removed: history.iter().filter(|h| h.decision == Decision::Prune).count(),
        history_kept: history.iter().filter(|h| h.decision == Decision::Keep).count(),
        bytes_pruned: images.iter().filter(pruned).filter_map(|d| d.size).sum(),
    };
    Ok(PrunePlan {
        api_version: "isctl/v1alpha1",
        kind: "PrunePlan",
        options: PlanOptions {
            keep_tag_revisions: (!options.over_size_limit).then_some(options.keep_tag_revisions),
            keep_younger_than: (!options.over_size_limit).then(|| pruner.age_words.clone()),
            prune_over_size_limit: options.over_size_limit,
            all: options.all_images,
            namespace: options.namespace.clone(),
            now: options.now.to_string(),
        },
        images,
        history,
        summary,
    })
}

#[cfg(test)]
mod tests {
    //! oc's own cases (openshift/oc `pkg/cli/admin/prune/imageprune/prune_test.go`
    //! `TestImagePruning`), translated into our objects: each test names the cases it follows.
    //! As there, `--keep-younger-than` is 1h and `--keep-tag-revisions` 3 unless a case says;
    //! objects without a creation time are old.
    use super::*;

    const HOST: &str = "registry1.io";
    const NOW: &str = "2026-11-27T12:00:00Z";

    fn digest(n: u8) -> String {
        format!("sha256:{n:064}")
    }

    fn image(n: u8, managed: bool) -> String {
        let annotations = if managed { "annotations: {openshift.io/image.managed: 'true'}" } else { "annotations: {}" };
        format!(
            "---\napiVersion: image.openshift.io/v1\nkind: Image\nmetadata: {{name: '{d}', {annotations}}}\ndockerImageReference: {HOST}/foo/bar@{d}\n",
            d = digest(n)
        )
    }

    /// A stream with tags of history images (newest first); `created` in minutes ago.
    fn stream(namespace: &str, name: &str, created: Option<i64>, tags: &[(&str, &[u8])]) -> String {
        let created = created.map_or(String::new(), |m| format!(", creationTimestamp: '{}'", ago(m)));
        let mut out = format!(
            "---\napiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {{name: {name}, namespace: {namespace}{created}}}\nstatus:\n  tags:\n"
        );
        for (tag, images) in tags {
            out += &format!("  - tag: {tag}\n    items:\n");
            for n in *images {
                out += &format!(
                    "    - {{image: '{d}', dockerImageReference: '{HOST}/{namespace}/{name}@{d}'}}\n",
                    d = digest(*n)
                );
            }
        }
        out
    }

    fn ago(minutes: i64) -> String {
        (NOW.parse::<Timestamp>().unwrap() - SignedDuration::from_mins(minutes)).to_string()
    }

    /// A workload of `kind` (`Pod` takes a phase) whose one container pulls `image`.
    fn workload(kind: &str, name: &str, image: &str) -> String {
        let (api, spec) = match kind {
            "Pod" => ("v1", format!("{{containers: [{{name: c, image: '{image}'}}]}}")),
            "CronJob" => (
                "batch/v1",
                format!(
                    "{{jobTemplate: {{spec: {{template: {{spec: {{containers: [{{name: c, image: '{image}'}}]}}}}}}}}}}"
                ),
            ),
            "Job" => ("batch/v1", format!("{{template: {{spec: {{containers: [{{name: c, image: '{image}'}}]}}}}}}")),
            "ReplicationController" => {
                ("v1", format!("{{template: {{spec: {{containers: [{{name: c, image: '{image}'}}]}}}}}}"))
            }
            "DeploymentConfig" => (
                "apps.openshift.io/v1",
                format!("{{template: {{spec: {{initContainers: [{{name: c, image: '{image}'}}]}}}}}}"),
            ),
            _ => ("apps/v1", format!("{{template: {{spec: {{containers: [{{name: c, image: '{image}'}}]}}}}}}")),
        };
        format!("---\napiVersion: {api}\nkind: {kind}\nmetadata: {{name: {name}, namespace: nm}}\nspec: {spec}\n")
    }

    fn pod(name: &str, phase: &str, minutes_ago: Option<i64>, image: &str) -> String {
        let created = minutes_ago.map_or(String::new(), |m| format!(", creationTimestamp: '{}'", ago(m)));
        workload("Pod", name, image).replace("namespace: nm}", &format!("namespace: nm{created}}}"))
            + &format!("status: {{phase: {phase}}}\n")
    }

    fn build(kind: &str, strategy: &str, from_kind: &str, from_name: &str) -> String {
        format!(
            "---\napiVersion: build.openshift.io/v1\nkind: {kind}\nmetadata: {{name: b, namespace: nm}}\nspec: {{strategy: {{{strategy}: {{from: {{kind: {from_kind}, name: '{from_name}', namespace: foo}}}}}}}}\n"
        )
    }

    fn options() -> PruneOptions {
        PruneOptions {
            keep_tag_revisions: 3,
            keep_younger_than: SignedDuration::from_hours(1),
            all_images: true,
            namespace: None,
            ignore_invalid_refs: false,
            over_size_limit: false,
            now: NOW.parse().unwrap(),
        }
    }

    /// The images pruned (as their numbers) and the history entries removed
    /// (`namespace/stream:tag|revision from 0|number`), as oc's cases write them.
    fn pruned(yaml: &str, options: &PruneOptions) -> (Vec<u8>, Vec<String>) {
        let plan = plan(&Catalog::from_yaml(yaml), options).unwrap();
        let number = |d: &str| d.trim_start_matches("sha256:").parse::<u8>().unwrap();
        let images = plan.images.iter().filter(|i| i.decision == Decision::Prune).map(|i| number(&i.image)).collect();
        let history = plan
            .history
            .iter()
            .filter(|h| h.decision == Decision::Prune)
            .map(|h| format!("{}|{}|{}", h.tag, h.revision - 1, number(&h.image)))
            .collect();
        (images, history)
    }

    fn pull(n: u8) -> String {
        format!("{HOST}/foo/bar@{}", digest(n))
    }

    /// "1 pod - phase pending - don't prune", "1 pod - phase running - don't prune", "pod phase
    /// succeeded - prune", "pod phase failed - prune", "pod phase unknown - prune", "pod phase
    /// succeeded, pod less than min pruning age - don't prune".
    #[test]
    fn pods_keep_images_by_phase_and_age() {
        let base = image(0, true) + &stream("foo", "bar", None, &[("latest", &[0])]);
        let zero = PruneOptions { keep_tag_revisions: 0, ..options() };
        for (phase, age, kept) in [
            ("Pending", None, true),
            ("Running", None, true),
            ("Succeeded", None, false),
            ("Failed", None, false),
            ("Unknown", None, false),
            ("Succeeded", Some(5), true),
        ] {
            let (images, history) = pruned(&(base.clone() + &pod("pod1", phase, age, &pull(0))), &zero);
            assert_eq!(images.is_empty(), kept, "{phase} {age:?}");
            assert_eq!(history.is_empty(), kept, "{phase} {age:?}");
        }
    }

    /// "referenced by rc/dc/daemonset/replicaset/upstream deployment/statefulset/job/cronjob -
    /// don't prune": the image a template names stays, the older one goes.
    #[test]
    fn templates_keep_the_images_they_name() {
        let base = image(0, true) + &image(1, true) + &stream("foo", "bar", None, &[("latest", &[0, 1])]);
        let zero = PruneOptions { keep_tag_revisions: 0, ..options() };
        for kind in [
            "ReplicationController",
            "DeploymentConfig",
            "DaemonSet",
            "ReplicaSet",
            "Deployment",
            "StatefulSet",
            "Job",
            "CronJob",
        ] {
            let (images, history) = pruned(&(base.clone() + &workload(kind, "rc1", &pull(0))), &zero);
            assert_eq!((images, history), (vec![1], vec!["foo/bar:latest|1|1".to_owned()]), "{kind}");
        }
    }

    /// "referenced by bc - sti - ImageStreamImage - don't prune" and "referenced by build -
    /// docker - DockerImage - don't prune" (and their other strategies).
    #[test]
    fn builds_keep_their_strategy_images() {
        let base = image(0, true) + &image(1, true) + &stream("foo", "bar", None, &[("latest", &[0, 1])]);
        let zero = PruneOptions { keep_tag_revisions: 0, ..options() };
        for kind in ["BuildConfig", "Build"] {
            for strategy in ["sourceStrategy", "dockerStrategy", "customStrategy"] {
                let by_image = build(kind, strategy, "ImageStreamImage", &format!("bar@{}", digest(0)));
                let by_pull = build(kind, strategy, "DockerImage", &pull(0));
                for referrer in [by_image, by_pull] {
                    let (images, _) = pruned(&(base.clone() + &referrer), &zero);
                    assert_eq!(images, [1], "{kind} {strategy}");
                }
            }
        }
    }

    /// "images referenced by istag - keep": a pull by tag keeps that tag's newest entry, whatever
    /// the host; a name that matches no stream keeps nothing.
    #[test]
    fn pulls_by_tag_keep_the_newest_entry_of_their_tag() {
        let mut yaml: String = (0..=6).map(|n| image(n, true)).collect();
        yaml += &stream("foo", "bar", None, &[("latest", &[0, 1, 2, 3, 4, 5]), ("dummy", &[5])]);
        yaml += &stream("foo", "baz", None, &[("late", &[2]), ("keepme", &[6])]);
        yaml += &workload("DaemonSet", "dsfoo", &format!("{HOST}/foo/bar:latest"));
        yaml += &workload("DeploymentConfig", "dcfoo", &format!("{HOST}/foo/repo:dummy"));
        yaml += &workload("ReplicaSet", "rsfoo", &format!("{HOST}/foo/baz:late"));
        yaml += &workload("Deployment", "depfoo", "external.registry:5000/foo/baz:keepme");
        let (images, history) = pruned(&yaml, &PruneOptions { keep_tag_revisions: 0, ..options() });
        assert_eq!(images, [1, 3, 4, 5]);
        assert_eq!(
            history,
            [
                "foo/bar:latest|1|1",
                "foo/bar:latest|2|2",
                "foo/bar:latest|3|3",
                "foo/bar:latest|4|4",
                "foo/bar:latest|5|5",
                "foo/bar:dummy|0|5"
            ]
        );
    }

    /// "image stream - keep most recent n images" (an unmanaged image among them),
    /// "image stream age less than min pruning age - don't prune" and "image stream - unreference
    /// absent image".
    #[test]
    fn streams_keep_their_newest_and_young_entries() {
        let yaml = image(0, false) + &image(2, true) + &image(3, true) + &image(4, true);
        let tags: &[(&str, &[u8])] = &[("latest", &[0, 2, 3, 4])];
        let (images, history) = pruned(&(yaml.clone() + &stream("foo", "bar", None, tags)), &options());
        assert_eq!((images, history), (vec![4], vec!["foo/bar:latest|3|4".to_owned()]));
        let (images, history) = pruned(&(yaml + &stream("foo", "bar", Some(5), tags)), &options());
        assert_eq!((images, history), (vec![], vec![]), "a stream younger than 1h is left alone");
        let absent = image(1, true) + &stream("foo", "bar", None, &[("latest", &[0, 1])]);
        let (images, history) = pruned(&absent, &options());
        assert_eq!((images, history), (vec![], vec!["foo/bar:latest|0|0".to_owned()]));
    }

    /// "prune all-images=true/false with image missing managed annotation", "keep images that
    /// are part of a Docker manifest list".
    #[test]
    fn unmanaged_images_and_manifest_list_members() {
        let orphan = image(0, false);
        assert_eq!(pruned(&orphan, &options()).0, [0], "--all (oc's default) prunes it");
        let managed_only = PruneOptions { all_images: false, ..options() };
        assert_eq!(pruned(&orphan, &managed_only).0, Vec::<u8>::new());
        let list = image(1, true).replace(
            "dockerImageReference",
            &format!("dockerImageManifests: [{{digest: '{}', mediaType: x}}]\ndockerImageReference", digest(2)),
        );
        let yaml = list + &image(2, true) + &image(3, true) + &stream("foo", "bar", None, &[("latest", &[1])]);
        assert_eq!(pruned(&yaml, &options()).0, [3], "the list's member stays");
    }

    /// "image exceeding limits" and "young image exceeding limits": with
    /// `--prune-over-size-limit`, entries larger than an `openshift.io/Image` limit of their
    /// namespace go, young or not; the others stay.
    #[test]
    fn images_over_the_namespace_size_limit_go() {
        let sized = |n: u8, size: u64| {
            image(n, true).replace(
                "dockerImageReference",
                &format!("dockerImageMetadata: {{Size: {size}}}\ndockerImageReference"),
            )
        };
        let limits = |max: &[&str]| {
            let limits: Vec<String> =
                max.iter().map(|m| format!("{{type: openshift.io/Image, max: {{storage: '{m}'}}}}")).collect();
            format!(
                "---\napiVersion: v1\nkind: LimitRange\nmetadata: {{name: limits, namespace: foo}}\nspec: {{limits: [{}]}}\n",
                limits.join(", ")
            )
        };
        let over = PruneOptions { over_size_limit: true, ..options() };
        let yaml =
            image(0, false) + &sized(2, 100) + &sized(3, 200) + &stream("foo", "bar", None, &[("latest", &[0, 2, 3])]);
        let (images, history) = pruned(&(yaml.clone() + &limits(&["100", "200"])), &over);
        assert_eq!((images, history), (vec![3], vec!["foo/bar:latest|2|3".to_owned()]));
        assert_eq!(pruned(&yaml, &over), (vec![], vec![]), "no LimitRange, nothing over it");
        let young = sized(1, 300) + &sized(2, 100) + &sized(3, 200);
        let young = young + &stream("foo", "bar", Some(5), &[("latest", &[1, 2, 3])]) + &limits(&["100"]);
        let (images, _) = pruned(&young, &over);
        assert_eq!(images, [1, 3], "ages do not count with --prune-over-size-limit");
    }

    /// A manifest list whose name is not a digest still gets a reason, shortened by character.
    #[test]
    fn a_reason_never_cuts_a_digest_inside_a_character() {
        assert_eq!(short("sha256:a€€€€€€€€€€€€€"), "a€€€€€€€€€€€");
    }

    /// "build with bad image reference" and "build with ignored bad image reference"; with -n,
    /// "image exceeding limits with namespace specified" prunes no image.
    #[test]
    fn invalid_references_stop_the_plan_unless_ignored_and_a_namespace_prunes_no_image() {
        let yaml = image(0, true) + &stream("foo", "bar", None, &[("latest", &[0])]);
        let bad = yaml.clone() + &build("Build", "sourceStrategy", "DockerImage", "Invalid Image Reference");
        let err = plan(&Catalog::from_yaml(&bad), &options()).unwrap_err();
        assert!(matches!(&err, PruneError::InvalidReferences(found) if found.len() == 1), "{err}");
        let ignoring = PruneOptions { ignore_invalid_refs: true, ..options() };
        assert!(plan(&Catalog::from_yaml(&bad), &ignoring).is_ok());
        let orphan = image(9, true) + &yaml;
        let namespaced = PruneOptions { namespace: Some("foo".into()), ..options() };
        assert_eq!(pruned(&orphan, &options()).0, [9]);
        assert_eq!(pruned(&orphan, &namespaced).0, Vec::<u8>::new());
        // Streams but no Image at all: a plan would drop every entry; refused.
        let no_images = stream("foo", "bar", None, &[("latest", &[0])]);
        assert_eq!(plan(&Catalog::from_yaml(&no_images), &options()).unwrap_err(), PruneError::NoImages);
    }
}
