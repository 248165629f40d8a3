//! Label selectors as kubectl's `-l` takes them: `key=value`, `key==value`, `key!=value`,
//! `key` (exists) and `!key` (absent), joined by commas. Set-based forms (`in`, `notin`) are
//! refused with a clear message rather than misread.

use std::collections::BTreeMap;

/// One requirement of a selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// `key=value` or `key==value`.
    Equals(String, String),
    /// `key!=value` (also true when the key is absent).
    NotEquals(String, String),
    /// `key`.
    Exists(String),
    /// `!key`.
    NotExists(String),
}

/// A parsed selector; the empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector(pub Vec<Requirement>);

/// Why a selector could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unable to parse requirement {requirement:?}: {reason}")]
pub struct SelectorError {
    /// The offending requirement.
    pub requirement: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl Selector {
    /// Parses `a=b,c!=d,e,!f`.
    pub fn parse(text: &str) -> Result<Selector, SelectorError> {
        let mut requirements = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let error = |reason| SelectorError { requirement: part.to_owned(), reason };
            let requirement = if let Some((k, v)) = part.split_once("!=") {
                Requirement::NotEquals(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                Requirement::Equals(k.trim().into(), v.trim().into())
            } else if part.contains(' ') || part.contains('(') {
                return Err(error("set-based requirements (in, notin) are not supported"));
            } else if let Some(k) = part.strip_prefix('!') {
                Requirement::NotExists(k.trim().into())
            } else {
                Requirement::Exists(part.into())
            };
            let key = match &requirement {
                Requirement::Equals(k, _)
                | Requirement::NotEquals(k, _)
                | Requirement::Exists(k)
                | Requirement::NotExists(k) => k,
            };
            if key.is_empty() {
                return Err(error("empty key"));
            }
            requirements.push(requirement);
        }
        Ok(Selector(requirements))
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let get = |k: &str| labels.and_then(|l| l.get(k));
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k) == Some(v),
            Requirement::NotEquals(k, v) => get(k) != Some(v),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::NotExists(k) => get(k).is_none(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches_equality_selectors() {
        let labels: BTreeMap<String, String> = [("app".to_string(), "cli".to_string())].into();
        let matches = |s: &str| Selector::parse(s).unwrap().matches(Some(&labels));
        assert!(matches("app=cli"));
        assert!(matches("app==cli"));
        assert!(!matches("app!=cli"));
        assert!(matches("app"));
        assert!(!matches("!app"));
        assert!(matches("app=cli,!tier"));
        assert!(!matches("app=cli,tier"));
        assert!(matches(""));
        assert!(Selector::parse("env in (a,b)").is_err());
        assert!(Selector::parse("=x").is_err());
    }
}
