//! Which objects are in scope: one kind, in one namespace or all, by name or every one, matching
//! a label selector. The one place `get`, `serve`, `record` and `resolve` ask "what is there";
//! ImageStreamTags are built here from streams and Images, as the API server builds them, so
//! every command lists them the same way. Pure, over a [`Catalog`]; cells and JSON are the
//! renderers' business.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::catalog::Catalog;
use crate::model::{ImageStreamTag, Object, ObjectMeta, ResourceKind};
use crate::selector::Selector;
use crate::stream_tags;

/// One object in scope.
#[derive(Clone, Debug)]
pub(crate) enum Listed<'a> {
    /// An object as it was loaded.
    Stored(&'a Object),
    /// An ImageStreamTag built from its stream (or read as such when its stream is absent).
    Tag(Box<Cow<'a, ImageStreamTag>>),
    /// Another object built for the answer (an ImageStreamImage, as the server builds it).
    Built(Box<Object>),
}

impl Listed<'_> {
    /// The object's metadata.
    pub(crate) fn meta(&self) -> &ObjectMeta {
        match self {
            Listed::Stored(object) => object.meta(),
            Listed::Built(object) => object.meta(),
            Listed::Tag(tag) => &tag.metadata,
        }
    }

    /// The object as the API serves it.
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Listed::Stored(object) => object.to_json(),
            Listed::Built(object) => object.to_json(),
            Listed::Tag(tag) => serde_json::to_value(tag.as_ref().as_ref()).unwrap_or(Value::Null),
        }
    }
}

/// Every object of `kind` in `namespace` (all when `None`; ignored for cluster-scoped kinds),
/// ordered by namespace, then name.
pub(crate) fn list<'a>(catalog: &'a Catalog, kind: ResourceKind, namespace: Option<&str>) -> Vec<Listed<'a>> {
    if kind == ResourceKind::ImageStreamTag {
        return stream_tags_in(catalog, namespace).into_values().collect();
    }
    let namespace = namespace.filter(|_| kind.info().namespaced);
    catalog.in_namespace(kind, namespace).map(Listed::Stored).collect()
}

/// The objects of `kind` in `namespace` exactly as they were loaded (no ImageStreamTag is built):
/// what a recording writes back.
pub(crate) fn stored<'a>(
    catalog: &'a Catalog,
    kind: ResourceKind,
    namespace: Option<&str>,
) -> impl Iterator<Item = &'a Object> + 'a {
    catalog.in_namespace(kind, namespace.filter(|_| kind.info().namespaced))
}

/// One object by name (`stream:tag` for ImageStreamTags), as a GET finds it.
pub(crate) fn find<'a>(catalog: &'a Catalog, kind: ResourceKind, namespace: &str, name: &str) -> Option<Listed<'a>> {
    if kind != ResourceKind::ImageStreamTag {
        return catalog.get(kind, namespace, name).map(Listed::Stored);
    }
    let (stream_name, tag) = name.split_once(':')?;
    match catalog.stream(namespace, stream_name) {
        Some(stream) => {
            stream_tags::synthesize(&stream.tag_index(), tag, catalog).map(|t| Listed::Tag(Box::new(Cow::Owned(t))))
        }
        None => catalog
            .stream_tags()
            .find(|t| t.metadata.namespace() == namespace && t.metadata.name() == name)
            .map(|t| Listed::Tag(Box::new(Cow::Borrowed(t)))),
    }
}

/// What a query found.
#[derive(Debug, Default)]
pub(crate) struct Selected<'a> {
    /// The objects: in the order their names were asked for, or by namespace and name.
    pub found: Vec<Listed<'a>>,
    /// Names asked for that are not there, in the order asked.
    pub missing: Vec<String>,
}

/// Objects of `kind` in `namespace` by `names` (every object when empty, each named object once)
/// that match `selector`.
pub(crate) fn select<'a>(
    catalog: &'a Catalog,
    kind: ResourceKind,
    namespace: Option<&str>,
    names: &[String],
    selector: &Selector,
) -> Selected<'a> {
    let mut selected = Selected::default();
    if names.is_empty() {
        selected.found = list(catalog, kind, namespace);
    } else {
        let mut seen = std::collections::BTreeSet::new();
        for name in names {
            if !seen.insert(name.as_str()) {
                continue;
            }
            match find(catalog, kind, namespace.unwrap_or_default(), name) {
                Some(found) => selected.found.push(found),
                None => selected.missing.push(name.clone()),
            }
        }
    }
    selected.found.retain(|o| selector.matches(o.meta().labels.as_ref()));
    selected
}

