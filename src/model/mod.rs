//! The object model: serde types for OpenShift's image objects and mirror rules.
//!
//! Every type keeps the fields it does not model in an `extra` map, so an object printed back
//! holds everything that was read. [`Object`] is one loaded object of any known kind.

pub mod config;
pub mod image;
pub mod imagestream;
pub mod istag;
pub mod meta;
pub mod mirror;
pub mod resource;

pub use config::ClusterImageConfig;
pub use image::Image;
pub use imagestream::ImageStream;
pub use istag::{ImageStreamImage, ImageStreamLayers, ImageStreamTag};
pub use meta::ObjectMeta;
pub use mirror::{ImageContentSourcePolicy, MirrorSet};
pub use resource::ResourceKind;

/// One object of a kind isctl knows.
#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    /// `image.openshift.io/v1` Image.
    Image(Box<Image>),
    /// ImageStream.
    ImageStream(Box<ImageStream>),
    /// ImageStreamTag.
    ImageStreamTag(Box<ImageStreamTag>),
    /// ImageStreamImage.
    ImageStreamImage(Box<ImageStreamImage>),
    /// ImageStreamLayers.
    ImageStreamLayers(Box<ImageStreamLayers>),
    /// ImageContentSourcePolicy.
    ImageContentSourcePolicy(Box<ImageContentSourcePolicy>),
    /// ImageDigestMirrorSet.
    ImageDigestMirrorSet(Box<MirrorSet>),
    /// ImageTagMirrorSet.
    ImageTagMirrorSet(Box<MirrorSet>),
    /// The cluster image config.
    ClusterImageConfig(Box<ClusterImageConfig>),
}

/// Applies the same expression to whichever typed object an [`Object`] holds.
macro_rules! with_object {
    ($object:expr, $inner:ident => $body:expr) => {
        match $object {
            Object::Image($inner) => $body,
            Object::ImageStream($inner) => $body,
            Object::ImageStreamTag($inner) => $body,
            Object::ImageStreamImage($inner) => $body,
            Object::ImageStreamLayers($inner) => $body,
            Object::ImageContentSourcePolicy($inner) => $body,
            Object::ImageDigestMirrorSet($inner) => $body,
            Object::ImageTagMirrorSet($inner) => $body,
            Object::ClusterImageConfig($inner) => $body,
        }
    };
}

impl Object {
    /// Which kind this is.
    pub fn kind(&self) -> ResourceKind {
        match self {
            Object::Image(_) => ResourceKind::Image,
            Object::ImageStream(_) => ResourceKind::ImageStream,
            Object::ImageStreamTag(_) => ResourceKind::ImageStreamTag,
            Object::ImageStreamImage(_) => ResourceKind::ImageStreamImage,
            Object::ImageStreamLayers(_) => ResourceKind::ImageStreamLayers,
            Object::ImageContentSourcePolicy(_) => ResourceKind::ImageContentSourcePolicy,
            Object::ImageDigestMirrorSet(_) => ResourceKind::ImageDigestMirrorSet,
            Object::ImageTagMirrorSet(_) => ResourceKind::ImageTagMirrorSet,
            Object::ClusterImageConfig(_) => ResourceKind::ClusterImageConfig,
        }
    }

    /// The object's metadata.
    pub fn meta(&self) -> &ObjectMeta {
        with_object!(self, o => &o.metadata)
    }

    /// Mutable metadata (to place items of namespaced list files, for example).
    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        with_object!(self, o => &mut o.metadata)
    }

    /// The object as JSON, with `apiVersion` and `kind` filled in where the input left them out
    /// (items of raw API lists); everything read is kept.
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = with_object!(self, o => serde_json::to_value(o)).expect("model types serialise to JSON");
        if let Some(map) = value.as_object_mut() {
            let info = self.kind().info();
            map.entry("apiVersion").or_insert_with(|| format!("{}/{}", info.group, info.version).into());
            map.entry("kind").or_insert_with(|| info.kind.into());
        }
        value
    }
}
