//! The columns `oc get` shows for each kind and the cells of each object (docs/semantics.md
//! §9): pure cell formatting, shared by `isctl get` and the server-side Tables of
//! `isctl serve`. Which objects are listed is [`crate::listing`]'s business.

use jiff::Timestamp;

use crate::listing::Listed;
use crate::model::meta::parse_time;
use crate::model::{ImageStream, Object, ResourceKind};
use crate::render::age::{docker_ago, kube_age};

/// Width budget of the TAGS column of `oc get is`.
const TAGS_WIDTH: i64 = 40;

/// Column names of a kind's table, then the wide-only ones (oc's printers).
pub(crate) fn columns(kind: ResourceKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        ResourceKind::Image => (&["NAME", "IMAGE REFERENCE"], &[]),
        ResourceKind::ImageStream => (&["NAME", "IMAGE REPOSITORY", "TAGS", "UPDATED"], &[]),
        ResourceKind::ImageStreamTag => (&["NAME", "IMAGE REFERENCE", "UPDATED"], &["IMAGE NAME"]),
        // kubectl's printers (pkg/printers/internalversion): what `kubectl get` shows of a
        // served workload.
        ResourceKind::Pod => {
            (&["NAME", "READY", "STATUS", "RESTARTS", "AGE"], &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"])
        }
        ResourceKind::Deployment => (&["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], &[]),
        ResourceKind::StatefulSet => (&["NAME", "READY", "AGE"], &[]),
        ResourceKind::DaemonSet => {
            (&["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"], &[])
        }
        ResourceKind::ReplicaSet | ResourceKind::ReplicationController => {
            (&["NAME", "DESIRED", "CURRENT", "READY", "AGE"], &[])
        }
        ResourceKind::Job => (&["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], &[]),
        ResourceKind::CronJob => (&["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"], &[]),
        ResourceKind::LimitRange => (&["NAME", "CREATED AT"], &[]),
        _ => (&["NAME", "AGE"], &[]),
    }
}

/// The cells of one object's row, then the cells `-o wide` adds (oc's printers).
pub(crate) fn cells(object: &Listed<'_>, now: Timestamp) -> (Vec<String>, Vec<String>) {
    let meta = object.meta();
    match object {
        Listed::Tag(tag) => {
            let updated = parse_time(tag.metadata.creation_timestamp.as_deref()).map(|t| docker_ago(t, now));
            let cells = vec![
                meta.name().to_owned(),
                tag.image.docker_image_reference.clone().unwrap_or_default(),
                updated.unwrap_or_default(),
            ];
            (cells, vec![tag.image.metadata.name().to_owned()])
        }
        Listed::Stored(object) => object_cells(object, now),
        Listed::Built(object) => object_cells(object, now),
    }
}

fn object_cells(object: &Object, now: Timestamp) -> (Vec<String>, Vec<String>) {
    let meta = object.meta();
    match object {
        Object::Image(image) => {
            (vec![meta.name().to_owned(), image.docker_image_reference.clone().unwrap_or_default()], Vec::new())
        }
        Object::ImageStream(stream) => (stream_cells(stream, now), Vec::new()),
        Object::Pod(pod) => super::workload_cells::pod(pod, now),
        Object::Deployment(w)
        | Object::StatefulSet(w)
        | Object::DaemonSet(w)
        | Object::ReplicaSet(w)
        | Object::ReplicationController(w)
        | Object::Job(w)
        | Object::CronJob(w) => (super::workload_cells::controller(object.kind(), w, now), Vec::new()),
        // kubectl's printLimitRange: the creation time in RFC 3339, UTC (Go's zero time without one).
        Object::LimitRange(_) => {
            let created = parse_time(meta.creation_timestamp.as_deref());
            let created =
                created.map_or("0001-01-01T00:00:00Z".to_owned(), |t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
            (vec![meta.name().to_owned(), created], Vec::new())
        }
        _ => (vec![meta.name().to_owned(), kube_age(parse_time(meta.creation_timestamp.as_deref()), now)], Vec::new()),
    }
}

/// NAME, IMAGE REPOSITORY, TAGS, UPDATED of `oc get is`.
pub(crate) fn stream_cells(stream: &ImageStream, now: Timestamp) -> Vec<String> {
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
pub(crate) fn tags_cell(stream: &ImageStream) -> String {
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
    use serde_json::Value;

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
