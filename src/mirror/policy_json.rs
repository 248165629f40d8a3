//! The `/etc/containers/policy.json` the machine-config operator writes for the cluster
//! (openshift/machine-config-operator `pkg/controller/container-runtime-config`
//! `updatePolicyJSON`): the image config's allowed or blocked registries and the
//! ClusterImagePolicies' `sigstoreSigned` requirements over the node's template; and the
//! per-namespace files CRI-O reads for Pods of a namespace with ImagePolicies
//! (`updateNamespacedPolicyJSONs`). Pure.

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

/// The cluster's file (`namespace` None), or the one CRI-O reads for the Pods of `namespace`
/// (`/etc/crio/policies/NAMESPACE.json`, `updateNamespacedPolicyJSONs`: the cluster's file
/// with that namespace's ImagePolicy requirements appended to their scopes). Err says why the
/// operator would write neither.
pub fn render(config: &RegistriesConfig, namespace: Option<&str>) -> Result<String, String> {
    let (allowed, blocked) = (&config.allowed_registries, &config.blocked_registries);
    if !allowed.is_empty() && !blocked.is_empty() {
        return Err("only one of allowedRegistries or blockedRegistries may be specified".to_owned());
    }
    if let Some((policy, why)) = super::signatures::refusals(&config.signatures, allowed, blocked).into_iter().next() {
        return Err(format!("{policy}: {why}"));
    }
    let mut by_scope: BTreeMap<String, Vec<Requirement>> = BTreeMap::new();
    for scope in &config.signatures.cluster {
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
    // A namespace's ImagePolicies are appended to what the cluster's file holds for the scope.
    for scope in config.signatures.of_namespace(namespace) {
        scopes.entry(scope.scope.clone()).or_default().push(scope.requirement.clone());
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
        let rendered = render(&RegistriesConfig::from_catalog(&catalog), None).unwrap();
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
        let bare = render(&RegistriesConfig::from_catalog(&Catalog::from_yaml("")), None).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&bare).unwrap(),
            serde_json::json!({"default": [{"type": "insecureAcceptAnything"}], "transports": {"docker-daemon": {"": [{"type": "insecureAcceptAnything"}]}}})
        );
    }

    /// machine-config-operator `TestUpdateNamespacedPolicyJSONs`, on our own policies: a
    /// namespace's file is the cluster's with its ImagePolicy scopes added; an ImagePolicy scope
    /// a ClusterImagePolicy also lists is left out (`getValidScopePolicies`); a namespace
    /// without a kept scope gets no file of its own.
    #[test]
    fn a_namespace_file_adds_its_image_policies_to_the_cluster_file() {
        let key = "{rootOfTrust: {policyType: PublicKey, publicKey: {keyData: a2V5}}}";
        let catalog = Catalog::from_yaml(&format!(
            r#"
apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata: {{name: both}}
spec: {{scopes: [test0.example.com, test1.example.com], policy: {key}}}
---
apiVersion: config.openshift.io/v1
kind: ImagePolicy
metadata: {{name: p0, namespace: team-a}}
spec: {{scopes: [test0.example.com, test2.example.com], policy: {key}}}
---
apiVersion: config.openshift.io/v1
kind: ImagePolicy
metadata: {{name: p4, namespace: team-a}}
spec:
  scopes: [test4.example.com/ns/repo/deep]
  policy: {{rootOfTrust: {{policyType: PKI, pki: {{caRootsData: cm9vdHM=, pkiCertificateSubject: {{hostname: h.example.com}}}}}}}}
---
apiVersion: config.openshift.io/v1
kind: ImagePolicy
metadata: {{name: p3, namespace: team-b}}
spec: {{scopes: [test3.example.com], policy: {key}}}
---
apiVersion: config.openshift.io/v1
kind: ImagePolicy
metadata: {{name: only-nested, namespace: team-c}}
spec: {{scopes: [test1.example.com/app], policy: {key}}}
"#
        ));
        let config = RegistriesConfig::from_catalog(&catalog);
        assert_eq!(
            config.signatures.namespaces(),
            ["team-a", "team-b"],
            "team-c's only scope lies inside the cluster's"
        );
        let parsed =
            |namespace| -> serde_json::Value { serde_json::from_str(&render(&config, namespace).unwrap()).unwrap() };
        let keyed = serde_json::json!([{"type": "sigstoreSigned", "keyData": "a2V5", "signedIdentity": {"type": "matchRepoDigestOrExact"}}]);
        let cluster = parsed(None);
        let docker = |file: &serde_json::Value| -> Vec<String> {
            file["transports"]["docker"].as_object().unwrap().keys().cloned().collect()
        };
        assert_eq!(docker(&cluster), ["test0.example.com", "test1.example.com"]);
        let team_a = parsed(Some("team-a"));
        assert_eq!(
            docker(&team_a),
            ["test0.example.com", "test1.example.com", "test2.example.com", "test4.example.com/ns/repo/deep"]
        );
        assert_eq!(team_a["transports"]["docker"]["test0.example.com"], keyed, "the cluster's requirement alone");
        assert_eq!(team_a["transports"]["docker"]["test2.example.com"], keyed);
        assert_eq!(
            team_a["transports"]["docker"]["test4.example.com/ns/repo/deep"][0]["pki"],
            serde_json::json!({"caRootsData": "cm9vdHM=", "subjectHostname": "h.example.com"})
        );
        assert!(team_a["transports"]["atomic"].get("test4.example.com/ns/repo/deep").is_none(), "three components");
        assert_eq!(team_a["transports"]["atomic"]["test2.example.com"], keyed);
        assert_eq!(docker(&parsed(Some("team-b"))), ["test0.example.com", "test1.example.com", "test3.example.com"]);
        assert_eq!(parsed(Some("team-c")), cluster, "no file of its own: the cluster's");
    }

    /// An ImagePolicy scope the image config blocks stops every file, the cluster's too
    /// (`updateNamespacedPolicyJSONs` fails the whole sync).
    #[test]
    fn a_refused_image_policy_stops_every_file() {
        let catalog = Catalog::from_yaml(
            r#"
apiVersion: config.openshift.io/v1
kind: Image
metadata: {name: cluster}
spec: {registrySources: {blockedRegistries: [blocked.example.com]}}
---
apiVersion: config.openshift.io/v1
kind: ImagePolicy
metadata: {name: p, namespace: team}
spec: {scopes: [blocked.example.com/x], policy: {rootOfTrust: {policyType: PublicKey}}}
"#,
        );
        let config = RegistriesConfig::from_catalog(&catalog);
        let why = render(&config, None).unwrap_err();
        assert_eq!(
            why,
            "ImagePolicy/team/p: the scope blocked.example.com/x is nested inside blockedRegistries (blocked.example.com)"
        );
        assert_eq!(render(&config, Some("team")).unwrap_err(), why);
    }
}
