//! Who uses a tag, and who still uses an image (docs/consumers.md). Pure, over a [`Catalog`]:
//! the uses of images are read from workloads, DeploymentConfigs, BuildConfigs and Pods by
//! path, as OpenShift's trigger controllers and the kubelet write them, then related to a
//! tag's history or to one digest. Reading the uses is `consumers/uses.rs`; this module indexes
//! them once ([`UseIndex`]) and answers the two questions.
//!
//! - Triggers: a DeploymentConfig's and a BuildConfig's `ImageChange` triggers
//!   (openshift/api apps/v1 `DeploymentTriggerImageChangeParams`, build/v1
//!   `ImageChangeTrigger`), and the `image.openshift.io/triggers` annotation on Deployments,
//!   StatefulSets, DaemonSets, CronJobs and Jobs (openshift/api image/v1 `ObjectFieldTrigger`).
//! - Running: each Pod container's `imageID` (the digest the node pulled), else its spec image.
//! - Templates: ReplicaSets and ReplicationControllers whose Pods are not in the input.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::image_index::manifest_children;
use crate::model::{ImageStream, Object, ResourceKind};

mod uses;

pub(crate) use crate::model::workload::TRIGGERS_ANNOTATION;

pub(crate) use uses::{FINISHED_POD_GRACE, Role, Standing, Use, pod_counts, uses};
use uses::{UNREADABLE, at};

/// A tag asked about, with its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TagUsers {
    /// `namespace/stream:tag`.
    pub tag: String,
    /// The current image, if the tag has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// Every image of its history, newest first.
    pub history: Vec<String>,
    /// Triggers and build inputs that follow the tag.
    pub triggers: Vec<Use>,
    /// Containers running one of its images (or pulling it by tag), and the templates of
    /// controllers whose Pods are not in the input.
    pub running: Vec<Use>,
}

impl TagUsers {
    /// Uses known not to have the tag's current image: triggers that did not fire (or are
    /// held), Pods on an older image. Uses whose digest is unknown do not count.
    pub(crate) fn drift(&self) -> usize {
        self.triggers.iter().chain(&self.running).filter(|u| u.lags()).count()
    }
}

/// Every use of an image by the objects of a catalog, read once.
#[derive(Clone, Debug, Default)]
pub(crate) struct UseIndex {
    uses: Vec<Use>,
    /// ReplicaSets and ReplicationControllers that own a Pod of the input.
    owners_with_pods: BTreeSet<(String, String)>,
    /// ReplicaSets and ReplicationControllers at 0 replicas (old revisions kept for rollback).
    scaled_to_zero: BTreeSet<(String, String)>,
    /// Objects whose triggers annotation cannot be read at all, as `namespace/kind/name`.
    pub unreadable: Vec<String>,
    /// Pods left out: finished (or Unknown) longer than [`FINISHED_POD_GRACE`] ago, as
    /// `namespace/name`.
    pub finished_pods: Vec<String>,
    /// Triggers and build inputs by what they follow (`namespace/stream:tag`...).
    by_watch: HashMap<String, Vec<usize>>,
    /// Running containers, and templates that stand for Pods, by digest.
    by_digest: HashMap<String, Vec<usize>>,
    /// The same by image reference without its `@digest`: what a pull by tag names.
    by_pull: HashMap<String, Vec<usize>>,
}

impl UseIndex {
    /// Reads every workload of `catalog`, in kind, namespace and name order. A Pod counts only
    /// while oc's pruner counts it at `now` ([`uses::pod_counts`]).
    pub(crate) fn of(catalog: &Catalog, now: jiff::Timestamp) -> UseIndex {
        let mut index = UseIndex::default();
        for kind in ResourceKind::WORKLOADS {
            for object in catalog.of_kind(kind) {
                if let Object::Pod(pod) = object
                    && !uses::pod_counts(pod, now, FINISHED_POD_GRACE)
                {
                    index.finished_pods.push(format!("{}/{}", pod.metadata.namespace(), pod.metadata.name()));
                    continue;
                }
                if let Object::ReplicaSet(w) | Object::ReplicationController(w) = object {
                    // spec.replicas defaults to 1.
                    let replicas = at(w.spec.as_ref(), &["replicas"]).and_then(Value::as_i64).unwrap_or(1);
                    if replicas == 0 {
                        let name = format!("{}/{}", kind.info().kind, w.metadata.name());
                        index.scaled_to_zero.insert((w.metadata.namespace().to_owned(), name));
                    }
                }
                for found in uses(object) {
                    if found.target == UNREADABLE {
                        let name = format!("{}/{}/{}", found.namespace, found.kind.to_ascii_lowercase(), found.name);
                        index.unreadable.push(name);
                        continue;
                    }
                    if let Some(owner) = &found.owner {
                        index.owners_with_pods.insert((found.namespace.clone(), owner.clone()));
                    }
                    index.uses.push(found);
                }
            }
        }
        // Each tag asks only for the uses that can match it: 3,000 tags against 40,000
        // workloads used to be 120 million comparisons.
        for (at, found) in index.uses.iter().enumerate() {
            let file = |map: &mut HashMap<String, Vec<usize>>, key: &str| {
                map.entry(key.to_owned()).or_default().push(at);
            };
            match found.role {
                Role::Trigger | Role::BuildInput => {
                    if let Some(watches) = &found.watches {
                        file(&mut index.by_watch, watches);
                    }
                }
                Role::Runs | Role::Template if found.role == Role::Runs || index.stands_for_pods(found) => {
                    if let Some(digest) = &found.digest {
                        file(&mut index.by_digest, digest);
                    }
                    file(&mut index.by_pull, found.image.split('@').next().unwrap_or_default());
                }
                _ => {}
            }
        }
        index
    }

