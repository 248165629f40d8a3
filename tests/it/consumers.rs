//! `isctl consumers`: who follows and runs a tag, who still uses an image, and who may pull a
//! stream, on the demo cluster's workloads, offline and live through `isctl serve`.

use crate::common::{DEMO, Server, output, run};

const CURRENT: &str = "sha256:6b6f9cb2486b250c2b4030946a28bd5482fb2864ead628346c5bb1547fff00d0";
const PREVIOUS: &str = "sha256:9eb00a5eeb94af8925968712770d62e7ca8f49bfd717876120545aa96fc7f310";
const OLDEST: &str = "sha256:08b72a376d1bc5e200386c1703caddf4271e80735a1b6585ad3dff332fd1330d";

#[test]
fn a_tag_shows_its_triggers_its_pods_and_who_may_pull() {
    insta::assert_snapshot!("consumers_tag", run(&["consumers", "cli:latest", "-n", "openshift", "--from", DEMO]));
    insta::assert_snapshot!(
        "consumers_tag_yaml",
        run(&["consumers", "cli:latest", "-n", "openshift", "-o", "yaml", "--from", DEMO])
    );
}

#[test]
fn drift_is_named_use_by_use() {
    let (code, stdout, _) = output(&["consumers", "cli:latest", "-n", "openshift", "-o", "json", "--from", DEMO]);
    assert_eq!(code, 0);
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let tag = &answer["tags"][0];
    let standing = |list: &str, name: &str| -> String {
        let found =
            tag[list].as_array().unwrap().iter().find(|u| u["name"] == name).unwrap_or_else(|| panic!("{name}"));
        format!("{}{}", found["standing"]["state"].as_str().unwrap(), found["standing"]["behind"])
    };
    // The Pod of the old ReplicaSet runs the previous image; the paused CronJob has the oldest.
    assert_eq!(standing("running", "web-old-5c6d7"), "older1");
    assert_eq!(standing("running", "web-5d4f8-q9z7m"), "currentnull");
    assert_eq!(standing("triggers", "nightly-report"), "older2");
    assert_eq!(standing("triggers", "app"), "older1");
    assert_eq!(standing("running", "debug"), "unknownnull", "a Pending pod pulled by tag");
    // The ReplicaSet without Pods in the input stands for them; those with Pods do not.
    let names: Vec<&str> = tag["running"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"legacy-6f7a9") && !names.contains(&"web-5d4f8") && !names.contains(&"tools-1"),
        "{names:?}"
    );
}

