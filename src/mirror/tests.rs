//! The worked examples A-H of docs/semantics.md §3-§5, each with its exact ordered list, and the
//! invariants every plan keeps.

use super::config::RegistriesConfig;
use super::plan::{PullType, Resolver, SourceKind};
use crate::catalog::Catalog;

const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn catalog(yaml: &str) -> Catalog {
    Catalog::from_yaml(yaml)
}

fn resolver(yaml: &str) -> Resolver {
    Resolver::new(RegistriesConfig::from_catalog(&catalog(yaml)))
}

fn icsp(name: &str, source: &str, mirrors: &[&str]) -> String {
    format!(
        "---\napiVersion: operator.openshift.io/v1alpha1\nkind: ImageContentSourcePolicy\nmetadata:\n  name: {name}\nspec:\n  repositoryDigestMirrors:\n  - source: \"{source}\"\n    mirrors: [{}]\n",
        mirrors.join(", ")
    )
}

fn mirror_set(kind: &str, name: &str, source: &str, mirrors: &[&str], never: bool) -> String {
    let list = if kind == "ImageDigestMirrorSet" { "imageDigestMirrors" } else { "imageTagMirrors" };
    let policy = if never { "\n    mirrorSourcePolicy: NeverContactSource" } else { "" };
    format!(
        "---\napiVersion: config.openshift.io/v1\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n  {list}:\n  - source: \"{source}\"\n    mirrors: [{}]{policy}\n",
        mirrors.join(", ")
    )
}

fn idms(name: &str, source: &str, mirrors: &[&str]) -> String {
    mirror_set("ImageDigestMirrorSet", name, source, mirrors, false)
}

fn image_config(blocked: &[&str], insecure: &[&str]) -> String {
    format!(
        "---\napiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n    blockedRegistries: [{}]\n    insecureRegistries: [{}]\n",
        blocked.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", "),
        insecure.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
    )
}

/// The ordered sources as `reference` strings, with ` (blocked)` / ` (insecure)` marks.
fn order(resolver: &Resolver, reference: &str) -> Vec<String> {
    let plan = resolver.plan(reference);
    assert!(plan.errors.is_empty(), "{reference}: {:?}", plan.errors);
    plan.sources
        .iter()
        .map(|s| {
            let mut text = s.reference.clone();
            if s.blocked {
                text.push_str(" (blocked)");
            }
            if s.insecure {
                text.push_str(" (insecure)");
            }
            text
        })
        .collect()
}

fn at(reference: &str) -> String {
    format!("{reference}@{D}")
}

#[test]
fn example_a_icsp_and_two_idms_with_nested_sources() {
    let r = resolver(
        &[
            icsp(
                "icsp",
                "quay.io/openshift-release-dev/ocp-release",
                &["mirror-a.local/ocp/release", "mirror-b.local/ocp/release"],
            ),
            idms(
                "one",
                "quay.io/openshift-release-dev/ocp-release",
                &["mirror-b.local/ocp/release", "mirror-c.local/ocp/release"],
            ),
            idms("two", "quay.io/openshift-release-dev", &["mirror-z.local/dev"]),
        ]
        .concat(),
    );
    assert_eq!(
        order(&r, &at("quay.io/openshift-release-dev/ocp-release")),
        [
            at("mirror-a.local/ocp/release"),
            at("mirror-b.local/ocp/release"),
            at("mirror-c.local/ocp/release"),
            at("quay.io/openshift-release-dev/ocp-release")
        ]
    );
    assert_eq!(
        order(&r, "quay.io/openshift-release-dev/ocp-release:4.16.0-x86_64"),
        ["quay.io/openshift-release-dev/ocp-release:4.16.0-x86_64"]
    );
    assert_eq!(
        order(&r, &at("quay.io/openshift-release-dev/ocp-v4.0-art-dev")),
        [at("mirror-z.local/dev/ocp-v4.0-art-dev"), at("quay.io/openshift-release-dev/ocp-v4.0-art-dev")]
    );
    assert_eq!(
        order(&r, &at("quay.io/openshift-release-dev/ocp-release-nightly")),
        [at("mirror-z.local/dev/ocp-release-nightly"), at("quay.io/openshift-release-dev/ocp-release-nightly")]
    );
    assert_eq!(order(&r, &at("quay.io/other/thing")), [at("quay.io/other/thing")]);
    assert_eq!(r.plan(&at("quay.io/other/thing")).scope, None);
}

