//! Verification of pull plans against the registries themselves (docs/verify.md): for each
//! source a node would try, in its order, does the registry have the manifest? Pure here: which
//! endpoints to ask and what the answers mean; asking is [`client`], credentials are [`auth`],
//! recorded answers are `cache`.

pub mod auth;
pub(crate) mod cache;
pub mod client;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::mirror::plan::{PullPlan, PullSource};
use crate::reference::Reference;

/// One manifest to ask a registry about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    /// The registry as references name it (`docker.io`, `mirror.example.com:8443`).
    pub registry: String,
    /// The repository path.
    pub repository: String,
    /// The tag or digest.
    pub reference: String,
    /// Marked insecure: TLS without verification, then plain HTTP (as a node tries it).
    pub insecure: bool,
    /// Ask for the signature attachment of the manifest `reference` (a tag, or a digest other
    /// than sha256) names now: the manifest first, then `sha256-<hex>.sig` of its sha256, as a
    /// node computes it from the manifest it pulled (containers/image `manifestDigest`).
    pub signature_via_manifest: bool,
}

impl Endpoint {
    /// The endpoint of a pull source's rewritten reference, or `None` when it does not parse.
    pub fn of(reference: &str, insecure: bool) -> Option<Endpoint> {
        let parsed = Reference::parse_normalized(reference).ok()?;
        let reference = parsed.digest.clone().or(parsed.tag.clone()).unwrap_or_else(|| "latest".into());
        Some(Endpoint {
            registry: parsed.domain,
            repository: parsed.path,
            reference,
            insecure,
            signature_via_manifest: false,
        })
    }

    /// The host to connect to: Docker Hub's API lives on `registry-1.docker.io`.
    pub fn host(&self) -> &str {
        if self.registry == "docker.io" { "registry-1.docker.io" } else { &self.registry }
    }

    /// The key answers are recorded under: `registry/repository@digest` or `...:tag`, with
    /// `(insecure)` when the node may fall back to plain HTTP (the answer can differ).
    pub fn key(&self) -> String {
        let separator = if self.reference.contains(':') { '@' } else { ':' };
        let insecure = if self.insecure { " (insecure)" } else { "" };
        let signature = if self.signature_via_manifest { " (signature)" } else { "" };
        format!("{}/{}{separator}{}{signature}{insecure}", self.registry, self.repository, self.reference)
    }
}

/// What a registry said about one manifest. Written as `result:` and, when there is one,
/// `detail:` (see `AnswerFields`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "AnswerFields", try_from = "AnswerFields")]
pub enum Answer {
    /// The manifest is there.
    Present,
    /// 404: the registry does not have it.
    Missing,
    /// 401: credentials missing or refused; the detail says why when the registry's token
    /// server failed (a Bearer realm that refuses the connection is still the registry's 401).
    Unauthorized(Option<String>),
    /// 403: the credentials may not pull it.
    Forbidden,
    /// No connection (refused, timed out, no such host).
    Unreachable(String),
    /// The TLS handshake failed (an unknown CA, a name mismatch, plain HTTP where TLS was
    /// required).
    Tls(String),
    /// The manifest list is there, but the image a node of `--platform` would pull from it is
    /// not, or could not be read (the detail names the platform, digest and status). A node
    /// that took the list from this source fails here: it does not try the next one.
    ChildMissing(String),
    /// Any other answer (a 5xx after retries, a malformed response).
    Failed(String),
}

impl Answer {
    /// One short phrase for tables.
    pub fn words(&self) -> String {
        match self {
            Answer::Present => "present".into(),
            Answer::Missing => "missing (404)".into(),
            Answer::Unauthorized(None) => "unauthorized (401)".into(),
            Answer::Unauthorized(Some(why)) => format!("unauthorized (401): {why}"),
            Answer::Forbidden => "forbidden (403)".into(),
            Answer::Unreachable(why) => format!("unreachable: {why}"),
            Answer::Tls(why) => format!("TLS failure: {why}"),
            Answer::ChildMissing(what) => format!("manifest list present, but not {what}"),
            Answer::Failed(why) => format!("failed: {why}"),
        }
    }
}