    /// The uses that may match a tag, in index order, each once: those following `watched`,
    /// running one of `digests`, or pulling one of `pulls` by tag.
    fn candidates<'a>(&self, watched: &str, digests: impl Iterator<Item = &'a String>, pulls: &[String]) -> Vec<usize> {
        let mut found: BTreeSet<usize> = BTreeSet::new();
        found.extend(self.by_watch.get(watched).into_iter().flatten());
        for digest in digests {
            found.extend(self.by_digest.get(digest).into_iter().flatten());
        }
        for pull in pulls {
            found.extend(self.by_pull.get(pull).into_iter().flatten());
        }
        found.into_iter().collect()
    }

    /// Templates that stand for Pods: a ReplicaSet's or ReplicationController's whose Pods are
    /// not in the input.
    fn stands_for_pods(&self, found: &Use) -> bool {
        found.role == Role::Template
            && matches!(found.kind, "ReplicaSet" | "ReplicationController")
            && !self.scaled_to_zero.contains(&(found.namespace.clone(), format!("{}/{}", found.kind, found.name)))
            && !self.owners_with_pods.contains(&(found.namespace.clone(), format!("{}/{}", found.kind, found.name)))
    }

    /// The users of one tag of `stream`. A history image's manifest-list children (from its
    /// Image in `catalog`) count as it, so a Pod that reports the platform manifest counts too.
    pub(crate) fn tag_users(&self, stream: &ImageStream, tag: &str, catalog: &Catalog) -> TagUsers {
        let namespace = stream.metadata.namespace();
        let name = stream.metadata.name();
        let history: Vec<String> = stream
            .status_tags()
            .iter()
            .find(|t| t.tag == tag)
            .map(|t| t.history().iter().map(|e| e.image.clone()).filter(|d| !d.is_empty()).collect())
            .unwrap_or_default();
        let mut position: BTreeMap<String, usize> = BTreeMap::new();
        for (i, digest) in history.iter().enumerate() {
            position.entry(digest.clone()).or_insert(i);
            for child in manifest_children(catalog, digest) {
                position.entry(child).or_insert(i);
            }
        }
        let standing = |digest: Option<&String>| match digest {
            None => Standing::Unknown,
            Some(d) => match position.get(d) {
                Some(0) => Standing::Current,
                Some(n) => Standing::Older(*n),
                None => Standing::NotInHistory,
            },
        };
        let watched = format!("{namespace}/{name}:{tag}");
        // Pull specs that name the tag: the stream's repositories with `:tag`.
        let status = stream.status.as_ref();
        let repositories: Vec<String> = [
            status.and_then(|s| s.docker_image_repository.clone()),
            status.and_then(|s| s.public_docker_image_repository.clone()),
        ]
        .into_iter()
        .flatten()
        .filter(|r| !r.is_empty())
        .map(|r| format!("{r}:{tag}"))
        .collect();
        let mut triggers = Vec::new();
        let mut running = Vec::new();
        for at in self.candidates(&watched, position.keys(), &repositories) {
            let found = &self.uses[at];
            match found.role {
                Role::Trigger | Role::BuildInput if found.watches.as_deref() == Some(watched.as_str()) => {
                    let mut found = found.clone();
                    found.standing = (found.role == Role::Trigger).then(|| standing(found.digest.as_ref()));
                    triggers.push(found);
                }
                Role::Runs | Role::Template if found.role == Role::Runs || self.stands_for_pods(found) => {
                    let by_digest = found.digest.as_ref().is_some_and(|d| position.contains_key(d));
                    let by_tag = repositories.iter().any(|r| pulls_tag(&found.image, r));
                    if by_digest || by_tag {
                        let mut found = found.clone();
                        found.standing = Some(standing(found.digest.as_ref()));
                        running.push(found);
                    }
                }
                _ => {}
            }
        }
        TagUsers { tag: watched, current: history.first().cloned(), history, triggers, running }
    }

    /// Everything that still uses `digest` (or a manifest list holding it, per `parents`): by
    /// digest, or by pulling a tag whose current image it is (`current_of` answers a
    /// `namespace/stream:tag` with its current image), as oc's pruner counts a use by tag.
    pub(crate) fn image_users(
        &self,
        digest: &str,
        parents: &[String],
        current_of: impl Fn(&str) -> Option<String>,
    ) -> Vec<Use> {
        let matches = |d: &str| d == digest || parents.iter().any(|p| p == d);
        self.uses
            .iter()
            .filter_map(|u| {
                let by_digest = u.digest.as_deref().is_some_and(matches)
                    || u.watches.as_deref().and_then(|w| w.rsplit_once('@')).is_some_and(|(_, d)| matches(d));
                if by_digest {
                    return Some(u.clone());
                }
                if u.digest.is_some() || !matches!(u.role, Role::Runs | Role::Template) {
                    return None;
                }
                let Ok(Some(crate::reference::StreamPull::Tag(tag))) = crate::reference::stream_pull(&u.image) else {
                    return None;
                };
                current_of(&tag)
                    .is_some_and(|current| matches(&current))
                    .then(|| Use { via_tag: Some(tag), ..u.clone() })
            })
            .collect()
    }
}

