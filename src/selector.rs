//! Label selectors as kubectl's `-l` takes them: `key=value`, `key==value`, `key!=value`,
//! `key in (a,b)`, `key notin (a,b)`, `key` (exists) and `!key` (absent), joined by commas.

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
    /// `key in (a,b)`.
    In(String, Vec<String>),
    /// `key notin (a,b)` (also true when the key is absent).
    NotIn(String, Vec<String>),
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
    /// Parses `a=b,c!=d,e,!f,g in (h,i)`.
    pub fn parse(text: &str) -> Result<Selector, SelectorError> {
        let mut requirements = Vec::new();
        for part in split_outside_parentheses(text).into_iter().map(str::trim).filter(|p| !p.is_empty()) {
            let error = |reason| SelectorError { requirement: part.to_owned(), reason };
            let set = |rest: &str| -> Option<Vec<String>> {
                let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
                Some(inner.split(',').map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect())
            };
            let requirement = if let Some((k, rest)) = part.split_once(" notin ") {
                Requirement::NotIn(k.trim().into(), set(rest).ok_or_else(|| error("expected notin (value,...)"))?)
            } else if let Some((k, rest)) = part.split_once(" in ") {
                Requirement::In(k.trim().into(), set(rest).ok_or_else(|| error("expected in (value,...)"))?)
            } else if let Some((k, v)) = part.split_once("!=") {
                Requirement::NotEquals(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                Requirement::Equals(k.trim().into(), v.trim().into())
            } else if part.contains(' ') || part.contains('(') {
                return Err(error("expected key, !key, key=value, key!=value, key in (...) or key notin (...)"));
            } else if let Some(k) = part.strip_prefix('!') {
                Requirement::NotExists(k.trim().into())
            } else {
                Requirement::Exists(part.into())
            };
            let key = match &requirement {
                Requirement::Equals(k, _)
                | Requirement::NotEquals(k, _)
                | Requirement::Exists(k)
                | Requirement::NotExists(k)
                | Requirement::In(k, _)
                | Requirement::NotIn(k, _) => k,
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
            Requirement::In(k, values) => get(k).is_some_and(|v| values.contains(v)),
            Requirement::NotIn(k, values) => get(k).is_none_or(|v| !values.contains(v)),
        })
    }
}

/// Splits on commas that are not inside parentheses (`a in (x,y),b`).
fn split_outside_parentheses(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
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
        assert!(matches("app in (cli,tools)"));
        assert!(!matches("app in (tools)"));
        assert!(matches("app notin (tools),tier notin (x)"));
        assert!(Selector::parse("env in a,b").is_err());
        assert!(Selector::parse("=x").is_err());
    }
}
