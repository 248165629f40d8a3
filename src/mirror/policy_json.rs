//! The `/etc/containers/policy.json` the machine-config operator writes for the cluster
//! (openshift/machine-config-operator `pkg/controller/container-runtime-config`
//! `updatePolicyJSON`): the image config's allowed or blocked registries and the
//! ClusterImagePolicies' `sigstoreSigned` requirements over the node's template. Pure.

use std::collections::BTreeMap;

use serde::Serialize;

use super::RegistriesConfig;
use super::signatures::Requirement;

/// policy.json as containers/image reads it (`signature.Policy`).
#[derive(Serialize)]
struct Policy {
    default: Vec<Requirement>,
    transports: BTreeMap<&'static str, BTreeMap<String, Vec<Requirement>>>,
}

/// The file, or why the operator would not write it.
pub fn render(config: &RegistriesConfig) -> Result<String, String> {
    let (allowed, blocked) = (&config.allowed_registries, &config.blocked_registries);
    if !allowed.is_empty() && !blocked.is_empty() {
        return Err("only one of allowedRegistries or blockedRegistries may be specified".to_owned());
    }
    if let Some((policy, why)) = super::signatures::refusals(&config.signatures, allowed, blocked).into_iter().next() {
        return Err(format!("{policy}: {why}"));
    }
    let mut by_scope: BTreeMap<String, Vec<Requirement>> = BTreeMap::new();
    let mut policies: Vec<_> = config.signatures.iter().collect();
    policies.sort_by(|a, b| a.policy.cmp(&b.policy));
    for scope in &policies {
        by_scope.entry(scope.scope.clone()).or_default().push(scope.requirement.clone());
    }
    // The node's template (RHCOS ships it): accept anything, and the local daemon as is.
    let mut policy = Policy {
        default: vec![Requirement::InsecureAcceptAnything],
        transports: BTreeMap::from([(
            "docker-daemon",
            BTreeMap::from([(String::new(), vec![Requirement::InsecureAcceptAnything])]),
        )]),
    };
    let mut scopes: BTreeMap<String, Vec<Requirement>> = BTreeMap::new();
    if !allowed.is_empty() {
        policy.default = vec![Requirement::Reject];
        // A registry that is also a policy's scope gets the policy's requirement only.
        for registry in allowed.iter().filter(|r| !by_scope.contains_key(*r)) {
            scopes.insert(registry.clone(), vec![Requirement::InsecureAcceptAnything]);
        }
    }
    for registry in blocked {
        scopes.insert(registry.clone(), vec![Requirement::Reject]);
    }
    for (scope, requirements) in by_scope {
        scopes.entry(scope).or_default().extend(requirements);
    }
    if !scopes.is_empty() {
        // "atomic" is "docker" without the scopes of three or more components after the host.
        let atomic = scopes.iter().filter(|(scope, _)| scope.matches('/').count() < 3);
        let atomic = atomic.map(|(scope, r)| (scope.clone(), r.clone())).collect();
        policy.transports.insert("atomic", atomic);
        policy.transports.insert("docker", scopes);
    }
    let mut text = serde_json::to_string_pretty(&policy).expect("policy.json serialises");
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    /// machine-config-operator `TestGeneratePolicyJSON`, on our own policies: each scope gets
    /// its policy's `sigstoreSigned` requirement under "docker" and "atomic", over the template.
    #[test]
    fn each_scope_gets_its_policys_sigstore_requirement() {
        let catalog = Catalog::from_yaml(
            r#"
apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata: {name: keyless}
spec:
  scopes: [test0.example.com]
  policy:
    rootOfTrust:
      policyType: FulcioCAWithRekor
      fulcioCAWithRekor:
        fulcioCAData: Y2EtZGF0YQ==
        rekorKeyData: cmVrb3Ita2V5
        fulcioSubject: {oidcIssuer: "https://oidc.example.com", signedEmail: ci@example.com}
    signedIdentity:
      matchPolicy: RemapIdentity
      remapIdentity: {prefix: mirror.example.com/x, signedPrefix: test0.example.com/x}
---
apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata: {name: pki}
spec:
  scopes: [test3.example.com/ns/repo]
  policy:
    rootOfTrust:
      policyType: PKI
      pki:
        caRootsData: cm9vdHM=
        caIntermediatesData: aW50ZXJtZWRpYXRlcw==
        pkiCertificateSubject: {email: ci@example.com, hostname: my-host.example.com}
"#,
        );
        let rendered = render(&RegistriesConfig::from_catalog(&catalog)).unwrap();
        // Both transports hold the same scopes: none has three components after the host.
        let scopes = serde_json::json!({
            "test0.example.com": [{
                "type": "sigstoreSigned",
                "fulcio": {"caData": "Y2EtZGF0YQ==", "oidcIssuer": "https://oidc.example.com", "subjectEmail": "ci@example.com"},
                "rekorPublicKeyData": "cmVrb3Ita2V5",
                "signedIdentity": {"type": "remapIdentity", "prefix": "mirror.example.com/x", "signedPrefix": "test0.example.com/x"}
            }],
            "test3.example.com/ns/repo": [{
                "type": "sigstoreSigned",
                "pki": {"caRootsData": "cm9vdHM=", "caIntermediatesData": "aW50ZXJtZWRpYXRlcw==", "subjectEmail": "ci@example.com", "subjectHostname": "my-host.example.com"},
                "signedIdentity": {"type": "matchRepoDigestOrExact"}
            }]
        });
        let expected = serde_json::json!({
            "default": [{"type": "insecureAcceptAnything"}],
            "transports": {
                "atomic": scopes.clone(),
                "docker": scopes,
                "docker-daemon": {"": [{"type": "insecureAcceptAnything"}]}
            }
        });
        assert_eq!(serde_json::from_str::<serde_json::Value>(&rendered).unwrap(), expected, "{rendered}");
        assert!(
            rendered.contains("{\n          \"type\": \"sigstoreSigned\",\n          \"fulcio\""),
            "type first: {rendered}"
        );
        // Without rules or policies, the template as it is.
        let bare = render(&RegistriesConfig::from_catalog(&Catalog::from_yaml(""))).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&bare).unwrap(),
            serde_json::json!({"default": [{"type": "insecureAcceptAnything"}], "transports": {"docker-daemon": {"": [{"type": "insecureAcceptAnything"}]}}})
        );
    }
}
