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

pub(crate) use uses::{Role, Standing, Use, uses};
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
    /// Triggers and build inputs by what they follow (`namespace/stream:tag`...).
    by_watch: HashMap<String, Vec<usize>>,
    /// Running containers, and templates that stand for Pods, by digest.
    by_digest: HashMap<String, Vec<usize>>,
    /// The same by image reference without its `@digest`: what a pull by tag names.
    by_pull: HashMap<String, Vec<usize>>,
}

impl UseIndex {
    /// Reads every workload of `catalog`, in kind, namespace and name order.
    pub(crate) fn of(catalog: &Catalog) -> UseIndex {
        let mut index = UseIndex::default();
        for kind in ResourceKind::WORKLOADS {
            for object in catalog.of_kind(kind) {
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

    /// Everything that still uses `digest` (or a manifest list holding it, per `parents`).
    pub(crate) fn image_users(&self, digest: &str, parents: &[String]) -> Vec<Use> {
        let matches = |d: &str| d == digest || parents.iter().any(|p| p == d);
        self.uses
            .iter()
            .filter(|u| {
                u.digest.as_deref().is_some_and(matches)
                    || u.watches.as_deref().and_then(|w| w.rsplit_once('@')).is_some_and(|(_, d)| matches(d))
            })
            .cloned()
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

/// The strings a workload must hold to use `digest` or one of the manifest lists that hold it.
pub(crate) fn image_needles(digest: &str, lists: &[String]) -> Vec<String> {
    std::iter::once(digest)
        .chain(lists.iter().map(String::as_str))
        .filter_map(|d| d.split_once(':').map(|(_, hex)| hex.to_owned()))
        .filter(|hex| !hex.is_empty())
        .collect()
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
    let uses = index.image_users(digest, &manifest_lists);
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
        let index = UseIndex::of(&catalog);
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
            UseIndex::of(&Catalog::from_yaml(&yaml))
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
        let index = UseIndex::of(&catalog);
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
                "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{p}, namespace: ns}}\nspec: {{containers: [{{name: c, image: '{repository}:v{t}'}}]}}\nstatus: {{containerStatuses: [{{name: c, imageID: 'q/app@{}'}}]}}\n",
                digest(t)
            );
        }
        let catalog = catalog(&yaml);
        let index = UseIndex::of(&catalog);
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
        for object in catalog.of_kind(ResourceKind::Pod) {
            let mut pruned = object.clone();
            prune(&mut pruned);
            assert_eq!(uses(&pruned), uses(object));
            assert!(pruned.to_json().to_string().len() < object.to_json().to_string().len() || uses(object).is_empty());
        }
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