#[test]
fn example_b_unrelated_lists_for_one_source() {
    let r = resolver(
        &[
            idms("x", "registry.example.com/team", &["z-first.local/team", "b-second.local/team"]),
            idms("y", "registry.example.com/team", &["a-other.local/team"]),
        ]
        .concat(),
    );
    assert_eq!(
        order(&r, &at("registry.example.com/team/app")),
        [
            at("a-other.local/team/app"),
            at("z-first.local/team/app"),
            at("b-second.local/team/app"),
            at("registry.example.com/team/app")
        ]
    );
}

#[test]
fn example_c_never_contact_source_with_digest_and_tag_mirrors() {
    let r = resolver(
        &[
            mirror_set("ImageDigestMirrorSet", "d", "registry.redhat.io/ubi9", &["mirror.local/ubi9"], true),
            mirror_set("ImageTagMirrorSet", "t", "registry.redhat.io/ubi9", &["tagmirror.local/ubi9"], true),
        ]
        .concat(),
    );
    assert_eq!(r.config().registries.len(), 1);
    assert_eq!(
        order(&r, &at("registry.redhat.io/ubi9/ubi")),
        [at("mirror.local/ubi9/ubi"), format!("{} (blocked)", at("registry.redhat.io/ubi9/ubi"))]
    );
    assert_eq!(
        order(&r, "registry.redhat.io/ubi9/ubi:latest"),
        ["tagmirror.local/ubi9/ubi:latest", "registry.redhat.io/ubi9/ubi:latest (blocked)"]
    );
    assert!(r.config().conflicts.is_empty());
}

#[test]
fn example_d_wildcard_source() {
    let r = resolver(&idms("w", "*.example.com", &["mirror.local/example"]));
    assert_eq!(
        order(&r, &at("foo.example.com/team/app")),
        [at("mirror.local/example/team/app"), at("foo.example.com/team/app")]
    );
    assert_eq!(order(&r, &at("a.b.example.com/app")), [at("mirror.local/example/app"), at("a.b.example.com/app")]);
    assert_eq!(order(&r, &at("example.com/team/app")), [at("example.com/team/app")]);
    assert_eq!(order(&r, &at("fooexample.com/app")), [at("fooexample.com/app")]);
    let broken = r.plan(&at("foo.example.com:5000/app"));
    assert_eq!(broken.errors.len(), 1, "{:?}", broken.errors);
    assert!(broken.errors[0].contains("mirror.local/example:5000/app"), "{:?}", broken.errors);
}

#[test]
fn example_e_blocked_registry_and_nested_insecure_scope() {
    let r = resolver(
        &[
            image_config(&["docker.io"], &["quay.io/foo/insecure"]),
            idms("hub", "docker.io/library", &["mirror.local/dockerhub"]),
            idms("quay", "quay.io", &["m1.local/quay"]),
            icsp("bar", "quay.io/foo/bar", &["m2.local/bar"]),
        ]
        .concat(),
    );
    assert_eq!(
        order(&r, &format!("busybox@{D}")),
        [at("mirror.local/dockerhub/busybox"), format!("{} (blocked)", at("docker.io/library/busybox"))]
    );
    assert_eq!(order(&r, &at("docker.io/bitnami/redis")), [format!("{} (blocked)", at("docker.io/bitnami/redis"))]);
    assert_eq!(order(&r, &at("quay.io/foo/bar")), [at("m2.local/bar"), at("quay.io/foo/bar")]);
    assert_eq!(
        order(&r, &at("quay.io/foo/insecure/x")),
        [at("m1.local/quay/foo/insecure/x"), format!("{} (insecure)", at("quay.io/foo/insecure/x"))]
    );
    assert_eq!(order(&r, &at("quay.io/foo/baz")), [at("m1.local/quay/foo/baz"), at("quay.io/foo/baz")]);
    let verdict = r.plan(&format!("busybox@{D}")).policy;
    assert!(!verdict.allowed, "docker.io is in blockedRegistries");
}

