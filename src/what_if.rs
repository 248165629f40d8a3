//! What-if: how a mirror change changes where nodes pull from, before it is applied
//! (docs/what-if.md). Pure: two rendered configurations and the references to ask about come
//! in; the changed pull plans, the refused conflicts and the `registries.conf` difference come
//! out.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::catalog::{Catalog, Origin};
use crate::mirror::config::{Conflict, PullFrom};
use crate::mirror::plan::{PullPlan, PullType, Resolver, SourceKind, all_blocked};
use crate::mirror::signatures::refusals as refusals_of_policies;
use crate::model::mirror::{MirrorEntry, MirrorSetSpec};
use crate::model::{ImageContentSourcePolicy, MirrorSet, Object, ResourceKind};
use crate::resolve::StreamResolution;

/// One reference to compare, with what uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Asked {
    /// The reference as the stream or the images file wrote it.
    pub reference: String,
    /// The namespace whose Pods pull it (a stream's), whose ImagePolicies apply; None for a
    /// reference of an images file.
    pub namespace: Option<String>,
    /// What uses it: `namespace/stream:tag`, `namespace/stream:tag (import)`, or `FILE:LINE`.
    pub used_by: Vec<String>,
    /// An ImageStream import reads it (openshift-apiserver, which follows the mirror rules but
    /// verifies no signature), not a node.
    pub import: bool,
}

/// The references the streams use: the current image of every tag (every history item with
/// `history`), and the tag a spec imports from, each with the tags that use it, in first-use
/// order, once per namespace (a namespace's ImagePolicies may require another signature).
///
/// Linear in the uses: a release stream's thousands of tags often share one image, so whether
/// a tag already uses a reference is a set lookup, not a scan of its users.
pub(crate) fn stream_references(resolutions: &[StreamResolution], history: bool) -> Vec<Asked> {
    let mut asked: Vec<Asked> = Vec::new();
    let mut index: BTreeMap<(String, String, bool), usize> = BTreeMap::new();
    let mut seen: HashSet<(usize, String)> = HashSet::new();
    let mut add = |namespace: &str, reference: &str, user: String, import: bool| {
        if reference.is_empty() {
            return;
        }
        let key = (namespace.to_owned(), reference.to_owned(), import);
        let at = *index.entry(key).or_insert_with(|| {
            let namespace = Some(namespace.to_owned());
            asked.push(Asked { reference: reference.to_owned(), namespace, used_by: Vec::new(), import });
            asked.len() - 1
        });
        if seen.insert((at, user.clone())) {
            asked[at].used_by.push(user);
        }
    };
    for stream in resolutions {
        let namespace = stream.metadata.namespace.as_str();
        let prefix = format!("{namespace}/{}", stream.metadata.name);
        for tag in &stream.tags {
            let user = format!("{prefix}:{}", tag.name);
            let items = tag.history.iter().take(if history { usize::MAX } else { 1 });
            for item in items {
                add(namespace, &item.docker_image_reference, user.clone(), false);
            }
            if let Some(from) = tag.spec.as_ref().and_then(|s| s.from.as_ref()).filter(|f| f.kind == "DockerImage") {
                add(namespace, &from.name, format!("{user} (import)"), true);
            }
        }
    }
    asked
}

/// How one reference's pull changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Change {
    /// It could be pulled, and no longer can: every source blocked, rejected by policy, or an
    /// invalid rewrite.
    Unpullable,
    /// It could not be pulled, and now can.
    Pullable,
    /// A source a node tried is now blocked.
    NewlyBlocked,
    /// A blocked source is no longer blocked.
    Unblocked,
    /// Sources a node will try that it did not.
    SourcesAdded,
    /// Sources a node tried that it will not.
    SourcesRemoved,
    /// The same sources, in another order.
    Reordered,
    /// A tag pull whose scope gains mirrors that serve digests only: it still needs the source
    /// (the disconnected-upgrade trap).
    DigestMirrorsOnly,
    /// A ClusterImagePolicy now requires a signature (or another one): a node refuses the image
    /// where the signature is not beside it.
    SignatureRequired,
    /// No signature is required any more.
    SignatureDropped,
}

