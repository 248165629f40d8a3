//! A live cluster through kube-rs: `connect` reaches it as kubectl does, `transport` makes
//! the GET requests, and this module is the fetch plan: which requests answer a command's
//! [`Wants`] with the fewest round trips.
//!
//! The streams come first, then exactly the Images their histories reference (bounded
//! concurrency), while the mirror rules are listed beside them. A project-only user who may not
//! read Images gets them through `imagestreams/{name}/layers`, then `imagestreamimages`; mirror
//! rules that cannot be read leave a warning and plans that assume no mirrors. Names and digests
//! taken from the server's answers are checked before they become part of another request: a
//! bad one is a warning about that object, never a request to another path.

mod connect;
mod transport;

use std::cell::Cell;
use std::collections::BTreeMap;

use futures::stream::{self, StreamExt};

use super::{EachError, LoadNote, Loaded, Observer, Source, SourceError, Wants};
use crate::catalog::{Catalog, Origin};
use crate::model::{Object, ResourceKind};
use crate::names::path_segment_problem;
use crate::reference::valid_digest;
pub(crate) use connect::ConnectOptions;
use transport::{Failure, Transport, collection_path, object_path, segment};

/// Parallel Image GETs.
const CONCURRENCY: usize = 8;

/// A cluster to read.
pub(crate) struct LiveSource {
    client: kube::Client,
    runtime: tokio::runtime::Runtime,
    server: String,
    options: ConnectOptions,
    credentials_withheld: bool,
    /// The context's namespace (`default` when it sets none).
    pub default_namespace: String,
}

impl LiveSource {
    /// Builds the client as kubectl would; reads the kubeconfig, makes no request yet.
    pub(crate) fn connect(options: &ConnectOptions) -> Result<LiveSource, SourceError> {
        let runtime = runtime()?;
        let resolved = runtime.block_on(connect::resolve(options))?;
        let config = resolved.config;
        let server =
            config.cluster_url.authority().map(|a| a.to_string()).unwrap_or_else(|| config.cluster_url.to_string());
        let default_namespace = config.default_namespace.clone();
        let client = {
            let _guard = runtime.enter();
            kube::Client::try_from(config).map_err(|e| SourceError::Config {
                message: format!("cannot build a client for {server}: {}", connect::kube_error_words(&e)),
            })?
        };
        Ok(LiveSource {
            client,
            runtime,
            server,
            options: options.clone(),
            credentials_withheld: resolved.credentials_withheld,
            default_namespace,
        })
    }

    #[cfg(test)]
    /// A source over a client that `build` makes inside this source's runtime: tests drive the
    /// fetch plan with an in-process service (`kube::Client::new(service, namespace)`).
    pub(crate) fn with_client(
        build: impl FnOnce() -> kube::Client,
        server: &str,
        options: &ConnectOptions,
    ) -> Result<LiveSource, SourceError> {
        let runtime = runtime()?;
        let client = {
            let _guard = runtime.enter();
            build()
        };
        Ok(LiveSource {
            default_namespace: client.default_namespace().to_owned(),
            client,
            runtime,
            server: server.to_owned(),
            options: options.clone(),
            credentials_withheld: false,
        })
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, SourceError> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| SourceError::Transport {
        server: String::new(),
        message: "cannot start the client runtime".into(),
        source: Some(Box::new(e)),
    })
}

impl LiveSource {
    fn plan<'a>(&'a self, observer: &'a dyn Observer) -> Plan<'a> {
        Plan {
            http: Transport {
                client: &self.client,
                server: &self.server,
                chunk: self.options.chunk_size,
                max_body: self.options.max_response_size,
                timeout: self.options.request_timeout,
                credentials_withheld: self.credentials_withheld,
                observer,
                answered: Cell::new(0),
            },
            observer,
        }
    }
}

