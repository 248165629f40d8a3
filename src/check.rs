//! `isctl check`: rules evaluated over resolutions, each finding with a stable rule id, a
//! severity, the object and one line of reason. Pure: the clock and the baseline come in as data.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::mirror::config::PullFrom;
use crate::mirror::plan::{Resolver, SourceKind};
use crate::model::meta::parse_time;
use crate::reference::Reference;
use crate::resolve::{InputGaps, StreamResolution};

/// How serious a finding is; ordered from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Likely to bite.
    Warning,
    /// Broken now.
    Error,
}

/// Every rule, with its id, severity and what it means.
pub const RULES: [(&str, Severity, &str); 15] = [
    ("import-failed", Severity::Error, "the last import of a tag failed (ImportSuccess is False)"),
    ("import-pending", Severity::Info, "a tag's spec asks for a generation no import has observed yet"),
    ("tag-without-history", Severity::Warning, "a tag has no history: nothing to pull"),
    ("image-missing", Severity::Warning, "a history item's Image is not in the input although Images were loaded"),
    ("mirror-conflict", Severity::Error, "the machine-config operator would refuse to render the mirror rules"),
    ("invalid-rewrite", Severity::Error, "a mirror rewrite produces an invalid reference: the pull fails"),
    ("unpullable", Severity::Error, "every pull source of a current image is blocked"),
    (
        "policy-rejected",
        Severity::Error,
        "policy.json rejects a current image (blockedRegistries or allowedRegistries)",
    ),
    ("not-mirrored", Severity::Error, "--require-mirror: a current image's first pull source is not a mirror"),
    ("tag-not-mirrored", Severity::Error, "--require-mirror: a tag reference has no tag mirror"),
    (
        "digest-mirrors-only",
        Severity::Warning,
        "a tag reference's source has only digest mirrors, which tag pulls never use",
    ),
    ("too-old", Severity::Warning, "--max-age: a current image is older than allowed"),
    ("digest-moved", Severity::Warning, "--baseline: a tag's current digest differs from the baseline"),
    ("tag-appeared", Severity::Info, "--baseline: a tag is not in the baseline"),
    ("tag-vanished", Severity::Warning, "--baseline: a baseline tag is gone"),
];

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// Stable rule id.
    pub rule: &'static str,
    /// Severity of the rule.
    pub severity: Severity,
    /// `namespace/stream:tag`, or the mirror source for rule conflicts.
    pub object: String,
    /// The history item concerned (its generation), when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// One line of reason.
    pub reason: String,
}

/// What a check run evaluates beyond the resolutions.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// `--require-mirror`.
    pub require_mirror: bool,
    /// `--max-age`, with the time it is measured against.
    pub max_age: Option<(jiff::SignedDuration, Timestamp)>,
    /// `--baseline`: the saved resolutions.
    pub baseline: Option<Vec<BaselineStream>>,
    /// Rules turned off with `--disable`.
    pub disabled: Vec<String>,
    /// Streams (`namespace/stream`) of which only some tags were checked: their other baseline
    /// tags did not vanish, they were not looked at.
    pub partial_streams: std::collections::BTreeSet<String>,
}

/// The parts of a saved `resolve -o yaml` a baseline needs.
#[derive(Clone, Debug, Deserialize)]
pub struct BaselineStream {
    /// Must be `ImageStreamResolution`.
    #[serde(default)]
    pub kind: String,
    /// Name and namespace.
    pub metadata: BaselineMeta,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<BaselineTag>,
}

/// `metadata` of a baseline stream.
#[derive(Clone, Debug, Deserialize)]
pub struct BaselineMeta {
    /// Stream name.
    pub name: String,
    /// Namespace.
    #[serde(default)]
    pub namespace: String,
}

/// A baseline tag.
#[derive(Clone, Debug, Deserialize)]
pub struct BaselineTag {
    /// Tag name.
    pub name: String,
    /// History; the current item is first.
    #[serde(default)]
    pub history: Vec<BaselineItem>,
}

