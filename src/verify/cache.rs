//! `--verify-cache FILE`: the registries' answers, recorded so a check can be replayed with no
//! registry at hand (CI reruns on the same results). A JSON document with the endpoints' keys;
//! never credentials.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Answer;

/// The file's shape (`kind: VerifyCache`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VerifyCache {
    /// `isctl/v1alpha1`.
    pub api_version: String,
    /// `VerifyCache`.
    pub kind: String,
    /// The `--platform` the answers are for: a manifest list's answer depends on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Answers by endpoint key (`registry/repository@digest`).
    pub answers: BTreeMap<String, Answer>,
}

impl VerifyCache {
    /// A cache of these answers for `platform`. Answers that may change by themselves (no
    /// connection, a failure after retries) are not kept: a replay asks again.
    pub(crate) fn new(platform: &str, answers: BTreeMap<String, Answer>) -> VerifyCache {
        let lasting = answers.into_iter().filter(|(_, a)| !matches!(a, Answer::Unreachable(_) | Answer::Failed(_)));
        VerifyCache {
            api_version: "isctl/v1alpha1".into(),
            kind: "VerifyCache".into(),
            platform: Some(platform.to_owned()),
            answers: lasting.collect(),
        }
    }

    /// Reads a cache file's text.
    pub(crate) fn parse(text: &str) -> Result<VerifyCache, String> {
        let cache: VerifyCache = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if cache.kind != "VerifyCache" {
            return Err(format!("holds a {:?}, not a VerifyCache", cache.kind));
        }
        Ok(cache)
    }

    /// The file's text.
    pub(crate) fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("answers serialise");
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_survive_a_round_trip() {
        let mut answers = BTreeMap::new();
        answers.insert("a/b@sha256:1".to_owned(), Answer::Present);
        answers.insert("a/c:latest".to_owned(), Answer::Tls("unknown issuer".into()));
        answers.insert("a/d:latest".to_owned(), Answer::Missing);
        let mut asked = answers.clone();
        asked.insert("a/e:latest".to_owned(), Answer::Unreachable("connection refused".into()));
        let text = VerifyCache::new("linux/amd64", asked).to_text();
        assert!(text.contains("\"result\": \"tls\"") && text.contains("\"platform\": \"linux/amd64\""), "{text}");
        assert_eq!(VerifyCache::parse(&text).unwrap().answers, answers, "no passing trouble is kept");
        assert!(VerifyCache::parse("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"answers\":{}}").is_err());
        // A cache written before unauthorized had a detail still reads; a new one keeps it.
        let old =
            r#"{"apiVersion":"isctl/v1alpha1","kind":"VerifyCache","answers":{"a/b:1":{"result":"unauthorized"}}}"#;
        assert_eq!(VerifyCache::parse(old).unwrap().answers["a/b:1"], Answer::Unauthorized(None));
        let refused = Answer::Unauthorized(Some("the token server: connection refused".into()));
        let text = VerifyCache::new("linux/amd64", BTreeMap::from([("a/b:1".to_owned(), refused.clone())])).to_text();
        assert_eq!(VerifyCache::parse(&text).unwrap().answers["a/b:1"], refused);
        assert!(!VerifyCache::new("linux/amd64", answers).to_text().contains("null"), "no empty detail is written");
    }
}
