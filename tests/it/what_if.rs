//! `isctl diff mirrors` and overlays (`--from a --from b`, `--proposed`, `--without`): the
//! three proposed changes in fixtures/what-if, a real must-gather with real mirror rules, and
//! overlay order both ways.

use crate::common::{DEMO, isctl, output, run};

const MIGRATE: &str = "fixtures/what-if/migrate-icsp";
const BLOCK: &str = "fixtures/what-if/block-registry";
const REFUSED: &str = "fixtures/what-if/refused-idms";

/// Runs isctl with tables fitted to `width` columns, rendered for a snapshot.
fn run_at(width: usize, args: &[&str]) -> String {
    let out = isctl().env("ISCTL_COLUMNS", width.to_string()).args(args).output().unwrap();
    format!(
        "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_icsp_migration_changes_no_pull() {
    // The IDMS oc adm migrate icsp writes, applied with the ICSP deleted: nothing changes.
    let by_file =
        output(&["diff", "mirrors", "-A", "--from", DEMO, "--proposed", MIGRATE, "--without", "icsp/release-0"]);
    assert_eq!(by_file.0, 0, "{}", by_file.2);
    assert_eq!(by_file.1, "");
    assert!(
        by_file.2.ends_with(
            "0 of 11 references change how nodes pull them; 0 become unpullable; registries.conf unchanged\n"
        )
    );
    // isctl's own migration says the same, and its YAML shows no change.
    let yaml = ["diff", "mirrors", "-A", "--from", DEMO, "-o", "yaml"];
    let migrated = output(&[&yaml[..], &["--migrate-icsp"]].concat());
    let by_hand = output(&[&yaml[..], &["--proposed", MIGRATE, "--without", "icsp/release-0"]].concat());
    assert_eq!((migrated.0, &migrated.1), (by_hand.0, &by_hand.1));
    insta::assert_snapshot!("migrate_icsp_yaml", migrated.1);
    // Keeping the ICSP beside its IDMS changes nothing either (the same rules twice).
    assert_eq!(output(&["diff", "mirrors", "-A", "--from", DEMO, "--proposed", MIGRATE]).0, 0);
}

/// The table at 100 columns and the YAML of one proposed change, for snapshots.
fn both_forms(proposed: &str) -> (String, String) {
    let args = ["diff", "mirrors", "-A", "--from", DEMO, "--proposed", proposed];
    (run_at(100, &args), run(&[&args[..], &["-o", "yaml"]].concat()))
}

/// The users of the changes of kind `change` in a `PlanDiff` as JSON.
fn users_of(diff: &serde_json::Value, change: &str) -> Vec<String> {
    let changes = diff["changes"].as_array().unwrap().iter();
    let of_kind = changes.filter(|c| c["changes"].as_array().unwrap().iter().any(|k| k == change));
    of_kind.flat_map(|c| c["usedBy"].as_array().unwrap().iter().map(|u| u.as_str().unwrap().to_owned())).collect()
}

#[test]
fn blocking_a_registry_makes_two_current_images_unpullable() {
    let (table, yaml) = both_forms(BLOCK);
    insta::assert_snapshot!("block_registry_table", table);
    insta::assert_snapshot!("block_registry_yaml", yaml);
    let (code, json, _) = output(&["diff", "mirrors", "-A", "--from", DEMO, "--proposed", BLOCK, "-o", "json"]);
    let unpullable = users_of(&serde_json::from_str(&json).unwrap(), "unpullable");
    let current: Vec<&str> = unpullable.iter().map(String::as_str).filter(|u| !u.ends_with("(import)")).collect();
    assert_eq!((code, current), (3, vec!["openshift/tools:upstream", "openshift/tools:ubi"]));
}

#[test]
fn a_refused_idms_changes_nothing_on_nodes_and_says_so() {
    let (table, yaml) = both_forms(REFUSED);
    insta::assert_snapshot!("refused_idms_table", table);
    insta::assert_snapshot!("refused_idms_yaml", yaml);
    let (code, _, stderr) = output(&["diff", "mirrors", "-A", "--from", DEMO, "--proposed", REFUSED, "-o", "json"]);
    assert_eq!(code, 3);
    assert!(stderr.contains("nodes would keep their current registries.conf"), "{stderr}");
}

#[test]
fn references_from_a_file_and_the_rendered_difference() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("images.txt");
    std::fs::write(&list, "# the release and a UBI image\nquay.io/openshift-release-dev/ocp-release@sha256:0000000000000000000000000000000000000000000000000000000000000000\n\nregistry.redhat.io/ubi9/ubi-minimal:9.4  # by tag\n").unwrap();
    let list = list.to_str().unwrap();
    let (code, json, stderr) = output(&[
        "diff",
        "mirrors",
        "nothing",
        "-n",
        "demo",
        "--from",
        DEMO,
        "--proposed",
        BLOCK,
        "--images",
        list,
        "-o",
        "json",
    ]);
    assert_eq!(code, 1, "the stream is missing: {stderr}");
    let (code, json2, _) = output(&[
        "diff",
        "mirrors",
        "-n",
        "nowhere",
        "--from",
        DEMO,
        "--proposed",
        BLOCK,
        "--images",
        list,
        "-o",
        "json",
    ]);
    assert_eq!(code, 3);
    let diff: serde_json::Value = serde_json::from_str(&json2).unwrap();
    assert_eq!(diff["compared"], 2);
    let changed: Vec<&str> =
        diff["changes"].as_array().unwrap().iter().map(|c| c["usedBy"][0].as_str().unwrap()).collect();
    assert_eq!(changed, [format!("{list}:4")]);
    drop(json);
    let (code, conf, _) = output(&["diff", "mirrors", "-A", "--from", DEMO, "--proposed", REFUSED, "--render"]);
    assert_eq!(code, 3);
    assert!(conf.starts_with("--- current/registries.conf\n+++ proposed/registries.conf\n"), "{conf}");
    assert!(conf.contains("+  blocked = true"), "{conf}");
}

