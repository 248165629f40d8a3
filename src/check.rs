//! `isctl check`: rules evaluated over resolutions, each finding with a stable rule id, a
//! severity, the object and one line of reason. Pure: the clock and the baseline come in as data.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::mirror::config::PullFrom;
use crate::mirror::plan::{Resolver, SourceKind, all_blocked};
use crate::model::meta::parse_time;
use crate::reference::Reference;
use crate::resolve::{HistoryItem, InputGaps, StreamResolution, TagResolution};

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

/// A check rule: its stable id (what `--disable` and reports use), severity and meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Rule {
    /// The last import of a tag failed (ImportSuccess is False).
    ImportFailed,
    /// A tag's spec asks for a generation no import has observed yet.
    ImportPending,
    /// A tag has no history: nothing to pull.
    TagWithoutHistory,
    /// A history item's Image is not in the input although Images were loaded.
    ImageMissing,
    /// The machine-config operator would refuse to render the mirror rules.
    MirrorConflict,
    /// A mirror rewrite produces an invalid reference: the pull fails.
    InvalidRewrite,
    /// Every pull source of a current image is blocked.
    Unpullable,
    /// policy.json rejects a current image (blockedRegistries or allowedRegistries).
    PolicyRejected,
    /// --require-mirror: a current image's first pull source is not a mirror.
    NotMirrored,
    /// --require-mirror: a tag reference has no tag mirror.
    TagNotMirrored,
    /// A tag reference's source has only digest mirrors, which tag pulls never use.
    DigestMirrorsOnly,
    /// --max-age: a current image is older than allowed.
    TooOld,
    /// --baseline: a tag's current digest differs from the baseline.
    DigestMoved,
    /// --baseline: a tag is not in the baseline.
    TagAppeared,
    /// --baseline: a baseline tag is gone.
    TagVanished,
    /// --proposed: the proposed mirror rules make a current image (or an import) unpullable.
    ProposedUnpullable,
    /// --proposed: the machine-config operator would refuse the proposed mirror rules.
    ProposedRefused,
    /// --verify: no source a node contacts has a current image.
    VerifyUnservable,
    /// --verify: a signature policy requires a signature the source that has the image lacks.
    SignatureRequiredUnverifiable,
    /// A ClusterImagePolicy or ImagePolicy the machine-config operator would refuse beside the
    /// image config.
    SignaturePolicyConflict,
    /// An ImagePolicy scope equal to or inside a ClusterImagePolicy scope: the operator ignores it
    /// and marks the ImagePolicy Pending.
    ImagePolicyScopeIgnored,
    /// --verify: a source a node contacts could not be asked (401, 403, TLS, unreachable).
    VerifySourceFailed,
}

impl Rule {
    /// Every rule, in the order docs/check.md lists them.
    pub const ALL: [Rule; 22] = [
        Rule::ImportFailed,
        Rule::ImportPending,
        Rule::TagWithoutHistory,
        Rule::ImageMissing,
        Rule::MirrorConflict,
        Rule::SignaturePolicyConflict,
        Rule::ImagePolicyScopeIgnored,
        Rule::InvalidRewrite,
        Rule::Unpullable,
        Rule::PolicyRejected,
        Rule::NotMirrored,
        Rule::TagNotMirrored,
        Rule::DigestMirrorsOnly,
        Rule::TooOld,
        Rule::DigestMoved,
        Rule::TagAppeared,
        Rule::TagVanished,
        Rule::ProposedUnpullable,
        Rule::ProposedRefused,
        Rule::VerifyUnservable,
        Rule::SignatureRequiredUnverifiable,
        Rule::VerifySourceFailed,
    ];