impl Change {
    /// The words a table shows.
    pub(crate) fn words(self) -> &'static str {
        match self {
            Change::Unpullable => "unpullable",
            Change::Pullable => "pullable again",
            Change::NewlyBlocked => "newly blocked",
            Change::Unblocked => "unblocked",
            Change::SourcesAdded => "sources added",
            Change::SourcesRemoved => "sources removed",
            Change::Reordered => "reordered",
            Change::DigestMirrorsOnly => "tag pull not mirrored",
            Change::SignatureRequired => "signature now required",
            Change::SignatureDropped => "signature no longer required",
        }
    }
}

/// A side of the comparison: where a node goes, in short.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlanSide {
    /// The sources in the node's order, with `blocked` and `insecure`.
    pub sources: Vec<SideSource>,
    /// The first source a node contacts, or `null` when it contacts none.
    pub pulls_from: Option<String>,
    /// Why the pull fails, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fails: Option<String>,
}

/// One source of a [`PlanSide`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct SideSource {
    /// The rewritten reference.
    pub reference: String,
    /// A node never contacts it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub blocked: bool,
    /// Reached without TLS verification.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub insecure: bool,
}

impl PlanSide {
    fn of(plan: &PullPlan) -> PlanSide {
        let sources: Vec<SideSource> = plan
            .sources
            .iter()
            .map(|s| SideSource { reference: s.reference.clone(), blocked: s.blocked, insecure: s.insecure })
            .collect();
        PlanSide { pulls_from: first_contacted(plan), fails: failure(plan), sources }
    }
}

/// The first source a node contacts, when the pull can happen at all.
fn first_contacted(plan: &PullPlan) -> Option<String> {
    if failure(plan).is_some() {
        return None;
    }
    plan.sources.iter().find(|s| !s.blocked).map(|s| s.reference.clone())
}

/// Why a pull fails before or instead of contacting any source.
fn failure(plan: &PullPlan) -> Option<String> {
    if let Some(error) = plan.errors.first() {
        return Some(error.clone());
    }
    if !plan.policy.allowed {
        return Some(format!("rejected by policy: {}", plan.policy.reason.as_deref().unwrap_or("not allowed")));
    }
    all_blocked(&plan.sources).then(|| "every source is blocked".to_owned())
}

/// One reference whose pull changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlanChange {
    /// The normalised reference.
    pub reference: String,
    /// Digest or tag pull.
    pub pull_type: Option<PullType>,
    /// What uses it.
    pub used_by: Vec<String>,
    /// How it changes, most serious first.
    pub changes: Vec<Change>,
    /// The pull today.
    pub current: PlanSide,
    /// The pull with the change applied.
    pub proposed: PlanSide,
}

/// The answer of `isctl diff mirrors` (`kind: PlanDiff`, docs/what-if.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlanDiff {
    /// `isctl/v1alpha1`.
    pub api_version: &'static str,
    /// `PlanDiff`.
    pub kind: &'static str,
    /// How many references were compared.
    pub compared: usize,
    /// The references whose pull changes, most serious first.
    pub changes: Vec<PlanChange>,
    /// Conflicts the operator would refuse in the proposed rules that the current ones do not
    /// have. Any refusal means nodes keep their current registries.conf: the changes above
    /// would not happen until it is fixed.
    pub refused: Vec<Conflict>,
    /// Whether the current rules are themselves refused (nodes run an older configuration).
    pub current_refused: bool,
    /// The unified diff of the rendered registries.conf, empty when it does not change.
    pub registries_conf: String,
}

impl PlanDiff {
    /// Whether anything changes, or would be refused.
    pub(crate) fn differs(&self) -> bool {
        !self.changes.is_empty() || !self.refused.is_empty() || !self.registries_conf.is_empty()
    }
}