/// An [`Answer`] as `-o yaml|json` and `--verify-cache` write it: the result's name and its
/// detail, with no `detail:` where there is none (older caches have none for `unauthorized`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct AnswerFields {
    /// `present`, `missing`, `unauthorized`, ...
    pub result: String,
    /// What went wrong, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl From<Answer> for AnswerFields {
    fn from(answer: Answer) -> AnswerFields {
        let (result, detail) = match answer {
            Answer::Present => ("present", None),
            Answer::Missing => ("missing", None),
            Answer::Unauthorized(detail) => ("unauthorized", detail),
            Answer::Forbidden => ("forbidden", None),
            Answer::Unreachable(why) => ("unreachable", Some(why)),
            Answer::Tls(why) => ("tls", Some(why)),
            Answer::ChildMissing(what) => ("childMissing", Some(what)),
            Answer::Failed(why) => ("failed", Some(why)),
        };
        AnswerFields { result: result.to_owned(), detail }
    }
}

impl TryFrom<AnswerFields> for Answer {
    type Error = String;

    fn try_from(fields: AnswerFields) -> Result<Answer, String> {
        let detail = || fields.detail.clone().unwrap_or_default();
        Ok(match fields.result.as_str() {
            "present" => Answer::Present,
            "missing" => Answer::Missing,
            "unauthorized" => Answer::Unauthorized(fields.detail.clone()),
            "forbidden" => Answer::Forbidden,
            "unreachable" => Answer::Unreachable(detail()),
            "tls" => Answer::Tls(detail()),
            "childMissing" => Answer::ChildMissing(detail()),
            "failed" => Answer::Failed(detail()),
            other => return Err(format!("unknown result {other:?}")),
        })
    }
}

/// What one pull source turned out to be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceVerdict {
    /// The rewritten reference.
    pub reference: String,
    /// The registry's answer; `null` when the source was skipped.
    #[serde(flatten)]
    pub answer: Option<Answer>,
    /// Why it was not asked: a node never contacts a blocked source (`--include-blocked` asks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Where a policy requires a signature: the answer for its attachment on this source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<Answer>,
}

impl SourceVerdict {
    /// The image is here, a policy requires a signature, and its attachment is not here (or
    /// could not be read): a node that pulls from here refuses the image.
    pub fn signature_missing(&self) -> bool {
        self.answer == Some(Answer::Present) && self.signature.as_ref().is_some_and(|a| *a != Answer::Present)
    }
}

/// A plan checked against the registries (`verification:` in `-o yaml`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verification {
    /// Every source in the node's order, with its answer.
    pub sources: Vec<SourceVerdict>,
    /// The source a node would get the image from: the first one it contacts that has it.
    pub(crate) served_by: Option<String>,
}

impl Verification {
    /// No source a node contacts can serve it.
    pub fn unservable(&self) -> bool {
        self.served_by.is_none()
    }

    /// Why nothing serves it, in a few words: the answers, each once.
    pub fn answers(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        for answer in self.sources.iter().filter_map(|s| s.answer.as_ref()) {
            let text = answer.words();
            if !words.contains(&text) {
                words.push(text);
            }
        }
        if words.is_empty() { "every source is blocked".into() } else { words.join("; ") }
    }

    /// Why nothing serves it, in one line: each contacted source's answer.
    pub(crate) fn reasons(&self) -> String {
        let asked: Vec<String> = self
            .sources
            .iter()
            .filter(|s| s.skipped.is_none())
            .filter_map(|s| {
                let unsigned = if s.signature_missing() { ", signature missing" } else { "" };
                s.answer.as_ref().map(|a| format!("{}: {}{unsigned}", s.reference, a.words()))
            })
            .collect();
        if asked.is_empty() { "every source is blocked".into() } else { asked.join("; ") }
    }
}