    /// The stable id.
    pub fn id(self) -> &'static str {
        match self {
            Rule::ImportFailed => "import-failed",
            Rule::ImportPending => "import-pending",
            Rule::TagWithoutHistory => "tag-without-history",
            Rule::ImageMissing => "image-missing",
            Rule::MirrorConflict => "mirror-conflict",
            Rule::SignaturePolicyConflict => "signature-policy-conflict",
            Rule::ImagePolicyScopeIgnored => "image-policy-scope-ignored",
            Rule::InvalidRewrite => "invalid-rewrite",
            Rule::Unpullable => "unpullable",
            Rule::PolicyRejected => "policy-rejected",
            Rule::NotMirrored => "not-mirrored",
            Rule::TagNotMirrored => "tag-not-mirrored",
            Rule::DigestMirrorsOnly => "digest-mirrors-only",
            Rule::TooOld => "too-old",
            Rule::DigestMoved => "digest-moved",
            Rule::TagAppeared => "tag-appeared",
            Rule::TagVanished => "tag-vanished",
            Rule::ProposedUnpullable => "proposed-unpullable",
            Rule::ProposedRefused => "proposed-refused",
            Rule::VerifyUnservable => "verify-unservable",
            Rule::SignatureRequiredUnverifiable => "signature-required-unverifiable",
            Rule::VerifySourceFailed => "verify-source-failed",
        }
    }

    /// How serious a finding of this rule is.
    pub fn severity(self) -> Severity {
        match self {
            Rule::ImportPending | Rule::TagAppeared => Severity::Info,
            Rule::TagWithoutHistory
            | Rule::ImageMissing
            | Rule::DigestMirrorsOnly
            | Rule::TooOld
            | Rule::DigestMoved
            | Rule::TagVanished
            | Rule::ImagePolicyScopeIgnored
            | Rule::VerifySourceFailed => Severity::Warning,
            Rule::ImportFailed
            | Rule::MirrorConflict
            | Rule::SignaturePolicyConflict
            | Rule::InvalidRewrite
            | Rule::Unpullable
            | Rule::PolicyRejected
            | Rule::NotMirrored
            | Rule::TagNotMirrored
            | Rule::ProposedUnpullable
            | Rule::ProposedRefused
            | Rule::VerifyUnservable
            | Rule::SignatureRequiredUnverifiable => Severity::Error,
        }
    }
}

/// Findings sort by rule id, as reports have always listed them.
impl Ord for Rule {
    fn cmp(&self, other: &Rule) -> std::cmp::Ordering {
        self.id().cmp(other.id())
    }
}

