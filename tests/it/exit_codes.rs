//! Every command's exit code, for each way it can end: the contract scripts rely on
//! (README "Exit codes"; src/error.rs is the only place that maps outcomes to codes).

use crate::common::{DEMO, isctl};

/// A kubeconfig for a server that is not there.
fn unreachable_kubeconfig(dir: &std::path::Path) -> std::path::PathBuf {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let path = dir.join("kubeconfig");
    std::fs::write(
        &path,
        format!("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:{port}\nusers:\n- name: u\n  user: {{}}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\n"),
    )
    .unwrap();
    path
}

#[test]
fn every_command_ends_with_the_documented_code() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: [\n").unwrap();
    let bad = bad.display().to_string();
    let kubeconfig = unreachable_kubeconfig(dir.path());
    let full = dir.path().join("full");
    std::fs::create_dir(&full).unwrap();
    std::fs::write(full.join("x"), "").unwrap();
    let fresh = |name: &str| dir.path().join(name).display().to_string();
    let full = full.display().to_string();
    let (r1, r2, r3) = (fresh("rec1"), fresh("rec2"), fresh("rec3"));
    let table: Vec<(&str, Vec<&str>, bool, i32)> = vec![
        // (situation, arguments, against the unreachable cluster, expected code)
        ("get: success", vec!["get", "is", "-n", "openshift", "--from", DEMO], false, 0),
        ("get: not found", vec!["get", "is", "nope", "-n", "openshift", "--from", DEMO], false, 1),
        ("get: usage", vec!["get", "pods", "--from", DEMO], false, 2),
        ("get: bad input", vec!["get", "is", "--from", &bad], false, 1),
        ("get: unreachable", vec!["get", "is"], true, 1),
        // kubectl refuses these only when it runs, with exit 1.
        ("get: an unknown -o, as kubectl", vec!["get", "is", "-o", "foo", "--from", DEMO], false, 1),
        // Every command reads -o the same way: a template or format no printer has is exit 1.
        ("resolve: an unknown -o, as get", vec!["resolve", "-A", "-o", "name", "--from", DEMO], false, 1),
        (
            "check: a template that does not parse, as get",
            vec!["check", "-A", "-o", "jsonpath={.x", "--from", DEMO],
            false,
            1,
        ),
        (
            "get: a template that does not parse, as kubectl",
            vec!["get", "is", "-o", "jsonpath={.items[", "--from", DEMO],
            false,
            1,
        ),
        (
            "get: a --sort-by that does not parse, as kubectl",
            vec!["get", "is", "--sort-by", ".items[", "--from", DEMO],
            false,
            1,
        ),
        ("get: usage (a name the server refuses)", vec!["get", "is", "..", "--from", DEMO], false, 2),
        ("get: bad file beside good ones", vec!["get", "is", "-A", "--from", DEMO, "--from", &bad], false, 1),
        ("describe: success", vec!["describe", "is", "cli", "-n", "openshift", "--from", DEMO], false, 0),
        ("describe: not found", vec!["describe", "istag", "cli:nope", "-n", "openshift", "--from", DEMO], false, 1),
        ("describe: usage", vec!["describe", "pods", "x", "--from", DEMO], false, 2),
        ("describe: bad input", vec!["describe", "is", "cli", "--from", &bad], false, 1),
        ("describe: unreachable", vec!["describe", "is", "cli"], true, 1),
        ("mirrors: success", vec!["mirrors", "quay.io/a/b:1", "--from", DEMO], false, 0),
        ("mirrors: not a reference", vec!["mirrors", "Not A Reference", "--from", DEMO], false, 1),
        ("mirrors: usage", vec!["mirrors", "--from", DEMO], false, 2),
        ("mirrors: bad input", vec!["mirrors", "quay.io/a/b:1", "--from", &bad], false, 1),
        ("mirrors: unreachable", vec!["mirrors", "quay.io/a/b:1"], true, 1),
        ("resolve: success", vec!["resolve", "cli", "-n", "openshift", "--from", DEMO], false, 0),
        ("resolve: not found", vec!["resolve", "nope", "-n", "openshift", "--from", DEMO], false, 1),
        ("resolve: usage", vec!["resolve", "a:", "--from", DEMO], false, 2),
        ("resolve: bad input", vec!["resolve", "--from", &bad], false, 1),
        ("resolve: unreachable", vec!["resolve", "cli"], true, 1),
        ("check: success", vec!["check", "cli", "-n", "openshift", "--from", DEMO], false, 0),
        ("check: findings", vec!["check", "tools", "-n", "openshift", "--from", DEMO], false, 3),
        ("check: not found", vec!["check", "nope", "-n", "openshift", "--from", DEMO], false, 1),
        ("check: usage", vec!["check", "--disable", "nope", "--from", DEMO], false, 2),
        ("check: bad input", vec!["check", "-A", "--from", &bad], false, 1),
        ("check: unreachable", vec!["check", "cli"], true, 1),
        (
            "resolve: a verify option without --verify",
            vec!["resolve", "-A", "--include-blocked", "--from", DEMO],
            false,
            2,
        ),
        ("mirrors: --render with --verify", vec!["mirrors", "--render", "--verify", "--from", DEMO], false, 2),
        (
            "check: --verify, an auth file that is not there",
            vec!["check", "-A", "--verify", "--registry-config", "/nonexistent/auth.json", "--from", DEMO],
            false,
            1,
        ),
        ("diff: no change", vec!["diff", "mirrors", "-A", "--from", DEMO, "--migrate-icsp"], false, 0),
        (
            "diff: changes",
            vec!["diff", "mirrors", "-A", "--from", DEMO, "--proposed", "fixtures/what-if/block-registry"],
            false,
            3,
        ),
        (
            "diff: not found",
            vec!["diff", "mirrors", "nope", "-n", "openshift", "--from", DEMO, "--migrate-icsp"],
            false,
            1,
        ),
        ("diff: usage", vec!["diff", "mirrors", "-A", "--from", DEMO], false, 2),
        ("diff: bad input", vec!["diff", "mirrors", "-A", "--from", DEMO, "--proposed", &bad], false, 1),
        ("diff: unreachable", vec!["diff", "mirrors", "-A", "--migrate-icsp"], true, 1),
        ("record: success", vec!["record", &r1, "-n", "openshift", "--from", DEMO], false, 0),
        ("record: usage (not empty)", vec!["record", &full, "--from", DEMO], false, 2),
        ("record: usage before any cluster", vec!["record", &full], true, 2),
        ("record: bad input", vec!["record", &r2, "--from", &bad], false, 1),
        ("record: unreachable", vec!["record", &r3], true, 1),
        ("serve: usage (no --from)", vec!["serve"], false, 2),
        ("serve: usage (remote)", vec!["serve", "--address", "0.0.0.0:0", "--from", DEMO], false, 2),
        ("serve: bad input", vec!["serve", "--from", &bad], false, 1),
    ];
    let mut wrong = Vec::new();
    for (situation, args, cluster, expected) in &table {
        let mut command = isctl();
        command.args(args).env("HOME", dir.path());
        if *cluster {
            command.env("KUBECONFIG", &kubeconfig);
        }
        let result = command.output().unwrap();
        let code = result.status.code().unwrap_or(-1);
        if code != *expected {
            wrong
                .push(format!("{situation}: {code}, expected {expected}: {}", String::from_utf8_lossy(&result.stderr)));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