/// The endpoints a plan's verification asks, in the node's order; blocked sources only with
/// `include_blocked`. A plan that fails before any source (a bad reference) asks nothing.
pub(crate) fn plan_endpoints(plan: &PullPlan, include_blocked: bool) -> Vec<Endpoint> {
    if plan.pull_type.is_none() || !plan.errors.is_empty() {
        return Vec::new();
    }
    endpoints(&plan.sources, include_blocked)
}

/// The endpoints of these pull sources, in order; blocked ones only with `include_blocked`.
/// A source a signature policy covers is asked for the signature's attachment too.
pub fn endpoints(sources: &[PullSource], include_blocked: bool) -> Vec<Endpoint> {
    sources
        .iter()
        .filter(|s| include_blocked || !s.blocked)
        .flat_map(|s| Endpoint::of(&s.reference, s.insecure).into_iter().chain(signature_endpoint(s)))
        .collect()
}

/// Where a node looks for the sigstore signature of a source's image when a policy requires
/// one: the `sha256-<hex>.sig` tag beside it (containers/image `use-sigstore-attachments`,
/// `docker/docker_image_src.go` `sigstoreAttachmentTag`). For a tag pull, or a digest pull of
/// another algorithm, the sha256 of the manifest asked for, as the node computes it from the
/// manifest it pulls (`manifestDigest`).
pub(crate) fn signature_endpoint(source: &PullSource) -> Option<Endpoint> {
    if source.signatures.is_empty() {
        return None;
    }
    let endpoint = Endpoint::of(&source.reference, source.insecure)?;
    match endpoint.reference.strip_prefix("sha256:") {
        Some(hex) => Some(Endpoint { reference: format!("sha256-{hex}.sig"), ..endpoint }),
        None => Some(Endpoint { signature_via_manifest: true, ..endpoint }),
    }
}

/// Reads `--platform`: `os/architecture[/variant]`, lower-case words.
pub(crate) fn parse_platform(text: &str) -> Result<String, String> {
    let parts: Vec<&str> = text.split('/').collect();
    let word = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if (2..=3).contains(&parts.len()) && parts.iter().all(word) {
        Ok(text.to_owned())
    } else {
        Err(format!("{text:?} is not a platform: expected OS/ARCH[/VARIANT], e.g. linux/amd64 or linux/arm64/v8"))
    }
}

/// Reads `--verify-timeout`: kubectl's duration forms (`30s`, `1m30s`, a bare number of
/// seconds), more than zero, so every run has a deadline.
pub(crate) fn parse_timeout(text: &str) -> Result<std::time::Duration, String> {
    match crate::duration::parse(text, crate::duration::REQUEST_TIMEOUT) {
        Ok(duration) if duration.is_zero() => Err("must be more than 0: every run has a deadline".into()),
        Ok(duration) => Ok(duration),
        Err(e) => Err(format!("{text:?}: {e} (e.g. 30s, 2m or 90)")),
    }
}

/// Which image of a manifest list a node of `platform` pulls, as containers/image chooses it
/// (`WantedPlatforms` and `ChooseInstance` in internal/manifest): the wanted variants in order
/// of preference (the one asked for, or arm64's `v8` and arm's `v7`, `v6`, `v5` when none is),
/// then no variant; the first image of the list that fits the best of them. `entries` are
/// each image's (os, architecture, variant).
pub(crate) fn choose_instance(platform: &str, entries: &[(&str, &str, &str)]) -> Option<usize> {
    let mut parts = platform.split('/');
    let (os, architecture, variant) = (parts.next()?, parts.next()?, parts.next());
    let mut variants: Vec<&str> = match (architecture, variant) {
        (_, Some(variant)) => vec![variant],
        ("arm64", None) => vec!["v8"],
        ("arm", None) => vec!["v7", "v6", "v5"],
        _ => Vec::new(),
    };
    variants.push("");
    variants
        .iter()
        .find_map(|wanted| entries.iter().position(|(o, a, v)| *o == os && *a == architecture && v == wanted))
}