impl PartialOrd for Rule {
    fn partial_cmp(&self, other: &Rule) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct Finding {
    /// The rule (serialised as its stable id).
    pub rule: Rule,
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
pub(crate) struct CheckOptions {
    /// `--require-mirror`.
    pub require_mirror: bool,
    /// `--max-age`, with the time it is measured against.
    pub max_age: Option<(jiff::SignedDuration, Timestamp)>,
    /// `--baseline`: the saved resolutions.
    pub baseline: Option<Vec<BaselineStream>>,
    /// Rules turned off with `--disable`.
    pub disabled: Vec<Rule>,
    /// Streams (`namespace/stream`) of which only some tags were checked: their other baseline
    /// tags did not vanish, they were not looked at.
    pub partial_streams: std::collections::BTreeSet<String>,
    /// The namespace checked (None: every namespace). Another namespace's ImagePolicy is not
    /// this check's business; cluster-wide objects always are.
    pub namespace: Option<String>,
}

/// The parts of a saved `resolve -o yaml` a baseline needs.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct BaselineStream {
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
pub(crate) struct BaselineMeta {
    /// Stream name.
    pub name: String,
    /// Namespace.
    #[serde(default)]
    pub namespace: String,
}

/// A baseline tag.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct BaselineTag {
    /// Tag name.
    pub name: String,
    /// History; the current item is first.
    #[serde(default)]
    pub history: Vec<BaselineItem>,
}

/// A baseline history item.
#[derive(Clone, Debug, Deserialize)]
pub(crate) struct BaselineItem {
    /// The digest.
    #[serde(default)]
    pub image: String,
}

/// Reads a baseline file's text (YAML or JSON from `isctl resolve -o yaml|json`): one
/// document, or a `kind: List` of them.
pub(crate) fn parse_baseline(text: &str) -> Result<Vec<BaselineStream>, String> {
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

/// The findings of a proposed mirror change (`--proposed`): each tag whose current image or
/// import it makes unpullable, and each conflict that would make the operator refuse it.
pub(crate) fn proposal_findings(diff: &crate::what_if::PlanDiff, disabled: &[Rule]) -> Vec<Finding> {
    let mut findings = Findings(Vec::new());
    for change in diff.changes.iter().filter(|c| c.changes.contains(&crate::what_if::Change::Unpullable)) {
        let why = change.proposed.fails.as_deref().unwrap_or("no source can serve it");
        for user in &change.used_by {
            let (tag, what) = match user.strip_suffix(" (import)") {
                Some(tag) => (tag, "its import"),
                None => (user.as_str(), "its current image"),
            };
            let reason = format!("the proposed rules make {what} {} unpullable: {why}", change.reference);
            findings.add(Rule::ProposedUnpullable, tag, None, reason);
        }
    }
    for conflict in &diff.refused {
        let objects: Vec<String> = conflict.objects.iter().map(|o| o.to_string()).collect();
        let involved = if objects.is_empty() { String::new() } else { format!(" ({})", objects.join(", ")) };
        let reason = format!(
            "{}{involved}; the operator would refuse the proposed rules and nodes keep their current ones",
            conflict.message
        );
        findings.add(Rule::ProposedRefused, &conflict.source, None, reason);
    }
    let mut findings: Vec<Finding> = findings.0.into_iter().filter(|f| !disabled.contains(&f.rule)).collect();
    findings.sort();
    findings
}

/// The findings of `--verify`: current images no contacted source serves, and sources that
/// could not be asked (a missing manifest is not such a failure: the node falls through).
pub(crate) fn verification_findings(resolutions: &[StreamResolution], disabled: &[Rule]) -> Vec<Finding> {
    use crate::verify::Answer;
    let mut findings = Findings(Vec::new());
    for stream in resolutions {
        for tag in &stream.tags {
            let object = format!("{}/{}:{}", stream.metadata.namespace, stream.metadata.name, tag.name);
            let Some(item) = tag.history.first() else { continue };
            let Some(verification) = &item.verification else { continue };
            let generation = item.generation.map(|g| format!("generation {g}"));
            if verification.unservable() {
                let reason = format!("no source serves {}: {}", item.docker_image_reference, verification.reasons());
                findings.add(Rule::VerifyUnservable, &object, generation.as_deref(), reason);
            }
            for source in &verification.sources {
                if let Some(signature) = source.signature.as_ref().filter(|_| source.signature_missing()) {
                    let reason = format!(
                        "{}: the sigstore signature a policy requires is not there ({})",
                        source.reference,
                        signature.words()
                    );
                    findings.add(Rule::SignatureRequiredUnverifiable, &object, generation.as_deref(), reason);
                }
                if let Some(answer) = source.answer.as_ref().filter(|a| !matches!(a, Answer::Present | Answer::Missing))
                {
                    let reason = format!("{}: {}", source.reference, answer.words());
                    findings.add(Rule::VerifySourceFailed, &object, generation.as_deref(), reason);
                }
            }
        }
    }
    findings.0.into_iter().filter(|f| !disabled.contains(&f.rule)).collect()
}

/// Collects findings, each with its rule's severity.
struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, rule: Rule, object: &str, item: Option<&str>, reason: String) {
        let item = item.map(str::to_owned);
        self.0.push(Finding { rule, severity: rule.severity(), object: object.to_owned(), item, reason });
    }
}