#[test]
fn the_reverse_lookup_says_who_still_uses_an_image() {
    insta::assert_snapshot!("consumers_image_previous", run(&["consumers", "--image", PREVIOUS, "--from", DEMO]));
    let (code, stdout, stderr) = output(&["consumers", "--image", OLDEST, "-o", "json", "--from", DEMO]);
    assert_eq!(code, 0, "{stderr}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let users: Vec<String> = answer["uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| format!("{}/{} {}", u["kind"].as_str().unwrap(), u["name"].as_str().unwrap(), u["role"]))
        .collect();
    assert_eq!(
        users,
        [
            "ReplicaSet/legacy-6f7a9 \"template\"",
            "CronJob/nightly-report \"trigger\"",
            "CronJob/nightly-report \"template\""
        ]
    );
    // The Pending debug Pod pulls `.../openshift/cli:latest` by tag: it uses the tag's current
    // image, as oc's pruner counts it (analyzeImageReference).
    let (_, stdout, _) = output(&["consumers", "--image", CURRENT, "-o", "json", "--from", DEMO]);
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let debug = answer["uses"].as_array().unwrap().iter().find(|u| u["name"] == "debug").expect("the debug Pod");
    assert_eq!(debug["viaTag"], "openshift/cli:latest");
    let (_, stdout, _) = output(&["consumers", "--image", PREVIOUS, "-o", "json", "--from", DEMO]);
    assert!(!stdout.contains("\"debug\""), "the tag's older image is not pulled by it: {stdout}");
    // A platform manifest counts through its manifest list.
    let child = "sha256:ef18271038fd9ba32d334f59de4a892ebe29b61706ff2e7e8566415f233332d4";
    let (_, stdout, _) = output(&["consumers", "--image", child, "-o", "json", "--from", DEMO]);
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(answer["tags"][0]["tag"], "openshift/must-gather:latest");
    assert_eq!(answer["manifestLists"].as_array().unwrap().len(), 1);
    // An unused image says so, and a prune would break nothing the input shows.
    let unused = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    let (code, stdout, stderr) = output(&["consumers", "--image", unused, "--from", DEMO]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert!(stderr.contains("nothing in the input uses"), "{stderr}");
}

#[test]
fn without_workloads_or_bindings_the_answer_says_it_knows_nothing() {
    let streams = "fixtures/must-gather/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-5f2b0e1d2c3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c/namespaces/openshift/image.openshift.io";
    let (code, stdout, stderr) = output(&["consumers", "cli:latest", "-n", "openshift", "--from", streams]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("no trigger follows it"), "{stdout}");
    assert!(stderr.contains("the input holds no Pods, workloads"), "{stderr}");
    assert!(stderr.contains("who may pull is unknown"), "{stderr}");
}

#[test]
fn usage_errors_and_missing_streams() {
    for (args, code) in [
        (vec!["consumers"], 2),
        (vec!["consumers", "cli", "--image", CURRENT], 2),
        (vec!["consumers", "--image", "quay.io/a/b:latest"], 2),
        (vec!["consumers", "cli", "-A"], 2),
        (vec!["consumers", "nope", "-n", "openshift"], 1),
    ] {
        let mut args = args.clone();
        args.extend(["--from", DEMO]);
        let (got, _, stderr) = output(&args);
        assert_eq!(got, code, "{args:?}: {stderr}");
    }
}

#[test]
fn live_answers_are_byte_identical_to_offline_ones() {
    let server = Server::start(&[]);
    for args in [
        vec!["consumers", "cli:latest", "-n", "openshift"],
        vec!["consumers", "cli", "-n", "openshift", "-o", "yaml"],
        vec!["consumers", "--image", PREVIOUS, "-o", "json"],
        vec!["consumers", "--image", OLDEST],
    ] {
        let (code, live, live_stderr) = server.isctl(&args);
        assert_eq!(code, 0, "{args:?}: {live_stderr}");
        let mut offline_args = args.clone();
        offline_args.extend(["--from", DEMO]);
        let (_, offline, offline_stderr) = output(&offline_args);
        assert_eq!(live, offline, "{args:?}");
        assert_eq!(live_stderr, offline_stderr, "{args:?}");
    }
    for request in server.requests() {
        assert!(request.starts_with("GET "), "{request}");
    }
    // kubectl sees the same workloads through serve.
    let pods = server.ok(&["get", "pods", "-n", "demo", "-o", "name"]);
    assert_eq!(pods.lines().count(), 4, "{pods}");
    let bindings = server.ok(&["get", "rolebindings", "-n", "openshift", "-o", "name"]);
    assert!(bindings.contains("rolebinding.rbac.authorization.k8s.io/system:image-pullers"), "{bindings}");
    let triggers = server.ok(&[
        "get",
        "dc",
        "-n",
        "demo",
        "-o",
        "jsonpath={.items[*].spec.triggers[?(@.type==\"ImageChange\")].imageChangeParams.from.name}",
    ]);
    assert_eq!(triggers, "cli:latest");
}

#[test]
fn a_forbidden_kind_is_a_warning_not_a_failure() {
    let server = Server::start(&["--deny", "pods", "--deny", "clusterroles"]);
    let (code, stdout, stderr) = server.isctl(&["consumers", "cli:latest", "-n", "openshift"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("cannot list pods"), "{stderr}");
    assert!(!stdout.contains("pod/"), "{stdout}");
    assert!(stdout.contains("deploymentconfig/tools"), "{stdout}");
    // Without the ClusterRoles, the default ones are still known.
    assert!(stdout.contains("system:image-puller (built-in)"), "{stdout}");
}

#[test]
fn the_readme_shows_what_an_80_column_terminal_shows() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let marker = "`describe` ends with the same answer. In an 80-column terminal:\n\n```\n";
    let start = readme.find(marker).expect("the README shows consumers") + marker.len();
    let shown = &readme[start..start + readme[start..].find("```\n").unwrap()];
    let out = crate::common::isctl()
        .env("ISCTL_COLUMNS", "80")
        .args(["consumers", "cli:latest", "-n", "openshift", "--from", DEMO])
        .output()
        .unwrap();
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(shown, printed, "README.md's block must be the real output");
    assert!(printed.lines().all(|l| l.chars().count() <= 80), "{printed}");
}

#[test]
fn a_recording_with_workloads_answers_as_the_cluster_did() {
    let server = Server::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("recorded").display().to_string();
    let (code, stdout, stderr) = server.isctl(&["record", &target, "-A", "--workloads"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("4 Pod") && stdout.contains("1 DeploymentConfig"), "{stdout}");
    let root = dir.path().join("recorded");
    assert!(root.join("namespaces/demo/core/pods.yaml").is_file());
    assert!(
        root.join("cluster-scoped-resources/rbac.authorization.k8s.io/clusterroles/system:image-puller.yaml").is_file()
    );
    for args in [vec!["consumers", "cli", "-n", "openshift", "-o", "yaml"], vec!["consumers", "--image", OLDEST]] {
        let (_, live, _) = server.isctl(&args);
        let mut offline = args.clone();
        offline.extend(["--from", &target]);
        let (code, recorded, stderr) = output(&offline);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(live, recorded, "{args:?}");
    }
    // Without --workloads, a recording holds only image objects, as before.
    let plain = dir.path().join("plain").display().to_string();
    let (code, stdout, _) = server.isctl(&["record", &plain, "-A"]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("Pod"), "{stdout}");
}
