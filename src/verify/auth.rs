//! Registry credentials from an auth file in the containers-auth.json format (the pull secret's
//! format): found the way podman and CRI-O's tools find it, and matched per registry and
//! namespace, the most specific key first (containers/image `pkg/docker/config`). Credentials
//! only ever travel in request headers: nothing here prints them, and `Debug` hides them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;

/// A user name and password (or token) for one registry scope.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// User name.
    pub(crate) username: String,
    /// Password or token.
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(<hidden>)")
    }
}

impl Credentials {
    /// The `Authorization: Basic` value.
    pub fn basic(&self) -> String {
        let pair = format!("{}:{}", self.username, self.password);
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
    }
}

/// Where the auth file comes from, in the order it is looked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthLookup {
    /// `--registry-config`.
    pub flag: Option<PathBuf>,
    /// `REGISTRY_AUTH_FILE`.
    pub env_file: Option<PathBuf>,
    /// `XDG_RUNTIME_DIR`.
    pub runtime_dir: Option<PathBuf>,
    /// `HOME`.
    pub home: Option<PathBuf>,
}

impl AuthLookup {
    /// The file to read: `--registry-config`, else `REGISTRY_AUTH_FILE`, else the first that
    /// exists of `$XDG_RUNTIME_DIR/containers/auth.json`, `~/.config/containers/auth.json` and
    /// `~/.docker/config.json`. A file named by the flag or the variable must exist.
    pub fn path(&self, exists: impl Fn(&Path) -> bool) -> Option<(PathBuf, bool)> {
        if let Some(path) = self.flag.clone().or(self.env_file.clone()) {
            return Some((path, true));
        }
        let defaults = [
            self.runtime_dir.as_ref().map(|d| d.join("containers/auth.json")),
            self.home.as_ref().map(|h| h.join(".config/containers/auth.json")),
            self.home.as_ref().map(|h| h.join(".docker/config.json")),
        ];
        defaults.into_iter().flatten().find(|p| exists(p)).map(|p| (p, false))
    }
}

/// The credentials of an auth file, by key (`registry`, `registry/namespace`, ...).
#[derive(Debug, Default)]
pub struct AuthFile {
    entries: BTreeMap<String, Credentials>,
}

#[derive(Deserialize)]
struct FileShape {
    #[serde(default)]
    auths: BTreeMap<String, EntryShape>,
}

/// One entry: only `auth` counts, as for containers/image (which ignores `username` and
/// `password` fields: a node given this file would not use them).
#[derive(Deserialize)]
struct EntryShape {
    #[serde(default)]
    auth: Option<String>,
}

impl AuthFile {
    /// Parses an auth file's text. Errors never quote the file (it holds secrets).
    pub fn parse(text: &str) -> Result<AuthFile, String> {
        let shape: FileShape = serde_json::from_str(text)
            .map_err(|e| format!("not a containers-auth.json file (line {}, column {})", e.line(), e.column()))?;
        let mut entries = BTreeMap::new();
        let mut url_keyed = Vec::new();
        for (key, entry) in shape.auths {
            let credentials = match &entry.auth {
                Some(auth) if !auth.is_empty() => {
                    let decoded = base64::engine::general_purpose::STANDARD
                        .decode(auth.trim())
                        .map_err(|_| format!("the \"auth\" of {key:?} is not base64"))?;
                    let text =
                        String::from_utf8(decoded).map_err(|_| format!("the \"auth\" of {key:?} is not text"))?;
                    let (username, password) =
                        text.split_once(':').ok_or_else(|| format!("the \"auth\" of {key:?} is not user:password"))?;
                    Credentials { username: username.to_owned(), password: password.to_owned() }
                }
                _ => continue,
            };
            // Exact keys first; keys in URL form (`https://quay.io`) only where no exact key
            // names the same registry, as containers/image looks them up.
            match normalize_key(&key) {
                normalized if normalized == key => {
                    entries.insert(key, credentials);
                }
                normalized => url_keyed.push((normalized, credentials)),
            }
        }
        for (key, credentials) in url_keyed {
            entries.entry(key).or_insert(credentials);
        }
        Ok(AuthFile { entries })
    }

