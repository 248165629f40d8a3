//! GET requests to the API server: paths built from percent-encoded segments, retries on 429,
//! 5xx and dropped connections (honouring `Retry-After` in seconds or as an HTTP date), one
//! `--request-timeout` bound per request with its retries (kubectl's meaning), paging with
//! `limit`/`continue` within stated bounds, and every failure worded as kubectl words it. Each
//! request is reported to the observer as it completes, so `-v` shows it even when the load
//! then fails. Only GET is ever built: isctl is read-only by construction.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::Value;

use super::connect::auth_error_words;
use crate::model::{Object, ResourceKind};
use crate::source::{LoadNote, Observer, Progress, SourceError};

/// Attempts for one GET.
const ATTEMPTS: u32 = 4;
/// The longest wait between attempts, whatever `Retry-After` asks.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Objects one list may hold before isctl stops.
pub(super) const MAX_ITEMS: usize = 2_000_000;
/// Pages one list may take before isctl stops (a server that never stops sending continue
/// tokens): enough for [`MAX_ITEMS`] full pages, and never fewer than this.
const MIN_PAGE_BOUND: usize = 1_000;

/// Bytes escaped in a path segment: everything but unreserved characters and the sub-delimiters
/// and `:`/`@` kubectl leaves as they are; `/`, `%`, `?` and `#` never reach the path raw.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Bytes escaped in a query value: as above, plus the query's own separators.
const QUERY_VALUE: &AsciiSet = &SEGMENT.add(b'&').add(b'=').add(b'+').add(b';');

/// One query value, percent-encoded.
pub(super) fn query_value(text: &str) -> String {
    utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// One path segment, percent-encoded.
pub(super) fn segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// `/apis/{group}/{version}[/namespaces/{ns}]/{plural}`.
pub(super) fn collection_path(kind: ResourceKind, namespace: Option<&str>) -> String {
    let info = kind.info();
    let plural = info.plural.split('/').next().unwrap_or(info.plural);
    // The core group lives under /api, every other under /apis/GROUP.
    let root = match info.group {
        "" => format!("/api/{}", info.version),
        group => format!("/apis/{group}/{}", info.version),
    };
    match namespace.filter(|_| info.namespaced) {
        Some(ns) => format!("{root}/namespaces/{}/{plural}", segment(ns)),
        None => format!("{root}/{plural}"),
    }
}

/// The path of one object.
pub(super) fn object_path(kind: ResourceKind, namespace: Option<&str>, name: &str) -> String {
    format!("{}/{}", collection_path(kind, namespace), segment(name))
}

/// A failed GET: the error to report, and the HTTP status when the server answered (0 if not).
pub(super) struct Failure {
    pub code: u16,
    pub error: SourceError,
}

/// The requests of one load.
pub(super) struct Transport<'a> {
    pub client: &'a kube::Client,
    /// `host:port`, for messages.
    pub server: &'a str,
    /// Objects per page; 0 lists in one request.
    pub chunk: usize,
    /// The largest body read for one request (`--max-response-size`).
    pub max_body: u64,
    /// `--request-timeout`, retries included.
    pub timeout: Option<Duration>,
    /// Credentials were left out (plain HTTP): a 401 says why.
    pub credentials_withheld: bool,
    pub observer: &'a dyn Observer,
    pub answered: Cell<u64>,
}

