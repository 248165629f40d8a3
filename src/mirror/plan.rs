//! Where a node pulls a reference from: containers/image's choice of `[[registry]]` entry and its
//! ordered pull sources (docs/semantics.md §5), plus the `policy.json` verdict of the
//! cluster's allowed/blocked registries (docs/semantics.md §6). Lookups are a handful of hash probes, not a scan.

use std::collections::HashMap;

use serde::Serialize;

use super::config::{Conflict, ObjectRef, PullFrom, RegistriesConfig, RegistryEntry};
use super::scope::{matches_prefix, wildcard_match_len};
use crate::reference::Reference;

/// Digest or tag pull.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PullType {
    /// The reference pins a digest.
    Digest,
    /// The reference names a tag (or nothing, meaning `latest`).
    Tag,
}

/// Mirror or the source itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A mirror from the rules.
    Mirror,
    /// The reference's own registry, always tried last.
    Source,
}

/// One place a node tries, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PullSource {
    /// The rewritten reference.
    pub reference: String,
    /// Mirror or source.
    pub kind: SourceKind,
    /// The node refuses to contact it (`NeverContactSource`, blocked registries).
    pub blocked: bool,
    /// Reached without TLS verification.
    pub insecure: bool,
    /// For a mirror, the objects that listed it; for a blocked source, the objects that blocked it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<ObjectRef>,
    /// The signatures a node requires of the image pulled from here (ClusterImagePolicies, as
    /// policy.json holds them; all must verify). The identity is the reference's asked for,
    /// whichever source serves it; the signature itself is looked for on this source.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<super::signatures::SignatureRequirement>,
}

/// Whether a pull with these sources fails because every source is blocked (a node refuses to
/// contact each one). No sources at all is not "blocked": the reference did not parse.
pub(crate) fn all_blocked(sources: &[PullSource]) -> bool {
    !sources.is_empty() && sources.iter().all(|s| s.blocked)
}

/// The `policy.json` verdict on the logical reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyVerdict {
    /// Whether the node's signature policy admits the reference.
    pub allowed: bool,
    /// Why not, when not allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The answer for one reference (`kind: PullPlan` in `-o yaml`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PullPlan {
    /// The normalised reference, or the input when it does not parse.
    pub reference: String,
    /// Digest or tag pull; `null` when the reference does not parse.
    pub pull_type: Option<PullType>,
    /// The `[[registry]]` scope that matched, if any.
    pub scope: Option<String>,
    /// Where the node tries, in order; the source is always last.
    pub sources: Vec<PullSource>,
    /// The policy.json verdict.
    pub policy: PolicyVerdict,
    /// Reasons the operator would not render the rules (they concern every reference).
    pub(crate) conflicts: Vec<Conflict>,
    /// Why this pull fails before any source is tried (bad reference, invalid rewrite).
    pub errors: Vec<String>,
}

/// The rendered configuration, indexed for lookups.
#[derive(Debug)]
pub struct Resolver {
    config: RegistriesConfig,
    /// Scope (prefix, or location when there is none) to entry index; the first entry wins
    /// for duplicate prefixes, as when containers/image loads the file.
    by_prefix: HashMap<String, usize>,
    /// The same entries in prefix order, for [`Resolver::find_by_scan`].
    sorted: Vec<usize>,
}

impl Resolver {
    /// Indexes a rendered configuration.
    pub fn new(config: RegistriesConfig) -> Resolver {
        let mut by_prefix = HashMap::new();
        for (index, entry) in config.registries.iter().enumerate() {
            by_prefix.entry(entry.scope().to_owned()).or_insert(index);
        }
        let mut sorted: Vec<usize> = by_prefix.values().copied().collect();
        sorted.sort_by(|a, b| config.registries[*a].scope().cmp(config.registries[*b].scope()));
        Resolver { config, by_prefix, sorted }
    }

    /// The configuration this resolver answers from.
    pub fn config(&self) -> &RegistriesConfig {
        &self.config
    }

