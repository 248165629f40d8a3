//! The object model: serde types for OpenShift's image objects and mirror rules.
//!
//! Every type keeps the fields it does not model in an `extra` map, so an object printed back
//! holds everything that was read. [`Object`] is one loaded object of any known kind.

pub(crate) mod config;
pub(crate) mod image;
pub(crate) mod imagestream;
pub(crate) mod istag;
pub(crate) mod kinds;
pub(crate) mod meta;
pub(crate) mod mirror;
pub(crate) mod rbac;
pub(crate) mod resource;
pub(crate) mod signature_policy;
pub(crate) mod workload;

pub(crate) use config::ClusterImageConfig;
pub(crate) use image::Image;
pub(crate) use imagestream::ImageStream;
pub(crate) use istag::{ImageStreamImage, ImageStreamLayers, ImageStreamTag};
pub(crate) use kinds::{Family, KindVisitor, Object, ResourceKind};
pub(crate) use meta::ObjectMeta;
pub(crate) use mirror::{ImageContentSourcePolicy, MirrorSet};
pub(crate) use rbac::{Binding, Role};
pub(crate) use signature_policy::SignaturePolicy;
pub(crate) use workload::Workload;

impl Object {
    /// The workload this object is (a Pod, a controller, a DeploymentConfig or a BuildConfig),
    /// or `None` for other kinds.
    pub fn workload(&self) -> Option<&Workload> {
        self.as_any().downcast_ref()
    }

    /// [`Object::workload`], to change it.
    pub fn workload_mut(&mut self) -> Option<&mut Workload> {
        self.as_any_mut().downcast_mut()
    }

    /// The object as JSON, with `apiVersion` and `kind` filled in where the input left them out
    /// (items of raw API lists); everything read is kept.
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).expect("model types serialise to JSON");
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
        match self.has_type_meta() {
            true => serde_json::to_string(self).expect("model types serialise to JSON"),
            false => self.to_json().to_string(),
        }
    }
}

/// One page of a list as the API server sends it: its items (typed) and the continue token.
#[derive(serde::Deserialize)]
#[serde(bound(deserialize = "T: serde::Deserialize<'de>"))]
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

impl Object {
    /// One object of `kind` from the JSON a server sent, straight into its type (no untyped
    /// value in between); `apiVersion` and `kind` are filled in when absent.
    pub fn from_json(kind: ResourceKind, bytes: &[u8]) -> Result<Object, serde_json::Error> {
        struct One<'a>(&'a [u8]);
        impl KindVisitor for One<'_> {
            type Output = Result<Object, serde_json::Error>;
            fn visit<T: serde::de::DeserializeOwned + 'static>(self, wrap: fn(Box<T>) -> Object) -> Self::Output {
                serde_json::from_slice(self.0).map(wrap)
            }
        }
        let mut object = kind.visit(One(bytes))?;
        let info = kind.info();
        let (api_version, object_kind) = object.type_meta_mut();
        api_version.get_or_insert_with(|| format!("{}/{}", info.group, info.version));
        object_kind.get_or_insert_with(|| info.kind.to_owned());
        Ok(object)
    }

    /// A page of a list of `kind`: its objects, each given the list's `apiVersion` and kind
    /// when it has none (items of typed lists), and the continue token, if any.
    pub fn list_page_from_json(
        kind: ResourceKind,
        bytes: &[u8],
    ) -> Result<(Vec<Object>, Option<String>), serde_json::Error> {
        struct Page<'a>(&'a [u8]);
        impl KindVisitor for Page<'_> {
            type Output = Result<(Vec<Object>, Option<String>), serde_json::Error>;
            fn visit<T: serde::de::DeserializeOwned + 'static>(self, wrap: fn(Box<T>) -> Object) -> Self::Output {
                let page: ListPage<Box<T>> = serde_json::from_slice(self.0)?;
                let item_kind = page.kind.as_deref().and_then(|k| k.strip_suffix("List")).filter(|k| !k.is_empty());
                let objects = page
                    .items
                    .unwrap_or_default()
                    .into_iter()
                    .map(|item| {
                        let mut object = wrap(item);
                        let (api_version, kind) = object.type_meta_mut();
                        if api_version.is_none() {
                            api_version.clone_from(&page.api_version);
                        }
                        if kind.is_none() {
                            *kind = item_kind.map(str::to_owned);
                        }
                        object
                    })
                    .collect();
                Ok((objects, page.metadata.continue_token.filter(|t| !t.is_empty())))
            }
        }
        kind.visit(Page(bytes))
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