    /// The credentials for a repository: the key naming the longest prefix of
    /// `registry/repository` at a `/` boundary, else the registry's.
    pub fn lookup(&self, registry: &str, repository: &str) -> Option<&Credentials> {
        let full = format!("{registry}/{repository}");
        let mut candidate = full.as_str();
        loop {
            if let Some(found) = self.entries.get(candidate) {
                return Some(found);
            }
            candidate = &candidate[..candidate.rfind('/')?];
        }
    }
}

/// Keys as Docker writes them (`https://index.docker.io/v1/`, `https://quay.io`) mean the
/// registry.
fn normalize_key(key: &str) -> String {
    let key = key.strip_prefix("https://").or_else(|| key.strip_prefix("http://")).unwrap_or(key);
    let key = key.trim_end_matches('/');
    match key {
        "index.docker.io/v1" | "index.docker.io" | "registry-1.docker.io" => "docker.io".to_owned(),
        other if key.ends_with("/v1") || key.ends_with("/v2") => other[..other.len() - 3].to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_key_wins_and_nothing_is_shown() {
        let auth = |pair: &str| base64::engine::general_purpose::STANDARD.encode(pair);
        let text = format!(
            r#"{{"auths":{{"quay.io":{{"auth":"{}"}},"quay.io/org":{{"auth":"{}"}},"https://index.docker.io/v1/":{{"auth":"{}"}}}}}}"#,
            auth("any:1"),
            auth("org:2"),
            auth("hub:3")
        );
        let file = AuthFile::parse(&text).unwrap();
        assert_eq!(file.lookup("quay.io", "org/app").unwrap().username, "org");
        assert_eq!(file.lookup("quay.io", "other/app").unwrap().username, "any");
        assert_eq!(file.lookup("docker.io", "library/busybox").unwrap().username, "hub");
        assert!(file.lookup("registry.redhat.io", "ubi9/ubi").is_none());
        assert_eq!(format!("{:?}", file.lookup("quay.io", "x")), "Some(Credentials(<hidden>))");
        // An exact key wins over the same registry in URL form, whatever the order.
        let both = format!(
            r#"{{"auths":{{"https://quay.io":{{"auth":"{}"}},"quay.io":{{"auth":"{}"}},"https://ghcr.io":{{"auth":"{}"}},"ghcr.io":{{"auth":"{}"}},"plain.io":{{"username":"u","password":"p"}}}}}}"#,
            auth("url:1"),
            auth("exact:2"),
            auth("url:3"),
            auth("exact:4")
        );
        let file = AuthFile::parse(&both).unwrap();
        assert_eq!(file.lookup("quay.io", "a/b").unwrap().username, "exact");
        assert_eq!(file.lookup("ghcr.io", "a/b").unwrap().username, "exact");
        assert!(file.lookup("plain.io", "a/b").is_none(), "containers/image reads only auth");
        let broken = AuthFile::parse(r#"{"auths":{"q":{"auth":"!!"}}, "secret": "#).unwrap_err();
        assert!(!broken.contains("secret") && !broken.contains("!!"), "{broken}");
    }

    #[test]
    fn the_file_is_found_in_containers_order() {
        let lookup = AuthLookup {
            flag: None,
            env_file: None,
            runtime_dir: Some("/run/user/1".into()),
            home: Some("/home/u".into()),
        };
        let found = lookup.path(|p| p.ends_with(".docker/config.json"));
        assert_eq!(found, Some((PathBuf::from("/home/u/.docker/config.json"), false)));
        let found = lookup.path(|_| true);
        assert_eq!(found, Some((PathBuf::from("/run/user/1/containers/auth.json"), false)));
        let named = AuthLookup { env_file: Some("/x.json".into()), ..lookup.clone() };
        assert_eq!(named.path(|_| false), Some((PathBuf::from("/x.json"), true)));
        assert_eq!(AuthLookup::default().path(|_| true), None);
    }
}
