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

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::sync::Semaphore;

use super::auth::{AuthFile, Credentials};
use super::{Answer, Endpoint};

/// The media types a node accepts for a manifest (images and indexes, Docker's and OCI's).
const ACCEPT: &str = "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";
/// Attempts for one request that the registry asks to retry (429, 502, 503, 504).
const ATTEMPTS: u32 = 3;
/// The longest wait between attempts, whatever `Retry-After` asks.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// Redirects followed for one endpoint.
const MAX_REDIRECTS: u32 = 5;

/// Where a request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Target {
    scheme: String,
    host: String,
    path: String,
}

impl Target {
    /// Where a `Location` header sends the request next: an absolute URL, or a path on the
    /// same host.
    fn redirect(&self, location: &str) -> Option<Target> {
        if let Some(rest) = location.strip_prefix("//") {
            // A network-path reference: another host, the same scheme.
            let (host, path) = rest.split_once('/').map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
            return Some(Target { scheme: self.scheme.clone(), host: host.to_owned(), path });
        }
        if location.starts_with('/') {
            return Some(Target { path: location.to_owned(), ..self.clone() });
        }
        let (scheme, host, path) = split_url(location)?;
        Some(Target { scheme: scheme.to_owned(), host: host.to_owned(), path: path.to_owned() })
    }
}