#[test]
fn usage_and_input_errors() {
    let (code, _, stderr) = output(&["diff", "mirrors", "-A", "--from", DEMO]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nothing is proposed"), "{stderr}");
    for (bad, words) in [
        ("icsp", "expected KIND/NAME"),
        ("is/cli", "needs KIND/NAMESPACE/NAME"),
        ("icsp/a/b", "cluster-scoped kind takes KIND/NAME"),
        ("pods/x", "not a kind isctl reads"),
    ] {
        let (code, _, stderr) = output(&["get", "icsp", "--without", bad, "--from", DEMO]);
        assert_eq!(code, 2, "{bad}");
        assert!(stderr.contains(words), "{bad}: {stderr}");
    }
    let (code, _, stderr) = output(&["diff", "mirrors", "-A", "--from", DEMO, "--without", "icsp/typo"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: --without imagecontentsourcepolicies.operator.openshift.io/typo: the input holds no such object\n"
    );
    // Outside diff, --without takes the object out of what every command sees.
    let (code, stdout, _) = output(&["get", "icsp", "--without", "icsp/release-0", "--from", DEMO]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("release-0"), "{stdout}");
    let (code, stdout, _) =
        output(&["get", "is", "-n", "openshift", "-o", "name", "--without", "is/openshift/cli", "--from", DEMO]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("imagestream.image.openshift.io/cli\n"), "{stdout}");
}

#[test]
fn a_later_from_overlays_an_earlier_one() {
    // Disagreeing inputs: the later --from wins, and says which file replaced which.
    let get = |first: &str, second: &str| {
        output(&["get", "images.config.openshift.io", "cluster", "-o", "yaml", "--from", first, "--from", second])
    };
    let (code, block_last, stderr) = get(DEMO, BLOCK);
    assert_eq!(code, 0);
    assert!(block_last.contains("- registry.redhat.io"), "{block_last}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("note: fixtures/what-if/block-registry/image-config.yaml:1 replaces fixtures/must-gather/"),
        "{stderr}"
    );
    assert!(stderr.ends_with("(images.config.openshift.io \"cluster\": a later --from overlays an earlier one)\n"));
    let (code, demo_last, stderr) = get(BLOCK, DEMO);
    assert_eq!(code, 0);
    assert!(!demo_last.contains("- registry.redhat.io"), "{demo_last}");
    assert!(stderr.contains(" replaces fixtures/what-if/block-registry/image-config.yaml:1"), "{stderr}");
    assert_ne!(block_last, demo_last);
    // Inputs that do not disagree give the same answer in either order, without a word.
    let resolve = |first: &str, second: &str| output(&["resolve", "-A", "--from", first, "--from", second]);
    let (a, b) = (resolve(DEMO, MIGRATE), resolve(MIGRATE, DEMO));
    assert_eq!(a, b);
    assert_eq!(a.0, 0);
    // Inside one --from, a second copy is a duplicate: the first in name order is kept, with
    // a warning, as before overlays.
    let dir = tempfile::tempdir().unwrap();
    let icsp = |mirror: &str| {
        format!(
            "apiVersion: operator.openshift.io/v1alpha1\nkind: ImageContentSourcePolicy\nmetadata: {{name: x}}\nspec:\n  repositoryDigestMirrors:\n  - {{source: quay.io/a, mirrors: [{mirror}]}}\n"
        )
    };
    std::fs::write(dir.path().join("a.yaml"), icsp("first.example.com/a")).unwrap();
    std::fs::write(dir.path().join("b.yaml"), icsp("second.example.com/a")).unwrap();
    let (code, yaml, stderr) = output(&["get", "icsp", "x", "-o", "yaml", "--from", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(yaml.contains("first.example.com/a"), "{yaml}");
    assert!(stderr.starts_with("warning: ") && stderr.contains("found again with different content"), "{stderr}");
}

#[test]
fn real_must_gather_with_real_mirror_rules_shows_the_digest_only_trap() {
    let (Some(real), Some(mirrors)) =
        (crate::common::shared("must-gather/must-gather-aws"), crate::common::shared("mirrors"))
    else {
        return;
    };
    let (code, json, stderr) =
        output(&["diff", "mirrors", "-n", "openshift", "--from", real, "--proposed", mirrors, "-o", "json"]);
    assert_eq!(code, 3, "{stderr}");
    let diff: serde_json::Value = serde_json::from_str(&json).unwrap();
    let trapped = users_of(&diff, "digestMirrorsOnly");
    // The sample streams imported by tag from registry.redhat.io scopes that the real ICSPs
    // mirror for digests only: the same 59 tags `check` reports as digest-mirrors-only.
    assert_eq!(trapped.len(), 59, "{trapped:?}");
    assert!(trapped.iter().all(|u| u.starts_with("openshift/") && u.ends_with(" (import)")));
    let streams: std::collections::BTreeSet<&str> = trapped.iter().map(|u| u.split(':').next().unwrap()).collect();
    assert_eq!(streams.len(), 19, "{streams:?}");
    let (_, check, _) = output(&["check", "-n", "openshift", "--from", real, "--from", mirrors, "-o", "json"]);
    assert_eq!(check.matches("\"digest-mirrors-only\"").count(), 59);
}

#[test]
fn the_readme_shows_the_real_diff() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let command =
        "isctl diff mirrors -A --from fixtures/must-gather --proposed fixtures/what-if/block-registry\n```\n\n```\n";
    let start = readme.find(command).expect("the README shows a diff") + command.len();
    let shown = &readme[start..start + readme[start..].find("```\n").unwrap()];
    let out = isctl()
        .env("ISCTL_COLUMNS", "120")
        .args(["diff", "mirrors", "-A", "--from", DEMO, "--proposed", BLOCK])
        .output()
        .unwrap();
    assert_eq!(shown, String::from_utf8_lossy(&out.stdout), "README.md's block must be the real output");
}

#[test]
fn check_refuses_a_change_that_breaks_pulls_or_would_be_refused() {
    let proposed = |change: &str, extra: &[&str]| {
        let mut args = vec!["check", "-A", "-o", "json", "--from", DEMO, "--proposed", change];
        args.extend(extra);
        let (code, json, stderr) = output(&args);
        let report: serde_json::Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {stderr}"));
        let mut fired: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"].as_str().unwrap().starts_with("proposed-"))
            .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["object"].as_str().unwrap()))
            .collect();
        fired.dedup();
        (code, fired)
    };
    assert_eq!(
        proposed(BLOCK, &[]),
        (
            3,
            vec![
                "proposed-unpullable openshift/tools:ubi".into(),
                "proposed-unpullable openshift/tools:upstream".into()
            ]
        )
    );
    let (code, fired) = proposed(REFUSED, &[]);
    assert_eq!(code, 3);
    assert!(fired.contains(&"proposed-refused quay.io/openshift-release-dev/ocp-release".to_owned()), "{fired:?}");
    // The migration adds nothing to what the cluster already has (its own findings stay).
    assert_eq!(proposed(MIGRATE, &["--without", "icsp/release-0"]).1, Vec::<String>::new());
    // --disable turns them off like any rule.
    assert_eq!(proposed(BLOCK, &["--disable", "proposed-unpullable"]).1, Vec::<String>::new());
}

#[test]
fn two_recordings_of_the_streams_differ_by_tag() {
    let later = "fixtures/what-if/later";
    insta::assert_snapshot!(
        "streams_table",
        run_at(100, &["diff", "streams", "-n", "demo", "--from", DEMO, "--to", later])
    );
    insta::assert_snapshot!(
        "streams_yaml",
        run(&["diff", "streams", "-n", "demo", "--from", DEMO, "--to", later, "-o", "yaml"])
    );
    // The other way round, each change reads backwards; a state against itself has none.
    let (code, json, _) = output(&["diff", "streams", "-n", "demo", "--from", later, "--to", DEMO, "-o", "json"]);
    let diff: serde_json::Value = serde_json::from_str(&json).unwrap();
    let changes: Vec<&str> =
        diff["changes"].as_array().unwrap().iter().map(|c| c["change"].as_str().unwrap()).collect();
    assert_eq!((code, changes), (3, vec!["moved", "importRecovered", "removed"]));
    let (code, stdout, stderr) = output(&["diff", "streams", "-n", "demo", "--from", DEMO, "--to", DEMO]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", "0 of 2 tags differ\n"));
    // A stream in neither state is an error; in one only, its tags are added or removed.
    assert_eq!(output(&["diff", "streams", "nope", "-n", "demo", "--from", DEMO, "--to", later]).0, 1);
    assert_eq!(
        output(&["diff", "streams", "app", "-n", "demo", "--from", "fixtures/what-if/block-registry", "--to", later]).0,
        3
    );
}
