//! A synthetic cluster and must-gather, written to disk for the benchmark: namespaces of image
//! streams whose histories reference cluster-scoped Images, mirror rules that cover some of
//! their repositories, and (for the must-gather) the Pods, Events and ConfigMaps real
//! must-gathers are mostly made of. Deterministic: the same size writes the same bytes.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// How big a cluster to write.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    /// The name the command line uses.
    pub name: &'static str,
    /// Namespaces: `openshift`, then `team-001`...
    pub namespaces: usize,
    /// Image streams in all.
    pub streams: usize,
    /// Tags per stream.
    pub tags: usize,
    /// History items per tag, each a distinct Image.
    pub history: usize,
    /// ImageContentSourcePolicies, ten repository mirrors each.
    pub policies: usize,
}

impl Size {
    /// The sizes the benchmark knows.
    pub fn named(name: &str) -> Option<Size> {
        let (name, streams, policies) = match name {
            "smoke" => ("smoke", 20, 2),
            "small" => ("small", 100, 10),
            "20k" => ("20k", 1_000, 100),
            "100k" => ("100k", 5_000, 100),
            _ => return None,
        };
        Some(Size { name, namespaces: 10, streams, tags: 5, history: 4, policies })
    }

    /// Images in all.
    pub fn images(&self) -> usize {
        self.streams * self.tags * self.history
    }

    /// The namespace of stream `s`.
    pub fn namespace(&self, s: usize) -> String {
        namespace(s % self.namespaces)
    }
}

/// The name of namespace `n`: the first is `openshift`, as in a real cluster.
pub fn namespace(n: usize) -> String {
    if n == 0 { "openshift".to_owned() } else { format!("team-{n:03}") }
}

/// The digest of image `i`.
pub fn digest(i: usize) -> String {
    format!("sha256:{i:064x}")
}

/// The repository of stream `s` upstream; every other organisation has a mirror.
fn upstream(s: usize) -> String {
    format!("quay.io/org-{}/repo-{s}", s % 200)
}

