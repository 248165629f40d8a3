//! Reading the uses of images out of workloads, by path, as OpenShift's trigger controllers
//! and the kubelet write them: triggers (a DeploymentConfig's and a BuildConfig's
//! `ImageChange` triggers, the `image.openshift.io/triggers` annotation), build inputs, the
//! containers of Pods and the templates of controllers. Relating them to a tag or a digest is
//! the parent module's job.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::model::workload::TRIGGERS_ANNOTATION;
use crate::model::{Object, ResourceKind, Workload};

/// How an object uses an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Role {
    /// A trigger: a new image in the watched tag redeploys or rebuilds (unless paused).
    Trigger,
    /// A build input without a trigger: the next build takes whatever the tag has then.
    BuildInput,
    /// A container that runs, in a Pod.
    Runs,
    /// A pod template: the Pods made from it pull this image.
    Template,
}

/// One use of an image by one object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Use {
    /// How it uses the image.
    pub role: Role,
    /// The object's kind (`DeploymentConfig`, `Pod`...).
    pub kind: &'static str,
    /// The object's namespace.
    pub namespace: String,
    /// The object's name.
    pub name: String,
    /// What the image goes into: `container web`, `init container setup`, `sourceStrategy`,
    /// `source image`, or `build` for a trigger that only starts builds.
    pub target: String,
    /// What a trigger or build input follows: `namespace/stream:tag`, `namespace/stream@digest`,
    /// or a registry reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watches: Option<String>,
    /// For triggers: whether it fires by itself (`false`: paused, or not automatic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automatic: Option<bool>,
    /// Why it does not fire by itself, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held: Option<String>,
    /// The image as the object records it: the last image a trigger set, a container's
    /// `imageID` (or its spec image without one), a template's image.
    pub image: String,
    /// The digest of that image, when it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// A Pod's controller (`ReplicaSet/web-5d4f8`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// How the image stands against the tag asked about; absent in a reverse lookup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub standing: Option<Standing>,
    /// In a reverse lookup, for a use that names no digest: the `namespace/stream:tag` its
    /// image reference pulls, which points at the image asked about now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via_tag: Option<String>,
}

impl Use {
    /// Whether the use is known not to have the tag's current image (an older image, or one
    /// the history does not hold); a use whose digest is unknown does not lag.
    pub(crate) fn lags(&self) -> bool {
        matches!(self.standing, Some(Standing::Older(_) | Standing::NotInHistory))
    }
}

/// Where an image stands in a tag's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase", tag = "state", content = "behind")]
pub(crate) enum Standing {
    /// The tag's current image.
    Current,
    /// An older image of the tag: this many imports or pushes behind.
    Older(usize),
    /// An image the tag's history does not hold (pinned elsewhere, or pruned from history).
    NotInHistory,
    /// No digest is known (a container not started yet, pulled by tag).
    Unknown,
}

impl Standing {
    /// A few words for a table cell.
    pub(crate) fn words(self) -> String {
        match self {
            Standing::Current => "current".into(),
            Standing::Older(1) => "previous".into(),
            Standing::Older(n) => format!("{n} behind"),
            Standing::NotInHistory => "not in history".into(),
            Standing::Unknown => "unknown".into(),
        }
    }
}

/// Every use of an image by `object` (nothing for kinds that use none).
pub(crate) fn uses(object: &Object) -> Vec<Use> {
    let kind = object.kind();
    let Some(workload) = object.workload() else { return Vec::new() };
    let base = Use {
        role: Role::Template,
        kind: kind.info().kind,
        namespace: workload.metadata.namespace().to_owned(),
        name: workload.metadata.name().to_owned(),
        target: String::new(),
        watches: None,
        automatic: None,
        held: None,
        image: String::new(),
        digest: None,
        owner: None,
        standing: None,
        via_tag: None,
    };
    let mut found = match kind {
        ResourceKind::Pod => pod_uses(workload, &base),
        ResourceKind::BuildConfig => build_uses(workload, &base),
        ResourceKind::DeploymentConfig => deployment_config_uses(workload, &base),
        _ => Vec::new(),
    };
    if kind != ResourceKind::Pod && kind != ResourceKind::BuildConfig {
        let containers = template_containers(kind, workload);
        // The trigger controller reads the annotation on these kinds only; a ReplicaSet
        // carries a copy of its Deployment's, which triggers nothing.
        let watched_kinds =
            [ResourceKind::Deployment, ResourceKind::StatefulSet, ResourceKind::DaemonSet, ResourceKind::CronJob];
        if watched_kinds.contains(&kind) {
            found.extend(annotation_triggers(kind, workload, &containers, &base));
        }
        for container in &containers {
            found.push(Use {
                target: container.target(),
                image: container.image.clone(),
                digest: crate::reference::digest_of(&container.image),
                ..base.clone()
            });
        }
    }
    found
}