/// The answer of `consumers STREAM[:TAG]`: who uses each tag, and who may pull the stream's
/// images (`kind: Consumers`, docs/consumers.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Consumers {
    /// `isctl/v1alpha1`.
    pub api_version: &'static str,
    /// `Consumers`.
    pub kind: &'static str,
    /// `namespace/stream`.
    pub stream: String,
    /// The tags asked about (every tag of the stream when none was named), in oc's order.
    pub tags: Vec<TagUsers>,
    /// Who may pull the stream's images.
    pub pull_access: crate::pull_access::PullAccess,
    /// Whether the input holds any workload or Pod at all: when it does not, empty lists say
    /// nothing about who uses the tags.
    pub workloads_read: bool,
}

/// Who uses `tag` of `stream` (every tag when `None`), and who may pull its images.
pub(crate) fn consumers(stream: &ImageStream, tag: Option<&str>, catalog: &Catalog, index: &UseIndex) -> Consumers {
    let mut tags: Vec<String> = match tag {
        Some(tag) => vec![tag.to_owned()],
        None => {
            let names = stream.spec_tags().iter().map(|t| t.name.clone());
            let names = names.chain(stream.status_tags().iter().map(|t| t.tag.clone()));
            names.collect::<BTreeSet<_>>().into_iter().collect()
        }
    };
    crate::tag_order::sort(&mut tags);
    Consumers {
        api_version: "isctl/v1alpha1",
        kind: "Consumers",
        stream: format!("{}/{}", stream.metadata.namespace(), stream.metadata.name()),
        tags: tags.iter().map(|tag| index.tag_users(stream, tag, catalog)).collect(),
        pull_access: crate::pull_access::pull_access(stream, catalog),
        workloads_read: input_has_workloads(catalog),
    }
}

/// The strings a workload must hold to use `tag` of `stream` (every tag when `None`): each
/// `stream:tag` (triggers, pulls by tag) and the hex of each history image and of a list's
/// images (Pods, templates, last-triggered images). A load reads only files that hold one.
pub(crate) fn stream_needles(stream: &ImageStream, tag: Option<&str>, catalog: &Catalog) -> Vec<String> {
    let name = stream.metadata.name();
    let mut needles = BTreeSet::new();
    let tags = stream.spec_tags().iter().map(|t| t.name.as_str());
    for t in tags.chain(stream.status_tags().iter().map(|t| t.tag.as_str())).filter(|t| tag.is_none_or(|w| w == *t)) {
        needles.insert(format!("{name}:{t}"));
    }
    for status in stream.status_tags().iter().filter(|t| tag.is_none_or(|w| w == t.tag)) {
        for event in status.history() {
            let digests = std::iter::once(event.image.clone()).chain(manifest_children(catalog, &event.image));
            let hexes = digests.filter_map(|d| d.split_once(':').map(|(_, hex)| hex.to_owned()));
            needles.extend(hexes.filter(|hex| !hex.is_empty()));
        }
    }
    needles.into_iter().collect()
}

