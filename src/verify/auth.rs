//! Registry credentials from auth files in the containers-auth.json format (the pull secret's
//! format): searched file by file as podman and CRI-O's tools search them, and matched per
//! registry and namespace, the most specific key first (containers/image `pkg/docker/config`).
//! Credentials only ever travel in request headers: nothing here prints them, and `Debug`
//! hides them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;

/// A user name and password (or token) for one registry scope, and the identity token (an
/// OAuth2 refresh token) `docker login` may have stored beside them.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// User name.
    pub(crate) username: String,
    /// Password or token.
    pub password: String,
    /// `identitytoken`: when set, a Bearer token is asked for with it (containers/image
    /// `getBearerTokenOAuth2`), not with the user name and password.
    pub(crate) identity_token: Option<String>,
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

/// Where the auth files come from: the flag and the variables containers/image reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthLookup {
    /// `--registry-config`.
    pub flag: Option<PathBuf>,
    /// `REGISTRY_AUTH_FILE`.
    pub env_file: Option<PathBuf>,
    /// `XDG_RUNTIME_DIR`.
    pub runtime_dir: Option<PathBuf>,
    /// `XDG_CONFIG_HOME`.
    pub config_home: Option<PathBuf>,
    /// `DOCKER_CONFIG`.
    pub docker_config: Option<PathBuf>,
    /// `HOME`.
    pub home: Option<PathBuf>,
    /// The user's id, for `/run/containers/UID/auth.json` when `XDG_RUNTIME_DIR` is not set.
    pub uid: Option<u32>,
}

/// One auth file to search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthPath {
    /// Where it is.
    pub path: PathBuf,
    /// `~/.dockercfg`: the entries at the top level, keyed by registry only.
    pub legacy: bool,
}

/// The auth files to search, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthSearch {
    /// The files; a missing one is passed over, unless it was named.
    pub files: Vec<AuthPath>,
    /// Whether the one file was named (`--registry-config`, `REGISTRY_AUTH_FILE`): it must exist.
    pub named: bool,
    /// What the search had to leave out (a `XDG_RUNTIME_DIR` that does not exist).
    pub warning: Option<String>,
}

impl AuthLookup {
    /// The files containers/image searches (`pkg/docker/config` `getAuthFilePaths`): a named
    /// file alone; else `$XDG_RUNTIME_DIR/containers/auth.json` (`/run/containers/UID/auth.json`
    /// without the variable), `${XDG_CONFIG_HOME:-~/.config}/containers/auth.json`,
    /// `$DOCKER_CONFIG/config.json` (else `~/.docker/config.json`) and the legacy
    /// `~/.dockercfg`. A `XDG_RUNTIME_DIR` that is not a directory is left out with a warning,
    /// as containers/image does.
    pub fn search(&self, is_dir: impl Fn(&Path) -> bool) -> AuthSearch {
        let file = |path: PathBuf| AuthPath { path, legacy: false };
        if let Some(path) = self.flag.clone().or(self.env_file.clone()) {
            return AuthSearch { files: vec![file(path)], named: true, warning: None };
        }
        let mut files = Vec::new();
        let mut warning = None;
        match (&self.runtime_dir, self.uid) {
            (Some(dir), _) if !is_dir(dir) => {
                warning = Some(format!(
                    "{:?} set by $XDG_RUNTIME_DIR does not exist; the auth files after it are searched",
                    dir.display().to_string()
                ));
            }
            (Some(dir), _) => files.push(file(dir.join("containers/auth.json"))),
            (None, Some(uid)) => files.push(file(PathBuf::from(format!("/run/containers/{uid}/auth.json")))),
            (None, None) => {}
        }
        let config_home = self.config_home.clone().or_else(|| self.home.as_ref().map(|h| h.join(".config")));
        files.extend(config_home.map(|c| file(c.join("containers/auth.json"))));
        let docker = self.docker_config.clone().or_else(|| self.home.as_ref().map(|h| h.join(".docker")));
        files.extend(docker.map(|d| file(d.join("config.json"))));
        files.extend(self.home.as_ref().map(|h| AuthPath { path: h.join(".dockercfg"), legacy: true }));
        AuthSearch { files, named: false, warning }
    }
}

/// One entry of an auth file, decoded.
#[derive(Clone, Debug)]
enum Entry {
    /// `auth` holds `user:password`.
    Credentials(Credentials),
    /// No usable `auth` (`{}` is what docker writes for a credential helper): it ends the
    /// search in its file, and the next file is searched.
    Empty,
    /// `auth` is not base64: looking it up is an error, as for containers/image.
    NotBase64,
}

/// The entries of one auth file (containers-auth.json, Docker's config.json, or the legacy
/// `.dockercfg`).
#[derive(Debug, Default)]
pub struct AuthFile {
    entries: BTreeMap<String, Entry>,
    legacy: bool,
}

