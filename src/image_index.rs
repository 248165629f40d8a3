//! Where an image's details come from. Built once per run over every route the input offers
//! (Image objects, ImageStreamTags, ImageStreamImages, a stream's layers), so each lookup is a
//! hash probe instead of a scan of the catalog; and the one definition of "the digests a stream
//! references", manifest-list children included.

use std::collections::{BTreeSet, HashMap};

use crate::catalog::Catalog;
use crate::model::istag::ImageBlobReferences;
use crate::model::{Image, ImageStream, ImageStreamLayers, ImageStreamTag, Object, ResourceKind};

/// How an image was found, best route first.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Found<'a> {
    /// The Image object.
    Image(&'a Image),
    /// The image embedded in an ImageStreamTag of the same namespace.
    StreamTag(&'a Image),
    /// The image embedded in an ImageStreamImage (of any stream: an image is the same image).
    StreamImage(&'a Image),
    /// The stream's `layers` subresource, which knows blobs and children but not metadata.
    Layers(&'a ImageStreamLayers, &'a ImageBlobReferences),
}

impl Found<'_> {
    /// The route's name, as `imageFrom` reports it.
    pub(crate) fn route(&self) -> &'static str {
        match self {
            Found::Image(_) => "Image",
            Found::StreamTag(_) => "ImageStreamTag",
            Found::StreamImage(_) => "ImageStreamImage",
            Found::Layers(..) => "ImageStreamLayers",
        }
    }
}

/// The image routes of one catalog.
#[derive(Debug)]
pub(crate) struct ImageIndex<'a> {
    catalog: &'a Catalog,
    /// (namespace, digest) -> recorded ImageStreamTags embedding that image, by name.
    stream_tags: HashMap<(&'a str, &'a str), Vec<&'a ImageStreamTag>>,
    /// digest -> the image of the first ImageStreamImage that embeds it.
    stream_images: HashMap<&'a str, &'a Image>,
    /// (namespace, stream) -> the stream's layers.
    layers: HashMap<(&'a str, &'a str), &'a ImageStreamLayers>,
    /// Digests some layers object lists as present.
    layered: BTreeSet<&'a str>,
}

impl<'a> ImageIndex<'a> {
    /// Indexes `catalog` (one pass over its image-bearing kinds).
    pub(crate) fn new(catalog: &'a Catalog) -> ImageIndex<'a> {
        let mut stream_tags: HashMap<(&str, &str), Vec<&ImageStreamTag>> = HashMap::new();
        for tag in catalog.stream_tags() {
            stream_tags.entry((tag.metadata.namespace(), tag.image.digest())).or_default().push(tag);
        }
        let mut stream_images = HashMap::new();
        for object in catalog.of_kind(ResourceKind::ImageStreamImage) {
            if let Object::ImageStreamImage(isi) = object {
                stream_images.entry(isi.image.digest()).or_insert(&isi.image);
            }
        }
        let mut layers = HashMap::new();
        let mut layered = BTreeSet::new();
        for object in catalog.stream_layers() {
            layers.insert((object.metadata.namespace(), object.metadata.name()), object);
            for (digest, refs) in object.images.iter().flatten() {
                if refs.image_missing != Some(true) {
                    layered.insert(digest.as_str());
                }
            }
        }
        ImageIndex { catalog, stream_tags, stream_images, layers, layered }
    }

    /// The Image object with this digest.
    pub(crate) fn image(&self, digest: &str) -> Option<&'a Image> {
        self.catalog.image(digest)
    }

    /// The best route to the image `digest` of `namespace/stream:tag`: the Image; a recorded
    /// ImageStreamTag of the namespace (this tag's first); an ImageStreamImage; the stream's
    /// layers.
    pub(crate) fn find(&self, namespace: &str, stream: &str, tag: &str, digest: &str) -> Option<Found<'a>> {
        if digest.is_empty() {
            return None;
        }
        if let Some(image) = self.catalog.image(digest) {
            return Some(Found::Image(image));
        }
        if let Some(tags) = self.stream_tags.get(&(namespace, digest)) {
            let wanted = format!("{stream}:{tag}");
            let best = tags.iter().find(|t| t.metadata.name() == wanted).or_else(|| tags.first());
            if let Some(best) = best {
                return Some(Found::StreamTag(&best.image));
            }
        }
        if let Some(image) = self.stream_images.get(digest) {
            return Some(Found::StreamImage(image));
        }
        let layers = self.layers.get(&(namespace, stream))?;
        let refs = layers.images.as_ref()?.get(digest)?;
        (refs.image_missing != Some(true)).then_some(Found::Layers(layers, refs))
    }

    /// Whether the input holds the image `digest` by a route `record` can write: an Image, an
    /// ImageStreamImage, or layers that list it as present.
    pub(crate) fn is_recorded(&self, digest: &str) -> bool {
        self.catalog.image(digest).is_some() || self.stream_images.contains_key(digest) || self.layered.contains(digest)
    }

    /// The digests of a manifest list's children, from its Image (empty when unknown).
    pub(crate) fn children(&self, digest: &str) -> Vec<String> {
        manifest_children(self.catalog, digest)
    }
}