impl Source for LiveSource {
    fn each(
        &self,
        kind: ResourceKind,
        namespace: Option<&str>,
        observer: &dyn Observer,
        sink: &mut dyn FnMut(&Object) -> std::io::Result<()>,
    ) -> Result<(usize, usize), EachError> {
        self.runtime.block_on(async {
            let plan = self.plan(observer);
            let mut stopped = None;
            let mut count = 0;
            let listed = plan
                .http
                .list(kind, &collection_path(kind, namespace), &mut |page| {
                    for object in page.iter().filter(|o| plan.checked(o)) {
                        if let Err(error) = sink(object) {
                            stopped = Some(error);
                            return Err(Failure { code: 0, error: SourceError::Config { message: String::new() } });
                        }
                        count += 1;
                    }
                    Ok(())
                })
                .await;
            match (stopped, listed) {
                (Some(error), _) => Err(EachError::Sink(error)),
                (None, Err(failure)) => Err(EachError::Source(failure.error)),
                (None, Ok(())) => Ok((count, 0)),
            }
        })
    }

    fn load(&self, wants: &Wants, observer: &dyn Observer) -> Result<Loaded, SourceError> {
        self.runtime.block_on(async {
            let plan = self.plan(observer);
            let objects = async {
                match &wants.objects {
                    Some(w) => plan.objects(w.kind, w.namespace.as_deref(), &w.names).await,
                    None => Ok(Vec::new()),
                }
            };
            // The Images follow their streams, while the mirror rules are listed beside both.
            let streams_and_images = async {
                let streams = match &wants.streams {
                    Some((namespace, names)) => {
                        plan.objects(ResourceKind::ImageStream, namespace.as_deref(), names).await?
                    }
                    None => Vec::new(),
                };
                let images =
                    if wants.stream_images { plan.stream_images(&streams).await? } else { (Vec::new(), false) };
                Ok::<_, SourceError>((streams, images))
            };
            let policy_namespace =
                wants.policy_namespace.as_deref().or(wants.streams.as_ref().and_then(|(ns, _)| ns.as_deref()));
            let rules =
                async { if wants.mirror_rules { plan.mirror_rules(policy_namespace).await } else { Ok(Vec::new()) } };
            let workloads = async {
                match &wants.workloads {
                    Some(namespace) => {
                        let streams_namespace = wants.streams.as_ref().and_then(|(ns, _)| ns.as_deref());
                        let access = wants.rbac_namespace.as_deref().or(streams_namespace).or(namespace.as_deref());
                        let mut found = plan.workloads(namespace.as_deref(), access).await?;
                        if wants.workloads_only {
                            found.iter_mut().for_each(crate::model::workload::prune);
                        }
                        Ok(found)
                    }
                    None => Ok(Vec::new()),
                }
            };
            let (objects, streams_and_images, rules, workloads) =
                tokio::join!(objects, streams_and_images, rules, workloads);
            let (streams, (images, images_asked)) = streams_and_images?;
            let mut catalog = Catalog::new();
            // The cluster was asked for each Image by name: one it answered 404 for is not
            // there, as definitely as one a file tree lacks while holding others.
            if images_asked {
                catalog.note_kind(ResourceKind::Image);
            }
            for object in objects?.into_iter().chain(streams).chain(rules?).chain(images).chain(workloads?) {
                catalog.insert(object, Origin(self.server.clone()));
            }
            Ok(Loaded { catalog, files_read: 0 })
        })
    }
}

/// One load's requests.
struct Plan<'a> {
    http: Transport<'a>,
    observer: &'a dyn Observer,
}