    /// The entry containers/image picks for a repository name (no tag or digest): the longest
    /// matching prefix, wildcards counted with their `*`; on a tie, the prefix that sorts first.
    /// Returns the entry and how much of `name` its prefix covers.
    pub fn find(&self, name: &str) -> Option<(&RegistryEntry, usize)> {
        let mut best: Option<(&str, usize, usize)> = None; // (prefix, entry, covered)
        let mut consider = |prefix: &str, index: usize, covered: usize| {
            let better = match best {
                None => true,
                Some((p, _, _)) => prefix.len() > p.len() || (prefix.len() == p.len() && prefix < p),
            };
            if better {
                best = Some((self.config.registries[index].scope(), index, covered));
            }
        };
        // Exact prefixes end at `/` or `:` boundaries, or at the end of the name.
        let boundaries = name.match_indices(['/', ':']).map(|(i, _)| i).chain([name.len()]);
        for end in boundaries {
            let prefix = &name[..end];
            if let Some(&index) = self.by_prefix.get(prefix)
                && matches_prefix(name, prefix)
            {
                consider(prefix, index, end);
            }
        }
        // Wildcards: `*.` followed by a suffix of the host.
        let host_end = name.find(['/', ':']).unwrap_or(name.len());
        for (dot, _) in name[..host_end].match_indices('.') {
            let wildcard = format!("*{}", &name[dot..host_end]);
            if let Some(&index) = self.by_prefix.get(&wildcard)
                && let Some(covered) = wildcard_match_len(name, &wildcard)
            {
                consider(&wildcard, index, covered);
            }
        }
        best.map(|(_, index, covered)| (&self.config.registries[index], covered))
    }

    /// The same answer as [`Resolver::find`], computed as containers/image does: a scan of every
    /// entry in prefix order. Kept as the reference the index is tested and benchmarked against.
    pub fn find_by_scan(&self, name: &str) -> Option<(&RegistryEntry, usize)> {
        let mut best: Option<(&RegistryEntry, usize)> = None;
        for entry in self.sorted.iter().map(|i| &self.config.registries[*i]) {
            let prefix = entry.scope();
            let covered = if prefix.starts_with("*.") {
                wildcard_match_len(name, prefix)
            } else {
                matches_prefix(name, prefix).then_some(prefix.len())
            };
            if let Some(covered) = covered
                && best.is_none_or(|(b, _)| prefix.len() > b.scope().len())
            {
                best = Some((entry, covered));
            }
        }
        best
    }

    /// The pull plan for a reference as a user or an ImageStream wrote it, outside any
    /// namespace's ImagePolicies (the cluster-wide policy.json alone).
    pub fn plan(&self, input: &str) -> PullPlan {
        self.plan_in(input, None)
    }

