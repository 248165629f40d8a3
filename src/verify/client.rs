//! Asking registries for manifests, as a node connects to them (containers/image's docker
//! client): HTTPS with verified certificates (the system's roots and `--registry-ca`); for a
//! registry marked insecure, HTTPS without verification and then plain HTTP. Only `HEAD` (and
//! `GET` where a registry refuses `HEAD`) of `/v2/<repository>/manifests/<reference>`, and the
//! token request of the Docker token flow: never blobs, never writes. Each endpoint is asked
//! once, at most `per_registry` at a time per registry and `overall` in all, within a timeout,
//! with retries that honour `Retry-After`. Credentials travel only in headers and are never
//! logged.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::sync::Semaphore;

use super::auth::{AuthFiles, Credentials};
use super::{Answer, Endpoint};

/// The media types a node accepts for a manifest (images and indexes, Docker's and OCI's).
const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";
/// Attempts for one request that the registry asks to retry (429, 502, 503, 504).
const ATTEMPTS: u32 = 3;
/// The longest wait between attempts, whatever `Retry-After` asks.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Redirects followed for one endpoint.
const MAX_REDIRECTS: u32 = 5;
/// The largest manifest a node reads (containers/image `iolimits.MaxManifestBodySize`).
const MAX_BODY: usize = 4 << 20;
/// The largest token answer a node reads (containers/image `iolimits.MaxAuthTokenBodySize`).
const MAX_TOKEN_BODY: usize = 1 << 20;
/// A manifest past 4 MiB: a node refuses it (containers/image's `ReadAtMost` words).
pub const MANIFEST_TOO_LARGE: &str =
    "the manifest is larger than 4 MiB, which a node refuses (exceeded maximum allowed size of 4194304 bytes)";

/// Where a request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// `https` or `http`.
    pub scheme: String,
    /// `host[:port]`, never with user information.
    pub host: String,
    /// The path with its query.
    pub path: String,
    /// The user name and password a `Location` carried (`https://user:pass@host/`): Go's client
    /// sends them as Basic credentials to that host, so a node does too.
    pub userinfo: Option<(String, String)>,
}

impl Target {
    /// Where a `Location` header sends the request next, read as Go's `net/url` reads it and
    /// resolved against this target as Go's client resolves redirects: the fragment dropped,
    /// the host after the last `@` of the authority (the user information before it), the query
    /// split off before the authority is read, a path without `/` relative to this one. `None`
    /// for what Go refuses (control characters, bad user information) and for schemes other
    /// than HTTP(S).
    pub fn redirect(&self, location: &str) -> Option<Target> {
        if location.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return None;
        }
        let location = location.split('#').next().unwrap_or_default();
        let (scheme, rest) = match scheme_of(location)? {
            Some((scheme, rest)) => (Some(scheme), rest),
            None => (None, location),
        };
        let (rest, query) = match rest.strip_suffix('?').filter(|r| !r.contains('?')) {
            Some(rest) => (rest, Some("")),
            None => match rest.split_once('?') {
                Some((rest, query)) => (rest, Some(query)),
                None => (rest, None),
            },
        };
        let with_query = |path: &str| match query {
            Some(query) => format!("{path}?{query}"),
            None => path.to_owned(),
        };
        let explicit = scheme.is_some();
        let scheme = match scheme.as_deref() {
            None => self.scheme.clone(),
            Some(s @ ("https" | "http")) => s.to_owned(),
            Some(_) => return None,
        };
        if rest.starts_with("//") && (explicit || !rest.starts_with("///")) {
            let authority = &rest[2..];
            let (authority, path) = authority.find('/').map_or((authority, ""), |i| authority.split_at(i));
            let (userinfo, host) = match authority.rfind('@') {
                Some(i) => (Some(parse_userinfo(&authority[..i])?), &authority[i + 1..]),
                None => (None, authority),
            };
            if host.is_empty() {
                return None;
            }
            let path = if path.is_empty() { "/" } else { path };
            return Some(Target { scheme, host: host.to_owned(), path: with_query(path), userinfo });
        }
        if explicit {
            // An absolute URL without a host (`https:/x`) or an opaque one (`https:x`).
            return None;
        }
        let base = self.path.split('?').next().unwrap_or_default();
        let path = match rest {
            "" => base.to_owned(),
            absolute if absolute.starts_with('/') => absolute.to_owned(),
            relative => format!("{}{relative}", &base[..base.rfind('/').map_or(0, |i| i + 1)]),
        };
        let path = if rest.is_empty() && query.is_none() { self.path.clone() } else { with_query(&remove_dots(&path)) };
        Some(Target { scheme, path, userinfo: None, ..self.clone() })
    }
}

/// A URL's scheme as Go reads it (a letter, then letters, digits, `+`, `-`, `.`, up to `:`),
/// lower-cased, with the rest; `Ok(None)` when there is none; `None` for a leading `:`.
fn scheme_of(url: &str) -> Option<Option<(String, &str)>> {
    for (i, c) in url.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            ':' if i == 0 => return None,
            ':' => return Some(Some((url[..i].to_ascii_lowercase(), &url[i + 1..]))),
            _ => return Some(None),
        }
    }
    Some(None)
}

