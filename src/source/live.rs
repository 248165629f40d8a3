//! A live cluster through kube-rs, configured like kubectl (kubeconfig, `KUBECONFIG` path lists,
//! `--context`, in-cluster fallback). Only GET requests leave this module: isctl is read-only by
//! construction.
//!
//! Requests are few and parallel: the streams first, then exactly the Images their histories
//! reference (bounded concurrency), while the mirror rules are listed beside them. Lists page with
//! `limit`/`continue`. Idempotent GETs are retried on 429, 5xx and dropped connections, honouring
//! `Retry-After`. A project-only user who may not read Images gets them through
//! `imagestreams/{name}/layers`, then `imagestreamimages`; mirror rules that cannot be read
//! leave a warning and plans that assume no mirrors.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use kube::config::{KubeConfigOptions, Kubeconfig};
use serde_json::Value;

use super::decode::{Position, decode};
use super::{LoadNote, Loaded, Source, SourceError, Wants};
use crate::catalog::{Catalog, Origin};
use crate::model::{Object, ResourceKind};

/// Parallel Image GETs.
const CONCURRENCY: usize = 8;
/// Attempts for one GET.
const ATTEMPTS: u32 = 4;

/// How to reach the cluster, from the command line.
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    /// `--kubeconfig`.
    pub kubeconfig: Option<PathBuf>,
    /// `--context`.
    pub context: Option<String>,
    /// `--insecure-skip-tls-verify`.
    pub insecure_skip_tls_verify: bool,
    /// `--request-timeout`.
    pub request_timeout: Option<Duration>,
    /// `--chunk-size`: objects per list page.
    pub chunk_size: usize,
}

/// A connected cluster.
pub struct LiveSource {
    client: kube::Client,
    runtime: tokio::runtime::Runtime,
    server: String,
    chunk_size: usize,
    /// The context's namespace (`default` when it sets none).
    pub default_namespace: String,
}

impl LiveSource {
    /// Builds the client as kubectl would; no request is made yet.
    pub fn connect(options: &ConnectOptions) -> Result<LiveSource, SourceError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| SourceError::Transport(format!("starting the client runtime: {e}")))?;
        let config = runtime.block_on(config(options))?;
        let server =
            config.cluster_url.authority().map(|a| a.to_string()).unwrap_or_else(|| config.cluster_url.to_string());
        let default_namespace = config.default_namespace.clone();
        let client = {
            let _guard = runtime.enter();
            kube::Client::try_from(config).map_err(|e| SourceError::Config(format!("cannot build a client: {e}")))?
        };
        Ok(LiveSource { client, runtime, server, chunk_size: options.chunk_size.max(1), default_namespace })
    }
}

async fn config(options: &ConnectOptions) -> Result<kube::Config, SourceError> {
    let kube_options = KubeConfigOptions { context: options.context.clone(), ..KubeConfigOptions::default() };
    let mut config = match &options.kubeconfig {
        Some(path) => {
            let kubeconfig = Kubeconfig::read_from(path)
                .map_err(|e| SourceError::Config(format!("reading kubeconfig {}: {e}", path.display())))?;
            kube::Config::from_custom_kubeconfig(kubeconfig, &kube_options)
                .await
                .map_err(|e| SourceError::Config(format!("kubeconfig {}: {e}", path.display())))?
        }
        None => match kube::Config::from_kubeconfig(&kube_options).await {
            Ok(config) => config,
            Err(kubeconfig_error) if options.context.is_none() => kube::Config::incluster().map_err(|_| {
                SourceError::Config(format!(
                    "no cluster to read: {kubeconfig_error} (KUBECONFIG or ~/.kube/config), and not running in a pod; pass --kubeconfig, or --from PATH to read files"
                ))
            })?,
            Err(e) => return Err(SourceError::Config(format!("kubeconfig: {e}"))),
        },
    };
    config.accept_invalid_certs |= options.insecure_skip_tls_verify;
    // isctl retries itself (bounded, logged with -v); kube's own retry layer would nest under it.
    config.default_retry = false;
    if let Some(timeout) = options.request_timeout {
        config.connect_timeout = Some(timeout);
        config.read_timeout = Some(timeout);
    }
    Ok(config)
}

