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
pub mod rbac;
pub mod resource;
pub mod workload;

pub use config::ClusterImageConfig;
pub use image::Image;
pub use imagestream::ImageStream;
pub use istag::{ImageStreamImage, ImageStreamLayers, ImageStreamTag};
pub use meta::ObjectMeta;
pub use mirror::{ImageContentSourcePolicy, MirrorSet};
pub use rbac::{Binding, Role};
pub use resource::{Family, ResourceKind};
pub use workload::Workload;

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
    /// DeploymentConfig.
    DeploymentConfig(Box<Workload>),
    /// BuildConfig.
    BuildConfig(Box<Workload>),
    /// Deployment.
    Deployment(Box<Workload>),
    /// StatefulSet.
    StatefulSet(Box<Workload>),
    /// DaemonSet.
    DaemonSet(Box<Workload>),
    /// ReplicaSet.
    ReplicaSet(Box<Workload>),
    /// CronJob.
    CronJob(Box<Workload>),
    /// Job.
    Job(Box<Workload>),
    /// Pod.
    Pod(Box<Workload>),
    /// ReplicationController.
    ReplicationController(Box<Workload>),
    /// RoleBinding.
    RoleBinding(Box<Binding>),
    /// ClusterRoleBinding.
    ClusterRoleBinding(Box<Binding>),
    /// Role.
    Role(Box<Role>),
    /// ClusterRole.
    ClusterRole(Box<Role>),
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
            Object::DeploymentConfig($inner) => $body,
            Object::BuildConfig($inner) => $body,
            Object::Deployment($inner) => $body,
            Object::StatefulSet($inner) => $body,
            Object::DaemonSet($inner) => $body,
            Object::ReplicaSet($inner) => $body,
            Object::CronJob($inner) => $body,
            Object::Job($inner) => $body,
            Object::Pod($inner) => $body,
            Object::ReplicationController($inner) => $body,
            Object::RoleBinding($inner) => $body,
            Object::ClusterRoleBinding($inner) => $body,
            Object::Role($inner) => $body,
            Object::ClusterRole($inner) => $body,
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
            Object::DeploymentConfig(_) => ResourceKind::DeploymentConfig,
            Object::BuildConfig(_) => ResourceKind::BuildConfig,
            Object::Deployment(_) => ResourceKind::Deployment,
            Object::StatefulSet(_) => ResourceKind::StatefulSet,
            Object::DaemonSet(_) => ResourceKind::DaemonSet,
            Object::ReplicaSet(_) => ResourceKind::ReplicaSet,
            Object::CronJob(_) => ResourceKind::CronJob,
            Object::Job(_) => ResourceKind::Job,
            Object::Pod(_) => ResourceKind::Pod,
            Object::ReplicationController(_) => ResourceKind::ReplicationController,
            Object::RoleBinding(_) => ResourceKind::RoleBinding,
            Object::ClusterRoleBinding(_) => ResourceKind::ClusterRoleBinding,
            Object::Role(_) => ResourceKind::Role,
            Object::ClusterRole(_) => ResourceKind::ClusterRole,
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

    /// The workload this object is (a Pod, a controller, a DeploymentConfig or a BuildConfig),
    /// or `None` for other kinds.
    pub fn workload(&self) -> Option<&Workload> {
        match self {
            Object::DeploymentConfig(w)
            | Object::BuildConfig(w)
            | Object::Deployment(w)
            | Object::StatefulSet(w)
            | Object::DaemonSet(w)
            | Object::ReplicaSet(w)
            | Object::CronJob(w)
            | Object::Job(w)
            | Object::Pod(w)
            | Object::ReplicationController(w) => Some(w),
            _ => None,
        }
    }

    /// [`Object::workload`], to change it.
    pub fn workload_mut(&mut self) -> Option<&mut Workload> {
        match self {
            Object::DeploymentConfig(w)
            | Object::BuildConfig(w)
            | Object::Deployment(w)
            | Object::StatefulSet(w)
            | Object::DaemonSet(w)
            | Object::ReplicaSet(w)
            | Object::CronJob(w)
            | Object::Job(w)
            | Object::Pod(w)
            | Object::ReplicationController(w) => Some(w),
            _ => None,
        }
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

    /// [`Object::to_json`] as compact JSON text, written straight from the typed object when it
    /// names its `apiVersion` and `kind` (fields in the model's order, as an API server writes
    /// them), without an intermediate value: what `serve` sends.
    pub fn to_json_text(&self) -> String {
        let direct = with_object!(self, o => (o.api_version.is_some() && o.kind.is_some())
            .then(|| serde_json::to_string(o).expect("model types serialise to JSON")));
        direct.unwrap_or_else(|| self.to_json().to_string())
    }
}

/// One page of a list as the API server sends it: its items (typed) and the continue token.
#[derive(serde::Deserialize)]
struct ListPage<T> {
    #[serde(rename = "apiVersion", default)]
    api_version: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    metadata: ListMeta,
    #[serde(default)]
    items: Option<Vec<T>>,
}

#[derive(Default, serde::Deserialize)]
struct ListMeta {
    #[serde(rename = "continue", default)]
    continue_token: Option<String>,
}