/// Which list of a pod spec a container is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Section {
    Init,
    Main,
    /// `kubectl debug` containers: in Pods only.
    Ephemeral,
}

impl Section {
    /// The spec key of the list, and of its statuses.
    const ALL: [(Section, &'static str, &'static str); 3] = [
        (Section::Init, "initContainers", "initContainerStatuses"),
        (Section::Main, "containers", "containerStatuses"),
        (Section::Ephemeral, "ephemeralContainers", "ephemeralContainerStatuses"),
    ];
}

/// A container of a pod template or a Pod spec.
pub(super) struct Container {
    pub(super) name: String,
    pub(super) image: String,
    pub(super) section: Section,
}

impl Container {
    fn target(&self) -> String {
        match self.section {
            Section::Init => format!("init container {}", self.name),
            Section::Main => format!("container {}", self.name),
            Section::Ephemeral => format!("ephemeral container {}", self.name),
        }
    }
}

/// `value` at `path` (object keys), if every step is there.
pub(super) fn at<'a>(value: Option<&'a Value>, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value?, |v, key| v.get(key))
}

fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

/// The containers (init ones first, ephemeral ones last) of a pod spec.
fn containers_of(spec: Option<&Value>) -> Vec<Container> {
    let mut containers = Vec::new();
    for (section, key, _) in Section::ALL {
        for container in at(spec, &[key]).and_then(Value::as_array).into_iter().flatten() {
            containers.push(Container {
                name: text(container.get("name")).unwrap_or_default(),
                image: text(container.get("image")).unwrap_or_default(),
                section,
            });
        }
    }
    containers
}

/// The pod spec of a controller's template (a CronJob's is one level deeper).
fn template_containers(kind: ResourceKind, workload: &Workload) -> Vec<Container> {
    let spec = workload.spec.as_ref();
    let template = match kind {
        ResourceKind::CronJob => at(spec, &["jobTemplate", "spec", "template", "spec"]),
        _ => at(spec, &["template", "spec"]),
    };
    containers_of(template)
}

/// What a trigger's `from` names, as `namespace/stream:tag`, `namespace/stream@digest` or the
/// reference itself; the namespace defaults to the object's own.
fn watched(from: Option<&Value>, namespace: &str) -> Option<String> {
    let from = from?;
    let name = text(from.get("name")).filter(|n| !n.is_empty())?;
    // The API server defaults an empty kind to ImageStreamTag (apps/v1 and build/v1 defaults).
    let kind = text(from.get("kind")).filter(|k| !k.is_empty()).unwrap_or_else(|| "ImageStreamTag".to_owned());
    let namespace = text(from.get("namespace")).filter(|n| !n.is_empty()).unwrap_or_else(|| namespace.to_owned());
    Some(match kind.as_str() {
        "ImageStreamTag" | "ImageStreamImage" => format!("{namespace}/{name}"),
        // A registry reference, written whole (`openshift/cli:latest` is Docker Hub's), so that
        // it never reads as a stream's `namespace/stream:tag`: the trigger controllers follow
        // ImageStreamTags only.
        _ => crate::reference::Reference::parse_normalized(&name).map_or(name, |r| r.to_string()),
    })
}

/// The phases of a Pod that oc's image pruner counts as using its images whatever its age
/// (openshift/oc `pkg/cli/admin/prune/imageprune` `analyzeReferencesFromPods`).
const ACTIVE_PHASES: [&str; 2] = ["Running", "Pending"];

/// How long after its creation a Pod in another phase (Succeeded, Failed, Unknown, or none
/// written) still counts: oc adm prune images' default `--keep-younger-than`.
pub(crate) const FINISHED_POD_GRACE: jiff::SignedDuration = jiff::SignedDuration::from_mins(60);