#[test]
fn example_f_source_listed_among_its_own_mirrors() {
    let r = resolver(&idms("f", "reg.example.com/a", &["m1.local/a", "reg.example.com/a", "m2.local/a"]));
    assert_eq!(
        order(&r, &at("reg.example.com/a/img")),
        [at("m1.local/a/img"), at("reg.example.com/a/img"), at("m2.local/a/img"), at("reg.example.com/a/img")]
    );
}

#[test]
fn example_g_port_quirk_breaks_digest_pulls() {
    let r = resolver(&idms("g", "registry.example.com", &["mirror.local/r"]));
    let plan = r.plan(&at("registry.example.com:5000/app"));
    assert_eq!(plan.scope.as_deref(), Some("registry.example.com"));
    assert!(plan.errors.iter().any(|e| e.contains("mirror.local/r:5000/app")), "{:?}", plan.errors);
}

#[test]
fn example_h_wildcard_ties_with_an_equally_long_host() {
    let r = resolver(
        &[
            idms("w", "*.example.com", &["wild.local/x"]),
            idms("a", "a.example.com", &["a.local/x"]),
            idms("ab", "ab.example.com", &["ab.local/x"]),
        ]
        .concat(),
    );
    assert_eq!(order(&r, &at("a.example.com/x")), [at("wild.local/x/x"), at("a.example.com/x")]);
    assert_eq!(order(&r, &at("ab.example.com/x")), [at("ab.local/x/x"), at("ab.example.com/x")]);
}

#[test]
fn operator_refusals_are_reported_as_conflicts() {
    let r = resolver(
        &[
            mirror_set("ImageDigestMirrorSet", "never", "quay.io/a", &["m.local/a"], true),
            mirror_set("ImageTagMirrorSet", "allow", "quay.io/a", &["t.local/a"], false),
            mirror_set("ImageDigestMirrorSet", "self", "quay.io/b", &["quay.io/b", "m.local/b"], true),
            idms("bad", "quay.io/Upper", &["m.local/c"]),
        ]
        .concat(),
    );
    let messages: Vec<&str> = r.config().conflicts.iter().map(|c| c.message.as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("conflicting mirrorSourcePolicy")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("listed among its own mirrors")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("invalid source")), "{messages:?}");
    assert_eq!(r.plan(&at("quay.io/zzz")).conflicts.len(), r.config().conflicts.len());
}

/// A small deterministic generator, so the invariant tests cover many shapes without a crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

#[test]
fn invariants_hold_for_generated_rule_sets() {
    let sources = ["quay.io", "quay.io/ns", "quay.io/ns/app", "reg.example.com", "*.example.com", "docker.io/library"];
    let mirrors = ["m1.local/a", "m2.local/b", "m3.local/c", "m4.local:8443/d"];
    let refs =
        ["quay.io/ns/app", "quay.io/ns/app/x", "quay.io/other", "a.example.com/x/y", "reg.example.com/p", "busybox"];
    let mut rng = Lcg(7);
    for round in 0..200 {
        let mut documents = Vec::new();
        for i in 0..(1 + rng.next(5)) {
            let source = sources[rng.next(sources.len())];
            let chosen: Vec<&str> = (0..(1 + rng.next(3))).map(|_| mirrors[rng.next(mirrors.len())]).collect();
            let mut unique = chosen.clone();
            unique.dedup();
            let kind = ["ImageDigestMirrorSet", "ImageTagMirrorSet"][rng.next(2)];
            documents.push(mirror_set(kind, &format!("set-{i}"), source, &unique, false));
            if rng.next(3) == 0 {
                documents.push(icsp(&format!("icsp-{i}"), source, &unique));
            }
        }
        let forward = resolver(&documents.concat());
        documents.reverse();
        let backward = resolver(&documents.concat());
        for reference in refs {
            for input in [at(reference), format!("{reference}:v1")] {
                let plan = forward.plan(&input);
                // The result does not depend on the order of objects.
                assert_eq!(plan, backward.plan(&input), "round {round}: {input}");
                // The source is always last, and only last.
                let last = plan.sources.last().expect("at least the source");
                assert_eq!(last.kind, SourceKind::Source, "round {round}: {input}");
                assert_eq!(plan.sources.iter().filter(|s| s.kind == SourceKind::Source).count(), 1);
                // A digest pull never uses tag-only mirrors and a tag pull never digest-only ones.
                let scope = plan.scope.clone();
                if let Some(entry) = scope.and_then(|s| forward.config().registries.iter().find(|e| e.scope() == s)) {
                    let wanted = match plan.pull_type {
                        Some(PullType::Digest) => super::config::PullFrom::DigestOnly,
                        _ => super::config::PullFrom::TagOnly,
                    };
                    let usable = entry.mirrors.iter().filter(|m| m.pull_from == wanted).count();
                    assert_eq!(plan.sources.len(), usable + 1, "round {round}: {input}");
                }
            }
        }
    }
}

