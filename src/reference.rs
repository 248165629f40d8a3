//! Image references: the distribution/reference grammar with Docker Hub normalisation
//! (docs/semantics.md §8). Pure; used for mirror matching and pull specs.
//!
//! `name [":" tag] ["@" digest]`, where `name` is `[domain "/"] path`. A first path segment is a
//! domain only if it is `localhost` or holds a `.` or `:` (rule 2); Docker Hub names get
//! `docker.io` and, for one-segment paths, `library/` (rule 3). isctl follows the copy of the
//! grammar that nodes use (containers/image's): the newer distribution/reference rules that also
//! take an uppercase first segment for a domain, or accept bracketed IPv6 hosts, would accept
//! references a node refuses.

use std::fmt;

/// Longest repository name (domain and path) containers/image accepts.
pub(crate) const NAME_TOTAL_LENGTH_MAX: usize = 255;

/// Why a string is not an image reference. The wording follows distribution/reference.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReferenceError {
    /// The string is empty.
    #[error("repository name must have at least one component")]
    Empty,
    /// A 64-hex string was given where a name was expected.
    #[error("invalid repository name ({0}), cannot specify 64-byte hexadecimal strings")]
    Identifier(String),
    /// The path holds uppercase letters.
    #[error("repository name must be lowercase")]
    Uppercase,
    /// Domain and path are longer than `NAME_TOTAL_LENGTH_MAX` (255).
    #[error("repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters")]
    NameTooLong,
    /// The domain is not `host[:port]`.
    #[error("invalid domain {0:?}")]
    Domain(String),
    /// A path component breaks the grammar.
    #[error("invalid reference format: repository path {0:?}")]
    Path(String),
    /// The tag breaks `[\w][\w.-]{{0,127}}`.
    #[error("invalid tag {0:?}")]
    Tag(String),
    /// The digest is malformed or of an unknown algorithm.
    #[error("invalid digest {0:?}")]
    Digest(String),
}

/// A parsed, normalised image reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reference {
    /// Registry host with optional port, `docker.io` when none was written.
    pub(crate) domain: String,
    /// Repository path, `library/x` for Docker Hub official images.
    pub path: String,
    /// Tag, if written.
    pub tag: Option<String>,
    /// Digest (`algorithm:hex`), if written.
    pub digest: Option<String>,
}

impl Reference {
    /// Parses and normalises like distribution's `ParseNormalizedNamed`
    /// (`python@sha256:...` becomes `docker.io/library/python@sha256:...`).
    pub fn parse_normalized(input: &str) -> Result<Reference, ReferenceError> {
        if input.is_empty() {
            return Err(ReferenceError::Empty);
        }
        if input.len() == 64 && input.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
            return Err(ReferenceError::Identifier(input.to_owned()));
        }
        let (name_and_tag, digest) = match input.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (input, None),
        };
        let last_slash = name_and_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_and_tag[last_slash..].rfind(':') {
            Some(i) => (&name_and_tag[..last_slash + i], Some(&name_and_tag[last_slash + i + 1..])),
            None => (name_and_tag, None),
        };
        let (mut domain, mut path) = split_domain(name);
        if domain == "index.docker.io" {
            domain = "docker.io".into();
        }
        if domain == "docker.io" && !path.contains('/') {
            path = format!("library/{path}");
        }
        if path.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(ReferenceError::Uppercase);
        }
        if !valid_domain(&domain) {
            return Err(ReferenceError::Domain(domain));
        }
        if !path.split('/').all(valid_component) {
            return Err(ReferenceError::Path(path));
        }
        if domain.len() + 1 + path.len() > NAME_TOTAL_LENGTH_MAX {
            return Err(ReferenceError::NameTooLong);
        }
        if let Some(tag) = tag.filter(|t| !valid_tag(t)) {
            return Err(ReferenceError::Tag(tag.to_owned()));
        }
        if let Some(digest) = digest.filter(|d| !valid_digest(d)) {
            return Err(ReferenceError::Digest(digest.to_owned()));
        }
        Ok(Reference { domain, path, tag: tag.map(str::to_owned), digest: digest.map(str::to_owned) })
    }

    /// The repository name without tag or digest (`domain/path`): the key mirror rules match.
    pub fn name(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// True when the reference pins a digest (a digest pull, even with a tag beside it).
    pub(crate) fn is_digested(&self) -> bool {
        self.digest.is_some()
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.domain, self.path)?;
        if let Some(tag) = &self.tag {
            write!(f, ":{tag}")?;
        }
        if let Some(digest) = &self.digest {
            write!(f, "@{digest}")?;
        }
        Ok(())
    }
}