/// Whether a Pod's containers use their images, as oc's pruner decides: Running and Pending
/// ones do; any other only if created no earlier than `grace` before `now` (a missing or
/// unreadable creationTimestamp is as old as can be, as Go's zero time is).
pub(crate) fn pod_counts(pod: &Workload, now: jiff::Timestamp, grace: jiff::SignedDuration) -> bool {
    let phase = at(pod.status.as_ref(), &["phase"]).and_then(Value::as_str).unwrap_or_default();
    if ACTIVE_PHASES.contains(&phase) {
        return true;
    }
    let created = pod.metadata.creation_timestamp.as_deref().and_then(|t| t.parse::<jiff::Timestamp>().ok());
    created.is_some_and(|created| created >= now - grace)
}

/// A boolean written as one, or as the string `"true"` (annotation JSON from hand-written YAML).
fn flag(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn pod_uses(pod: &Workload, base: &Use) -> Vec<Use> {
    let statuses: BTreeMap<(Section, String), String> = Section::ALL
        .into_iter()
        .flat_map(|(section, _, key)| {
            at(pod.status.as_ref(), &[key]).and_then(Value::as_array).into_iter().flatten().filter_map(move |s| {
                let id = text(s.get("imageID")).filter(|id| !id.is_empty())?;
                Some(((section, text(s.get("name")).unwrap_or_default()), id))
            })
        })
        .collect();
    let owner = pod.metadata.extra.get("ownerReferences").and_then(Value::as_array).and_then(|owners| {
        let controller = owners.iter().find(|o| flag(o.get("controller"))).or(owners.first())?;
        Some(format!("{}/{}", text(controller.get("kind"))?, text(controller.get("name"))?))
    });
    containers_of(pod.spec.as_ref())
        .into_iter()
        .map(|container| {
            let id = statuses.get(&(container.section, container.name.clone()));
            let digest = id
                .and_then(|id| crate::reference::digest_of(id))
                .or_else(|| crate::reference::digest_of(&container.image));
            Use {
                role: Role::Runs,
                target: container.target(),
                image: id.cloned().unwrap_or_else(|| container.image.clone()),
                digest,
                owner: owner.clone(),
                ..base.clone()
            }
        })
        .collect()
}

fn deployment_config_uses(config: &Workload, base: &Use) -> Vec<Use> {
    let spec = config.spec.as_ref();
    let paused = flag(at(spec, &["paused"]));
    let mut found = Vec::new();
    for trigger in at(spec, &["triggers"]).and_then(Value::as_array).into_iter().flatten() {
        if text(trigger.get("type")).as_deref() != Some("ImageChange") {
            continue;
        }
        let params = trigger.get("imageChangeParams");
        let automatic = flag(at(params, &["automatic"]));
        let names: Vec<String> = at(params, &["containerNames"])
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|n| n.as_str().map(str::to_owned))
            .collect();
        let image = text(at(params, &["lastTriggeredImage"])).unwrap_or_default();
        // The controller updates only the named containers of the template; a trigger that
        // names none of them does nothing.
        let template = template_containers(ResourceKind::DeploymentConfig, config);
        let unknown: Vec<&String> = names.iter().filter(|n| !template.iter().any(|c| &c.name == *n)).collect();
        // `paused` stops rollouts, not the trigger: the template still gets the new image.
        let held = match (automatic, paused) {
            _ if !template.is_empty() && (names.is_empty() || unknown.len() == names.len()) => Some(format!(
                "ignored by the trigger controller: no container of the template is named {}",
                if names.is_empty() { "in containerNames".to_owned() } else { names.join(", ") }
            )),
            (false, _) => Some("automatic: false (rolls out only on oc rollout latest)".to_owned()),
            (true, true) => Some("rollouts paused: the template gets the image, the Pods wait".to_owned()),
            (true, false) => None,
        };
        let automatic = automatic && !held.as_deref().is_some_and(|h| h.starts_with("ignored"));
        found.push(Use {
            role: Role::Trigger,
            target: match names.as_slice() {
                [] => "no container".to_owned(),
                [one] => format!("container {one}"),
                _ => format!("containers {}", names.join(",")),
            },
            watches: watched(at(params, &["from"]), &base.namespace),
            automatic: Some(automatic),
            held,
            digest: crate::reference::digest_of(&image),
            image,
            ..base.clone()
        });
    }
    found
}

