//! `isctl describe`: one stream or tag for a person, on the demo cluster.

use crate::common::{DEMO, run};

#[test]
fn a_failed_import() {
    insta::assert_snapshot!(run(&["describe", "istag", "tools:nightly", "-n", "openshift", "--from", DEMO]));
}

#[test]
fn a_local_tag_with_mirrors_and_both_hops() {
    insta::assert_snapshot!(run(&["describe", "istag", "cli:latest", "-n", "openshift", "--from", DEMO]));
}

#[test]
fn an_alias() {
    insta::assert_snapshot!(run(&["describe", "istag", "cli:stable", "-n", "openshift", "--from", DEMO]));
}

#[test]
fn a_manifest_list() {
    insta::assert_snapshot!(run(&["describe", "istag", "must-gather:latest", "-n", "openshift", "--from", DEMO]));
}

#[test]
fn a_whole_stream_gives_every_tag_its_own_section() {
    let text = run(&["describe", "is", "cli", "-n", "openshift", "--from", DEMO]);
    assert!(text.contains("\nlatest\n  tagged from "), "{text}");
    assert!(text.contains("\n  followed by stable\n"), "{text}");
    // The alias has a policy of its own (Source, unlike latest's Local): it must say so.
    assert!(text.contains("\nstable\n  follows latest of this stream\n  reference policy Source"), "{text}");
    assert!(text.contains("\n4.16\n"), "{text}");
}

#[test]
fn a_blocked_source_says_why() {
    let text = run(&["describe", "is", "app", "-n", "demo", "--from", DEMO]);
    assert!(
        text.contains(
            "the source; blocked by images.config.openshift.io/cluster (blockedRegistries): nodes never contact it"
        ),
        "{text}"
    );
    assert!(text.contains("! policy.json rejects it: docker.io is in blockedRegistries"), "{text}");
}
