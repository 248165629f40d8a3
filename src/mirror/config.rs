//! The registries configuration the machine-config operator renders for nodes from the cluster's
//! ImageContentSourcePolicies, ImageDigestMirrorSets, ImageTagMirrorSets and image config
//! (runtime-utils `EditRegistriesConfig` and MCO's checks, docs/semantics.md §3 and §4).
//! Pure: built once from the loaded objects, then asked about any number of references.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::scope::{is_nested, is_valid_mirror, is_valid_registries_conf_scope, is_valid_source};
use super::topo;
use crate::catalog::Catalog;
use crate::model::ResourceKind;

/// An object that contributed to a rule, named as `kind/name`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectRef {
    /// Kind, e.g. `ImageContentSourcePolicy`.
    pub kind: String,
    /// Object name.
    pub name: String,
}

impl ObjectRef {
    fn new(kind: ResourceKind, name: &str) -> ObjectRef {
        ObjectRef { kind: kind.info().kind.to_owned(), name: name.to_owned() }
    }
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.kind, self.name)
    }
}

/// Which pulls a mirror serves (`pull-from-mirror`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PullFrom {
    /// Digest pulls only (ICSP and IDMS mirrors).
    DigestOnly,
    /// Tag pulls only (ITMS mirrors).
    TagOnly,
}

impl PullFrom {
    /// The registries.conf spelling.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PullFrom::DigestOnly => "digest-only",
            PullFrom::TagOnly => "tag-only",
        }
    }
}

/// A `[[registry.mirror]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MirrorEndpoint {
    /// Where to pull from instead.
    pub location: String,
    /// Reached without TLS verification.
    pub insecure: bool,
    /// Which pulls it serves.
    pub(crate) pull_from: PullFrom,
    /// The objects that listed this mirror for this source.
    pub from: Vec<ObjectRef>,
}

/// A `[[registry]]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryEntry {
    /// Set for wildcard scopes (`*.example.com`), empty otherwise.
    pub(crate) prefix: String,
    /// The scope itself for non-wildcard entries.
    pub location: String,
    /// Reached without TLS verification.
    pub insecure: bool,
    /// Never contacted.
    pub blocked: bool,
    /// Mirrors in the order they are tried.
    pub mirrors: Vec<MirrorEndpoint>,
    /// The objects that blocked this scope (`NeverContactSource` sets, the image config).
    pub(crate) blocked_by: Vec<ObjectRef>,
}

impl RegistryEntry {
    /// The scope the entry is matched by: `prefix` if set, else `location`.
    pub fn scope(&self) -> &str {
        if self.prefix.is_empty() { &self.location } else { &self.prefix }
    }
}

/// A configuration the operator refuses to render (docs/semantics.md §4), or cannot (an internal error).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct Conflict {
    /// The source or scope concerned.
    pub source: String,
    /// What is wrong, in one line.
    pub message: String,
    /// The objects involved.
    pub objects: Vec<ObjectRef>,
}

/// The cluster's registry rules as nodes get them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistriesConfig {
    /// `[[registry]]` entries in the order the operator writes them.
    pub registries: Vec<RegistryEntry>,
    /// Reasons the operator would not render this configuration; nodes then keep their old one.
    pub(crate) conflicts: Vec<Conflict>,
    /// `allowedRegistries` of the image config (policy.json: only these may be pulled).
    pub(crate) allowed_registries: Vec<String>,
    /// `blockedRegistries` of the image config (policy.json: these are rejected).
    pub(crate) blocked_registries: Vec<String>,
    /// Where the allowed/blocked lists come from.
    pub(crate) policy_from: Vec<ObjectRef>,
    /// The signature policies: what policy.json and the per-namespace policies require.
    pub(crate) signatures: super::signatures::SignaturePolicies,
}

/// One source's contributions before merging.
#[derive(Default)]
struct SourceRules {
    lists: Vec<Vec<String>>,
    contributors: BTreeMap<String, BTreeSet<ObjectRef>>,
    never_contact: BTreeSet<ObjectRef>,
}