/// `user[:password]` as Go accepts it (unreserved and sub-delimiter characters, `:`, `@` and
/// percent escapes), unescaped.
fn parse_userinfo(text: &str) -> Option<(String, String)> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:%@".contains(&b);
    if !text.bytes().all(allowed) {
        return None;
    }
    let (user, password) = text.split_once(':').unwrap_or((text, ""));
    let decode = |t: &str| percent_encoding::percent_decode_str(t).decode_utf8().ok().map(|t| t.into_owned());
    Some((decode(user)?, decode(password)?))
}

/// A path with its `.` and `..` segments resolved, as Go's `ResolveReference` does.
fn remove_dots(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." if last => out.push(""),
            "." => {}
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            other => out.push(other),
        }
    }
    format!("/{}", out.join("/"))
}

/// How to reach registries.
pub struct ClientOptions {
    /// Extra CA certificates (`--registry-ca`), trusted beside the system's.
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// Credentials from the auth files.
    pub credentials: AuthFiles,
    /// The longest one endpoint may take, retries included.
    pub timeout: Duration,
    /// The longest the whole run may take (`--verify-timeout`): endpoints not answered by then
    /// are unreachable.
    pub deadline: Duration,
    /// Requests in flight per registry.
    pub per_registry: usize,
    /// Requests in flight in all.
    pub overall: usize,
    /// The platform a node pulls from a manifest list (`--platform`): `os/architecture[/variant]`.
    pub platform: String,
}

/// One request made, for `-v` (never with credentials).
#[derive(Clone, Debug)]
pub struct RequestLog {
    /// `HEAD https://host/v2/repo/manifests/ref`.
    pub line: String,
    /// The status, or what happened instead.
    pub(crate) outcome: String,
    /// How long it took.
    pub(crate) millis: u128,
}

/// What an endpoint of a registry that timed out is, without asking it again.
pub const TIMED_OUT_EARLIER: &str = "timed out earlier";

