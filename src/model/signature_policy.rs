//! Signature policies: `config.openshift.io/v1` ClusterImagePolicy (cluster-scoped) and
//! ImagePolicy (namespaced), earlier `v1alpha1`. Both say which images must carry a sigstore
//! signature, and whose (openshift/api config/v1 `types_cluster_image_policy.go`,
//! `types_image_policy.go`). The machine-config operator renders them into nodes'
//! `policy.json`. The two kinds share one shape.

use serde::{Deserialize, Serialize};

use super::meta::{Extra, ObjectMeta};

/// A ClusterImagePolicy or an ImagePolicy.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignaturePolicy {
    /// `config.openshift.io/v1` (or `v1alpha1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `ClusterImagePolicy` or `ImagePolicy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name (and namespace, for an ImagePolicy).
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The scopes and what they require.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<SignaturePolicySpec>,
    /// Unknown fields (`status`), kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `spec` of a signature policy.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignaturePolicySpec {
    /// Image identities the policy covers: a host (`*.example.com` for its subdomains), a
    /// repository namespace, a repository, or one image by tag or digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// What an image in scope must carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<VerificationPolicy>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `spec.policy`: the root of trust, and the identity a signature must claim.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationPolicy {
    /// Who must have signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_of_trust: Option<RootOfTrust>,
    /// Which identity a signature must claim; `MatchRepoDigestOrExact` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_identity: Option<SignedIdentity>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `rootOfTrust`: its type names which of the other fields holds the keys or certificates.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RootOfTrust {
    /// `PublicKey`, `FulcioCAWithRekor` or `PKI`.
    #[serde(default)]
    pub policy_type: String,
    /// The key material (`publicKey`, `fulcioCAWithRekor`, `pki`), kept as written.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `signedIdentity`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignedIdentity {
    /// `MatchRepoDigestOrExact`, `MatchRepository`, `ExactRepository` or `RemapIdentity`.
    #[serde(default)]
    pub match_policy: String,
    /// `exactRepository` and `remapIdentity`, kept as written.
    #[serde(flatten)]
    pub extra: Extra,
}
