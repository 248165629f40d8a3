//! `isctl get` on the demo cluster.

use crate::common::{DEMO, output, run};

#[test]
fn imagestreams_table() {
    insta::assert_snapshot!(run(&["get", "is", "-n", "openshift", "--from", DEMO]));
}

#[test]
fn imagestreams_all_namespaces_without_headers() {
    insta::assert_snapshot!(run(&["get", "imagestreams.image.openshift.io", "-A", "--no-headers", "--from", DEMO]));
}

#[test]
fn imagestreamtags_wide() {
    insta::assert_snapshot!(run(&["get", "istag", "-n", "openshift", "-o", "wide", "--from", DEMO]));
}

#[test]
fn images_and_mirror_objects() {
    insta::assert_snapshot!("images", run(&["get", "images", "--from", DEMO]));
    insta::assert_snapshot!("icsp", run(&["get", "icsp", "--from", DEMO]));
    insta::assert_snapshot!("idms", run(&["get", "idms", "--from", DEMO]));
    insta::assert_snapshot!("itms", run(&["get", "imagetagmirrorsets.config.openshift.io", "--from", DEMO]));
    insta::assert_snapshot!("cluster_config", run(&["get", "images.config.openshift.io", "--from", DEMO]));
}

#[test]
fn one_stream_as_yaml_is_the_object_itself() {
    insta::assert_snapshot!(run(&["get", "is", "tools", "-n", "openshift", "-o", "yaml", "--from", DEMO]));
}

#[test]
fn several_objects_as_json_are_a_list() {
    insta::assert_snapshot!(run(&["get", "itms", "-o", "json", "--from", DEMO]));
}

#[test]
fn synthesised_imagestreamtag_as_yaml() {
    insta::assert_snapshot!(run(&["get", "istag", "cli:latest", "-n", "openshift", "-o", "yaml", "--from", DEMO]));
}

#[test]
fn names_and_not_found() {
    insta::assert_snapshot!(run(&[
        "get",
        "is",
        "cli",
        "nope",
        "tools",
        "-n",
        "openshift",
        "-o",
        "name",
        "--from",
        DEMO
    ]));
}

#[test]
fn label_selector() {
    insta::assert_snapshot!(run(&["get", "is", "-A", "-l", "app=demo", "--from", DEMO]));
    let (code, stdout, stderr) = output(&["get", "is", "-A", "-l", "app!=demo", "-o", "name", "--from", DEMO]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "imagestream.image.openshift.io/cli\nimagestream.image.openshift.io/must-gather\nimagestream.image.openshift.io/tools\n"
    );
}

#[test]
fn empty_namespace_says_so_on_stderr() {
    insta::assert_snapshot!(run(&["get", "is", "-n", "nowhere", "--from", DEMO]));
}

#[test]
fn usage_errors_exit_2() {
    insta::assert_snapshot!("unknown_kind", run(&["get", "pods", "--from", DEMO]));
    insta::assert_snapshot!("name_with_all_namespaces", run(&["get", "is", "cli", "-A", "--from", DEMO]));
    insta::assert_snapshot!("bad_now", run(&["get", "is", "--now", "yesterday", "--from", DEMO]));
    insta::assert_snapshot!("no_input", run(&["get", "is"]));
}

#[test]
fn the_clock_is_injected() {
    let at = |now: &str| output(&["get", "is", "cli", "-n", "openshift", "--now", now, "--from", DEMO]).1;
    assert!(at("2026-11-27T12:00:00Z").contains("About an hour ago"));
    assert!(at("2026-12-27T12:00:00Z").contains("4 weeks ago"));
    assert_eq!(at("2026-11-27T12:00:00Z"), at("2026-11-27T12:00:00Z"));
}

#[test]
fn real_must_gather_lists_all_86_streams() {
    let Some(real) = crate::common::shared("must-gather/must-gather-aws") else { return };
    let (code, stdout, stderr) = crate::common::output(&["get", "is", "-n", "openshift", "--from", real]);
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 87, "a header and 86 streams");
    assert!(lines[0].starts_with("NAME") && lines[0].contains("IMAGE REPOSITORY") && lines[0].ends_with("UPDATED"));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("cli ")
                && l.contains("image-registry.openshift-image-registry.svc:5000/openshift/cli"))
    );
}

#[test]
fn every_command_that_prints_documents_takes_kubectl_templates() {
    // resolve, mirrors, check and diff: a template reads the JSON -o json prints.
    let run = |args: &[&str]| {
        let (code, stdout, stderr) = crate::common::output(&[args, &["--from", crate::common::DEMO]].concat());
        assert!(code == 0 || code == 3, "{args:?}: {stderr}");
        stdout
    };
    let resolve = run(&[
        "resolve",
        "cli",
        "-n",
        "openshift",
        "-o",
        r#"jsonpath={range .tags[*]}{.name} {.history[0].image}{"\n"}{end}"#,
    ]);
    assert_eq!(
        resolve.lines().next(),
        Some("latest sha256:6b6f9cb2486b250c2b4030946a28bd5482fb2864ead628346c5bb1547fff00d0")
    );
    let names = run(&["resolve", "-A", "-o", "jsonpath={.items[*].metadata.name}"]);
    assert_eq!(names, "app cli must-gather tools");
    let sources = run(&["mirrors", "redis:7", "-o", "jsonpath-as-json={.sources[*].blocked}"]);
    assert_eq!(sources, "[\n    true\n]\n");
    let rules = run(&["check", "-A", "-o", "custom-columns=PASSED:.passed,FAIL-ON:.failOn", "--no-headers"]);
    assert_eq!(rules.split_whitespace().collect::<Vec<_>>(), ["false", "error"]);
    let changes = run(&[
        "diff",
        "mirrors",
        "-A",
        "--proposed",
        "fixtures/what-if/block-registry",
        "-o",
        "jsonpath={.changes[*].changes[0]}",
    ]);
    assert_eq!(changes, "unpullable unpullable unpullable");
}
