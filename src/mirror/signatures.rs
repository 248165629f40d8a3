//! Which signature a node requires of an image: the ClusterImagePolicies and ImagePolicies as the
//! machine-config operator sorts and renders them into `policy.json` and CRI-O's per-namespace
//! policies (openshift/machine-config-operator `pkg/controller/container-runtime-config`
//! `getValidScopePolicies`, `updatePolicyJSON`, `updateNamespacedPolicyJSONs`,
//! `policyItemFromSpec`), and the
//! scope a reference falls under as containers/image looks it up (`signature`
//! `requirementsForImageRef`, `docker/policyconfiguration` `DockerReferenceIdentity` and
//! `DockerReferenceNamespaces`): the image itself, its repository, each parent namespace, the
//! host, then `*.` wildcards of the host's parent domains. The most specific scope decides;
//! every policy listing that scope adds its requirement. Pure.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::model::ResourceKind;
use crate::model::signature_policy::{SignaturePolicy, VerificationPolicy};
use crate::reference::Reference;

/// The signature policies of a cluster, sorted as the operator sorts them
/// (`getValidScopePolicies`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SignaturePolicies {
    /// ClusterImagePolicy scopes: every pull on every node (`/etc/containers/policy.json`).
    pub cluster: Vec<ScopeRequirement>,
    /// ImagePolicy scopes the operator keeps: they apply to the pulls of Pods in the policy's
    /// namespace (`/etc/crio/policies/NAMESPACE.json`, CRI-O's per-namespace policy).
    pub namespaced: Vec<ScopeRequirement>,
    /// ImagePolicy scopes equal to or nested inside a ClusterImagePolicy scope: the operator
    /// leaves them out and marks the ImagePolicy Pending (reason ConflictScopes); only the
    /// cluster policy applies there.
    pub ignored: Vec<IgnoredScope>,
    /// ImagePolicies read from a file without a namespace (and no `-n` to place them): a
    /// cluster holds none such, so they apply to no pull.
    pub unplaced: Vec<String>,
}

/// An ImagePolicy scope the operator leaves out, and the ClusterImagePolicy scope it lies in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IgnoredScope {
    /// `ImagePolicy/NAMESPACE/NAME`.
    pub policy: String,
    /// Its namespace.
    pub namespace: String,
    /// The ImagePolicy's scope.
    pub scope: String,
    /// `ClusterImagePolicy/NAME` whose scope wins.
    pub cluster_policy: String,
    /// That ClusterImagePolicy's scope.
    pub cluster_scope: String,
}

impl SignaturePolicies {
    /// The kept ImagePolicy scopes of `namespace` (none for None).
    pub(crate) fn of_namespace<'a>(&'a self, namespace: Option<&'a str>) -> impl Iterator<Item = &'a ScopeRequirement> {
        self.namespaced.iter().filter(move |r| namespace.is_some() && r.namespace.as_deref() == namespace)
    }

    /// The namespaces the operator writes a policy of their own for (`/etc/crio/policies`):
    /// those with an ImagePolicy scope it keeps, in order.
    pub(crate) fn namespaces(&self) -> Vec<String> {
        let mut found: Vec<String> = self.namespaced.iter().filter_map(|r| r.namespace.clone()).collect();
        found.sort();
        found.dedup();
        found
    }

    /// Every scope the operator keeps, cluster and namespaced.
    pub(crate) fn kept(&self) -> impl Iterator<Item = &ScopeRequirement> {
        self.cluster.iter().chain(&self.namespaced)
    }
}

/// One scope of one ClusterImagePolicy or ImagePolicy, and what it requires there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ScopeRequirement {
    /// The scope as written (`quay.io/openshift-release-dev/ocp-release`, `*.example.com`).
    pub scope: String,
    /// The policy, as `ClusterImagePolicy/NAME` or `ImagePolicy/NAMESPACE/NAME`.
    pub policy: String,
    /// An ImagePolicy's namespace; None for a ClusterImagePolicy.
    pub namespace: Option<String>,
    /// `PublicKey`, `FulcioCAWithRekor` or `PKI`.
    pub policy_type: String,
    /// `MatchRepoDigestOrExact` (the default), `MatchRepository`, `ExactRepository` or
    /// `RemapIdentity`.
    pub match_policy: String,
    /// `exactRepository.repository`, or `remapIdentity`'s prefix and signed prefix.
    identity_rule: IdentityRule,
    /// The `sigstoreSigned` requirement policy.json gets for the scope.
    pub requirement: Requirement,
}

