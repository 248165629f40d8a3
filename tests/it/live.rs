//! Live mode end to end: the built binary reads `isctl serve` on loopback through a temporary
//! kubeconfig, exactly as it would read a cluster.

use crate::common::{DEMO, Server, output};

/// Only GETs ever reach the server, whatever the command.
fn assert_read_only(server: &Server) {
    let requests = server.requests();
    assert!(!requests.is_empty());
    for request in requests {
        assert!(request.starts_with("GET "), "isctl sent a non-GET request: {request}");
    }
}

#[test]
fn resolve_through_the_api_is_byte_identical_to_files() {
    let server = Server::start(&[]);
    for args in [
        vec!["resolve", "must-gather", "-n", "openshift", "-o", "yaml"],
        vec!["resolve", "-n", "openshift", "-o", "yaml"],
        vec!["resolve", "-A", "-o", "json"],
        vec!["resolve", "cli:latest", "tools", "-n", "openshift"],
        vec!["describe", "is", "cli", "-n", "openshift"],
    ] {
        let (code, live, live_stderr) = server.isctl(&args);
        assert_eq!(code, 0, "{args:?}: {live_stderr}");
        let mut offline_args = args.clone();
        offline_args.extend(["--from", DEMO]);
        let (_, offline, offline_stderr) = output(&offline_args);
        assert_eq!(live, offline, "{args:?}");
        // The same situation gets the same words, live or offline.
        assert_eq!(live_stderr, offline_stderr, "{args:?}");
    }
    assert_read_only(&server);
}

#[test]
fn one_stream_takes_exactly_twelve_requests() {
    // docs/live.md states this count: the stream, the cluster image config, three mirror lists,
    // two signature policy lists, its three history Images and the two children of its
    // manifest list.
    let server = Server::start(&[]);
    let (code, _, stderr) = server.isctl(&["resolve", "must-gather", "-n", "openshift"]);
    assert_eq!(code, 0, "{stderr}");
    let mut requests = server.requests();
    requests.sort();
    insta::assert_snapshot!(requests.join("\n"));
    assert_eq!(requests.len(), 12);
}

