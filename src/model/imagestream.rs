//! `image.openshift.io/v1` ImageStream: spec tags that point somewhere, status tags with a
//! history of digests (docs/semantics.md §1.1).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::meta::{Extra, ObjectMeta};

/// An ImageStream.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageStream {
    /// `image.openshift.io/v1`, or `v1` on OpenShift 3 objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `ImageStream` (absent on items of raw API lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name, namespace, timestamps.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Desired tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<ImageStreamSpec>,
    /// Observed tags and repositories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ImageStreamStatus>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `spec` of an ImageStream.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageStreamSpec {
    /// Deprecated upstream repository (OpenShift 3.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_image_repository: Option<String>,
    /// Spec tags; `null` reads as none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TagReference>>,
    /// Unknown fields (`lookupPolicy`...), kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A spec tag (`TagReference`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagReference {
    /// Tag name.
    #[serde(default)]
    pub name: String,
    /// Tag annotations; the server writes `null` when unset.
    #[serde(default)]
    pub annotations: Option<BTreeMap<String, String>>,
    /// What the tag points at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ObjectReference>,
    /// A reference tag is never imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<bool>,
    /// Stream generation when the tag last changed; the server writes `null` when unset.
    #[serde(default)]
    pub generation: Option<i64>,
    /// How and when the tag is imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_policy: Option<TagImportPolicy>,
    /// `Source` (default) or `Local` pull-through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_policy: Option<TagReferencePolicy>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `from` of a spec tag.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectReference {
    /// `DockerImage`, `ImageStreamTag` or `ImageStreamImage`.
    #[serde(default)]
    pub kind: String,
    /// Pull spec, `[stream:]tag` or `[stream@]digest`, by kind.
    #[serde(default)]
    pub name: String,
    /// Namespace of a referenced stream, when not the tag's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `importPolicy` of a spec tag.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagImportPolicy {
    /// Allow insecure registries for the import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
    /// Re-import periodically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled: Option<bool>,
    /// `Legacy` or `PreserveOriginal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_mode: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `referencePolicy` of a spec tag.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct TagReferencePolicy {
    /// `Source`, `Local` or empty (which means `Source`).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `status` of an ImageStream.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageStreamStatus {
    /// `<internal registry>/<ns>/<name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_image_repository: Option<String>,
    /// `<external registry>/<ns>/<name>` when a route is exposed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_docker_image_repository: Option<String>,
    /// Status tags; `null` reads as none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<NamedTagEventList>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One status tag with its history.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedTagEventList {
    /// Tag name.
    #[serde(default)]
    pub tag: String,
    /// History, newest first; `items[0]` is current. The server writes `null` when empty.
    #[serde(default)]
    pub items: Option<Vec<TagEvent>>,
    /// Import conditions (`ImportSuccess`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<TagEventCondition>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One history entry of a status tag.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagEvent {
    /// When the tag started pointing here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Pull spec recorded for the event.
    #[serde(default)]
    pub docker_image_reference: String,
    /// Image digest; empty for reference tags.
    #[serde(default)]
    pub image: String,
    /// Spec generation that produced this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An import condition of a status tag.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagEventCondition {
    /// `ImportSuccess`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// `"True"`, `"False"` or `"Unknown"`.
    #[serde(default)]
    pub status: String,
    /// When the condition last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<String>,
    /// Machine-readable reason (`NotFound`, `Unauthorized`, `InternalError`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Spec generation this condition was observed for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ImageStream {
    /// `spec.lookupPolicy.local`: Pods of the stream's namespace may name its tags by their short
    /// name. False when absent.
    pub fn lookup_local(&self) -> bool {
        self.spec
            .as_ref()
            .and_then(|s| s.extra.get("lookupPolicy"))
            .and_then(|p| p.get("local"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }

    /// Spec tags (empty when none).
    pub fn spec_tags(&self) -> &[TagReference] {
        self.spec.as_ref().and_then(|s| s.tags.as_deref()).unwrap_or_default()
    }

    /// Status tags (empty when none).
    pub fn status_tags(&self) -> &[NamedTagEventList] {
        self.status.as_ref().and_then(|s| s.tags.as_deref()).unwrap_or_default()
    }

    /// The spec tag named `tag`.
    pub fn spec_tag(&self, tag: &str) -> Option<&TagReference> {
        self.spec_tags().iter().find(|t| t.name == tag)
    }

    /// The status tag named `tag`.
    pub fn status_tag(&self, tag: &str) -> Option<&NamedTagEventList> {
        self.status_tags().iter().find(|t| t.tag == tag)
    }

    /// The spec and status tags by name, for many lookups (each of the two above is linear).
    pub fn tag_index(&self) -> TagIndex<'_> {
        TagIndex::new(self)
    }

    /// `status.dockerImageRepository`, the internal registry location.
    pub fn internal_repository(&self) -> Option<&str> {
        self.status.as_ref()?.docker_image_repository.as_deref().filter(|s| !s.is_empty())
    }
}

