//! `isctl mirrors` on the demo cluster, the real-world policy files and the catalog ICSP.

use crate::common::{DEMO, output, run};

const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

#[test]
fn plans_as_a_table() {
    let art = format!("quay.io/openshift-release-dev/ocp-v4.0-art-dev@{D}");
    let ubi_digest = format!("registry.redhat.io/ubi9/ubi@{D}");
    insta::assert_snapshot!(run(&[
        "mirrors",
        &art,
        &ubi_digest,
        "registry.redhat.io/ubi9/ubi:latest",
        "redis:7",
        "mirror.example.com:8443/insecure/tool:v1",
        "quay.io/openshift-release-dev/ocp-release:4.16.0-multi",
        "--from",
        DEMO
    ]));
}

#[test]
fn plans_as_yaml_and_json() {
    let art = format!("quay.io/openshift-release-dev/ocp-v4.0-art-dev@{D}");
    insta::assert_snapshot!("one_plan_yaml", run(&["mirrors", &art, "-o", "yaml", "--from", DEMO]));
    insta::assert_snapshot!("two_plans_json", run(&["mirrors", "redis:7", "NotValid:x", "-o", "json", "--from", DEMO]));
}

#[test]
fn render_registries_conf() {
    insta::assert_snapshot!(run(&["mirrors", "--render", "--from", DEMO]));
}

#[test]
fn conflicts_and_invalid_rewrites_stand_out() {
    let dir = tempfile::tempdir().unwrap();
    let rules = "apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata:\n  name: never\nspec:\n  imageDigestMirrors:\n  - source: registry.example.com\n    mirrors: [mirror.local/r]\n    mirrorSourcePolicy: NeverContactSource\n---\napiVersion: config.openshift.io/v1\nkind: ImageTagMirrorSet\nmetadata:\n  name: allow\nspec:\n  imageTagMirrors:\n  - source: registry.example.com\n    mirrors: [tags.local/r]\n";
    std::fs::write(dir.path().join("rules.yaml"), rules).unwrap();
    let from = dir.path().join("rules.yaml").display().to_string();
    let port = format!("registry.example.com:5000/app@{D}");
    let text = crate::common::run_in(&["mirrors", &port, "--from", &from], Some(dir.path()));
    insta::assert_snapshot!(text);
}

#[test]
fn every_real_policy_file_loads_and_answers() {
    let Some(mirrors) = crate::common::shared("mirrors") else { return };
    let (code, stdout, stderr) = output(&[
        "mirrors",
        &format!("registry.redhat.io/ubi8/ubi@{D}"),
        &format!("quay.io/openshift-release-dev/ocp-v4.0-art-dev@{D}"),
        "-o",
        "json",
        "--from",
        mirrors,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let plans: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let items = plans["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for plan in items {
        let sources = plan["sources"].as_array().unwrap();
        assert!(sources.len() >= 3, "{plan}");
        assert_eq!(sources.last().unwrap()["kind"], "source");
    }
}

#[test]
fn usage_errors() {
    insta::assert_snapshot!("no_pullspec", run(&["mirrors", "--from", DEMO]));
    insta::assert_snapshot!("render_with_pullspec", run(&["mirrors", "--render", "busybox", "--from", DEMO]));
}
