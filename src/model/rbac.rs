//! `rbac.authorization.k8s.io/v1` Roles, ClusterRoles and their bindings: what isctl evaluates,
//! offline, to say who may pull a stream's images (docs/consumers.md). Never a
//! SubjectAccessReview, which is a write.

use serde::{Deserialize, Serialize};

use super::meta::{Extra, ObjectMeta};

/// A RoleBinding or a ClusterRoleBinding.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Binding {
    /// `rbac.authorization.k8s.io/v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `RoleBinding` or `ClusterRoleBinding`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name, and the namespace of a RoleBinding.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The role granted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_ref: Option<RoleRef>,
    /// Who it is granted to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subjects: Option<Vec<Subject>>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `roleRef` of a binding.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleRef {
    /// `rbac.authorization.k8s.io`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_group: Option<String>,
    /// `Role` or `ClusterRole`.
    #[serde(default)]
    pub kind: String,
    /// The role's name.
    #[serde(default)]
    pub name: String,
    /// Everything else.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One subject of a binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// `User`, `Group` or `ServiceAccount`.
    #[serde(default)]
    pub kind: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// A ServiceAccount's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `rbac.authorization.k8s.io` for users and groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_group: Option<String>,
}

/// A Role or a ClusterRole.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    /// `rbac.authorization.k8s.io/v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `Role` or `ClusterRole`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name, and the namespace of a Role.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// What the role allows; for an aggregated ClusterRole, the rules the aggregation controller
    /// filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<PolicyRule>>,
    /// Everything else (`aggregationRule`).
    #[serde(flatten)]
    pub extra: Extra,
}

/// One rule of a role.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRule {
    /// API groups (`""` is the core group, and the legacy home of image streams; `*` is any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_groups: Option<Vec<String>>,
    /// Resources, with subresources as `imagestreams/layers`; `*` is any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<String>>,
    /// Verbs; `*` is any.
    #[serde(default)]
    pub verbs: Vec<String>,
    /// When present, the rule covers only these names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_names: Option<Vec<String>>,
    /// Everything else (`nonResourceURLs`).
    #[serde(flatten)]
    pub extra: Extra,
}