/// `splitDockerDomain` as containers/image has it: the first segment is a domain when it is
/// `localhost` or holds `.` or `:`.
fn split_domain(name: &str) -> (String, String) {
    match name.split_once('/') {
        Some((first, rest)) if first == "localhost" || first.contains(['.', ':']) => {
            (first.to_owned(), rest.to_owned())
        }
        _ => ("docker.io".to_owned(), name.to_owned()),
    }
}

/// `host[:port]` with DNS-ish labels (no bracketed IPv6 literals: containers/image's grammar has
/// none).
pub(crate) fn valid_domain(domain: &str) -> bool {
    let (host, port) = match domain.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (domain, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    !host.is_empty()
        && host.split('.').all(|label| {
            let bytes = label.as_bytes();
            !bytes.is_empty()
                && bytes[0].is_ascii_alphanumeric()
                && bytes[bytes.len() - 1].is_ascii_alphanumeric()
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        })
}

/// `[a-z0-9]+` runs joined by `.`, `_`, `__` or one or more `-`.
pub(crate) fn valid_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &component[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `[\w][\w.-]{0,127}`.
fn valid_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes.iter().all(|b| word(*b) || *b == b'.' || *b == b'-')
}

/// `algorithm:hex` where registered algorithms need exact lowercase hex lengths (go-digest).
pub(crate) fn valid_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else { return false };
    let lower_hex = |h: &str| h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    match algorithm {
        "sha256" => hex.len() == 64 && lower_hex(hex),
        "sha384" => hex.len() == 96 && lower_hex(hex),
        "sha512" => hex.len() == 128 && lower_hex(hex),
        _ => false,
    }
}

/// The digest a reference or an `imageID` names: `repo@sha256:…`, `docker-pullable://repo@…`,
/// or a bare `sha256:…`.
pub(crate) fn digest_of(reference: &str) -> Option<String> {
    let reference = reference.trim();
    let reference = reference.split_once("://").map_or(reference, |(_, rest)| rest);
    let digest = reference.rsplit_once('@').map_or(reference, |(_, digest)| digest);
    let (algorithm, hex) = digest.split_once(':')?;
    let length = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        _ => return None,
    };
    let valid = hex.len() == length && hex.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    valid.then(|| digest.to_owned())
}

/// What a pull spec names in an image stream, as oc's image pruner reads it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum StreamPull {
    /// `namespace/stream:tag` (no tag written is `latest`).
    Tag(String),
    /// `namespace/stream@digest`.
    Image(String),
}

