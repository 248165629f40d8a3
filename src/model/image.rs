//! `image.openshift.io/v1` Image: one manifest, cluster-scoped and named by its digest
//! (docs/semantics.md §1).

use serde::{Deserialize, Serialize};

use super::meta::{Extra, ObjectMeta};

/// An Image object as the openshift-apiserver serves it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// `image.openshift.io/v1`, or `v1` on OpenShift 3 objects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `Image` (absent on items of raw API lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `metadata.name` is the manifest digest.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Pull spec recorded at import or push; may lack a registry (`python@sha256:...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_image_reference: Option<String>,
    /// Embedded `DockerImage` object with Docker capitalisation (`Architecture`, `Created`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_image_metadata: Option<DockerImageMetadata>,
    /// Layers, base first (empty for manifest lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_image_layers: Option<Vec<ImageLayer>>,
    /// Media type of the manifest: a v2/OCI manifest or a list/index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_image_manifest_media_type: Option<String>,
    /// Child manifests, only for manifest lists; each digest names another Image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_image_manifests: Option<Vec<ImageManifest>>,
    /// Everything else (`dockerImageManifest`, `signatures`, ...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// The embedded `dockerImageMetadata` (openshift/api image/docker10), fields as Docker spells them.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct DockerImageMetadata {
    /// Creation time of the image config.
    #[serde(rename = "Created", default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// CPU architecture (`amd64`, `arm64`...).
    #[serde(rename = "Architecture", default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// Total size in bytes as the server computed it.
    #[serde(rename = "Size", default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// The container config (`Labels`, `Env`, `Cmd`...), kept as found.
    #[serde(rename = "Config", default, skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Value>,
    /// Everything else (`Id`, `apiVersion`, `kind`, `ContainerConfig`...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// One entry of `dockerImageLayers`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageLayer {
    /// Blob digest.
    #[serde(default)]
    pub name: String,
    /// Compressed size in bytes.
    #[serde(default)]
    pub size: i64,
    /// Blob media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One child of a manifest list (`dockerImageManifests[]`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageManifest {
    /// Digest of the child manifest (an Image name).
    #[serde(default)]
    pub digest: String,
    /// Child media type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Child manifest size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest_size: Option<i64>,
    /// Platform architecture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<String>,
    /// Platform OS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// Platform variant (`v8`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Image {
    /// The digest naming this image.
    pub fn digest(&self) -> &str {
        self.metadata.name()
    }

    /// True for a manifest list / OCI index.
    pub fn is_manifest_list(&self) -> bool {
        self.docker_image_manifests.as_ref().is_some_and(|m| !m.is_empty())
            || self
                .docker_image_manifest_media_type
                .as_deref()
                .is_some_and(|t| t.contains("manifest.list") || t.contains("image.index"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_docker_capitalised_metadata_and_keeps_the_rest() {
        let image: Image = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "sha256:aa"},
            "dockerImageReference": "python@sha256:aa",
            "dockerImageMetadata": {"kind": "DockerImage", "apiVersion": "image.openshift.io/1.0",
                "Architecture": "amd64", "Size": 42, "Id": "sha256:bb",
                "Config": {"Labels": {"version": "1"}}},
            "dockerImageManifest": "{}",
        }))
        .unwrap();
        let meta = image.docker_image_metadata.as_ref().unwrap();
        assert_eq!(meta.architecture.as_deref(), Some("amd64"));
        assert_eq!(meta.size, Some(42));
        assert_eq!(meta.extra["Id"], "sha256:bb");
        assert_eq!(image.extra["dockerImageManifest"], "{}");
        assert!(!image.is_manifest_list());
    }

    #[test]
    fn recognises_manifest_lists() {
        let image = Image {
            docker_image_manifest_media_type: Some("application/vnd.docker.distribution.manifest.list.v2+json".into()),
            ..Image::default()
        };
        assert!(image.is_manifest_list());
    }
}