/// One requirement of policy.json, as containers/image writes it (`signature/policy_types.go`:
/// `type` first, then the fields in their declared order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
pub enum Requirement {
    /// Anything goes.
    #[serde(rename = "insecureAcceptAnything")]
    InsecureAcceptAnything,
    /// Nothing goes.
    #[serde(rename = "reject")]
    Reject,
    /// A sigstore signature, verified with what the fields hold.
    #[serde(rename = "sigstoreSigned", rename_all = "camelCase")]
    SigstoreSigned {
        /// A public key (base64 of its PEM), for `PublicKey`.
        #[serde(skip_serializing_if = "Option::is_none")]
        key_data: Option<String>,
        /// Fulcio's CA, issuer and subject, for `FulcioCAWithRekor`.
        #[serde(skip_serializing_if = "Option::is_none")]
        fulcio: Option<serde_json::Value>,
        /// Rekor's public key.
        #[serde(skip_serializing_if = "Option::is_none")]
        rekor_public_key_data: Option<String>,
        /// CA roots, intermediates and subject, for `PKI`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pki: Option<serde_json::Value>,
        /// The identity rule.
        signed_identity: SignedIdentityRule,
    },
}

/// `signedIdentity` of a `sigstoreSigned` requirement (containers/image
/// `signature/policy_types.go`: `type` first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum SignedIdentityRule {
    /// The signature names the reference's repository (digest) or the reference (tag).
    MatchRepoDigestOrExact,
    /// The signature names the reference's repository.
    MatchRepository,
    /// The signature names this repository.
    #[serde(rename_all = "camelCase")]
    ExactRepository {
        /// The repository.
        docker_repository: String,
    },
    /// A reference under `prefix` is checked as if under `signed_prefix`.
    #[serde(rename_all = "camelCase")]
    RemapIdentity {
        /// The prefix pulled from.
        prefix: String,
        /// The prefix the signature names.
        signed_prefix: String,
    },
}

/// The identity a signature must claim, besides the match policy's name.
#[derive(Clone, Debug, PartialEq, Eq)]
enum IdentityRule {
    /// The image's own reference (or repository).
    Own,
    /// A fixed repository.
    Exact(String),
    /// A reference under `prefix` must be signed as if under `signed_prefix`.
    Remap { prefix: String, signed_prefix: String },
}

/// The signature a node requires of one pull, as pull plans print it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureRequirement {
    /// `ClusterImagePolicy/NAME` or `ImagePolicy/NAMESPACE/NAME`.
    pub policy: String,
    /// The scope that matched.
    pub scope: String,
    /// The root of trust's type.
    pub policy_type: String,
    /// How the signature's claimed identity is compared.
    pub match_policy: String,
    /// What the signature must claim: the repository (a digest pull under
    /// `MatchRepoDigestOrExact` or `MatchRepository`), the reference with its tag, a fixed
    /// repository, or the remapped one. Whatever mirror serves the image, the identity is the
    /// one of the reference asked for.
    pub identity: String,
}

