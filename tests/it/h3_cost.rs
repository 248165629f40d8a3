//! Regression tests for the third hardening round (#26), cost bounds and serve's workload
//! Tables: inputs that took minutes or gigabytes before now finish in bounded time and
//! memory, and kubectl prints a Pod's READY, STATUS and RESTARTS from serve's Tables. The big
//! inputs are generated here, never committed.

use std::time::Duration;

use crate::common::isctl;
use crate::hardening::bounded;

const DIGEST: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// One ImageStream `ns/big` as JSON whose `tags` tags all point at the same image.
fn shared_image_stream(tags: usize) -> String {
    let item = format!(
        r#"{{"image":"{DIGEST}","dockerImageReference":"quay.io/x/y@{DIGEST}","created":"2026-01-01T00:00:00Z","generation":1}}"#
    );
    let tags: Vec<String> = (0..tags).map(|i| format!(r#"{{"tag":"t{i}","items":[{item}]}}"#)).collect();
    format!(
        r#"{{"apiVersion":"image.openshift.io/v1","kind":"ImageStream","metadata":{{"name":"big","namespace":"ns"}},"status":{{"tags":[{}]}}}}"#,
        tags.join(",")
    )
}

/// Item 5: `diff mirrors` was quadratic in the tags sharing one reference (each new user was
/// looked for among the reference's users so far). 80,000 tags of one image took minutes; now
/// they take as long as reading them.
#[test]
fn item_05_diff_mirrors_is_linear_in_tags_sharing_a_reference() {
    let dir = tempfile::tempdir().unwrap();
    let current = dir.path().join("stream.json");
    std::fs::write(&current, shared_image_stream(80_000)).unwrap();
    let proposed = dir.path().join("idms.yaml");
    std::fs::write(
        &proposed,
        "apiVersion: config.openshift.io/v1\nkind: ImageDigestMirrorSet\nmetadata: {name: m}\nspec:\n  imageDigestMirrors:\n  - source: quay.io/x\n    mirrors: [mirror.example.com/x]\n",
    )
    .unwrap();
    let mut command = isctl();
    command
        .args(["diff", "mirrors", "-n", "ns", "-o", "json", "--from"])
        .arg(&current)
        .arg("--proposed")
        .arg(&proposed);
    let (code, stdout, stderr, _) = bounded(command, Duration::from_secs(40));
    assert_eq!(code, 3, "{stderr}");
    let diff: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(diff["compared"], 1);
    let users = diff["changes"][0]["usedBy"].as_array().unwrap();
    assert_eq!(users.len(), 80_000);
    // Every tag once, in oc's tag order (names sort as text: t9999 after t79999).
    let distinct: std::collections::BTreeSet<&str> = users.iter().filter_map(|u| u.as_str()).collect();
    assert_eq!(distinct.len(), 80_000);
    assert_eq!((users[0].as_str(), users[79_999].as_str()), (Some("ns/big:t0"), Some("ns/big:t9999")));
    assert_eq!(diff["changes"][0]["changes"], serde_json::json!(["sourcesAdded"]));
}