/// Evaluates every enabled rule. Findings come out ordered by object, then rule.
pub(crate) fn check(
    resolutions: &[StreamResolution],
    resolver: &Resolver,
    gaps: &InputGaps,
    options: &CheckOptions,
) -> Vec<Finding> {
    let mut findings = Findings(Vec::new());
    mirror_rule_findings(&mut findings, resolver, options.namespace.as_deref());
    for stream in resolutions {
        for tag in &stream.tags {
            let object = format!("{}/{}:{}", stream.metadata.namespace, stream.metadata.name, tag.name);
            tag_findings(&mut findings, resolver, options, &object, tag);
            for item in &tag.history {
                let label = item.generation.map_or_else(|| "history".to_owned(), |g| format!("generation {g}"));
                history_findings(&mut findings, resolver, options, gaps, &object, &label, item);
                if item.current {
                    current_findings(&mut findings, options, &object, &label, item);
                }
            }
        }
    }
    if let Some(baseline) = &options.baseline {
        baseline_rules(&mut findings, resolutions, baseline, &options.partial_streams);
    }
    let mut findings = findings.0;
    findings.retain(|f| !options.disabled.contains(&f.rule));
    findings.sort_by(|a, b| (&a.object, a.rule, &a.item, &a.reason).cmp(&(&b.object, b.rule, &b.item, &b.reason)));
    findings.dedup();
    findings
}

/// `mirror-conflict` and `signature-policy-conflict`: what the operator would refuse to render;
/// `image-policy-scope-ignored`: what it leaves out (`getValidScopePolicies`).
fn mirror_rule_findings(findings: &mut Findings, resolver: &Resolver, namespace: Option<&str>) {
    let config = resolver.config();
    for conflict in &config.conflicts {
        let objects: Vec<String> = conflict.objects.iter().map(ToString::to_string).collect();
        let reason = format!("{} ({})", conflict.message, objects.join(", "));
        findings.add(Rule::MirrorConflict, &conflict.source, None, reason);
    }
    let refused =
        crate::mirror::signatures::refusals(&config.signatures, &config.allowed_registries, &config.blocked_registries);
    for (policy, why) in refused {
        let reason = format!("{why}: the operator writes none of its files, and nodes keep the ones they have");
        findings.add(Rule::SignaturePolicyConflict, &policy, None, reason);
    }
    let in_scope =
        |ignored: &&crate::mirror::signatures::IgnoredScope| namespace.is_none_or(|n| n == ignored.namespace);
    for ignored in config.signatures.ignored.iter().filter(in_scope) {
        // What is wrong first: tables cut reasons at the width.
        let reason = format!(
            "scope {} ignored: {} covers it ({}) and alone applies there; the operator marks the ImagePolicy Pending",
            ignored.scope, ignored.cluster_policy, ignored.cluster_scope
        );
        findings.add(Rule::ImagePolicyScopeIgnored, &ignored.policy, None, reason);
    }
}

/// Rules about a tag as a whole: imports, an empty history, the reference it imports from.
fn tag_findings(
    findings: &mut Findings,
    resolver: &Resolver,
    options: &CheckOptions,
    object: &str,
    tag: &TagResolution,
) {
    if let Some(failure) = &tag.import_failed {
        findings.add(Rule::ImportFailed, object, None, format!("{}: {}", failure.reason, first_line(&failure.message)));
    }
    if tag.import_pending {
        findings.add(Rule::ImportPending, object, None, "the spec's generation has not been imported yet".into());
    }
    if tag.history.is_empty() {
        findings.add(Rule::TagWithoutHistory, object, None, "no image was ever recorded for this tag".into());
    }
    if let Some(from) = tag.spec.as_ref().and_then(|s| s.from.as_ref()).filter(|f| f.kind == "DockerImage") {
        tag_reference_rules(findings, resolver, options, object, None, &from.name, "imported from");
    }
}

/// Rules about every history item: its Image, its rewrites, a reference by tag.
fn history_findings(
    findings: &mut Findings,
    resolver: &Resolver,
    options: &CheckOptions,
    gaps: &InputGaps,
    object: &str,
    label: &str,
    item: &HistoryItem,
) {
    if !item.image.is_empty() && !item.image_found && !gaps.no_images {
        findings.add(Rule::ImageMissing, object, Some(label), format!("Image {} is not in the input", item.image));
    }
    for error in &item.errors {
        findings.add(Rule::InvalidRewrite, object, Some(label), error.clone());
    }
    if item.image.is_empty() {
        tag_reference_rules(findings, resolver, options, object, Some(label), &item.pull_spec, "references");
    }
}