/// The namespaces that hold objects of `kind` named `name`, for "found in namespace X" hints.
pub(crate) fn namespaces_holding(catalog: &Catalog, kind: ResourceKind, name: &str) -> Vec<String> {
    catalog
        .in_namespace(kind, None)
        .filter(|o| o.meta().name() == name)
        .map(|o| o.meta().namespace().to_owned())
        .collect()
}

/// Every ImageStreamTag of the streams in scope, by namespace and tag name, including
/// ImageStreamTag objects read from files whose stream was not loaded.
fn stream_tags_in<'a>(catalog: &'a Catalog, namespace: Option<&str>) -> BTreeMap<(String, String), Listed<'a>> {
    let mut tags = BTreeMap::new();
    for stream in catalog.streams_in(namespace) {
        let index = stream.tag_index();
        for status in stream.status_tags() {
            if let Some(tag) = stream_tags::synthesize(&index, &status.tag, catalog) {
                let key = (tag.metadata.namespace().to_owned(), tag.metadata.name().to_owned());
                tags.insert(key, Listed::Tag(Box::new(Cow::Owned(tag))));
            }
        }
    }
    for recorded in catalog.stream_tags().filter(|t| namespace.is_none_or(|ns| t.metadata.namespace() == ns)) {
        let key = (recorded.metadata.namespace().to_owned(), recorded.metadata.name().to_owned());
        tags.entry(key).or_insert(Listed::Tag(Box::new(Cow::Borrowed(recorded))));
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let text = "\
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: cli, namespace: a, labels: {app: cli}}
status:
  tags:
  - tag: latest
    items: [{image: 'sha256:1', dockerImageReference: 'q/cli@sha256:1'}]
  - tag: old
    items: [{image: 'sha256:2', dockerImageReference: 'q/cli@sha256:2'}]
---
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: cli, namespace: b}
---
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: tools, namespace: a}
---
apiVersion: image.openshift.io/v1
kind: Image
metadata: {name: 'sha256:1'}
";
        Catalog::from_yaml(text)
    }

    fn names(listed: &[Listed<'_>]) -> Vec<String> {
        listed.iter().map(|l| format!("{}/{}", l.meta().namespace(), l.meta().name())).collect()
    }

    #[test]
    fn lists_by_namespace_and_name() {
        let catalog = catalog();
        assert_eq!(names(&list(&catalog, ResourceKind::ImageStream, Some("a"))), ["a/cli", "a/tools"]);
        assert_eq!(names(&list(&catalog, ResourceKind::ImageStream, None)), ["a/cli", "a/tools", "b/cli"]);
        // The namespace means nothing for cluster-scoped kinds.
        assert_eq!(names(&list(&catalog, ResourceKind::Image, Some("a"))), ["/sha256:1"]);
        assert_eq!(names(&list(&catalog, ResourceKind::ImageStreamTag, Some("a"))), ["a/cli:latest", "a/cli:old"]);
    }

    #[test]
    fn selects_by_name_and_label_and_reports_the_missing() {
        let catalog = catalog();
        let names_asked = ["tools".to_owned(), "nope".into(), "cli".into(), "tools".into()];
        let selected = select(&catalog, ResourceKind::ImageStream, Some("a"), &names_asked, &Selector::default());
        assert_eq!(names(&selected.found), ["a/tools", "a/cli"]);
        assert_eq!(selected.missing, ["nope"]);
        let labelled = select(&catalog, ResourceKind::ImageStream, None, &[], &Selector::parse("app=cli").unwrap());
        assert_eq!(names(&labelled.found), ["a/cli"]);
        let tag = find(&catalog, ResourceKind::ImageStreamTag, "a", "cli:old").unwrap();
        assert_eq!(tag.to_json()["image"]["dockerImageReference"], "q/cli@sha256:2");
        assert_eq!(namespaces_holding(&catalog, ResourceKind::ImageStream, "cli"), ["a", "b"]);
    }
}
