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