/// The signature policies of `catalog`: each ClusterImagePolicy's scopes, and each
/// ImagePolicy's scopes unless one equals or nests inside a ClusterImagePolicy scope
/// (`getValidScopePolicies`, with runtime-utils `ScopeIsNestedInsideScope`). Policies in name
/// order (namespace, then name), scopes as written.
pub(crate) fn policies(catalog: &Catalog) -> SignaturePolicies {
    let mut found = SignaturePolicies::default();
    let mut cluster: Vec<_> = catalog.cluster_image_policies().collect();
    cluster.sort_by(|a, b| a.metadata.name().cmp(b.metadata.name()));
    for policy in cluster {
        let name = format!("{}/{}", ResourceKind::ClusterImagePolicy.info().kind, policy.metadata.name());
        found.cluster.extend(scope_requirements(policy, &name, None));
    }
    let mut namespaced: Vec<_> = catalog.image_policies().collect();
    namespaced
        .sort_by(|a, b| (a.metadata.namespace(), a.metadata.name()).cmp(&(b.metadata.namespace(), b.metadata.name())));
    for policy in namespaced {
        let namespace = policy.metadata.namespace();
        if namespace.is_empty() {
            found.unplaced.push(format!("{}/{}", ResourceKind::ImagePolicy.info().kind, policy.metadata.name()));
            continue;
        }
        let name = format!("{}/{namespace}/{}", ResourceKind::ImagePolicy.info().kind, policy.metadata.name());
        for requirement in scope_requirements(policy, &name, Some(namespace)) {
            match found.cluster.iter().find(|c| super::scope::is_nested(&requirement.scope, &c.scope)) {
                Some(wins) => found.ignored.push(IgnoredScope {
                    policy: name.clone(),
                    namespace: namespace.to_owned(),
                    scope: requirement.scope,
                    cluster_policy: wins.policy.clone(),
                    cluster_scope: wins.scope.clone(),
                }),
                None => found.namespaced.push(requirement),
            }
        }
    }
    found
}

/// One requirement per scope of `policy`, named `name`.
fn scope_requirements(policy: &SignaturePolicy, name: &str, namespace: Option<&str>) -> Vec<ScopeRequirement> {
    let Some(spec) = &policy.spec else { return Vec::new() };
    let verification = spec.policy.as_ref();
    let policy_type = verification.and_then(|p| p.root_of_trust.as_ref()).map(|r| r.policy_type.clone());
    let identity = verification.and_then(|p| p.signed_identity.as_ref());
    let match_policy = identity
        .map(|i| i.match_policy.clone())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| "MatchRepoDigestOrExact".to_owned());
    let text = |field: &str, key: &str| {
        identity.and_then(|i| i.extra.get(field)).and_then(|f| f.get(key)).and_then(|v| v.as_str()).map(str::to_owned)
    };
    let identity_rule = match match_policy.as_str() {
        "ExactRepository" => IdentityRule::Exact(text("exactRepository", "repository").unwrap_or_default()),
        "RemapIdentity" => IdentityRule::Remap {
            prefix: text("remapIdentity", "prefix").unwrap_or_default(),
            signed_prefix: text("remapIdentity", "signedPrefix").unwrap_or_default(),
        },
        _ => IdentityRule::Own,
    };
    let requirement = sigstore_requirement(verification, &match_policy, &identity_rule);
    let scopes = spec.scopes.iter().flatten();
    scopes
        .map(|scope| ScopeRequirement {
            requirement: requirement.clone(),
            scope: scope.clone(),
            policy: name.to_owned(),
            namespace: namespace.map(str::to_owned),
            policy_type: policy_type.clone().unwrap_or_default(),
            match_policy: match_policy.clone(),
            identity_rule: identity_rule.clone(),
        })
        .collect()
}