/// One mirror entry of any kind, before merging.
struct Rule<'a> {
    object: ObjectRef,
    source: &'a str,
    mirrors: &'a [String],
    never_contact: bool,
    pull_from: PullFrom,
}

impl RegistriesConfig {
    /// Renders the configuration for the mirror objects and image config in `catalog`.
    pub fn from_catalog(catalog: &Catalog) -> RegistriesConfig {
        let mut rules = Vec::new();
        for icsp in catalog.content_source_policies() {
            let object = ObjectRef::new(ResourceKind::ImageContentSourcePolicy, icsp.metadata.name());
            let entries = icsp.spec.as_ref().and_then(|s| s.repository_digest_mirrors.as_deref()).unwrap_or_default();
            for entry in entries {
                rules.push(Rule {
                    object: object.clone(),
                    source: &entry.source,
                    mirrors: entry.mirrors.as_deref().unwrap_or_default(),
                    never_contact: false,
                    pull_from: PullFrom::DigestOnly,
                });
            }
        }
        for (sets, kind, pull_from) in [
            (
                catalog.digest_mirror_sets().collect::<Vec<_>>(),
                ResourceKind::ImageDigestMirrorSet,
                PullFrom::DigestOnly,
            ),
            (catalog.tag_mirror_sets().collect::<Vec<_>>(), ResourceKind::ImageTagMirrorSet, PullFrom::TagOnly),
        ] {
            for set in sets {
                let object = ObjectRef::new(kind, set.metadata.name());
                for entry in set.entries() {
                    rules.push(Rule {
                        object: object.clone(),
                        source: &entry.source,
                        mirrors: entry.mirrors.as_deref().unwrap_or_default(),
                        never_contact: entry.mirror_source_policy.as_deref() == Some("NeverContactSource"),
                        pull_from,
                    });
                }
            }
        }
        let mut config = RegistriesConfig {
            conflicts: validate(&rules),
            signatures: super::signatures::policies(catalog),
            ..RegistriesConfig::default()
        };
        let (insecure, blocked) = config.read_image_config(catalog);
        config.apply_rules(&rules);
        config.apply_scopes(&insecure, &blocked);
        config.propagate_to_nested_scopes();
        config.conflicts.sort();
        config.conflicts.dedup();
        config
    }

    /// Reads `registrySources` of the cluster image config (named `cluster`; any other name is
    /// ignored, as the operator ignores it).
    fn read_image_config(&mut self, catalog: &Catalog) -> (Vec<String>, Vec<(String, ObjectRef)>) {
        let Some(image_config) = catalog.cluster_image_configs().find(|c| c.metadata.name() == "cluster") else {
            return (Vec::new(), Vec::new());
        };
        let object = ObjectRef::new(ResourceKind::ClusterImageConfig, "cluster");
        let sources = image_config.spec.as_ref().and_then(|s| s.registry_sources.as_ref());
        let list = |f: fn(&crate::model::config::RegistrySources) -> &Option<Vec<String>>| {
            sources.and_then(|s| f(s).clone()).unwrap_or_default()
        };
        self.allowed_registries = list(|s| &s.allowed_registries);
        self.blocked_registries = list(|s| &s.blocked_registries);
        if !self.allowed_registries.is_empty() || !self.blocked_registries.is_empty() {
            self.policy_from.push(object.clone());
        }
        if !self.allowed_registries.is_empty() && !self.blocked_registries.is_empty() {
            self.conflicts.push(Conflict {
                source: "registrySources".into(),
                message: "only one of allowedRegistries and blockedRegistries may be set".into(),
                objects: vec![object.clone()],
            });
        }
        let insecure = list(|s| &s.insecure_registries);
        // MCO's validateRegistriesConfScopes checks these lists first, in this order, and
        // refuses the whole render on a bad entry.
        for (words, scopes) in
            [("insecure", &insecure), ("blocked", &self.blocked_registries), ("allowed", &self.allowed_registries)]
        {
            for scope in scopes.iter().filter(|s| !is_valid_registries_conf_scope(s)) {
                self.conflicts.push(Conflict {
                    source: scope.clone(),
                    message: format!("invalid entry for {words} registries {scope:?}"),
                    objects: vec![object.clone()],
                });
            }
        }
        let blocked = self.blocked_registries.iter().map(|s| (s.clone(), object.clone())).collect();
        (insecure, blocked)
    }

