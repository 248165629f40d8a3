//! `config.openshift.io/v1` Image named `cluster`: the cluster image configuration with
//! blocked, allowed and insecure registries (docs/semantics.md §2).

use serde::{Deserialize, Serialize};

use super::meta::{Extra, ObjectMeta};

/// The cluster image config. Named `ClusterImageConfig` here because its kind, `Image`, clashes
/// with `image.openshift.io/v1` Image.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterImageConfig {
    /// `config.openshift.io/v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `Image`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Named `cluster`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<ClusterImageConfigSpec>,
    /// Observed configuration (`internalRegistryHostname`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ClusterImageConfigStatus>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `spec` of the cluster image config.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterImageConfigSpec {
    /// Registry sources for the container runtime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_sources: Option<RegistrySources>,
    /// Public hostnames of the integrated registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_registry_hostnames: Option<Vec<String>>,
    /// Unknown fields (`allowedRegistriesForImport`, `additionalTrustedCA`...), kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `spec.registrySources`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrySources {
    /// Scopes reached over plain HTTP or unverified TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure_registries: Option<Vec<String>>,
    /// Scopes nodes must never pull from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_registries: Option<Vec<String>>,
    /// When set, the only scopes nodes may pull from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_registries: Option<Vec<String>>,
    /// Unknown fields (`containerRuntimeSearchRegistries`...), kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `status` of the cluster image config.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterImageConfigStatus {
    /// Hostname of the integrated registry inside the cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_registry_hostname: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}