#[derive(Deserialize)]
struct FileShape {
    #[serde(default)]
    auths: BTreeMap<String, EntryShape>,
}

/// One entry as written. `username` and `password` fields are ignored, as containers/image
/// ignores them: a node given this file would not use them.
#[derive(Deserialize)]
struct EntryShape {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
}

impl AuthFile {
    /// Parses an auth file's text (`legacy`: the `.dockercfg` form, entries at the top level).
    /// Errors never quote the file (it holds secrets).
    pub fn parse(text: &str, legacy: bool) -> Result<AuthFile, String> {
        let broken = |e: serde_json::Error| {
            format!("not a containers-auth.json file (line {}, column {})", e.line(), e.column())
        };
        let shapes: BTreeMap<String, EntryShape> = match legacy {
            true => serde_json::from_str(text).map_err(broken)?,
            false => serde_json::from_str::<FileShape>(text).map_err(broken)?.auths,
        };
        let entries = shapes.into_iter().map(|(key, shape)| (key, Entry::decode(shape))).collect();
        Ok(AuthFile { entries, legacy })
    }

    /// The entry for `key` (`registry/namespace/...`) of `registry`, as containers/image's
    /// `findCredentialsInFile` finds it: the key and then each parent, exactly (the registry
    /// alone in a legacy file); else the first key (in key order) that names the registry once
    /// normalised (a URL key with any path counts for its host; `docker.io`,
    /// `index.docker.io` and `registry-1.docker.io` are one registry).
    fn find(&self, key: &str, registry: &str) -> Option<&Entry> {
        let mut candidate = if self.legacy { registry } else { key };
        loop {
            if let Some(entry) = self.entries.get(candidate) {
                return Some(entry);
            }
            match candidate.rfind('/') {
                Some(at) if !self.legacy => candidate = &candidate[..at],
                _ => break,
            }
        }
        let registry = normalize_registry(registry);
        self.entries.iter().find(|(k, _)| normalize_key(k, self.legacy) == registry).map(|(_, entry)| entry)
    }
}

impl Entry {
    /// containers/image `decodeDockerAuth`: base64 (Go's decoder skips line breaks), then
    /// `user:password`; without a `:` the entry is empty. NULs end the password.
    fn decode(shape: EntryShape) -> Entry {
        let auth: String = shape.auth.unwrap_or_default().chars().filter(|c| !matches!(c, '\r' | '\n')).collect();
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(auth) else { return Entry::NotBase64 };
        let text = String::from_utf8_lossy(&decoded);
        let Some((username, password)) = text.split_once(':') else { return Entry::Empty };
        Entry::Credentials(Credentials {
            username: username.to_owned(),
            password: password.trim_matches('\0').to_owned(),
            identity_token: shape.identitytoken.filter(|t| !t.is_empty()),
        })
    }
}

/// The auth files searched for credentials, in order, each with the name errors give it.
#[derive(Debug, Default)]
pub struct AuthFiles {
    files: Vec<(String, AuthFile)>,
}

impl AuthFiles {
    /// Adds the next file to search.
    pub fn push(&mut self, name: String, file: AuthFile) {
        self.files.push((name, file));
    }

    /// The credentials for a repository of `registry`: the first file with a usable entry for
    /// it wins (containers/image `getCredentialsFromAuthFiles`); an empty entry passes on to
    /// the next file. An entry that is not base64 is an error naming its file and key.
    pub fn lookup(&self, registry: &str, repository: &str) -> Result<Option<&Credentials>, String> {
        let key = format!("{registry}/{repository}");
        for (name, file) in &self.files {
            match file.find(&key, registry) {
                Some(Entry::Credentials(credentials)) => return Ok(Some(credentials)),
                Some(Entry::NotBase64) => return Err(format!("{name}: an \"auth\" for {registry} is not base64")),
                Some(Entry::Empty) | None => {}
            }
        }
        Ok(None)
    }
}

/// containers/image `normalizeAuthFileKey`: a key written as a URL (or any key of a legacy
/// file) is its host; Docker Hub's names are one.
fn normalize_key(key: &str, legacy: bool) -> String {
    let stripped = key.strip_prefix("http://").or_else(|| key.strip_prefix("https://")).unwrap_or(key);
    let host = if legacy || stripped != key { stripped.split('/').next().unwrap_or_default() } else { stripped };
    normalize_registry(host).to_owned()
}

