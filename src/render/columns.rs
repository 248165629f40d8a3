//! The columns `oc get` shows for each kind and the cells of each object (openshift-semantics.md
//! 4.1): shared by `isctl get` and the server-side Tables of `isctl serve`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::Value;

use crate::catalog::Catalog;
use crate::model::meta::parse_time;
use crate::model::{ImageStream, Object, ObjectMeta, ResourceKind};
use crate::render::age::{docker_ago, kube_age};
use crate::stream_tags;

/// Width budget of the TAGS column of `oc get is`.
const TAGS_WIDTH: i64 = 40;

/// One object ready to print.
#[derive(Clone, Debug)]
pub struct Row {
    /// Namespace (empty for cluster-scoped kinds).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Labels, for selectors.
    pub labels: Option<BTreeMap<String, String>>,
    /// The object as JSON (`null` unless asked for: tables and names do not need it).
    pub json: Value,
    /// Cells of the default table.
    pub cells: Vec<String>,
    /// Cells `-o wide` adds.
    pub wide: Vec<String>,
}

/// Column names of a kind's table, then the wide-only ones (oc's printers).
pub fn columns(kind: ResourceKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        ResourceKind::Image => (&["NAME", "IMAGE REFERENCE"], &[]),
        ResourceKind::ImageStream => (&["NAME", "IMAGE REPOSITORY", "TAGS", "UPDATED"], &[]),
        ResourceKind::ImageStreamTag => (&["NAME", "IMAGE REFERENCE", "UPDATED"], &["IMAGE NAME"]),
        _ => (&["NAME", "AGE"], &[]),
    }
}

/// Every object of `kind` in `namespace` (all when `None`; ignored for cluster-scoped kinds),
/// ordered by namespace and name, with its cells. ImageStreamTags are built from streams and
/// images as the server builds them.
pub fn rows(
    kind: ResourceKind,
    catalog: &Catalog,
    namespace: Option<&str>,
    now: Timestamp,
    with_json: bool,
) -> Vec<Row> {
    let in_scope = |ns: &str| !kind.info().namespaced || namespace.is_none_or(|wanted| wanted == ns);
    let item = |meta: &ObjectMeta, json: Value, cells: Vec<String>, wide: Vec<String>| Row {
        namespace: meta.namespace().to_owned(),
        name: meta.name().to_owned(),
        labels: meta.labels.clone(),
        json,
        cells,
        wide,
    };
    match kind {
        ResourceKind::ImageStreamTag => stream_tags::all(catalog, namespace)
            .into_iter()
            .map(|tag| {
                let updated = parse_time(tag.metadata.creation_timestamp.as_deref()).map(|t| docker_ago(t, now));
                let cells = vec![
                    tag.metadata.name().to_owned(),
                    tag.image.docker_image_reference.clone().unwrap_or_default(),
                    updated.unwrap_or_default(),
                ];
                let json =
                    if with_json { serde_json::to_value(&tag).expect("model types serialise") } else { Value::Null };
                item(&tag.metadata, json, cells, vec![tag.image.metadata.name().to_owned()])
            })
            .collect(),
        _ => catalog
            .of_kind(kind)
            .filter(|o| in_scope(o.meta().namespace()))
            .map(|object| {
                let meta = object.meta();
                let cells = match object {
                    Object::Image(image) => {
                        vec![meta.name().to_owned(), image.docker_image_reference.clone().unwrap_or_default()]
                    }
                    Object::ImageStream(stream) => stream_cells(stream, now),
                    _ => vec![meta.name().to_owned(), kube_age(parse_time(meta.creation_timestamp.as_deref()), now)],
                };
                item(meta, if with_json { object.to_json() } else { Value::Null }, cells, Vec::new())
            })
            .collect(),
    }
}

/// NAME, IMAGE REPOSITORY, TAGS, UPDATED of `oc get is`.
pub fn stream_cells(stream: &ImageStream, now: Timestamp) -> Vec<String> {
    let status = stream.status.as_ref();
    let repository = [
        status.and_then(|s| s.public_docker_image_repository.as_deref()),
        stream.spec.as_ref().and_then(|s| s.docker_image_repository.as_deref()),
        status.and_then(|s| s.docker_image_repository.as_deref()),
    ]
    .into_iter()
    .flatten()
    .find(|r| !r.is_empty())
    .unwrap_or_default();
    let updated = stream
        .status_tags()
        .iter()
        .filter_map(|t| parse_time(t.history().first()?.created.as_deref()))
        .max()
        .map(|t| docker_ago(t, now))
        .unwrap_or_default();
    vec![stream.metadata.name().to_owned(), repository.to_owned(), tags_cell(stream), updated]
}

/// The TAGS cell: status tags newest first, cut to a 40-character budget (`printTagsUpToWidth`).
pub fn tags_cell(stream: &ImageStream) -> String {
    let mut tags: Vec<(i64, &str)> = stream
        .status_tags()
        .iter()
        .map(|t| {
            let created = t.history().first().and_then(|e| parse_time(e.created.as_deref()));
            // SortStatusTags rounds to the nearest second.
            (created.map_or(i64::MIN, |c| (c.as_millisecond() + 500).div_euclid(1000)), t.tag.as_str())
        })
        .collect();
    tags.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let mut remaining = TAGS_WIDTH;
    let mut shown = tags.len();
    for (i, (_, tag)) in tags.iter().enumerate() {
        let width = tag.len() as i64 + 1;
        remaining -= width;
        if remaining >= 0 {
            continue;
        }
        let before = remaining + width;
        shown = if i == 0 || (before - 1 > TAGS_WIDTH / 4 && -remaining <= TAGS_WIDTH / 4) { i + 1 } else { i };
        break;
    }
    let mut cell = tags[..shown].iter().map(|(_, t)| *t).collect::<Vec<_>>().join(",");
    if shown < tags.len() {
        cell.push_str(&format!(" + {} more...", tags.len() - shown));
    }
    cell
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_with_tags(tags: &[(&str, &str)]) -> ImageStream {
        let tags: Vec<Value> = tags
            .iter()
            .map(|(name, created)| serde_json::json!({"tag": name, "items": [{"created": created, "image": "sha256:a", "dockerImageReference": "x"}]}))
            .collect();
        serde_json::from_value(serde_json::json!({"metadata": {"name": "s"}, "status": {"tags": tags}})).unwrap()
    }

    #[test]
    fn tags_newest_first_then_by_name() {
        let s = stream_with_tags(&[
            ("b", "2026-01-01T00:00:00Z"),
            ("a", "2026-01-01T00:00:00Z"),
            ("new", "2026-02-01T00:00:00Z"),
        ]);
        assert_eq!(tags_cell(&s), "new,a,b");
    }

    #[test]
    fn tags_cut_at_the_width_budget() {
        let names: Vec<String> = (0..12).map(|i| format!("4.{i}")).collect();
        let tags: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "2026-01-01T00:00:00Z")).collect();
        // Twelve 3-4 character tags: 4.0..4.9 (4 each) use 40, so 4.10 overflows.
        let cell = tags_cell(&stream_with_tags(&tags));
        assert_eq!(cell, "4.0,4.1,4.10,4.11,4.2,4.3,4.4,4.5,4.6 + 3 more...");
        // A single long tag is always shown.
        let long = "x".repeat(60);
        assert_eq!(tags_cell(&stream_with_tags(&[(&long, "2026-01-01T00:00:00Z")])), long);
    }
}