/// How to reach registries.
pub struct ClientOptions {
    /// Extra CA certificates (`--registry-ca`), trusted beside the system's.
    pub extra_roots: Vec<CertificateDer<'static>>,
    /// Credentials from the auth file.
    pub credentials: AuthFile,
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
    pub outcome: String,
    /// How long it took.
    pub millis: u128,
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

/// A response's status and the headers the client needs.
struct Response {
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
    credentials: &'a AuthFile,
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
            match self.ask_over(endpoint, scheme, *verify).await {
                Ok(answer) => return answer,
                Err(failure) => last = failure.into(),
            }
        }
        last
    }

    async fn ask_over(&self, endpoint: &Endpoint, scheme: &str, verify: bool) -> Result<Answer, Transport> {
        let mut target = Target {
            scheme: scheme.to_owned(),
            host: endpoint.host().to_owned(),
            path: format!("/v2/{}/manifests/{}", endpoint.repository, endpoint.reference),
        };
        let credentials = self.credentials.lookup(&endpoint.registry, &endpoint.repository);
        let mut authorization: Option<String> = None;
        let mut method = "HEAD";
        let (mut attempts, mut redirects, mut elsewhere) = (0, 0, false);
        loop {
            attempts += 1;
            let response =
                self.send(method, &target.scheme, &target.host, &target.path, authorization.as_deref(), verify).await?;
            match response.status {
                200 if is_index(response.content_type.as_deref()) => {
                    let body = match method {
                        "GET" => response.body,
                        _ => {
                            let auth = authorization.as_deref();
                            let list =
                                self.send("GET", &target.scheme, &target.host, &target.path, auth, verify).await?;
                            // An error page is not an empty list.
                            if list.status != 200 || !is_index(list.content_type.as_deref()) {
                                return Ok(Answer::Failed(format!(
                                    "HTTP {} when reading the manifest list",
                                    list.status
                                )));
                            }
                            list.body
                        }
                    };
                    return self.child(endpoint, scheme, verify, &body, authorization.as_deref()).await;
                }
                // No media type: read the manifest itself, as a node does (it may be a list).
                200 if method == "HEAD" && response.content_type.is_none() => method = "GET",
                200 => return Ok(Answer::Present),
                404 => return Ok(Answer::Missing),
                // Credentials go to the registry they are for, never to a host it redirected to.
                401 if authorization.is_none() && !elsewhere => {
                    let mut challenge = response.authenticate.unwrap_or_default();
                    if challenge.is_empty() {
                        // Some registries (gcr.io) answer without a challenge; the /v2/ ping
                        // has it, and containers/image takes it from there.
                        let ping = self.send("GET", &target.scheme, &target.host, "/v2/", None, verify).await?;
                        challenge = ping.authenticate.unwrap_or_default();
                    }
                    match self.authorize(&challenge, credentials, &endpoint.repository, verify).await? {
                        Some(value) => authorization = Some(value),
                        None => return Ok(Answer::Unauthorized),
                    }
                }
                401 => return Ok(Answer::Unauthorized),
                403 => return Ok(Answer::Forbidden),
                // Some registries answer HEAD with 405 or 400: a node would GET.
                405 | 400 if method == "HEAD" => method = "GET",
                // Followed as Go's HTTP client follows them for a node, a few times at most.
                301 | 302 | 303 | 307 | 308 if redirects < MAX_REDIRECTS => {
                    let Some(next) = response.location.as_deref().and_then(|l| target.redirect(l)) else {
                        return Ok(Answer::Failed(format!("HTTP {} without a usable Location", response.status)));
                    };
                    // Never from TLS to plain HTTP for a registry that is not marked insecure:
                    // the credentials would travel in the clear, and a node's TLS-only client
                    // would refuse it.
                    if !endpoint.insecure && next.scheme != "https" {
                        return Ok(Answer::Failed(format!(
                            "redirected to plain HTTP ({}://{}), refused for a registry not marked insecure",
                            next.scheme, next.host
                        )));
                    }
                    // Credentials stay with the scheme, host and port they were sent to.
                    if next.host != target.host || next.scheme != target.scheme {
                        authorization = None;
                        elsewhere = true;
                    }
                    target = next;
                    redirects += 1;
                }
                429 | 502 | 503 | 504 if attempts < ATTEMPTS => {
                    let wait = Duration::from_secs(response.retry_after.unwrap_or(1)).min(MAX_BACKOFF);
                    tokio::time::sleep(wait).await;
                }
                status => return Ok(Answer::Failed(format!("HTTP {status}"))),
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
            return Ok(Answer::Failed("the manifest list does not parse".into()));
        };
        let entries: Vec<(&str, &str, &str)> = index
            .manifests
            .iter()
            .map(|c| match &c.platform {
                Some(p) => (p.os.as_str(), p.architecture.as_str(), p.variant.as_deref().unwrap_or("")),
                None => ("", "", ""),
            })
            .collect();
        let Some(child) = super::choose_instance(self.platform, &entries).map(|i| &index.manifests[i]) else {
            return Ok(Answer::ChildMissing(format!("an image for {}", self.platform)));
        };
        // The digest comes from the registry: it must be one before it goes into a path.
        if crate::consumers::digest_of(&child.digest).as_deref() != Some(child.digest.as_str())
            || child.digest.contains(['/', '?', '#', '@'])
        {
            return Ok(Answer::Failed(format!("the manifest list names an invalid digest {:?}", child.digest)));
        }
        let path = format!("/v2/{}/manifests/{}", endpoint.repository, child.digest);
        let mut attempts = 0;
        loop {
            attempts += 1;
            let response = self.send("HEAD", scheme, endpoint.host(), &path, authorization, verify).await?;
            // A node fetches the image from the source it took the list from: any failure here
            // fails the pull there (the detail says which).
            return Ok(match response.status {
                200 => Answer::Present,
                404 => Answer::ChildMissing(format!("its {} image {}", self.platform, child.digest)),
                429 | 502 | 503 | 504 if attempts < ATTEMPTS => {
                    let wait = Duration::from_secs(response.retry_after.unwrap_or(1)).min(MAX_BACKOFF);
                    tokio::time::sleep(wait).await;
                    continue;
                }
                status => Answer::ChildMissing(format!("its {} image {} (HTTP {status})", self.platform, child.digest)),
            });
        }
    }

    /// The `Authorization` value a challenge asks for, when there are credentials for it (Basic)
    /// or a token can be had (Bearer, with or without credentials).
    async fn authorize(
        &self,
        challenge: &str,
        credentials: Option<&Credentials>,
        repository: &str,
        verify: bool,
    ) -> Result<Option<String>, Transport> {
        let (scheme, params) = parse_challenge(challenge);
        match scheme.to_ascii_lowercase().as_str() {
            "basic" => Ok(credentials.map(Credentials::basic)),
            "bearer" => {
                let Some(realm) = params.get("realm") else { return Ok(None) };
                let Some((token_scheme, host, path)) = split_url(realm) else { return Ok(None) };
                let scope = params.get("scope").cloned().unwrap_or_else(|| format!("repository:{repository}:pull"));
                let mut query = vec![format!("scope={}", encode(&scope))];
                if let Some(service) = params.get("service") {
                    query.push(format!("service={}", encode(service)));
                }
                let separator = if path.contains('?') { '&' } else { '?' };
                let target = format!("{path}{separator}{}", query.join("&"));
                // Credentials go to the token server only over TLS, unless the registry itself
                // is insecure (then nothing about it is protected anyway).
                let basic = credentials.filter(|_| token_scheme == "https" || !verify).map(Credentials::basic);
                let response = self.send("GET", token_scheme, host, &target, basic.as_deref(), verify).await?;
                if response.status != 200 {
                    return Ok(None);
                }
                #[derive(serde::Deserialize)]
                struct Token {
                    #[serde(default)]
                    token: Option<String>,
                    #[serde(default)]
                    access_token: Option<String>,
                }
                let token: Option<Token> = serde_json::from_slice(&response.body).ok();
                Ok(token.and_then(|t| t.token.or(t.access_token)).map(|t| format!("Bearer {t}")))
            }
            _ => Ok(None),
        }
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
        let started = Instant::now();
        let line = format!("{method} {scheme}://{host}{}", target.split('?').next().unwrap_or(target));
        let result = self.exchange(method, scheme, host, target, authorization, verify).await;
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
        authorization: Option<&str>,
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
        let request = match authorization {
            Some(value) => request.header("authorization", value),
            None => request,
        };
        let request = request.body(Empty::<Bytes>::new()).map_err(|e| Transport::Unreachable(e.to_string()))?;
        if scheme == "https" {
            let config = if verify { self.tls.verified.clone() } else { self.tls.unverified.clone() };
            let server = ServerName::try_from(name.to_owned())
                .map_err(|_| Transport::Tls(format!("{name:?} is not a TLS server name")))?;
            let stream = tokio_rustls::TlsConnector::from(config)
                .connect(server, tcp)
                .await
                .map_err(|e| Transport::Tls(tls_words(&e.to_string())))?;
            exchange_over(stream, request).await
        } else {
            exchange_over(tcp, request).await
        }
    }
}