fn build_uses(config: &Workload, base: &Use) -> Vec<Use> {
    let spec = config.spec.as_ref();
    let strategy = ["sourceStrategy", "dockerStrategy", "customStrategy"]
        .into_iter()
        .find_map(|name| at(spec, &["strategy", name]).map(|s| (name, s)));
    let strategy_from = strategy.and_then(|(_, s)| watched(s.get("from"), &base.namespace));
    let mut found = Vec::new();
    let mut strategy_triggered = false;
    for trigger in at(spec, &["triggers"]).and_then(Value::as_array).into_iter().flatten() {
        if text(trigger.get("type")).as_deref() != Some("ImageChange") {
            continue;
        }
        let change = trigger.get("imageChange");
        let own = watched(at(change, &["from"]), &base.namespace);
        // A trigger without `from` follows the strategy's image.
        let (watches, target) = match own {
            Some(from) if Some(&from) != strategy_from.as_ref() => (Some(from), "build".to_owned()),
            _ => {
                strategy_triggered = true;
                (strategy_from.clone(), strategy.map_or("build".to_owned(), |(name, _)| name.to_owned()))
            }
        };
        let paused = flag(at(change, &["paused"]));
        // Since OpenShift 4.8 the last image is in status.imageChangeTriggers, matched by
        // `from`; the spec field is the older place.
        let from = at(change, &["from"]).or_else(|| strategy.and_then(|(_, s)| s.get("from")));
        let image = from
            .and_then(|from| last_build_image(config, from, &base.namespace))
            .or_else(|| text(at(change, &["lastTriggeredImageID"])).filter(|i| !i.is_empty()))
            .unwrap_or_default();
        found.push(Use {
            role: Role::Trigger,
            target,
            watches,
            automatic: Some(!paused),
            held: paused.then(|| "the trigger is paused".to_owned()),
            digest: crate::reference::digest_of(&image),
            image,
            ..base.clone()
        });
    }
    if let (Some((name, _)), Some(from), false) = (strategy, &strategy_from, strategy_triggered) {
        found.push(Use {
            role: Role::BuildInput,
            target: name.to_owned(),
            watches: Some(from.clone()),
            digest: crate::reference::digest_of(from),
            image: from.clone(),
            ..base.clone()
        });
    }
    for source in at(spec, &["source", "images"]).and_then(Value::as_array).into_iter().flatten() {
        if let Some(from) = watched(source.get("from"), &base.namespace) {
            found.push(Use {
                role: Role::BuildInput,
                target: "source image".to_owned(),
                watches: Some(from.clone()),
                digest: crate::reference::digest_of(&from),
                image: from,
                ..base.clone()
            });
        }
    }
    found
}

/// The image a BuildConfig last built from `from`, from `status.imageChangeTriggers` (matched by
/// namespace, defaulting to the BuildConfig's, and name).
fn last_build_image(config: &Workload, from: &Value, namespace: &str) -> Option<String> {
    let key = |v: &Value| {
        let ns = text(v.get("namespace")).filter(|n| !n.is_empty()).unwrap_or_else(|| namespace.to_owned());
        (ns, text(v.get("name")).unwrap_or_default())
    };
    let wanted = key(from);
    at(config.status.as_ref(), &["imageChangeTriggers"])?
        .as_array()?
        .iter()
        .find(|status| status.get("from").is_some_and(|f| key(f) == wanted))
        .and_then(|status| text(status.get("lastTriggeredImageID")))
        .filter(|image| !image.is_empty())
}

