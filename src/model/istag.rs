//! The virtual image kinds the server builds from streams and images: ImageStreamTag,
//! ImageStreamImage and the `imagestreams/{name}/layers` subresource (docs/semantics.md §1.2).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::image::Image;
use super::imagestream::{TagEventCondition, TagReference};
use super::meta::{Extra, ObjectMeta};

/// An ImageStreamTag (`stream:tag`): the tag's spec, conditions and the current Image.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageStreamTag {
    /// `image.openshift.io/v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `ImageStreamTag`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `metadata.name` is `stream:tag`; `creationTimestamp` is the current item's `created`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The spec tag, `null` for a tag that was only pushed.
    #[serde(default)]
    pub tag: Option<TagReference>,
    /// Generation of the current history item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    /// The stream's lookup policy, kept as found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_policy: Option<serde_json::Value>,
    /// The status tag's conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<TagEventCondition>>,
    /// The current Image, its `dockerImageReference` resolved by the reference policy.
    #[serde(default)]
    pub image: Image,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An ImageStreamImage (`stream@digest`): one Image as seen through a stream.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageStreamImage {
    /// `image.openshift.io/v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `ImageStreamImage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `metadata.name` is `stream@digest`.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The Image.
    #[serde(default)]
    pub image: Image,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// ImageStreamLayers: the blobs and manifests a stream references, readable by project users.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageStreamLayers {
    /// `image.openshift.io/v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `ImageStreamLayers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Named like the stream.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Blob digest to size and media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blobs: Option<BTreeMap<String, ImageLayerData>>,
    /// Image digest to its layers, config and child manifests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<BTreeMap<String, ImageBlobReferences>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Size and media type of one blob in ImageStreamLayers.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageLayerData {
    /// Size in bytes (absent for some configs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// Media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What one image is made of, in ImageStreamLayers.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageBlobReferences {
    /// Layer digests, base first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layers: Option<Vec<String>>,
    /// Config blob digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// Child manifests of a manifest list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifests: Option<Vec<String>>,
    /// The Image object is gone although the stream still references it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_missing: Option<bool>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}
