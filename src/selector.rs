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
    pub reason: String,
}

impl Selector {
    /// Parses `a=b,c!=d,e,!f,g in (h,i)`.
    pub fn parse(text: &str) -> Result<Selector, SelectorError> {
        let mut requirements = Vec::new();
        for part in split_outside_parentheses(text).into_iter().map(str::trim).filter(|p| !p.is_empty()) {
            let error = |reason: &str| SelectorError { requirement: part.to_owned(), reason: reason.to_owned() };
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
            if let Some(problem) = key_problem(key) {
                return Err(error(&problem));
            }
            let values: Vec<&String> = match &requirement {
                Requirement::Equals(_, v) | Requirement::NotEquals(_, v) => vec![v],
                Requirement::In(_, vs) | Requirement::NotIn(_, vs) => vs.iter().collect(),
                Requirement::Exists(_) | Requirement::NotExists(_) => vec![],
            };
            if let Some(problem) = values.iter().find_map(|v| value_problem(v)) {
                return Err(error(&problem));
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

/// Why `value` is not a label value (apimachinery `IsValidLabelValue`), as the API server's
/// selector parser reports it.
fn value_problem(value: &str) -> Option<String> {
    if let Some(c) = value.chars().find(|c| matches!(c, '=' | '!')) {
        return Some(format!("found '{c}', expected: ',' or 'end of string'"));
    }
    let valid = value.is_empty()
        || (value.len() <= 63
            && value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.ends_with(|c: char| c.is_ascii_alphanumeric())
            && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
    (!valid).then(|| {
        format!(
            "invalid label value: {value:?}: a valid label must be an empty string or consist of alphanumeric \
             characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        )
    })
}

/// Why `key` is not a label key: an optional DNS-subdomain prefix and `/`, then a name of at
/// most 63 alphanumeric characters, `-`, `_` or `.` (apimachinery `IsQualifiedName`).
fn key_problem(key: &str) -> Option<String> {
    let name = key.rsplit_once('/').map_or(key, |(prefix, name)| if prefix.is_empty() { "" } else { name });
    let valid = !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    (!valid).then(|| format!("invalid label key {key:?}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"))
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
        // Values and keys are checked as the API server checks them.
        let error = Selector::parse("a=b=c").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unable to parse requirement \"a=b=c\": found '=', expected: ',' or 'end of string'"
        );
        assert!(Selector::parse("app=has space").is_err());
        assert!(Selector::parse("bad key=x").is_err());
        assert!(Selector::parse("example.com/app=cli,tier in (a-1,b.2)").is_ok());
    }
}