#[test]
fn the_index_answers_like_a_full_scan() {
    let r = resolver(
        &[
            idms("w", "*.example.com", &["wild.local/x"]),
            idms("a", "a.example.com", &["a.local/x"]),
            idms("q", "quay.io", &["q.local/q"]),
            idms("qn", "quay.io/ns", &["q.local/ns"]),
            idms("qna", "quay.io/ns/app", &["q.local/app"]),
            idms("p", "registry.example.com", &["p.local/r"]),
            image_config(&["*.blocked.example.com", "docker.io"], &["insecure.example.com:5000"]),
        ]
        .concat(),
    );
    for name in [
        "quay.io/ns/app",
        "quay.io/ns/app-nightly",
        "quay.io/ns/app/sub",
        "quay.io/other",
        "a.example.com/x",
        "b.a.example.com/x",
        "x.blocked.example.com/y",
        "registry.example.com:5000/app",
        "insecure.example.com:5000/z",
        "docker.io/library/busybox",
        "example.com/x",
        "nothing.test/x",
    ] {
        let indexed = r.find(name).map(|(e, covered)| (e.scope().to_owned(), covered));
        let scanned = r.find_by_scan(name).map(|(e, covered)| (e.scope().to_owned(), covered));
        assert_eq!(indexed, scanned, "{name}");
    }
}

#[test]
fn rewrites_must_be_canonical() {
    // Review finding: containers/image parses rewrites with ParseNamed, which refuses references
    // that only become valid after normalisation.
    let r = resolver(&idms("n", "quay.io/ns", &["docker.io", "mirrorhost/ns"]));
    let plan = r.plan(&at("quay.io/ns/app"));
    assert_eq!(plan.errors.len(), 2, "{:?}", plan.errors);
    assert!(plan.errors.iter().all(|e| e.contains("not a canonical reference")), "{:?}", plan.errors);
}

#[test]
fn entries_without_mirrors_still_count_for_policy_conflicts() {
    // Review finding: MCO validates every entry, also one the renderer ignores.
    let r = resolver(
        &[mirror_set("ImageDigestMirrorSet", "k1", "quay.io/ns", &[], true), idms("k2", "quay.io/ns", &["m.local/ns"])]
            .concat(),
    );
    assert!(r.config().conflicts.iter().any(|c| c.message.contains("conflicting mirrorSourcePolicy")));
}

#[test]
fn name_only_references_are_pulled_as_latest() {
    let r = resolver(&mirror_set("ImageTagMirrorSet", "t", "quay.io/ns", &["m.local/ns"], false));
    assert_eq!(order(&r, "quay.io/ns/app"), ["m.local/ns/app:latest", "quay.io/ns/app:latest"]);
}

/// Issue 16 item 14: MCO refuses an image config whose insecure, blocked or allowed registries
/// hold a scope runtime-utils' IsValidRegistriesConfScope rejects, in its own words.
#[test]
fn invalid_image_config_scopes_are_refusals() {
    let config = RegistriesConfig::from_catalog(&catalog(&image_config(
        &["*.example.com/foo/bar", "quay.io"],
        &["**.example.com", "example.*.com", "*example.com", ""],
    )));
    let messages: Vec<&str> = config.conflicts.iter().map(|c| c.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "invalid entry for insecure registries \"\"",
            "invalid entry for insecure registries \"**.example.com\"",
            "invalid entry for blocked registries \"*.example.com/foo/bar\"",
            "invalid entry for insecure registries \"*example.com\"",
            "invalid entry for insecure registries \"example.*.com\"",
        ]
    );
    assert!(config.conflicts.iter().all(|c| c.objects[0].to_string() == "Image/cluster"));
    assert!(
        RegistriesConfig::from_catalog(&catalog(&image_config(&["*.example.com"], &["quay.io:5000/x"])))
            .conflicts
            .is_empty()
    );
}