    /// The pull plan for a reference pulled for a Pod of `namespace`: that namespace's
    /// ImagePolicies apply beside the ClusterImagePolicies (CRI-O's per-namespace policy).
    pub fn plan_in(&self, input: &str, namespace: Option<&str>) -> PullPlan {
        let mut plan = PullPlan {
            reference: input.to_owned(),
            pull_type: None,
            scope: None,
            sources: Vec::new(),
            policy: PolicyVerdict { allowed: true, reason: None },
            conflicts: self.config.conflicts.clone(),
            errors: Vec::new(),
        };
        let reference = match Reference::parse_normalized(input) {
            // A name alone is pulled as `:latest` (distribution's TagNameOnly, docs/semantics.md §5).
            Ok(reference) if reference.tag.is_none() && reference.digest.is_none() => {
                Reference { tag: Some("latest".into()), ..reference }
            }
            Ok(reference) => reference,
            Err(error) => {
                plan.errors.push(format!("invalid reference {input:?}: {error}"));
                plan.policy = PolicyVerdict { allowed: false, reason: Some("the reference does not parse".into()) };
                return plan;
            }
        };
        let full = reference.to_string();
        let name = reference.name();
        let pull_type = if reference.is_digested() { PullType::Digest } else { PullType::Tag };
        plan.reference = full.clone();
        plan.pull_type = Some(pull_type);
        plan.policy = self.policy(&name);
        let plain = [&self.config.allowed_registries[..], &self.config.blocked_registries[..]];
        let required = super::signatures::requirements_for(&reference, &self.config.signatures, namespace, &plain);
        let Some((entry, covered)) = self.find(&name) else {
            plan.sources.push(PullSource {
                reference: full,
                kind: SourceKind::Source,
                blocked: false,
                insecure: false,
                from: vec![],
                signatures: required,
            });
            return plan;
        };
        plan.scope = Some(entry.scope().to_owned());
        let rest = &full[covered..];
        let wanted = match pull_type {
            PullType::Digest => PullFrom::DigestOnly,
            PullType::Tag => PullFrom::TagOnly,
        };
        for mirror in entry.mirrors.iter().filter(|m| m.pull_from == wanted) {
            let rewritten = format!("{}{rest}", mirror.location);
            let blocked = self.is_blocked(&rewritten, &mut plan.errors);
            plan.sources.push(PullSource {
                reference: rewritten,
                kind: SourceKind::Mirror,
                blocked,
                insecure: mirror.insecure,
                from: mirror.from.clone(),
                signatures: required.clone(),
            });
        }
        let primary = if entry.location.is_empty() { full.clone() } else { format!("{}{rest}", entry.location) };
        self.is_blocked(&primary, &mut plan.errors);
        plan.sources.push(PullSource {
            reference: primary,
            kind: SourceKind::Source,
            blocked: entry.blocked,
            insecure: entry.insecure,
            from: if entry.blocked { entry.blocked_by.clone() } else { vec![] },
            signatures: required,
        });
        plan
    }

    /// Whether the endpoint reference is blocked by its own best entry. A rewritten reference
    /// must parse *and* already be canonical (containers/image `rewriteReference` uses
    /// `ParseNamed`): `docker.io/app` or `mirrorhost/ns/app` fail the whole pull.
    fn is_blocked(&self, endpoint: &str, errors: &mut Vec<String>) -> bool {
        match Reference::parse_normalized(endpoint) {
            Ok(reference) if reference.to_string() == endpoint => {
                self.find(&reference.name()).is_some_and(|(e, _)| e.blocked)
            }
            Ok(reference) => {
                errors.push(format!(
                    "invalid rewrite {endpoint:?}: not a canonical reference (it would mean {reference}); the whole pull fails"
                ));
                false
            }
            Err(error) => {
                errors.push(format!("invalid rewrite {endpoint:?}: {error}; the whole pull fails"));
                false
            }
        }
    }

    /// The policy.json verdict, judged on the logical reference's repository name.
    pub fn policy(&self, name: &str) -> PolicyVerdict {
        let in_scope = |scope: &String| policy_scope_matches(name, scope);
        if let Some(scope) = self.config.blocked_registries.iter().find(|s| in_scope(s)) {
            return PolicyVerdict { allowed: false, reason: Some(format!("{scope} is in blockedRegistries")) };
        }
        if !self.config.allowed_registries.is_empty() && !self.config.allowed_registries.iter().any(in_scope) {
            return PolicyVerdict { allowed: false, reason: Some("not in allowedRegistries".into()) };
        }
        PolicyVerdict { allowed: true, reason: None }
    }
}

/// policy.json scopes: the repository itself, a parent namespace, the host, or `*.domain` for
/// hosts under that domain.
fn policy_scope_matches(name: &str, scope: &str) -> bool {
    if let Some(suffix) = scope.strip_prefix('*') {
        let host = name.split('/').next().unwrap_or_default();
        let host = host.split(':').next().unwrap_or_default();
        return host.ends_with(suffix);
    }
    name == scope || (name.starts_with(scope) && name.as_bytes().get(scope.len()) == Some(&b'/'))
}