/// The current image of a `namespace/stream:tag` of `catalog`.
fn current_image(catalog: &Catalog, tag: &str) -> Option<String> {
    let (namespace, rest) = tag.split_once('/')?;
    let (name, tag) = rest.rsplit_once(':')?;
    let status = catalog.stream(namespace, name)?.status_tags().iter().find(|t| t.tag == tag)?;
    status.history().first().map(|e| e.image.clone()).filter(|d| !d.is_empty())
}

/// The strings a workload must hold to use `digest` or one of the manifest lists that hold it:
/// their hex, and the `stream:tag` (or, for `latest`, the `namespace/stream`) of each tag of
/// `catalog` whose current image is one of them, which a pull by tag names.
pub(crate) fn image_needles(digest: &str, lists: &[String], catalog: &Catalog) -> Vec<String> {
    let digests: Vec<&str> = std::iter::once(digest).chain(lists.iter().map(String::as_str)).collect();
    let mut needles: BTreeSet<String> = digests
        .iter()
        .filter_map(|d| d.split_once(':').map(|(_, hex)| hex.to_owned()))
        .filter(|hex| !hex.is_empty())
        .collect();
    for stream in catalog.streams_in(None) {
        let (namespace, name) = (stream.metadata.namespace(), stream.metadata.name());
        for tag in stream.status_tags() {
            if tag.history().first().is_some_and(|e| digests.contains(&e.image.as_str())) {
                needles.insert(format!("{name}:{}", tag.tag));
                if tag.tag == "latest" {
                    needles.insert(format!("{namespace}/{name}"));
                }
            }
        }
    }
    needles.into_iter().collect()
}

/// The manifest lists of `catalog` that hold `digest`.
pub(crate) fn lists_holding(digest: &str, catalog: &Catalog) -> Vec<String> {
    catalog
        .images()
        .filter(|image| image.docker_image_manifests.iter().flatten().any(|m| m.digest == digest))
        .map(|image| image.metadata.name().to_owned())
        .collect()
}

/// Whether the input holds any workload, read or not (left unread for not naming the answer):
/// without one, empty answers say nothing.
pub(crate) fn input_has_workloads(catalog: &Catalog) -> bool {
    ResourceKind::WORKLOADS.iter().any(|kind| catalog.has_kind(*kind))
}

/// Whether a container image pulls `repository:tag` (written in full, or with the tag's
/// digest appended as the trigger controller writes it).
fn pulls_tag(image: &str, tagged: &str) -> bool {
    image == tagged || image.strip_prefix(tagged).is_some_and(|rest| rest.starts_with('@'))
}

/// One tag whose history holds an image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TagHolding {
    /// `namespace/stream:tag`.
    pub tag: String,
    /// Where the image stands in that tag's history.
    pub standing: Standing,
}

/// The answer of `consumers --image`: who still uses one image (docs/consumers.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImageUsers {
    /// `isctl/v1alpha1`.
    pub api_version: &'static str,
    /// `ImageUsers`.
    pub kind: &'static str,
    /// The digest asked about.
    pub image: String,
    /// The manifest lists of the input that hold it, which count as the same image.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub manifest_lists: Vec<String>,
    /// Tags whose history holds it.
    pub tags: Vec<TagHolding>,
    /// Triggers, build inputs, Pods and templates that use it.
    pub uses: Vec<Use>,
    /// Whether the input holds any workload or Pod at all.
    pub workloads_read: bool,
}

impl ImageUsers {
    /// Whether nothing in the input uses the image: pruning it breaks nothing the input shows.
    pub(crate) fn unused(&self) -> bool {
        self.tags.is_empty() && self.uses.is_empty()
    }
}

/// Who still uses `digest`: the tags of `streams` whose history holds it (or a manifest list
/// that holds it), and the uses in `index`.
pub(crate) fn image_users<'a>(
    digest: &str,
    streams: impl Iterator<Item = &'a ImageStream>,
    catalog: &Catalog,
    index: &UseIndex,
) -> ImageUsers {
    let manifest_lists = lists_holding(digest, catalog);
    let matches = |d: &str| d == digest || manifest_lists.iter().any(|l| l == d);
    let mut tags = Vec::new();
    for stream in streams {
        for tag in stream.status_tags() {
            let position = tag.history().iter().position(|e| matches(&e.image));
            if let Some(position) = position {
                let standing = if position == 0 { Standing::Current } else { Standing::Older(position) };
                let name = format!("{}/{}:{}", stream.metadata.namespace(), stream.metadata.name(), tag.tag);
                tags.push(TagHolding { tag: name, standing });
            }
        }
    }
    let uses = index.image_users(digest, &manifest_lists, |tag| current_image(catalog, tag));
    ImageUsers {
        api_version: "isctl/v1alpha1",
        kind: "ImageUsers",
        image: digest.to_owned(),
        manifest_lists,
        tags,
        uses,
        workloads_read: input_has_workloads(catalog),
    }
}