/// Asks every endpoint once and returns the answers by [`Endpoint::key`], with the requests
/// made in the order they completed. The run ends within `options.deadline` whatever the
/// registries do; once an endpoint of a registry times out, the registry's endpoints not yet
/// asked are [`TIMED_OUT_EARLIER`] at once instead of costing the timeout again.
pub fn ask_all(endpoints: &[Endpoint], options: &ClientOptions) -> (BTreeMap<String, Answer>, Vec<RequestLog>) {
    let mut unique: BTreeMap<String, Endpoint> = BTreeMap::new();
    for endpoint in endpoints {
        unique.entry(endpoint.key()).or_insert_with(|| endpoint.clone());
    }
    if unique.is_empty() {
        return (BTreeMap::new(), Vec::new());
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let tls = Tls::new(&options.extra_roots);
    let log = std::sync::Mutex::new(Vec::new());
    let overall = Semaphore::new(options.overall.max(1));
    let mut per_registry: BTreeMap<String, Semaphore> = BTreeMap::new();
    for endpoint in unique.values() {
        per_registry.entry(endpoint.registry.clone()).or_insert_with(|| Semaphore::new(options.per_registry.max(1)));
    }
    let timed_out: std::sync::Mutex<BTreeSet<String>> = std::sync::Mutex::new(BTreeSet::new());
    let asker = Asker { tls: &tls, credentials: &options.credentials, log: &log, platform: &options.platform };
    let answers = runtime.block_on(async {
        let deadline = tokio::time::Instant::now() + options.deadline;
        let tasks = unique.iter().map(|(key, endpoint)| {
            let (overall, registry) = (&overall, &per_registry[&endpoint.registry]);
            let (asker, timed_out) = (&asker, &timed_out);
            let gave_up = || timed_out.lock().map(|t| t.contains(&endpoint.registry)).unwrap_or(false);
            let asked = async move {
                let _registry = registry.acquire().await.expect("open semaphore");
                if gave_up() {
                    return Answer::Unreachable(TIMED_OUT_EARLIER.into());
                }
                let _overall = overall.acquire().await.expect("open semaphore");
                if gave_up() {
                    return Answer::Unreachable(TIMED_OUT_EARLIER.into());
                }
                let answer = match tokio::time::timeout(options.timeout, asker.ask(endpoint)).await {
                    Ok(answer) => answer,
                    Err(_) => {
                        Answer::Unreachable(format!("no answer within {}", crate::duration::format(options.timeout)))
                    }
                };
                let silent =
                    matches!(&answer, Answer::Unreachable(why) if why.starts_with("no answer") || why == "timed out");
                if silent && let Ok(mut registries) = timed_out.lock() {
                    registries.insert(endpoint.registry.clone());
                }
                answer
            };
            async move {
                let answer = tokio::time::timeout_at(deadline, asked).await.unwrap_or_else(|_| {
                    Answer::Unreachable(format!(
                        "no answer within --verify-timeout ({})",
                        crate::duration::format(options.deadline)
                    ))
                });
                (key.clone(), answer)
            }
        });
        futures::future::join_all(tasks).await.into_iter().collect()
    });
    // A name lookup still running (it blocks a thread) must not hold the run past its deadline.
    runtime.shutdown_background();
    (answers, log.into_inner().unwrap_or_default())
}

/// The two TLS configurations a node uses: verified, and (for insecure registries) not.
struct Tls {
    verified: Arc<rustls::ClientConfig>,
    unverified: Arc<rustls::ClientConfig>,
}

impl Tls {
    fn new(extra: &[CertificateDer<'static>]) -> Tls {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        for cert in rustls_native_certs::load_native_certs().certs.into_iter().chain(extra.iter().cloned()) {
            let _ = roots.add(cert);
        }
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("ring supports the default protocol versions");
        let verified = builder.clone().with_root_certificates(roots).with_no_client_auth();
        let unverified = builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
            .with_no_client_auth();
        Tls { verified: Arc::new(verified), unverified: Arc::new(unverified) }
    }
}

/// The verifier of a registry marked insecure: any certificate (signatures still checked).
#[derive(Debug)]
struct AnyCertificate(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// How a request went when no HTTP answer came.
enum Transport {
    Unreachable(String),
    Tls(String),
}

impl From<Transport> for Answer {
    fn from(t: Transport) -> Answer {
        match t {
            Transport::Unreachable(why) => Answer::Unreachable(why),
            Transport::Tls(why) => Answer::Tls(why),
        }
    }
}

/// What a challenge came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Authorization {
    /// The `Authorization` header value to retry with.
    Header(String),
    /// No way in: the registry's 401, with why when the token server failed.
    Refused(Option<String>),
    /// The token server's answer cannot be used at all (a token no header can carry).
    Failed(String),
}

/// The `Authorization` value of a token server's answer (`token`, else `access_token`, as the
/// Docker token flow has it); a token that no HTTP header can carry (a NUL, a line break) is
/// [`Authorization::Failed`], as Go's client refuses to send it. Pure, for the fuzz harness.
pub fn bearer_of(body: &[u8]) -> Result<String, Authorization> {
    #[derive(serde::Deserialize)]
    struct Token {
        #[serde(default)]
        token: Option<String>,
        #[serde(default)]
        access_token: Option<String>,
    }
    let token = serde_json::from_slice::<Token>(body)
        .map_err(|_| Authorization::Refused(Some("its answer is not a token".into())))?;
    let token = token.token.filter(|t| !t.is_empty()).or(token.access_token).unwrap_or_default();
    if token.is_empty() {
        return Err(Authorization::Refused(Some("its answer holds no token".into())));
    }
    let value = format!("Bearer {token}");
    if http::HeaderValue::from_str(&value).is_err() {
        return Err(Authorization::Failed(
            "the token server sent a token with characters no HTTP header may carry".into(),
        ));
    }
    Ok(value)
}

/// The digest of the image a node of `platform` pulls from a manifest list's body, or the
/// answer when there is none to pull (`childMissing`) or the list is unusable (`failed`). The
/// digest is checked before it goes into a path. Pure, for the fuzz harness.
pub fn list_child(index: &[u8], platform: &str) -> Result<String, Answer> {
    #[derive(serde::Deserialize)]
    struct Index {
        #[serde(default)]
        manifests: Vec<Child>,
    }
    #[derive(serde::Deserialize)]
    struct Child {
        digest: String,
        #[serde(default)]
        platform: Option<Platform>,
    }
    #[derive(serde::Deserialize)]
    struct Platform {
        #[serde(default)]
        os: String,
        #[serde(default)]
        architecture: String,
        #[serde(default)]
        variant: Option<String>,
    }
    let Ok(index) = serde_json::from_slice::<Index>(index) else {
        return Err(Answer::Failed("the manifest list does not parse".into()));
    };
    let entries: Vec<(&str, &str, &str)> = index
        .manifests
        .iter()
        .map(|c| match &c.platform {
            Some(p) => (p.os.as_str(), p.architecture.as_str(), p.variant.as_deref().unwrap_or("")),
            None => ("", "", ""),
        })
        .collect();
    let Some(child) = super::choose_instance(platform, &entries).map(|i| &index.manifests[i]) else {
        return Err(Answer::ChildMissing(format!("an image for {platform}")));
    };
    // The digest comes from the registry: it must be one before it goes into a path.
    if crate::reference::digest_of(&child.digest).as_deref() != Some(child.digest.as_str())
        || child.digest.contains(['/', '?', '#', '@'])
    {
        return Err(Answer::Failed(format!("the manifest list names an invalid digest {:?}", child.digest)));
    }
    Ok(child.digest.clone())
}

/// A response's status and the headers the client needs.
struct Response {
    /// The body went past [`MAX_BODY`] and was cut there.
    oversized: bool,
    status: u16,
    content_type: Option<String>,
    location: Option<String>,
    authenticate: Option<String>,
    retry_after: Option<u64>,
    body: Bytes,
}

struct Asker<'a> {
    platform: &'a str,
    tls: &'a Tls,
    credentials: &'a AuthFiles,
    log: &'a std::sync::Mutex<Vec<RequestLog>>,
}

