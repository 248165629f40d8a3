//! `isctl prune images`: oc's pruning plan on the demo cluster, offline and live through
//! `isctl serve`, read-only.

use crate::common::{DEMO, Server, output, run};

/// The stricter plan of the issue: `--all --keep-tag-revisions 1 --keep-younger-than 0s`.
const STRICT: [&str; 6] = ["--all", "--keep-tag-revisions", "1", "--keep-younger-than", "0s", "-o"];

/// Whether `consumers --image` finds any use of `digest` (a trigger, Pod or template).
fn used(digest: &str) -> bool {
    let (code, stdout, stderr) = output(&["consumers", "--image", digest, "-o", "json", "--from", DEMO]);
    assert_eq!(code, 0, "{stderr}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    !answer["uses"].as_array().unwrap().is_empty()
}

#[test]
fn the_strict_plan_prunes_old_unused_images_and_nothing_in_use() {
    let mut args = vec!["prune", "images"];
    args.extend(STRICT);
    args.extend(["name", "--from", DEMO]);
    let (code, stdout, stderr) = output(&args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "image/sha256:0f17d51897d08462e7452561262ee85addb5519b4f4658e2e9e1cc5f15c131ae\n\
         image/sha256:6d6add8dc4cd8624998ff3ce1adf363ce409030a5ff4151fea2fcf63ff7241b8\n\
         image/sha256:76bf9316f766fc3b1d6655c6410163e3a2fad4369b9516ae7079be2411a87d1b\n"
    );
    assert_eq!(
        stderr,
        "would prune 3 of 12 images (426 MB) and 5 of 14 history entries; isctl deleted nothing\n\
         warning: 2 history entries name an Image not in the input: oc drops them\n"
    );
    let pruned: Vec<&str> = stdout.lines().map(|l| l.trim_start_matches("image/")).collect();
    let (_, images, _) = output(&["get", "images", "-o", "name", "--from", DEMO]);
    let mut in_use = 0;
    for name in images.lines() {
        let digest = name.rsplit('/').next().unwrap();
        if used(digest) {
            in_use += 1;
            assert!(!pruned.contains(&digest), "{digest} is in use and must stay");
        }
    }
    assert!(in_use >= 4, "the demo's workloads use images ({in_use})");
    for digest in pruned {
        assert!(!used(digest), "{digest}: consumers --image names a use");
    }
}

#[test]
fn the_plan_explains_every_image_and_entry() {
    insta::assert_snapshot!("prune_default_yaml", run(&["prune", "images", "-o", "yaml", "--from", DEMO]));
    let mut args = vec!["prune", "images"];
    args.extend(STRICT);
    args.extend(["table", "--from", DEMO]);
    insta::assert_snapshot!("prune_strict_table", run(&args));
    // -n plans one namespace's history, and prunes no image, as oc does.
    let (code, stdout, _) = output(&["prune", "images", "-n", "demo", "-o", "name", "--from", DEMO]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn oc_usage_rules_and_invalid_references() {
    let (code, _, stderr) =
        output(&["prune", "images", "--prune-over-size-limit", "--keep-tag-revisions", "2", "--from", DEMO]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr
            .contains("--prune-over-size-limit cannot be specified with --keep-tag-revisions nor --keep-younger-than")
    );
    let (code, _, stderr) = output(&["prune", "images", "-o", "wide", "--from", DEMO]);
    assert_eq!(code, 1, "{stderr}");
    // A Build whose strategy names an image that does not parse stops the plan, as oc stops.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("build.yaml");
    std::fs::write(
        &bad,
        "apiVersion: build.openshift.io/v1\nkind: Build\nmetadata: {name: b-1, namespace: demo}\n\
         spec: {strategy: {dockerStrategy: {from: {kind: DockerImage, name: 'Not A Reference'}}}}\n",
    )
    .unwrap();
    let (code, stdout, stderr) = output(&["prune", "images", "--from", DEMO, "--from", bad.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("error: invalid image reference: build demo/b-1: \"Not A Reference\""), "{stderr}");
    assert!(stderr.contains("--ignore-invalid-refs"), "{stderr}");
    let (code, _, stderr) =
        output(&["prune", "images", "--ignore-invalid-refs", "--from", DEMO, "--from", bad.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn live_plans_are_byte_identical_and_only_read() {
    let server = Server::start(&[]);
    for args in
        [vec!["prune", "images", "-o", "yaml"], vec!["prune", "images", "--keep-tag-revisions", "1", "-o", "name"]]
    {
        let (code, live, live_stderr) = server.isctl(&args);
        assert_eq!(code, 0, "{args:?}: {live_stderr}");
        let mut offline_args = args.clone();
        offline_args.extend(["--from", DEMO]);
        let (_, offline, offline_stderr) = output(&offline_args);
        assert_eq!((live, live_stderr), (offline, offline_stderr), "{args:?}");
    }
    let requests = server.requests();
    assert!(requests.iter().all(|r| r.starts_with("GET ")), "{requests:?}");
    assert!(requests.iter().any(|r| r.contains("/limitranges")) && requests.iter().any(|r| r.contains("/builds")));
}

/// A recording holds the Images its streams reference; `record --all-images` keeps the ones no
/// stream holds any more too, the candidates `prune images` is about.
#[test]
fn a_recording_with_all_images_plans_as_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let orphan = format!("sha256:{}", "e".repeat(64));
    let extra = dir.path().join("orphan.yaml");
    std::fs::write(
        &extra,
        format!(
            "apiVersion: image.openshift.io/v1\nkind: Image\nmetadata: {{name: '{orphan}', creationTimestamp: '2026-01-01T00:00:00Z'}}\ndockerImageReference: quay.io/x/y@{orphan}\n"
        ),
    )
    .unwrap();
    let source = ["--from", DEMO, "--from", extra.to_str().unwrap()];
    let plan = |from: &[&str]| {
        let mut args = vec!["prune", "images", "-o", "yaml"];
        args.extend(from);
        let (code, stdout, stderr) = output(&args);
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    let expected = plan(&source);
    assert!(expected.contains(&format!("image: {orphan}\n  decision: prune")), "{expected}");
    for (flag, same) in [(Some("--all-images"), true), (None, false)] {
        let recording = dir.path().join(format!("rec{}", flag.is_some()));
        let mut args = vec!["record", recording.to_str().unwrap(), "-A", "--workloads"];
        args.extend(flag);
        args.extend(source);
        let (code, _, stderr) = output(&args);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(plan(&["--from", recording.to_str().unwrap()]) == expected, same, "{flag:?}");
    }
}
