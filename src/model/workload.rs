//! The objects that use images: DeploymentConfigs and BuildConfigs (OpenShift's triggers), the
//! workload controllers that may carry the `image.openshift.io/triggers` annotation, and Pods,
//! which say what actually runs (docs/consumers.md). One type serves every such kind: isctl
//! reads only a few paths of their `spec` and `status` ([`crate::consumers`]), and keeps the
//! rest as read, so `serve` gives them back unchanged.

use serde::{Deserialize, Serialize};

use super::meta::{Extra, ObjectMeta};

/// A Pod, a workload controller, a DeploymentConfig or a BuildConfig, as read.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    /// `v1`, `apps/v1`, `batch/v1`, `apps.openshift.io/v1` or `build.openshift.io/v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// The kind, as on the wire (absent on items of raw API lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name, namespace, annotations (the triggers annotation) and owner references.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The spec, kept as found: containers, triggers and strategies are read from it by path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<serde_json::Value>,
    /// The status, kept as found: a Pod's container statuses say which digest runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Value>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The annotation that makes a workload follow image stream tags.
pub(crate) const TRIGGERS_ANNOTATION: &str = "image.openshift.io/triggers";

/// Prunes a workload to what `consumers` (`crate::consumers`) reads, so a load of a cluster's Pods keeps a few
/// strings each rather than whole objects: name, namespace, the triggers annotation and owner
/// references; the containers' names and images; triggers, strategies, build inputs and
/// `paused`; the container statuses' names and image IDs. Other objects are left alone.
pub(crate) fn prune(object: &mut super::Object) {
    let Some(workload) = object.workload_mut() else { return };
    const SPEC: &[&[&str]] = &[
        &["containers", "*", "name"],
        &["containers", "*", "image"],
        &["initContainers", "*", "name"],
        &["initContainers", "*", "image"],
        &["ephemeralContainers", "*", "name"],
        &["ephemeralContainers", "*", "image"],
        &["template", "spec", "containers", "*", "name"],
        &["template", "spec", "containers", "*", "image"],
        &["template", "spec", "initContainers", "*", "name"],
        &["template", "spec", "initContainers", "*", "image"],
        &["jobTemplate", "spec", "template", "spec", "containers", "*", "name"],
        &["jobTemplate", "spec", "template", "spec", "containers", "*", "image"],
        &["jobTemplate", "spec", "template", "spec", "initContainers", "*", "name"],
        &["jobTemplate", "spec", "template", "spec", "initContainers", "*", "image"],
        &["triggers"],
        &["paused"],
        &["replicas"],
        &["strategy"],
        &["source", "images", "*", "from"],
    ];
    const STATUS: &[&[&str]] = &[
        &["containerStatuses", "*", "name"],
        &["containerStatuses", "*", "imageID"],
        &["initContainerStatuses", "*", "name"],
        &["initContainerStatuses", "*", "imageID"],
        &["ephemeralContainerStatuses", "*", "name"],
        &["ephemeralContainerStatuses", "*", "imageID"],
        &["replicas"],
        &["imageChangeTriggers"],
        &["phase"],
    ];
    workload.spec = workload.spec.take().map(|spec| kept(spec, SPEC));
    workload.status = workload.status.take().map(|status| kept(status, STATUS));
    workload.extra.clear();
    let meta = &mut workload.metadata;
    meta.labels = None;
    if let Some(annotations) = meta.annotations.as_mut() {
        annotations.retain(|key, _| key == TRIGGERS_ANNOTATION);
    }
    meta.extra.retain(|key, _| key == "ownerReferences");
}

/// The parts of `value` at `paths` (`*` is every item of a list), in the same shape; the
/// parts are moved out, not copied.
fn kept(mut value: serde_json::Value, paths: &[&[&str]]) -> serde_json::Value {
    fn take(from: &mut serde_json::Value, path: &[&str], into: &mut serde_json::Value) {
        let Some((first, rest)) = path.split_first() else {
            *into = from.take();
            return;
        };
        match (*first, from) {
            ("*", serde_json::Value::Array(items)) => {
                if !into.is_array() {
                    *into = serde_json::Value::Array(vec![serde_json::Value::Null; items.len()]);
                }
                if let serde_json::Value::Array(slots) = into {
                    for (item, slot) in items.iter_mut().zip(slots.iter_mut()) {
                        if slot.is_null() && item.is_object() {
                            *slot = serde_json::Value::Object(serde_json::Map::new());
                        }
                        take(item, rest, slot);
                    }
                }
            }
            (key, serde_json::Value::Object(map)) => {
                let Some(child) = map.get_mut(key) else { return };
                if !into.is_object() {
                    *into = serde_json::Value::Object(serde_json::Map::new());
                }
                if let serde_json::Value::Object(target) = into {
                    let slot = target.entry(key.to_owned()).or_insert(serde_json::Value::Null);
                    take(child, rest, slot);
                }
            }
            _ => {}
        }
    }
    let mut out = serde_json::Value::Object(serde_json::Map::new());
    for path in paths {
        take(&mut value, path, &mut out);
    }
    out
}
