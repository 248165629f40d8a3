//! Who may pull a stream's images (docs/consumers.md). The integrated registry lets a pull of
//! `namespace/stream` through when the puller may `get` `imagestreams/layers` in group
//! `image.openshift.io` on that stream (openshift/image-registry: pkg/dockerregistry/server
//! `verifyImageStreamAccess`, a SelfSubjectAccessReview). isctl never sends one (a write): it
//! evaluates the RoleBindings of the stream's namespace and the ClusterRoleBindings against
//! their roles, with Kubernetes RBAC's matching rules (`RuleAllows` in
//! k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac). Pure, over a [`Catalog`].

use serde::Serialize;

use crate::catalog::Catalog;
use crate::model::rbac::{Binding, PolicyRule, Role};
use crate::model::{ImageStream, Object, ResourceKind};

/// OpenShift's default cluster roles that grant `get` on `imagestreams/layers`
/// (openshift/openshift-apiserver: pkg/bootstrappolicy/policy.go), used when a binding names
/// one the input does not hold.
const BUILT_IN_PULLERS: [&str; 13] = [
    "cluster-admin",
    "admin",
    "edit",
    "view",
    "cluster-reader",
    "registry-admin",
    "registry-editor",
    "registry-viewer",
    "system:image-puller",
    "system:image-pusher",
    "system:image-builder",
    "system:image-signer",
    "system:master",
];

/// The namespaced default Role that lets every user pull the `openshift` namespace's images
/// (openshift-apiserver bootstrappolicy, namespace_policy.go), bound to system:authenticated.
const BUILT_IN_ROLE: (&str, &str) = ("openshift", "shared-resource-viewer");

/// The group the API server allows everything, whatever RBAC says (k8s.io/apiserver
/// `authorizerfactory.NewPrivilegedGroups(user.SystemPrivilegedGroup)`, first in
/// kube-apiserver's authorizer chain): the registry's access review always passes for it.
pub(crate) const SUPERUSER_GROUP: &str = "system:masters";

/// The `role` of the [`SUPERUSER_GROUP`] grant: not an RBAC role.
pub(crate) const SUPERUSER: &str = "superuser";

/// One subject allowed to pull, and through what.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Grant {
    /// `User`, `Group` or `ServiceAccount`.
    pub subject_kind: String,
    /// The subject: `system:authenticated`, `namespace/name` for a ServiceAccount.
    pub subject: String,
    /// The binding: `RoleBinding/name` (in the stream's namespace) or `ClusterRoleBinding/name`;
    /// none for [`SUPERUSER_GROUP`], which needs none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding: Option<String>,
    /// The role it grants: `ClusterRole/system:image-puller`, or [`SUPERUSER`].
    pub role: String,
    /// How the role is known to allow the pull: `rules` (read from the input) or `built-in`
    /// (an OpenShift default role the input does not hold).
    pub known_from: &'static str,
}

/// Who may pull one stream's images, and how pods may name them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PullAccess {
    /// `namespace/stream`.
    pub stream: String,
    /// `spec.lookupPolicy.local`: Pods of the stream's namespace may name a tag by its short
    /// name (`stream:tag`), and get the tag's image.
    pub lookup_local: bool,
    /// Spec tags whose reference policy is `Local`: pods given the tag's image pull it through
    /// the integrated registry, so the pull needs this access.
    pub local_reference_tags: Vec<String>,
    /// The subjects that may pull, by subject then binding.
    pub grants: Vec<Grant>,
    /// Bindings whose role the input does not hold and isctl does not know: they may grant
    /// pulls too.
    pub unknown_roles: Vec<String>,
    /// Whether the input holds any binding at all (else the empty list says nothing).
    pub bindings_read: bool,
}

/// Whether `rule` allows `get` on `imagestreams/layers` of `stream` in `image.openshift.io`.
fn allows_pull(rule: &PolicyRule, stream: &str) -> bool {
    let any = |list: &Option<Vec<String>>, wanted: &[&str]| {
        list.iter().flatten().any(|item| item == "*" || wanted.contains(&item.as_str()))
    };
    let verbs = rule.verbs.iter().any(|v| v == "*" || v == "get");
    let names = rule.resource_names.as_ref().is_none_or(|names| names.is_empty() || names.iter().any(|n| n == stream));
    verbs
        && any(&rule.api_groups, &["image.openshift.io"])
        // The registry asks for resource `imagestreams/layers` without a subresource, so a
        // `*/layers` rule does not match it.
        && any(&rule.resources, &["imagestreams/layers"])
        && names
}

