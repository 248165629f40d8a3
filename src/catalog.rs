//! The loaded objects, indexed by kind, namespace and name. Pure data: every source (files or a
//! live cluster) fills a `Catalog`, and every command reads one.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{
    ClusterImageConfig, Image, ImageContentSourcePolicy, ImageStream, ImageStreamLayers, ImageStreamTag, MirrorSet,
    Object, ResourceKind, SignaturePolicy,
};

/// Where an object was read from, for messages (`dir/imagestreams.yaml:12`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin(pub String);

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The identity of an object: two objects with the same key are the same object.
pub(crate) type ObjectKey = (ResourceKind, String, String);

/// An object found a second time; the first one is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// Kind of the object.
    pub kind: ResourceKind,
    /// Namespace (empty for cluster-scoped kinds).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Where it was first read (kept).
    pub kept: Origin,
    /// Where it was read again (dropped).
    pub dropped: Origin,
    /// Whether the two copies differ.
    pub differs: bool,
}

/// An object read from a later `--from` that replaced the same object from an earlier one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    /// Kind of the object.
    pub kind: ResourceKind,
    /// Namespace (empty for cluster-scoped kinds).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Where the replaced copy was read.
    pub replaced: Origin,
    /// Where the copy kept was read.
    pub by: Origin,
}

/// What adding an object did, when it did more than add it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Overlap {
    /// The same object in the same input: the first copy is kept.
    Duplicate(Duplicate),
    /// The same object from a later input: the later copy is kept (an overlay).
    Replaced(Replacement),
}

/// A named object that is not there, worded as the API server words it. The core reports it
/// (a stream or tag asked for that the input lacks); the command layer decides its exit code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Error from server (NotFound): {resource} \"{name}\" not found")]
pub struct NotFound {
    /// `plural.group`, e.g. `imagestreams.image.openshift.io`.
    pub resource: String,
    /// The name asked for.
    pub name: String,
}

/// All loaded objects.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    /// Each object with where it was read and its layer (the `--from` it came from).
    objects: BTreeMap<ObjectKey, (Object, Origin, usize)>,
    /// Kinds the input holds although the load left their objects out (not needed).
    present: std::collections::BTreeSet<ResourceKind>,
}