impl Asker<'_> {
    /// The answer for one endpoint: over verified HTTPS; for an insecure registry, over
    /// unverified HTTPS and then plain HTTP, as a node falls back.
    async fn ask(&self, endpoint: &Endpoint) -> Answer {
        let schemes: &[(&str, bool)] =
            if endpoint.insecure { &[("https", false), ("http", false)] } else { &[("https", true)] };
        let mut last = Answer::Unreachable("not asked".into());
        for (scheme, verify) in schemes {
            let mut digest = None;
            match self.ask_over(endpoint, scheme, *verify, &mut digest).await {
                Ok(Answer::Present) if endpoint.signature_via_manifest => {
                    return self.manifest_signature(endpoint, scheme, *verify, digest).await;
                }
                Ok(answer) => return answer,
                Err(failure) => last = failure.into(),
            }
        }
        last
    }

    /// The signature attachment of the manifest the endpoint named when it was asked (the
    /// sha256 of its body, as a node computes it from the manifest it pulled), over the scheme
    /// that answered.
    async fn manifest_signature(
        &self,
        endpoint: &Endpoint,
        scheme: &str,
        verify: bool,
        digest: Option<String>,
    ) -> Answer {
        let Some(hex) = digest.as_deref().and_then(|d| d.strip_prefix("sha256:")) else {
            return Answer::Failed("the manifest was too large to compute its digest".into());
        };
        let attachment =
            Endpoint { reference: format!("sha256-{hex}.sig"), signature_via_manifest: false, ..endpoint.clone() };
        self.ask_over(&attachment, scheme, verify, &mut None).await.unwrap_or_else(Answer::from)
    }

    /// The answer for one endpoint over one scheme; `digest` gets the sha256 of the manifest
    /// when it was fetched whole (a GET).
    async fn ask_over(
        &self,
        endpoint: &Endpoint,
        scheme: &str,
        verify: bool,
        digest: &mut Option<String>,
    ) -> Result<Answer, Transport> {
        let mut target = Target {
            scheme: scheme.to_owned(),
            host: endpoint.host().to_owned(),
            path: format!("/v2/{}/manifests/{}", endpoint.repository, endpoint.reference),
            userinfo: None,
        };
        // An auth file a lookup cannot use fails the pull, as containers/image fails it.
        let credentials = match self.credentials.lookup(&endpoint.registry, &endpoint.repository) {
            Ok(credentials) => credentials,
            Err(why) => return Ok(Answer::Failed(format!("registry credentials {why}"))),
        };
        let mut authorization: Option<String> = None;
        // A signature looked up by the manifest's digest needs the manifest itself.
        let mut method = if endpoint.signature_via_manifest { "GET" } else { "HEAD" };
        let (mut attempts, mut redirects, mut elsewhere) = (0, 0, false);
        loop {
            attempts += 1;
            let response =
                self.send(method, &target.scheme, &target.host, &target.path, authorization.as_deref(), verify).await?;
            if response.status == 200 && method == "GET" && !response.oversized {
                *digest = Some(sha256_digest(&response.body));
            }
            match response.status {
                200 if is_index(response.content_type.as_deref()) => {
                    let auth = authorization.as_deref();
                    let list = match method {
                        "GET" => response,
                        _ => self.send("GET", &target.scheme, &target.host, &target.path, auth, verify).await?,
                    };
                    return match list_body(list) {
                        Ok(body) => self.child(endpoint, scheme, verify, &body, auth).await,
                        Err(answer) => Ok(answer),
                    };
                }
                // No media type: read the manifest itself, as a node does (it may be a list).
                200 if method == "HEAD" && response.content_type.is_none() => method = "GET",
                200 => return Ok(Answer::Present),
                404 => return Ok(Answer::Missing),
                // Credentials go to the registry they are for, never to a host it redirected to.
                401 if authorization.is_none() && !elsewhere => {
                    let challenge = self.challenge(response, &target, verify).await?;
                    match self.authorize(&challenge, credentials, &endpoint.repository, verify).await {
                        Authorization::Header(value) => authorization = Some(value),
                        Authorization::Refused(why) => return Ok(Answer::Unauthorized(why)),
                        Authorization::Failed(why) => return Ok(Answer::Failed(why)),
                    }
                }
                401 => return Ok(Answer::Unauthorized(None)),
                403 => return Ok(Answer::Forbidden),
                // Some registries answer HEAD with 405 or 400: a node would GET.
                405 | 400 if method == "HEAD" => method = "GET",
                // Followed as Go's HTTP client follows them for a node, a few times at most.
                301 | 302 | 303 | 307 | 308 if redirects < MAX_REDIRECTS => {
                    match redirect(endpoint, &target, &response, &mut authorization) {
                        Ok(next) => {
                            elsewhere |= next.host != target.host || next.scheme != target.scheme;
                            target = next;
                            redirects += 1;
                        }
                        Err(answer) => return Ok(answer),
                    }
                }
                429 | 502 | 503 | 504 if attempts < ATTEMPTS => {
                    let wait = Duration::from_secs(response.retry_after.unwrap_or(1)).min(MAX_BACKOFF);
                    tokio::time::sleep(wait).await;
                }
                status => return Ok(Answer::Failed(format!("HTTP {status}"))),
            }
        }
    }

    /// A 401's challenge. Some registries (gcr.io) answer without one; the `/v2/` ping has it,
    /// and containers/image takes it from there.
    async fn challenge(&self, response: Response, target: &Target, verify: bool) -> Result<String, Transport> {
        match response.authenticate.filter(|c| !c.is_empty()) {
            Some(challenge) => Ok(challenge),
            None => {
                let ping = self.send("GET", &target.scheme, &target.host, "/v2/", None, verify).await?;
                Ok(ping.authenticate.unwrap_or_default())
            }
        }
    }

    /// For a manifest list: whether the image a node of the platform would pull is there too.
    async fn child(
        &self,
        endpoint: &Endpoint,
        scheme: &str,
        verify: bool,
        index: &[u8],
        authorization: Option<&str>,
    ) -> Result<Answer, Transport> {
        let digest = match list_child(index, self.platform) {
            Ok(digest) => digest,
            Err(answer) => return Ok(answer),
        };
        let path = format!("/v2/{}/manifests/{digest}", endpoint.repository);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let response = self.send("HEAD", scheme, endpoint.host(), &path, authorization, verify).await?;
            // A node fetches the image from the source it took the list from: any failure here
            // fails the pull there (the detail says which).
            return Ok(match response.status {
                200 => Answer::Present,
                404 => Answer::ChildMissing(format!("its {} image {digest}", self.platform)),
                429 | 502 | 503 | 504 if attempts < ATTEMPTS => {
                    let wait = Duration::from_secs(response.retry_after.unwrap_or(1)).min(MAX_BACKOFF);
                    tokio::time::sleep(wait).await;
                    continue;
                }
                status => Answer::ChildMissing(format!("its {} image {digest} (HTTP {status})", self.platform)),
            });
        }
    }

    /// The `Authorization` value a challenge asks for, when there are credentials for it (Basic)
    /// or a token can be had (Bearer, with or without credentials). A token server that cannot
    /// be reached or refuses is the registry's 401, with the token server's failure as detail.
    async fn authorize(
        &self,
        challenge: &str,
        credentials: Option<&Credentials>,
        repository: &str,
        verify: bool,
    ) -> Authorization {
        let (scheme, params) = parse_challenge(challenge);
        match scheme.to_ascii_lowercase().as_str() {
            "basic" => match credentials {
                Some(credentials) => Authorization::Header(credentials.basic()),
                None => Authorization::Refused(None),
            },
            "bearer" => {
                let Some(realm) = params.get("realm") else { return Authorization::Refused(None) };
                let Some((token_scheme, host, path)) = split_url(realm) else {
                    return Authorization::Refused(Some(format!("the token realm {realm:?} is not an HTTP(S) URL")));
                };
                let scope = params.get("scope").cloned().unwrap_or_else(|| format!("repository:{repository}:pull"));
                // Credentials go to the token server only over TLS, unless the registry itself
                // is insecure (then nothing about it is protected anyway).
                let credentials = credentials.filter(|_| token_scheme == "https" || !verify);
                let server = format!("the token server {token_scheme}://{host}");
                let answer = match credentials.and_then(|c| c.identity_token.as_deref()) {
                    // containers/image `getBearerTokenOAuth2`: a form POST with the refresh token.
                    Some(refresh_token) => {
                        let mut form = vec![
                            ("scope", scope.as_str()),
                            ("grant_type", "refresh_token"),
                            ("refresh_token", refresh_token),
                            ("client_id", "containers/image"),
                        ];
                        form.extend(params.get("service").filter(|s| !s.is_empty()).map(|s| ("service", s.as_str())));
                        self.post_form(token_scheme, host, path, &form_encode(form), verify).await
                    }
                    // containers/image `getBearerToken`: a GET naming the account, with Basic
                    // credentials when there are both a user name and a password.
                    None => {
                        let mut query = vec![("scope", scope.as_str())];
                        query.extend(
                            credentials.map(|c| c.username.as_str()).filter(|u| !u.is_empty()).map(|u| ("account", u)),
                        );
                        query.extend(params.get("service").filter(|s| !s.is_empty()).map(|s| ("service", s.as_str())));
                        let separator = if path.contains('?') { '&' } else { '?' };
                        let target = format!("{path}{separator}{}", form_encode(query));
                        let basic = credentials.filter(|c| !c.username.is_empty() && !c.password.is_empty());
                        let basic = basic.map(Credentials::basic);
                        self.send("GET", token_scheme, host, &target, basic.as_deref(), verify).await
                    }
                };
                match answer {
                    Err(Transport::Unreachable(why) | Transport::Tls(why)) => {
                        Authorization::Refused(Some(format!("{server}: {why}")))
                    }
                    Ok(response) if response.status != 200 => {
                        Authorization::Refused(Some(format!("{server} answered HTTP {}", response.status)))
                    }
                    Ok(response) if response.body.len() > MAX_TOKEN_BODY || response.oversized => {
                        Authorization::Refused(Some(format!("{server} answered with more than 1 MiB")))
                    }
                    Ok(response) => match bearer_of(&response.body) {
                        Ok(value) => Authorization::Header(value),
                        Err(Authorization::Refused(why)) => {
                            Authorization::Refused(why.map(|why| format!("{server}: {why}")))
                        }
                        Err(other) => other,
                    },
                }
            }
            _ => Authorization::Refused(None),
        }
    }

    /// A form POST (the OAuth2 token request) on its own connection; the log line names the
    /// URL, never the form.
    async fn post_form(
        &self,
        scheme: &str,
        host: &str,
        target: &str,
        form: &str,
        verify: bool,
    ) -> Result<Response, Transport> {
        self.logged("POST", scheme, host, target, Credential::Form(form), verify).await
    }

    /// One request on its own connection; the log line names the URL, never a header.
    async fn send(
        &self,
        method: &str,
        scheme: &str,
        host: &str,
        target: &str,
        authorization: Option<&str>,
        verify: bool,
    ) -> Result<Response, Transport> {
        let sent = authorization.map_or(Credential::None, Credential::Header);
        self.logged(method, scheme, host, target, sent, verify).await
    }

    /// [`Self::exchange`], logged for `-v`: method, URL without its query, outcome and time.
    async fn logged(
        &self,
        method: &str,
        scheme: &str,
        host: &str,
        target: &str,
        sent: Credential<'_>,
        verify: bool,
    ) -> Result<Response, Transport> {
        let started = Instant::now();
        let line = format!("{method} {scheme}://{host}{}", target.split('?').next().unwrap_or(target));
        let result = self.exchange(method, scheme, host, target, sent, verify).await;
        let outcome = match &result {
            Ok(response) => response.status.to_string(),
            Err(Transport::Unreachable(why) | Transport::Tls(why)) => why.clone(),
        };
        if let Ok(mut log) = self.log.lock() {
            log.push(RequestLog { line, outcome, millis: started.elapsed().as_millis() });
        }
        result
    }

    async fn exchange(
        &self,
        method: &str,
        scheme: &str,
        host: &str,
        target: &str,
        sent: Credential<'_>,
        verify: bool,
    ) -> Result<Response, Transport> {
        let (name, port) = split_host(host, if scheme == "https" { 443 } else { 80 });
        let tcp = tokio::net::TcpStream::connect((name, port)).await.map_err(|e| {
            Transport::Unreachable(match e.kind() {
                std::io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
                std::io::ErrorKind::TimedOut => "timed out".to_owned(),
                _ if e.to_string().contains("failed to lookup") => "no such host".to_owned(),
                _ => e.to_string(),
            })
        })?;
        let request = hyper::Request::builder()
            .method(method)
            .uri(target)
            .header("host", host)
            .header("accept", ACCEPT)
            .header("user-agent", concat!("isctl/", env!("CARGO_PKG_VERSION")));
        let request = match sent {
            Credential::Header(value) => request.header("authorization", value).body(Full::new(Bytes::new())),
            Credential::Form(form) => request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Full::new(Bytes::from(form.to_owned()))),
            Credential::None => request.body(Full::new(Bytes::new())),
        };
        let request = request.map_err(|e| Transport::Unreachable(e.to_string()))?;
        if scheme == "https" {
            let config = if verify { self.tls.verified.clone() } else { self.tls.unverified.clone() };
            let server = ServerName::try_from(name.to_owned())
                .map_err(|_| Transport::Tls(format!("{name:?} is not a TLS server name")))?;
            let stream = tokio_rustls::TlsConnector::from(config)
                .connect(server, tcp)
                .await
                .map_err(|e| Transport::Tls(tls_words(&e)))?;
            exchange_over(stream, request).await
        } else {
            exchange_over(tcp, request).await
        }
    }
}