/// Who may pull the images of `stream`, from the RBAC objects of `catalog`.
pub(crate) fn pull_access(stream: &ImageStream, catalog: &Catalog) -> PullAccess {
    let namespace = stream.metadata.namespace();
    let name = stream.metadata.name();
    let role = |kind: &str, role_namespace: &str, role_name: &str| -> Option<&Role> {
        let (kind, namespace) = match kind {
            "ClusterRole" => (ResourceKind::ClusterRole, ""),
            _ => (ResourceKind::Role, role_namespace),
        };
        catalog.of_kind(kind).find_map(|o| match o {
            Object::Role(r) | Object::ClusterRole(r)
                if r.metadata.name() == role_name && r.metadata.namespace() == namespace =>
            {
                Some(&**r)
            }
            _ => None,
        })
    };
    let bindings = catalog
        .of_kind(ResourceKind::RoleBinding)
        .chain(catalog.of_kind(ResourceKind::ClusterRoleBinding))
        .filter_map(|o| match o {
            Object::RoleBinding(b) if b.metadata.namespace() == namespace => Some(("RoleBinding", &**b)),
            Object::ClusterRoleBinding(b) => Some(("ClusterRoleBinding", &**b)),
            _ => None,
        });
    let mut grants = vec![Grant {
        subject_kind: "Group".to_owned(),
        subject: SUPERUSER_GROUP.to_owned(),
        binding: None,
        role: SUPERUSER.to_owned(),
        known_from: "built-in",
    }];
    let mut unknown_roles = Vec::new();
    let mut bindings_read = false;
    for (binding_kind, binding) in bindings {
        bindings_read = true;
        let Some(role_ref) = &binding.role_ref else { continue };
        let known_from = match role(&role_ref.kind, namespace, &role_ref.name) {
            Some(found) => match found.rules.iter().flatten().any(|r| allows_pull(r, name)) {
                true => "rules",
                false => continue,
            },
            None if role_ref.kind == "ClusterRole" && BUILT_IN_PULLERS.contains(&role_ref.name.as_str()) => "built-in",
            None if role_ref.kind == "Role" && (namespace, role_ref.name.as_str()) == BUILT_IN_ROLE => "built-in",
            None => {
                unknown_roles.push(format!(
                    "{binding_kind}/{} ({}/{})",
                    binding.metadata.name(),
                    role_ref.kind,
                    role_ref.name
                ));
                continue;
            }
        };
        grants.extend(subjects(binding).map(|(subject_kind, subject)| Grant {
            subject_kind,
            subject,
            binding: Some(format!("{binding_kind}/{}", binding.metadata.name())),
            role: format!("{}/{}", role_ref.kind, role_ref.name),
            known_from,
        }));
    }
    grants.sort();
    let local_reference_tags =
        stream.spec_tags().iter().filter(|t| t.is_local_reference_policy()).map(|t| t.name.clone()).collect();
    PullAccess {
        stream: format!("{namespace}/{name}"),
        lookup_local: stream.lookup_local(),
        local_reference_tags,
        grants,
        unknown_roles,
        bindings_read,
    }
}

/// A binding's subjects as (kind, name); a ServiceAccount is `namespace/name`.
fn subjects(binding: &Binding) -> impl Iterator<Item = (String, String)> + '_ {
    binding.subjects.iter().flatten().map(move |s| {
        let name = match (s.kind.as_str(), &s.namespace) {
            ("ServiceAccount", Some(ns)) if !ns.is_empty() => format!("{ns}/{}", s.name),
            ("ServiceAccount", _) => format!("{}/{}", binding.metadata.namespace(), s.name),
            _ => s.name.clone(),
        };
        (s.kind.clone(), name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(groups: &[&str], resources: &[&str], verbs: &[&str], names: &[&str]) -> PolicyRule {
        let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        PolicyRule {
            api_groups: Some(strings(groups)),
            resources: Some(strings(resources)),
            verbs: strings(verbs),
            resource_names: (!names.is_empty()).then(|| strings(names)),
            ..Default::default()
        }
    }

    #[test]
    fn rules_match_as_kubernetes_rbac_does() {
        assert!(allows_pull(&rule(&["image.openshift.io"], &["imagestreams/layers"], &["get"], &[]), "cli"));
        assert!(allows_pull(&rule(&["*"], &["*"], &["*"], &[]), "cli"));
        assert!(!allows_pull(&rule(&["image.openshift.io"], &["*/layers"], &["get"], &[]), "cli"));
        assert!(allows_pull(&rule(&["image.openshift.io"], &["imagestreams/layers"], &["get"], &["cli"]), "cli"));
        assert!(!allows_pull(&rule(&["image.openshift.io"], &["imagestreams/layers"], &["get"], &["other"]), "cli"));
        assert!(!allows_pull(&rule(&["image.openshift.io"], &["imagestreams"], &["get"], &[]), "cli"), "not layers");
        assert!(!allows_pull(&rule(&["image.openshift.io"], &["imagestreams/*"], &["get"], &[]), "cli"));
        assert!(!allows_pull(&rule(&["image.openshift.io"], &["imagestreams/layers"], &["list"], &[]), "cli"));
        assert!(!allows_pull(&rule(&[""], &["imagestreams/layers"], &["get"], &[]), "cli"), "the core group");
    }

    #[test]
    fn bindings_grant_through_rules_or_known_roles() {
        let catalog = Catalog::from_yaml(
            r#"
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: cli, namespace: openshift}
spec: {lookupPolicy: {local: true}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: system:image-pullers, namespace: openshift}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:image-puller}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts:openshift"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: builders, namespace: openshift}
roleRef: {kind: Role, name: reads-streams}
subjects: [{kind: ServiceAccount, name: builder}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reads-streams, namespace: openshift}
rules: [{apiGroups: [image.openshift.io], resources: [imagestreams], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: elsewhere, namespace: demo}
roleRef: {kind: ClusterRole, name: system:image-puller}
subjects: [{kind: Group, name: system:authenticated}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: mystery}
roleRef: {kind: ClusterRole, name: custom}
subjects: [{kind: User, name: alice}]
"#,
        );
        let access = pull_access(catalog.stream("openshift", "cli").unwrap(), &catalog);
        assert!(access.lookup_local);
        let grants: Vec<(&str, &str, &str)> = access
            .grants
            .iter()
            .map(|g| (g.subject.as_str(), g.binding.as_deref().unwrap_or("-"), g.known_from))
            .collect();
        assert_eq!(
            grants,
            vec![
                // The API server's superuser group needs no binding (kube-apiserver's
                // privileged-groups authorizer, k8s.io/apiserver authorizerfactory).
                ("system:masters", "-", "built-in"),
                ("system:serviceaccounts:openshift", "RoleBinding/system:image-pullers", "built-in")
            ],
            "a role without layers grants nothing; another namespace's binding does not count"
        );
        assert_eq!(access.unknown_roles, vec!["ClusterRoleBinding/mystery (ClusterRole/custom)"]);
    }
}