/// The stream image a pull spec names, as oc's pruner reads it (openshift/oc
/// `pkg/cli/admin/prune/imageprune` `analyzeImageReference`): a written registry host (ignored:
/// the integrated registry answers to several names), then exactly a namespace and a name. A
/// spec that does not parse is an error; one of another shape names no stream.
pub(crate) fn stream_pull(spec: &str) -> Result<Option<StreamPull>, ReferenceError> {
    let parsed = Reference::parse_normalized(spec)?;
    let Some((host, rest)) = spec.split_once('/') else { return Ok(None) };
    if !(host == "localhost" || host.contains(['.', ':'])) {
        return Ok(None);
    }
    let Some((namespace, name)) = rest.split_once('/') else { return Ok(None) };
    let name = name.split(['@', ':']).next().unwrap_or_default();
    if name.contains('/') || namespace.is_empty() {
        return Ok(None);
    }
    Ok(Some(match parsed.digest {
        Some(digest) => StreamPull::Image(format!("{namespace}/{name}@{digest}")),
        None => StreamPull::Tag(format!("{namespace}/{name}:{}", parsed.tag.as_deref().unwrap_or("latest"))),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn parts(input: &str) -> (String, String, Option<String>, Option<String>) {
        let r = Reference::parse_normalized(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        (r.domain, r.path, r.tag, r.digest)
    }

    #[test]
    fn section_5_examples() {
        assert_eq!(parts("ubuntu"), ("docker.io".into(), "library/ubuntu".into(), None, None));
        assert_eq!(parts("myuser/app:1"), ("docker.io".into(), "myuser/app".into(), Some("1".into()), None));
        let d = format!("sha256:{HEX}");
        assert_eq!(
            parts(&format!("localhost:5000/ns/app@{d}")),
            ("localhost:5000".into(), "ns/app".into(), None, Some(d.clone()))
        );
        assert_eq!(
            parts(&format!("registry.example.com:8443/a/b/c:v1@{d}")),
            ("registry.example.com:8443".into(), "a/b/c".into(), Some("v1".into()), Some(d.clone()))
        );
        assert_eq!(Reference::parse_normalized("quay.io/Org/app"), Err(ReferenceError::Uppercase));
    }

    #[test]
    fn docker_hub_normalisation() {
        let d = format!("sha256:{HEX}");
        assert_eq!(
            Reference::parse_normalized(&format!("python@{d}")).unwrap().to_string(),
            format!("docker.io/library/python@{d}")
        );
        assert_eq!(Reference::parse_normalized("index.docker.io/alpine").unwrap().name(), "docker.io/library/alpine");
        assert_eq!(Reference::parse_normalized("docker.io/alpine").unwrap().name(), "docker.io/library/alpine");
        // registry-1.docker.io is not normalised.
        assert_eq!(
            Reference::parse_normalized("registry-1.docker.io/alpine").unwrap().name(),
            "registry-1.docker.io/alpine"
        );
        // A lone host-like word is a Docker Hub name (rule 1).
        assert_eq!(Reference::parse_normalized("localhost").unwrap().name(), "docker.io/library/localhost");
        assert_eq!(Reference::parse_normalized("localhost/app").unwrap().domain, "localhost");
        // A first segment without '.', ':' or uppercase is a path.
        assert_eq!(Reference::parse_normalized("openshift/cli:latest").unwrap().name(), "docker.io/openshift/cli");
        // Nodes' grammar does not take an uppercase first segment for a domain: it is a path.
        assert_eq!(Reference::parse_normalized("Registry/app"), Err(ReferenceError::Uppercase));
    }

    #[test]
    fn ports_tags_and_ipv6() {
        let r = Reference::parse_normalized("registry.example.com:5000/app").unwrap();
        assert_eq!((r.domain.as_str(), r.tag), ("registry.example.com:5000", None));
        // No bracketed IPv6 hosts in containers/image's grammar.
        assert!(Reference::parse_normalized("[::1]:5000/app:v2").is_err());
        assert!(Reference::parse_normalized(&format!("quay.io/a/b:tag@sha256:{HEX}")).unwrap().is_digested());
    }

    #[test]
    fn invalid_references() {
        use ReferenceError as E;
        assert_eq!(Reference::parse_normalized(""), Err(E::Empty));
        assert!(matches!(Reference::parse_normalized(HEX), Err(E::Identifier(_))));
        assert!(matches!(Reference::parse_normalized("quay.io/a//b"), Err(E::Path(_))));
        assert!(matches!(Reference::parse_normalized("quay.io/-a"), Err(E::Path(_))));
        assert!(matches!(Reference::parse_normalized("quay.io/a:"), Err(E::Tag(_))));
        assert!(matches!(Reference::parse_normalized("quay.io/a:-x"), Err(E::Tag(_))));
        assert!(matches!(Reference::parse_normalized(&format!("quay.io/a:{}", "t".repeat(129))), Err(E::Tag(_))));
        assert!(matches!(Reference::parse_normalized("quay.io/a@sha256:abc"), Err(E::Digest(_))));
        assert!(matches!(
            Reference::parse_normalized(&format!("quay.io/a@sha256:{}", HEX.to_uppercase())),
            Err(E::Digest(_))
        ));
        assert!(matches!(Reference::parse_normalized(&format!("quay.io/a@md5:{HEX}")), Err(E::Digest(_))));
        assert!(matches!(Reference::parse_normalized("bad_host.io:x/a"), Err(E::Domain(_))));
        assert!(matches!(Reference::parse_normalized("-bad.io/a"), Err(E::Domain(_))));
        assert_eq!(Reference::parse_normalized(&format!("quay.io/{}", "a".repeat(250))), Err(E::NameTooLong));
        // The port quirk of docs/semantics.md §5: a rewritten reference with a port inside the path.
        assert!(matches!(
            Reference::parse_normalized(&format!("mirror.local/r:5000/app@sha256:{HEX}")),
            Err(E::Path(_))
        ));
    }

    #[test]
    fn component_separators() {
        for ok in ["a", "a.b", "a_b", "a__b", "a-b", "a---b", "a1.b2_c3"] {
            assert!(valid_component(ok), "{ok}");
        }
        for bad in ["", "a.", "_a", "a..b", "a___b", "a.-b", "A"] {
            assert!(!valid_component(bad), "{bad}");
        }
    }
}