/// Decodes `bytes` as `T`, or as a page of `T`s, and wraps each into an [`Object`] with
/// `apiVersion` and `kind` filled in where the server left them out.
macro_rules! by_kind {
    ($kind:expr, $body:ident) => {
        match $kind {
            ResourceKind::Image => $body!(Image, Object::Image),
            ResourceKind::ImageStream => $body!(ImageStream, Object::ImageStream),
            ResourceKind::ImageStreamTag => $body!(ImageStreamTag, Object::ImageStreamTag),
            ResourceKind::ImageStreamImage => $body!(ImageStreamImage, Object::ImageStreamImage),
            ResourceKind::ImageStreamLayers => $body!(ImageStreamLayers, Object::ImageStreamLayers),
            ResourceKind::ImageContentSourcePolicy => {
                $body!(ImageContentSourcePolicy, Object::ImageContentSourcePolicy)
            }
            ResourceKind::ImageDigestMirrorSet => $body!(MirrorSet, Object::ImageDigestMirrorSet),
            ResourceKind::ImageTagMirrorSet => $body!(MirrorSet, Object::ImageTagMirrorSet),
            ResourceKind::ClusterImageConfig => $body!(ClusterImageConfig, Object::ClusterImageConfig),
            ResourceKind::DeploymentConfig => $body!(Workload, Object::DeploymentConfig),
            ResourceKind::BuildConfig => $body!(Workload, Object::BuildConfig),
            ResourceKind::Deployment => $body!(Workload, Object::Deployment),
            ResourceKind::StatefulSet => $body!(Workload, Object::StatefulSet),
            ResourceKind::DaemonSet => $body!(Workload, Object::DaemonSet),
            ResourceKind::ReplicaSet => $body!(Workload, Object::ReplicaSet),
            ResourceKind::CronJob => $body!(Workload, Object::CronJob),
            ResourceKind::Job => $body!(Workload, Object::Job),
            ResourceKind::Pod => $body!(Workload, Object::Pod),
            ResourceKind::ReplicationController => $body!(Workload, Object::ReplicationController),
            ResourceKind::RoleBinding => $body!(Binding, Object::RoleBinding),
            ResourceKind::ClusterRoleBinding => $body!(Binding, Object::ClusterRoleBinding),
            ResourceKind::Role => $body!(Role, Object::Role),
            ResourceKind::ClusterRole => $body!(Role, Object::ClusterRole),
        }
    };
}

impl Object {
    /// One object of `kind` from the JSON a server sent, straight into its type (no untyped
    /// value in between); `apiVersion` and `kind` are filled in when absent.
    pub fn from_json(kind: ResourceKind, bytes: &[u8]) -> Result<Object, serde_json::Error> {
        macro_rules! one {
            ($ty:ty, $variant:path) => {{
                let mut object: $ty = serde_json::from_slice(bytes)?;
                let info = kind.info();
                object.api_version.get_or_insert_with(|| format!("{}/{}", info.group, info.version));
                object.kind.get_or_insert_with(|| info.kind.to_owned());
                $variant(Box::new(object))
            }};
        }
        Ok(by_kind!(kind, one))
    }

    /// A page of a list of `kind`: its objects, each given the list's `apiVersion` and kind
    /// when it has none (items of typed lists), and the continue token, if any.
    pub fn list_page_from_json(
        kind: ResourceKind,
        bytes: &[u8],
    ) -> Result<(Vec<Object>, Option<String>), serde_json::Error> {
        macro_rules! page {
            ($ty:ty, $variant:path) => {{
                let page: ListPage<$ty> = serde_json::from_slice(bytes)?;
                let item_kind = page.kind.as_deref().and_then(|k| k.strip_suffix("List")).filter(|k| !k.is_empty());
                let objects = page
                    .items
                    .unwrap_or_default()
                    .into_iter()
                    .map(|mut item| {
                        if item.api_version.is_none() {
                            item.api_version = page.api_version.clone();
                        }
                        if item.kind.is_none() {
                            item.kind = item_kind.map(str::to_owned);
                        }
                        $variant(Box::new(item))
                    })
                    .collect();
                (objects, page.metadata.continue_token.filter(|t| !t.is_empty()))
            }};
        }
        Ok(by_kind!(kind, page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_json_decodes_straight_into_types() {
        let page = br#"{"apiVersion":"image.openshift.io/v1","kind":"ImageStreamList","metadata":{"continue":"next"},
            "items":[{"metadata":{"name":"a","namespace":"n"}},{"apiVersion":"v1","kind":"ImageStream","metadata":{"name":"b"}}]}"#;
        let (objects, token) = Object::list_page_from_json(ResourceKind::ImageStream, page).unwrap();
        assert_eq!(token.as_deref(), Some("next"));
        let json: Vec<serde_json::Value> = objects.iter().map(Object::to_json).collect();
        assert_eq!(
            (json[0]["apiVersion"].as_str(), json[0]["kind"].as_str()),
            (Some("image.openshift.io/v1"), Some("ImageStream"))
        );
        assert_eq!(json[1]["apiVersion"], "v1", "an item's own apiVersion stays");
        let one = Object::from_json(ResourceKind::Image, br#"{"metadata":{"name":"sha256:1"}}"#).unwrap();
        assert_eq!(one.to_json()["kind"], "Image");
        assert!(Object::from_json(ResourceKind::Image, b"[1, 2]").is_err());
        let (empty, none) =
            Object::list_page_from_json(ResourceKind::Image, br#"{"items":null,"metadata":{"continue":""}}"#).unwrap();
        assert!(empty.is_empty() && none.is_none());
    }
}