/// Sends one request over a connected stream and reads the answer (a manifest's body at most).
async fn exchange_over<S>(stream: S, request: hyper::Request<Full<Bytes>>) -> Result<Response, Transport>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let failed = |e: hyper::Error| Transport::Unreachable(format!("the connection failed: {e}"));
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream)).await.map_err(failed)?;
    let driver = tokio::spawn(connection);
    let response = sender.send_request(request).await.map_err(failed)?;
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (status, authenticate, retry_after, content_type, location) = (
        response.status().as_u16(),
        header("www-authenticate"),
        header("retry-after").and_then(|v| v.trim().parse().ok()),
        header("content-type"),
        header("location"),
    );
    let limited = http_body_util::Limited::new(response.into_body(), MAX_BODY);
    let collected = limited.collect().await;
    driver.abort();
    let (body, oversized) = match collected {
        Ok(body) => (body.to_bytes(), false),
        Err(e) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => (Bytes::new(), true),
        Err(e) => return Err(Transport::Unreachable(format!("the connection failed: {e}"))),
    };
    Ok(Response { oversized, status, content_type, location, authenticate, retry_after, body })
}

/// `sha256:<hex>` of a manifest's bytes, as containers/image `manifest.Digest` computes it.
fn sha256_digest(body: &[u8]) -> String {
    let sum = ring::digest::digest(&ring::digest::SHA256, body);
    let hex: String = sum.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// What a TLS failure means for a person, with what to do when there is something to do: read
/// from rustls's typed error, never from its text (which changes between releases).
fn tls_words(error: &std::io::Error) -> String {
    use rustls::{CertificateError, Error};
    let Some(tls) = error.get_ref().and_then(|e| e.downcast_ref::<Error>()) else { return error.to_string() };
    match tls {
        Error::InvalidMessage(_) => {
            "the registry does not speak TLS (a node uses plain HTTP only for registries marked insecure)".into()
        }
        Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "certificate signed by an unknown authority (--registry-ca FILE trusts a CA)".into()
        }
        Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => "the certificate is not valid for this host name".into(),
        Error::InvalidCertificate(CertificateError::Expired | CertificateError::ExpiredContext { .. }) => {
            "the certificate has expired".into()
        }
        other => other.to_string(),
    }
}

