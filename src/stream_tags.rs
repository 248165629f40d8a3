//! ImageStreamTags built from streams and images the way openshift-apiserver builds them
//! (docs/semantics.md §1.2), plus the pull spec a pod gets for a history item.

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::model::imagestream::{TagEvent, TagIndex, TagReference};
use crate::model::{Image, ImageStream, ImageStreamTag, ObjectMeta};

/// The pull spec for a history item after the tag's reference policy: with `Local` and an
/// internal repository, `<status.dockerImageRepository>@<image>`; otherwise the item's own
/// `dockerImageReference` (`ResolveReferenceForTagEvent`).
pub(crate) fn pull_spec(stream: &ImageStream, spec_tag: Option<&TagReference>, event: &TagEvent) -> String {
    match (spec_tag.is_some_and(TagReference::is_local_reference_policy), stream.internal_repository()) {
        (true, Some(repository)) if !event.image.is_empty() => format!("{repository}@{}", event.image),
        _ => event.docker_image_reference.clone(),
    }
}

/// Builds the ImageStreamTag `stream:tag` as a GET would return it, or `None` when the tag has
/// no current image (the server answers NotFound then). When the Image is not in the input, the
/// embedded image holds just its name and pull spec, as in a server LIST.
/// `tags` is the stream's [`TagIndex`]: listing every tag of a stream stays linear.
pub(crate) fn synthesize(tags: &TagIndex<'_>, tag: &str, catalog: &Catalog) -> Option<ImageStreamTag> {
    let stream = tags.stream;
    let status = *tags.status.get(tag)?;
    let current = status.history().first().filter(|e| !e.image.is_empty())?;
    let spec_tag = tags.spec.get(tag).copied();
    let mut image = match catalog.image(&current.image) {
        Some(found) => {
            let mut image = found.clone();
            image.extra.remove("dockerImageManifest");
            image.extra.remove("dockerImageConfig");
            if let Some(tag_annotations) = spec_tag.and_then(|t| t.annotations.as_ref()).filter(|a| !a.is_empty()) {
                let annotations = image.metadata.annotations.get_or_insert_with(BTreeMap::new);
                annotations.extend(tag_annotations.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            image
        }
        None => Image {
            metadata: ObjectMeta { name: Some(current.image.clone()), ..Default::default() },
            ..Default::default()
        },
    };
    image.api_version = None;
    image.kind = None;
    image.docker_image_reference = Some(pull_spec(stream, spec_tag, current));
    let meta = &stream.metadata;
    Some(ImageStreamTag {
        api_version: Some("image.openshift.io/v1".into()),
        kind: Some("ImageStreamTag".into()),
        metadata: ObjectMeta {
            name: Some(format!("{}:{tag}", meta.name())),
            namespace: meta.namespace.clone(),
            uid: meta.uid.clone(),
            resource_version: meta.resource_version.clone(),
            creation_timestamp: current.created.clone(),
            labels: meta.labels.clone(),
            ..Default::default()
        },
        tag: spec_tag.cloned(),
        generation: current.generation,
        // The server always fills it in.
        lookup_policy: Some(
            stream
                .spec
                .as_ref()
                .and_then(|s| s.extra.get("lookupPolicy").cloned())
                .unwrap_or_else(|| serde_json::json!({"local": false})),
        ),
        conditions: status.conditions.clone(),
        image,
        extra: Default::default(),
    })
}

/// Every digest a stream's history references, manifest-list children after their list.
fn referenced_digests(stream: &ImageStream, catalog: &Catalog) -> Vec<String> {
    crate::image_index::referenced_digests(stream, |digest| crate::image_index::manifest_children(catalog, digest))
}

/// The `imagestreams/{name}/layers` subresource as the server builds it: every blob of every
/// image the stream references, and per image its layers, config and child manifests
/// (`imageMissing` when the Image object is absent).
pub(crate) fn layers(stream: &ImageStream, catalog: &Catalog) -> crate::model::ImageStreamLayers {
    use crate::model::istag::{ImageBlobReferences, ImageLayerData};
    let mut blobs = BTreeMap::new();
    let mut images = BTreeMap::new();
    for digest in referenced_digests(stream, catalog) {
        let Some(image) = catalog.image(&digest) else {
            images.insert(digest, ImageBlobReferences { image_missing: Some(true), ..Default::default() });
            continue;
        };
        let layers = image.docker_image_layers.as_deref().unwrap_or_default();
        for layer in layers {
            blobs.insert(
                layer.name.clone(),
                ImageLayerData { size: Some(layer.size), media_type: layer.media_type.clone(), ..Default::default() },
            );
        }
        let config = image
            .docker_image_metadata
            .as_ref()
            .and_then(|m| m.extra.get("Id"))
            .and_then(|v| v.as_str())
            .filter(|_| !image.is_manifest_list())
            .map(str::to_owned);
        if let Some(config) = &config {
            blobs.entry(config.clone()).or_insert_with(|| ImageLayerData {
                media_type: Some("application/vnd.oci.image.config.v1+json".into()),
                ..Default::default()
            });
        }
        let manifests: Vec<String> =
            image.docker_image_manifests.as_deref().unwrap_or_default().iter().map(|m| m.digest.clone()).collect();
        images.insert(
            digest,
            ImageBlobReferences {
                layers: Some(layers.iter().map(|l| l.name.clone()).collect()),
                config,
                manifests: (!manifests.is_empty()).then_some(manifests),
                image_missing: None,
                ..Default::default()
            },
        );
    }
    let meta = &stream.metadata;
    crate::model::ImageStreamLayers {
        api_version: Some("image.openshift.io/v1".into()),
        kind: Some("ImageStreamLayers".into()),
        metadata: ObjectMeta {
            name: meta.name.clone(),
            namespace: meta.namespace.clone(),
            uid: meta.uid.clone(),
            resource_version: meta.resource_version.clone(),
            creation_timestamp: meta.creation_timestamp.clone(),
            ..Default::default()
        },
        blobs: Some(blobs),
        images: Some(images),
        extra: Default::default(),
    }
}

/// The ImageStreamImage `stream@id` as the server builds it: `id` may be a full digest, a prefix
/// of the digest string or of its hex part; the stream's history (children of manifest lists
/// included) is searched and the last match wins. `None` when nothing matches or the Image is
/// not in the input.
pub(crate) fn stream_image(
    stream: &ImageStream,
    id: &str,
    catalog: &Catalog,
) -> Option<crate::model::ImageStreamImage> {
    let matches = |digest: &str| {
        !id.is_empty() && (digest.starts_with(id) || digest.split_once(':').is_some_and(|(_, hex)| hex.starts_with(id)))
    };
    let digest = referenced_digests(stream, catalog).into_iter().rfind(|d| matches(d))?;
    let mut image = catalog.image(&digest)?.clone();
    image.extra.remove("dockerImageManifest");
    image.extra.remove("dockerImageConfig");
    image.api_version = None;
    image.kind = None;
    Some(crate::model::ImageStreamImage {
        api_version: Some("image.openshift.io/v1".into()),
        kind: Some("ImageStreamImage".into()),
        metadata: ObjectMeta {
            name: Some(format!("{}@{digest}", stream.metadata.name())),
            namespace: stream.metadata.namespace.clone(),
            uid: image.metadata.uid.clone(),
            resource_version: image.metadata.resource_version.clone(),
            creation_timestamp: image.metadata.creation_timestamp.clone(),
            annotations: stream.metadata.annotations.clone(),
            ..Default::default()
        },
        image,
        extra: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Origin;
    use crate::model::Object;

    fn stream() -> ImageStream {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": "cli", "namespace": "openshift", "uid": "u1"},
            "spec": {"tags": [
                {"name": "latest", "referencePolicy": {"type": "Local"}, "annotations": {"description": "d"}},
                {"name": "old", "referencePolicy": {"type": "Source"}},
            ]},
            "status": {"dockerImageRepository": "image-registry.openshift-image-registry.svc:5000/openshift/cli",
                "tags": [
                    {"tag": "latest", "items": [{"created": "2026-01-01T00:00:00Z", "image": "sha256:aa",
                        "dockerImageReference": "quay.io/x/cli@sha256:aa", "generation": 2}]},
                    {"tag": "old", "items": [{"image": "sha256:bb", "dockerImageReference": "quay.io/x/cli@sha256:bb"}]},
                    {"tag": "broken", "items": null, "conditions": [{"type": "ImportSuccess", "status": "False"}]},
                ]},
        }))
        .unwrap()
    }

    #[test]
    fn local_policy_points_at_the_integrated_registry() {
        let s = stream();
        let latest = s.status_tag("latest").unwrap().history()[0].clone();
        assert_eq!(
            pull_spec(&s, s.spec_tag("latest"), &latest),
            "image-registry.openshift-image-registry.svc:5000/openshift/cli@sha256:aa"
        );
        let old = s.status_tag("old").unwrap().history()[0].clone();
        assert_eq!(pull_spec(&s, s.spec_tag("old"), &old), "quay.io/x/cli@sha256:bb");
    }

    #[test]
    fn synthesises_like_the_server() {
        let mut catalog = Catalog::new();
        let image: Image = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "sha256:aa", "annotations": {"a": "1"}},
            "dockerImageReference": "quay.io/x/cli@sha256:aa", "dockerImageManifest": "{}"}))
        .unwrap();
        catalog.insert(Object::Image(Box::new(image)), Origin("t".into()));
        let s = stream();
        let tag = synthesize(&s.tag_index(), "latest", &catalog).unwrap();
        assert_eq!(tag.metadata.name(), "cli:latest");
        assert_eq!(tag.metadata.creation_timestamp.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(tag.generation, Some(2));
        assert!(!tag.image.extra.contains_key("dockerImageManifest"));
        assert_eq!(tag.image.metadata.annotations.as_ref().unwrap()["description"], "d");
        assert!(tag.image.docker_image_reference.unwrap().starts_with("image-registry."));
        assert!(synthesize(&s.tag_index(), "broken", &catalog).is_none());
        // Without the Image object, a minimal image still names the digest.
        let old = synthesize(&s.tag_index(), "old", &catalog).unwrap();
        assert_eq!(old.image.metadata.name(), "sha256:bb");
    }
}