impl Source for LiveSource {
    fn load(&self, wants: &Wants) -> Result<Loaded, SourceError> {
        self.runtime.block_on(async {
            let session = Session {
                client: &self.client,
                server: &self.server,
                page: self.chunk_size,
                notes: Mutex::new(Vec::new()),
            };
            let mut catalog = Catalog::new();
            let objects = async {
                match &wants.objects {
                    Some(w) => session.objects(w.kind, w.namespace.as_deref(), &w.names).await,
                    None => Ok(Vec::new()),
                }
            };
            // The Images follow their streams, while the mirror rules are listed beside both.
            let streams_and_images = async {
                let streams = match &wants.streams {
                    Some((namespace, names)) => {
                        session.objects(ResourceKind::ImageStream, namespace.as_deref(), names).await?
                    }
                    None => Vec::new(),
                };
                let images = if wants.stream_images { session.stream_images(&streams).await? } else { Vec::new() };
                Ok::<_, SourceError>((streams, images))
            };
            let rules = async { if wants.mirror_rules { session.mirror_rules().await } else { Ok(Vec::new()) } };
            let (objects, streams_and_images, rules) = tokio::join!(objects, streams_and_images, rules);
            let (streams, images) = streams_and_images?;
            for object in objects?.into_iter().chain(streams).chain(rules?).chain(images) {
                catalog.insert(object, Origin(self.server.clone()));
            }
            let notes = session.notes.into_inner().expect("no panics hold the lock");
            Ok(Loaded { catalog, notes, files_read: 0 })
        })
    }
}

/// One load's requests and what they noticed.
struct Session<'a> {
    client: &'a kube::Client,
    server: &'a str,
    page: usize,
    notes: Mutex<Vec<LoadNote>>,
}

/// A failed GET: the error to report, and the HTTP status when the server answered.
struct Failure {
    code: u16,
    error: SourceError,
}

