//! `/etc/containers/registries.d/sigstore-registries.yaml`: where nodes look for sigstore
//! signatures. The machine-config operator turns on `use-sigstore-attachments` for every
//! signature policy scope and for the mirrors a pull in that scope may use
//! (machine-config-operator `generateSigstoreRegistriesdConfig`,
//! `addScopeMirrorsSigstoreRegistriesdConfig`). Pure.

use std::collections::BTreeSet;

use super::plan::{Resolver, SourceKind};
use super::scope::is_nested;

/// The scopes that get `use-sigstore-attachments: true`: each ClusterImagePolicy scope and each
/// ImagePolicy scope the operator keeps, every
/// source a digest or tag pull under it may use, and the same for each registries.conf scope
/// nested inside it.
pub(crate) fn attachment_scopes(resolver: &Resolver) -> BTreeSet<String> {
    let config = resolver.config();
    let mut scopes = BTreeSet::new();
    let policy_scopes: BTreeSet<&str> = config.signatures.kept().map(|s| s.scope.as_str()).collect();
    for policy_scope in policy_scopes {
        scopes.insert(policy_scope.to_owned());
        add_sources(resolver, policy_scope, &mut scopes);
        for entry in &config.registries {
            let scope = entry.scope();
            if scope != policy_scope && is_nested(scope, policy_scope) {
                add_sources(resolver, scope, &mut scopes);
            }
        }
    }
    scopes
}

/// The sources of a digest and a tag pull of a repository under `scope`, as the operator finds
/// them (a made-up `matched` host for a wildcard, `/a` under a bare host), without the entry's
/// own location when that is a wildcard, and nothing when no entry matches.
fn add_sources(resolver: &Resolver, scope: &str, into: &mut BTreeSet<String>) {
    let scope = match scope.strip_prefix("*.") {
        Some(domain) => format!("matched.{domain}"),
        None => scope.to_owned(),
    };
    let dummy_path = !scope.contains('/');
    let repository = if dummy_path { format!("{scope}/a") } else { scope };
    let digest = format!("{repository}@sha256:{}", "a".repeat(64));
    for plan in [resolver.plan(&digest), resolver.plan(&format!("{repository}:aaa"))] {
        let Some(matched) = plan.scope.as_deref() else { continue };
        for source in &plan.sources {
            if source.kind == SourceKind::Source && matched.starts_with("*.") {
                continue;
            }
            let name = source.reference.split(['@']).next().unwrap_or_default();
            let name = match name.rfind(':') {
                Some(at) if !name[at..].contains('/') => &name[..at],
                _ => name,
            };
            let name = if dummy_path { name.strip_suffix("/a").unwrap_or(name) } else { name };
            into.insert(name.to_owned());
        }
    }
}

/// The file, or `None` when no policy needs it (the operator then writes none).
pub fn render(resolver: &Resolver) -> Option<String> {
    let scopes = attachment_scopes(resolver);
    if scopes.is_empty() {
        return None;
    }
    let mut text = String::from("docker:\n");
    for scope in scopes {
        // A key starting with `*` would be a YAML alias.
        let key = if scope.starts_with('*') { format!("'{scope}'") } else { scope };
        text.push_str(&format!("  {key}:\n    use-sigstore-attachments: true\n"));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::mirror::RegistriesConfig;

    /// machine-config-operator `TestGenerateSigstoreRegistriesConfig`, on our own rules: the
    /// policy scopes, their mirrors, a nested scope's mirrors, and a wildcard's mirrors without
    /// the wildcard's own made-up host.
    #[test]
    fn policy_scopes_and_their_mirrors_get_attachments() {
        let catalog = Catalog::from_yaml(
            r#"
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata: {name: d}
spec:
  imageDigestMirrors:
  - {source: registry.example.com/apps, mirrors: [mirror.example.com/apps]}
  - {source: registry.example.com/apps/nested, mirrors: [nested-mirror.example.com/x]}
  - {source: "*.wild.example.org", mirrors: [wild-mirror.example.com]}
---
apiVersion: config.openshift.io/v1
kind: ImageTagMirrorSet
metadata: {name: t}
spec:
  imageTagMirrors:
  - {source: registry.example.com/apps, mirrors: [tag-mirror.example.com/apps]}
---
apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata: {name: p}
spec:
  scopes: [registry.example.com/apps, "*.wild.example.org", quay.io/unmirrored]
  policy: {rootOfTrust: {policyType: PublicKey, publicKey: {keyData: a2V5}}}
"#,
        );
        let resolver = Resolver::new(RegistriesConfig::from_catalog(&catalog));
        let scopes: Vec<String> = attachment_scopes(&resolver).into_iter().collect();
        assert_eq!(
            scopes,
            [
                "*.wild.example.org",
                "mirror.example.com/apps",
                "nested-mirror.example.com/x",
                "quay.io/unmirrored",
                "registry.example.com/apps",
                "registry.example.com/apps/nested",
                "tag-mirror.example.com/apps",
                "wild-mirror.example.com"
            ]
        );
        let text = render(&resolver).unwrap();
        assert!(text.starts_with("docker:\n  '*.wild.example.org':\n    use-sigstore-attachments: true\n"), "{text}");
        let none = Resolver::new(RegistriesConfig::from_catalog(&Catalog::from_yaml("")));
        assert_eq!(render(&none), None);
    }
}