/// machine-config-operator `policyItemFromSpec`: the policy's root of trust and identity as a
/// policy.json requirement.
fn sigstore_requirement(
    verification: Option<&VerificationPolicy>,
    match_policy: &str,
    rule: &IdentityRule,
) -> Requirement {
    let root = verification.and_then(|p| p.root_of_trust.as_ref());
    let field = |group: &str, key: &str| -> Option<String> {
        let value = root?.extra.get(group)?.get(key)?.as_str()?;
        Some(value.to_owned()).filter(|v| !v.is_empty())
    };
    let policy_type = root.map_or("", |r| r.policy_type.as_str());
    let object = |pairs: &[(&str, &str, &str)]| -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for (out, group, key) in pairs {
            if let Some(value) = field(group, key) {
                map.insert((*out).to_owned(), serde_json::Value::String(value));
            }
        }
        serde_json::Value::Object(map)
    };
    let signed_identity = match rule {
        IdentityRule::Exact(repository) => {
            SignedIdentityRule::ExactRepository { docker_repository: repository.clone() }
        }
        IdentityRule::Remap { prefix, signed_prefix } => {
            SignedIdentityRule::RemapIdentity { prefix: prefix.clone(), signed_prefix: signed_prefix.clone() }
        }
        IdentityRule::Own if match_policy == "MatchRepository" => SignedIdentityRule::MatchRepository,
        IdentityRule::Own => SignedIdentityRule::MatchRepoDigestOrExact,
    };
    match policy_type {
        "FulcioCAWithRekor" => {
            let subject = root.and_then(|r| r.extra.get("fulcioCAWithRekor")).and_then(|f| f.get("fulcioSubject"));
            let text = |key: &str| subject.and_then(|s| s.get(key)).and_then(|v| v.as_str()).unwrap_or_default();
            let fulcio = serde_json::json!({
                "caData": field("fulcioCAWithRekor", "fulcioCAData").unwrap_or_default(),
                "oidcIssuer": text("oidcIssuer"),
                "subjectEmail": text("signedEmail"),
            });
            Requirement::SigstoreSigned {
                key_data: None,
                fulcio: Some(fulcio),
                rekor_public_key_data: field("fulcioCAWithRekor", "rekorKeyData"),
                pki: None,
                signed_identity,
            }
        }
        "PKI" => {
            let subject = root.and_then(|r| r.extra.get("pki")).and_then(|p| p.get("pkiCertificateSubject"));
            let mut pki =
                object(&[("caRootsData", "pki", "caRootsData"), ("caIntermediatesData", "pki", "caIntermediatesData")]);
            for (out, key) in [("subjectEmail", "email"), ("subjectHostname", "hostname")] {
                if let Some(value) = subject.and_then(|s| s.get(key)).and_then(|v| v.as_str()).filter(|v| !v.is_empty())
                {
                    pki[out] = serde_json::Value::String(value.to_owned());
                }
            }
            Requirement::SigstoreSigned {
                key_data: None,
                fulcio: None,
                rekor_public_key_data: None,
                pki: Some(pki),
                signed_identity,
            }
        }
        _ => Requirement::SigstoreSigned {
            key_data: field("publicKey", "keyData"),
            fulcio: None,
            rekor_public_key_data: field("publicKey", "rekorKeyData"),
            pki: None,
            signed_identity,
        },
    }
}

/// What the machine-config operator refuses in ClusterImagePolicies and the ImagePolicies it
/// keeps, beside the image config's registry lists
/// (`validateImagePolicyWithAllowedBlockedRegistries`, called for both): a policy scope outside
/// every allowed registry, or inside a blocked one. Each as (policy, message). The operator
/// then writes no new policy.json, per-namespace policy or registries.conf, and nodes keep
/// the ones they have.
pub(crate) fn refusals(policies: &SignaturePolicies, allowed: &[String], blocked: &[String]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for requirement in policies.kept() {
        let scope = &requirement.scope;
        if !allowed.is_empty() && !allowed.iter().any(|r| super::scope::is_nested(scope, r)) {
            found.push((
                requirement.policy.clone(),
                format!("the scope {scope} is not nested inside allowedRegistries"),
            ));
        }
        if let Some(registry) = blocked.iter().find(|r| super::scope::is_nested(scope, r)) {
            found.push((
                requirement.policy.clone(),
                format!("the scope {scope} is nested inside blockedRegistries ({registry})"),
            ));
        }
    }
    found
}

/// The scopes a reference is looked up under, most specific first.
fn lookup_order(reference: &Reference) -> Vec<String> {
    let mut order = vec![reference.to_string()];
    let mut name = reference.name();
    loop {
        order.push(name.clone());
        match name.rfind('/') {
            Some(at) => name.truncate(at),
            None => break,
        }
    }
    let mut host = name.split(':').next().unwrap_or_default().to_owned();
    while let Some(dot) = host.find('.') {
        host = host[dot + 1..].to_owned();
        order.push(format!("*.{host}"));
    }
    order
}