/// Whether a manifest's media type is a list of images (Docker's or OCI's).
fn is_index(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|t| {
        t.contains("application/vnd.docker.distribution.manifest.list.v2+json")
            || t.contains("application/vnd.oci.image.index.v1+json")
    })
}

/// `host[:port]` into its name and port.
fn split_host(host: &str, default: u16) -> (&str, u16) {
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(']') || name.ends_with(']') => {
            (name.trim_start_matches('[').trim_end_matches(']'), port.parse().unwrap_or(default))
        }
        _ => (host.trim_start_matches('[').trim_end_matches(']'), default),
    }
}

/// `scheme://host/path?query` into its parts.
fn split_url(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = match scheme {
        "https" => "https",
        "http" => "http",
        _ => return None,
    };
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    Some((scheme, host, path))
}

/// A `WWW-Authenticate` value: its scheme and parameters. Pure, for the fuzz harness.
pub fn parse_challenge(value: &str) -> (String, BTreeMap<String, String>) {
    let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    let mut params = BTreeMap::new();
    let mut rest = rest.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let key = key.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let (value, remaining) = match after.strip_prefix('"') {
            Some(quoted) => match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            },
            None => after.split_once(',').map_or((after, ""), |(v, r)| (v, r)),
        };
        params.insert(key, value.to_owned());
        rest = remaining.trim_start_matches(',').trim();
    }
    (scheme.to_owned(), params)
}