/// Typed accessors generated per kind.
macro_rules! typed_iter {
    ($(#[$doc:meta])* $fn:ident, $variant:ident, $ty:ty) => {
        $(#[$doc])*
        pub fn $fn(&self) -> impl Iterator<Item = &$ty> + '_ {
            self.of_kind(ResourceKind::$variant).filter_map(|o| match o {
                Object::$variant(inner) => Some(&**inner),
                _ => None,
            })
        }
    };
}

impl Catalog {
    /// A catalog of the objects in YAML `text` (tests build their inputs this way).
    #[cfg(test)]
    pub(crate) fn from_yaml(text: &str) -> Catalog {
        let mut catalog = Catalog::new();
        for object in crate::source::decode::decode(text).expect("test YAML decodes").objects {
            catalog.insert(object.object, Origin("test".into()));
        }
        catalog
    }

    /// An empty catalog.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// Adds an object; if the same object is already present, keeps the first and reports it.
    pub fn insert(&mut self, object: Object, origin: Origin) -> Option<Duplicate> {
        match self.insert_layered(object, origin, 0) {
            Some(Overlap::Duplicate(duplicate)) => Some(duplicate),
            _ => None,
        }
    }

    /// Adds an object read from input `layer` (the position of its `--from`). The same object
    /// from the same layer is a duplicate (the first copy is kept); from another layer, the
    /// copy of the later layer is kept, whichever was read first: a later input overlays an
    /// earlier one.
    pub(crate) fn insert_layered(&mut self, object: Object, origin: Origin, layer: usize) -> Option<Overlap> {
        let kind = object.kind();
        let namespace = if kind.info().namespaced { object.meta().namespace().to_owned() } else { String::new() };
        let key = (kind, namespace, object.meta().name().to_owned());
        let Some((kept, kept_origin, kept_layer)) = self.objects.get_mut(&key) else {
            self.objects.insert(key, (object, origin, layer));
            return None;
        };
        let (kind, namespace, name) = key;
        if *kept_layer == layer {
            let differs = *kept != object;
            return Some(Overlap::Duplicate(Duplicate {
                kind,
                namespace,
                name,
                kept: kept_origin.clone(),
                dropped: origin,
                differs,
            }));
        }
        let (replaced, by) = if layer > *kept_layer {
            let replaced = std::mem::replace(kept_origin, origin.clone());
            *kept = object;
            *kept_layer = layer;
            (replaced, origin)
        } else {
            (origin, kept_origin.clone())
        };
        Some(Overlap::Replaced(Replacement { kind, namespace, name, replaced, by }))
    }

    /// Removes an object (`--without`); returns whether it was there.
    pub(crate) fn remove(&mut self, kind: ResourceKind, namespace: &str, name: &str) -> bool {
        let namespace = if kind.info().namespaced { namespace } else { "" };
        self.objects.remove(&(kind, namespace.to_owned(), name.to_owned())).is_some()
    }

    /// Lays `other` over this catalog: its objects replace the same objects here, and are
    /// added otherwise. Returns the replacements.
    pub fn overlay(&mut self, other: Catalog) -> Vec<Replacement> {
        let layer = self.objects.values().map(|(_, _, l)| *l).max().unwrap_or(0) + 1;
        let mut replaced = Vec::new();
        for (object, origin, _) in other.objects.into_values() {
            if let Some(Overlap::Replaced(r)) = self.insert_layered(object, origin, layer) {
                replaced.push(r);
            }
        }
        self.present.extend(other.present);
        replaced
    }

    /// Adds one object over everything already here (a layer of its own).
    pub(crate) fn overlay_one(&mut self, object: Object, origin: Origin) -> Option<Replacement> {
        let layer = self.objects.values().map(|(_, _, l)| *l).max().unwrap_or(0) + 1;
        match self.insert_layered(object, origin, layer) {
            Some(Overlap::Replaced(r)) => Some(r),
            _ => None,
        }
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// True when nothing was loaded.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// All objects of one kind, ordered by namespace then name.
    pub fn of_kind(&self, kind: ResourceKind) -> impl Iterator<Item = &Object> + '_ {
        let start = (kind, String::new(), String::new());
        self.objects.range(start..).take_while(move |(k, _)| k.0 == kind).map(|(_, (o, _, _))| o)
    }

    /// Objects of one kind in one namespace (every namespace when `None`), ordered by namespace
    /// then name: a range of the index, not a scan of the kind.
    pub(crate) fn in_namespace<'a>(
        &'a self,
        kind: ResourceKind,
        namespace: Option<&str>,
    ) -> Box<dyn Iterator<Item = &'a Object> + 'a> {
        match namespace {
            None => Box::new(self.of_kind(kind)),
            Some(ns) => {
                let ns = ns.to_owned();
                let start = (kind, ns.clone(), String::new());
                Box::new(
                    self.objects
                        .range(start..)
                        .take_while(move |(k, _)| k.0 == kind && k.1 == ns)
                        .map(|(_, (o, _, _))| o),
                )
            }
        }
    }

    /// The ImageStreams of one namespace (every namespace when `None`), by namespace and name.
    pub(crate) fn streams_in<'a>(&'a self, namespace: Option<&str>) -> impl Iterator<Item = &'a ImageStream> + 'a {
        self.in_namespace(ResourceKind::ImageStream, namespace).filter_map(|o| match o {
            Object::ImageStream(stream) => Some(&**stream),
            _ => None,
        })
    }

    /// One object by kind, namespace (ignored for cluster-scoped kinds) and name.
    pub fn get(&self, kind: ResourceKind, namespace: &str, name: &str) -> Option<&Object> {
        let namespace = if kind.info().namespaced { namespace } else { "" };
        self.objects.get(&(kind, namespace.to_owned(), name.to_owned())).map(|(o, _, _)| o)
    }

    /// The Image with this digest.
    pub fn image(&self, digest: &str) -> Option<&Image> {
        match self.get(ResourceKind::Image, "", digest)? {
            Object::Image(image) => Some(image),
            _ => None,
        }
    }

    /// The ImageStream `namespace/name`.
    pub fn stream(&self, namespace: &str, name: &str) -> Option<&ImageStream> {
        match self.get(ResourceKind::ImageStream, namespace, name)? {
            Object::ImageStream(stream) => Some(stream),
            _ => None,
        }
    }

    /// Whether the input holds objects of `kind` (loaded, or left out as not needed): tells
    /// "absent from the input" from "not found".
    pub(crate) fn has_kind(&self, kind: ResourceKind) -> bool {
        self.present.contains(&kind) || self.of_kind(kind).next().is_some()
    }

    /// Records that the input holds objects of `kind` that the load left out.
    pub(crate) fn note_kind(&mut self, kind: ResourceKind) {
        self.present.insert(kind);
    }

    typed_iter!(
        /// All Images, by digest.
        images, Image, Image);
    typed_iter!(
        /// All ImageStreams, by namespace and name.
        streams, ImageStream, ImageStream);
    typed_iter!(
        /// ImageStreamTag objects read as such (not synthesised).
        stream_tags, ImageStreamTag, ImageStreamTag);
    typed_iter!(
        /// ImageStreamLayers objects.
        stream_layers, ImageStreamLayers, ImageStreamLayers);
    typed_iter!(
        /// ImageContentSourcePolicies, by name.
        content_source_policies, ImageContentSourcePolicy, ImageContentSourcePolicy);
    typed_iter!(
        /// ImageDigestMirrorSets, by name.
        digest_mirror_sets, ImageDigestMirrorSet, MirrorSet);
    typed_iter!(
        /// ImageTagMirrorSets, by name.
        tag_mirror_sets, ImageTagMirrorSet, MirrorSet);
    typed_iter!(
        /// Cluster image configs (normally one, `cluster`).
        cluster_image_configs, ClusterImageConfig, ClusterImageConfig);
    typed_iter!(
        /// ClusterImagePolicies, by name.
        cluster_image_policies, ClusterImagePolicy, SignaturePolicy);
    typed_iter!(
        /// ImagePolicies, by namespace and name.
        image_policies, ImagePolicy, SignaturePolicy);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ObjectMeta;

    fn stream(ns: &str, name: &str) -> Object {
        Object::ImageStream(Box::new(ImageStream {
            metadata: ObjectMeta { name: Some(name.into()), namespace: Some(ns.into()), ..Default::default() },
            ..Default::default()
        }))
    }

    #[test]
    fn keeps_the_first_copy_and_reports_the_second() {
        let mut catalog = Catalog::new();
        assert!(catalog.insert(stream("a", "x"), Origin("one.yaml:1".into())).is_none());
        let dup = catalog.insert(stream("a", "x"), Origin("two.yaml:3".into())).unwrap();
        assert_eq!((dup.kept.0.as_str(), dup.dropped.0.as_str(), dup.differs), ("one.yaml:1", "two.yaml:3", false));
        assert!(catalog.insert(stream("b", "x"), Origin("two.yaml:9".into())).is_none());
        assert_eq!(catalog.streams().count(), 2);
        assert!(catalog.stream("b", "x").is_some());
        assert!(!catalog.has_kind(ResourceKind::Image));
    }

    #[test]
    fn a_later_layer_replaces_whichever_was_read_first() {
        let mut catalog = Catalog::new();
        assert!(catalog.insert_layered(stream("a", "x"), Origin("base.yaml".into()), 0).is_none());
        let Some(Overlap::Replaced(r)) = catalog.insert_layered(stream("a", "x"), Origin("over.yaml".into()), 1) else {
            panic!("replaced")
        };
        assert_eq!((r.replaced.0.as_str(), r.by.0.as_str()), ("base.yaml", "over.yaml"));
        // Read out of order (a file read late in an earlier layer): the later layer still wins.
        let Some(Overlap::Replaced(r)) = catalog.insert_layered(stream("a", "x"), Origin("late.yaml".into()), 0) else {
            panic!("replaced")
        };
        assert_eq!((r.replaced.0.as_str(), r.by.0.as_str()), ("late.yaml", "over.yaml"));
        assert!(matches!(
            catalog.insert_layered(stream("a", "x"), Origin("again.yaml".into()), 1),
            Some(Overlap::Duplicate(_))
        ));
        assert!(catalog.remove(ResourceKind::ImageStream, "a", "x") && catalog.is_empty());
    }
}