/// The triggers of the `image.openshift.io/triggers` annotation. The image a trigger last set
/// is the container's image in the template: the trigger controller writes it there.
fn annotation_triggers(kind: ResourceKind, workload: &Workload, containers: &[Container], base: &Use) -> Vec<Use> {
    let Some(annotation) = workload.metadata.annotations.as_ref().and_then(|a| a.get(TRIGGERS_ANNOTATION)) else {
        return Vec::new();
    };
    let Ok(Value::Array(triggers)) = serde_json::from_str::<Value>(annotation) else {
        return vec![Use {
            role: Role::Trigger,
            target: UNREADABLE.to_owned(),
            automatic: Some(false),
            held: Some(format!("the {TRIGGERS_ANNOTATION} annotation is not a JSON list; the controller ignores it")),
            ..base.clone()
        }];
    };
    // The controller takes the annotation whole or not at all (openshift/library-go
    // pkg/image/trigger annotations.go): a `paused` that is not a boolean, a repeated
    // fieldPath, or a fieldPath that names no container of the template rejects every trigger.
    let mut problem = None;
    let mut seen = BTreeSet::new();
    let mut targets = Vec::new();
    for trigger in &triggers {
        let field = text(trigger.get("fieldPath")).unwrap_or_default();
        let container = field_container(kind, &field, containers);
        if !matches!(trigger.get("paused"), None | Some(Value::Bool(_))) {
            problem.get_or_insert_with(|| "a paused that is not true or false".to_owned());
        } else if !seen.insert(field.clone()) {
            problem.get_or_insert_with(|| format!("fieldPath {field} is given twice"));
        } else if let Err(why) = &container {
            problem.get_or_insert_with(|| why.clone());
        }
        targets.push(container.ok());
    }
    triggers
        .iter()
        .zip(targets)
        .map(|(trigger, container)| {
            let from = trigger.get("from");
            let tag_trigger = from.is_some_and(|f| {
                text(f.get("kind")).as_deref() == Some("ImageStreamTag")
                    && text(f.get("apiVersion")).is_none_or(|v| v.is_empty())
            });
            let paused = matches!(trigger.get("paused"), Some(Value::Bool(true)));
            let held = match (&problem, tag_trigger, paused) {
                (Some(why), _, _) => Some(format!("rejected by the trigger controller: {why}")),
                (None, false, _) => Some("ignored by the trigger controller: from is not an ImageStreamTag".to_owned()),
                (None, true, true) => Some("the trigger is paused".to_owned()),
                (None, true, false) => None,
            };
            let image = container.map(|c| c.image.clone()).unwrap_or_default();
            let field = text(trigger.get("fieldPath")).unwrap_or_default();
            Use {
                role: Role::Trigger,
                target: container.map_or_else(|| format!("field {field}"), Container::target),
                watches: watched(from, &base.namespace),
                automatic: Some(held.is_none()),
                held,
                digest: crate::reference::digest_of(&image),
                image,
                ..base.clone()
            }
        })
        .collect()
}

/// The target of a use made of an annotation that could not be read at all.
pub(super) const UNREADABLE: &str = "unreadable triggers annotation";

/// The container a trigger's `fieldPath` sets, read as the trigger controller reads it: the
/// kind's pod spec path (`spec.template.spec`, a CronJob's `spec.jobTemplate.spec.template.spec`),
/// then `containers[SELECTOR]` or `initContainers[SELECTOR]` with an index or exactly
/// `?(@.name=="NAME")`, then `.image`.
pub(super) fn field_container<'a>(
    kind: ResourceKind,
    field: &str,
    containers: &'a [Container],
) -> Result<&'a Container, String> {
    let prefix =
        if kind == ResourceKind::CronJob { "spec.jobTemplate.spec.template.spec." } else { "spec.template.spec." };
    let invalid = || format!("fieldPath {field} is not valid");
    let rest = field.strip_prefix(prefix).ok_or_else(invalid)?;
    let (section, rest) = match (rest.strip_prefix("containers["), rest.strip_prefix("initContainers[")) {
        (Some(rest), _) => (Section::Main, rest),
        (_, Some(rest)) => (Section::Init, rest),
        _ => return Err(invalid()),
    };
    let (selector, rest) = rest.split_once(']').ok_or_else(invalid)?;
    if rest != ".image" {
        return Err(invalid());
    }
    let of_kind = || containers.iter().filter(|c| c.section == section);
    let found = match selector.parse::<usize>() {
        Ok(index) => of_kind().nth(index),
        Err(_) => {
            let name = selector.strip_prefix("?(@.name==\"").and_then(|s| s.strip_suffix("\")")).ok_or_else(invalid)?;
            of_kind().find(|c| c.name == name)
        }
    };
    found.ok_or_else(|| format!("no such container: {selector}"))
}