/// A baseline history item.
#[derive(Clone, Debug, Deserialize)]
pub struct BaselineItem {
    /// The digest.
    #[serde(default)]
    pub image: String,
}

/// Reads a baseline file's text (YAML or JSON from `isctl resolve -o yaml|json`): one
/// document, or a `kind: List` of them.
pub fn parse_baseline(text: &str) -> Result<Vec<BaselineStream>, String> {
    #[derive(Deserialize)]
    struct Shape {
        #[serde(default)]
        items: Option<serde::de::IgnoredAny>,
    }
    #[derive(Deserialize)]
    struct List {
        items: Vec<BaselineStream>,
    }
    let message = |e: serde_saphyr::Error| {
        let rendered = e.without_snippet().to_string();
        rendered.lines().next().unwrap_or_default().trim_start_matches("error: ").to_owned()
    };
    // Typed straight from the text, so YAML's lenient scalars (`n`, `yes`) stay strings.
    let shape: Shape = serde_saphyr::from_str(text).map_err(message)?;
    let streams = if shape.items.is_some() {
        serde_saphyr::from_str::<List>(text).map(|l| l.items).map_err(message)?
    } else {
        serde_saphyr::from_str::<BaselineStream>(text).map(|one| vec![one]).map_err(message)?
    };
    match streams.iter().find(|s| s.kind != "ImageStreamResolution") {
        Some(other) => Err(format!("holds a {:?}, not an ImageStreamResolution", other.kind)),
        None => Ok(streams),
    }
}

/// Evaluates every enabled rule. Findings come out ordered by object, then rule.
pub fn check(
    resolutions: &[StreamResolution],
    resolver: &Resolver,
    gaps: &InputGaps,
    options: &CheckOptions,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut add = |rule: &'static str, object: String, item: Option<String>, reason: String| {
        let severity = RULES.iter().find(|(id, _, _)| *id == rule).map(|(_, s, _)| *s).expect("known rule");
        findings.push(Finding { rule, severity, object, item, reason });
    };
    for conflict in &resolver.config().conflicts {
        let objects: Vec<String> = conflict.objects.iter().map(ToString::to_string).collect();
        add("mirror-conflict", conflict.source.clone(), None, format!("{} ({})", conflict.message, objects.join(", ")));
    }
    for stream in resolutions {
        for tag in &stream.tags {
            let object = format!("{}/{}:{}", stream.metadata.namespace, stream.metadata.name, tag.name);
            if let Some(failure) = &tag.import_failed {
                add(
                    "import-failed",
                    object.clone(),
                    None,
                    format!("{}: {}", failure.reason, first_line(&failure.message)),
                );
            }
            if tag.import_pending {
                add("import-pending", object.clone(), None, "the spec's generation has not been imported yet".into());
            }
            if tag.history.is_empty() {
                add("tag-without-history", object.clone(), None, "no image was ever recorded for this tag".into());
            }
            if let Some(from) = tag.spec.as_ref().and_then(|s| s.from.as_ref()).filter(|f| f.kind == "DockerImage") {
                tag_reference_rules(&mut add, resolver, options, &object, None, &from.name, "imported from");
            }
            for item in &tag.history {
                let label = item.generation.map(|g| format!("generation {g}")).or_else(|| Some("history".into()));
                if !item.image.is_empty() && !item.image_found && !gaps.no_images {
                    add(
                        "image-missing",
                        object.clone(),
                        label.clone(),
                        format!("Image {} is not in the input", item.image),
                    );
                }
                for error in &item.errors {
                    add("invalid-rewrite", object.clone(), label.clone(), error.clone());
                }
                if item.image.is_empty() {
                    tag_reference_rules(
                        &mut add,
                        resolver,
                        options,
                        &object,
                        label.clone(),
                        &item.pull_spec,
                        "references",
                    );
                }
                if !item.current {
                    continue;
                }
                if !item.pull_sources.is_empty() && item.pull_sources.iter().all(|s| s.blocked) {
                    add(
                        "unpullable",
                        object.clone(),
                        label.clone(),
                        format!("every pull source of {} is blocked", item.pull_spec),
                    );
                }
                if !item.policy.allowed {
                    add(
                        "policy-rejected",
                        object.clone(),
                        label.clone(),
                        format!("{}: {}", item.pull_spec, item.policy.reason.as_deref().unwrap_or("not allowed")),
                    );
                }
                // For Local tags pods pull from the integrated registry, which pulls through the
                // mirrors: the upstream plan is the one that must start with a mirror.
                let (plan, spec) = match &item.upstream_pull_sources {
                    Some(upstream) => (upstream, &item.docker_image_reference),
                    None => (&item.pull_sources, &item.pull_spec),
                };
                if options.require_mirror
                    && !item.image.is_empty()
                    && plan.first().is_none_or(|s| s.kind != SourceKind::Mirror)
                {
                    add(
                        "not-mirrored",
                        object.clone(),
                        label.clone(),
                        format!("{spec} is pulled from its source, not a mirror"),
                    );
                }
                if let Some((max_age, now)) = options.max_age
                    && let Some(created) = parse_time(item.created.as_deref())
                    && now.duration_since(created) > max_age
                {
                    add(
                        "too-old",
                        object.clone(),
                        label.clone(),
                        format!(
                            "created {}, more than {} ago",
                            item.created.as_deref().unwrap_or_default(),
                            format_duration(max_age)
                        ),
                    );
                }
            }
        }
    }
    if let Some(baseline) = &options.baseline {
        baseline_rules(&mut add, resolutions, baseline, &options.partial_streams);
    }
    findings.retain(|f| !options.disabled.iter().any(|d| d == f.rule));
    findings.sort_by(|a, b| (&a.object, a.rule, &a.item, &a.reason).cmp(&(&b.object, b.rule, &b.item, &b.reason)));
    findings.dedup();
    findings
}