#[cfg(test)]
mod tests {
    use super::uses::*;
    use super::*;
    use crate::model::Workload;
    use crate::model::workload::prune;

    const DIGEST: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    /// The demo's recording day.
    fn now() -> jiff::Timestamp {
        "2026-11-27T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn digests_come_from_every_form_of_image_id() {
        for id in [
            format!("docker-pullable://quay.io/a/b@{DIGEST}"),
            format!("quay.io/a/b@{DIGEST}"),
            DIGEST.to_owned(),
            format!("image-registry.openshift-image-registry.svc:5000/ns/s@{DIGEST}"),
        ] {
            assert_eq!(crate::reference::digest_of(&id).as_deref(), Some(DIGEST), "{id}");
        }
        assert_eq!(crate::reference::digest_of("quay.io/a/b:latest"), None);
        assert_eq!(crate::reference::digest_of("localhost:5000/a"), None, "a port is not a digest");
    }

    #[test]
    fn annotation_field_paths_are_read_as_the_controller_reads_them() {
        let containers = vec![
            Container { name: "setup".into(), image: "a".into(), section: Section::Init },
            Container { name: "web".into(), image: "b".into(), section: Section::Main },
            Container { name: "proxy".into(), image: "c".into(), section: Section::Main },
        ];
        let name = |kind, field: &str| field_container(kind, field, &containers).map(|c| c.name.clone());
        let deployment = ResourceKind::Deployment;
        assert_eq!(
            name(deployment, r#"spec.template.spec.containers[?(@.name=="proxy")].image"#).as_deref(),
            Ok("proxy")
        );
        assert_eq!(name(deployment, "spec.template.spec.containers[1].image").as_deref(), Ok("proxy"));
        assert_eq!(
            name(deployment, r#"spec.template.spec.initContainers[?(@.name=="setup")].image"#).as_deref(),
            Ok("setup")
        );
        let cron = r#"spec.jobTemplate.spec.template.spec.containers[?(@.name=="web")].image"#;
        assert_eq!(name(ResourceKind::CronJob, cron).as_deref(), Ok("web"));
        for rejected in [
            r#"spec.template.spec.containers[?(@.name="web")].image"#,
            r#"spec.template.spec.containers[?(@.name=='web')].image"#,
            r#"spec.template.spec.containers[?(@.name=="web")]"#,
            r#"template.spec.containers[?(@.name=="web")].image"#,
            r#"spec.template.spec.containers[?(@.name=="gone")].image"#,
        ] {
            assert!(name(deployment, rejected).is_err(), "{rejected}");
        }
        assert!(name(ResourceKind::CronJob, r#"spec.template.spec.containers[?(@.name=="web")].image"#).is_err());
    }

    fn catalog(yaml: &str) -> Catalog {
        Catalog::from_yaml(yaml)
    }

    #[test]
    fn a_paused_config_holds_its_trigger_and_a_build_without_trigger_is_an_input() {
        let catalog = catalog(
            r#"
apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: {name: tools, namespace: demo}
spec:
  paused: true
  triggers:
  - type: ConfigChange
  - type: ImageChange
    imageChangeParams:
      automatic: true
      containerNames: [tools]
      from: {kind: ImageStreamTag, name: "cli:latest", namespace: openshift}
      lastTriggeredImage: quay.io/a/cli@sha256:1111111111111111111111111111111111111111111111111111111111111111
---
apiVersion: build.openshift.io/v1
kind: BuildConfig
metadata: {name: app, namespace: demo}
spec:
  strategy:
    type: Docker
    dockerStrategy:
      from: {kind: ImageStreamTag, name: "base:1"}
"#,
        );
        let index = UseIndex::of(&catalog, now());
        let triggers: Vec<(&str, Role, Option<&str>, Option<bool>)> =
            index.uses.iter().map(|u| (u.kind, u.role, u.watches.as_deref(), u.automatic)).collect();
        assert_eq!(
            triggers,
            vec![
                ("DeploymentConfig", Role::Trigger, Some("openshift/cli:latest"), Some(true)),
                ("BuildConfig", Role::BuildInput, Some("demo/base:1"), None),
            ]
        );
        assert_eq!(index.uses[0].digest.as_deref(), Some(DIGEST));
        assert!(
            index.uses[0].held.as_deref().is_some_and(|h| h.starts_with("rollouts paused")),
            "paused stops rollouts only"
        );
    }

    #[test]
    fn an_annotation_the_controller_rejects_triggers_nothing() {
        let deployment = |annotation: &str| {
            let yaml = format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: n\n  annotations:\n    image.openshift.io/triggers: '{annotation}'\nspec:\n  template:\n    spec:\n      containers: [{{name: web, image: x}}]\n"
            );
            UseIndex::of(&Catalog::from_yaml(&yaml), now())
        };
        let good = r#"{"from":{"kind":"ImageStreamTag","name":"s:t"},"fieldPath":"spec.template.spec.containers[?(@.name==\"web\")].image"}"#;
        let index = deployment(&format!("[{good}]"));
        assert_eq!(index.uses[0].automatic, Some(true));
        let twice = deployment(&format!("[{good},{good}]"));
        assert!(
            twice
                .uses
                .iter()
                .filter(|u| u.role == Role::Trigger)
                .all(|u| u.automatic == Some(false) && u.held.as_deref().is_some_and(|h| h.starts_with("rejected")))
        );
        let paused = r#"{"from":{"kind":"ImageStreamTag","name":"s:t"},"paused":"true","fieldPath":"spec.template.spec.containers[0].image"}"#;
        let string_paused = deployment(&format!("[{paused}]"));
        assert_eq!(string_paused.uses[0].role, Role::Trigger);
        assert_eq!(string_paused.uses[0].automatic, Some(false), "Go's JSON refuses a string there");
        let unreadable = deployment("not json");
        assert_eq!(unreadable.unreadable, ["n/deployment/d"]);
    }

    #[test]
    fn a_config_trigger_for_no_container_is_ignored_and_kinds_default() {
        let catalog = Catalog::from_yaml(
            r#"
apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: {name: d, namespace: n}
spec:
  template: {spec: {containers: [{name: cli, image: x}]}}
  triggers:
  - type: ImageChange
    imageChangeParams: {automatic: true, containerNames: [other], from: {name: "s:t"}}
  - type: ImageChange
    imageChangeParams: {automatic: true, containerNames: [cli], from: {name: "s:t"}}
"#,
        );
        let index = UseIndex::of(&catalog, now());
        let triggers: Vec<(Option<&str>, Option<bool>)> = index
            .uses
            .iter()
            .filter(|u| u.role == Role::Trigger)
            .map(|u| (u.watches.as_deref(), u.automatic))
            .collect();
        assert_eq!(triggers, [(Some("n/s:t"), Some(false)), (Some("n/s:t"), Some(true))]);
        assert!(index.uses[0].held.as_deref().is_some_and(|h| h.starts_with("ignored")));
    }

    #[test]
    fn debug_containers_count_too() {
        let catalog = Catalog::from_yaml(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: n}}\nspec:\n  containers: [{{name: app, image: a}}]\n  ephemeralContainers: [{{name: dbg, image: 'quay.io/t/tools:1'}}]\nstatus:\n  ephemeralContainerStatuses: [{{name: dbg, imageID: 'quay.io/t/tools@{DIGEST}'}}]\n"
        ));
        let pod = catalog.of_kind(ResourceKind::Pod).next().unwrap();
        let found: Vec<(String, Option<String>)> = uses(pod).into_iter().map(|u| (u.target, u.digest)).collect();
        assert_eq!(
            found,
            [("container app".to_owned(), None), ("ephemeral container dbg".to_owned(), Some(DIGEST.to_owned()))]
        );
        let mut pruned = pod.clone();
        prune(&mut pruned);
        assert_eq!(uses(&pruned), uses(pod));
    }