#[test]
fn get_and_mirrors_read_the_cluster() {
    let server = Server::start(&[]);
    let (code, stdout, stderr) = server.isctl(&["get", "is", "-n", "openshift"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, output(&["get", "is", "-n", "openshift", "--from", DEMO]).1);
    let (code, stdout, _) = server.isctl(&["get", "istag", "-A", "-o", "yaml"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, output(&["get", "istag", "-A", "-o", "yaml", "--from", DEMO]).1);
    let (code, stdout, _) = server.isctl(&["mirrors", "registry.redhat.io/ubi9/ubi:latest", "-o", "yaml"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, output(&["mirrors", "registry.redhat.io/ubi9/ubi:latest", "-o", "yaml", "--from", DEMO]).1);
    assert_read_only(&server);
}

#[test]
fn lists_page_with_limit_and_continue() {
    let server = Server::start(&[]);
    let (code, stdout, stderr) = server.isctl(&["get", "images", "-o", "name", "--chunk-size", "5", "-v"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 12);
    let pages: Vec<String> = server.requests().into_iter().filter(|r| r.contains("/images?")).collect();
    assert_eq!(
        pages,
        [
            "GET /apis/image.openshift.io/v1/images?limit=5 200",
            "GET /apis/image.openshift.io/v1/images?limit=5&continue=isctl-5-b884aabc 200",
            "GET /apis/image.openshift.io/v1/images?limit=5&continue=isctl-10-b884aabc 200",
        ]
    );
    assert!(stderr.contains("GET /apis/image.openshift.io/v1/images?limit=5 200 in "), "-v logs requests: {stderr}");
    // Written page by page, the documents are byte for byte the offline ones, whatever the page.
    for format in ["yaml", "json"] {
        let offline = output(&["get", "images", "-o", format, "--from", DEMO]).1;
        for chunk in ["5", "0"] {
            let (code, live, stderr) = server.isctl(&["get", "images", "-o", format, "--chunk-size", chunk]);
            assert_eq!((code, live.as_str()), (0, offline.as_str()), "{format} {chunk}: {stderr}");
        }
        let offline = output(&["get", "is", "-A", "-o", format, "-l", "app=demo", "--from", DEMO]).1;
        let (_, live, _) = server.isctl(&["get", "is", "-A", "-o", format, "-l", "app=demo", "--chunk-size", "1"]);
        assert_eq!(live, offline, "{format} with a selector");
    }
}

#[test]
fn a_project_only_user_gets_answers_with_provenance_and_warnings() {
    let server =
        Server::start(&["--deny", "images", "--deny", "imagecontentsourcepolicies", "--deny", "imagedigestmirrorsets"]);
    let (code, stdout, stderr) = server.isctl(&["resolve", "must-gather", "-n", "openshift", "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let stream: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for item in stream["tags"][0]["history"].as_array().unwrap() {
        assert_eq!(item["imageFrom"], "ImageStreamLayers", "{item}");
    }
    assert!(stderr.contains("cannot read imagecontentsourcepolicies.operator.openshift.io"), "{stderr}");
    assert!(stderr.contains("reading image details through imagestreams/layers"), "{stderr}");
    // The tag mirror set stayed readable: a tag pull still gets its mirror.
    let (_, plan, _) = server.isctl(&["mirrors", "registry.redhat.io/ubi9/ubi:latest", "-o", "json"]);
    assert!(plan.contains("mirror.example.com:8443/ubi9-tags/ubi:latest"), "{plan}");

    let stricter = Server::start(&["--deny", "images", "--deny", "imagestreams/layers"]);
    let (code, stdout, stderr) = stricter.isctl(&["resolve", "cli", "-n", "openshift", "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let stream: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let latest = &stream["tags"][0]["history"][0];
    assert_eq!(latest["imageFrom"], "ImageStreamImage", "{latest}");
    assert_read_only(&stricter);
}

/// serve over TLS with the test CA, so a kubeconfig token is sent.
fn tls_server(extra: &[&str]) -> Server {
    let mut args = vec![
        "--tls-cert",
        "fixtures/tls/server.pem",
        "--tls-key",
        "fixtures/tls/server-key.pem",
        "--tls-ca",
        "fixtures/tls/ca.pem",
    ];
    args.extend(extra);
    Server::start(&args)
}

#[test]
fn tokens_not_found_and_unreachable_servers_read_like_kubectl() {
    let server = tls_server(&["--token", "s3cret"]);
    let (code, stdout, stderr) = server.isctl(&["get", "is", "-n", "openshift", "-o", "name"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("imagestream.image.openshift.io/cli"));
    let (code, _, stderr) = server.isctl(&["get", "is", "cli", "nope", "-n", "openshift", "-o", "name"]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "Error from server (NotFound): imagestreams.image.openshift.io \"nope\" not found\n");
    let (code, _, stderr) = server.isctl(&["resolve", "nope", "-n", "openshift"]);
    assert_eq!(
        (code, stderr.as_str()),
        (1, "Error from server (NotFound): imagestreams.image.openshift.io \"nope\" not found\n")
    );

    let kubeconfig = std::fs::read_to_string(&server.kubeconfig).unwrap();
    std::fs::write(&server.kubeconfig, kubeconfig.replace("token: \"s3cret\"", "token: \"wrong\"")).unwrap();
    let (code, _, stderr) = server.isctl(&["get", "is", "-n", "openshift"]);
    assert_eq!((code, stderr.as_str()), (1, "error: You must be logged in to the server (Unauthorized)\n"));

    // A server that has gone away: keep its kubeconfig, stop the server.
    let gone = Server::start(&[]);
    let kubeconfig_text = std::fs::read_to_string(&gone.kubeconfig).unwrap();
    drop(gone);
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(&kubeconfig, &kubeconfig_text).unwrap();
    let address = kubeconfig_text.lines().find_map(|l| l.trim().strip_prefix("server: http://")).unwrap().to_owned();
    let result = crate::common::isctl().env("KUBECONFIG", &kubeconfig).args(["get", "is"]).output().unwrap();
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&result.stderr),
        format!("The connection to the server {address} was refused - did you specify the right host or port?\n")
    );
}

#[test]
fn the_context_namespace_is_the_default() {
    let server = Server::start(&[]);
    let kubeconfig = std::fs::read_to_string(&server.kubeconfig).unwrap();
    std::fs::write(
        &server.kubeconfig,
        kubeconfig.replace("    user: isctl\n", "    user: isctl\n    namespace: demo\n"),
    )
    .unwrap();
    let (code, stdout, stderr) = server.isctl(&["get", "is", "-o", "name"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "imagestream.image.openshift.io/app\n");
}

#[test]
fn record_then_from_gives_the_live_answer() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("recorded");
    let target = recording.display().to_string();
    let (code, stdout, stderr) = server.isctl(&["record", &target, "-A"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("recorded "), "{stdout}");
    let (_, live, _) = server.isctl(&["resolve", "-A", "-o", "yaml"]);
    let (code, recorded, stderr) = output(&["resolve", "-A", "-o", "yaml", "--from", &target]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(live, recorded);
    assert!(recording.join("namespaces/openshift/image.openshift.io/imagestreams.yaml").is_file());
    let (code, _, stderr) = server.isctl(&["record", &target]);
    assert_eq!(code, 2, "a non-empty directory is refused");
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert_read_only(&server);
}

#[test]
fn no_cluster_configured_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let result = crate::common::isctl().env("HOME", dir.path()).args(["get", "is"]).output().unwrap();
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.starts_with("error: no cluster to read:"), "{stderr}");
    assert!(stderr.contains("--from PATH"), "{stderr}");
}

/// A one-route server on loopback that answers `replies` in order, then 404; returns its URL
/// and a handle yielding the request lines it saw.
fn scripted_server(replies: Vec<(u16, &'static str, String)>) -> (String, std::thread::JoinHandle<Vec<String>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        let total = replies.len();
        let mut replies = replies.into_iter();
        for stream in listener.incoming().take(total) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            seen.push(line.trim().to_owned());
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap() == 0 || header == "\r\n" {
                    break;
                }
            }
            let (code, extra, body) = replies.next().unwrap();
            write!(
                stream,
                "HTTP/1.1 {code} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{body}",
                body.len()
            )
            .unwrap();
        }
        seen
    });
    (url, handle)
}

#[test]
fn busy_and_failing_servers_are_retried() {
    let stream =
        r#"{"apiVersion":"image.openshift.io/v1","kind":"ImageStream","metadata":{"name":"cli","namespace":"x"}}"#;
    let busy = r#"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}"#;
    let (url, handle) = scripted_server(vec![
        (429, "retry-after: 0\r\n", busy.to_owned()),
        (503, "", "unavailable".to_owned()),
        (200, "", stream.to_owned()),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {url}\nusers:\n- name: u\n  user: {{}}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\n"),
    )
    .unwrap();
    let result = crate::common::isctl()
        .env("KUBECONFIG", &kubeconfig)
        .args(["get", "is", "cli", "-n", "x", "-o", "name"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&result.stdout),
        "imagestream.image.openshift.io/cli\n",
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let seen = handle.join().unwrap();
    assert_eq!(seen, vec!["GET /apis/image.openshift.io/v1/namespaces/x/imagestreams/cli HTTP/1.1"; 3]);
}

#[test]
fn a_namespace_pages_too() {
    let server = Server::start(&[]);
    let (code, stdout, stderr) = server.isctl(&["get", "is", "-n", "openshift", "-o", "name", "--chunk-size", "1"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 3);
    let pages = server.requests().into_iter().filter(|r| r.contains("/namespaces/openshift/imagestreams?")).count();
    assert_eq!(pages, 3);
}

/// A kubeconfig pointing at `url`, in `dir`.
fn kubeconfig_for(dir: &std::path::Path, url: &str) -> std::path::PathBuf {
    let path = dir.join("kubeconfig");
    std::fs::write(
        &path,
        format!("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {url}\nusers:\n- name: u\n  user: {{}}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\n"),
    )
    .unwrap();
    path
}

#[test]
fn retries_are_bounded_and_repeated_continue_tokens_stop() {
    // Four 503s: four GETs (kube's own retry layer is off), then a clear error.
    let (url, handle) = scripted_server((0..4).map(|_| (503, "", "unavailable".to_owned())).collect());
    let dir = tempfile::tempdir().unwrap();
    let result = crate::common::isctl()
        .env("KUBECONFIG", kubeconfig_for(dir.path(), &url))
        .args(["get", "is", "cli", "-n", "x"])
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(handle.join().unwrap().len(), 4);
    // The body is not a Status: client-go's words for the code, never the raw body.
    assert_eq!(
        String::from_utf8_lossy(&result.stderr),
        "Error from server (ServiceUnavailable): the server is currently unable to handle the request (GET /apis/image.openshift.io/v1/namespaces/x/imagestreams/cli)\n",
    );

    // A server that hands out the same continue token again must not keep isctl paging forever.
    let page =
        r#"{"apiVersion":"image.openshift.io/v1","kind":"ImageStreamList","metadata":{"continue":"same"},"items":[]}"#;
    let (url, handle) = scripted_server(vec![(200, "", page.to_owned()), (200, "", page.to_owned())]);
    let dir = tempfile::tempdir().unwrap();
    let result = crate::common::isctl()
        .env("KUBECONFIG", kubeconfig_for(dir.path(), &url))
        .args(["get", "is", "-n", "x"])
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(handle.join().unwrap().len(), 2);
    assert!(
        String::from_utf8_lossy(&result.stderr).contains("the same continue token twice"),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// When every Image GET answers 404, the cluster has said, per Image, that it is not there: the
/// answer is offline's over the same objects (each missing Image listed), not "image details
/// unknown", which is for an input that holds no Images at all.
#[test]
fn images_the_cluster_answers_404_for_are_missing_as_offline() {
    let tree = tempfile::tempdir().unwrap();
    let streams = tree.path().join("namespaces/openshift/image.openshift.io");
    std::fs::create_dir_all(&streams).unwrap();
    let demo_streams = std::path::Path::new(DEMO)
        .join("quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-5f2b0e1d2c3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c/namespaces/openshift/image.openshift.io/imagestreams.yaml");
    std::fs::copy(demo_streams, streams.join("imagestreams.yaml")).unwrap();
    // One Image no stream references: the tree holds Images, just not these.
    let images = tree.path().join("cluster-scoped-resources/image.openshift.io/images");
    std::fs::create_dir_all(&images).unwrap();
    let other = format!("sha256:{}", "f".repeat(64));
    std::fs::write(
        images.join(format!("{other}.yaml")),
        format!("apiVersion: image.openshift.io/v1\nkind: Image\nmetadata: {{name: '{other}'}}\ndockerImageReference: quay.io/x/y@{other}\n"),
    )
    .unwrap();
    let from = tree.path().to_str().unwrap();
    let server = Server::start_from(from, &[]);
    for args in [vec!["resolve", "-n", "openshift", "-o", "yaml"], vec!["resolve", "cli", "-n", "openshift"]] {
        let (code, live, live_stderr) = server.isctl(&args);
        let mut offline_args = args.clone();
        offline_args.extend(["--from", from]);
        let (offline_code, offline, offline_stderr) = output(&offline_args);
        assert_eq!((code, live.as_str()), (offline_code, offline.as_str()), "{args:?}: {live_stderr}");
        assert_eq!(live_stderr, offline_stderr, "{args:?}");
        assert!(!live_stderr.contains("image details unknown"), "{live_stderr}");
        assert!(live_stderr.contains("not in the input"), "{live_stderr}");
    }
    let image_gets: Vec<String> = server.requests().into_iter().filter(|r| r.contains("/images/sha256:")).collect();
    assert!(!image_gets.is_empty() && image_gets.iter().all(|r| r.ends_with(" 404")), "{image_gets:?}");
    // kubectl hears the same 404 from the server isctl read.
    let digest = "sha256:6b6f9cb2486b250c2b4030946a28bd5482fb2864ead628346c5bb1547fff00d0";
    let (code, _, stderr) = server.kubectl(&["get", "images.image.openshift.io", digest]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("NotFound") || stderr.contains("not found"), "{stderr}");
    assert_read_only(&server);
}