/// Rules about a reference by tag: digest-only mirrors (never used for tag pulls) and, with
/// `--require-mirror`, the lack of a tag mirror.
fn tag_reference_rules(
    add: &mut impl FnMut(&'static str, String, Option<String>, String),
    resolver: &Resolver,
    options: &CheckOptions,
    object: &str,
    item: Option<String>,
    reference: &str,
    how: &str,
) {
    let Ok(parsed) = Reference::parse_normalized(reference) else { return };
    if parsed.is_digested() {
        return;
    }
    let entry = resolver.find(&parsed.name()).map(|(e, _)| e);
    let digest_mirrors = entry.is_some_and(|e| e.mirrors.iter().any(|m| m.pull_from == PullFrom::DigestOnly));
    let tag_mirrors = entry.is_some_and(|e| e.mirrors.iter().any(|m| m.pull_from == PullFrom::TagOnly));
    if digest_mirrors && !tag_mirrors {
        add(
            "digest-mirrors-only",
            object.to_owned(),
            item.clone(),
            format!(
                "{how} {reference} by tag, but its scope {} has only digest mirrors",
                entry.map(|e| e.scope()).unwrap_or_default()
            ),
        );
    }
    if options.require_mirror && !tag_mirrors {
        add(
            "tag-not-mirrored",
            object.to_owned(),
            item,
            format!("{how} {reference} by tag and no tag mirror covers it"),
        );
    }
}

fn baseline_rules(
    add: &mut impl FnMut(&'static str, String, Option<String>, String),
    resolutions: &[StreamResolution],
    baseline: &[BaselineStream],
    partial_streams: &std::collections::BTreeSet<String>,
) {
    // `namespace/stream:tag` -> current digest, for both runs.
    let entry = |namespace: &str, stream: &str, tag: &str, image: Option<&String>| {
        (format!("{namespace}/{stream}:{tag}"), image.filter(|i| !i.is_empty()).cloned())
    };
    let before: BTreeMap<String, Option<String>> = baseline
        .iter()
        .flat_map(|s| {
            s.tags.iter().map(move |t| {
                entry(&s.metadata.namespace, &s.metadata.name, &t.name, t.history.first().map(|h| &h.image))
            })
        })
        .collect();
    let now: BTreeMap<String, Option<String>> = resolutions
        .iter()
        .flat_map(|s| {
            s.tags.iter().map(move |t| {
                entry(&s.metadata.namespace, &s.metadata.name, &t.name, t.history.first().map(|h| &h.image))
            })
        })
        .collect();
    // Only streams present in both runs are compared tag by tag; a stream outside this run's
    // scope is not "vanished".
    let streams_now: Vec<String> = resolutions
        .iter()
        .map(|s| format!("{}/{}", s.metadata.namespace, s.metadata.name))
        .filter(|s| !partial_streams.contains(s))
        .map(|s| format!("{s}:"))
        .collect();
    for (tag, image) in &now {
        match before.get(tag) {
            None => add("tag-appeared", tag.clone(), None, "not in the baseline".into()),
            Some(old) if old != image => add(
                "digest-moved",
                tag.clone(),
                None,
                format!("{} -> {}", old.as_deref().unwrap_or("<none>"), image.as_deref().unwrap_or("<none>")),
            ),
            Some(_) => {}
        }
    }
    for tag in before.keys().filter(|t| !now.contains_key(*t) && streams_now.iter().any(|s| t.starts_with(s))) {
        add("tag-vanished", tag.clone(), None, "in the baseline but not any more".into());
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// `36h`, `90m`, `45s`: the largest unit that divides the duration.
fn format_duration(d: jiff::SignedDuration) -> String {
    let seconds = d.as_secs();
    if seconds % 86400 == 0 {
        format!("{}d", seconds / 86400)
    } else if seconds % 3600 == 0 {
        format!("{}h", seconds / 3600)
    } else if seconds % 60 == 0 {
        format!("{}m", seconds / 60)
    } else {
        format!("{seconds}s")
    }
}

/// Parses `--max-age`: a number with `s`, `m`, `h`, `d` or `w`.
pub fn parse_max_age(text: &str) -> Option<jiff::SignedDuration> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let value: i64 = text[..split].parse().ok()?;
    let unit = match &text[split..] {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        "w" => 7 * 86400,
        _ => return None,
    };
    Some(jiff::SignedDuration::from_secs(value.checked_mul(unit)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_ages() {
        assert_eq!(parse_max_age("36h"), Some(jiff::SignedDuration::from_hours(36)));
        assert_eq!(parse_max_age("2w"), Some(jiff::SignedDuration::from_hours(24 * 14)));
        assert_eq!(parse_max_age("30"), None);
        assert_eq!(parse_max_age("d"), None);
        assert_eq!(format_duration(jiff::SignedDuration::from_hours(48)), "2d");
        assert_eq!(format_duration(jiff::SignedDuration::from_secs(90)), "90s");
    }

    #[test]
    fn baselines_are_one_document_or_a_list() {
        let one = "apiVersion: isctl/v1alpha1\nkind: ImageStreamResolution\nmetadata: {name: s, namespace: n}\ntags:\n- name: t\n  history: [{image: 'sha256:a'}]\n";
        assert_eq!(parse_baseline(one).unwrap()[0].tags[0].history[0].image, "sha256:a");
        let list = format!("apiVersion: v1\nkind: List\nitems:\n- {}", one.replace('\n', "\n  "));
        assert_eq!(parse_baseline(&list).unwrap().len(), 1);
        assert!(parse_baseline("just text").is_err());
    }

    #[test]
    fn every_rule_has_a_unique_id() {
        let ids: std::collections::BTreeSet<&str> = RULES.iter().map(|(id, _, _)| *id).collect();
        assert_eq!(ids.len(), RULES.len());
    }
}
