//! `isctl describe`: one stream, or one tag, for a person, in `oc describe`'s spirit (docs/
//! semantics.md §9) with isctl's answers: for every history item, where pods pull it from and
//! why each source is or is not used, and for `Local` tags where the integrated registry pulls it
//! through. Pure: the caller supplies the resolution, the stream, the rules and "now".

use std::fmt::Write as _;

use jiff::Timestamp;

use crate::mirror::config::PullFrom;
use crate::mirror::plan::{PullSource, PullType, Resolver, SourceKind};
use crate::mirror::pull_through::PullThroughPlan;
use crate::model::ImageStream;
use crate::model::meta::parse_time;
use crate::reference::Reference;
use crate::render::age::docker_ago;
use crate::resolve::{HistoryItem, StreamResolution, TagResolution};

/// Describes `stream` (only `tag`, when given).
pub fn describe(
    resolution: &StreamResolution,
    stream: &ImageStream,
    tag: Option<&str>,
    resolver: &Resolver,
    now: Timestamp,
) -> String {
    let mut out = String::new();
    header(&mut out, resolution, stream, now);
    // As oc: a tag that only follows another gets no block of its own (the target lists it),
    // unless it is the one asked for.
    let shown = |t: &&TagResolution| match tag {
        Some(name) => t.name == name,
        None => t.alias_of.is_none(),
    };
    for tag in resolution.tags.iter().filter(shown) {
        out.push('\n');
        describe_tag(&mut out, tag, resolver, now);
    }
    out
}

fn line(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "{:<18}{value}", format!("{label}:"));
}

