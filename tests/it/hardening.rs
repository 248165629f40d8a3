//! Regression tests for the hardening issue (#16): hostile names, hostile servers, hostile
//! files and secrets. Each test is named for the numbered item it pins and failed before the
//! fix. Hostile servers are played by the fault server, honest ones by `isctl serve`.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{DEMO, KillOnDrop, Server, isctl, output};
use crate::fault_server::{FaultServer, Reply, empty_list, not_found, stream_list};

const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Runs isctl with a kubeconfig (and a private HOME); (code, stdout, stderr).
fn live(kubeconfig: &Path, args: &[&str]) -> (i32, String, String) {
    let home = kubeconfig.parent().unwrap();
    let result = isctl().env("KUBECONFIG", kubeconfig).env("HOME", home).args(args).output().unwrap();
    (
        result.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&result.stdout).into_owned(),
        String::from_utf8_lossy(&result.stderr).into_owned(),
    )
}

/// Runs a command, killing it after `limit`: (code, stdout, stderr, elapsed). A hang fails.
pub(crate) fn bounded(mut command: Command, limit: Duration) -> (i32, String, String, Duration) {
    let started = Instant::now();
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code().unwrap_or(-1), out.join().unwrap(), err.join().unwrap(), started.elapsed());
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("isctl did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every file under `root`, relative.
fn files_under(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                pending.push(path);
            } else {
                found.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

/// A stream in `namespace` whose history references `images`, and those Images.
fn hostile_recording(namespace: &str, images: &[&str]) -> String {
    let items: Vec<String> = images
        .iter()
        .map(|i| format!("    - {{image: '{i}', dockerImageReference: 'quay.io/x/y@sha256:{HEX}'}}"))
        .collect();
    let mut text = format!(
        "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {{name: s, namespace: '{namespace}'}}\nstatus:\n  tags:\n  - tag: t\n    items:\n{}\n",
        items.join("\n")
    );
    for image in images {
        text.push_str(&format!(
            "---\napiVersion: image.openshift.io/v1\nkind: Image\nmetadata: {{name: '{image}'}}\ndockerImageReference: quay.io/x/y@sha256:{HEX}\n"
        ));
    }
    text
}

#[test]
fn item_01_record_never_writes_outside_its_directory() {
    let sandbox = tempfile::tempdir().unwrap();
    let input = sandbox.path().join("input");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.yaml"), hostile_recording("team", &["../../escaped", "/abs/x", "ok"])).unwrap();
    std::fs::write(input.join("b.yaml"), hostile_recording("../../NS", &["fine"])).unwrap();
    let recording = sandbox.path().join("deep/rec");
    let (code, stdout, stderr) =
        output(&["record", &recording.display().to_string(), "-A", "--from", &input.display().to_string()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("recorded "), "{stdout}");
    assert!(stderr.contains("skipped Image \"../../escaped\": the name may not contain '/'"), "{stderr}");
    assert!(stderr.contains("skipped Image \"/abs/x\""), "{stderr}");
    assert!(stderr.contains("in namespace \"../../NS\": the namespace may not contain '/'"), "{stderr}");
    // Nothing next to the recording, nothing at the root: only DIR and the input exist.
    let outside: Vec<String> = files_under(sandbox.path())
        .into_iter()
        .filter(|f| !f.starts_with("deep/rec/") && !f.starts_with("input/"))
        .collect();
    assert_eq!(outside, Vec::<String>::new());
    assert!(!Path::new("/abs/x.yaml").exists());

    // Live: the same objects served, recorded through the API.
    let server = Server::start_from(&input.display().to_string(), &[]);
    let live_recording = sandbox.path().join("live/rec");
    let (code, _, stderr) = server.isctl(&["record", &live_recording.display().to_string(), "-A"]);
    assert_eq!(code, 0, "{stderr}");
    let outside: Vec<String> = files_under(sandbox.path())
        .into_iter()
        .filter(|f| !f.starts_with("deep/rec/") && !f.starts_with("input/") && !f.starts_with("live/rec/"))
        .collect();
    assert_eq!(outside, Vec::<String>::new());
    assert!(stderr.contains("\"../../NS\""), "the bad namespace is reported: {stderr}");
}

const TOKEN: &str = "s3cr3t-t0ken-value-1234567890";

#[test]
fn item_02_credential_files_are_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let shapes = [
        // A syntax error on the token's line, a type error on it, an error after it.
        format!("apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: \"{TOKEN}\n"),
        format!("apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: [\"{TOKEN}\"]\n"),
        format!("apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: {TOKEN}\n  bad: [\n"),
    ];
    for (i, text) in shapes.iter().enumerate() {
        let path = dir.path().join(format!("kubeconfig-{i}"));
        std::fs::write(&path, text).unwrap();
        let (code, stdout, stderr) = live(&path, &["get", "is", "-v"]);
        assert_eq!(code, 1, "{stderr}");
        assert!(!stderr.contains(TOKEN) && !stdout.contains(TOKEN), "shape {i} leaked the token: {stderr}");
        assert!(stderr.contains(&format!("error loading config file \"{}\": yaml: line", path.display())), "{stderr}");
    }
    // An exec plugin that prints the token and fails, and one that prints it malformed.
    let server = FaultServer::start(|_, _| Reply::ok(stream_list(&[], None)));
    for (name, script) in [
        ("fails", format!("#!/bin/sh\necho '{{\"status\":{{\"token\":\"{TOKEN}\"}}}}'\necho {TOKEN} >&2\nexit 1\n")),
        ("garbled", format!("#!/bin/sh\necho '{{\"status\": {{\"token\": \"{TOKEN}\" ]'\n")),
    ] {
        let plugin = dir.path().join(name);
        std::fs::write(&plugin, script).unwrap();
        std::fs::set_permissions(&plugin, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let user = format!(
            "\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: {}\n      interactiveMode: Never",
            plugin.display()
        );
        let https = FaultServer::start(|_, _| Reply::ok(stream_list(&[], None)));
        let kubeconfig = https.kubeconfig(dir.path(), &user);
        // Credentials only travel over TLS: point the kubeconfig at https so the plugin runs.
        let text = std::fs::read_to_string(&kubeconfig).unwrap().replace("http://", "https://");
        std::fs::write(&kubeconfig, text).unwrap();
        let (code, stdout, stderr) = live(&kubeconfig, &["get", "is", "-v", "--insecure-skip-tls-verify"]);
        assert_eq!(code, 1, "{stderr}");
        assert!(!stderr.contains(TOKEN) && !stdout.contains(TOKEN), "{name} leaked the token: {stderr}");
    }
    drop(server);
}

#[test]
fn item_03_no_bearer_token_over_plain_http() {
    let server = FaultServer::start(|_, _| {
        Reply::status(
            401,
            r#"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Unauthorized","code":401}"#,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path(), &format!("\n    token: {TOKEN}"));
    let (code, _, stderr) = live(&kubeconfig, &["get", "is"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: You must be logged in to the server (Unauthorized)\nhint: isctl sent no credentials: the server's URL is plain http://, and credentials only travel over TLS (kubectl does the same); use an https:// server\n"
    );
    let seen = server.seen();
    assert!(!seen.is_empty());
    assert!(seen.iter().all(|r| r.header("authorization").is_none()), "{seen:?}");
}

#[test]
fn item_04_live_paths_are_encoded_and_server_names_checked() {
    let stream = r#"{"apiVersion":"image.openshift.io/v1","kind":"ImageStream","metadata":{"name":"s","namespace":"x"},
        "status":{"tags":[{"tag":"t","items":[
          {"image":"sha256:has space","dockerImageReference":"q/s@sha256:1"},
          {"image":"../../../api/v1/namespaces/kube-system/secrets","dockerImageReference":"q/s@sha256:2"},
          {"image":"sha256:a%2F..%2F..","dockerImageReference":"q/s@sha256:3"}]}]}}"#
        .replace('\n', "");
    let server = FaultServer::start(move |_, request| {
        let path = request.path();
        if path.starts_with("/apis/image.openshift.io/v1/namespaces/x/imagestreams/s") {
            Reply::ok(stream.clone())
        } else if path.contains("/images/") || path.ends_with("/cluster") {
            not_found()
        } else {
            Reply::ok(empty_list("Thing"))
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path(), "{}");
    let (code, stdout, stderr) = live(&kubeconfig, &["resolve", "s", "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("has space"), "the answer still shows the entry");
    assert!(
        stderr.contains("the history image \"sha256:has space\" is not a digest; its Image is not read"),
        "{stderr}"
    );
    for request in server.seen() {
        assert!(!request.path().contains("..") && !request.path().contains("secrets"), "{request:?}");
    }
}

#[test]
fn item_05_serve_secrets_stay_private() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "from-a-file\n").unwrap();
    // An existing world-readable kubeconfig, and a link that must not be followed.
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(&kubeconfig, "old").unwrap();
    std::fs::set_permissions(&kubeconfig, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let tls = [
        "--tls-cert",
        "fixtures/tls/server.pem",
        "--tls-key",
        "fixtures/tls/server-key.pem",
        "--tls-ca",
        "fixtures/tls/ca.pem",
    ];
    let mut args = vec!["--token-file", token_file.to_str().unwrap()];
    args.extend(tls);
    let server = Server::start_with_kubeconfig(&kubeconfig, &args, &[]);
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&kubeconfig).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);
    assert!(std::fs::read_to_string(&kubeconfig).unwrap().contains("from-a-file"));
    assert_eq!(server.ok(&["get", "is", "-n", "openshift", "-o", "name"]).lines().count(), 3);
    drop(server);

    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let server = Server::start_with_kubeconfig(&link, &tls, &[("ISCTL_SERVE_TOKEN", "from-the-environment")]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(std::fs::read_to_string(&link).unwrap().contains("from-the-environment"));
    assert_eq!(server.ok(&["get", "is", "-n", "openshift", "-o", "name"]).lines().count(), 3);
    // The token never shows in the process list.
    let cmdline = std::fs::read_to_string(format!("/proc/{}/cmdline", server.pid())).unwrap_or_default();
    assert!(!cmdline.contains("from-the-environment"));
}

/// Starts `isctl serve` on the demo under `ulimit -n limit`; returns the child and its address.
fn serve_limited(limit: u32, extra: &str) -> (KillOnDrop, String) {
    let binary = env!("CARGO_BIN_EXE_isctl");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -n {limit} && exec {binary} serve --from {DEMO} {extra}"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("ISCTL_NOW", crate::common::NOW)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut banner = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut banner).unwrap();
    let address = banner.split("://").nth(1).unwrap().trim().to_owned();
    (KillOnDrop(child), address)
}

/// One GET on a fresh connection; the status line.
fn status_line(address: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut buffer = [0u8; 512];
    let n = stream.read(&mut buffer).unwrap_or(0);
    String::from_utf8_lossy(&buffer[..n]).lines().next().unwrap_or_default().to_owned()
}

#[test]
fn item_06_serve_survives_descriptor_exhaustion_and_idle_clients() {
    // 400 idle and slow-header connections against a server allowed 128 descriptors.
    let (mut server, address) = serve_limited(128, "--header-timeout 1s");
    let mut idle = Vec::new();
    for i in 0..400 {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        if i % 2 == 0 {
            stream.write_all(b"GET /version HTTP/1.1\r\nHost: slo").unwrap();
        }
        idle.push(stream);
    }
    assert_eq!(status_line(&address, "/version"), "HTTP/1.1 200 OK");
    assert!(server.running(), "serve is still running");
    // Idle connections are closed after the header timeout, slow ones too: the read ends when
    // the server closes it (a read timeout would be WouldBlock/TimedOut, and fails).
    let mut last = idle.pop().unwrap();
    last.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut buffer = [0u8; 16];
    let closed = match last.read(&mut buffer) {
        Ok(0) => true,
        Err(e) => !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
        Ok(_) => false,
    };
    assert!(closed, "an idle connection was closed by the server");
    assert_eq!(status_line(&address, "/version"), "HTTP/1.1 200 OK");
    drop(server);

    // A TLS client that never starts its handshake is dropped after the same bound.
    let (_server, address) = serve_limited(
        1024,
        "--header-timeout 1s --tls-cert fixtures/tls/server.pem --tls-key fixtures/tls/server-key.pem",
    );
    let mut silent = std::net::TcpStream::connect(&address).unwrap();
    silent.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let started = Instant::now();
    assert!(matches!(silent.read(&mut buffer), Ok(0) | Err(_)));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn item_07_serve_drops_clients_that_never_read() {
    // A large input, so a list does not fit in socket buffers.
    let dir = tempfile::tempdir().unwrap();
    // 40 MB of JSON: more than loopback socket buffers hold.
    let pad = "x".repeat(10_000);
    let items: Vec<String> = (0..4000)
        .map(|i| format!(r#"{{"apiVersion":"image.openshift.io/v1","kind":"Image","metadata":{{"name":"sha256:{i:064x}","annotations":{{"pad":"{pad}"}}}}}}"#))
        .collect();
    std::fs::write(
        dir.path().join("images.json"),
        format!(r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#, items.join(",")),
    )
    .unwrap();
    let binary = env!("CARGO_BIN_EXE_isctl");
    let mut child = Command::new(binary)
        .args(["serve", "--write-timeout", "300ms", "--from"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut banner = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut banner).unwrap();
    let _server = KillOnDrop(child);
    let address = banner.split("://").nth(1).unwrap().trim().to_owned();
    let mut greedy = Vec::new();
    for _ in 0..10 {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        write!(stream, "GET /apis/image.openshift.io/v1/images HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        greedy.push(stream);
    }
    // Others are answered meanwhile.
    assert_eq!(status_line(&address, "/version"), "HTTP/1.1 200 OK");
    // Once its answer has begun, one client stops reading for longer than the write timeout:
    // the server abandons that response, and reading afterwards ends early.
    let mut stalled = greedy.pop().unwrap();
    stalled.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut first = [0u8; 1];
    assert_eq!(stalled.read(&mut first).unwrap(), 1, "the answer began");
    // Stop reading for longer than the write timeout.
    std::thread::sleep(Duration::from_secs(1));
    stalled.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut received = Vec::new();
    let _ = stalled.read_to_end(&mut received);
    assert!(received.len() < 30_000_000, "the response was cut off ({} bytes)", received.len());
    assert_eq!(status_line(&address, "/version"), "HTTP/1.1 200 OK");
}

#[test]
fn item_08_input_memory_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    // An alias bomb of 1 KB.
    let mut bomb = "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: b, namespace: n}\na0: &a0 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\n".to_owned();
    for i in 1..10 {
        bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(",")));
    }
    std::fs::write(dir.path().join("bomb.yaml"), &bomb).unwrap();
    let mut command = isctl();
    command.args(["get", "is", "-n", "n", "--from"]).arg(dir.path().join("bomb.yaml"));
    let (code, _, stderr, _) = bounded(command, Duration::from_secs(30));
    assert_eq!(code, 1);
    assert!(stderr.contains("bomb.yaml:10:"), "{stderr}");
    assert!(stderr.contains(": YAML aliases make this file "), "{stderr}");

    // A bomb the parser lets through is stopped by --max-alias-expansion.
    let wide = |copies: usize, bytes: usize| {
        format!(
            "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {{name: w, namespace: n, annotations: {{a: &a '{}'}}}}\nspec:\n  tags: [{}]\n",
            "x".repeat(bytes),
            vec!["{name: t, annotations: {b: *a}}"; copies].join(", ")
        )
    };
    std::fs::write(dir.path().join("wide.yaml"), wide(1000, 60_000)).unwrap();
    let (code, _, stderr) = output(&[
        "get",
        "is",
        "-n",
        "n",
        "--max-alias-expansion",
        "1Mi",
        "--from",
        &dir.path().join("wide.yaml").display().to_string(),
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("wide.yaml:"), "{stderr}");
    assert!(
        stderr.contains(": YAML aliases expand the input by more than 1Mi (raise --max-alias-expansion to read it)"),
        "{stderr}"
    );
    // The budget is one for the whole input: files each under it cannot add up past it.
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    for i in 0..5 {
        std::fs::write(tree.join(format!("w{i}.yaml")), wide(5, 120_000).replace("name: w,", &format!("name: w{i},")))
            .unwrap();
    }
    let from = tree.display().to_string();
    let (code, _, stderr) = output(&["get", "is", "-n", "n", "--max-alias-expansion", "3Mi", "--from", &from]);
    assert_eq!(code, 0, "one file spends 600K: {stderr}");
    let (code, stdout, stderr) = output(&["get", "is", "-n", "n", "--max-alias-expansion", "2Mi", "--from", &from]);
    assert_eq!(code, 1, "five files spend 3M: {stderr}");
    assert!(stderr.contains("raise --max-alias-expansion"), "{stderr}");
    assert!(stdout.contains("w0"), "what fits the budget is still read: {stdout}");

    // A gzip bomb: members far larger than the archive, read with limits set low.
    let archive = dir.path().join("bomb.tar.gz");
    {
        let file = std::fs::File::create(&archive).unwrap();
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
        let mut tar = tar::Builder::new(gz);
        for i in 0..4 {
            let body = format!("kind: Image\n# {}\n", "x".repeat(8 << 20));
            let mut header = tar::Header::new_gnu();
            header.set_size(body.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, format!("m{i}.yaml"), body.as_bytes()).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
    }
    let small = std::fs::metadata(&archive).unwrap().len();
    assert!(small < 200_000, "the archive is small ({small} bytes)");
    let from = archive.display().to_string();
    let (code, _, stderr) = output(&["get", "images", "--from", &from, "--max-archive-size", "20Mi"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("decompresses to more than 20Mi (raise --max-archive-size to read it)"), "{stderr}");
    let (code, _, stderr) = output(&["get", "images", "--from", &from, "--max-file-size", "1Mi"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("bomb.tar.gz!m0.yaml: larger than 1Mi (raise --max-file-size to read it)"), "{stderr}");
}

#[test]
fn item_09_hostile_trees_never_hang() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    // A DAG of links: each level links twice to the next; 40 levels is 2^40 paths.
    for level in 0..=40 {
        std::fs::create_dir_all(root.join(format!("d{level}"))).unwrap();
    }
    for level in 0..40 {
        for name in ["a", "b"] {
            std::os::unix::fs::symlink(root.join(format!("d{}", level + 1)), root.join(format!("d{level}/{name}")))
                .unwrap();
        }
    }
    std::fs::write(root.join("d40/images.yaml"), hostile_recording("n", &["ok"])).unwrap();
    assert!(Command::new("mkfifo").arg(root.join("d3/blocks.yaml")).status().unwrap().success());
    std::os::unix::fs::symlink("/dev/zero", root.join("d4/endless.yaml")).unwrap();
    let mut command = isctl();
    command.args(["get", "is", "-n", "n", "-o", "name", "--from"]).arg(&root);
    let (code, stdout, stderr, _) = bounded(command, Duration::from_secs(30));
    assert_eq!((code, stdout.as_str()), (0, "imagestream.image.openshift.io/s\n"), "{stderr}");
    assert!(stderr.contains("blocks.yaml: not a regular file"), "{stderr}");
    assert!(stderr.contains("endless.yaml: not a regular file"), "{stderr}");
    // Named on the command line, a device is read up to the size limit.
    let mut command = isctl();
    command.args(["get", "is", "--from", "/dev/zero", "--max-file-size", "1Mi"]);
    let (code, _, stderr, _) = bounded(command, Duration::from_secs(30));
    assert_eq!((code, stderr.as_str()), (1, "error: /dev/zero: larger than 1Mi (raise --max-file-size to read it)\n"));
}

#[test]
fn item_10_digests_are_never_sliced_inside_a_character() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.yaml");
    std::fs::write(&path, hostile_recording("n", &["sha256:a€€€€€€€€€€€€€"])).unwrap();
    let (code, stdout, stderr) = output(&["resolve", "-n", "n", "--from", &path.display().to_string()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("a€€€€€€€€€€€"), "{stdout}");
}

#[test]
fn item_11_terminal_controls_never_reach_the_terminal() {
    // Every string a person may see carries ESC, BEL or a newline that would forge a line.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.yaml"),
        r#"apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: "s", namespace: n, labels: {a: "b\e]0;x\a"}}
spec:
  tags:
  - {name: "t\e[2J", from: {kind: DockerImage, name: "quay.io/x/y\e[31m:1"}}
  - {name: "u\nerror: forged line", from: {kind: DockerImage, name: "quay.io/x/y:2"}}
  - {name: plain, from: {kind: DockerImage, name: "quay.io/x/y\e[5m:3"}}
status:
  dockerImageRepository: "img\e[5m"
  tags:
  - tag: "t\e[2J"
    items:
    - {created: "2026-11-27T11:00:00Z", image: "sha256:\e[31mff", dockerImageReference: "quay.io/x/y@sha256:\e[1m1", generation: 1}
  - tag: "u\nerror: forged line"
    conditions: [{type: ImportSuccess, status: "False", reason: "R\e[2J", message: "boom\nerror: forged too"}]
  - tag: plain
    items:
    - {created: "2026-11-27T11:00:00Z", image: "sha256:\e[31mee", dockerImageReference: "quay.io/x/y@sha256:\e[1m2", generation: 1}
---
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: "s\e[31mRED", namespace: n}
---
apiVersion: operator.openshift.io/v1alpha1
kind: ImageContentSourcePolicy
metadata: {name: "p\e[31mX"}
spec:
  repositoryDigestMirrors:
  - {source: quay.io/x, mirrors: ["m.local/x\e[5m"]}
"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("bad\u{1b}[2J.yaml"), "kind: ImageStream\nmetadata: [\n").unwrap();
    let from = dir.path().display().to_string();
    let (code, _, stderr) = output(&["describe", "is", "s\u{1b}[31mRED", "-n", "n", "--from", &from]);
    assert_eq!(code, 2, "a name with a control character is refused before any request");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    let runs: [&[&str]; 9] = [
        &["resolve", "-n", "n"],
        &["resolve", "-n", "n", "-o", "wide"],
        &["describe", "is", "s", "-n", "n"],
        &["describe", "istag", "s:plain", "-n", "n"],
        &["get", "is", "-n", "n"],
        &["get", "istag", "-n", "n"],
        &["check", "-n", "n"],
        &["mirrors", "quay.io/x/y@sha256:45f06f4f16b234a6daa41a43404678ebe23c9e49e5dd23c54c6bd8d867e36642"],
        &["mirrors", "--render"],
    ];
    for args in runs {
        for columns in ["40", "200"] {
            let mut command = isctl();
            command.args(args).args(["--from", &from]).env("ISCTL_COLUMNS", columns);
            let run = command.output().unwrap();
            let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
            assert!(!stdout.is_empty(), "{args:?} printed something to check: {stderr}");
            for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
                assert!(!text.contains(['\u{1b}', '\u{7}']), "{args:?} {name}: {text:?}");
                assert!(!text.lines().any(|l| l.starts_with("error: forged")), "{args:?} {name}: {text:?}");
            }
        }
    }
    let (_, stdout, _) = output(&["describe", "is", "s", "-n", "n", "--from", &from]);
    assert!(stdout.contains("a=b\\u{1b}]0;x\\u{7}"), "escaped, not dropped: {stdout}");
}

#[test]
fn item_12_core_schema_tags_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tagged.yaml");
    std::fs::write(
        &path,
        "apiVersion: !!str image.openshift.io/v1\nkind: !!str ImageStream\nmetadata:\n  name: !!str cli\n  namespace: n\n  creationTimestamp: !!timestamp 2026-01-01T00:00:00Z\nstatus:\n  tags:\n  - tag: !!str 4.1\n    items:\n    - created: !!timestamp 2026-11-01T09:05:00Z\n      image: !!str sha256:abc\n      dockerImageReference: q/x@sha256:abc\n",
    )
    .unwrap();
    let (code, stdout, stderr) =
        output(&["get", "istag", "-n", "n", "-o", "name", "--from", &path.display().to_string()]);
    assert_eq!((code, stdout.as_str()), (0, "imagestreamtag.image.openshift.io/cli:4.1\n"), "{stderr}");
}

#[test]
fn item_13_unusual_lists_load_and_unread_files_warn() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("icsp-items.yaml"),
        "items:\n- apiVersion: operator.openshift.io/v1alpha1\n  kind: ImageContentSourcePolicy\n  metadata: {name: saved}\n  spec:\n    repositoryDigestMirrors:\n    - {source: quay.io/x, mirrors: [m.local/x]}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("stream.json"),
        "{\"apiVersion\":\"image.openshift.io/v1\",\"kind\":\"ImageStream\",\"metadata\":{\"name\":\"a\",\"namespace\":\"n\"}}\n{\"apiVersion\":\"image.openshift.io/v1\",\"kind\":\"ImageStream\",\"metadata\":{\"name\":\"b\",\"namespace\":\"n\"}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("odd.json"),
        "{\"apiVersion\":\"image.example.io/v9\",\"kind\":\"ImageStreamTag\",\"metadata\":{\"name\":\"a:b\",\"namespace\":\"n\"}}",
    )
    .unwrap();
    let from = dir.path().display().to_string();
    let (code, stdout, stderr) = output(&["get", "icsp", "-o", "name", "--from", &from]);
    assert_eq!((code, stdout.as_str()), (0, "imagecontentsourcepolicy.operator.openshift.io/saved\n"), "{stderr}");
    assert!(
        stderr.contains("odd.json declares image objects, but none could be read (an unknown apiVersion or layout?)"),
        "{stderr}"
    );
    let (_, stdout, _) = output(&["get", "is", "-n", "n", "-o", "name", "--from", &from]);
    assert_eq!(stdout, "imagestream.image.openshift.io/a\nimagestream.image.openshift.io/b\n");
    let (code, stdout, _) = output(&[
        "mirrors",
        "quay.io/x/y@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "-o",
        "json",
        "--from",
        &from,
    ]);
    assert_eq!(code, 0);
    assert!(stdout.contains("m.local/x/y@sha256:"), "{stdout}");
}

#[test]
fn item_14_invalid_image_config_scopes_are_refused_like_mco() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.yaml");
    std::fs::write(
        &path,
        "apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\nspec:\n  registrySources:\n    insecureRegistries: ['*.example.com/foo/bar', '']\n    blockedRegistries: ['**.example.com']\n",
    )
    .unwrap();
    let (code, _, stderr) = output(&["mirrors", "--render", "--from", &path.display().to_string()]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains(
            "invalid entry for insecure registries \"*.example.com/foo/bar\"; the operator would not render this file"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("invalid entry for insecure registries \"\""), "{stderr}");
    assert!(stderr.contains("invalid entry for blocked registries \"**.example.com\""), "{stderr}");
}

#[test]
fn item_15_request_timeout_bounds_the_whole_request() {
    let server =
        FaultServer::start(|_, _| Reply::Later(Duration::from_secs(5), Box::new(Reply::ok(stream_list(&[], None)))));
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path(), "{}");
    let mut command = isctl();
    command.env("KUBECONFIG", &kubeconfig).env("HOME", dir.path()).args(["get", "is", "--request-timeout", "1s"]);
    let (code, _, stderr, elapsed) = bounded(command, Duration::from_secs(30));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("did not finish within 1s (--request-timeout)"), "{stderr}");
    // Four attempts of 5 s each took 9.4 s before; one bound now covers them all.
    assert!(elapsed < Duration::from_secs(4), "took {elapsed:?}");
    let (code, _, stderr) = live(&kubeconfig, &["get", "is", "--request-timeout", "99999999999h"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("too long"), "{stderr}");
}

#[test]
fn item_16_verbose_shows_the_requests_of_a_failed_load() {
    let server = FaultServer::start(|_, _| {
        Reply::status(
            403,
            r#"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,"message":"imagestreams.image.openshift.io is forbidden"}"#,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path(), "{}");
    let (code, _, stderr) = live(&kubeconfig, &["get", "is", "-v"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("GET /apis/image.openshift.io/v1/namespaces/x/imagestreams?limit=500 403 in "), "{stderr}");
    assert!(
        stderr.ends_with("Error from server (Forbidden): imagestreams.image.openshift.io is forbidden\n"),
        "{stderr}"
    );
}

#[test]
fn item_17_endless_continue_tokens_stop() {
    // Distinct tokens forever, one object per page.
    let server = FaultServer::start(|n, _| {
        let item = format!(r#"{{"metadata":{{"name":"s{n}","namespace":"x"}}}}"#);
        Reply::ok(stream_list(&[item], Some(&format!("token-{n}"))))
    });
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path(), "{}");
    let mut command = isctl();
    command.env("KUBECONFIG", &kubeconfig).env("HOME", dir.path()).args(["get", "is", "--chunk-size", "2000"]);
    let (code, _, stderr, _) = bounded(command, Duration::from_secs(60));
    assert_eq!(code, 1);
    assert!(stderr.contains("still sent a continue token after 1000 pages"), "{stderr}");
    assert_eq!(server.seen().len(), 1000);
}

#[test]
fn item_18_errors_read_like_kubectl() {
    let dir = tempfile::tempdir().unwrap();
    let case = |reply: fn(usize, &crate::fault_server::Seen) -> Reply, args: &[&str]| {
        let server = FaultServer::start(reply);
        let kubeconfig = server.kubeconfig(dir.path(), "{}");
        live(&kubeconfig, args).2
    };
    let redirect = case(|_, _| Reply::status(302, ""), &["get", "is"]);
    assert_eq!(
        redirect,
        "Error from server: the server responded with the status code 302 but did not return more information (GET /apis/image.openshift.io/v1/namespaces/x/imagestreams?limit=500)\n"
    );
    let html =
        case(|_, _| Reply::status(503, "<html><body><h1>503 Service Unavailable</h1></body></html>"), &["get", "is"]);
    assert!(!html.contains("<html>"), "{html}");
    assert!(
        html.starts_with(
            "Error from server (ServiceUnavailable): the server is currently unable to handle the request"
        ),
        "{html}"
    );
    let not_an_object = case(|_, _| Reply::ok("[1, 2]"), &["get", "is", "cli"]);
    assert!(not_an_object.contains(": the server sent something that is not an ImageStream\n"), "{not_an_object}");
    assert!(!not_an_object.contains(":0:0"), "{not_an_object}");
    let dropped = case(|_, _| Reply::Hangup, &["get", "is", "cli"]);
    let first = dropped.lines().next().unwrap_or_default();
    let words: Vec<&str> = first.split(": ").collect();
    let unique: std::collections::BTreeSet<&str> = words.iter().copied().collect();
    assert_eq!(words.len(), unique.len(), "a cause is printed once: {dropped}");
    // An HTTP-date Retry-After is honoured.
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(2);
    let date = jiff::fmt::rfc2822::to_string(&later.to_zoned(jiff::tz::TimeZone::UTC)).unwrap().replace("+0000", "GMT");
    let server = FaultServer::start(move |n, _| match n {
        0 => Reply::Answer(503, format!("retry-after: {date}\r\n"), String::new()),
        _ => Reply::ok(stream_list(&[], None)),
    });
    let kubeconfig = server.kubeconfig(dir.path(), "{}");
    let started = Instant::now();
    let (code, _, stderr) = live(&kubeconfig, &["get", "is"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(started.elapsed() >= Duration::from_millis(500), "waited for the date");
}

#[test]
fn item_19_kubectl_parity() {
    // A missing name with -o yaml prints only the error.
    let (code, stdout, stderr) = output(&["get", "is", "nope", "-n", "openshift", "-o", "yaml", "--from", DEMO]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(stderr, "Error from server (NotFound): imagestreams.image.openshift.io \"nope\" not found\n");
    // check names every missing stream.
    let (code, _, stderr) = output(&["check", "a", "b", "-n", "openshift", "--from", DEMO]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "Error from server (NotFound): imagestreams.image.openshift.io \"a\" not found\nError from server (NotFound): imagestreams.image.openshift.io \"b\" not found\n"
    );
    // -A wins over -n.
    let (code, stdout, _) = output(&["get", "is", "-n", "openshift", "-A", "-o", "name", "--from", DEMO]);
    assert_eq!(code, 0);
    assert!(stdout.contains("imagestream.image.openshift.io/app"), "{stdout}");
    // Label values are checked as the API server checks them.
    let (code, _, stderr) = output(&["get", "is", "-l", "a=b=c", "--from", DEMO]);
    assert_eq!(
        (code, stderr.as_str()),
        (2, "error: unable to parse requirement \"a=b=c\": found '=', expected: ',' or 'end of string'\n")
    );
    // Upper-case extensions are YAML too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("STREAM.YAML"), hostile_recording("n", &["x"])).unwrap();
    let (_, stdout, _) = output(&["get", "is", "-n", "n", "-o", "name", "--from", &dir.path().display().to_string()]);
    assert_eq!(stdout, "imagestream.image.openshift.io/s\n");
    // --chunk-size 0 lists in one request, without limit.
    let server = FaultServer::start(|_, _| Reply::ok(stream_list(&[], None)));
    let kubeconfig = server.kubeconfig(dir.path(), "{}");
    let (code, _, stderr) = live(&kubeconfig, &["get", "is", "--chunk-size", "0"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(server.seen()[0].path(), "/apis/image.openshift.io/v1/namespaces/x/imagestreams");
}

#[test]
fn item_09_links_out_of_the_tree_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    std::fs::write(tree.join("stream.yaml"), hostile_recording("n", &["x"])).unwrap();
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("other.yaml"), hostile_recording("elsewhere", &["y"])).unwrap();
    std::os::unix::fs::symlink(&outside, tree.join("link")).unwrap();
    std::os::unix::fs::symlink("/", tree.join("root")).unwrap();
    let from = tree.display().to_string();
    let (code, stdout, stderr) = output(&["get", "is", "-A", "-o", "name", "-v", "--from", &from]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "imagestream.image.openshift.io/s\n", "only the tree is read");
    assert!(stderr.contains("link: a symbolic link out of the --from directory: not followed"), "{stderr}");
    // Named with --from, the other directory is read.
    let (_, stdout, _) =
        output(&["get", "is", "-A", "-o", "name", "--from", &from, "--from", &outside.display().to_string()]);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
}

#[test]
fn item_20_hostile_servers_and_kubeconfigs_end_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    // An answer larger than --max-response-size is refused while it streams in.
    let big: Vec<String> = (0..2000)
        .map(|i| format!(r#"{{"metadata":{{"name":"s{i}","namespace":"x","labels":{{"pad":"{}"}}}}}}"#, "p".repeat(60)))
        .collect();
    let body = stream_list(&big, None);
    let server = FaultServer::start(move |_, _| Reply::ok(body.clone()));
    let kubeconfig = server.kubeconfig(dir.path(), "{}");
    let (code, _, stderr) = live(&kubeconfig, &["get", "is", "--max-response-size", "64Ki"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("is larger than 64Ki (raise --max-response-size)"), "{stderr}");
    let (code, stdout, _) = live(&kubeconfig, &["get", "is", "-o", "name"]);
    assert_eq!((code, stdout.lines().count()), (0, 2000), "the default reads it");
    // A server URL without a scheme is read as client-go reads it, never a panic.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let bare = dir.path().join("bare");
    std::fs::write(
        &bare,
        format!("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: '127.0.0.1:{port}'}}\ncontexts:\n- name: c\n  context: {{cluster: c, user: u}}\ncurrent-context: c\nusers:\n- name: u\n  user: {{}}\n"),
    )
    .unwrap();
    let (code, _, stderr) = live(&bare, &["get", "is"]);
    assert_eq!(code, 1);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port} was refused")), "{stderr}");
    // TLS against a plain-HTTP server: the cause in one line, no client wrapper levels.
    let plain = FaultServer::start(|_, _| Reply::ok(stream_list(&[], None)));
    let tls = dir.path().join("tls");
    std::fs::write(
        &tls,
        std::fs::read_to_string(plain.kubeconfig(dir.path(), "{}"))
            .unwrap()
            .replace("http://", "https://")
            .replace("cluster:\n", "cluster:\n    insecure-skip-tls-verify: true\n"),
    )
    .unwrap();
    let (code, _, stderr) = live(&tls, &["get", "is"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("ServiceError") && !stderr.contains("client error"), "{stderr}");
}
