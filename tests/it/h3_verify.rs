//! Regression tests for `--verify` in the third hardening round (#26): a run's deadline,
//! the files its flags name, and what registries' odd answers mean. Each test failed before
//! its fix. The hostile registries are loopback listeners scripted here.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use isctl::verify::auth::AuthFile;
use isctl::verify::client::{ClientOptions, TIMED_OUT_EARLIER, ask_all};
use isctl::verify::{Answer, Endpoint};

use crate::common::isctl;

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
    };
    let mut endpoints: Vec<Endpoint> = (0..6).map(|i| endpoint(&host, &format!("team/app{i}"))).collect();
    endpoints.push(endpoint(&refused, "team/app"));
    let options = ClientOptions {
        extra_roots: Vec::new(),
        credentials: AuthFile::default(),
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