/// The digests of a manifest list's children, from its Image in `catalog` (empty when unknown).
pub(crate) fn manifest_children(catalog: &Catalog, digest: &str) -> Vec<String> {
    catalog
        .image(digest)
        .map(|i| i.docker_image_manifests.iter().flatten().map(|m| m.digest.clone()).collect())
        .unwrap_or_default()
}

/// Every digest a stream's history references, each manifest list followed by its children
/// (from `children`), in history order, without repeats.
pub(crate) fn referenced_digests(stream: &ImageStream, children: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    referenced_digests_by_tag(stream, children).into_iter().map(|(digest, _)| digest).collect()
}

/// [`referenced_digests`], each with the first tag whose history references it (for messages).
/// The one walk of a stream's images.
pub(crate) fn referenced_digests_by_tag(
    stream: &ImageStream,
    children: impl Fn(&str) -> Vec<String>,
) -> Vec<(String, &str)> {
    let mut seen = BTreeSet::new();
    let mut digests = Vec::new();
    for tag in stream.status_tags() {
        for event in tag.history() {
            if event.image.is_empty() || !seen.insert(event.image.clone()) {
                continue;
            }
            digests.push((event.image.clone(), tag.tag.as_str()));
            let mut pending = children(&event.image);
            pending.reverse();
            while let Some(child) = pending.pop() {
                if seen.insert(child.clone()) {
                    digests.push((child.clone(), tag.tag.as_str()));
                    let mut grandchildren = children(&child);
                    grandchildren.reverse();
                    pending.extend(grandchildren);
                }
            }
        }
    }
    digests
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(text: &str) -> Catalog {
        Catalog::from_yaml(text)
    }

    const STREAM: &str = "\
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: s, namespace: n}
status:
  tags:
  - tag: t
    items:
    - {image: 'sha256:list', dockerImageReference: 'q/s@sha256:list'}
    - {image: 'sha256:2', dockerImageReference: 'q/s@sha256:2'}
    - {image: 'sha256:list', dockerImageReference: 'q/s@sha256:list'}
";

    #[test]
    fn routes_best_first() {
        let text = format!(
            "{STREAM}---
apiVersion: image.openshift.io/v1
kind: ImageStreamTag
metadata: {{name: 's:other', namespace: n}}
image: {{metadata: {{name: 'sha256:2'}}}}
---
apiVersion: image.openshift.io/v1
kind: ImageStreamTag
metadata: {{name: 's:t', namespace: n}}
image: {{metadata: {{name: 'sha256:2'}}, dockerImageReference: mine}}
---
apiVersion: image.openshift.io/v1
kind: ImageStreamLayers
metadata: {{name: s, namespace: n}}
images:
  'sha256:3': {{layers: []}}
  'sha256:4': {{imageMissing: true}}
"
        );
        let catalog = catalog(&text);
        let index = ImageIndex::new(&catalog);
        match index.find("n", "s", "t", "sha256:2") {
            Some(Found::StreamTag(image)) => assert_eq!(image.docker_image_reference.as_deref(), Some("mine")),
            other => panic!("{other:?}"),
        }
        assert_eq!(index.find("n", "s", "t", "sha256:3").map(|f| f.route()), Some("ImageStreamLayers"));
        assert!(index.find("n", "s", "t", "sha256:4").is_none(), "imageMissing is no route");
        assert!(index.find("other", "s", "t", "sha256:2").is_none(), "tags are per namespace");
        assert!(index.is_recorded("sha256:3") && !index.is_recorded("sha256:2"));
    }

    #[test]
    fn referenced_digests_follow_history_and_children_once() {
        let catalog = catalog(STREAM);
        let stream = catalog.stream("n", "s").unwrap();
        let children = |d: &str| if d == "sha256:list" { vec!["sha256:c1".into(), "sha256:c2".into()] } else { vec![] };
        assert_eq!(referenced_digests(stream, children), ["sha256:list", "sha256:c1", "sha256:c2", "sha256:2"]);
        assert_eq!(referenced_digests(stream, |_| vec![]), ["sha256:list", "sha256:2"]);
    }
}
