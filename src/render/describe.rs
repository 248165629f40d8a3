//! `isctl describe`: one stream, or one tag, for a person, in `oc describe`'s spirit (docs/
//! semantics.md §9) with isctl's answers: for every history item shown, what the image is, where
//! pods pull it from and why each source is or is not used, and for `Local` tags where the
//! integrated registry pulls it through. Pure: the caller supplies the resolution, the stream,
//! the rules and "now".
//!
//! Every string from the input passes through [`safe`]: a name or message holding a control
//! character or a newline must not drive the terminal or forge a line.

use std::fmt::Write as _;

use jiff::Timestamp;

use crate::mirror::config::{ObjectRef, PullFrom};
use crate::mirror::plan::{PullSource, PullType, Resolver, SourceKind};
use crate::mirror::pull_through::PullThroughPlan;
use crate::model::ImageStream;
use crate::model::meta::parse_time;
use crate::reference::Reference;
use crate::render::age::docker_ago;
use crate::render::fit::terminal_safe as safe;
use crate::render::resolution::hop_words;
use crate::resolve::{HistoryItem, InputGaps, StreamResolution, TagResolution};

/// What to describe and how much of it.
#[derive(Clone, Copy, Debug)]
pub struct DescribeOptions<'a> {
    /// Only this tag (`describe istag`); every tag when `None`.
    pub tag: Option<&'a str>,
    /// History items shown per tag; all when `None`.
    pub history: Option<usize>,
    /// What the input lacks ("no mirror rules in the input" rather than "none matches").
    pub gaps: InputGaps,
    /// The time ages are measured against.
    pub now: Timestamp,
}

/// Describes `stream` (only `options.tag`, when given).
pub fn describe(
    resolution: &StreamResolution,
    stream: &ImageStream,
    resolver: &Resolver,
    options: DescribeOptions<'_>,
) -> String {
    let mut out = String::new();
    header(&mut out, resolution, stream, options);
    for tag in resolution.tags.iter().filter(|t| options.tag.is_none_or(|name| t.name == name)) {
        out.push('\n');
        describe_tag(&mut out, tag, resolver, options);
    }
    out
}

fn line(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "{:<18}{value}", format!("{label}:"));
}

