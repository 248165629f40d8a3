//! Debian's `docker-registry` (distribution 2.8) on 127.0.0.1 for the verify tests: started
//! with a temporary config, storage that several registries may share, and its access log;
//! images pushed through the registry API (config + one layer + manifest), nothing downloaded.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running registry, killed on drop.
pub struct Registry {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub host: String,
    log: PathBuf,
}

/// A free ephemeral port (nothing listens on it once this returns: "down" uses one).
pub fn free_port() -> u16 {
    loop {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // Five digits, so tests can name hosts without moving table columns.
        if port >= 10_000 {
            return port;
        }
    }
}

impl Registry {
    /// Starts a registry on `storage` with extra `http:`/`auth:` configuration (YAML, indented
    /// as top-level keys), and waits until it accepts connections.
    pub fn start(dir: &Path, name: &str, storage: &Path, http_extra: &str, extra: &str) -> Registry {
        let binary = ["/usr/bin/docker-registry", "/usr/bin/registry"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("docker-registry is missing: install Debian's docker-registry package (.ci/run does)");
        let port = free_port();
        let config = dir.join(format!("{name}.yml"));
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:{port}\n{http_extra}{extra}",
                storage.display()
            ),
        )
        .unwrap();
        let log = dir.join(format!("{name}.log"));
        let child = Command::new(binary)
            .args(["serve", config.to_str().unwrap()])
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::options().append(true).open(&log).unwrap())
            .spawn()
            .unwrap();
        let host = format!("127.0.0.1:{port}");
        let started = Instant::now();
        while TcpStream::connect(&host).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "{name} did not start: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Registry { child, host, log }
    }

    /// The request lines of the access log (`HEAD /v2/... HTTP/1.1`).
    pub fn requests(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines()
            .filter_map(|line| {
                let start = line.find("] \"")? + 3;
                let end = start + line[start..].find('"')?;
                Some(line[start..end].to_owned())
            })
            .collect()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One small image: its config and layer bytes, and its manifest.
pub struct Image {
    blobs: Vec<Vec<u8>>,
    /// The manifest's bytes.
    pub manifest: Vec<u8>,
    /// `sha256:...` of the manifest.
    pub digest: String,
}

fn sha256(bytes: &[u8]) -> String {
    let hash = ring::digest::digest(&ring::digest::SHA256, bytes);
    format!("sha256:{}", hash.as_ref().iter().map(|b| format!("{b:02x}")).collect::<String>())
}

impl Image {
    /// An image whose layer holds `content`.
    pub fn new(content: &str) -> Image {
        let config = br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.to_vec();
        let layer = content.as_bytes().to_vec();
        let manifest = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"{}","size":{}}},"layers":[{{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"{}","size":{}}}]}}"#,
            sha256(&config),
            config.len(),
            sha256(&layer),
            layer.len()
        )
        .into_bytes();
        let digest = sha256(&manifest);
        Image { blobs: vec![config, layer], manifest, digest }
    }

    /// Pushes the image to `host` (plain HTTP, no auth) as `repository:reference`.
    pub fn push(&self, host: &str, repository: &str, reference: &str) {
        for blob in &self.blobs {
            let (status, headers, _) = request(host, "POST", &format!("/v2/{repository}/blobs/uploads/"), &[], b"");
            assert_eq!(status, 202, "starting an upload to {host}");
            let location = header(&headers, "location").expect("an upload location");
            let path =
                location.split_once("://").map_or(location.as_str(), |(_, rest)| &rest[rest.find('/').unwrap()..]);
            let separator = if path.contains('?') { '&' } else { '?' };
            let target = format!("{path}{separator}digest={}", sha256(blob));
            let (status, _, body) =
                request(host, "PUT", &target, &[("content-type", "application/octet-stream")], blob);
            assert_eq!(status, 201, "uploading a blob: {}", String::from_utf8_lossy(&body));
        }
        let media = [("content-type", "application/vnd.docker.distribution.manifest.v2+json")];
        let (status, _, body) =
            request(host, "PUT", &format!("/v2/{repository}/manifests/{reference}"), &media, &self.manifest);
        assert_eq!(status, 201, "pushing a manifest: {}", String::from_utf8_lossy(&body));
    }
}

/// Pushes a manifest list of `children` (each for linux/amd64 and then linux/arm64, in order)
/// as `repository:reference`; the children must be in the repository. Returns its digest.
pub fn push_list(host: &str, repository: &str, reference: &str, children: &[&Image]) -> String {
    let platforms = ["amd64", "arm64"];
    let entries: Vec<String> = children
        .iter()
        .zip(platforms)
        .map(|(child, arch)| {
            format!(
                r#"{{"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"{}","size":{},"platform":{{"architecture":"{arch}","os":"linux"}}}}"#,
                child.digest,
                child.manifest.len()
            )
        })
        .collect();
    let list = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[{}]}}"#,
        entries.join(",")
    );
    let media = [("content-type", "application/vnd.docker.distribution.manifest.list.v2+json")];
    let (status, _, body) =
        request(host, "PUT", &format!("/v2/{repository}/manifests/{reference}"), &media, list.as_bytes());
    assert_eq!(status, 201, "pushing a manifest list: {}", String::from_utf8_lossy(&body));
    sha256(list.as_bytes())
}

/// Deletes a manifest by digest (the registry must allow deletes).
pub fn delete(host: &str, repository: &str, digest: &str) {
    let (status, _, body) = request(host, "DELETE", &format!("/v2/{repository}/manifests/{digest}"), &[], b"");
    assert_eq!(status, 202, "deleting a manifest: {}", String::from_utf8_lossy(&body));
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
}

/// One HTTP/1.1 request on its own connection: (status, headers, body).
fn request(
    host: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(host).unwrap();
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status = status_line.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut response_headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            response_headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let mut rest = Vec::new();
    let _ = reader.read_to_end(&mut rest);
    (status, response_headers, rest)
}
