//! Label selectors as kubectl's `-l` takes them: `key=value`, `key==value`, `key!=value`,
//! `key in (a,b)`, `key notin (a,b)`, `key` (exists), `!key` (absent), `key>1` and `key<1`
//! (integer comparisons), joined by commas, checked as apimachinery's `labels.Parse` checks them.

use std::collections::BTreeMap;

/// One requirement of a selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Requirement {
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
    /// `key>n`: the label is an integer greater than `n`.
    GreaterThan(String, i64),
    /// `key<n`: the label is an integer less than `n`.
    LessThan(String, i64),
}

/// A parsed selector; the empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Selector(pub Vec<Requirement>);

/// Why a selector could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unable to parse requirement {requirement:?}: {reason}")]
pub(crate) struct SelectorError {
    /// The offending requirement.
    pub requirement: String,
    /// What is wrong with it.
    pub reason: String,
}

impl Selector {
    /// Parses `a=b,c!=d,e,!f,g in (h,i)`.
    pub(crate) fn parse(text: &str) -> Result<Selector, SelectorError> {
        let mut requirements = Vec::new();
        if text.trim().is_empty() {
            return Ok(Selector(requirements));
        }
        for part in split_outside_parentheses(text).into_iter().map(str::trim) {
            requirements.push(requirement(part)?);
        }
        Ok(Selector(requirements))
    }

    /// Whether `labels` satisfy every requirement.
    pub(crate) fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let get = |k: &str| labels.and_then(|l| l.get(k));
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k) == Some(v),
            Requirement::NotEquals(k, v) => get(k) != Some(v),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::NotExists(k) => get(k).is_none(),
            Requirement::In(k, values) => get(k).is_some_and(|v| values.contains(v)),
            Requirement::NotIn(k, values) => get(k).is_none_or(|v| !values.contains(v)),
            Requirement::GreaterThan(k, n) => get(k).and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v > *n),
            Requirement::LessThan(k, n) => get(k).and_then(|v| v.parse::<i64>().ok()).is_some_and(|v| v < *n),
        })
    }
}

/// One requirement of a selector.
fn requirement(part: &str) -> Result<Requirement, SelectorError> {
    let error = |reason: &str| SelectorError { requirement: part.to_owned(), reason: reason.to_owned() };
    if part.is_empty() {
        return Err(error("found ',', expected: identifier"));
    }
    let set = |rest: &str| -> Result<Vec<String>, SelectorError> {
        let inner = rest.trim().strip_prefix('(').and_then(|r| r.strip_suffix(')'));
        let inner = inner.ok_or_else(|| error("expected '(' and a list of values ending with ')'"))?;
        let values: Vec<String> = inner.split(',').map(|v| v.trim().to_owned()).collect();
        if values.iter().all(String::is_empty) {
            return Err(error("for 'in', 'notin' operators, values set can't be empty"));
        }
        Ok(values)
    };
    let number = |v: &str| {
        v.trim()
            .parse::<i64>()
            .map_err(|_| error(&format!("for 'Gt', 'Lt' operators, the value must be an integer, not {v:?}")))
    };
    let requirement = if let Some((k, rest)) = part.split_once(" notin ") {
        Requirement::NotIn(k.trim().into(), set(rest)?)
    } else if let Some((k, rest)) = part.split_once(" in ") {
        Requirement::In(k.trim().into(), set(rest)?)
    } else if let Some((k, v)) = part.split_once("!=") {
        Requirement::NotEquals(k.trim().into(), v.trim().into())
    } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
        Requirement::Equals(k.trim().into(), v.trim().into())
    } else if let Some((k, v)) = part.split_once('>') {
        Requirement::GreaterThan(k.trim().into(), number(v)?)
    } else if let Some((k, v)) = part.split_once('<') {
        Requirement::LessThan(k.trim().into(), number(v)?)
    } else if part.contains(' ') || part.contains('(') {
        return Err(error("expected key, !key, key=value, key!=value, key in (...), key notin (...), key>n or key<n"));
    } else if let Some(k) = part.strip_prefix('!') {
        Requirement::NotExists(k.trim().into())
    } else {
        Requirement::Exists(part.into())
    };
    let (key, values): (&String, Vec<&String>) = match &requirement {
        Requirement::Equals(k, v) | Requirement::NotEquals(k, v) => (k, vec![v]),
        Requirement::In(k, vs) | Requirement::NotIn(k, vs) => (k, vs.iter().collect()),
        Requirement::Exists(k)
        | Requirement::NotExists(k)
        | Requirement::GreaterThan(k, _)
        | Requirement::LessThan(k, _) => (k, vec![]),
    };
    if key.is_empty() {
        return Err(error("empty key"));
    }
    if let Some(problem) = key_problem(key) {
        return Err(error(&problem));
    }
    if let Some(problem) = values.iter().find_map(|v| value_problem(v)) {
        return Err(error(&problem));
    }
    Ok(requirement)
}