/// Rules about the current item: can it be pulled, is it allowed, mirrored, recent enough.
fn current_findings(findings: &mut Findings, options: &CheckOptions, object: &str, label: &str, item: &HistoryItem) {
    if all_blocked(&item.pull_sources) {
        let reason = format!("every pull source of {} is blocked", item.pull_spec);
        findings.add(Rule::Unpullable, object, Some(label), reason);
    }
    if !item.policy.allowed {
        let reason = format!("{}: {}", item.pull_spec, item.policy.reason.as_deref().unwrap_or("not allowed"));
        findings.add(Rule::PolicyRejected, object, Some(label), reason);
    }
    // For Local tags pods pull from the integrated registry, which pulls through the mirrors:
    // the upstream plan is the one that must start with a mirror.
    let (plan, spec) = match &item.upstream_pull_sources {
        Some(upstream) => (upstream, &item.docker_image_reference),
        None => (&item.pull_sources, &item.pull_spec),
    };
    if options.require_mirror && !item.image.is_empty() && plan.first().is_none_or(|s| s.kind != SourceKind::Mirror) {
        let reason = format!("{spec} is pulled from its source, not a mirror");
        findings.add(Rule::NotMirrored, object, Some(label), reason);
    }
    if let Some((max_age, now)) = options.max_age
        && let Some(created) = parse_time(item.created.as_deref())
        && now.duration_since(created) > max_age
    {
        let reason = format!(
            "created {}, more than {} ago",
            item.created.as_deref().unwrap_or_default(),
            crate::duration::format(max_age.unsigned_abs())
        );
        findings.add(Rule::TooOld, object, Some(label), reason);
    }
}

/// Rules about a reference by tag: digest-only mirrors (never used for tag pulls) and, with
/// `--require-mirror`, the lack of a tag mirror.
fn tag_reference_rules(
    findings: &mut Findings,
    resolver: &Resolver,
    options: &CheckOptions,
    object: &str,
    item: Option<&str>,
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
        findings.add(
            Rule::DigestMirrorsOnly,
            object,
            item,
            format!(
                "{how} {reference} by tag, but its scope {} has only digest mirrors",
                entry.map(|e| e.scope()).unwrap_or_default()
            ),
        );
    }
    if options.require_mirror && !tag_mirrors {
        findings.add(
            Rule::TagNotMirrored,
            object,
            item,
            format!("{how} {reference} by tag and no tag mirror covers it"),
        );
    }
}

fn baseline_rules(
    findings: &mut Findings,
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
            None => findings.add(Rule::TagAppeared, tag, None, "not in the baseline".into()),
            Some(old) if old != image => findings.add(
                Rule::DigestMoved,
                tag,
                None,
                format!("{} -> {}", old.as_deref().unwrap_or("<none>"), image.as_deref().unwrap_or("<none>")),
            ),
            Some(_) => {}
        }
    }
    for tag in before.keys().filter(|t| !now.contains_key(*t) && streams_now.iter().any(|s| t.starts_with(s))) {
        findings.add(Rule::TagVanished, tag, None, "in the baseline but not any more".into());
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baselines_are_one_document_or_a_list() {
        let one = "apiVersion: isctl/v1alpha1\nkind: ImageStreamResolution\nmetadata: {name: s, namespace: n}\ntags:\n- name: t\n  history: [{image: 'sha256:a'}]\n";
        assert_eq!(parse_baseline(one).unwrap()[0].tags[0].history[0].image, "sha256:a");
        let list = format!("apiVersion: v1\nkind: List\nitems:\n- {}", one.replace('\n', "\n  "));
        assert_eq!(parse_baseline(&list).unwrap().len(), 1);
        assert!(parse_baseline("just text").is_err());
    }

    #[test]
    fn every_rule_has_a_unique_id_that_clap_accepts() {
        use clap::ValueEnum;
        let ids: std::collections::BTreeSet<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), Rule::ALL.len());
        assert_eq!(Rule::value_variants().len(), Rule::ALL.len());
        for rule in Rule::ALL {
            assert_eq!(Rule::from_str(rule.id(), false), Ok(rule), "clap's name is the id");
        }
    }
}