impl Plan<'_> {
    fn warn(&self, message: String) {
        self.observer.note(LoadNote::Degraded(message));
    }

    /// Whether the object's name and namespace could be path segments; a warning if not.
    fn checked(&self, object: &Object) -> bool {
        let meta = object.meta();
        let kind = object.kind();
        let problem = path_segment_problem(meta.name()).map(|p| format!("its name {p}")).or_else(|| {
            (kind.info().namespaced && !meta.namespace().is_empty())
                .then(|| path_segment_problem(meta.namespace()))
                .flatten()
                .map(|p| format!("its namespace {p}"))
        });
        if let Some(problem) = &problem {
            self.warn(format!(
                "the server sent {} {:?} in namespace {:?}, but {problem}; left out",
                kind.info().kind,
                meta.name(),
                meta.namespace()
            ));
        }
        problem.is_none()
    }

    /// Objects of a kind: a list, or one GET per name (a missing name is simply absent, and a
    /// missing stream is looked for in other namespaces, for a hint).
    async fn objects(
        &self,
        kind: ResourceKind,
        namespace: Option<&str>,
        names: &[String],
    ) -> Result<Vec<Object>, SourceError> {
        let objects = if names.is_empty() {
            self.http.list_all(kind, &collection_path(kind, namespace)).await.map_err(|f| f.error)?
        } else {
            let mut objects = Vec::new();
            for name in names {
                match self.http.object(kind, &object_path(kind, namespace, name)).await {
                    Ok(object) => objects.push(object),
                    Err(failure) if failure.code == 404 => objects.extend(self.elsewhere(kind, namespace, name).await),
                    Err(failure) => return Err(failure.error),
                }
            }
            objects
        };
        Ok(objects.into_iter().filter(|o| self.checked(o)).collect())
    }

    /// Objects named `name` in other namespaces, so a "not found" can say where it is (one list
    /// with a field selector, only after a miss; a user who may not list cluster-wide gets no
    /// hint, not an error).
    async fn elsewhere(&self, kind: ResourceKind, namespace: Option<&str>, name: &str) -> Vec<Object> {
        if namespace.is_none() || kind != ResourceKind::ImageStream {
            return Vec::new();
        }
        let selector = transport::query_value(&format!("metadata.name={name}"));
        let path = format!("{}?fieldSelector={selector}", collection_path(kind, None));
        match self.http.get(&path).await {
            Ok(bytes) => Object::list_page_from_json(kind, &bytes).map(|(objects, _)| objects).unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    }

    /// ClusterImagePolicies and ImagePolicies (every namespace), in parallel. A 403 leaves a
    /// warning; a 404 (a cluster before OpenShift 4.16, or without the feature) nothing but
    /// the request in `-v`'s log: no such policy can exist there, and a warning on every run
    /// would be noise. A user who may read ImagePolicies in `namespace` only (a Role there)
    /// gets that namespace's, the only ones its pulls obey, and a warning that other
    /// namespaces' refusals are unseen.
    async fn signature_policies(&self, namespace: Option<&str>) -> Result<Vec<Object>, SourceError> {
        let kinds = [ResourceKind::ClusterImagePolicy, ResourceKind::ImagePolicy];
        let paths: Vec<String> = kinds.iter().map(|k| collection_path(*k, None)).collect();
        let lists = futures::future::join_all(kinds.iter().zip(&paths).map(|(k, p)| self.http.list_all(*k, p))).await;
        let mut objects = Vec::new();
        for (kind, mut result) in kinds.iter().zip(lists) {
            if let (ResourceKind::ImagePolicy, Err(failure), Some(namespace)) = (kind, &result, namespace)
                && failure.code == 403
            {
                result = self.http.list_all(*kind, &collection_path(*kind, Some(namespace))).await;
                if result.is_ok() {
                    self.warn(format!(
                        "{} across namespaces are forbidden: read {namespace:?}'s only; a refusal of another namespace's ImagePolicy (it stops the operator on every node) would not show",
                        kind.info().plural
                    ));
                }
            }
            match result {
                Ok(found) => objects.extend(found.into_iter().filter(|o| self.checked(o))),
                Err(failure) if failure.code == 404 => {}
                Err(failure) if failure.code == 403 => self.warn(format!(
                    "cannot read {}: {}; signature requirements are unknown",
                    kind.qualified_plural(),
                    failure.error
                )),
                Err(failure) => return Err(failure.error),
            }
        }
        Ok(objects)
    }

    /// ICSP, IDMS and ITMS lists, the cluster image config and the signature policies, in
    /// parallel. A 403 or 404 on a mirror list leaves a note and no objects: plans then assume
    /// no such rules.
    async fn mirror_rules(&self, policy_namespace: Option<&str>) -> Result<Vec<Object>, SourceError> {
        let kinds = [
            ResourceKind::ImageContentSourcePolicy,
            ResourceKind::ImageDigestMirrorSet,
            ResourceKind::ImageTagMirrorSet,
        ];
        let paths: Vec<String> = kinds.iter().map(|k| collection_path(*k, None)).collect();
        let lists = futures::future::join_all(kinds.iter().zip(&paths).map(|(k, p)| self.http.list_all(*k, p)));
        let config_path = object_path(ResourceKind::ClusterImageConfig, None, "cluster");
        let config = self.http.object(ResourceKind::ClusterImageConfig, &config_path);
        let (lists, config, policies) = tokio::join!(lists, config, self.signature_policies(policy_namespace));
        let mut objects = Vec::new();
        for (kind, result) in kinds.iter().zip(lists) {
            match result {
                Ok(found) => objects.extend(found),
                Err(failure) if matches!(failure.code, 403 | 404) => self.warn(format!(
                    "cannot read {}: {}; pull plans assume there are none",
                    kind.qualified_plural(),
                    failure.error
                )),
                Err(failure) => return Err(failure.error),
            }
        }
        objects.extend(policies?);
        match config {
            Ok(object) => objects.push(object),
            Err(failure) if failure.code == 404 => {}
            Err(failure) if failure.code == 403 => self.warn(format!(
                "cannot read images.config.openshift.io \"cluster\": {}; plans assume no blocked, allowed or insecure registries",
                failure.error
            )),
            Err(failure) => return Err(failure.error),
        }
        Ok(objects)
    }

    /// The workloads of `namespace` (all when `None`) and the RBAC objects of `access_namespace`
    /// (and the cluster) that grant pulls: one list per kind, all in parallel. A 403 leaves a warning and no
    /// objects of that kind; a 404 (no DeploymentConfigs on plain Kubernetes) leaves none.
    async fn workloads(
        &self,
        namespace: Option<&str>,
        access_namespace: Option<&str>,
    ) -> Result<Vec<Object>, SourceError> {
        // Role bindings matter in the stream's namespace; cluster-scoped kinds are listed whole.
        let lists: Vec<(ResourceKind, String)> = ResourceKind::WORKLOADS
            .iter()
            .chain(ResourceKind::LIMITS.iter())
            .map(|kind| (*kind, collection_path(*kind, namespace)))
            .chain(ResourceKind::ACCESS.iter().map(|kind| (*kind, collection_path(*kind, access_namespace))))
            .collect();
        let results = futures::future::join_all(lists.iter().map(|(kind, path)| self.http.list_all(*kind, path))).await;
        let mut objects = Vec::new();
        let mut forbidden = Vec::new();
        for ((kind, _), result) in lists.iter().zip(results) {
            match result {
                Ok(found) => objects.extend(found.into_iter().filter(|o| self.checked(o))),
                Err(failure) if failure.code == 404 => {}
                Err(failure) if failure.code == 403 => forbidden.push(kind.qualified_plural()),
                Err(failure) => return Err(failure.error),
            }
        }
        // One line for all: a project user is refused most of them at once.
        if !forbidden.is_empty() {
            let place = namespace.map_or("at the cluster scope".to_owned(), |ns| format!("in namespace {ns}"));
            self.warn(format!("cannot list {} {place} (Forbidden); the answer leaves them out", forbidden.join(", ")));
        }
        Ok(objects)
    }

    /// The digests the streams' histories reference, each with the stream that references it
    /// first. A history entry whose image is not a digest is a warning, never a request.
    fn wanted_digests(&self, streams: &[Object]) -> BTreeMap<String, (String, String)> {
        let mut wanted = BTreeMap::new();
        for object in streams {
            let Object::ImageStream(stream) = object else { continue };
            let (namespace, name) = (stream.metadata.namespace(), stream.metadata.name());
            for tag in stream.status_tags() {
                for event in tag.history().iter().filter(|e| !e.image.is_empty()) {
                    if !valid_digest(&event.image) {
                        self.warn(format!(
                            "ImageStream {namespace}/{name} tag {:?}: the history image {:?} is not a digest; its Image is not read",
                            tag.tag, event.image
                        ));
                        continue;
                    }
                    wanted.entry(event.image.clone()).or_insert_with(|| (namespace.to_owned(), name.to_owned()));
                }
            }
        }
        wanted
    }

    /// The Images the streams reference, then the children of manifest lists among them, and
    /// whether the server answered for Images by name (true unless there was none to ask for, or
    /// Images were forbidden). Forbidden Images fall back to each stream's layers, then to
    /// imagestreamimages.
    async fn stream_images(&self, streams: &[Object]) -> Result<(Vec<Object>, bool), SourceError> {
        let wanted = self.wanted_digests(streams);
        let mut found = Vec::new();
        let mut fetched = std::collections::BTreeSet::new();
        let mut round = wanted.clone();
        while !round.is_empty() {
            let mut results: Vec<(String, Result<Object, Failure>)> = stream::iter(round.keys().cloned())
                .map(|digest| async move {
                    let path = object_path(ResourceKind::Image, None, &digest);
                    (digest, self.http.object(ResourceKind::Image, &path).await)
                })
                .buffer_unordered(CONCURRENCY)
                .collect()
                .await;
            results.sort_by(|a, b| a.0.cmp(&b.0));
            if let Some((_, Err(failure))) = results.iter().find(|(_, r)| matches!(r, Err(f) if f.code == 403)) {
                self.warn(format!(
                    "cannot read images: {}; reading image details through imagestreams/layers and imagestreamimages instead",
                    failure.error
                ));
                found.extend(self.images_without_access(streams, &wanted).await?);
                return Ok((found, false));
            }
            let mut next = BTreeMap::new();
            for (digest, result) in results {
                fetched.insert(digest.clone());
                match result {
                    Ok(object) => {
                        if let Object::Image(image) = &object {
                            for child in image.docker_image_manifests.as_deref().unwrap_or_default() {
                                if fetched.contains(&child.digest) {
                                    continue;
                                }
                                if valid_digest(&child.digest) {
                                    next.insert(child.digest.clone(), round[&digest].clone());
                                } else {
                                    self.warn(format!(
                                        "Image {digest}: the manifest {:?} is not a digest; its Image is not read",
                                        child.digest
                                    ));
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
        Ok((found, !wanted.is_empty()))
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
                "{}/layers",
                object_path(ResourceKind::ImageStream, Some(stream.metadata.namespace()), stream.metadata.name())
            );
            match self.http.object(ResourceKind::ImageStreamLayers, &path).await {
                Ok(layers) => objects.push(layers),
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
        self.warn("cannot read imagestreams/layers either; reading imagestreamimages one by one".into());
        let results: Vec<Result<Object, Failure>> = stream::iter(wanted.iter())
            .map(|(digest, (namespace, name))| async move {
                let path = format!(
                    "{}/{}",
                    collection_path(ResourceKind::ImageStreamImage, Some(namespace)),
                    segment(&format!("{name}@{digest}"))
                );
                self.http.object(ResourceKind::ImageStreamImage, &path).await
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        // The layers read before the 403 are kept.
        let mut images = objects;
        let mut refused = 0;
        for result in results {
            match result {
                Ok(object) => images.push(object),
                Err(failure) if failure.code == 404 => {}
                Err(failure) if failure.code == 403 => refused += 1,
                Err(failure) => return Err(failure.error),
            }
        }
        if refused > 0 {
            self.warn(format!("{refused} imagestreamimages were forbidden too: their images stay unknown"));
        }
        Ok(images)
    }
}

#[cfg(test)]
mod tests {
    //! The fetch plan driven in-process through a kube `Client` over a mock service (kube-rs's
    //! own testing pattern): which requests a load makes, and what it does with the answers.
    use super::*;
    use crate::source::Collect;
    use std::sync::{Arc, Mutex};

    const DIGEST: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    /// A source whose client answers from `answer(path)` and records every request path.
    fn mock(answer: fn(&str) -> (u16, String)) -> (LiveSource, Arc<Mutex<Vec<String>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let service = tower::service_fn(move |request: http::Request<kube::client::Body>| {
            let path = request.uri().to_string();
            log.lock().unwrap().push(format!("{} {path}", request.method()));
            let (status, body) = answer(&path);
            async move {
                Ok::<_, std::convert::Infallible>(
                    http::Response::builder().status(status).body(http_body_util::Full::new(bytes(body))).unwrap(),
                )
            }
        });
        let options = ConnectOptions { chunk_size: 500, ..ConnectOptions::default() };
        let source = LiveSource::with_client(|| kube::Client::new(service, "x"), "mock:443", &options).unwrap();
        (source, seen)
    }

    fn bytes(body: String) -> hyper::body::Bytes {
        hyper::body::Bytes::from(body)
    }

    fn stream() -> String {
        format!(
            r#"{{"apiVersion":"image.openshift.io/v1","kind":"ImageStream","metadata":{{"name":"s","namespace":"x"}},"status":{{"tags":[{{"tag":"t","items":[{{"image":"{DIGEST}","dockerImageReference":"q/s@{DIGEST}"}},{{"image":"not-a-digest","dockerImageReference":"q/s:x"}}]}}]}}}}"#
        )
    }

    #[test]
    fn one_stream_its_image_and_the_mirror_rules() {
        let (source, seen) = mock(|path| match path {
            p if p.starts_with("/apis/image.openshift.io/v1/namespaces/x/imagestreams/s") => (200, stream()),
            p if p.starts_with("/apis/image.openshift.io/v1/images/") => {
                (200, format!(r#"{{"metadata":{{"name":"{DIGEST}"}},"dockerImageReference":"q/s@{DIGEST}"}}"#))
            }
            p if p.ends_with("/images/cluster") => (404, "{}".into()),
            _ => (200, r#"{"kind":"List","apiVersion":"v1","metadata":{},"items":[]}"#.into()),
        });
        let wants = Wants {
            streams: Some((Some("x".into()), vec!["s".into()])),
            stream_images: true,
            mirror_rules: true,
            ..Wants::default()
        };
        let notes = Collect::default();
        let loaded = source.load(&wants, &notes).unwrap();
        assert!(loaded.catalog.stream("x", "s").is_some());
        assert!(loaded.catalog.image(DIGEST).is_some());
        let mut requests = seen.lock().unwrap().clone();
        requests.sort();
        assert_eq!(
            requests,
            [
                "GET /apis/config.openshift.io/v1/clusterimagepolicies?limit=500".to_owned(),
                "GET /apis/config.openshift.io/v1/imagedigestmirrorsets?limit=500".into(),
                "GET /apis/config.openshift.io/v1/imagepolicies?limit=500".into(),
                "GET /apis/config.openshift.io/v1/images/cluster".into(),
                "GET /apis/config.openshift.io/v1/imagetagmirrorsets?limit=500".into(),
                format!("GET /apis/image.openshift.io/v1/images/{DIGEST}"),
                "GET /apis/image.openshift.io/v1/namespaces/x/imagestreams/s".into(),
                "GET /apis/operator.openshift.io/v1alpha1/imagecontentsourcepolicies?limit=500".into(),
            ]
        );
        let notes = notes.0.into_inner();
        assert!(notes.iter().any(|n| n.to_string().contains("\"not-a-digest\" is not a digest")), "{notes:?}");
    }

    #[test]
    fn a_cluster_without_signature_policies_is_not_a_warning() {
        // Before OpenShift 4.16 the kinds do not exist: 404, and nothing to say.
        let (source, _) = mock(|path| match path {
            p if p.contains("imagepolicies") => (404, "{}".into()),
            p if p.ends_with("/images/cluster") => (404, "{}".into()),
            _ => (200, r#"{"kind":"List","apiVersion":"v1","metadata":{},"items":[]}"#.into()),
        });
        let wants = Wants { mirror_rules: true, ..Wants::default() };
        let notes = Collect::default();
        source.load(&wants, &notes).unwrap();
        let notes = notes.0.into_inner();
        assert!(notes.iter().all(|n| !n.is_warning()), "{notes:?}");
    }

    #[test]
    fn forbidden_images_fall_back_to_the_stream_layers() {
        let (source, seen) = mock(|path| {
            match path {
            p if p.starts_with("/apis/image.openshift.io/v1/namespaces/x/imagestreams/s/layers") => (
                200,
                format!(r#"{{"metadata":{{"name":"s","namespace":"x"}},"images":{{"{DIGEST}":{{"layers":[]}}}},"blobs":{{}}}}"#),
            ),
            p if p.starts_with("/apis/image.openshift.io/v1/namespaces/x/imagestreams/s") => (200, stream()),
            _ => (403, r#"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,"message":"no"}"#.into()),
        }
        });
        let wants =
            Wants { streams: Some((Some("x".into()), vec!["s".into()])), stream_images: true, ..Wants::default() };
        let loaded = source.load(&wants, &Collect::default()).unwrap();
        assert_eq!(loaded.catalog.stream_layers().count(), 1);
        assert!(seen.lock().unwrap().iter().any(|r| r.ends_with("/imagestreams/s/layers")));
    }
}