/// Sends one request over a connected stream and reads the answer (a manifest's body at most).
async fn exchange_over<S>(stream: S, request: hyper::Request<Empty<Bytes>>) -> Result<Response, Transport>
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
    let limited = http_body_util::Limited::new(response.into_body(), 4 << 20);
    let body = limited.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    driver.abort();
    Ok(Response { status, content_type, location, authenticate, retry_after, body })
}

/// What a TLS failure means for a person, with what to do when there is something to do.
fn tls_words(error: &str) -> String {
    if error.contains("InvalidContentType") || error.contains("corrupt message") {
        return "the registry does not speak TLS (a node uses plain HTTP only for registries marked insecure)".into();
    }
    if error.contains("UnknownIssuer") {
        return "certificate signed by an unknown authority (--registry-ca FILE trusts a CA)".into();
    }
    if error.contains("NotValidForName") {
        return "the certificate is not valid for this host name".into();
    }
    if error.contains("Expired") {
        return "the certificate has expired".into();
    }
    error.to_owned()
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

/// A `WWW-Authenticate` value: its scheme and parameters.
fn parse_challenge(value: &str) -> (String, BTreeMap<String, String>) {
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

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let here = Target { scheme: "https".into(), host: "r.example.com".into(), path: "/v2/a/manifests/b".into() };
        assert_eq!(here.redirect("/v2/c/manifests/b").map(|t| t.host), Some("r.example.com".into()));
        let there = here.redirect("http://cdn.example.net/blob?sig=1").unwrap();
        assert_eq!(
            (there.scheme.as_str(), there.host.as_str(), there.path.as_str()),
            ("http", "cdn.example.net", "/blob?sig=1")
        );
        assert_eq!(here.redirect("ftp://x/y"), None);
    }
}