impl TagReference {
    /// True when the tag asks for pull-through from the integrated registry.
    pub fn is_local_reference_policy(&self) -> bool {
        self.reference_policy.as_ref().is_some_and(|p| p.kind == "Local")
    }
}

impl NamedTagEventList {
    /// History entries, newest first.
    pub fn history(&self) -> &[TagEvent] {
        self.items.as_deref().unwrap_or_default()
    }

    /// The failed `ImportSuccess` condition, if the last import failed.
    pub fn failed_import(&self) -> Option<&TagEventCondition> {
        self.conditions.as_deref().unwrap_or_default().iter().find(|c| c.kind == "ImportSuccess" && c.status == "False")
    }
}

/// A stream's spec and status tags by name: lookups are not linear in the number of tags, so
/// walking every tag of a stream of thousands stays linear too.
pub struct TagIndex<'a> {
    /// The stream.
    pub stream: &'a ImageStream,
    /// Spec tags by name.
    pub spec: std::collections::HashMap<&'a str, &'a TagReference>,
    /// Status tags by name.
    pub status: std::collections::HashMap<&'a str, &'a NamedTagEventList>,
}

impl<'a> TagIndex<'a> {
    /// Indexes `stream`'s tags; the first entry of a name wins, as a linear search finds it.
    pub fn new(stream: &'a ImageStream) -> TagIndex<'a> {
        let mut spec = std::collections::HashMap::new();
        for tag in stream.spec_tags() {
            spec.entry(tag.name.as_str()).or_insert(tag);
        }
        let mut status = std::collections::HashMap::new();
        for tag in stream.status_tags() {
            status.entry(tag.tag.as_str()).or_insert(tag);
        }
        TagIndex { stream, spec, status }
    }

    /// Spec and status tag names, sorted and without repeats.
    pub fn names(&self) -> std::collections::BTreeSet<&'a str> {
        self.spec.keys().chain(self.status.keys()).copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_lists_read_as_empty_and_print_back_as_null() {
        let stream: ImageStream = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "s", "annotations": null},
            "spec": {"tags": [{"name": "t", "annotations": null, "generation": null,
                               "referencePolicy": {"type": "Local"}}]},
            "status": {"tags": [{"tag": "t", "items": null, "conditions": [
                {"type": "ImportSuccess", "status": "False", "reason": "NotFound"}]}]},
        }))
        .unwrap();
        assert!(stream.status_tag("t").unwrap().history().is_empty());
        assert!(stream.status_tag("t").unwrap().failed_import().is_some());
        assert!(stream.spec_tag("t").unwrap().is_local_reference_policy());
        let back = serde_json::to_value(&stream).unwrap();
        assert!(back["spec"]["tags"][0]["annotations"].is_null());
        assert!(back["status"]["tags"][0]["items"].is_null());
    }
}