impl Transport<'_> {
    /// One GET with retries, bounded by `--request-timeout`; the body of a 2xx answer.
    pub(super) async fn get(&self, path: &str) -> Result<hyper::body::Bytes, Failure> {
        let started = Instant::now();
        let Some(timeout) = self.timeout else { return self.attempts(path).await };
        match tokio::time::timeout(timeout, self.attempts(path)).await {
            Ok(result) => result,
            Err(_) => {
                self.log(path, 0, started, "timed out");
                Err(Failure {
                    code: 0,
                    error: SourceError::Timeout {
                        server: self.server.to_owned(),
                        path: path.to_owned(),
                        after: crate::duration::format(timeout),
                    },
                })
            }
        }
    }

    fn log(&self, path: &str, status: u16, started: Instant, outcome: &str) {
        self.observer.note(LoadNote::Request {
            method: "GET".into(),
            path: path.to_owned(),
            status,
            millis: started.elapsed().as_millis(),
            outcome: outcome.to_owned(),
        });
    }

    async fn attempts(&self, path: &str) -> Result<hyper::body::Bytes, Failure> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let started = Instant::now();
            let request = http::Request::get(path).body(kube::client::Body::empty()).map_err(|e| Failure {
                code: 0,
                error: self.transport(format!("cannot build the request {path:?}"), Some(Box::new(e))),
            })?;
            let (status, retry_after, body) = match self.client.send(request).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after =
                        response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(retry_after);
                    let limit = usize::try_from(self.max_body).unwrap_or(usize::MAX);
                    match http_body_util::BodyExt::collect(http_body_util::Limited::new(response.into_body(), limit))
                        .await
                    {
                        Ok(collected) => (status, retry_after, Ok(collected.to_bytes())),
                        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                            let size = crate::quantity::format_bytes(self.max_body);
                            let message =
                                format!("the answer to GET {path} is larger than {size} (raise --max-response-size)");
                            return Err(Failure { code: status, error: self.transport(message, None) });
                        }
                        Err(e) => (status, retry_after, Err(self.failure_words(e.as_ref()))),
                    }
                }
                Err(e) => (0, None, Err(self.failure_words(&e))),
            };
            let outcome = match &body {
                Err(SourceError::Unreachable { .. }) => "connection refused",
                Err(_) => "failed",
                Ok(_) => "",
            };
            self.log(path, status, started, outcome);
            self.answered.set(self.answered.get() + 1);
            self.observer.progress(Progress { requests: self.answered.get(), ..Progress::default() });
            let retryable = status == 0 || status == 429 || (status >= 500 && status != 501);
            if retryable && attempt < ATTEMPTS && !matches!(body, Err(SourceError::Unreachable { .. })) {
                let backoff = retry_after.unwrap_or(Duration::from_millis(200 * 2u64.pow(attempt - 1)));
                tokio::time::sleep(backoff.min(MAX_BACKOFF)).await;
                continue;
            }
            let bytes = body.map_err(|error| Failure { code: status, error })?;
            if (200..300).contains(&status) {
                return Ok(bytes);
            }
            return Err(Failure { code: status, error: self.status_error(status, &bytes, path) });
        }
    }

    /// One object of `kind`, decoded straight into its type.
    pub(super) async fn object(&self, kind: ResourceKind, path: &str) -> Result<Object, Failure> {
        let bytes = self.get(path).await?;
        Object::from_json(kind, &bytes).map_err(|e| self.malformed(kind, path, &bytes, &e))
    }

    /// A whole list of `kind`, page by page, each page's objects handed to `page` as it
    /// arrives (one request with chunk 0). A `410 Expired` restarts the list once; objects
    /// already handed over are not handed over again.
    pub(super) async fn list(
        &self,
        kind: ResourceKind,
        base: &str,
        page: &mut dyn FnMut(Vec<Object>) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        let mut restarted = false;
        let mut handed: BTreeSet<(String, String)> = BTreeSet::new();
        'restart: loop {
            let mut token: Option<String> = None;
            let mut tokens_seen = BTreeSet::new();
            let max_pages = MIN_PAGE_BOUND.max(MAX_ITEMS / self.chunk.max(1));
            for _ in 0..max_pages {
                let mut query = Vec::new();
                if self.chunk > 0 {
                    query.push(format!("limit={}", self.chunk));
                }
                if let Some(token) = &token {
                    query.push(format!("continue={}", utf8_percent_encode(token, QUERY_VALUE)));
                }
                let path = if query.is_empty() { base.to_owned() } else { format!("{base}?{}", query.join("&")) };
                let bytes = match self.get(&path).await {
                    Ok(bytes) => bytes,
                    Err(failure) if failure.code == 410 && !restarted => {
                        restarted = true;
                        continue 'restart;
                    }
                    Err(failure) => return Err(failure),
                };
                let (objects, next) =
                    Object::list_page_from_json(kind, &bytes).map_err(|e| self.malformed(kind, &path, &bytes, &e))?;
                let fresh: Vec<Object> = objects
                    .into_iter()
                    .filter(|o| handed.insert((o.meta().namespace().to_owned(), o.meta().name().to_owned())))
                    .collect();
                if handed.len() > MAX_ITEMS {
                    return Err(self.stop(format!(
                        "listing {base}: more than {MAX_ITEMS} objects; stopping (is the server sending the same objects again?)"
                    )));
                }
                page(fresh)?;
                token = next;
                match &token {
                    None => return Ok(()),
                    Some(t) if !tokens_seen.insert(t.clone()) => {
                        return Err(self.stop(format!(
                            "listing {base}: the server sent the same continue token twice; stopping instead of looping"
                        )));
                    }
                    Some(_) => {}
                }
            }
            return Err(self.stop(format!(
                "listing {base}: the server still sent a continue token after {max_pages} pages; stopping (raise --chunk-size if the list is really that long)"
            )));
        }
    }

    /// A whole list of `kind`, collected.
    pub(super) async fn list_all(&self, kind: ResourceKind, base: &str) -> Result<Vec<Object>, Failure> {
        let mut all = Vec::new();
        self.list(kind, base, &mut |page| {
            all.extend(page);
            Ok(())
        })
        .await?;
        Ok(all)
    }

    /// An answer that does not fit the kind's schema.
    fn malformed(&self, kind: ResourceKind, path: &str, bytes: &[u8], error: &serde_json::Error) -> Failure {
        let info = kind.info();
        let article = if info.kind.starts_with(['A', 'E', 'I', 'O', 'U']) { "an" } else { "a" };
        let an_object = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
        let message = if error.is_syntax() || error.is_eof() {
            format!("GET {path}: the answer is not JSON")
        } else if !an_object {
            format!("the server sent something that is not {article} {}", info.kind)
        } else {
            let words = error.to_string();
            let words = words.rfind(" at line ").map_or(words.as_str(), |i| &words[..i]).to_owned();
            format!("the server sent {article} {} that does not fit its schema: {words} (GET {path})", info.kind)
        };
        Failure { code: 0, error: self.transport(message, None) }
    }

    fn stop(&self, message: String) -> Failure {
        Failure { code: 0, error: self.transport(message, None) }
    }

    fn transport(&self, message: String, source: Option<Box<dyn std::error::Error + Send + Sync>>) -> SourceError {
        SourceError::Transport { server: self.server.to_owned(), message, source }
    }

    /// A request that got no usable answer, in words that never echo a credential: the deepest
    /// cause, which says what happened (`failed to lookup address information: ...`), without
    /// the client's wrapper levels (`ServiceError: client error (Connect)`).
    fn failure_words(&self, error: &(dyn std::error::Error + 'static)) -> SourceError {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
        let mut deepest = String::new();
        while let Some(e) = cause {
            if let Some(io) = e.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::ConnectionRefused
            {
                return SourceError::Unreachable { server: self.server.to_owned() };
            }
            if let Some(auth) = e.downcast_ref::<kube::client::AuthError>() {
                return self.transport(auth_error_words(auth), None);
            }
            let text = e.to_string();
            if !text.is_empty() {
                deepest = text;
            }
            cause = e.source();
        }
        let message = if deepest.is_empty() { "the request failed".to_owned() } else { deepest };
        self.transport(message, None)
    }

    /// A non-2xx answer as kubectl reports it: the Status when there is one, else client-go's
    /// generic words for the code. A body that is not a Status (an HTML error page) is never
    /// printed.
    fn status_error(&self, code: u16, body: &[u8], path: &str) -> SourceError {
        if code == 401 {
            return SourceError::Unauthorized { withheld: self.credentials_withheld };
        }
        let status: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let field = |key: &str| {
            status
                .get(key)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty() && status.get("kind").and_then(Value::as_str) == Some("Status"))
                .map(str::to_owned)
        };
        let (generic_reason, generic_message) = generic_status(code);
        let reason = field("reason").unwrap_or_else(|| generic_reason.to_owned());
        let message = field("message").unwrap_or_else(|| format!("{generic_message} (GET {path})"));
        SourceError::Api { code, reason, message }
    }
}

