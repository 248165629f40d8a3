//! Object metadata shared by every kind, and the catch-all map that keeps unknown fields.
//!
//! We do not reuse `k8s_openapi`'s `ObjectMeta`: it drops fields it does not know (for example
//! `selfLink` on OpenShift 3 objects) and rejects malformed timestamps, while isctl must print an
//! object back exactly as it read it. Timestamps therefore stay the strings found on the wire and
//! are parsed only where a rule needs them ([`parse_time`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Fields isctl does not model, kept verbatim so that printing an object loses nothing.
pub(crate) type Extra = BTreeMap<String, serde_json::Value>;

/// `metadata` of any Kubernetes object, with the fields isctl reads typed and the rest kept.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// Object name; for an Image, its manifest digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Namespace, absent for cluster-scoped kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Server-assigned unique id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// Opaque version of the stored object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    /// Spec generation; ImageStream tags record it when they change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    /// RFC 3339 creation time as recorded (may be `null` in hand-written objects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<String>,
    /// Labels; `null` on the wire reads as empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    /// Annotations; `null` on the wire reads as empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    /// Everything else (`managedFields`, `selfLink`, `ownerReferences`, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

impl ObjectMeta {
    /// The object's name, or `""` when it has none.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    /// The object's namespace, or `""` for cluster-scoped objects.
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }
}

/// Parses a Kubernetes timestamp (RFC 3339). `None` for absent or unparsable values: a bad
/// timestamp only blanks an age column, it never hides an object.
pub(crate) fn parse_time(value: Option<&str>) -> Option<jiff::Timestamp> {
    value?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_unknown_metadata_fields() {
        let meta: ObjectMeta =
            serde_json::from_str(r#"{"name":"a","selfLink":"/oapi/v1/images/a","annotations":null}"#).unwrap();
        assert_eq!(meta.name(), "a");
        assert_eq!(meta.annotations, None);
        assert_eq!(meta.extra["selfLink"], "/oapi/v1/images/a");
        let back = serde_json::to_value(&meta).unwrap();
        assert_eq!(back["selfLink"], "/oapi/v1/images/a");
    }

    #[test]
    fn parses_rfc3339_and_tolerates_garbage() {
        assert!(parse_time(Some("2026-01-02T03:04:05Z")).is_some());
        assert!(parse_time(Some("yesterday")).is_none());
        assert!(parse_time(None).is_none());
    }
}
