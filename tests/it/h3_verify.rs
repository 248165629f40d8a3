//! Regression tests for `--verify` in the third hardening round (#26): a run's deadline,
//! the files its flags name, and what registries' odd answers mean. Each test failed before
//! its fix. The hostile registries are loopback listeners scripted here.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use isctl::verify::auth::AuthFiles;
use isctl::verify::client::{ClientOptions, TIMED_OUT_EARLIER, ask_all};
use isctl::verify::{Answer, Endpoint};

use crate::common::isctl;
use crate::fault_server::{FaultServer, Reply};

/// A registry that accepts TCP connections (the kernel completes them) and never says a word:
/// nothing ever calls `accept`, so nothing is read or written.
fn silent_registry() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    (listener, host)
}

/// An auth file with no credentials, so no test reads the host's.
fn no_credentials(dir: &std::path::Path) -> String {
    let path = dir.join("auth.json");
    std::fs::write(&path, "{\"auths\":{}}").unwrap();
    path.display().to_string()
}

/// Item 2: a registry that never answers costs one `--verify-timeout`, not 30 s for every four
/// endpoints: the run ends by its deadline, and each unanswered source says why.
#[test]
fn item_02_a_silent_registry_costs_one_run_deadline() {
    let (_listener, host) = silent_registry();
    let dir = tempfile::tempdir().unwrap();
    let auth = no_credentials(dir.path());
    let references: Vec<String> = (0..9).map(|i| format!("{host}/team/app{i}:v1")).collect();
    let started = Instant::now();
    let out = isctl()
        .arg("mirrors")
        .args(&references)
        .args(["--from", "/dev/null", "--verify", "--verify-timeout", "800ms", "--registry-config", &auth])
        .env("ISCTL_COLUMNS", "200")
        .output()
        .unwrap();
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(took < Duration::from_secs(4), "the run took {took:?}");
    assert!(took >= Duration::from_millis(800), "it did wait for the registry: {took:?}");
    assert_eq!(stdout.matches("unreachable: no answer within --verify-timeout (800ms)").count(), 9, "{stdout}");
    // The deadline is a usage error when it is not one.
    for bad in ["0", "soon", "-1s"] {
        let out = isctl().args(["mirrors", "quay.io/a/b:1", "--verify", "--verify-timeout", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Item 2: once an endpoint of a registry times out, the registry's endpoints not yet asked are
/// `unreachable: timed out earlier` at once, and other registries are asked as usual.
#[test]
fn item_02_a_registry_that_timed_out_is_not_asked_again() {
    let (_listener, host) = silent_registry();
    let refused = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().to_string()
    };
    let endpoint = |registry: &str, repository: &str| Endpoint {
        registry: registry.to_owned(),
        repository: repository.to_owned(),
        reference: "v1".to_owned(),
        insecure: false,
        signature_via_manifest: false,
    };
    let mut endpoints: Vec<Endpoint> = (0..6).map(|i| endpoint(&host, &format!("team/app{i}"))).collect();
    endpoints.push(endpoint(&refused, "team/app"));
    let options = ClientOptions {
        extra_roots: Vec::new(),
        credentials: AuthFiles::default(),
        timeout: Duration::from_millis(300),
        deadline: Duration::from_secs(20),
        per_registry: 2,
        overall: 16,
        platform: "linux/amd64".into(),
    };
    let started = Instant::now();
    let (answers, _) = ask_all(&endpoints, &options);
    let took = started.elapsed();
    // Two asked at once, both timed out after 300 ms; the other four not asked at all.
    assert!(took < Duration::from_secs(2), "the remaining endpoints waited: {took:?}");
    let silent: Vec<&Answer> = endpoints[..6].iter().map(|e| &answers[&e.key()]).collect();
    let timed_out = Answer::Unreachable("no answer within 300ms".into());
    let earlier = Answer::Unreachable(TIMED_OUT_EARLIER.into());
    assert_eq!(silent.iter().filter(|a| ***a == timed_out).count(), 2, "{silent:?}");
    assert_eq!(silent.iter().filter(|a| ***a == earlier).count(), 4, "{silent:?}");
    assert_eq!(earlier.words(), "unreachable: timed out earlier");
    assert_eq!(answers[&endpoints[6].key()], Answer::Unreachable("connection refused".into()));
}

/// A port nothing listens on: asking it is quick and answers `unreachable`.
fn refused_host() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

/// `isctl mirrors HOST/team/app:v1 --verify` with `args`: (code, stdout, stderr).
fn verify_mirrors(host: &str, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let reference = format!("{host}/team/app:v1");
    let out = isctl()
        .args(["mirrors", &reference, "--from", "/dev/null", "--verify", "--max-file-size", "1Mi"])
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// Item 4: `--verify-cache` is written as `serve --write-kubeconfig` writes its file: a new
/// file with mode 0600, renamed over the path; a link at the path (dangling here) is replaced,
/// never followed to create its target.
#[cfg(unix)]
#[test]
fn item_04_the_verify_cache_is_written_new_private_and_not_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let auth = no_credentials(dir.path());
    let host = refused_host();
    let (target, cache) = (dir.path().join("elsewhere.json"), dir.path().join("answers.json"));
    std::os::unix::fs::symlink(&target, &cache).unwrap();
    let (code, _, stderr) =
        verify_mirrors(&host, &["--verify-cache", cache.to_str().unwrap(), "--registry-config", &auth], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!target.exists(), "the dangling link was followed");
    let written = std::fs::symlink_metadata(&cache).unwrap();
    assert!(written.file_type().is_file(), "the link is replaced by the cache");
    assert_eq!(written.permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&cache).unwrap().contains("\"kind\": \"VerifyCache\""));
    // An existing cache readable by others is replaced by a private one, and nothing is left.
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (code, _, stderr) =
        verify_mirrors(&host, &["--verify-cache", cache.to_str().unwrap(), "--registry-config", &auth], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::metadata(&cache).unwrap().permissions().mode() & 0o777, 0o600);
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["answers.json", "auth.json"], "no temporary file is left");
}

/// Item 6: `--registry-config`, `REGISTRY_AUTH_FILE`, `--registry-ca` and `--verify-cache` are
/// read as `--from` files are: within `--max-file-size`, and the cache (which isctl also writes)
/// only as a regular file, so a FIFO is refused instead of blocking the run.
#[cfg(unix)]
#[test]
fn item_06_files_verify_flags_name_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let auth = no_credentials(dir.path());
    let host = refused_host();
    let larger = "larger than 1Mi (raise --max-file-size to read it)";
    let (code, stdout, stderr) = verify_mirrors(&host, &["--registry-config", "/dev/zero"], &[]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert_eq!(stderr.lines().last().unwrap(), format!("error: reading registry credentials: /dev/zero: {larger}"));
    let (code, _, stderr) = verify_mirrors(&host, &[], &[("REGISTRY_AUTH_FILE", "/dev/zero")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(&format!("reading registry credentials: /dev/zero: {larger}")), "{stderr}");
    let (code, _, stderr) = verify_mirrors(&host, &["--registry-config", &auth, "--registry-ca", "/dev/zero"], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr.lines().last().unwrap(), format!("error: reading --registry-ca: /dev/zero: {larger}"));
    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; 2 << 20]).unwrap();
    let (code, _, stderr) = verify_mirrors(&host, &["--registry-config", big.to_str().unwrap()], &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(larger), "a large regular file too: {stderr}");
    // A FIFO (no writer: reading it would block forever) and a device as the cache.
    let fifo = dir.path().join("fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for cache in [fifo.to_str().unwrap(), "/dev/zero"] {
        let started = Instant::now();
        let (code, _, stderr) = verify_mirrors(&host, &["--registry-config", &auth, "--verify-cache", cache], &[]);
        assert_eq!(code, 1, "{stderr}");
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(
            stderr.lines().last().unwrap(),
            format!("error: reading the verify cache: {cache}: not a regular file (a pipe, device or socket): refused")
        );
    }
}

