//! Resolved settings: the command line checked and turned into what commands use, before any
//! input is read. Pure and unit-tested.

use std::path::PathBuf;
use std::time::Duration;

use jiff::Timestamp;

use crate::cli::{GlobalArgs, ScopeArgs};
use crate::source::live::ConnectOptions;

/// Why the command line cannot be used as given (a usage error, exit 2).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// `--now`/`ISCTL_NOW` is not RFC 3339.
    #[error("invalid --now (or ISCTL_NOW) {0:?}: expected an RFC 3339 time such as 2026-01-02T03:04:05Z")]
    Now(String),
    /// `--request-timeout` is not a duration.
    #[error("invalid --request-timeout {0:?}: expected a duration such as 30s, 2m or 0 (no timeout)")]
    Timeout(String),
    /// A usage rule of a command was broken.
    #[error("{0}")]
    Usage(String),
}

/// Settings every command uses.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The time ages are measured against.
    pub now: Timestamp,
    /// Whether `now` was given (`--now`/`ISCTL_NOW`) rather than read from the clock: commands
    /// whose output must not depend on the clock show relative ages only then.
    pub now_given: bool,
    /// Where objects come from.
    pub input: Input,
    /// `-v` count.
    pub verbosity: u8,
}

impl Settings {
    /// Resolves the global options; `clock` is read only when `--now` is absent.
    pub fn resolve(global: &GlobalArgs, clock: impl FnOnce() -> Timestamp) -> Result<Settings, SettingsError> {
        let now = match &global.now {
            Some(text) => text.trim().parse().map_err(|_| SettingsError::Now(text.clone()))?,
            None => clock(),
        };
        let request_timeout = match &global.request_timeout {
            Some(text) => parse_timeout(text).ok_or_else(|| SettingsError::Timeout(text.clone()))?,
            None => None,
        };
        let input = if global.from.is_empty() {
            Input::Cluster(ConnectOptions {
                kubeconfig: global.kubeconfig.clone(),
                context: global.context.clone(),
                insecure_skip_tls_verify: global.insecure_skip_tls_verify,
                request_timeout,
                chunk_size: global.chunk_size as usize,
            })
        } else {
            Input::Files(global.from.clone())
        };
        Ok(Settings { now, now_given: global.now.is_some(), input, verbosity: global.verbose })
    }
}

/// Where objects come from.
#[derive(Clone, Debug)]
pub enum Input {
    /// `--from` paths.
    Files(Vec<PathBuf>),
    /// A cluster, reached like kubectl reaches it.
    Cluster(ConnectOptions),
}

/// kubectl's `--request-timeout`: a bare number of seconds or a number with `s`, `m` or `h`;
/// `0` means no timeout.
fn parse_timeout(text: &str) -> Option<Option<Duration>> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, "s"),
    };
    let value: u64 = number.parse().ok()?;
    let seconds = match unit {
        "s" => value,
        "m" => value * 60,
        "h" => value * 3600,
        _ => return None,
    };
    Some((seconds > 0).then(|| Duration::from_secs(seconds)))
}

/// Which namespaces a command reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One namespace.
    Namespace(String),
    /// Every namespace (`-A`).
    All,
}

impl Scope {
    /// From `-n`/`-A`; without either, `default_namespace` (the kubeconfig context's
    /// namespace, or `default` as with kubectl).
    pub fn resolve(args: &ScopeArgs, default_namespace: &str) -> Scope {
        match (&args.namespace, args.all_namespaces) {
            (_, true) => Scope::All,
            (Some(ns), false) => Scope::Namespace(ns.clone()),
            (None, false) => Scope::Namespace(default_namespace.to_owned()),
        }
    }

    /// The namespace, or `None` for all.
    pub fn namespace(&self) -> Option<&str> {
        match self {
            Scope::Namespace(ns) => Some(ns),
            Scope::All => None,
        }
    }

    /// Whether an object in `namespace` is in scope.
    pub fn contains(&self, namespace: &str) -> bool {
        self.namespace().is_none_or(|ns| ns == namespace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn global(now: Option<&str>, from: &[&str]) -> GlobalArgs {
        GlobalArgs {
            from: from.iter().map(PathBuf::from).collect(),
            now: now.map(str::to_owned),
            verbose: 0,
            kubeconfig: None,
            context: None,
            insecure_skip_tls_verify: false,
            request_timeout: None,
            chunk_size: 500,
        }
    }

    #[test]
    fn now_is_injected_or_read_from_the_clock() {
        let fixed = Settings::resolve(&global(Some("2026-01-02T03:04:05Z"), &["x"]), || panic!("clock read")).unwrap();
        assert_eq!(fixed.now.to_string(), "2026-01-02T03:04:05Z");
        let clock = Settings::resolve(&global(None, &["x"]), || Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(clock.now, Timestamp::UNIX_EPOCH);
        assert!(matches!(
            Settings::resolve(&global(Some("yesterday"), &["x"]), Timestamp::now),
            Err(SettingsError::Now(_))
        ));
        assert!(matches!(Settings::resolve(&global(None, &[]), Timestamp::now).unwrap().input, Input::Cluster(_)));
        assert!(matches!(Settings::resolve(&global(None, &["x"]), Timestamp::now).unwrap().input, Input::Files(_)));
    }

    #[test]
    fn scope_defaults_like_kubectl() {
        let args = |ns: Option<&str>, all| ScopeArgs { namespace: ns.map(str::to_owned), all_namespaces: all };
        assert_eq!(Scope::resolve(&args(None, false), "default"), Scope::Namespace("default".into()));
        assert_eq!(Scope::resolve(&args(None, false), "team"), Scope::Namespace("team".into()));
        assert_eq!(Scope::resolve(&args(Some("openshift"), false), "team"), Scope::Namespace("openshift".into()));
        assert_eq!(Scope::resolve(&args(None, true), "team"), Scope::All);
    }

    #[test]
    fn request_timeouts_like_kubectl() {
        assert_eq!(parse_timeout("30"), Some(Some(Duration::from_secs(30))));
        assert_eq!(parse_timeout("2m"), Some(Some(Duration::from_secs(120))));
        assert_eq!(parse_timeout("0"), Some(None));
        assert_eq!(parse_timeout("soon"), None);
        assert!(Scope::All.contains("x"));
    }
}