    /// Steps 1-3: merge the mirror lists per source and write one entry per source.
    fn apply_rules(&mut self, rules: &[Rule<'_>]) {
        for pull_from in [PullFrom::DigestOnly, PullFrom::TagOnly] {
            let mut by_source: BTreeMap<&str, SourceRules> = BTreeMap::new();
            for rule in rules.iter().filter(|r| r.pull_from == pull_from) {
                // Entries without a mirror other than the source are no mirror set at all, and
                // their mirrorSourcePolicy is ignored too.
                if !rule.mirrors.iter().any(|m| m != rule.source) {
                    continue;
                }
                let source = by_source.entry(rule.source).or_default();
                source.lists.push(rule.mirrors.to_vec());
                for mirror in rule.mirrors {
                    source.contributors.entry(mirror.clone()).or_default().insert(rule.object.clone());
                }
                if rule.never_contact {
                    source.never_contact.insert(rule.object.clone());
                }
            }
            for (source, rules) in by_source {
                let merged = topo::merge(source, &rules.lists);
                let entry = self.entry(source);
                for location in merged {
                    let from =
                        rules.contributors.get(&location).map(|c| c.iter().cloned().collect()).unwrap_or_default();
                    entry.mirrors.push(MirrorEndpoint { location, insecure: false, pull_from, from });
                }
                if !rules.never_contact.is_empty() {
                    entry.blocked = true;
                    entry.blocked_by.extend(rules.never_contact);
                    entry.blocked_by.sort();
                    entry.blocked_by.dedup();
                }
            }
        }
    }

    /// Steps 4-5: blocked and insecure scopes of the image config, propagated to nested entries
    /// (and, for insecure scopes, to mirrors located inside them).
    fn apply_scopes(&mut self, insecure: &[String], blocked: &[(String, ObjectRef)]) {
        for (scope, _) in blocked {
            self.entry(scope);
        }
        for scope in insecure {
            self.entry(scope);
            for entry in &mut self.registries {
                if is_nested(entry.scope(), scope) {
                    entry.insecure = true;
                }
                for mirror in &mut entry.mirrors {
                    if is_nested(&mirror.location, scope) {
                        mirror.insecure = true;
                    }
                }
            }
        }
        for (scope, object) in blocked {
            self.entry(scope);
            for entry in &mut self.registries {
                if is_nested(entry.scope(), scope) {
                    entry.blocked = true;
                    if !entry.blocked_by.contains(object) {
                        entry.blocked_by.push(object.clone());
                    }
                }
            }
        }
    }

    /// Step 6: an entry nested in a mirrored scope that has no mirrors of its own gets the
    /// parent's mirrors, each with the extra path appended; sources in byte order, digest sets
    /// before tag sets, so the first parent to reach an entry wins.
    fn propagate_to_nested_scopes(&mut self) {
        let mut mirrored: Vec<(PullFrom, String)> = Vec::new();
        for pull_from in [PullFrom::DigestOnly, PullFrom::TagOnly] {
            let mut scopes: Vec<String> = self
                .registries
                .iter()
                .filter(|e| e.mirrors.iter().any(|m| m.pull_from == pull_from))
                .map(|e| e.scope().to_owned())
                .collect();
            scopes.sort();
            mirrored.extend(scopes.into_iter().map(|s| (pull_from, s)));
        }
        let mut seen = BTreeSet::new();
        for (_, parent_scope) in mirrored {
            if !seen.insert(parent_scope.clone()) {
                continue;
            }
            let parent = self.registries.iter().find(|e| e.scope() == parent_scope).cloned().expect("mirrored entry");
            for index in 0..self.registries.len() {
                let scope = self.registries[index].scope().to_owned();
                if scope == parent_scope
                    || !is_nested(&scope, &parent_scope)
                    || !self.registries[index].mirrors.is_empty()
                {
                    continue;
                }
                if parent_scope.starts_with("*.") {
                    self.conflicts.push(Conflict {
                        source: parent_scope.clone(),
                        message: format!(
                            "the operator cannot render mirrors of wildcard scope {parent_scope} into nested scope {scope} (internal error in EditRegistriesConfig)"
                        ),
                        objects: parent.mirrors.iter().flat_map(|m| m.from.iter().cloned()).collect::<BTreeSet<_>>().into_iter().collect(),
                    });
                    continue;
                }
                let suffix = &scope[parent_scope.len()..];
                self.registries[index].mirrors = parent
                    .mirrors
                    .iter()
                    .map(|m| MirrorEndpoint { location: format!("{}{suffix}", m.location), ..m.clone() })
                    .collect();
            }
        }
    }

    /// The entry whose scope is `scope`, appended if missing (wildcards go into `prefix`).
    fn entry(&mut self, scope: &str) -> &mut RegistryEntry {
        if let Some(index) = self.registries.iter().position(|e| e.scope() == scope) {
            return &mut self.registries[index];
        }
        let wildcard = scope.starts_with("*.");
        self.registries.push(RegistryEntry {
            prefix: if wildcard { scope.to_owned() } else { String::new() },
            location: if wildcard { String::new() } else { scope.to_owned() },
            insecure: false,
            blocked: false,
            mirrors: Vec::new(),
            blocked_by: Vec::new(),
        });
        self.registries.last_mut().expect("just pushed")
    }
}

/// MCO's checks before rendering (`validateRegistriesConfScopes`): valid scopes, one effective
/// `mirrorSourcePolicy` per source across all kinds (ICSP counts as AllowContactingSource), and
/// no `NeverContactSource` entry listing its own source among its mirrors.
fn validate(rules: &[Rule<'_>]) -> Vec<Conflict> {
    let mut conflicts = Vec::new();
    let mut policies: BTreeMap<&str, BTreeMap<bool, BTreeSet<ObjectRef>>> = BTreeMap::new();
    for rule in rules {
        if !is_valid_source(rule.source) {
            conflicts.push(Conflict {
                source: rule.source.to_owned(),
                message: format!("invalid source {:?}: not host[:port][/path] or *.host", rule.source),
                objects: vec![rule.object.clone()],
            });
        }
        for mirror in rule.mirrors.iter().filter(|m| !is_valid_mirror(m)) {
            conflicts.push(Conflict {
                source: rule.source.to_owned(),
                message: format!("invalid mirror {mirror:?}: not host[:port][/path]"),
                objects: vec![rule.object.clone()],
            });
        }
        if rule.never_contact && rule.mirrors.iter().any(|m| m == rule.source) {
            conflicts.push(Conflict {
                source: rule.source.to_owned(),
                message: "NeverContactSource is set but the source is listed among its own mirrors".into(),
                objects: vec![rule.object.clone()],
            });
        }
        // MCO validates every entry, also those the renderer later ignores for lack of a real
        // mirror.
        policies.entry(rule.source).or_default().entry(rule.never_contact).or_default().insert(rule.object.clone());
    }
    for (source, by_policy) in policies {
        if by_policy.len() > 1 {
            conflicts.push(Conflict {
                source: source.to_owned(),
                message: "conflicting mirrorSourcePolicy is set for the same source".into(),
                objects: by_policy.into_values().flatten().collect::<BTreeSet<_>>().into_iter().collect(),
            });
        }
    }
    conflicts
}