/// The answers of `endpoints` from registries at loopback, with `extra_roots` trusted.
fn ask(endpoints: &[Endpoint], extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>) -> Vec<Answer> {
    let options = ClientOptions {
        extra_roots,
        credentials: AuthFiles::default(),
        timeout: Duration::from_secs(10),
        deadline: Duration::from_secs(20),
        per_registry: 4,
        overall: 16,
        platform: "linux/amd64".into(),
    };
    let (answers, _) = ask_all(endpoints, &options);
    endpoints.iter().map(|e| answers[&e.key()].clone()).collect()
}

/// An endpoint on a fault server (plain HTTP, so marked insecure: HTTPS is tried and hung up on).
fn on(server: &FaultServer, repository: &str) -> Endpoint {
    Endpoint {
        registry: server.url.trim_start_matches("http://").to_owned(),
        repository: repository.to_owned(),
        reference: "v1".to_owned(),
        insecure: true,
        signature_via_manifest: false,
    }
}

/// Item 7: a 401 whose Bearer realm refuses the connection is the registry's `unauthorized`
/// (it answered), with the token server's failure in the detail, not `unreachable`; a token
/// with a NUL (no header can carry it) is `failed`.
#[test]
fn item_07_a_token_server_that_fails_leaves_the_registry_unauthorized() {
    let refused = refused_host();
    let server = FaultServer::start(move |_, seen| {
        let realm = match seen.path() {
            p if p.starts_with("/token") => return Reply::ok(r#"{"token":"bad\u0000token"}"#),
            p if p.starts_with("/v2/refused/") => format!("http://{refused}/token"),
            _ => "SELF".to_owned(),
        };
        let realm = realm.replace("SELF", &format!("http://{}/token", seen.header("host").unwrap_or_default()));
        Reply::Answer(401, format!("www-authenticate: Bearer realm=\"{realm}\",service=\"r\"\r\n"), String::new())
    });
    let answers = ask(&[on(&server, "refused/app"), on(&server, "nul/app")], Vec::new());
    match &answers[0] {
        Answer::Unauthorized(Some(why)) => {
            assert!(
                why.starts_with("the token server http://127.0.0.1:") && why.ends_with(": connection refused"),
                "{why}"
            )
        }
        other => panic!("not unauthorized: {other:?}"),
    }
    assert_eq!(
        answers[1],
        Answer::Failed("the token server sent a token with characters no HTTP header may carry".into())
    );
    assert!(answers[0].words().starts_with("unauthorized (401): the token server"));
}

/// Item 7: a manifest list past 4 MiB is refused as a node refuses it (containers/image's
/// limit), not read as an empty list; a `Location` with user information goes to the host after
/// the `@`, with those credentials, as Go's client sends them.
#[test]
fn item_07_a_huge_list_and_a_location_with_userinfo() {
    let list = "application/vnd.oci.image.index.v1+json";
    let server = FaultServer::start(move |_, seen| {
        let host = seen.header("host").unwrap_or_default().to_owned();
        let index = format!("content-type: {list}\r\n");
        match (seen.line.split(' ').next().unwrap_or_default(), seen.path()) {
            ("HEAD", "/v2/huge/app/manifests/v1") => Reply::Answer(200, index, String::new()),
            ("GET", "/v2/huge/app/manifests/v1") => {
                let filler = " ".repeat(4 << 20);
                Reply::Answer(200, index, format!("{{\"schemaVersion\":2,\"manifests\":[]{filler}}}"))
            }
            (_, "/v2/moved/app/manifests/v1") => Reply::Answer(
                307,
                format!("location: http://someone:se%3Acret@{host}/elsewhere/app?sig=1\r\n"),
                String::new(),
            ),
            (_, "/elsewhere/app?sig=1") if seen.header("authorization") == Some("Basic c29tZW9uZTpzZTpjcmV0") => {
                Reply::Answer(200, "content-type: application/vnd.oci.image.manifest.v1+json\r\n".into(), String::new())
            }
            _ => Reply::status(404, ""),
        }
    });
    let answers = ask(&[on(&server, "huge/app"), on(&server, "moved/app")], Vec::new());
    assert_eq!(answers[0], Answer::Failed(isctl::verify::client::MANIFEST_TOO_LARGE.into()));
    assert!(answers[0].words().contains("larger than 4 MiB"));
    assert_eq!(answers[1], Answer::Present, "{:?}", server.seen());
}

/// Runs openssl in `dir` (the verify tests' certificates are made with it, as fixtures/tls's).
fn openssl(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("openssl").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A CA, and a server certificate it signs for `name` (a subjectAltName) valid between `start`
/// and `end` (`YYYYMMDDHHMMSSZ`): (CA, certificate, key) file names in `dir`.
fn certificate(dir: &std::path::Path, tag: &str, name: &str, start: &str, end: &str) -> [std::path::PathBuf; 3] {
    let config = "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = p\ncopy_extensions = copy\nunique_subject = no\n[p]\ncommonName = supplied\n";
    std::fs::write(dir.join("ca.cnf"), config).unwrap();
    std::fs::write(dir.join("index.txt"), "").unwrap();
    std::fs::write(dir.join("serial"), "01\n").unwrap();
    let (ca, ca_key, key, csr, cert) = (
        format!("{tag}-ca.pem"),
        format!("{tag}-ca-key.pem"),
        format!("{tag}-key.pem"),
        format!("{tag}.csr"),
        format!("{tag}.pem"),
    );
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &ca_key,
            "-out",
            &ca,
            "-days",
            "2",
            "-subj",
            "/CN=isctl h3 test CA",
        ],
    );
    let san = format!("subjectAltName={name}");
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &key,
            "-out",
            &csr,
            "-subj",
            "/CN=registry",
            "-addext",
            &san,
        ],
    );
    openssl(
        dir,
        &[
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-cert",
            &ca,
            "-keyfile",
            &ca_key,
            "-in",
            &csr,
            "-out",
            &cert,
            "-startdate",
            start,
            "-enddate",
            end,
            "-notext",
        ],
    );
    [dir.join(ca), dir.join(cert), dir.join(key)]
}

