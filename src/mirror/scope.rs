//! Registry scopes: `host[:port][/path]` or `*.host`, how they nest, and whether they are valid
//! (docs/semantics.md §3 "nested", §4 validation, §5 matching).

use crate::reference::{valid_component, valid_domain};

/// Whether `sub` lies inside `sup` (runtime-utils `ScopeIsNestedInsideScope`): equal; or longer
/// and continuing with `/`; or, for a `*.example.com` super-scope, a host part that ends with
/// `.example.com` (checking the part before a `:` port, and not matching inside a path).
pub(crate) fn is_nested(sub: &str, sup: &str) -> bool {
    if sub == sup {
        return true;
    }
    if sub.len() > sup.len() && sub.starts_with(sup) && sub.as_bytes()[sup.len()] == b'/' {
        return true;
    }
    let Some(domain_suffix) = sup.strip_prefix('*') else { return false };
    if let Some((host, _)) = sub.split_once(':') {
        host.ends_with(domain_suffix) && !host.contains('/')
    } else {
        sub.split('/').next().unwrap_or_default().ends_with(domain_suffix)
    }
}

/// Whether `scope` is a valid mirror source: `*.host` (no port, no path), or `host[:port]`
/// optionally followed by repository path components (the IDMS CRD pattern MCO applies to ICSPs
/// too, docs/semantics.md §4).
pub(crate) fn is_valid_source(scope: &str) -> bool {
    match scope.strip_prefix("*.") {
        Some(host) => !host.is_empty() && !host.contains([':', '/', '@', '*']) && valid_domain(host),
        None => is_valid_mirror(scope),
    }
}

/// Whether `scope` is a valid mirror location: `host[:port][/path]`, no wildcard, tag or digest.
pub(crate) fn is_valid_mirror(scope: &str) -> bool {
    if scope.contains(['@', '*']) {
        return false;
    }
    let (domain, path) = match scope.split_once('/') {
        Some((d, p)) => (d, Some(p)),
        None => (scope, None),
    };
    valid_domain(domain) && path.is_none_or(|p| p.split('/').all(valid_component))
}

/// runtime-utils `IsValidRegistriesConfScope`, which MCO applies to the image config's insecure,
/// blocked and allowed registries: not empty; and a scope with a `*` must be `*.` followed by a
/// host without `/`, `@`, `:` or another `*` (anything without `*` passes).
pub(crate) fn is_valid_registries_conf_scope(scope: &str) -> bool {
    if scope.is_empty() {
        return false;
    }
    if !scope.contains('*') {
        return true;
    }
    scope.strip_prefix("*.").is_some_and(|host| !host.contains(['/', '@', ':', '*']))
}

/// containers/image `refMatchingPrefix`: `name` equals `prefix`, or continues after it with
/// `/`, `:` or `@`.
pub(crate) fn matches_prefix(name: &str, prefix: &str) -> bool {
    name.starts_with(prefix) && matches!(name.as_bytes().get(prefix.len()), None | Some(b'/' | b':' | b'@'))
}

/// containers/image `refMatchingSubdomainPrefix` for `*.example.com`: the first occurrence of
/// `.example.com` in `name`, with no `/` before it, followed by the end, `:`, `/` or `@`.
/// Returns the length of `name` the wildcard covers.
pub(crate) fn wildcard_match_len(name: &str, wildcard: &str) -> Option<usize> {
    let suffix = wildcard.strip_prefix('*')?;
    let index = name.find(suffix)?;
    if name[..index].contains('/') {
        return None;
    }
    let end = index + suffix.len();
    matches!(name.as_bytes().get(end), None | Some(b':' | b'/' | b'@')).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_like_runtime_utils() {
        assert!(is_nested("quay.io", "quay.io"));
        assert!(is_nested("quay.io/foo/bar", "quay.io"));
        assert!(!is_nested("quay.io:443", "quay.io"));
        assert!(!is_nested("quay.io-x/a", "quay.io"));
        assert!(!is_nested("quay.io", "example.com"));
        assert!(is_nested("foo.example.com/a", "*.example.com"));
        assert!(is_nested("*.foo.example.com", "*.example.com"));
        assert!(is_nested("foo.example.com:5000/a", "*.example.com"));
        assert!(!is_nested("quay/bar.example.com", "*.example.com"));
        assert!(!is_nested("example.com", "*.example.com"));
    }

    #[test]
    fn scope_validation() {
        for ok in ["quay.io", "quay.io/a/b", "registry.example.com:5000/ns", "*.example.com", "localhost/x"] {
            assert!(is_valid_source(ok), "{ok}");
        }
        for bad in
            ["", "*.example.com:5000", "*.example.com/x", "quay.io/A", "quay.io/a@sha256:x", "foo*.com", "quay.io/a/"]
        {
            assert!(!is_valid_source(bad), "{bad}");
        }
        assert!(!is_valid_mirror("*.example.com"));
    }

    #[test]
    fn registries_conf_scopes_like_runtime_utils() {
        for ok in ["quay.io", "example.com:5000", "example.com/ns/repo", "*.example.com", "localhost", "Example.COM"] {
            assert!(is_valid_registries_conf_scope(ok), "{ok}");
        }
        for bad in ["", "*.example.com/foo/bar", "**.example.com", "example.*.com", "*example.com", "*.a:5000"] {
            assert!(!is_valid_registries_conf_scope(bad), "{bad:?}");
        }
    }

    #[test]
    fn prefix_boundaries() {
        assert!(matches_prefix("quay.io/ns/app", "quay.io/ns/app"));
        assert!(matches_prefix("quay.io/ns/app/x", "quay.io/ns/app"));
        assert!(!matches_prefix("quay.io/ns/app-nightly", "quay.io/ns/app"));
        // The documented quirk: a host prefix matches the same host with a port.
        assert!(matches_prefix("registry.example.com:5000/app", "registry.example.com"));
    }

    #[test]
    fn wildcard_rules() {
        assert_eq!(wildcard_match_len("foo.example.com/team/app", "*.example.com"), Some(15));
        assert_eq!(wildcard_match_len("a.b.example.com/app", "*.example.com"), Some(15));
        assert_eq!(wildcard_match_len("example.com/team/app", "*.example.com"), None);
        assert_eq!(wildcard_match_len("fooexample.com/app", "*.example.com"), None);
        assert_eq!(wildcard_match_len("quay.io/x.example.com", "*.example.com"), None);
        assert_eq!(wildcard_match_len("foo.example.com:5000/app", "*.example.com"), Some(15));
    }
}