/// Checks a plan with the answers gathered.
pub(crate) fn verify_plan(plan: &PullPlan, include_blocked: bool, answers: &BTreeMap<String, Answer>) -> Verification {
    let pullable = plan.pull_type.is_some() && plan.errors.is_empty() && plan.policy.allowed;
    verify(&plan.sources, pullable, include_blocked, answers)
}

/// Checks pull sources with the answers gathered: each source a node contacts gets its
/// answer, and the first that has the manifest serves it (a node falls through every other
/// answer). Nothing serves a pull that fails before any source (`pullable` false: a bad
/// reference, or policy.json's rejection).
pub fn verify(
    sources: &[PullSource],
    pullable: bool,
    include_blocked: bool,
    answers: &BTreeMap<String, Answer>,
) -> Verification {
    let mut verdicts = Vec::new();
    let mut served_by = None;
    // A node that got a manifest list from a source takes its image from there too
    // (containers/image: docker_image_src.go, newImageSource): a missing image ends the pull.
    let mut failed_at: Option<(String, bool)> = None;
    for source in sources {
        let endpoint = Endpoint::of(&source.reference, source.insecure);
        let asked = include_blocked || !source.blocked;
        let answer = endpoint.filter(|_| asked).and_then(|e| answers.get(&e.key()).cloned());
        let decided = served_by.is_some() || failed_at.is_some();
        let skipped = match (asked, &answer, &failed_at) {
            (false, _, _) => Some("blocked: a node never contacts it".to_owned()),
            (true, None, _) => Some("not asked (not a valid reference, or not in --verify-cache)".to_owned()),
            (true, Some(_), Some((at, true))) => {
                Some(format!("not reached: the node took the image from {at}, where its required signature is not"))
            }
            (true, Some(_), Some((list, false))) => {
                Some(format!("not reached: the node took the manifest list from {list} and failed on its image there"))
            }
            _ => None,
        };
        let signature = signature_endpoint(source).filter(|_| asked).and_then(|e| answers.get(&e.key()).cloned());
        let unsigned = signature.as_ref().is_some_and(|a| *a != Answer::Present);
        if pullable && !decided && !source.blocked {
            match &answer {
                // The policy check follows the manifest: an image without its required
                // signature fails the pull there, it does not send the node to the next source.
                Some(Answer::Present) if unsigned => failed_at = Some((source.reference.clone(), true)),
                Some(Answer::Present) => served_by = Some(source.reference.clone()),
                Some(Answer::ChildMissing(_)) => failed_at = Some((source.reference.clone(), false)),
                _ => {}
            }
        }
        verdicts.push(SourceVerdict { reference: source.reference.clone(), answer, skipped, signature });
    }
    Verification { sources: verdicts, served_by }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::mirror::{RegistriesConfig, Resolver};

    /// containers/image `manifestDigest` and `sigstoreAttachmentTag`: a sha256 digest names its
    /// attachment; a tag or another algorithm's digest is looked up by the manifest's sha256.
    #[test]
    fn the_attachment_is_found_by_the_manifests_sha256() {
        let required = crate::mirror::signatures::SignatureRequirement {
            policy: "ClusterImagePolicy/p".into(),
            scope: "quay.io".into(),
            policy_type: "PublicKey".into(),
            match_policy: "MatchRepoDigestOrExact".into(),
            identity: "quay.io/x/app".into(),
        };
        let source = |reference: &str| PullSource {
            reference: reference.into(),
            kind: crate::mirror::plan::SourceKind::Source,
            blocked: false,
            insecure: false,
            from: vec![],
            signatures: vec![required.clone()],
        };
        let sha256 = signature_endpoint(&source(&format!("quay.io/x/app@sha256:{}", "a".repeat(64)))).unwrap();
        assert_eq!(
            (sha256.reference, sha256.signature_via_manifest),
            (format!("sha256-{}.sig", "a".repeat(64)), false)
        );
        let sha512 = signature_endpoint(&source(&format!("quay.io/x/app@sha512:{}", "b".repeat(128)))).unwrap();
        assert!(sha512.signature_via_manifest && sha512.reference.starts_with("sha512:"));
        let tag = signature_endpoint(&source("quay.io/x/app:v1")).unwrap();
        assert_eq!((tag.reference.as_str(), tag.signature_via_manifest), ("v1", true));
        assert_eq!(tag.key(), "quay.io/x/app:v1 (signature)");
        let unsigned = PullSource { signatures: vec![], ..source("quay.io/x/app:v1") };
        assert!(signature_endpoint(&unsigned).is_none(), "no policy, nothing asked");
    }

    #[test]
    fn a_node_falls_through_to_the_first_source_that_has_it() {
        let rules = "apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: m}\nspec:\n  imageDigestMirrors:\n  - source: quay.io/org\n    mirrors: [one.example.com/org, two.example.com/org]\n";
        let resolver = Resolver::new(RegistriesConfig::from_catalog(&Catalog::from_yaml(rules)));
        let digest = format!("sha256:{}", "a".repeat(64));
        let plan = resolver.plan(&format!("quay.io/org/app@{digest}"));
        let asked: Vec<String> = plan_endpoints(&plan, false).iter().map(Endpoint::key).collect();
        assert_eq!(
            asked,
            [
                format!("one.example.com/org/app@{digest}"),
                format!("two.example.com/org/app@{digest}"),
                format!("quay.io/org/app@{digest}")
            ]
        );
        let mut answers = BTreeMap::new();
        answers.insert(asked[0].clone(), Answer::Missing);
        answers.insert(asked[1].clone(), Answer::Unauthorized(None));
        answers.insert(asked[2].clone(), Answer::Present);
        let verification = verify_plan(&plan, false, &answers);
        assert_eq!(verification.served_by.as_deref(), Some(&*format!("quay.io/org/app@{digest}")));
        answers.insert(asked[2].clone(), Answer::Tls("unknown issuer".into()));
        let verification = verify_plan(&plan, false, &answers);
        assert!(verification.unservable());
        assert!(verification.reasons().contains("two.example.com/org/app@sha256:aaaa"));
        assert_eq!(Endpoint::of("busybox:1", false).unwrap().host(), "registry-1.docker.io");
        // Platforms as containers/image chooses them.
        let list = [("linux", "amd64", "v3"), ("linux", "arm64", ""), ("linux", "arm", "v6"), ("linux", "arm", "v7")];
        assert_eq!(choose_instance("linux/amd64", &list), None, "amd64/v3 is not what a plain amd64 node takes");
        assert_eq!(choose_instance("linux/amd64/v3", &list), Some(0));
        assert_eq!(choose_instance("linux/arm64/v8", &list), Some(1), "no variant is the last resort");
        assert_eq!(choose_instance("linux/arm", &list), Some(3), "v7 before v6");
        assert!(
            parse_platform("linux/amd64").is_ok()
                && parse_platform("linux").is_err()
                && parse_platform("Linux/x/").is_err()
        );
        // A list whose image is missing on the first mirror ends the pull there.
        answers.insert(asked[0].clone(), Answer::ChildMissing("its linux/amd64 image".into()));
        answers.insert(asked[2].clone(), Answer::Present);
        let verification = verify_plan(&plan, false, &answers);
        assert!(verification.unservable(), "{verification:?}");
        assert!(verification.sources[2].skipped.as_deref().is_some_and(|s| s.starts_with("not reached")));
    }
}