    /// Item 6 of #26: each tag looks only at the uses that can match it. 400 tags against 4,000
    /// Pods (each running one tag's image, by tag) examine 4,000 uses in all, not 1,600,000.
    /// A stream `foo/bar` whose `latest` has D0 then D1, and `v1` has D1.
    const FOO_BAR: &str = r#"
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: bar, namespace: foo}
status:
  dockerImageRepository: image-registry.openshift-image-registry.svc:5000/foo/bar
  tags:
  - tag: latest
    items:
    - {image: "sha256:0000000000000000000000000000000000000000000000000000000000000000", dockerImageReference: "r.io/foo/bar@sha256:0000000000000000000000000000000000000000000000000000000000000000"}
    - {image: "sha256:0000000000000000000000000000000000000000000000000000000000000001", dockerImageReference: "r.io/foo/bar@sha256:0000000000000000000000000000000000000000000000000000000000000001"}
  - tag: v1
    items:
    - {image: "sha256:0000000000000000000000000000000000000000000000000000000000000001", dockerImageReference: "r.io/foo/bar@sha256:0000000000000000000000000000000000000000000000000000000000000001"}
"#;
    const D0: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
    const D1: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000001";

    fn pod(name: &str, phase: Option<&str>, created: &str, image: &str) -> String {
        let phase = phase.map_or(String::new(), |p| format!("status: {{phase: {p}}}\n"));
        format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: foo, creationTimestamp: '{created}'}}\nspec: {{containers: [{{name: c, image: '{image}'}}]}}\n{phase}"
        )
    }

    fn user_names(users: &ImageUsers) -> Vec<String> {
        users.uses.iter().map(|u| format!("{}/{}", u.kind, u.name)).collect()
    }

    /// Follows oc's prune tests (openshift/oc `pkg/cli/admin/prune/imageprune/prune_test.go`):
    /// "1 pod - phase pending - don't prune", "1 pod - phase running - don't prune", "pod
    /// phase succeeded - prune", "pod phase failed - prune", "pod phase unknown - prune" and
    /// "pod phase succeeded, pod less than min pruning age - don't prune"
    /// (`analyzeReferencesFromPods`).
    #[test]
    fn only_running_pending_and_young_pods_use_an_image() {
        let by_digest = format!("r.io/foo/bar@{D0}");
        let old = "2026-11-01T00:00:00Z";
        let mut yaml = FOO_BAR.to_owned();
        for (name, phase, created) in [
            ("running", Some("Running"), old),
            ("pending", Some("Pending"), old),
            ("succeeded", Some("Succeeded"), old),
            ("failed", Some("Failed"), old),
            ("unknown", Some("Unknown"), old),
            ("no-phase", None, old),
            ("no-date", Some("Succeeded"), ""),
            ("succeeded-5m-ago", Some("Succeeded"), "2026-11-27T11:55:00Z"),
            ("failed-61m-ago", Some("Failed"), "2026-11-27T10:59:00Z"),
        ] {
            yaml += &pod(name, phase, created, &by_digest);
        }
        let catalog = catalog(&yaml);
        let index = UseIndex::of(&catalog, now());
        let users = image_users(D0, catalog.streams_in(None), &catalog, &index);
        assert_eq!(user_names(&users), ["Pod/pending", "Pod/running", "Pod/succeeded-5m-ago"]);
        assert_eq!(
            index.finished_pods,
            ["foo/failed", "foo/failed-61m-ago", "foo/no-date", "foo/no-phase", "foo/succeeded", "foo/unknown"]
        );
    }

    /// A pull by tag uses the image the tag points at now, as oc's pruner counts it
    /// (`analyzeImageReference`: a written host, ignored, then exactly `namespace/name`; no tag
    /// is `latest`; prune_test.go "images referenced by istag - keep" keeps the tag's newest
    /// revision only).
    #[test]
    fn a_pull_by_tag_uses_the_tags_current_image() {
        let mut yaml = FOO_BAR.to_owned();
        let created = "2026-11-27T11:00:00Z";
        yaml += &pod(
            "integrated-no-tag",
            Some("Pending"),
            created,
            "image-registry.openshift-image-registry.svc:5000/foo/bar",
        );
        yaml += &pod("other-host-v1", Some("Running"), created, "quay.io/foo/bar:v1");
        yaml += &pod("no-host", Some("Running"), created, "foo/bar:latest");
        yaml += &pod("three-parts", Some("Running"), created, "r.io/x/foo/bar:latest");
        yaml += "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds, namespace: foo}\nspec: {template: {spec: {containers: [{name: c, image: 'localhost:5000/foo/bar:latest'}]}}}\n";
        let catalog = catalog(&yaml);
        let index = UseIndex::of(&catalog, now());
        let current = image_users(D0, catalog.streams_in(None), &catalog, &index);
        assert_eq!(user_names(&current), ["DaemonSet/ds", "Pod/integrated-no-tag"]);
        assert!(current.uses.iter().all(|u| u.via_tag.as_deref() == Some("foo/bar:latest")));
        // D1 is v1's current image, and only an older one of latest.
        let older = image_users(D1, catalog.streams_in(None), &catalog, &index);
        assert_eq!(user_names(&older), ["Pod/other-host-v1"]);
        assert_eq!(older.uses[0].via_tag.as_deref(), Some("foo/bar:v1"));
        // The needles find the files of such workloads.
        let needles = image_needles(D0, &[], &catalog);
        assert!(needles.contains(&"bar:latest".to_owned()) && needles.contains(&"foo/bar".to_owned()), "{needles:?}");
    }

    /// The trigger controllers follow ImageStreamTags only: library-go
    /// `pkg/image/trigger/annotations` (a `from` of another kind is skipped) and
    /// openshift-controller-manager's DeploymentConfig and BuildConfig image triggers. A
    /// DockerImage named like `namespace/stream:tag` is Docker Hub's, not the stream's.
    #[test]
    fn a_docker_image_trigger_is_not_a_use_of_a_stream() {
        let mut yaml = FOO_BAR.to_owned();
        yaml += r#"---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: foo
  annotations:
    image.openshift.io/triggers: '[{"from":{"kind":"DockerImage","name":"foo/bar:latest"},"fieldPath":"spec.template.spec.containers[?(@.name==\"c\")].image"}]'
spec: {template: {spec: {containers: [{name: c, image: x}]}}}
---
apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: {name: dc, namespace: foo}
spec:
  template: {spec: {containers: [{name: c, image: x}]}}
  triggers:
  - type: ImageChange
    imageChangeParams: {automatic: true, containerNames: [c], from: {kind: DockerImage, name: "foo/bar:latest"}}
"#;
        let catalog = catalog(&yaml);
        let index = UseIndex::of(&catalog, now());
        let stream = catalog.streams_in(None).next().unwrap();
        assert_eq!(index.tag_users(stream, "latest", &catalog).triggers, []);
        let watches: Vec<Option<String>> =
            index.uses.iter().filter(|u| u.role == Role::Trigger).map(|u| u.watches.clone()).collect();
        assert_eq!(watches, [Some("docker.io/foo/bar:latest".to_owned()), Some("docker.io/foo/bar:latest".to_owned())]);
    }

    #[test]
    fn each_tag_examines_only_the_uses_that_can_match_it() {
        let (tags, pods) = (400, 4_000);
        let digest = |i: usize| format!("sha256:{i:064x}");
        let repository = "image-registry.openshift-image-registry.svc:5000/ns/app";
        let mut yaml = format!(
            "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {{name: app, namespace: ns}}\nstatus:\n  dockerImageRepository: {repository}\n  tags:\n"
        );
        for t in 0..tags {
            yaml += &format!(
                "  - tag: v{t}\n    items: [{{image: '{}', dockerImageReference: 'q/app@{}'}}]\n",
                digest(t),
                digest(t)
            );
        }
        for p in 0..pods {
            let t = p % tags;
            yaml += &format!(
                "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{p}, namespace: ns}}\nspec: {{containers: [{{name: c, image: '{repository}:v{t}'}}]}}\nstatus: {{phase: Running, containerStatuses: [{{name: c, imageID: 'q/app@{}'}}]}}\n",
                digest(t)
            );
        }
        let catalog = catalog(&yaml);
        let index = UseIndex::of(&catalog, now());
        let stream = catalog.streams_in(None).next().unwrap();
        let mut examined = 0;
        for t in 0..tags {
            let tag = format!("v{t}");
            let watched = format!("ns/app:{tag}");
            let pulls = [format!("{repository}:{tag}")];
            examined += index.candidates(&watched, [digest(t)].iter(), &pulls).len();
            let users = index.tag_users(stream, &tag, &catalog);
            assert_eq!(users.running.len(), pods / tags, "{tag}");
            assert!(users.running.iter().all(|u| u.standing == Some(Standing::Current)));
        }
        assert_eq!(examined, pods);
    }

    #[test]
    fn pruning_keeps_every_use() {
        let yaml = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/must-gather/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-5f2b0e1d2c3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c/namespaces/demo/core/pods.yaml"
        ))
        .unwrap();
        let catalog = Catalog::from_yaml(&yaml);
        let (mut before, mut after) = (0, 0);
        for object in catalog.of_kind(ResourceKind::Pod) {
            let mut pruned = object.clone();
            prune(&mut pruned);
            assert_eq!(uses(&pruned), uses(object));
            // The phase stays: it decides whether the Pod counts.
            assert_eq!(pruned.to_json()["status"]["phase"], object.to_json()["status"]["phase"]);
            before += object.to_json().to_string().len();
            after += pruned.to_json().to_string().len();
        }
        assert!(after < before, "{after} < {before}");
        let mut template = Object::CronJob(Box::new(Workload {
            spec: Some(serde_json::json!({"schedule": "x", "jobTemplate": {"spec": {"template": {"spec": {
                "containers": [{"name": "a", "image": "i", "command": ["x"]}], "restartPolicy": "Never"}}}}})),
            ..Workload::default()
        }));
        prune(&mut template);
        assert_eq!(
            template.to_json()["spec"],
            serde_json::json!({"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "i"}]}}}}})
        );
    }
}