/// What `reference` must carry when a Pod of `namespace` pulls it (None: outside any
/// namespace's ImagePolicies, which `/etc/containers/policy.json` alone decides): the
/// requirements of the most specific scope the policy file lists, one per policy listing it
/// (all must hold). None when no scope covers it, or when the most specific one is a `plain`
/// scope of the image config (an allowed or blocked registry, which accepts or rejects without
/// a signature).
pub(crate) fn requirements_for(
    reference: &Reference,
    policies: &SignaturePolicies,
    namespace: Option<&str>,
    plain: &[&[String]],
) -> Vec<SignatureRequirement> {
    // Most clusters have no policy: plans pay nothing for the lookup then.
    if policies.cluster.is_empty() && policies.of_namespace(namespace).next().is_none() {
        return Vec::new();
    }
    for scope in lookup_order(reference) {
        let in_force = policies.cluster.iter().chain(policies.of_namespace(namespace));
        let matching: Vec<&ScopeRequirement> = in_force.filter(|r| r.scope == scope).collect();
        if matching.is_empty() {
            if plain.iter().any(|scopes| scopes.contains(&scope)) {
                return Vec::new();
            }
            continue;
        }
        return matching
            .into_iter()
            .map(|r| SignatureRequirement {
                policy: r.policy.clone(),
                scope: r.scope.clone(),
                policy_type: r.policy_type.clone(),
                match_policy: r.match_policy.clone(),
                identity: identity(reference, r),
            })
            .collect();
    }
    Vec::new()
}