/// containers/image `normalizeRegistry`.
fn normalize_registry(registry: &str) -> &str {
    match registry {
        "registry-1.docker.io" | "docker.io" => "index.docker.io",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(pair: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(pair)
    }

    /// `{"auths": {KEY: {"auth": base64(PAIR)}}}` for each (key, pair); a pair of `{}` writes an
    /// empty entry.
    fn auths(entries: &[(&str, &str)]) -> String {
        let body: Vec<String> = entries
            .iter()
            .map(|(key, pair)| match *pair {
                "{}" => format!("{key:?}:{{}}"),
                pair => format!("{key:?}:{{\"auth\":{:?}}}", b64(pair)),
            })
            .collect();
        format!("{{\"auths\":{{{}}}}}", body.join(","))
    }

    fn files(texts: &[(&str, bool)]) -> AuthFiles {
        let mut files = AuthFiles::default();
        for (i, (text, legacy)) in texts.iter().enumerate() {
            files.push(format!("file{i}"), AuthFile::parse(text, *legacy).unwrap());
        }
        files
    }

    fn user(files: &AuthFiles, registry: &str, repository: &str) -> Option<String> {
        files.lookup(registry, repository).unwrap().map(|c| format!("{}:{}", c.username, c.password))
    }

    /// containers/image `TestGetAuth` "match ref image/repo/registry" cases over a file like its
    /// `refpath.json`: the repository, then each parent, exactly.
    #[test]
    fn the_most_specific_key_wins_and_nothing_is_shown() {
        let text = auths(&[
            ("example.org/repo", "repo:1"),
            ("example.org", "host:2"),
            ("docker.io/vendor", "vendor:3"),
            ("docker.io", "hub:4"),
            ("docker.io/library/busybox", "busybox:5"),
            ("docker.io/library", "library:6"),
        ]);
        let files = files(&[(&text, false)]);
        assert_eq!(user(&files, "example.org", "repo/image").as_deref(), Some("repo:1"));
        assert_eq!(user(&files, "example.org", "repo").as_deref(), Some("repo:1"));
        assert_eq!(user(&files, "example.org", "image").as_deref(), Some("host:2"));
        assert_eq!(user(&files, "docker.io", "vendor/image").as_deref(), Some("vendor:3"));
        assert_eq!(user(&files, "docker.io", "library/busybox").as_deref(), Some("busybox:5"));
        assert_eq!(user(&files, "docker.io", "library/other").as_deref(), Some("library:6"));
        assert_eq!(user(&files, "docker.io", "other/image").as_deref(), Some("hub:4"));
        assert_eq!(user(&files, "quay.io", "a/b"), None);
        assert_eq!(format!("{:?}", files.lookup("example.org", "x").unwrap()), "Some(Credentials(<hidden>))");
        let plain = files_of(r#"{"auths":{"plain.io":{"username":"u","password":"p"}}}"#);
        assert_eq!(user(&plain, "plain.io", "a/b"), None, "containers/image reads only auth");
        let broken = AuthFile::parse(r#"{"auths":{"q":{"auth":"x"}}, "secret": "#, false).unwrap_err();
        assert!(!broken.contains("secret"), "{broken}");
    }

    fn files_of(text: &str) -> AuthFiles {
        files(&[(text, false)])
    }

    /// containers/image `TestGetAuth` over `abnormal.json`: keys written as URLs (Docker's old
    /// form) count for their host, with any path, after every exact key was tried; Docker Hub's
    /// names are one registry.
    #[test]
    fn url_keys_count_for_their_host() {
        let text = auths(&[
            ("https://index.docker.io/v1/", "hub:1"),
            ("https://127.0.0.1:5000", "ip:2"),
            ("http://localhost", "local:3"),
            ("https://example.org/somewhere", "path:4"),
            ("localhost:5000", "exact:5"),
            ("https://localhost:5000", "url:6"),
        ]);
        let files = files_of(&text);
        assert_eq!(user(&files, "docker.io", "library/busybox").as_deref(), Some("hub:1"));
        assert_eq!(user(&files, "127.0.0.1:5000", "a/b").as_deref(), Some("ip:2"));
        assert_eq!(user(&files, "localhost", "a/b").as_deref(), Some("local:3"));
        assert_eq!(user(&files, "example.org", "any/repo").as_deref(), Some("path:4"), "a path counts for the host");
        assert_eq!(user(&files, "localhost:5000", "a").as_deref(), Some("exact:5"), "an exact key first");
    }

    /// containers/image `getCredentialsFromAuthFiles`: the files are searched in turn until one
    /// has a usable entry; an empty entry (`{}`, docker's mark for a credential helper) ends the
    /// search in its own file only (`decodeDockerAuth` returns nothing, and the caller moves on).
    #[test]
    fn files_are_searched_in_turn_and_an_empty_entry_passes_on() {
        let first = auths(&[("quay.io", "quay:1"), ("example.org/ns", "{}"), ("example.org", "host:2")]);
        let second = auths(&[("registry.redhat.io", "redhat:3"), ("example.org/ns", "second:4")]);
        let files = files(&[(&first, false), (&second, false)]);
        assert_eq!(user(&files, "quay.io", "a/b").as_deref(), Some("quay:1"));
        assert_eq!(user(&files, "registry.redhat.io", "ubi9/ubi").as_deref(), Some("redhat:3"), "the next file");
        assert_eq!(user(&files, "example.org", "ns/app").as_deref(), Some("second:4"), "not the first file's host key");
        assert_eq!(user(&files, "example.org", "other/app").as_deref(), Some("host:2"));
        // An entry whose `auth` is not base64 fails the lookup that reaches it, and only that.
        let bad = files_of(r#"{"auths":{"bad.io":{"auth":"!!"},"good.io":{"auth":"Z29vZDpvaw=="}}}"#);
        assert_eq!(bad.lookup("bad.io", "a").unwrap_err(), "file0: an \"auth\" for bad.io is not base64");
        assert_eq!(user(&bad, "good.io", "a").as_deref(), Some("good:ok"));
    }

    /// containers/image `TestGetAuth` "identity token" (`example_identitytoken.json`) and
    /// `TestGetAuthFromLegacyFile` / `TestGetAuthPreferNewConfig`.
    #[test]
    fn identity_tokens_and_the_legacy_file() {
        let token = format!(
            r#"{{"auths":{{"example.org":{{"auth":"{}","identitytoken":"a long refresh token"}}}}}}"#,
            b64("00000000-0000-0000-0000-000000000000:")
        );
        let with_token = files_of(&token);
        let found = with_token.lookup("example.org", "a/b").unwrap().unwrap();
        assert_eq!((found.username.as_str(), found.password.as_str()), ("00000000-0000-0000-0000-000000000000", ""));
        assert_eq!(found.identity_token.as_deref(), Some("a long refresh token"));
        // Without a usable `auth`, the identity token is not used either.
        let bare = files_of(r#"{"auths":{"example.org":{"identitytoken":"t"}}}"#);
        assert_eq!(user(&bare, "example.org", "a"), None);
        // The legacy file: entries at the top level, keyed by registry (URLs cut to the host).
        let legacy = format!(r#"{{"http://index.docker.io/v1":{{"auth":"{}"}}}}"#, b64("hub:legacy"));
        let newer = auths(&[("docker.io", "hub:new")]);
        assert_eq!(user(&files(&[(&legacy, true)]), "docker.io", "library/x").as_deref(), Some("hub:legacy"));
        let both = files(&[(&newer, false), (&legacy, true)]);
        assert_eq!(user(&both, "docker.io", "library/x").as_deref(), Some("hub:new"));
    }

    /// containers/image `getAuthFilePaths` (its `TestGetPathToAuth` covers the first file).
    #[test]
    fn the_files_are_searched_in_containers_order() {
        let lookup = AuthLookup {
            runtime_dir: Some("/run/user/1".into()),
            home: Some("/home/u".into()),
            uid: Some(1),
            ..AuthLookup::default()
        };
        let paths = |search: AuthSearch| -> Vec<String> {
            search
                .files
                .iter()
                .map(|f| format!("{}{}", f.path.display(), if f.legacy { " (legacy)" } else { "" }))
                .collect()
        };
        assert_eq!(
            paths(lookup.search(|_| true)),
            [
                "/run/user/1/containers/auth.json",
                "/home/u/.config/containers/auth.json",
                "/home/u/.docker/config.json",
                "/home/u/.dockercfg (legacy)"
            ]
        );
        let moved = AuthLookup {
            config_home: Some("/cfg".into()),
            docker_config: Some("/dock".into()),
            runtime_dir: None,
            ..lookup.clone()
        };
        assert_eq!(
            paths(moved.search(|_| true)),
            [
                "/run/containers/1/auth.json",
                "/cfg/containers/auth.json",
                "/dock/config.json",
                "/home/u/.dockercfg (legacy)"
            ]
        );
        let missing = lookup.search(|_| false);
        assert_eq!(missing.files.len(), 3, "the runtime directory's file is left out");
        assert!(missing.warning.unwrap().contains("$XDG_RUNTIME_DIR does not exist"));
        let named = AuthLookup { env_file: Some("/x.json".into()), ..lookup.clone() };
        assert_eq!(
            named.search(|_| true),
            AuthSearch { files: vec![AuthPath { path: "/x.json".into(), legacy: false }], named: true, warning: None }
        );
        let flag = AuthLookup { flag: Some("/flag.json".into()), ..named };
        assert_eq!(flag.search(|_| true).files[0].path, PathBuf::from("/flag.json"));
        assert!(AuthLookup::default().search(|_| true).files.is_empty());
    }
}