/// Why `value` is not a label value (apimachinery `IsValidLabelValue`), as the API server's
/// selector parser reports it.
fn value_problem(value: &str) -> Option<String> {
    if let Some(c) = value.chars().find(|c| matches!(c, '=' | '!')) {
        return Some(format!("found '{c}', expected: ',' or 'end of string'"));
    }
    if value.len() > 63 {
        return Some(format!("invalid label value: {value:?}: must be no more than 63 characters"));
    }
    (!value.is_empty() && !is_name(value)).then(|| {
        format!(
            "invalid label value: {value:?}: a valid label must be an empty string or consist of alphanumeric \
             characters, '-', '_' or '.', and must start and end with an alphanumeric character"
        )
    })
}

/// Alphanumeric characters, `-`, `_` or `.`, starting and ending with an alphanumeric one.
fn is_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text.ends_with(|c: char| c.is_ascii_alphanumeric())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Why `key` is not a label key: an optional DNS-1123 subdomain prefix and `/`, then a name of
/// at most 63 alphanumeric characters, `-`, `_` or `.` (apimachinery `IsQualifiedName`).
fn key_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        let subdomain = !prefix.is_empty()
            && prefix.len() <= 253
            && prefix.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && prefix.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && prefix.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.'));
        if !subdomain {
            return Some(format!(
                "invalid label key {key:?}: prefix part a lowercase RFC 1123 subdomain must consist of lower case \
                 alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
            ));
        }
    }
    if name.is_empty() {
        return Some(format!("invalid label key {key:?}: name part must be non-empty"));
    }
    if name.len() > 63 {
        return Some(format!("invalid label key {key:?}: name part must be no more than 63 characters"));
    }
    (!is_name(name)).then(|| format!("invalid label key {key:?}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"))
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

    /// Cases from apimachinery's `TestParse` and `TestLexerParserErrors`.
    #[test]
    fn follows_apimachinery_on_what_it_refuses() {
        for bad in ["a/b/c=d", "a in ()", ",", "a=b,", ",a=b", "a=b,,c=d", "Example.com/a=b", "a>x", "a<", "a in (b"] {
            assert!(Selector::parse(bad).is_err(), "{bad:?} is refused");
        }
        let long = "x".repeat(64);
        assert!(Selector::parse(&format!("{long}=v")).unwrap_err().to_string().contains("no more than 63 characters"));
        assert!(Selector::parse(&format!("k={long}")).unwrap_err().to_string().contains("no more than 63 characters"));
        let labels: BTreeMap<String, String> = [("n".to_string(), "5".to_string()), ("s".into(), "x".into())].into();
        let matches = |s: &str| Selector::parse(s).unwrap().matches(Some(&labels));
        assert!(matches("n>4") && !matches("n>5") && matches("n<6") && !matches("s>1") && !matches("absent<9"));
        assert!(matches("a.b-c/d_e.f!=,n in (5, 6)"));
    }
}