/// What a request carries to prove who asks.
enum Credential<'a> {
    /// Nothing.
    None,
    /// An `Authorization` header value.
    Header(&'a str),
    /// A form body (the OAuth2 token request, whose refresh token is the credential).
    Form(&'a str),
}

/// Go's `url.QueryEscape`: letters, digits and `-_.~` stay, a space is `+`, the rest is
/// percent-encoded.
fn encode(value: &str) -> String {
    const ESCAPED: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    percent_encoding::utf8_percent_encode(value, ESCAPED).to_string().replace("%20", "+")
}

/// Go's `url.Values.Encode`: `key=value` pairs, escaped, sorted by key (stable for repeats).
fn form_encode(mut pairs: Vec<(&str, &str)>) -> String {
    pairs.sort_by_key(|(key, _)| *key);
    pairs.iter().map(|(key, value)| format!("{}={}", encode(key), encode(value))).collect::<Vec<_>>().join("&")
}

/// The body of a manifest list answer, or the answer it ends in: an error page is not an empty
/// list, and a list over containers/image's limit is refused as a node refuses it.
fn list_body(response: Response) -> Result<Bytes, Answer> {
    if response.status != 200 || !is_index(response.content_type.as_deref()) {
        return Err(Answer::Failed(format!("HTTP {} when reading the manifest list", response.status)));
    }
    if response.oversized {
        return Err(Answer::Failed(MANIFEST_TOO_LARGE.into()));
    }
    Ok(response.body)
}

/// Where a redirect leads, as Go's HTTP client follows it for a node, with the credentials
/// that may go there; or the answer a refused redirect ends in.
fn redirect(
    endpoint: &Endpoint,
    target: &Target,
    response: &Response,
    authorization: &mut Option<String>,
) -> Result<Target, Answer> {
    let Some(next) = response.location.as_deref().and_then(|l| target.redirect(l)) else {
        return Err(Answer::Failed(format!("HTTP {} without a usable Location", response.status)));
    };
    // Never from TLS to plain HTTP for a registry that is not marked insecure: the credentials
    // would travel in the clear, and a node's TLS-only client would refuse it.
    if !endpoint.insecure && next.scheme != "https" {
        return Err(Answer::Failed(format!(
            "redirected to plain HTTP ({}://{}), refused for a registry not marked insecure",
            next.scheme, next.host
        )));
    }
    // Credentials stay with the scheme, host and port they were sent to.
    if next.host != target.host || next.scheme != target.scheme {
        *authorization = None;
    }
    // Go's client sends a Location's user information as Basic credentials.
    if let Some((user, password)) = &next.userinfo {
        let pair = Credentials { username: user.clone(), password: password.clone(), identity_token: None };
        *authorization = Some(authorization.take().unwrap_or_else(|| pair.basic()));
    }
    Ok(next)
}
#[cfg(test)]
mod tests {
    use super::*;

    /// FIPS 180-2's "abc" vector, written as a digest.
    #[test]
    fn a_manifest_digest_is_its_sha256() {
        assert_eq!(sha256_digest(b"abc"), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn challenges_and_urls_are_read_as_registries_write_them() {
        let (scheme, params) = parse_challenge(
            r#"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:org/app:pull""#,
        );
        assert_eq!(scheme, "Bearer");
        assert_eq!(params["realm"], "https://auth.example.com/token");
        assert_eq!(params["scope"], "repository:org/app:pull");
        assert_eq!(parse_challenge("Basic realm=\"basic-realm\"").1["realm"], "basic-realm");
        assert_eq!(
            split_url("https://auth.example.com:8443/token?x=1"),
            Some(("https", "auth.example.com:8443", "/token?x=1"))
        );
        assert_eq!(split_url("ftp://x/y"), None);
        assert_eq!(split_host("127.0.0.1:5000", 443), ("127.0.0.1", 5000));
        assert_eq!(split_host("quay.io", 443), ("quay.io", 443));
        assert_eq!(encode("repository:org/app:pull"), "repository%3Aorg%2Fapp%3Apull");
        let here = Target {
            scheme: "https".into(),
            host: "r.example.com".into(),
            path: "/v2/a/manifests/b".into(),
            userinfo: None,
        };
        assert_eq!(here.redirect("/v2/c/manifests/b").map(|t| t.host), Some("r.example.com".into()));
        let there = here.redirect("http://cdn.example.net/blob?sig=1").unwrap();
        assert_eq!(
            (there.scheme.as_str(), there.host.as_str(), there.path.as_str()),
            ("http", "cdn.example.net", "/blob?sig=1")
        );
        assert_eq!(here.redirect("ftp://x/y"), None);
    }

    #[test]
    fn item_07_a_location_is_read_as_go_reads_it() {
        let here = Target {
            scheme: "https".into(),
            host: "r.example.com".into(),
            path: "/v2/a/manifests/b?x=1".into(),
            userinfo: None,
        };
        let go = |location: &str| here.redirect(location).map(|t| (t.scheme, t.host, t.path, t.userinfo));
        let pair = |u: &str, p: &str| Some((u.to_owned(), p.to_owned()));
        let to = |s: &str, h: &str, p: &str| (s.to_owned(), h.to_owned(), p.to_owned());
        // The host follows the last @; what precedes it is the user information, unescaped.
        assert_eq!(
            go("https://u:p%40ss@cdn.example.net:8443/blob?sig=1#frag"),
            Some((to("https", "cdn.example.net:8443", "/blob?sig=1"), pair("u", "p@ss")))
                .map(|((s, h, p), u)| (s, h, p, u))
        );
        assert_eq!(go("https://a@b@c.example/x").map(|t| (t.1, t.3)), Some(("c.example".into(), pair("a@b", ""))));
        // The query is split off before the authority is read.
        assert_eq!(go("https://cdn.example?q=a/b").map(|t| (t.1, t.2)), Some(("cdn.example".into(), "/?q=a/b".into())));
        assert_eq!(go("//other.example/p").map(|t| (t.0, t.1)), Some(("https".into(), "other.example".into())));
        // Relative references resolve against the current path, as Go's ResolveReference does.
        assert_eq!(go("c").map(|t| t.2), Some("/v2/a/manifests/c".into()));
        assert_eq!(go("../../x/manifests/c").map(|t| t.2), Some("/v2/x/manifests/c".into()));
        assert_eq!(go("?y=2").map(|t| t.2), Some("/v2/a/manifests/b?y=2".into()));
        assert_eq!(go("HTTPS://Cdn.example/p").map(|t| (t.0, t.1)), Some(("https".into(), "Cdn.example".into())));
        // What Go refuses: control characters, bad user information, a leading colon, no host.
        for refused in ["https://x/\u{0}", "https://a b@c/x", ":x", "https:/x", "https:x", "https:///x", "mailto:a@b"] {
            assert_eq!(go(refused), None, "{refused:?}");
        }
        assert_eq!(go("https://x/\u{7f}"), None);
    }

    #[test]
    fn item_07_a_token_no_header_can_carry_fails() {
        assert_eq!(bearer_of(br#"{"token":"abc"}"#), Ok("Bearer abc".into()));
        assert_eq!(bearer_of(br#"{"token":"","access_token":"xyz"}"#), Ok("Bearer xyz".into()));
        assert!(matches!(bearer_of(br#"{"token":"a\u0000b"}"#), Err(Authorization::Failed(_))));
        assert!(matches!(bearer_of(br#"{"token":"a\r\nX-Evil: 1"}"#), Err(Authorization::Failed(_))));
        assert!(matches!(bearer_of(br#"{}"#), Err(Authorization::Refused(Some(_)))));
        assert!(matches!(bearer_of(b"<html>"), Err(Authorization::Refused(Some(_)))));
    }
}