/// Compares the pulls of `asked` under the current and the proposed rules. A reference that
/// changes alike in several namespaces is one change, used by all of them.
pub(crate) fn diff_plans(current: &Resolver, proposed: &Resolver, asked: &[Asked]) -> PlanDiff {
    let mut changes: Vec<PlanChange> = asked
        .iter()
        .filter_map(|a| {
            let namespace = a.namespace.as_deref();
            let (now, then) = (current.plan_in(&a.reference, namespace), proposed.plan_in(&a.reference, namespace));
            let mut kinds = classify(current, proposed, &now, &then);
            if a.import {
                kinds.retain(|k| !matches!(k, Change::SignatureRequired | Change::SignatureDropped));
            }
            (!kinds.is_empty()).then(|| PlanChange {
                reference: then.reference.clone(),
                pull_type: then.pull_type,
                used_by: a.used_by.clone(),
                changes: kinds,
                current: PlanSide::of(&now),
                proposed: PlanSide::of(&then),
            })
        })
        .collect();
    let mut merged: Vec<PlanChange> = Vec::with_capacity(changes.len());
    let mut by_reference: HashMap<String, Vec<usize>> = HashMap::new();
    for change in changes.drain(..) {
        let earlier = by_reference.entry(change.reference.clone()).or_default();
        let same = |m: &PlanChange| {
            (&m.changes, &m.current, &m.proposed) == (&change.changes, &change.current, &change.proposed)
        };
        match earlier.iter().copied().find(|&at| same(&merged[at])) {
            Some(at) => merged[at].used_by.extend(change.used_by),
            None => {
                earlier.push(merged.len());
                merged.push(change);
            }
        }
    }
    let mut changes = merged;
    changes.sort_by(|a, b| a.changes.cmp(&b.changes).then_with(|| a.reference.cmp(&b.reference)));
    let compared: BTreeSet<&str> = asked.iter().map(|a| a.reference.as_str()).collect();
    let (now_refused, then_refused) = (refusals(current), refusals(proposed));
    let refused: Vec<Conflict> = then_refused.into_iter().filter(|c| !now_refused.contains(c)).collect();
    PlanDiff {
        api_version: "isctl/v1alpha1",
        kind: "PlanDiff",
        compared: compared.len(),
        changes,
        refused,
        current_refused: !now_refused.is_empty(),
        registries_conf: unified(
            &crate::mirror::toml::render(current.config()),
            &crate::mirror::toml::render(proposed.config()),
        ),
    }
}

/// Everything the operator would refuse in a configuration: the mirror rules' conflicts, and
/// signature policy scopes beside the allowed and blocked registries (either stops the whole
/// render: registries.conf, policy.json and the namespaces' policies).
fn refusals(resolver: &Resolver) -> Vec<Conflict> {
    let config = resolver.config();
    let mut found = config.conflicts.clone();
    let signatures = refusals_of_policies(&config.signatures, &config.allowed_registries, &config.blocked_registries);
    found.extend(signatures.into_iter().map(|(policy, message)| Conflict {
        source: policy,
        message,
        objects: Vec::new(),
    }));
    found
}

/// The kinds of change between two plans of one reference, most serious first.
fn classify(current: &Resolver, proposed: &Resolver, now: &PullPlan, then: &PullPlan) -> Vec<Change> {
    let mut changes = Vec::new();
    match (failure(now).is_none(), failure(then).is_none()) {
        (true, false) => changes.push(Change::Unpullable),
        (false, true) => changes.push(Change::Pullable),
        _ => {}
    }
    let blocked = |plan: &PullPlan| -> BTreeSet<String> {
        plan.sources.iter().filter(|s| s.blocked).map(|s| s.reference.clone()).collect()
    };
    let names = |plan: &PullPlan| -> Vec<String> { plan.sources.iter().map(|s| s.reference.clone()).collect() };
    let (before, after) = (names(now), names(then));
    let (blocked_before, blocked_after) = (blocked(now), blocked(then));
    if blocked_after.iter().any(|s| !blocked_before.contains(s) && before.contains(s)) {
        changes.push(Change::NewlyBlocked);
    }
    if blocked_before.iter().any(|s| !blocked_after.contains(s) && after.contains(s)) {
        changes.push(Change::Unblocked);
    }
    if after.iter().any(|s| !before.contains(s)) {
        changes.push(Change::SourcesAdded);
    }
    if before.iter().any(|s| !after.contains(s)) {
        changes.push(Change::SourcesRemoved);
    }
    let common = |from: &[String], other: &[String]| -> Vec<String> {
        from.iter().filter(|s| other.contains(s)).cloned().collect()
    };
    if common(&before, &after) != common(&after, &before) {
        changes.push(Change::Reordered);
    }
    if digest_mirrors_only(proposed, then) && !digest_mirrors_only(current, now) {
        changes.push(Change::DigestMirrorsOnly);
    }
    // The requirements are the same for every source: the first one's say it.
    let required = |plan: &PullPlan| plan.sources.first().map(|s| s.signatures.clone()).unwrap_or_default();
    match (required(now), required(then)) {
        (before, after) if before == after => {}
        (_, after) if !after.is_empty() => changes.push(Change::SignatureRequired),
        _ => changes.push(Change::SignatureDropped),
    }
    changes
}

