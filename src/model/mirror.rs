//! Mirror rules: `operator.openshift.io/v1alpha1` ImageContentSourcePolicy and its successors
//! `config.openshift.io/v1` ImageDigestMirrorSet and ImageTagMirrorSet (docs/semantics.md §2).

use serde::{Deserialize, Serialize};

use super::meta::{Extra, ObjectMeta};

/// An ImageContentSourcePolicy: digest mirrors, always allowing the source.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageContentSourcePolicy {
    /// `operator.openshift.io/v1alpha1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `ImageContentSourcePolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Cluster-scoped name.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The mirrors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<ImageContentSourcePolicySpec>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `spec` of an ImageContentSourcePolicy.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageContentSourcePolicySpec {
    /// Source to mirrors, for digest pulls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository_digest_mirrors: Option<Vec<RepositoryDigestMirrors>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One ICSP entry.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct RepositoryDigestMirrors {
    /// Repository or registry scope being mirrored.
    #[serde(default)]
    pub source: String,
    /// Mirrors, in preference order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirrors: Option<Vec<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An ImageDigestMirrorSet (`spec.imageDigestMirrors`) or ImageTagMirrorSet
/// (`spec.imageTagMirrors`): the two kinds share one shape.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MirrorSet {
    /// `config.openshift.io/v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `ImageDigestMirrorSet` or `ImageTagMirrorSet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Cluster-scoped name.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The mirrors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<MirrorSetSpec>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `spec` of an IDMS or ITMS: one of the two lists is set, by kind.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MirrorSetSpec {
    /// IDMS entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_digest_mirrors: Option<Vec<MirrorEntry>>,
    /// ITMS entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_tag_mirrors: Option<Vec<MirrorEntry>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One IDMS/ITMS entry.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MirrorEntry {
    /// Scope being mirrored (`host[:port][/path]` or `*.host`).
    #[serde(default)]
    pub source: String,
    /// Mirrors, in preference order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirrors: Option<Vec<String>>,
    /// `NeverContactSource` or `AllowContactingSource` (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror_source_policy: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

impl MirrorSet {
    /// The entries of this set, whichever list its kind uses.
    pub fn entries(&self) -> &[MirrorEntry] {
        let Some(spec) = &self.spec else { return &[] };
        spec.image_digest_mirrors.as_deref().or(spec.image_tag_mirrors.as_deref()).unwrap_or_default()
    }
}