/// The identity a signature must claim for `reference` under `rule` (containers/image
/// `signature/policy_reference_match.go`).
fn identity(reference: &Reference, rule: &ScopeRequirement) -> String {
    let own = || match (rule.match_policy.as_str(), &reference.digest) {
        // A digest pull: any signature naming the repository; a tag pull: exactly that tag.
        ("MatchRepository", _) | (_, Some(_)) => reference.name(),
        _ => reference.to_string(),
    };
    match &rule.identity_rule {
        IdentityRule::Own => own(),
        IdentityRule::Exact(repository) => repository.clone(),
        IdentityRule::Remap { prefix, signed_prefix } => {
            let full = reference.to_string();
            let under =
                full.strip_prefix(prefix.as_str()).filter(|rest| rest.is_empty() || rest.starts_with(['/', ':', '@']));
            match under {
                Some(rest) => {
                    let remapped = format!("{signed_prefix}{rest}");
                    // The remapped reference is compared as MatchRepoDigestOrExact compares.
                    match &reference.digest {
                        Some(_) => remapped.split('@').next().unwrap_or_default().to_owned(),
                        None => remapped,
                    }
                }
                None => own(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(text: &str) -> Reference {
        Reference::parse_normalized(text).unwrap()
    }

    /// containers/image `policyconfiguration` `TestDockerReferenceNamespaces`' order, on our own
    /// names: image, repository, each parent, host (port kept), wildcards without the port.
    #[test]
    fn a_reference_is_looked_up_from_the_image_to_the_wildcard_domains() {
        assert_eq!(
            lookup_order(&reference("registry.corp.example.com:5000/apps/team/web:1")),
            [
                "registry.corp.example.com:5000/apps/team/web:1",
                "registry.corp.example.com:5000/apps/team/web",
                "registry.corp.example.com:5000/apps/team",
                "registry.corp.example.com:5000/apps",
                "registry.corp.example.com:5000",
                "*.corp.example.com",
                "*.example.com",
                "*.com"
            ]
        );
    }

    #[test]
    fn the_most_specific_scope_decides_and_identities_follow_the_match_policy() {
        let catalog = Catalog::from_yaml(
            r#"
apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata: {name: broad}
spec:
  scopes: ["*.example.com", quay.io/release]
  policy: {rootOfTrust: {policyType: PKI}}
---
apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata: {name: narrow}
spec:
  scopes: [registry.example.com/apps]
  policy:
    rootOfTrust: {policyType: PublicKey}
    signedIdentity: {matchPolicy: RemapIdentity, remapIdentity: {prefix: registry.example.com/apps, signedPrefix: src.example.org/apps}}
"#,
        );
        let policies = policies(&catalog);
        let found = |text: &str| requirements_for(&reference(text), &policies, None, &[]);
        let narrow = found(
            "registry.example.com/apps/web@sha256:1111111111111111111111111111111111111111111111111111111111111111",
        );
        assert_eq!(narrow.len(), 1);
        assert_eq!(
            (narrow[0].policy.as_str(), narrow[0].policy_type.as_str(), narrow[0].identity.as_str()),
            ("ClusterImagePolicy/narrow", "PublicKey", "src.example.org/apps/web")
        );
        let broad = found("other.example.com/x:1");
        assert_eq!((broad[0].scope.as_str(), broad[0].identity.as_str()), ("*.example.com", "other.example.com/x:1"));
        assert_eq!(broad[0].match_policy, "MatchRepoDigestOrExact", "the default");
        assert!(found("quay.io/other/x:1").is_empty(), "outside every scope");
        assert_eq!(found("quay.io/release:4.21").len(), 1);
    }

    /// machine-config-operator `getValidScopePolicies`: an ImagePolicy scope equal to or inside
    /// a ClusterImagePolicy scope is ignored; the others apply to their namespace's pulls only,
    /// where the most specific scope of either kind decides.
    #[test]
    fn image_policies_apply_in_their_namespace_unless_a_cluster_scope_holds_them() {
        let catalog = Catalog::from_yaml(
            r#"
apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata: {name: release}
spec: {scopes: [quay.io/release], policy: {rootOfTrust: {policyType: PublicKey}}}
---
apiVersion: config.openshift.io/v1
kind: ImagePolicy
metadata: {name: team, namespace: demo}
spec:
  scopes: [quay.io, quay.io/release/ocp]
  policy: {rootOfTrust: {policyType: FulcioCAWithRekor}, signedIdentity: {matchPolicy: MatchRepository}}
"#,
        );
        let policies = policies(&catalog);
        assert_eq!(
            policies.ignored,
            [IgnoredScope {
                policy: "ImagePolicy/demo/team".into(),
                namespace: "demo".into(),
                scope: "quay.io/release/ocp".into(),
                cluster_policy: "ClusterImagePolicy/release".into(),
                cluster_scope: "quay.io/release".into(),
            }]
        );
        let found = |text: &str, namespace: Option<&str>| -> Vec<String> {
            let required = requirements_for(&reference(text), &policies, namespace, &[]);
            required.iter().map(|r| format!("{} {} {}", r.policy, r.scope, r.identity)).collect()
        };
        assert_eq!(found("quay.io/other/app:1", Some("demo")), ["ImagePolicy/demo/team quay.io quay.io/other/app"]);
        assert!(found("quay.io/other/app:1", Some("prod")).is_empty(), "another namespace");
        assert!(found("quay.io/other/app:1", None).is_empty(), "no namespace: the cluster's file");
        assert_eq!(
            found("quay.io/release/ocp:4.21", Some("demo")),
            ["ClusterImagePolicy/release quay.io/release quay.io/release/ocp:4.21"],
            "the more specific cluster scope decides"
        );
    }

    /// policy.json's plain scopes count in the lookup: an allowed registry more specific than a
    /// policy's scope accepts without a signature.
    #[test]
    fn a_more_specific_allowed_registry_needs_no_signature() {
        let catalog = Catalog::from_yaml(
            r#"
apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata: {name: team}
spec: {scopes: [quay.io/team], policy: {rootOfTrust: {policyType: PublicKey}}}
"#,
        );
        let policies = policies(&catalog);
        let plain = ["quay.io".to_owned(), "quay.io/team/tools".to_owned()];
        let count = |text: &str| requirements_for(&reference(text), &policies, None, &[&plain]).len();
        assert_eq!(count("quay.io/team/app:1"), 1);
        assert_eq!(count("quay.io/team/tools/x:1"), 0, "quay.io/team/tools is more specific");
        assert_eq!(count("quay.io/else/x:1"), 0);
    }
}