/// A tag pull that goes to its source only, although its scope has mirrors: for digests only.
fn digest_mirrors_only(resolver: &Resolver, plan: &PullPlan) -> bool {
    if plan.pull_type != Some(PullType::Tag) || plan.sources.iter().any(|s| s.kind == SourceKind::Mirror) {
        return false;
    }
    let name = plan.reference.rsplit_once(':').map_or(plan.reference.as_str(), |(name, _)| name);
    resolver.find(name).is_some_and(|(entry, _)| entry.mirrors.iter().any(|m| m.pull_from == PullFrom::DigestOnly))
}

/// `diff -u` of two texts, labelled current and proposed; empty when they are equal.
fn unified(current: &str, proposed: &str) -> String {
    if current == proposed {
        return String::new();
    }
    similar::TextDiff::from_lines(current, proposed)
        .unified_diff()
        .context_radius(3)
        .header("current/registries.conf", "proposed/registries.conf")
        .to_string()
}

/// The ImageDigestMirrorSets `oc adm migrate icsp` writes for these ICSPs: the same names and
/// the same entries, in order, with no `mirrorSourcePolicy` (oc's `generateIDMS`).
pub(crate) fn migrate_icsp(policies: &[&ImageContentSourcePolicy]) -> Vec<MirrorSet> {
    policies
        .iter()
        .map(|icsp| {
            let entries = icsp.spec.as_ref().and_then(|s| s.repository_digest_mirrors.as_deref()).unwrap_or_default();
            let entries = entries
                .iter()
                .map(|e| MirrorEntry { source: e.source.clone(), mirrors: e.mirrors.clone(), ..MirrorEntry::default() })
                .collect();
            let metadata = crate::model::ObjectMeta { name: icsp.metadata.name.clone(), ..Default::default() };
            MirrorSet {
                api_version: Some("config.openshift.io/v1".into()),
                kind: Some("ImageDigestMirrorSet".into()),
                metadata,
                spec: Some(MirrorSetSpec { image_digest_mirrors: Some(entries), ..MirrorSetSpec::default() }),
                ..MirrorSet::default()
            }
        })
        .collect()
}

/// The catalog after the migration: every ICSP replaced by its IDMS. Returns the names
/// migrated.
pub(crate) fn apply_icsp_migration(catalog: &mut Catalog) -> Vec<String> {
    let policies: Vec<ImageContentSourcePolicy> = catalog.content_source_policies().cloned().collect();
    let sets = migrate_icsp(&policies.iter().collect::<Vec<_>>());
    let mut names = Vec::new();
    for (icsp, set) in policies.iter().zip(sets) {
        let name = icsp.metadata.name().to_owned();
        catalog.remove(ResourceKind::ImageContentSourcePolicy, "", &name);
        let origin = Origin(format!("migrated from ImageContentSourcePolicy/{name}"));
        catalog.overlay_one(Object::ImageDigestMirrorSet(Box::new(set)), origin);
        names.push(name);
    }
    names
}

/// How a tag differs between two states of the streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum TagChange {
    /// The tag is only in the other state.
    Added,
    /// The tag is only in the current state.
    Removed,
    /// The tag points at another image.
    Moved,
    /// Its last import succeeded in the current state and failed in the other.
    ImportFailing,
    /// Its last import failed in the current state and succeeded in the other.
    ImportRecovered,
}

impl TagChange {
    /// The words a table shows.
    pub(crate) fn words(self) -> &'static str {
        match self {
            TagChange::Added => "added",
            TagChange::Removed => "removed",
            TagChange::Moved => "moved",
            TagChange::ImportFailing => "import failing",
            TagChange::ImportRecovered => "import recovered",
        }
    }
}

/// One tag that differs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TagDifference {
    /// `namespace/stream:tag`.
    pub tag: String,
    /// How it differs.
    pub change: TagChange,
    /// Its current image in the current state (`null` when absent or without history).
    pub current: Option<String>,
    /// Its current image in the other state.
    pub other: Option<String>,
    /// The failed import's reason and message, for `importFailing`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The answer of `isctl diff streams` (`kind: StreamDiff`, docs/what-if.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StreamDiff {
    /// `isctl/v1alpha1`.
    pub api_version: &'static str,
    /// `StreamDiff`.
    pub kind: &'static str,
    /// Tags compared (in either state).
    pub compared: usize,
    /// The tags that differ, by tag.
    pub changes: Vec<TagDifference>,
}

