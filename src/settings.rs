//! Resolved settings: the command line checked and turned into what commands use, before any
//! input is read. Pure and unit-tested.

use std::path::PathBuf;

use jiff::Timestamp;

use crate::cli::{GlobalArgs, ScopeArgs};

/// Why the command line cannot be used as given (a usage error, exit 2).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// `--now`/`ISCTL_NOW` is not RFC 3339.
    #[error("invalid --now {0:?}: expected an RFC 3339 time such as 2026-01-02T03:04:05Z")]
    Now(String),
    /// No input was named and live clusters are not supported yet.
    #[error(
        "no input: pass --from PATH (a file, directory, must-gather or archive); reading a live cluster is not supported yet"
    )]
    NoInput,
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
    /// Paths to read.
    pub from: Vec<PathBuf>,
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
        if global.from.is_empty() {
            return Err(SettingsError::NoInput);
        }
        Ok(Settings { now, now_given: global.now.is_some(), from: global.from.clone(), verbosity: global.verbose })
    }
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
    /// From `-n`/`-A`; without either, kubectl's `default` namespace.
    pub fn resolve(args: &ScopeArgs) -> Scope {
        match (&args.namespace, args.all_namespaces) {
            (_, true) => Scope::All,
            (Some(ns), false) => Scope::Namespace(ns.clone()),
            (None, false) => Scope::Namespace("default".into()),
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
        GlobalArgs { from: from.iter().map(PathBuf::from).collect(), now: now.map(str::to_owned), verbose: 0 }
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
        assert_eq!(Settings::resolve(&global(None, &[]), Timestamp::now).unwrap_err(), SettingsError::NoInput);
    }

    #[test]
    fn scope_defaults_like_kubectl() {
        let args = |ns: Option<&str>, all| ScopeArgs { namespace: ns.map(str::to_owned), all_namespaces: all };
        assert_eq!(Scope::resolve(&args(None, false)), Scope::Namespace("default".into()));
        assert_eq!(Scope::resolve(&args(Some("openshift"), false)), Scope::Namespace("openshift".into()));
        assert_eq!(Scope::resolve(&args(None, true)), Scope::All);
        assert!(Scope::All.contains("x"));
    }
}