fn header(out: &mut String, resolution: &StreamResolution, stream: &ImageStream, now: Timestamp) {
    let meta = &stream.metadata;
    line(out, "Name", meta.name());
    line(out, "Namespace", meta.namespace());
    let created = parse_time(meta.creation_timestamp.as_deref()).map_or("<unknown>".to_owned(), |t| docker_ago(t, now));
    line(out, "Created", &created);
    let pairs = |map: Option<&std::collections::BTreeMap<String, String>>| {
        let pairs: Vec<String> = map.into_iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
        if pairs.is_empty() { "<none>".to_owned() } else { pairs.join("\n                  ") }
    };
    line(out, "Labels", &pairs(meta.labels.as_ref()));
    line(out, "Annotations", &pairs(meta.annotations.as_ref()));
    let repository = resolution
        .public_docker_image_repository
        .as_deref()
        .or(resolution.docker_image_repository.as_deref())
        .unwrap_or("<none>");
    line(out, "Image Repository", repository);
    let local = stream
        .spec
        .as_ref()
        .and_then(|s| s.extra.get("lookupPolicy"))
        .and_then(|p| p.get("local"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    line(out, "Image Lookup", &format!("local={local}"));
    // Counted over the whole stream, as oc counts them, whichever tag is described.
    let unique: std::collections::BTreeSet<&str> =
        stream.status_tags().iter().flat_map(|t| t.history().iter().map(|e| e.image.as_str())).collect();
    let tags: std::collections::BTreeSet<&str> = stream
        .spec_tags()
        .iter()
        .map(|t| t.name.as_str())
        .chain(stream.status_tags().iter().map(|t| t.tag.as_str()))
        .collect();
    line(out, "Unique Images", &unique.len().to_string());
    line(out, "Tags", &tags.len().to_string());
}

fn describe_tag(out: &mut String, tag: &TagResolution, resolver: &Resolver, now: Timestamp) {
    let name =
        if tag.aliases.is_empty() { tag.name.clone() } else { format!("{} ({})", tag.name, tag.aliases.join(", ")) };
    let _ = writeln!(out, "{name}");
    let _ = writeln!(out, "  {}", source_words(tag));
    if let Some(target) = &tag.alias_of {
        let _ = writeln!(out, "    alias: follows {target} of this stream");
    }
    if let Some(spec) = &tag.spec {
        let policy = if spec.reference_policy == "Local" {
            "Local: pods pull through the integrated registry"
        } else {
            "Source: pods pull the recorded reference"
        };
        let _ = writeln!(out, "    reference policy: {policy}");
        if spec.scheduled {
            let _ = writeln!(out, "    re-imported periodically");
        }
        if !spec.import_mode.is_empty() {
            let _ = writeln!(out, "    import mode: {}", spec.import_mode);
        }
    }
    if tag.import_pending {
        let _ = writeln!(out, "  ~ importing latest image ...");
    }
    for condition in &tag.conditions {
        let when =
            parse_time(condition.last_transition_time.as_deref()).map(|t| docker_ago(t, now)).unwrap_or_default();
        let bang = if condition.kind == "ImportSuccess" && condition.status == "False" { "!" } else { "-" };
        let _ = writeln!(
            out,
            "  {bang} {} is {}{}{}{}",
            condition.kind,
            condition.status,
            condition.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default(),
            condition
                .message
                .as_deref()
                .map(|m| format!(": {}", m.lines().next().unwrap_or_default()))
                .unwrap_or_default(),
            if when.is_empty() { String::new() } else { format!(", {when}") }
        );
    }
    if tag.history.is_empty() {
        let _ = writeln!(out, "  no history: nothing to pull");
    }
    for item in &tag.history {
        out.push('\n');
        describe_item(out, item, resolver, now);
    }
}

/// oc's source line: where the tag comes from, in words.
fn source_words(tag: &TagResolution) -> String {
    let Some(spec) = &tag.spec else { return "no spec tag (pushed)".into() };
    let Some(from) = &spec.from else { return "tag without source image".into() };
    let name = match &from.namespace {
        Some(ns) => format!("{ns}/{}", from.name),
        None => from.name.clone(),
    };
    match (from.kind.as_str(), spec.reference, spec.scheduled) {
        ("DockerImage", true, _) => format!("reference to registry {name}"),
        ("DockerImage", false, true) => format!("updates automatically from registry {name}"),
        ("ImageStreamTag", true, _) => format!("reference to {name}"),
        ("ImageStreamTag", false, true) => format!("updates automatically from {name}"),
        ("ImageStreamImage", true, _) => format!("reference to image {name}"),
        (_, _, _) => format!("tagged from {name}"),
    }
}

fn describe_item(out: &mut String, item: &HistoryItem, resolver: &Resolver, now: Timestamp) {
    let mark = if item.current { "*" } else { " " };
    let reference = if item.docker_image_reference.is_empty() { "<none>" } else { &item.docker_image_reference };
    let _ = writeln!(out, "  {mark} {reference}");
    let when = parse_time(item.created.as_deref()).map_or("<unknown>".to_owned(), |t| docker_ago(t, now));
    let generation = item.generation.map(|g| format!(", generation {g}")).unwrap_or_default();
    let _ = writeln!(out, "      {when}{generation}");
    if !item.image.is_empty() {
        let found = match item.image_from {
            Some(route) => format!("details from its {route}"),
            None => "not in the input".into(),
        };
        let _ = writeln!(out, "      image {} ({found})", item.image);
    }
    if let Some(info) = &item.image_info {
        for child in &info.manifests {
            let platform =
                format!("{}/{}", child.os.as_deref().unwrap_or("?"), child.architecture.as_deref().unwrap_or("?"));
            let _ = writeln!(out, "        {platform}  {}", child.digest);
        }
    }
    if item.pull_spec.is_empty() {
        return;
    }
    let local = item.pull_through.is_some();
    let who = if local { "Pods pull" } else { "Pods and nodes pull" };
    plan_lines(out, who, &item.pull_spec, &item.pull_sources, &item.errors, resolver);
    if let Some(through) = &item.pull_through {
        through_lines(out, through);
        if let Some(upstream) = &item.upstream_pull_sources {
            plan_lines(out, "A node would pull", &item.docker_image_reference, upstream, &[], resolver);
        }
        for disagreement in &item.hops_disagree {
            let _ = writeln!(out, "      ! {disagreement}");
        }
    }
    if !item.policy.allowed {
        let _ =
            writeln!(out, "      ! policy.json rejects it: {}", item.policy.reason.as_deref().unwrap_or("not allowed"));
    }
}

/// A node's plan, source by source, with why each is (or is not) used.
fn plan_lines(
    out: &mut String,
    who: &str,
    reference: &str,
    sources: &[PullSource],
    errors: &[String],
    resolver: &Resolver,
) {
    let plan = resolver.plan(reference);
    let scope = match &plan.scope {
        Some(scope) => format!("rules for {scope} apply (the longest matching scope)"),
        None => "no mirror rule matches".to_owned(),
    };
    let pull = match plan.pull_type {
        Some(PullType::Digest) => "a digest pull",
        Some(PullType::Tag) => "a tag pull",
        None => "not a valid reference",
    };
    let _ = writeln!(out, "      {who} {reference}: {pull}, {scope}");
    for (i, source) in sources.iter().enumerate() {
        let _ = writeln!(out, "        {}. {}  {}", i + 1, source.reference, why(source));
    }
    // Mirrors of the matching scope that this pull type never uses.
    if let (Some(pull_type), Ok(parsed)) = (plan.pull_type, Reference::parse_normalized(reference))
        && let Some((entry, _)) = resolver.find(&parsed.name())
    {
        let (unused, reason) = match pull_type {
            PullType::Digest => (PullFrom::TagOnly, "tag-only, and this is a digest pull"),
            PullType::Tag => (PullFrom::DigestOnly, "digest-only, and this is a tag pull"),
        };
        for mirror in entry.mirrors.iter().filter(|m| m.pull_from == unused) {
            let _ = writeln!(out, "        -  {}  not used: {reason}", mirror.location);
        }
    }
    for error in errors {
        let _ = writeln!(out, "        ! {error}");
    }
}

fn why(source: &PullSource) -> String {
    let objects = source.from.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    let mut words = match (source.kind, source.blocked) {
        (SourceKind::Mirror, false) => format!("mirror from {objects}"),
        (SourceKind::Mirror, true) => format!("mirror from {objects}; blocked: nodes never contact it"),
        (SourceKind::Source, false) => "the source, tried last".to_owned(),
        (SourceKind::Source, true) if objects.is_empty() => "the source; blocked: nodes never contact it".to_owned(),
        (SourceKind::Source, true) => format!("the source; blocked by {objects}: nodes never contact it"),
    };
    if source.insecure {
        words.push_str("; insecure (no TLS verification)");
    }
    words
}

fn through_lines(out: &mut String, through: &PullThroughPlan) {
    let _ = writeln!(out, "      The integrated registry pulls it through from:");
    for (i, source) in through.sources.iter().enumerate() {
        let from = source.from.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let why = match source.kind {
            SourceKind::Mirror if source.carried => {
                format!("mirror carried over from an earlier entry of {from} (an image-registry quirk)")
            }
            SourceKind::Mirror => format!("mirror from {from} (every matching rule counts)"),
            SourceKind::Source => "the original repository, always last".to_owned(),
        };
        let _ = writeln!(out, "        {}. {}  {why}", i + 1, source.reference);
    }
    if let Some(note) = &through.note {
        let _ = writeln!(out, "        ! {note}");
    }
}