fn header(out: &mut String, resolution: &StreamResolution, stream: &ImageStream, options: DescribeOptions<'_>) {
    let meta = &stream.metadata;
    match options.tag {
        Some(tag) => line(out, "Name", &safe(&format!("{}:{tag}", meta.name()))),
        None => line(out, "Name", &safe(meta.name())),
    }
    line(out, "Namespace", &safe(meta.namespace()));
    let created =
        parse_time(meta.creation_timestamp.as_deref()).map_or("<unknown>".to_owned(), |t| docker_ago(t, options.now));
    line(out, "Created", &created);
    let pairs = |map: Option<&std::collections::BTreeMap<String, String>>| {
        let pairs: Vec<String> = map.into_iter().flatten().map(|(k, v)| safe(&format!("{k}={v}"))).collect();
        if pairs.is_empty() { "<none>".to_owned() } else { pairs.join("\n                  ") }
    };
    line(out, "Labels", &pairs(meta.labels.as_ref()));
    line(out, "Annotations", &pairs(meta.annotations.as_ref()));
    let repository = resolution
        .public_docker_image_repository
        .as_deref()
        .or(resolution.docker_image_repository.as_deref())
        .unwrap_or("<none>");
    line(out, "Image Repository", &safe(repository));
    line(out, "Image Lookup", &format!("local={}", stream.lookup_local()));
    if options.tag.is_some() {
        return;
    }
    // Counted over the whole stream, as oc counts them.
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

fn describe_tag(out: &mut String, tag: &TagResolution, resolver: &Resolver, options: DescribeOptions<'_>) {
    let _ = writeln!(out, "{}", safe(&tag.name));
    let _ = writeln!(out, "  {}", source_words(tag));
    if !tag.aliases.is_empty() {
        let _ = writeln!(out, "  followed by {}", safe(&tag.aliases.join(", ")));
    }
    if let Some(spec) = &tag.spec {
        let policy = if spec.reference_policy == "Local" {
            "reference policy Local: pods pull through the integrated registry"
        } else {
            "reference policy Source: pods pull the recorded reference"
        };
        let _ = writeln!(out, "  {policy}");
        if !spec.import_mode.is_empty() {
            let _ = writeln!(out, "  import mode {}", safe(&spec.import_mode));
        }
    }
    if tag.import_pending {
        let _ = writeln!(out, "  ~ importing latest image ...");
    }
    for condition in &tag.conditions {
        let when = parse_time(condition.last_transition_time.as_deref())
            .map(|t| format!(", {}", docker_ago(t, options.now)))
            .unwrap_or_default();
        let bang = if condition.kind == "ImportSuccess" && condition.status == "False" { "!" } else { "-" };
        let reason = condition.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
        let message = condition.message.as_deref().and_then(|m| m.lines().next()).unwrap_or_default();
        let message = if message.is_empty() { String::new() } else { format!(": {message}") };
        let text = format!("{} is {}{reason}{when}{message}", condition.kind, condition.status);
        let _ = writeln!(out, "  {bang} {}", safe(&text));
    }
    if tag.history.is_empty() {
        let _ = writeln!(out, "  no history: nothing to pull");
    }
    let shown = options.history.unwrap_or(usize::MAX).min(tag.history.len());
    for item in &tag.history[..shown] {
        out.push('\n');
        describe_item(out, item, resolver, options);
    }
    if shown < tag.history.len() {
        let older = tag.history.len() - shown;
        let how = if options.history == Some(1) {
            "--history 0 shows all, without --current"
        } else {
            "--history 0 shows all"
        };
        let _ = writeln!(out, "\n  ... {older} older history items not shown ({how})");
    }
}

/// oc's source line: where the tag comes from, in words.
fn source_words(tag: &TagResolution) -> String {
    if let Some(target) = &tag.alias_of {
        return format!("follows {} of this stream", safe(target));
    }
    let Some(spec) = &tag.spec else { return "no spec tag (pushed)".into() };
    let Some(from) = &spec.from else { return "tag without source image".into() };
    let name = safe(&match &from.namespace {
        Some(ns) => format!("{ns}/{}", from.name),
        None => from.name.clone(),
    });
    match (from.kind.as_str(), spec.reference, spec.scheduled) {
        ("DockerImage", true, _) => format!("reference to registry {name}"),
        ("DockerImage", false, true) => format!("updates automatically from registry {name}"),
        ("ImageStreamTag", true, _) => format!("reference to {name}"),
        ("ImageStreamTag", false, true) => format!("updates automatically from {name}"),
        ("ImageStreamImage", true, _) => format!("reference to image {name}"),
        (_, _, true) => format!("tagged from {name}, re-imported periodically"),
        (_, _, false) => format!("tagged from {name}"),
    }
}

fn describe_item(out: &mut String, item: &HistoryItem, resolver: &Resolver, options: DescribeOptions<'_>) {
    let mark = if item.current { "*" } else { " " };
    let reference = if item.docker_image_reference.is_empty() { "<none>" } else { &item.docker_image_reference };
    let _ = writeln!(out, "  {mark} {}", safe(reference));
    let when = parse_time(item.created.as_deref()).map_or("<unknown>".to_owned(), |t| docker_ago(t, options.now));
    let generation = item.generation.map(|g| format!(", generation {g}")).unwrap_or_default();
    let _ = writeln!(out, "      {when}{generation}");
    image_lines(out, item, options.gaps);
    if item.pull_spec.is_empty() {
        return;
    }
    // Sources at the item's digest are shown as repositories: the digest is above.
    let short = |reference: &str| match reference.strip_suffix(&format!("@{}", item.image)) {
        Some(repository) if !item.image.is_empty() => repository.to_owned(),
        _ => reference.to_owned(),
    };
    match &item.pull_through {
        Some(through) => {
            let _ = writeln!(out, "      Pods pull from the integrated registry: {}", safe(&short(&item.pull_spec)));
            through_lines(out, through, &short);
            if let Some(upstream) = &item.upstream_pull_sources {
                let opening = "If a pod used the original image, a node would try";
                plan_lines(out, opening, &item.docker_image_reference, upstream, &[], resolver, options.gaps, &short);
            }
            for difference in &item.hops_disagree {
                let mark = if difference.kind.matters() { "!" } else { "-" };
                let _ =
                    writeln!(out, "      {mark} {}", safe(&hop_words(difference.kind, &short(&difference.reference))));
            }
        }
        None => {
            let opening = format!("Pods and nodes pull {}", short(&item.pull_spec));
            plan_lines(
                out,
                &opening,
                &item.pull_spec,
                &item.pull_sources,
                &item.errors,
                resolver,
                options.gaps,
                &short,
            );
        }
    }
    if !item.policy.allowed {
        let reason = item.policy.reason.as_deref().unwrap_or("not allowed");
        let _ = writeln!(out, "      ! policy.json rejects it: {}", safe(reason));
    }
    if let Some(verification) = &item.verification {
        let _ = writeln!(out, "      The registries say (--verify):");
        for (i, source) in verification.sources.iter().enumerate() {
            let answer = match (&source.answer, &source.skipped) {
                (Some(answer), _) => answer.words(),
                (None, Some(why)) => format!("not asked: {why}"),
                (None, None) => "not asked".to_owned(),
            };
            let _ = writeln!(out, "        {}. {}: {}", i + 1, safe(&short(&source.reference)), safe(&answer));
        }
        let _ = match &verification.served_by {
            Some(source) => writeln!(out, "      = a node gets it from {}", safe(&short(source))),
            None => writeln!(out, "      ! no source a node contacts serves it: the pull fails"),
        };
    }
}

/// What the image is: its size, layers, platform and build time, or why that is unknown.
fn image_lines(out: &mut String, item: &HistoryItem, gaps: InputGaps) {
    if item.image.is_empty() {
        return;
    }
    // The digest is on the reference line already when the reference pins it.
    let pinned = item.docker_image_reference.ends_with(&format!("@{}", item.image));
    let digest = if pinned { String::new() } else { format!("{} ", safe(&item.image)) };
    let (Some(info), Some(route)) = (&item.image_info, item.image_from) else {
        let why = if gaps.no_images { "the input holds no Images" } else { "not in the input" };
        let _ = writeln!(out, "      image {digest}details unknown: {why}");
        return;
    };
    let mut facts = Vec::new();
    if let Some(size) = info.size.and_then(|s| u64::try_from(s).ok()) {
        facts.push(crate::quantity::format_size(size));
    }
    if info.manifests.is_empty() {
        facts.push(format!("{} layers", info.layers));
    } else {
        facts.push(format!("manifest list of {}", info.manifests.len()));
    }
    let platform: Vec<&str> = [&info.os, &info.architecture].into_iter().flatten().map(String::as_str).collect();
    if !platform.is_empty() {
        facts.push(platform.join("/"));
    }
    if let Some(created) = &info.created {
        facts.push(format!("built {created}"));
    }
    let _ = writeln!(out, "      image {digest}{} (from its {route})", safe(&facts.join(", ")));
    for child in &info.manifests {
        let mut platform =
            format!("{}/{}", child.os.as_deref().unwrap_or("?"), child.architecture.as_deref().unwrap_or("?"));
        if let Some(variant) = &child.variant {
            platform = format!("{platform}/{variant}");
        }
        let _ = writeln!(out, "        {}  {}", safe(&platform), safe(&child.digest));
    }
}

/// A node's plan, source by source, with why each is (or is not) used.
#[allow(clippy::too_many_arguments)]
fn plan_lines(
    out: &mut String,
    opening: &str,
    reference: &str,
    sources: &[PullSource],
    errors: &[String],
    resolver: &Resolver,
    gaps: InputGaps,
    short: &dyn Fn(&str) -> String,
) {
    let plan = resolver.plan(reference);
    let scope = match (&plan.scope, gaps.no_mirror_rules) {
        (Some(scope), _) => format!("rules for {scope} apply (the longest matching scope)"),
        (None, true) => "the input holds no mirror rules".to_owned(),
        (None, false) => "no mirror rule matches".to_owned(),
    };
    let pull = match plan.pull_type {
        Some(PullType::Digest) => "a digest pull",
        Some(PullType::Tag) => "a tag pull",
        None => "not a valid reference",
    };
    let _ = writeln!(out, "      {}: {pull}; {}", safe(opening), safe(&scope));
    if sources.len() > 1 || sources.iter().any(|s| s.blocked || s.insecure) {
        for (i, source) in sources.iter().enumerate() {
            let _ = writeln!(out, "        {}. {}  {}", i + 1, safe(&short(&source.reference)), why(source));
        }
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
            let _ = writeln!(out, "        -  {}  not used: {reason}", safe(&mirror.location));
        }
    }
    for error in errors {
        let _ = writeln!(out, "        ! {}", safe(error));
    }
    // The identity is the asked-for reference's whichever source serves it: said once.
    for required in sources.first().map(|s| s.signatures.as_slice()).unwrap_or_default() {
        let _ = writeln!(
            out,
            "        signature required by {} ({}): claiming {} ({}), looked for beside the image on the source that serves it",
            safe(&required.policy),
            safe(&required.policy_type),
            safe(&required.identity),
            safe(&required.match_policy)
        );
    }
}