#[cfg(test)]
mod rule_tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::mirror::RegistriesConfig;
    use crate::resolve::{Request, resolve};

    /// Resolves a fixture and checks it with every opt-in rule switched on.
    fn findings(path: &str, disabled: Vec<Rule>) -> Vec<Finding> {
        let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let catalog = Catalog::from_yaml(&text);
        let resolver = Resolver::new(RegistriesConfig::from_catalog(&catalog));
        let (resolutions, _) = resolve(&catalog, &resolver, &Request { namespace: None, selections: Vec::new() });
        let baseline = parse_baseline(
            &std::fs::read_to_string(format!("{}/fixtures/check/baseline.yaml", env!("CARGO_MANIFEST_DIR"))).unwrap(),
        )
        .unwrap();
        let now: Timestamp = "2026-11-27T12:00:00Z".parse().unwrap();
        let options = CheckOptions {
            require_mirror: true,
            max_age: Some((jiff::SignedDuration::from_hours(24 * 30), now)),
            baseline: Some(baseline),
            disabled,
            partial_streams: Default::default(),
            namespace: None,
        };
        check(&resolutions, &resolver, &InputGaps::of(&catalog), &options)
    }

    #[test]
    fn every_rule_fires_on_its_fixture_and_none_on_the_clean_one() {
        // The baseline was saved from the clean stream: its rules fire there, the others on rules.yaml.
        let baseline_rules = [Rule::DigestMoved, Rule::TagAppeared, Rule::TagVanished];
        let on_rules: std::collections::BTreeSet<Rule> =
            findings("fixtures/check/rules.yaml", vec![]).iter().map(|f| f.rule).collect();
        let on_clean: std::collections::BTreeSet<Rule> =
            findings("fixtures/check/clean.yaml", vec![]).iter().map(|f| f.rule).collect();
        // The proposal rules need a second state (tests/it/what_if.rs fires them), the verify
        // rules registries (tests/it/verify.rs).
        let proposal_rules = [
            Rule::ProposedUnpullable,
            Rule::ProposedRefused,
            Rule::VerifyUnservable,
            Rule::SignatureRequiredUnverifiable,
            Rule::VerifySourceFailed,
        ];
        let all: std::collections::BTreeSet<Rule> =
            Rule::ALL.into_iter().filter(|r| !proposal_rules.contains(r)).collect();
        let fired: std::collections::BTreeSet<Rule> = on_rules.union(&on_clean).copied().collect();
        assert_eq!(fired, all, "missing: {:?}", all.difference(&fired).collect::<Vec<_>>());
        assert!(on_clean.iter().all(|r| baseline_rules.contains(r)), "the clean stream only moved: {on_clean:?}");
        assert_eq!(on_clean.len(), 3);
    }

    #[test]
    fn findings_carry_their_rule_severity_in_order_and_disabled_rules_are_gone() {
        let all = findings("fixtures/check/rules.yaml", vec![]);
        assert!(all.iter().all(|f| f.severity == f.rule.severity()));
        let mut sorted = all.clone();
        sorted.sort_by(|a, b| (&a.object, a.rule, &a.item).cmp(&(&b.object, b.rule, &b.item)));
        assert_eq!(all, sorted, "by object, then rule");
        let without = findings("fixtures/check/rules.yaml", vec![Rule::ImportPending, Rule::Unpullable]);
        assert!(without.iter().all(|f| f.rule != Rule::ImportPending && f.rule != Rule::Unpullable));
        assert_eq!(
            without.len(),
            all.iter().filter(|f| f.rule != Rule::ImportPending && f.rule != Rule::Unpullable).count()
        );
    }
}