/// client-go's reason and words for a status code that came without a Status body
/// (apimachinery `NewGenericServerResponse`).
fn generic_status(code: u16) -> (&'static str, String) {
    let (reason, message) = match code {
        400 => ("BadRequest", "the server rejected our request for an unknown reason"),
        403 => ("Forbidden", "the server does not allow access to the requested resource"),
        404 => ("NotFound", "the server could not find the requested resource"),
        405 => ("MethodNotAllowed", "the server does not allow this method on the requested resource"),
        409 => ("Conflict", "the server reported a conflict"),
        410 => ("Expired", "the server no longer has the requested resource"),
        429 => ("TooManyRequests", "the server has received too many requests and has asked us to try again later"),
        500 => ("InternalError", "an error on the server has prevented the request from succeeding"),
        503 => ("ServiceUnavailable", "the server is currently unable to handle the request"),
        504 => ("Timeout", "the server was unable to return a response in the time allotted"),
        _ => ("", ""),
    };
    if reason.is_empty() {
        return ("", format!("the server responded with the status code {code} but did not return more information"));
    }
    (reason, message.to_owned())
}

/// `Retry-After`: seconds, or an HTTP date (RFC 9110) measured against the clock.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = at.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cannot_reach_another_path_or_query() {
        assert_eq!(segment("sha256:has space"), "sha256:has%20space");
        assert_eq!(segment("../../../api/v1/secrets"), "..%2F..%2F..%2Fapi%2Fv1%2Fsecrets");
        assert_eq!(segment("stream@sha256:abc"), "stream@sha256:abc");
        assert_eq!(segment("a?b#c%d"), "a%3Fb%23c%25d");
        assert_eq!(
            object_path(ResourceKind::ImageStream, Some("a/b"), "x"),
            "/apis/image.openshift.io/v1/namespaces/a%2Fb/imagestreams/x"
        );
    }

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        assert_eq!(retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(60);
        let date = jiff::fmt::rfc2822::to_string(&later.to_zoned(jiff::tz::TimeZone::UTC)).unwrap();
        assert!(retry_after(&date).is_some_and(|d| d > Duration::from_secs(50)), "{date}");
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn codes_without_a_status_get_client_go_words() {
        assert_eq!(generic_status(503).0, "ServiceUnavailable");
        assert_eq!(
            generic_status(302),
            ("", "the server responded with the status code 302 but did not return more information".into())
        );
    }
}
