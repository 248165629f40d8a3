//! `isctl check`: every rule fires on fixtures/check/rules.yaml and stays quiet on
//! fixtures/check/clean.yaml; exit codes, --fail-on, --disable, --baseline and --junit.

use std::collections::BTreeSet;

use crate::common::{DEMO, output, run};

const RULES: &str = "fixtures/check/rules.yaml";
const CLEAN: &str = "fixtures/check/clean.yaml";
const BASELINE: &str = "fixtures/check/baseline.yaml";

/// (exit code, the rule ids that fired).
fn fired(from: &str, extra: &[&str]) -> (i32, BTreeSet<String>) {
    let mut args = vec!["check", "-n", "checks", "-o", "json", "--from", from];
    args.extend(extra);
    let (code, stdout, stderr) = output(&args);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    let rules = report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect();
    (code, rules)
}

fn set(rules: &[&str]) -> BTreeSet<String> {
    rules.iter().map(|r| r.to_string()).collect()
}

#[test]
fn default_rules_fire_on_the_bad_stream_and_not_on_the_clean_one() {
    let (code, rules) = fired(RULES, &[]);
    assert_eq!(code, 3);
    assert_eq!(
        rules,
        set(&[
            "import-failed",
            "import-pending",
            "tag-without-history",
            "image-missing",
            "mirror-conflict",
            "signature-policy-conflict",
            "image-policy-scope-ignored",
            "invalid-rewrite",
            "unpullable",
            "policy-rejected",
            "digest-mirrors-only",
        ])
    );
    assert_eq!(fired(CLEAN, &[]), (0, set(&[])));
}

#[test]
fn opt_in_rules() {
    let (code, rules) = fired(RULES, &["--require-mirror", "--max-age", "30d"]);
    assert_eq!(code, 3);
    for rule in ["not-mirrored", "tag-not-mirrored", "too-old"] {
        assert!(rules.contains(rule), "{rule} in {rules:?}");
    }
    // Without the flags they stay off.
    let (_, default) = fired(RULES, &[]);
    assert!(default.is_disjoint(&set(&["not-mirrored", "tag-not-mirrored", "too-old"])));
    // The clean stream is mirrored for digests and tags and recent.
    assert_eq!(fired(CLEAN, &["--require-mirror", "--max-age", "30d"]), (0, set(&[])));
    // ...but not younger than a day.
    assert_eq!(fired(CLEAN, &["--max-age", "1d"]).1, set(&["too-old"]));
}

#[test]
fn baseline_rules() {
    let (code, rules) = fired(CLEAN, &["--baseline", BASELINE]);
    assert_eq!(code, 0, "warnings and infos do not fail at the default --fail-on error");
    assert_eq!(rules, set(&["digest-moved", "tag-appeared", "tag-vanished"]));
    // A baseline saved from the same input reports nothing.
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved.yaml");
    let (_, yaml, _) = output(&["resolve", "-n", "checks", "-o", "yaml", "--from", CLEAN]);
    std::fs::write(&saved, yaml).unwrap();
    assert_eq!(fired(CLEAN, &["--baseline", saved.to_str().unwrap()]), (0, set(&[])));
}

#[test]
fn fail_on_and_disable_decide_the_exit_code() {
    assert_eq!(fired(CLEAN, &["--baseline", BASELINE, "--fail-on", "warning"]).0, 3);
    assert_eq!(fired(CLEAN, &["--baseline", BASELINE, "--fail-on", "info"]).0, 3);
    assert_eq!(
        fired(
            CLEAN,
            &[
                "--baseline",
                BASELINE,
                "--fail-on",
                "info",
                "--disable",
                "tag-appeared",
                "--disable",
                "digest-moved",
                "--disable",
                "tag-vanished"
            ]
        ),
        (0, set(&[]))
    );
}

#[test]
fn exit_codes() {
    insta::assert_snapshot!("findings_exit_3", run(&["check", "-n", "checks", "--from", RULES]));
    insta::assert_snapshot!("clean_exit_0", run(&["check", "-n", "checks", "--from", CLEAN]));
    insta::assert_snapshot!("unknown_rule_exit_2", run(&["check", "--disable", "nope", "--from", CLEAN]));
    insta::assert_snapshot!("missing_stream_exit_1", run(&["check", "nope", "-n", "checks", "--from", CLEAN]));
    insta::assert_snapshot!("bad_input_exit_1", run(&["check", "--from", "does/not/exist"]));
}

#[test]
fn junit_report() {
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("report.xml");
    let (code, _, _) = output(&["check", "-n", "checks", "--junit", junit.to_str().unwrap(), "--from", RULES]);
    assert_eq!(code, 3);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("<testsuite name=\"isctl check\" tests=\"11\" failures=\"6\""), "{xml}");
    assert!(
        xml.contains("<testcase classname=\"isctl.import-failed\" name=\"import-failed checks/bad:failed\">"),
        "{xml}"
    );
    assert!(xml.contains("<failure type=\"import-failed\""), "{xml}");
    assert!(xml.contains("<system-out>warning: no image was ever recorded for this tag</system-out>"), "{xml}");
    let (code, _, _) = output(&["check", "-n", "checks", "--junit", junit.to_str().unwrap(), "--from", CLEAN]);
    assert_eq!(code, 0);
    assert!(std::fs::read_to_string(&junit).unwrap().contains("name=\"no findings\""));
}

#[test]
fn the_demo_cluster_as_yaml() {
    insta::assert_snapshot!(run(&["check", "-A", "-o", "yaml", "--from", DEMO]));
}

#[test]
fn nothing_to_check_is_an_error_not_a_pass() {
    let (code, _, stderr) = output(&["check", "-n", "nowhere", "--from", CLEAN]);
    assert_eq!(code, 1);
    assert_eq!(stderr, "error: no image streams to check in namespace \"nowhere\"\n");
    let (code, _, stderr) = output(&["check", "--from", CLEAN]);
    assert_eq!(code, 1);
    assert!(stderr.contains("(pass -n NAMESPACE or -A)"), "{stderr}");
}

#[test]
fn local_tags_are_mirrored_through_the_integrated_registry() {
    // cli:latest is pulled by pods from the integrated registry, which pulls through the mirrors.
    let (_, stdout, _) = output(&["check", "-A", "--require-mirror", "-o", "json", "--from", DEMO]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let flagged: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "not-mirrored")
        .map(|f| f["object"].as_str().unwrap())
        .collect();
    assert!(!flagged.contains(&"openshift/cli:latest"), "{flagged:?}");
    assert!(flagged.contains(&"demo/app:cache"), "Docker Hub has no mirror: {flagged:?}");
}

#[test]
fn a_partial_run_does_not_call_unchecked_tags_vanished() {
    let (_, rules) = fired(CLEAN, &["--baseline", BASELINE]);
    assert!(rules.contains("tag-vanished"));
    let (code, stdout, _) =
        output(&["check", "good:latest", "-n", "checks", "--baseline", BASELINE, "-o", "json", "--from", CLEAN]);
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rules: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["digest-moved"], "old was not checked, extra was not selected");
}