/// A tag's current image and failed import, if any.
type TagState<'a> = (Option<&'a str>, Option<&'a crate::resolve::ImportFailure>);

/// Every tag of the resolutions by `namespace/stream:tag`.
fn tag_states(resolutions: &[StreamResolution]) -> BTreeMap<String, TagState<'_>> {
    let mut tags = BTreeMap::new();
    for stream in resolutions {
        for tag in &stream.tags {
            let key = format!("{}/{}:{}", stream.metadata.namespace, stream.metadata.name, tag.name);
            let image = tag.history.first().map(|i| i.image.as_str()).filter(|i| !i.is_empty());
            tags.insert(key, (image, tag.import_failed.as_ref()));
        }
    }
    tags
}

/// Compares two states of the same streams tag by tag.
pub(crate) fn diff_streams(current: &[StreamResolution], other: &[StreamResolution]) -> StreamDiff {
    let (before, after) = (tag_states(current), tag_states(other));
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut changes = Vec::new();
    for key in &keys {
        let (now, then) = (before.get(*key), after.get(*key));
        let image = |state: Option<&TagState<'_>>| state.and_then(|s| s.0.map(str::to_owned));
        let mut push = |change: TagChange, reason: Option<String>| {
            changes.push(TagDifference { tag: (*key).clone(), change, current: image(now), other: image(then), reason })
        };
        match (now, then) {
            (None, Some(_)) => push(TagChange::Added, None),
            (Some(_), None) => push(TagChange::Removed, None),
            (Some(a), Some(b)) => {
                if a.0 != b.0 {
                    push(TagChange::Moved, None);
                }
                match (a.1, b.1) {
                    (None, Some(failure)) => {
                        push(TagChange::ImportFailing, Some(format!("{}: {}", failure.reason, failure.message)))
                    }
                    (Some(_), None) => push(TagChange::ImportRecovered, None),
                    _ => {}
                }
            }
            (None, None) => {}
        }
    }
    StreamDiff { api_version: "isctl/v1alpha1", kind: "StreamDiff", compared: keys.len(), changes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mirror::RegistriesConfig;

    fn resolver(yaml: &str) -> Resolver {
        Resolver::new(RegistriesConfig::from_catalog(&Catalog::from_yaml(yaml)))
    }

    const ICSP: &str = "apiVersion: operator.openshift.io/v1alpha1\nkind: ImageContentSourcePolicy\nmetadata: {name: release}\nspec:\n  repositoryDigestMirrors:\n  - source: quay.io/openshift-release-dev/ocp-release\n    mirrors: [mirror.example.com/ocp/release]\n";

    fn asked(reference: &str) -> Asked {
        Asked { reference: reference.into(), namespace: None, used_by: vec!["ns/s:t".into()], import: false }
    }

    #[test]
    fn stream_states_differ_by_tag() {
        let stream = |tags: &str| {
            format!(
                "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {{name: s, namespace: n}}\nstatus:\n  tags:\n{tags}"
            )
        };
        let tag = |name: &str, image: &str, failed: bool| {
            let condition = if failed {
                "    conditions: [{type: ImportSuccess, status: 'False', reason: NotFound, message: gone}]\n"
            } else {
                ""
            };
            format!(
                "  - tag: {name}\n    items: [{{image: 'sha256:{image}', dockerImageReference: 'q/s@sha256:{image}'}}]\n{condition}"
            )
        };
        let resolved = |yaml: String| {
            let catalog = Catalog::from_yaml(&yaml);
            let resolver = Resolver::new(RegistriesConfig::from_catalog(&catalog));
            let request = crate::resolve::Request { namespace: None, selections: Vec::new() };
            crate::resolve::resolve(&catalog, &resolver, &request).0
        };
        let before = resolved(stream(&[tag("a", "1", false), tag("b", "2", false), tag("c", "3", true)].concat()));
        let after = resolved(stream(&[tag("a", "9", true), tag("c", "3", false), tag("d", "4", false)].concat()));
        let diff = diff_streams(&before, &after);
        let seen: Vec<(&str, TagChange)> = diff.changes.iter().map(|c| (c.tag.as_str(), c.change)).collect();
        assert_eq!(
            seen,
            [
                ("n/s:a", TagChange::Moved),
                ("n/s:a", TagChange::ImportFailing),
                ("n/s:b", TagChange::Removed),
                ("n/s:c", TagChange::ImportRecovered),
                ("n/s:d", TagChange::Added)
            ]
        );
        assert_eq!((diff.compared, diff.changes[1].reason.as_deref()), (4, Some("NotFound: gone")));
        assert!(diff_streams(&before, &before).changes.is_empty());
    }

    /// Item 5 of #26: a release stream's tags often share one image. 100,000 tags naming one
    /// reference were 5e9 comparisons of users; now each use is one set lookup, and a tag still
    /// counts once however often its history repeats the reference.
    #[test]
    fn many_tags_sharing_one_reference_cost_one_lookup_each() {
        let yaml = "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: s, namespace: n}\nstatus:\n  tags:\n  - tag: t\n    items:\n    - {image: 'sha256:1', dockerImageReference: 'q/s@sha256:1'}\n    - {image: 'sha256:1', dockerImageReference: 'q/s@sha256:1'}\n";
        let catalog = Catalog::from_yaml(yaml);
        let resolver = Resolver::new(RegistriesConfig::from_catalog(&catalog));
        let request = crate::resolve::Request { namespace: None, selections: Vec::new() };
        let mut resolutions = crate::resolve::resolve(&catalog, &resolver, &request).0;
        let tag = resolutions[0].tags[0].clone();
        resolutions[0].tags =
            (0..100_000).map(|i| crate::resolve::TagResolution { name: format!("t{i}"), ..tag.clone() }).collect();
        let asked = stream_references(&resolutions, true);
        assert_eq!(asked.len(), 1);
        assert_eq!(asked[0].used_by.len(), 100_000);
        assert_eq!((asked[0].used_by[0].as_str(), asked[0].used_by[99_999].as_str()), ("n/s:t0", "n/s:t99999"));
    }

    #[test]
    fn a_migration_to_idms_changes_no_plan() {
        let mut catalog = Catalog::from_yaml(ICSP);
        let current = Resolver::new(RegistriesConfig::from_catalog(&catalog));
        assert_eq!(apply_icsp_migration(&mut catalog), ["release"]);
        assert_eq!(catalog.content_source_policies().count(), 0);
        assert_eq!(catalog.digest_mirror_sets().count(), 1);
        let proposed = Resolver::new(RegistriesConfig::from_catalog(&catalog));
        let digest = format!("quay.io/openshift-release-dev/ocp-release@sha256:{}", "a".repeat(64));
        let diff = diff_plans(&current, &proposed, &[asked(&digest)]);
        assert!(!diff.differs(), "{diff:?}");
    }

    #[test]
    fn blocking_the_source_and_digest_only_mirrors_are_told_apart() {
        let current = resolver(ICSP);
        let blocked = format!(
            "{ICSP}---\napiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {{name: cluster}}\nspec:\n  registrySources:\n    blockedRegistries: [quay.io]\n"
        );
        let proposed = resolver(&blocked);
        let digest = format!("quay.io/openshift-release-dev/ocp-release@sha256:{}", "a".repeat(64));
        let tag = "quay.io/openshift-release-dev/ocp-release:4.18.1";
        let diff = diff_plans(&current, &proposed, &[asked(&digest), asked(tag)]);
        let kinds: Vec<_> = diff.changes.iter().map(|c| (c.reference.as_str(), c.changes.clone())).collect();
        // blockedRegistries reach policy.json (the logical name is rejected, whatever the
        // mirror) and registries.conf (the source is blocked).
        let both = vec![Change::Unpullable, Change::NewlyBlocked];
        assert_eq!(kinds, [(tag, both.clone()), (digest.as_str(), both)]);
        assert_eq!(
            diff.changes[1].current.pulls_from.as_deref(),
            Some(&*digest.replace("quay.io/openshift-release-dev/ocp-release", "mirror.example.com/ocp/release"))
        );
        assert_eq!(
            diff.changes[1].proposed.fails.as_deref(),
            Some("rejected by policy: quay.io is in blockedRegistries")
        );
        // From no rules to the ICSP: digests gain a mirror; the tag still needs the source.
        let diff = diff_plans(&resolver(""), &current, &[asked(&digest), asked(tag)]);
        let kinds: Vec<_> = diff.changes.iter().map(|c| c.changes.clone()).collect();
        assert_eq!(kinds, [vec![Change::SourcesAdded], vec![Change::DigestMirrorsOnly]]);
        assert!(diff.registries_conf.contains("+  location = \"quay.io/openshift-release-dev/ocp-release\""));
    }
}
