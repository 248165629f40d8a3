//! `--verify` against real registries (Debian's docker-registry on 127.0.0.1): a source and a
//! mirror missing one digest, a tag mirror with and without the tag, basic auth, TLS with a test
//! CA, an insecure registry marked and one not, and a registry that is down.

use std::path::{Path, PathBuf};

use crate::common::isctl;
use crate::registry::{Image, Registry, delete, free_port, push_list};

/// The registries, the cluster that points at them, and an auth file.
struct Lab {
    dir: tempfile::TempDir,
    registries: Vec<(&'static str, Registry)>,
    down: String,
    d1: String,
    d2: String,
    list: String,
}

impl Lab {
    fn start() -> Lab {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let storage = |name: &str| {
            let path = root.join(name);
            std::fs::create_dir_all(&path).unwrap();
            path
        };
        let (shared, mirror_store, tag_store) = (storage("shared"), storage("mirror"), storage("tags"));
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let source = Registry::start(root, "source", &shared, "", "");
        let (one, two) = (Image::new("one"), Image::new("two"));
        one.push(&source.host, "team/app", "v1");
        two.push(&source.host, "team/app", "v2");
        for repository in ["secure/app", "tls/app", "plain/app"] {
            one.push(&source.host, repository, "v1");
        }
        // A manifest list whose linux/amd64 image is on the source, and not on the mirror.
        one.push(&source.host, "team/multi", &one.digest);
        two.push(&source.host, "team/multi", &two.digest);
        let list = push_list(&source.host, "team/multi", "v1", &[&one, &two]);
        let mirror = Registry::start(root, "mirror", &mirror_store, "", "");
        one.push(&mirror.host, "team/app", &one.digest);
        one.push(&mirror.host, "team/multi", &one.digest);
        two.push(&mirror.host, "team/multi", &two.digest);
        assert_eq!(push_list(&mirror.host, "team/multi", &list, &[&one, &two]), list);
        delete(&mirror.host, "team/multi", &one.digest);
        let tags = Registry::start(root, "tagmirror", &tag_store, "", "");
        one.push(&tags.host, "team/app", "v1");
        let auth = format!(
            "auth:\n  htpasswd:\n    realm: isctl-test\n    path: {}\n",
            fixtures.join("verify/htpasswd").display()
        );
        let locked = Registry::start(root, "auth", &shared, "", &auth);
        let tls = format!(
            "  tls:\n    certificate: {}\n    key: {}\n",
            fixtures.join("tls/server.pem").display(),
            fixtures.join("tls/server-key.pem").display()
        );
        let secure = Registry::start(root, "tls", &shared, &tls, "");
        let plain = Registry::start(root, "plain", &shared, "", "");
        let down = format!("127.0.0.1:{}", free_port());
        let registries = vec![
            ("SOURCE", source),
            ("MIRROR", mirror),
            ("TAGMIRROR", tags),
            ("AUTH", locked),
            ("TLS", secure),
            ("PLAIN", plain),
        ];
        let lab = Lab { d1: one.digest.clone(), d2: two.digest.clone(), list, dir, registries, down };
        let cluster = std::fs::read_to_string(fixtures.join("verify/cluster.yaml")).unwrap();
        std::fs::write(lab.path("cluster.yaml"), lab.fill(&cluster)).unwrap();
        let credentials = base64_pair("isctl:test-password");
        let auth_file = format!(r#"{{"auths":{{"{}":{{"auth":"{credentials}"}}}}}}"#, lab.host("AUTH"));
        std::fs::write(lab.path("auth.json"), auth_file).unwrap();
        lab
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn host(&self, name: &str) -> String {
        self.registries.iter().find(|(n, _)| *n == name).map(|(_, r)| r.host.clone()).unwrap()
    }

    /// The cluster template with hosts and digests filled in.
    fn fill(&self, text: &str) -> String {
        let mut text = text
            .replace("${DOWN}", &self.down)
            .replace("${D1}", &self.d1)
            .replace("${D2}", &self.d2)
            .replace("${LIST}", &self.list);
        for (name, registry) in &self.registries {
            text = text.replace(&format!("${{{name}}}"), &registry.host);
        }
        text
    }

    /// Output with hosts named, so snapshots do not depend on ports: each `127.0.0.1:PORT` (15
    /// characters: ephemeral ports have 5 digits) becomes a name as long, so tables keep their
    /// columns.
    fn named(&self, text: &str) -> String {
        let name = |role: &str| match role {
            "SOURCE" => "source-reg:5000",
            "MIRROR" => "mirror-reg:5000",
            "TAGMIRROR" => "tag-mirror:5000",
            "AUTH" => "basic-auth:5000",
            "TLS" => "tls-server:5000",
            _ => "plain-http:5000",
        };
        let mut text = text.replace(&self.down, "down-regst:5000");
        for (role, registry) in &self.registries {
            assert_eq!(registry.host.len(), 15, "an ephemeral port of 5 digits");
            text = text.replace(&registry.host, name(role));
        }
        text.replace(&self.dir.path().display().to_string(), "[TMP]")
    }

    /// Runs isctl on the lab's cluster: (code, stdout, stderr), hosts named.
    fn run(&self, args: &[&str], width: Option<usize>) -> (i32, String, String) {
        let cluster = self.path("cluster.yaml");
        let mut command = isctl();
        if let Some(width) = width {
            command.env("ISCTL_COLUMNS", width.to_string());
        }
        let out = command.args(args).arg("--from").arg(&cluster).output().unwrap();
        let text = |bytes: &[u8]| self.named(&String::from_utf8_lossy(bytes));
        (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
    }
}

fn base64_pair(pair: &str) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = pair.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Exit code, stdout and stderr for a snapshot. Warnings that quote registries are ordered by
/// their text, which holds the registries' ports: they are sorted here, so the snapshot does not
/// depend on which ports the registries got.
fn snapshot(code: i32, stdout: &str, stderr: &str) -> String {
    let mut lines: Vec<&str> = stderr.lines().collect();
    let quoting = |l: &&str| l.starts_with("warning: verify/");
    let mut start = 0;
    while start < lines.len() {
        let run = lines[start..].iter().take_while(|l| quoting(l)).count();
        lines[start..start + run].sort_unstable();
        start += run.max(1);
    }
    let stderr: String = lines.into_iter().map(|l| format!("{l}\n")).collect();
    format!("exit: {code}\n----- stdout -----\n{stdout}----- stderr -----\n{stderr}")
}

#[test]
fn resolve_says_where_each_current_image_comes_from_and_why_not() {
    let lab = Lab::start();
    let auth = lab.path("auth.json");
    let ca = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tls/ca.pem");
    let verify = ["--verify", "--registry-config", auth.to_str().unwrap(), "--registry-ca", ca.to_str().unwrap()];
    let (code, table, stderr) = lab.run(&[&["resolve", "-n", "verify"][..], &verify].concat(), Some(120));
    insta::assert_snapshot!("resolve_verify_table", snapshot(code, &table, &stderr));
    let (code, yaml, stderr) = lab.run(&[&["resolve", "-n", "verify", "-o", "yaml"][..], &verify].concat(), None);
    insta::assert_snapshot!("resolve_verify_yaml", snapshot(code, &yaml, &stderr));
    let (code, text, stderr) =
        lab.run(&[&["describe", "istag", "app:multi", "-n", "verify"][..], &verify].concat(), None);
    insta::assert_snapshot!("describe_verify_manifest_list", snapshot(code, &text, &stderr));
    // Without credentials and the CA, the locked and TLS registries cannot be asked.
    let (_, yaml, _) =
        lab.run(&["resolve", "-n", "verify", "-o", "yaml", "--verify", "--registry-config", "/dev/null/none"], None);
    let _ = yaml;
    let empty = lab.path("empty.json");
    std::fs::write(&empty, "{\"auths\":{}}").unwrap();
    let without = ["resolve", "-n", "verify", "--verify", "--registry-config", empty.to_str().unwrap()];
    let (code, table, stderr) = lab.run(&[&without[..], &["-v"]].concat(), Some(120));
    let stderr: String = stderr
        .lines()
        .filter(|l| !l.starts_with("HEAD ") && !l.starts_with("GET "))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("resolve_verify_without_credentials_or_ca", snapshot(code, &table, &stderr));
    let (_, json, _) = lab.run(&[&without[..], &["-o", "json"]].concat(), None);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let results: Vec<(String, String)> = list["items"][0]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let first = &t["history"][0]["verification"]["sources"][0];
            (t["name"].as_str().unwrap().to_owned(), first["result"].as_str().unwrap_or("none").to_owned())
        })
        .collect();
    let expect = |name: &str, result: &str| (name.to_owned(), result.to_owned());
    assert!(results.contains(&expect("locked", "unauthorized")), "{results:?}");
    assert!(results.contains(&expect("tls", "tls")), "{results:?}");
    assert!(results.contains(&expect("plain", "tls")), "a node refuses plain HTTP unless marked insecure: {results:?}");
    assert!(results.contains(&expect("down", "unreachable")), "{results:?}");
}

#[test]
fn check_fails_on_unservable_images_and_replays_from_the_cache() {
    let mut lab = Lab::start();
    let (auth, cache, cluster) = (lab.path("auth.json"), lab.path("answers.json"), lab.path("cluster.yaml"));
    let args = |extra: &[&str]| -> Vec<String> {
        let base = ["check", "-n", "verify", "--verify", "--fail-on", "error", "-o", "json", "--verify-cache"];
        let files = [cache.to_str().unwrap(), "--registry-config", auth.to_str().unwrap()];
        base.iter().chain(&files).chain(extra).map(|a| a.to_string()).collect()
    };
    let raw = |args: &[String]| {
        let out = isctl().args(args).arg("--from").arg(&cluster).output().unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let (code, json) = raw(&args(&[]));
    assert_eq!(code, 3, "{json}");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let unservable: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "verify-unservable")
        .map(|f| f["object"].as_str().unwrap())
        .collect();
    // app:multi: the mirror has the list but not its amd64 image, and a node stops there.
    assert_eq!(unservable, ["verify/app:down", "verify/app:multi", "verify/app:plain", "verify/app:tls"]);
    // The mirror has what the mirrored tag needs: CI passes.
    assert_eq!(raw(&args(&["app:mirrored"])).0, 0);
    // With every registry stopped, the cache answers: the same report.
    lab.registries.clear();
    assert_eq!(raw(&args(&[])), (code, json));
}

#[test]
fn only_manifests_are_asked_for_and_no_credential_is_shown() {
    let lab = Lab::start();
    let auth = lab.path("auth.json");
    let before: Vec<usize> = lab.registries.iter().map(|(_, r)| r.requests().len()).collect();
    let (code, stdout, stderr) = lab.run(
        &[
            "mirrors",
            &format!("{}/team/app:v1", lab.host("SOURCE")),
            &format!("{}/team/app:v2", lab.host("SOURCE")),
            "--verify",
            "-v",
            "--registry-config",
            auth.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    // The tag mirror has v1 and not v2: v2 falls through to the source.
    insta::assert_snapshot!("mirrors_verify_tags", stdout);
    let (_, _, verbose) = lab
        .run(&["resolve", "-n", "verify", "--verify", "-v", "-v", "--registry-config", auth.to_str().unwrap()], None);
    assert!(verbose.contains("HEAD http://basic-auth:5000/v2/secure/app/manifests/"), "{verbose}");
    for secret in ["test-password", &base64_pair("isctl:test-password"), "Basic "] {
        assert!(!verbose.contains(secret) && !stderr.contains(secret), "a credential in -v output");
    }
    for ((name, registry), seen) in lab.registries.iter().zip(before) {
        for request in &registry.requests()[seen..] {
            let manifest = request.starts_with("HEAD /v2/") || request.starts_with("GET /v2/");
            assert!(manifest && request.contains("/manifests/"), "{name} was sent {request}");
        }
    }
}