/// Writes the cluster under `dir` in must-gather layout. Returns the bytes written.
pub fn write_cluster(dir: &Path, size: &Size) -> u64 {
    let mut written = 0;
    let mut write = |relative: String, text: String| {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        written += text.len() as u64;
        std::fs::write(path, text).unwrap();
    };
    // Images, as `oc get images -o json` writes them.
    let mut images = String::from(r#"{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":["#);
    for i in 0..size.images() {
        if i > 0 {
            images.push(',');
        }
        image_json(&mut images, i);
    }
    images.push_str("]}\n");
    write("cluster-scoped-resources/image.openshift.io/images.json".into(), images);
    // Streams, as `oc get is -o yaml` writes them, one List per namespace.
    let mut per_namespace: Vec<String> =
        (0..size.namespaces).map(|_| String::from("apiVersion: v1\nkind: List\nitems:\n")).collect();
    for s in 0..size.streams {
        stream_yaml(&mut per_namespace[s % size.namespaces], size, s);
    }
    for (n, text) in per_namespace.into_iter().enumerate() {
        write(format!("namespaces/{}/image.openshift.io/imagestreams.yaml", namespace(n)), text);
    }
    // Mirror rules for the even organisations.
    let mut rules = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for p in 0..size.policies {
        let _ = writeln!(
            rules,
            "- apiVersion: operator.openshift.io/v1alpha1\n  kind: ImageContentSourcePolicy\n  metadata:\n    name: mirror-{p}\n  spec:\n    repositoryDigestMirrors:"
        );
        for k in 0..10 {
            let org = (p * 10 + k) * 2 % 200;
            let _ = writeln!(
                rules,
                "    - source: quay.io/org-{org}\n      mirrors:\n      - mirror.example.com:8443/org-{org}"
            );
        }
    }
    write("cluster-scoped-resources/operator.openshift.io/imagecontentsourcepolicies.yaml".into(), rules);
    written
}

fn image_json(out: &mut String, i: usize) {
    let layers: Vec<String> = (0..3)
        .map(|k| {
            format!(
                r#"{{"name":"sha256:{:064x}","size":{},"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip"}}"#,
                i * 3 + k + 1_000_000_000,
                10_000_000 + k * 1_000
            )
        })
        .collect();
    let _ = write!(
        out,
        r#"{{"apiVersion":"image.openshift.io/v1","kind":"Image","metadata":{{"name":"{d}","uid":"{i:08x}-0000-4000-8000-000000000000","resourceVersion":"{i}","creationTimestamp":"2026-01-01T00:00:00Z","annotations":{{"image.openshift.io/dockerLayersOrder":"ascending"}}}},"dockerImageReference":"quay.io/org-x/repo@{d}","dockerImageLayers":[{l}],"dockerImageManifestMediaType":"application/vnd.oci.image.manifest.v1+json","dockerImageMetadata":{{"apiVersion":"image.openshift.io/1.0","kind":"DockerImage","Architecture":"amd64","Size":30003000,"Created":"2026-01-01T00:00:00Z","Config":{{"Labels":{{"vendor":"Example","version":"1.{i}"}},"Env":["PATH=/usr/local/bin:/usr/bin"],"Entrypoint":["/usr/bin/app"]}}}}}}"#,
        d = digest(i),
        l = layers.join(",")
    );
}

fn stream_yaml(out: &mut String, size: &Size, s: usize) {
    let ns = size.namespace(s);
    let repository = upstream(s);
    let _ = write!(
        out,
        "- apiVersion: image.openshift.io/v1\n  kind: ImageStream\n  metadata:\n    name: stream-{s}\n    namespace: {ns}\n    uid: {s:08x}-1111-4000-8000-000000000000\n    resourceVersion: \"{s}\"\n    creationTimestamp: \"2026-01-01T00:00:00Z\"\n    labels:\n      app: stream-{s}\n  spec:\n    lookupPolicy:\n      local: false\n    tags:\n"
    );
    for t in 0..size.tags {
        let policy = if t % 2 == 0 { "Local" } else { "Source" };
        let _ = write!(
            out,
            "    - name: v{t}\n      from:\n        kind: DockerImage\n        name: {repository}:v{t}\n      generation: 4\n      importPolicy:\n        importMode: Legacy\n      referencePolicy:\n        type: {policy}\n"
        );
    }
    let _ = write!(
        out,
        "  status:\n    dockerImageRepository: image-registry.openshift-image-registry.svc:5000/{ns}/stream-{s}\n    tags:\n"
    );
    for t in 0..size.tags {
        let _ = write!(out, "    - tag: v{t}\n      items:\n");
        for h in 0..size.history {
            let i = (s * size.tags + t) * size.history + h;
            let _ = write!(
                out,
                "      - created: \"2026-0{}-01T00:00:00Z\"\n        dockerImageReference: {repository}@{d}\n        generation: {g}\n        image: {d}\n",
                9 - h.min(8),
                d = digest(i),
                g = 4 - h.min(3)
            );
        }
    }
}

/// Adds about `bytes` of what else a must-gather holds (Pods, Events, ConfigMaps in YAML, as
/// `oc adm inspect` writes them) under `dir`: text isctl must not need to parse. Returns the
/// bytes written.
pub fn write_noise(dir: &Path, size: &Size, bytes: u64) -> u64 {
    let mut written = 0u64;
    let mut file = 0usize;
    while written < bytes {
        let ns = namespace(file % size.namespaces);
        let kind = ["pods", "events", "configmaps"][file % 3];
        let path = dir.join(format!("namespaces/{ns}/core/{kind}-{file}.yaml"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut text = String::from("apiVersion: v1\nkind: List\nitems:\n");
        let mut n = 0;
        while text.len() < 10 << 20 {
            match kind {
                "pods" => pod(&mut text, &ns, file, n),
                "events" => event(&mut text, &ns, file, n),
                _ => config_map(&mut text, &ns, file, n),
            }
            n += 1;
        }
        out.write_all(text.as_bytes()).unwrap();
        written += text.len() as u64;
        file += 1;
    }
    written
}

fn pod(out: &mut String, ns: &str, file: usize, n: usize) {
    let _ = write!(
        out,
        "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: app-{file}-{n}-7d9f8c6b5-x2x4z\n    namespace: {ns}\n    annotations:\n      openshift.io/scc: restricted-v2\n      seccomp.security.alpha.kubernetes.io/pod: runtime/default\n      k8s.ovn.org/pod-networks: '{{\"default\":{{\"ip_addresses\":[\"10.128.2.{}/23\"]}}}}'\n    labels:\n      app: app-{file}\n      pod-template-hash: 7d9f8c6b5\n  spec:\n    containers:\n    - name: app\n      image: quay.io/org-{}/repo-{n}@sha256:{:064x}\n      imagePullPolicy: IfNotPresent\n      ports:\n      - containerPort: 8080\n        protocol: TCP\n      resources:\n        limits:\n          cpu: 500m\n          memory: 512Mi\n      env:\n      - name: JAVA_OPTS\n        value: -Xmx256m -XX:+UseG1GC\n    serviceAccountName: default\n    nodeName: worker-{}.example.com\n  status:\n    phase: Running\n    containerStatuses:\n    - name: app\n      image: quay.io/org-{}/repo-{n}@sha256:{:064x}\n      imageID: quay.io/org-{}/repo-{n}@sha256:{:064x}\n      ready: true\n      restartCount: 0\n      state:\n        running:\n          startedAt: \"2026-11-01T00:00:00Z\"\n",
        n % 250,
        n % 200,
        n,
        n % 6,
        n % 200,
        n,
        n % 200,
        n
    );
}

fn event(out: &mut String, ns: &str, file: usize, n: usize) {
    let (reason, message) = if n.is_multiple_of(10) {
        ("Failed", format!("Error: ImagePullBackOff: Back-off pulling image \"quay.io/org-1/repo-{n}:latest\""))
    } else {
        ("Pulled", format!("Successfully pulled image \"quay.io/org-1/repo-{n}:latest\" in 1.2s"))
    };
    let _ = write!(
        out,
        "- apiVersion: v1\n  kind: Event\n  metadata:\n    name: app-{file}-{n}.17a2b3c4d5e6f7a8\n    namespace: {ns}\n  involvedObject:\n    kind: Pod\n    name: app-{file}-{n}\n    namespace: {ns}\n  reason: {reason}\n  message: '{message}'\n  source:\n    component: kubelet\n    host: worker-{}.example.com\n  firstTimestamp: \"2026-11-01T00:00:00Z\"\n  lastTimestamp: \"2026-11-01T00:00:00Z\"\n  count: {}\n  type: Normal\n",
        n % 6,
        n % 7 + 1
    );
}

fn config_map(out: &mut String, ns: &str, file: usize, n: usize) {
    let _ = write!(
        out,
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: config-{file}-{n}\n    namespace: {ns}\n  data:\n    application.properties: |\n      server.port=8080\n      logging.level.root=INFO\n      feature.{n}.enabled=true\n      cache.size={}\n",
        n * 7
    );
}