impl Session<'_> {
    fn note(&self, note: LoadNote) {
        self.notes.lock().expect("no panics hold the lock").push(note);
    }

    /// One GET with retries; the body as JSON.
    async fn get(&self, path: &str) -> Result<Value, Failure> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let started = Instant::now();
            let request = http::Request::get(path).body(kube::client::Body::empty()).expect("a valid GET");
            let (status, retry_after, body) = match self.client.send(request).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    match response.into_body().collect_bytes().await {
                        Ok(bytes) => (status, retry_after, Ok(bytes)),
                        Err(e) => (status, retry_after, Err(transport_error(self.server, &e))),
                    }
                }
                Err(e) => (0, None, Err(transport_error(self.server, &e))),
            };
            self.note(LoadNote::Request {
                method: "GET".into(),
                path: path.to_owned(),
                status,
                millis: started.elapsed().as_millis(),
            });
            let retryable = status == 0 || status == 429 || status >= 500;
            if retryable && attempt < ATTEMPTS && !matches!(body, Err(SourceError::Unreachable { .. })) {
                let backoff = retry_after
                    .map_or(Duration::from_millis(200 * 2u64.pow(attempt - 1)), |s| Duration::from_secs(s.min(5)));
                tokio::time::sleep(backoff).await;
                continue;
            }
            let bytes = body.map_err(|error| Failure { code: status, error })?;
            if (200..300).contains(&status) {
                return serde_json::from_slice(&bytes).map_err(|e| Failure {
                    code: status,
                    error: SourceError::Transport(format!("GET {path}: the server sent invalid JSON: {e}")),
                });
            }
            return Err(Failure { code: status, error: status_error(status, &bytes) });
        }
    }

    /// A whole list, page by page; restarts once on `410 Expired`.
    async fn list(&self, base: &str) -> Result<Vec<Value>, Failure> {
        let mut restarted = false;
        'restart: loop {
            let mut items = Vec::new();
            let mut token: Option<String> = None;
            let mut tokens_seen = std::collections::BTreeSet::new();
            loop {
                let mut path = format!("{base}?limit={}", self.page);
                if let Some(token) = &token {
                    path.push_str(&format!("&continue={}", encode(token)));
                }
                let page = match self.get(&path).await {
                    Ok(page) => page,
                    Err(failure) if failure.code == 410 && !restarted => {
                        restarted = true;
                        continue 'restart;
                    }
                    Err(failure) => return Err(failure),
                };
                let kind = page
                    .get("kind")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .strip_suffix("List")
                    .unwrap_or_default()
                    .to_owned();
                let api_version = page.get("apiVersion").cloned().unwrap_or(Value::Null);
                for mut item in page.get("items").and_then(Value::as_array).cloned().unwrap_or_default() {
                    // Items of typed lists carry no apiVersion/kind; give them the list's.
                    if let Some(map) = item.as_object_mut() {
                        if !api_version.is_null() {
                            map.entry("apiVersion").or_insert_with(|| api_version.clone());
                        }
                        if !kind.is_empty() {
                            map.entry("kind").or_insert_with(|| Value::String(kind.clone()));
                        }
                    }
                    items.push(item);
                }
                token = page
                    .pointer("/metadata/continue")
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned);
                match &token {
                    None => return Ok(items),
                    Some(t) if !tokens_seen.insert(t.clone()) => {
                        let message = format!(
                            "listing {base}: the server sent the continue token {t:?} twice; stopping instead of looping"
                        );
                        return Err(Failure { code: 0, error: SourceError::Transport(message) });
                    }
                    Some(_) => {}
                }
            }
        }
    }

    /// Objects of a kind: a list, or one GET per name (a missing name is simply absent).
    async fn objects(
        &self,
        kind: ResourceKind,
        namespace: Option<&str>,
        names: &[String],
    ) -> Result<Vec<Object>, SourceError> {
        let values = if names.is_empty() {
            self.list(&collection_path(kind, namespace)).await.map_err(|f| f.error)?
        } else {
            let mut values = Vec::new();
            for name in names {
                match self.get(&format!("{}/{}", collection_path(kind, namespace), encode_name(name))).await {
                    Ok(value) => values.push(value),
                    Err(failure) if failure.code == 404 => {}
                    Err(failure) => return Err(failure.error),
                }
            }
            values
        };
        values.into_iter().map(|v| to_object(kind, v, self.server)).collect()
    }

    /// ICSP, IDMS and ITMS lists and the cluster image config, in parallel. A 403 or 404 leaves a
    /// note and no objects: plans then assume no such rules.
    async fn mirror_rules(&self) -> Result<Vec<Object>, SourceError> {
        let kinds = [
            ResourceKind::ImageContentSourcePolicy,
            ResourceKind::ImageDigestMirrorSet,
            ResourceKind::ImageTagMirrorSet,
        ];
        let paths: Vec<String> = kinds.iter().map(|k| collection_path(*k, None)).collect();
        let lists = futures::future::join_all(paths.iter().map(|p| self.list(p)));
        let config_path = format!("{}/cluster", collection_path(ResourceKind::ClusterImageConfig, None));
        let (lists, config) = tokio::join!(lists, self.get(&config_path));
        let mut objects = Vec::new();
        for (kind, result) in kinds.iter().zip(lists) {
            match result {
                Ok(values) => {
                    for value in values {
                        objects.push(to_object(*kind, value, self.server)?);
                    }
                }
                Err(failure) if matches!(failure.code, 403 | 404) => self.note(LoadNote::Degraded(format!(
                    "cannot read {}: {}; pull plans assume there are none",
                    kind.qualified_plural(),
                    failure.error
                ))),
                Err(failure) => return Err(failure.error),
            }
        }
        match config {
            Ok(value) => objects.push(to_object(ResourceKind::ClusterImageConfig, value, self.server)?),
            Err(failure) if failure.code == 404 => {}
            Err(failure) if failure.code == 403 => self.note(LoadNote::Degraded(format!(
                "cannot read images.config.openshift.io \"cluster\": {}; plans assume no blocked, allowed or insecure registries",
                failure.error
            ))),
            Err(failure) => return Err(failure.error),
        }
        Ok(objects)
    }

    /// The Images the streams reference, then the children of manifest lists among them.
    /// Forbidden Images fall back to each stream's layers, then to imagestreamimages.
    async fn stream_images(&self, streams: &[Object]) -> Result<Vec<Object>, SourceError> {
        let mut wanted: BTreeMap<String, (String, String)> = BTreeMap::new(); // digest -> (namespace, stream)
        for object in streams {
            if let Object::ImageStream(stream) = object {
                for event in stream.status_tags().iter().flat_map(|t| t.history()).filter(|e| !e.image.is_empty()) {
                    wanted
                        .entry(event.image.clone())
                        .or_insert_with(|| (stream.metadata.namespace().to_owned(), stream.metadata.name().to_owned()));
                }
            }
        }
        let mut found = Vec::new();
        let mut fetched = BTreeSet::new();
        let mut round = wanted.clone();
        while !round.is_empty() {
            let results: Vec<(String, Result<Value, Failure>)> = stream::iter(round.keys().cloned())
                .map(|digest| async move {
                    let path = format!("{}/{digest}", collection_path(ResourceKind::Image, None));
                    (digest, self.get(&path).await)
                })
                .buffer_unordered(CONCURRENCY)
                .collect()
                .await;
            let mut results: Vec<_> = results;
            results.sort_by(|a, b| a.0.cmp(&b.0));
            if let Some((_, Err(failure))) = results.iter().find(|(_, r)| matches!(r, Err(f) if f.code == 403)) {
                self.note(LoadNote::Degraded(format!(
                    "cannot read images: {}; reading image details through imagestreams/layers and imagestreamimages instead",
                    failure.error
                )));
                found.extend(self.images_without_access(streams, &wanted).await?);
                return Ok(found);
            }
            let mut next = BTreeMap::new();
            for (digest, result) in results {
                fetched.insert(digest.clone());
                match result {
                    Ok(value) => {
                        let object = to_object(ResourceKind::Image, value, self.server)?;
                        if let Object::Image(image) = &object {
                            for child in image.docker_image_manifests.as_deref().unwrap_or_default() {
                                if !fetched.contains(&child.digest) {
                                    next.insert(child.digest.clone(), round[&digest].clone());
                                }
                            }
                        }
                        found.push(object);
                    }
                    Err(failure) if failure.code == 404 => {}
                    Err(failure) => return Err(failure.error),
                }
            }
            round = next;
        }
        Ok(found)
    }

    /// For a user who may not read Images: one `layers` GET per stream; if that is forbidden
    /// too, one `imagestreamimages` GET per digest.
    async fn images_without_access(
        &self,
        streams: &[Object],
        wanted: &BTreeMap<String, (String, String)>,
    ) -> Result<Vec<Object>, SourceError> {
        let mut objects = Vec::new();
        let mut layers_forbidden = false;
        for object in streams {
            let Object::ImageStream(stream) = object else { continue };
            let path = format!(
                "{}/{}/layers",
                collection_path(ResourceKind::ImageStream, Some(stream.metadata.namespace())),
                stream.metadata.name()
            );
            match self.get(&path).await {
                Ok(mut value) => {
                    if let Some(map) = value.as_object_mut() {
                        map.entry("apiVersion").or_insert_with(|| "image.openshift.io/v1".into());
                        map.entry("kind").or_insert_with(|| "ImageStreamLayers".into());
                    }
                    objects.push(to_object(ResourceKind::ImageStreamLayers, value, self.server)?);
                }
                Err(failure) if failure.code == 403 => {
                    layers_forbidden = true;
                    break;
                }
                Err(failure) if failure.code == 404 => {}
                Err(failure) => return Err(failure.error),
            }
        }
        if !layers_forbidden {
            return Ok(objects);
        }
        self.note(LoadNote::Degraded(
            "cannot read imagestreams/layers either; reading imagestreamimages one by one".into(),
        ));
        let results: Vec<Result<Value, Failure>> = stream::iter(wanted.iter())
            .map(|(digest, (namespace, name))| async move {
                let path =
                    format!("{}/{name}@{digest}", collection_path(ResourceKind::ImageStreamImage, Some(namespace)));
                self.get(&path).await
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        // The layers read before the 403 are kept.
        let mut images = objects;
        let mut refused = 0;
        for result in results {
            match result {
                Ok(value) => images.push(to_object(ResourceKind::ImageStreamImage, value, self.server)?),
                Err(failure) if failure.code == 404 => {}
                Err(failure) if failure.code == 403 => refused += 1,
                Err(failure) => return Err(failure.error),
            }
        }
        if refused > 0 {
            self.note(LoadNote::Degraded(format!(
                "{refused} imagestreamimages were forbidden too: their images stay unknown"
            )));
        }
        Ok(images)
    }
}

/// `/apis/{group}/{version}[/namespaces/{ns}]/{plural}`.
fn collection_path(kind: ResourceKind, namespace: Option<&str>) -> String {
    let info = kind.info();
    let plural = info.plural.split('/').next().unwrap_or(info.plural);
    match namespace.filter(|_| info.namespaced) {
        Some(ns) => format!("/apis/{}/{}/namespaces/{ns}/{plural}", info.group, info.version),
        None => format!("/apis/{}/{}/{plural}", info.group, info.version),
    }
}

/// Decodes a server object through the same typed path as files, so both sources agree.
fn to_object(kind: ResourceKind, mut value: Value, server: &str) -> Result<Object, SourceError> {
    if let Some(map) = value.as_object_mut() {
        let info = kind.info();
        map.entry("apiVersion").or_insert_with(|| format!("{}/{}", info.group, info.version).into());
        map.entry("kind").or_insert_with(|| info.kind.into());
    }
    let text = serde_json::to_string(&value).expect("JSON values serialise");
    let decode_error =
        |position: Position, message: String| SourceError::Decode { path: server.to_owned(), position, message };
    let decoded = decode(&text).map_err(|e| decode_error(e.position, e.message))?;
    decoded.objects.into_iter().next().map(|o| o.object).ok_or_else(|| {
        decode_error(Position::default(), format!("the server sent something that is not a {}", kind.info().kind))
    })
}

/// A non-2xx answer as kubectl reports it.
fn status_error(code: u16, body: &[u8]) -> SourceError {
    if code == 401 {
        return SourceError::Unauthorized;
    }
    let status: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let text = |key: &str| status.get(key).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    // Without a Status body, the reason kubectl would name for the code.
    let reason = text("reason").unwrap_or_else(|| match code {
        400 => "BadRequest".into(),
        403 => "Forbidden".into(),
        404 => "NotFound".into(),
        405 => "MethodNotAllowed".into(),
        410 => "Expired".into(),
        429 => "TooManyRequests".into(),
        500 => "InternalError".into(),
        503 => "ServiceUnavailable".into(),
        504 => "Timeout".into(),
        _ => format!("{code}"),
    });
    let message = text("message").unwrap_or_else(|| String::from_utf8_lossy(body).trim().to_owned());
    SourceError::Api { code, reason, message }
}

fn transport_error(server: &str, error: &kube::Error) -> SourceError {
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::ConnectionRefused
        {
            return SourceError::Unreachable { server: server.to_owned() };
        }
        source = e.source();
    }
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(e) = source {
        message.push_str(&format!(": {e}"));
        source = e.source();
    }
    SourceError::Transport(format!("talking to {server}: {message}"))
}

/// Percent-encodes `text`, leaving ASCII alphanumerics, `-_.~` and the bytes in `keep`.
fn percent_encode(text: &str, keep: &[u8]) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || keep.contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A name as a path segment: `:` and `@` stay, as kubectl leaves them, and nothing else can
/// reach another path or add a query.
fn encode_name(name: &str) -> String {
    percent_encode(name, b":@")
}

/// A continue token for a query string.
fn encode(text: &str) -> String {
    percent_encode(text, b"")
}