/// Why a source is where it is, naming the objects (and, for a block, the mechanism).
fn why(source: &PullSource) -> String {
    let objects = safe(&source.from.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "));
    let blockers = safe(&source.from.iter().map(blocker).collect::<Vec<_>>().join(", "));
    let mut words = match (source.kind, source.blocked) {
        (SourceKind::Mirror, false) => format!("mirror from {objects}"),
        (SourceKind::Mirror, true) => format!("mirror from {objects}; blocked: nodes never contact it"),
        (SourceKind::Source, false) => "the source, tried last".to_owned(),
        (SourceKind::Source, true) if blockers.is_empty() => "the source; blocked: nodes never contact it".to_owned(),
        (SourceKind::Source, true) => format!("the source; blocked by {blockers}: nodes never contact it"),
    };
    if source.insecure {
        words.push_str("; insecure (no TLS verification)");
    }
    words
}

/// An object that blocks a source, with the setting that does it.
fn blocker(object: &ObjectRef) -> String {
    match object.kind.as_str() {
        "Image" => format!("images.config.openshift.io/{} (blockedRegistries)", object.name),
        _ => format!("{object} (NeverContactSource)"),
    }
}

fn through_lines(out: &mut String, through: &PullThroughPlan, short: &dyn Fn(&str) -> String) {
    let _ = writeln!(
        out,
        "      The integrated registry pulls it through from (every matching rule counts; OpenShift 4.15 and later):"
    );
    for (i, source) in through.sources.iter().enumerate() {
        let from = safe(&source.from.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "));
        let why = match source.kind {
            SourceKind::Mirror if source.carried => {
                format!("mirror carried over from an earlier entry of {from} (an image-registry quirk)")
            }
            SourceKind::Mirror => format!("mirror from {from}"),
            SourceKind::Source => "the original repository, always last".to_owned(),
        };
        let _ = writeln!(out, "        {}. {}  {why}", i + 1, safe(&short(&source.reference)));
    }
    if let Some(note) = &through.note {
        let _ = writeln!(out, "        ! {}", safe(note));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blockers_name_their_mechanism() {
        let config = ObjectRef { kind: "Image".into(), name: "cluster".into() };
        assert_eq!(blocker(&config), "images.config.openshift.io/cluster (blockedRegistries)");
        let set = ObjectRef { kind: "ImageDigestMirrorSet".into(), name: "d".into() };
        assert_eq!(blocker(&set), "ImageDigestMirrorSet/d (NeverContactSource)");
    }
}