#[cfg(test)]
mod virtual_objects {
    use super::*;
    use crate::catalog::Origin;
    use crate::model::Object;

    fn catalog() -> (Catalog, ImageStream) {
        let mut catalog = Catalog::new();
        let list: Image = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "sha256:1111"},
            "dockerImageManifests": [{"digest": "sha256:2222", "os": "linux", "architecture": "arm64"}]}))
        .unwrap();
        let child: Image = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "sha256:2222"},
            "dockerImageLayers": [{"name": "sha256:l1", "size": 10}],
            "dockerImageMetadata": {"Id": "sha256:c1"}}))
        .unwrap();
        catalog.insert(Object::Image(Box::new(list)), Origin("t".into()));
        catalog.insert(Object::Image(Box::new(child)), Origin("t".into()));
        let stream: ImageStream = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "s", "namespace": "n"},
            "status": {"tags": [{"tag": "t", "items": [
                {"image": "sha256:1111", "dockerImageReference": "q/x@sha256:1111"},
                {"image": "sha256:9999", "dockerImageReference": "q/x@sha256:9999"}]}]}}))
        .unwrap();
        (catalog, stream)
    }

    #[test]
    fn stream_images_accept_prefixes_and_reach_children() {
        let (catalog, stream) = catalog();
        assert_eq!(stream_image(&stream, "sha256:11", &catalog).unwrap().metadata.name(), "s@sha256:1111");
        assert_eq!(stream_image(&stream, "2222", &catalog).unwrap().image.metadata.name(), "sha256:2222");
        assert!(stream_image(&stream, "9999", &catalog).is_none(), "the Image is not in the input");
        assert!(stream_image(&stream, "", &catalog).is_none());
    }

    #[test]
    fn layers_list_blobs_children_and_missing_images() {
        let (catalog, stream) = catalog();
        let layers = layers(&stream, &catalog);
        let images = layers.images.unwrap();
        assert_eq!(images["sha256:1111"].manifests.as_deref(), Some(&["sha256:2222".to_owned()][..]));
        assert_eq!(images["sha256:2222"].config.as_deref(), Some("sha256:c1"));
        assert_eq!(images["sha256:9999"].image_missing, Some(true));
        assert_eq!(layers.blobs.unwrap()["sha256:l1"].size, Some(10));
    }
}
