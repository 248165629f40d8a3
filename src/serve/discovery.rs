//! The discovery documents kubectl and client libraries read before anything else: `/version`,
//! `/api`, `/apis` and one resource list per group version (legacy discovery; clients that ask
//! for aggregated discovery accept it, docs/semantics.md §10).

use serde_json::{Value, json};

use crate::model::ResourceKind;

/// A resource as served: a kind of ours, or a virtual one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Served {
    /// Stored objects of this kind (or, for ImageStreamTag, objects built from streams).
    Kind(ResourceKind),
    /// Core Namespaces, synthesised from the namespaces present.
    Namespaces,
}

/// The groups served, in discovery priority order: `image.openshift.io` first, so a bare
/// `kubectl get images` means image.openshift.io Images, as with oc.
pub(crate) const GROUPS: [(&str, &str); 8] = [
    ("image.openshift.io", "v1"),
    ("operator.openshift.io", "v1alpha1"),
    ("config.openshift.io", "v1"),
    ("apps", "v1"),
    ("batch", "v1"),
    ("rbac.authorization.k8s.io", "v1"),
    ("apps.openshift.io", "v1"),
    ("build.openshift.io", "v1"),
];

/// Resolves `group/version/plural` to what is served there.
pub(crate) fn served(group: &str, version: &str, plural: &str) -> Option<Served> {
    if group.is_empty() && version == "v1" && plural == "namespaces" {
        return Some(Served::Namespaces);
    }
    ResourceKind::ALL
        .into_iter()
        .filter(|k| *k != ResourceKind::ImageStreamLayers)
        .find(|k| {
            let info = k.info();
            info.group == group && info.version == version && info.plural == plural
        })
        .map(Served::Kind)
}

/// Verbs served for a kind: read-only, and only those the real server offers.
fn verbs(kind: ResourceKind) -> Vec<&'static str> {
    match kind {
        ResourceKind::ImageStreamImage => vec!["get"],
        _ => vec!["get", "list"],
    }
}

/// `GET /version`.
pub(crate) fn version() -> Value {
    json!({
        "major": "1",
        "minor": "33",
        "gitVersion": concat!("v1.33.0+isctl-", env!("CARGO_PKG_VERSION")),
        "gitCommit": "",
        "gitTreeState": "clean",
        "buildDate": "1970-01-01T00:00:00Z",
        "goVersion": "n/a",
        "compiler": "rustc",
        "platform": "linux/amd64"
    })
}

/// `GET /api`.
pub(crate) fn api_versions(address: &str) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": address}]
    })
}

fn group(name: &str, version: &str) -> Value {
    let gv = json!({"groupVersion": format!("{name}/{version}"), "version": version});
    json!({"name": name, "versions": [gv.clone()], "preferredVersion": gv})
}

/// `GET /apis`.
pub(crate) fn api_groups() -> Value {
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": GROUPS.iter().map(|(n, v)| group(n, v)).collect::<Vec<_>>()})
}

/// `GET /apis/{group}`.
pub(crate) fn api_group(name: &str) -> Option<Value> {
    let (name, version) = GROUPS.iter().find(|(n, _)| *n == name)?;
    let mut value = group(name, version);
    value["kind"] = "APIGroup".into();
    value["apiVersion"] = "v1".into();
    Some(value)
}

/// `GET /api/v1` or `GET /apis/{group}/{version}`.
pub(crate) fn resource_list(group: &str, version: &str) -> Option<Value> {
    let group_version = if group.is_empty() { version.to_owned() } else { format!("{group}/{version}") };
    let mut resources = Vec::new();
    if group.is_empty() {
        if version != "v1" {
            return None;
        }
        resources.push(json!({
            "name": "namespaces", "singularName": "namespace", "namespaced": false, "kind": "Namespace",
            "verbs": ["get", "list"], "shortNames": ["ns"]
        }));
    } else {
        GROUPS.iter().find(|(g, v)| *g == group && *v == version)?;
    }
    for kind in ResourceKind::ALL {
        let info = kind.info();
        if info.group != group || info.version != version {
            continue;
        }
        let registered_short: Vec<&str> = info.short_names.iter().copied().filter(|s| *s != "icsp").collect();
        let mut resource = json!({
            "name": info.plural,
            "singularName": if kind == ResourceKind::ImageStreamLayers { "" } else { info.singular },
            "namespaced": info.namespaced,
            "kind": info.kind,
            "verbs": if kind == ResourceKind::ImageStreamLayers { vec!["get"] } else { verbs(kind) },
        });
        if !registered_short.is_empty() {
            resource["shortNames"] = json!(registered_short);
        }
        if kind == ResourceKind::ImageStream {
            resource["categories"] = json!(["all"]);
        }
        resources.push(resource);
    }
    Some(json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}))
}