/// A TLS server on 127.0.0.1 with this certificate: it shakes hands and says nothing more.
fn tls_server(cert: &std::path::Path, key: &std::path::Path) -> String {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(cert).unwrap().collect::<Result<_, _>>().unwrap();
    let key = PrivateKeyDer::from_pem_file(key).unwrap();
    let config =
        rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
    let config = std::sync::Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let host = listener.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let connection = rustls::ServerConnection::new(config.clone()).unwrap();
            let mut tls = rustls::StreamOwned::new(connection, stream);
            let _ = std::io::Read::read(&mut tls, &mut [0; 1]);
        }
    });
    host
}

/// Item 7: a certificate for another name and an expired one are worded from rustls's typed
/// errors (its text is not what the words were matched against before).
#[test]
fn item_07_tls_failures_are_worded_from_typed_errors() {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let dir = tempfile::tempdir().unwrap();
    let mut roots = Vec::new();
    let mut endpoints = Vec::new();
    for (tag, name, start, end) in [
        ("other", "DNS:elsewhere.example", "20200101000000Z", "21000101000000Z"),
        ("expired", "IP:127.0.0.1", "20200101000000Z", "20210101000000Z"),
    ] {
        let sub = dir.path().join(tag);
        std::fs::create_dir(&sub).unwrap();
        let [ca, cert, key] = certificate(&sub, tag, name, start, end);
        roots.push(CertificateDer::from_pem_file(&ca).unwrap());
        let host = tls_server(&cert, &key);
        endpoints.push(Endpoint {
            registry: host,
            repository: "team/app".into(),
            reference: "v1".into(),
            insecure: false,
            signature_via_manifest: false,
        });
    }
    let answers = ask(&endpoints, roots);
    assert_eq!(
        answers,
        [
            Answer::Tls("the certificate is not valid for this host name".into()),
            Answer::Tls("the certificate has expired".into())
        ]
    );
}
