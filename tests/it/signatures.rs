//! Signature policies (issue 23, item 1): ClusterImagePolicy and ImagePolicy read offline, served
//! to kubectl, read live and recorded, as the other image kinds are.

use crate::common::{Server, output, run};

const SIGNATURES: &str = "fixtures/signatures";

#[test]
fn get_prints_ocs_columns_and_the_objects_whole() {
    // The CRDs declare no printer columns, so oc prints NAME and AGE.
    insta::assert_snapshot!(run(&["get", "clusterimagepolicy", "--from", SIGNATURES]), @r"
    exit: 0
    ----- stdout -----
    NAME          AGE
    corp-signed   7d2h
    openshift     26d
    ----- stderr -----
    ");
    insta::assert_snapshot!(run(&["get", "imagepolicies", "-A", "--from", SIGNATURES]), @r"
    exit: 0
    ----- stdout -----
    NAMESPACE   NAME           AGE
    demo        team-keyless   46h
    ----- stderr -----
    ");
    // The earlier v1alpha1 objects are the same kinds, printed back as written.
    let dir = tempfile::tempdir().unwrap();
    let alpha = dir.path().join("alpha.yaml");
    std::fs::write(
        &alpha,
        "apiVersion: config.openshift.io/v1alpha1\nkind: ClusterImagePolicy\nmetadata: {name: early}\n\
         spec: {scopes: [quay.io/x], policy: {rootOfTrust: {policyType: PublicKey, publicKey: {keyData: a2V5}}}}\n",
    )
    .unwrap();
    let (code, stdout, stderr) =
        output(&["get", "clusterimagepolicy", "early", "-o", "yaml", "--from", alpha.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("apiVersion: config.openshift.io/v1alpha1\nkind: ClusterImagePolicy\n"), "{stdout}");
}

#[test]
fn kubectl_reads_them_through_serve_and_record_keeps_them() {
    let server = Server::start_from(SIGNATURES, &[]);
    for (kind, flags) in [("clusterimagepolicies", vec![]), ("imagepolicies", vec!["-A"])] {
        let mut args = vec!["get", kind];
        args.extend(flags.iter().copied());
        let table = server.ok(&args);
        let mut offline = args.clone();
        offline.extend(["--from", SIGNATURES]);
        assert_eq!(table, output(&offline).1, "{kind}: kubectl's table is isctl's");
        args.extend(["-o", "yaml"]);
        let yaml = server.ok(&args);
        let mut offline = args.clone();
        offline.extend(["--from", SIGNATURES]);
        assert_eq!(yaml, output(&offline).1, "{kind}: -o yaml round-trips through kubectl");
    }
    let recording = tempfile::tempdir().unwrap();
    let target = recording.path().join("rec");
    let (code, stdout, stderr) = server.isctl(&["record", target.to_str().unwrap(), "-A"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("recorded 2 ClusterImagePolicy, 1 ImagePolicy, 2 ImageStream into"), "{stdout}");
    let (_, recorded, _) = output(&["get", "imagepolicies", "-A", "-o", "yaml", "--from", target.to_str().unwrap()]);
    assert_eq!(recorded, output(&["get", "imagepolicies", "-A", "-o", "yaml", "--from", SIGNATURES]).1);
}

#[test]
fn a_forbidden_list_is_a_warning() {
    // 403: the user may not read them; the answer says signature requirements are unknown.
    let forbidden = Server::start_from(SIGNATURES, &["--deny", "clusterimagepolicies"]);
    let (code, _, stderr) = forbidden.isctl(&["resolve", "-A"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("cannot read clusterimagepolicies.config.openshift.io")
            && stderr.contains("signature requirements are unknown"),
        "{stderr}"
    );
    // A cluster that holds none: not a word about them (a 404 is the same: src/source/live).
    let demo = Server::start(&[]);
    let (code, _, stderr) = demo.isctl(&["resolve", "-n", "openshift"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("imagepolicies"), "{stderr}");
}

/// Issue 23's Done-when: a reference in a PublicKey ClusterImagePolicy's scope names the policy
/// and its type for each source; one outside every scope names none.
#[test]
fn pull_plans_name_the_signature_each_source_must_carry() {
    let release = "quay.io/openshift-release-dev/ocp-release@sha256:1111111111111111111111111111111111111111111111111111111111111111";
    let (code, stdout, stderr) = output(&[
        "mirrors",
        release,
        "quay.io/other/x:1",
        "-o",
        "json",
        "--from",
        SIGNATURES,
        "--from",
        "fixtures/must-gather",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let plans = answer["items"].as_array().unwrap();
    let sources = plans[0]["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2, "the mirror and the source");
    for source in sources {
        let required = &source["signatures"][0];
        assert_eq!(required["policy"], "ClusterImagePolicy/openshift");
        assert_eq!(required["policyType"], "PublicKey");
        assert_eq!(required["matchPolicy"], "MatchRepoDigestOrExact");
        assert_eq!(required["identity"], "quay.io/openshift-release-dev/ocp-release", "the asked-for repository");
    }
    assert!(plans[1]["sources"][0].get("signatures").is_none(), "outside every scope: {}", plans[1]);
    // For people, one line under the plan.
    let (_, table, _) = output(&["mirrors", release, "--from", SIGNATURES, "--from", "fixtures/must-gather"]);
    assert!(table.contains("* signature required by ClusterImagePolicy/openshift (PublicKey), claiming"), "{table}");
}

/// Issue 23's Done-when: the rendered policy.json has a `sigstoreSigned` requirement for
/// exactly the ClusterImagePolicies' scopes (a namespaced ImagePolicy is not the node-wide
/// file's), as the operator's `TestGeneratePolicyJSON` expects.
#[test]
fn the_rendered_policy_json_requires_signatures_for_exactly_the_policies_scopes() {
    let (code, stdout, stderr) = output(&["mirrors", "--render=policy.json", "--from", SIGNATURES]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let policy: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let docker = policy["transports"]["docker"].as_object().unwrap();
    let scopes: Vec<&str> = docker.keys().map(String::as_str).collect();
    assert_eq!(
        scopes,
        ["mirror.example.com:8443/corp", "quay.io/openshift-release-dev/ocp-release", "registry.corp.example.com/apps"]
    );
    for requirements in docker.values() {
        assert_eq!(requirements[0]["type"], "sigstoreSigned");
    }
    assert_eq!(
        docker["quay.io/openshift-release-dev/ocp-release"][0]["signedIdentity"]["type"],
        "matchRepoDigestOrExact"
    );
    assert_eq!(policy["transports"]["atomic"], policy["transports"]["docker"], "no scope has three components");
    assert_eq!(policy["default"][0]["type"], "insecureAcceptAnything");
    // Plain --render still prints registries.conf.
    let (_, toml, _) = output(&["mirrors", "--render", "--from", "fixtures/must-gather"]);
    assert!(toml.starts_with("unqualified-search-registries"), "{toml}");
}

/// Issue 23's Done-when, against Debian's docker-registry on loopback: two mirrors hold the
/// same image, one with its `sha256-<hex>.sig` attachment. `resolve --verify` reports the
/// missing signature on the other, and `check --verify --fail-on error` exits 3 for it alone.
#[test]
fn verify_asks_each_mirror_for_the_signature_a_policy_requires() {
    use crate::registry::{Image, Registry};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let storage = |name: &str| {
        let path = root.join(name);
        std::fs::create_dir_all(&path).unwrap();
        path
    };
    let signed = Registry::start(root, "signed", &storage("signed"), "", "");
    let unsigned = Registry::start(root, "unsigned", &storage("unsigned"), "", "");
    let image = Image::new("signed content");
    image.push(&signed.host, "team/app", &image.digest);
    image.push(&unsigned.host, "team/app", &image.digest);
    // The same image under a tag, for a tag pull.
    image.push(&signed.host, "team/app", "v1");
    image.push(&unsigned.host, "team/app", "v1");
    // cosign's attachment: another manifest, under the tag that names the digest.
    let hex = image.digest.trim_start_matches("sha256:");
    Image::new("signature").push(&signed.host, "team/app", &format!("sha256-{hex}.sig"));
    // The source no node reaches: nothing listens on port 1 (a free port picked now could be
    // another test's server by the time it is asked).
    let down = "127.0.0.1:1".to_owned();
    let digest = &image.digest;
    let cluster = format!(
        r#"apiVersion: config.openshift.io/v1
kind: Image
metadata: {{name: cluster}}
spec: {{registrySources: {{insecureRegistries: ['{s}', '{u}', '{down}']}}}}
---
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata: {{name: mirrors}}
spec:
  imageDigestMirrors:
  - {{source: '{down}/signed', mirrors: ['{s}/team']}}
  - {{source: '{down}/unsigned', mirrors: ['{u}/team']}}
---
apiVersion: config.openshift.io/v1
kind: ImageTagMirrorSet
metadata: {{name: tags}}
spec:
  imageTagMirrors:
  - {{source: '{down}/signed', mirrors: ['{s}/team']}}
  - {{source: '{down}/unsigned', mirrors: ['{u}/team']}}
---
apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata: {{name: all-signed}}
spec:
  scopes: ['{down}']
  policy: {{rootOfTrust: {{policyType: PublicKey, publicKey: {{keyData: a2V5}}}}}}
---
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {{name: app, namespace: verify}}
status:
  tags:
  - tag: signed
    items: [{{image: '{digest}', dockerImageReference: '{down}/signed/app@{digest}', created: '2026-11-27T10:00:00Z'}}]
  - tag: unsigned
    items: [{{image: '{digest}', dockerImageReference: '{down}/unsigned/app@{digest}', created: '2026-11-27T10:00:00Z'}}]
"#,
        s = signed.host,
        u = unsigned.host
    );
    let file = root.join("cluster.yaml");
    std::fs::write(&file, cluster).unwrap();
    let from = file.to_str().unwrap();
    let (code, stdout, stderr) = output(&["resolve", "-n", "verify", "--verify", "-o", "json", "--from", from]);
    assert_eq!(code, 0, "{stderr}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let tags = answer["items"][0]["tags"].as_array().unwrap();
    let verification = |tag: usize| &tags[tag]["history"][0]["verification"];
    let first_source = |tag: usize| &verification(tag)["sources"][0];
    assert_eq!(tags[0]["name"], "signed");
    assert_eq!(first_source(0)["signature"]["result"], "present", "{}", verification(0));
    assert_eq!(verification(0)["servedBy"], format!("{}/team/app@{digest}", signed.host));
    assert_eq!(first_source(1)["result"], "present", "the image is there");
    assert_eq!(first_source(1)["signature"]["result"], "missing", "{}", verification(1));
    assert!(verification(1).get("servedBy").is_none_or(|s| s.is_null()), "{}", verification(1));
    let (code, stdout, stderr) =
        output(&["check", "-n", "verify", "--verify", "--fail-on", "error", "-o", "json", "--from", from]);
    assert_eq!(code, 3, "{stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let unverifiable: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "signature-required-unverifiable")
        .collect();
    assert_eq!(unverifiable.len(), 1, "{stdout}");
    assert_eq!(unverifiable[0]["object"], "verify/app:unsigned");
    // A tag pull: the node learns the digest from the manifest, then looks for its attachment.
    let tag_pull = |registry: &str| {
        let reference = format!("{down}/{registry}/app:v1");
        let (code, stdout, stderr) = output(&["mirrors", &reference, "--verify", "-o", "json", "--from", from]);
        assert_eq!(code, 0, "{stderr}");
        let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        answer["verification"]["sources"][0].clone()
    };
    let (by_tag_signed, by_tag_unsigned) = (tag_pull("signed"), tag_pull("unsigned"));
    assert_eq!(
        (by_tag_signed["result"].as_str(), by_tag_signed["signature"]["result"].as_str()),
        (Some("present"), Some("present")),
        "{by_tag_signed}"
    );
    assert_eq!(by_tag_unsigned["signature"]["result"], "missing", "{by_tag_unsigned}");
    // Only HEADs and GETs of manifests, and the attachment's tag among them.
    assert!(
        signed.requests().iter().any(|r| r.contains(&format!("/manifests/sha256-{hex}.sig"))),
        "{:?}",
        signed.requests()
    );
}

/// `--render=registries.d`: nodes look for signatures on the policies' scopes (the namespaced
/// ImagePolicy's `quay.io/demo-team` too) and on the mirrors a pull in them may use (here the
/// demo's ICSP mirror of the release repository).
#[test]
fn registries_d_turns_on_attachments_for_the_scopes_and_their_mirrors() {
    let (code, stdout, stderr) =
        output(&["mirrors", "--render=registries.d", "--from", SIGNATURES, "--from", "fixtures/must-gather"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "docker:\n  mirror.example.com:8443/corp:\n    use-sigstore-attachments: true\n  \
         mirror.example.com:8443/ocp4/openshift4:\n    use-sigstore-attachments: true\n  \
         quay.io/demo-team:\n    use-sigstore-attachments: true\n  \
         quay.io/openshift-release-dev/ocp-release:\n    use-sigstore-attachments: true\n  \
         registry.corp.example.com/apps:\n    use-sigstore-attachments: true\n"
    );
    let (code, stdout, stderr) = output(&["mirrors", "--render=registries.d", "--from", "fixtures/must-gather"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert!(stderr.contains("writes no registries.d file"), "{stderr}");
}

/// `diff mirrors --proposed`: adding the 4.21 default policy changes no source, yet every pull
/// of the release repository now needs a signature beside it.
#[test]
fn a_proposed_policy_shows_the_pulls_that_now_need_a_signature() {
    let (code, stdout, stderr) =
        output(&["diff", "mirrors", "-A", "-o", "json", "--from", "fixtures/must-gather", "--proposed", SIGNATURES]);
    assert_eq!(code, 3, "changes exit 3: {stderr}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let changes: Vec<String> = answer["changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["changes"].as_array().unwrap().iter().map(|k| k.as_str().unwrap().to_owned()))
        .collect();
    assert!(!changes.is_empty() && changes.iter().all(|c| c == "signatureRequired"), "{changes:?}");
}

/// An ImagePolicy applies to the pulls of its own namespace's Pods only (CRI-O's
/// `/etc/crio/policies/NAMESPACE.json`, machine-config-operator `updateNamespacedPolicyJSONs`):
/// `demo/signed-app` needs team-keyless's signature, `prod/signed-app` (the same image) none,
/// offline and live through serve alike.
#[test]
fn a_namespaced_policy_covers_its_namespace_pulls_only() {
    let required = |stdout: &str, namespace: &str| -> serde_json::Value {
        let answer: serde_json::Value = serde_json::from_str(stdout).unwrap();
        let stream = answer["items"].as_array().unwrap().iter().find(|s| s["metadata"]["namespace"] == namespace);
        stream.unwrap()["tags"][0]["history"][0]["pullSources"][0]["signatures"].clone()
    };
    let (code, stdout, _) = output(&["resolve", "-A", "-o", "json", "--from", SIGNATURES]);
    assert_eq!(code, 0);
    let demo = required(&stdout, "demo");
    assert_eq!(demo[0]["policy"], "ImagePolicy/demo/team-keyless");
    assert_eq!(
        (demo[0]["policyType"].as_str(), demo[0]["identity"].as_str()),
        (Some("FulcioCAWithRekor"), Some("quay.io/demo-team/app"))
    );
    assert!(required(&stdout, "prod").is_null(), "prod's Pods read the cluster policy.json");
    let server = Server::start_from(SIGNATURES, &[]);
    let (code, live, stderr) = server.isctl(&["resolve", "-A", "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!((required(&live, "demo"), required(&live, "prod")), (demo, serde_json::Value::Null));

    // mirrors: without -n, the cluster's file decides and a note says which namespace differs.
    let reference = "quay.io/demo-team/app@sha256:4444444444444444444444444444444444444444444444444444444444444444";
    let (code, table, stderr) = output(&["mirrors", reference, "--from", SIGNATURES]);
    assert_eq!(code, 0);
    assert!(!table.contains("signature required"), "{table}");
    assert!(
        stderr.contains("note: Pods of namespace demo need other signatures (an ImagePolicy): add -n demo"),
        "{stderr}"
    );
    let (_, table, stderr) = output(&["mirrors", reference, "-n", "demo", "--from", SIGNATURES]);
    assert!(table.contains("* signature required by ImagePolicy/demo/team-keyless (FulcioCAWithRekor)"), "{table}");
    assert!(!stderr.contains("note: Pods of"), "{stderr}");

    // The namespace's policy file: the cluster's scopes and its own.
    let (code, namespaced, stderr) = output(&["mirrors", "--render=policy.json", "-n", "demo", "--from", SIGNATURES]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let namespaced: serde_json::Value = serde_json::from_str(&namespaced).unwrap();
    let scopes: Vec<&String> = namespaced["transports"]["docker"].as_object().unwrap().keys().collect();
    assert_eq!(
        scopes,
        [
            "mirror.example.com:8443/corp",
            "quay.io/demo-team",
            "quay.io/openshift-release-dev/ocp-release",
            "registry.corp.example.com/apps"
        ]
    );
    assert_eq!(namespaced["transports"]["docker"]["quay.io/demo-team"][0]["signedIdentity"]["type"], "matchRepository");
    let (code, prod, stderr) = output(&["mirrors", "--render=policy.json", "-n", "prod", "--from", SIGNATURES]);
    assert_eq!(code, 0);
    assert_eq!(prod, output(&["mirrors", "--render=policy.json", "--from", SIGNATURES]).1, "no file of its own");
    assert!(stderr.contains("namespace prod has no ImagePolicy the operator keeps"), "{stderr}");
    let (code, _, stderr) = output(&["mirrors", "--render=registries.d", "-n", "demo", "--from", SIGNATURES]);
    assert_eq!(
        (code, stderr.trim_end()),
        (2, "error: -n applies to plans and to --render=policy.json: other files are the same for every namespace")
    );

    // A proposed ImagePolicy changes demo's pull, not prod's.
    let current = tempfile::tempdir().unwrap();
    for ns in ["demo", "prod"] {
        let path = format!("{SIGNATURES}/namespaces/{ns}/image.openshift.io/imagestreams.yaml");
        std::fs::copy(&path, current.path().join(format!("{ns}.yaml"))).unwrap();
    }
    let (code, diff, stderr) = output(&[
        "diff",
        "mirrors",
        "-A",
        "-o",
        "json",
        "--from",
        current.path().to_str().unwrap(),
        "--proposed",
        &format!("{SIGNATURES}/namespaces/demo/config.openshift.io/imagepolicies.yaml"),
    ]);
    assert_eq!(code, 3, "{stderr}");
    let diff: serde_json::Value = serde_json::from_str(&diff).unwrap();
    let changes = diff["changes"].as_array().unwrap();
    // demo's digest pull only: an import verifies no signature.
    assert_eq!(changes.len(), 1, "{diff}");
    assert_eq!(changes[0]["usedBy"], serde_json::json!(["demo/signed-app:1.0"]));
    for change in changes {
        assert_eq!(change["changes"], serde_json::json!(["signatureRequired"]));
        assert!(
            change["usedBy"].as_array().unwrap().iter().all(|u| u.as_str().unwrap().starts_with("demo/")),
            "{change}"
        );
    }
}

/// A proposed policy the operator would refuse beside the image config's blocked registries
/// (`validateImagePolicyWithAllowedBlockedRegistries`) is a refusal of the whole proposal, as
/// a mirror conflict is: `diff mirrors` says so and `check --proposed` fails on it.
#[test]
fn a_proposed_policy_the_operator_refuses_is_reported_as_refused() {
    let proposal = tempfile::tempdir().unwrap();
    std::fs::write(
        proposal.path().join("cip.yaml"),
        "apiVersion: config.openshift.io/v1\nkind: ClusterImagePolicy\nmetadata: {name: hub}\nspec:\n  \
         scopes: [docker.io/library]\n  policy: {rootOfTrust: {policyType: PublicKey, publicKey: {keyData: a2V5}}}\n---\n\
         apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {name: cluster}\nspec:\n  \
         registrySources: {blockedRegistries: [docker.io]}\n",
    )
    .unwrap();
    let proposed = proposal.path().to_str().unwrap();
    let (code, _, stderr) =
        output(&["diff", "mirrors", "-A", "--from", "fixtures/must-gather", "--proposed", proposed]);
    assert_eq!(code, 3);
    assert!(
        stderr.contains("refused: ClusterImagePolicy/hub: the scope docker.io/library is nested inside blockedRegistries (docker.io)"),
        "{stderr}"
    );
    let (code, report, _) = output(&["check", "-A", "--from", "fixtures/must-gather", "--proposed", proposed]);
    assert_eq!(code, 3);
    assert!(report.lines().any(|l| l.contains("proposed-refused") && l.contains("ClusterImagePolicy/hub")), "{report}");
}

/// A user with a Role in `demo` but no ClusterRole may not list ImagePolicies across all
/// namespaces (kubectl gets the same 403 from serve): `resolve -n demo` and `mirrors -n demo`
/// then read demo's own, the only ones its Pods' pulls obey, and warn that other namespaces'
/// refusals are unseen; `-A` says signature requirements are unknown.
#[test]
fn a_user_of_one_namespace_still_gets_its_image_policies() {
    let server = Server::start_from(SIGNATURES, &["--deny-all-namespaces", "imagepolicies"]);
    let (code, _, stderr) = server.kubectl(&["get", "imagepolicies", "-A"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "cannot list resource \"imagepolicies\" in API group \"config.openshift.io\" at the cluster scope"
        ),
        "{stderr}"
    );
    assert!(server.ok(&["get", "imagepolicies", "-n", "demo"]).contains("team-keyless"));
    let (code, stdout, stderr) = server.isctl(&["resolve", "-n", "demo", "-o", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let partial = "warning: imagepolicies across namespaces are forbidden: read \"demo\"'s only;";
    assert!(stderr.contains(partial) && !stderr.contains("signature requirements are unknown"), "{stderr}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let required = &answer["items"][0]["tags"][0]["history"][0]["pullSources"][0]["signatures"][0];
    assert_eq!(required["policy"], "ImagePolicy/demo/team-keyless", "{answer}");
    let reference = "quay.io/demo-team/app@sha256:4444444444444444444444444444444444444444444444444444444444444444";
    let (code, table, stderr) = server.isctl(&["mirrors", reference, "-n", "demo"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(table.contains("signature required by ImagePolicy/demo/team-keyless"), "{table}");
    assert!(stderr.contains(partial), "{stderr}");
    let (code, _, stderr) = server.isctl(&["resolve", "-A"]);
    assert_eq!(code, 0);
    assert!(stderr.contains("cannot read imagepolicies.config.openshift.io"), "{stderr}");
}

/// `image-policy-scope-ignored` speaks of the namespaces checked: another namespace's ignored
/// ImagePolicy scope is not `check -n`'s finding, and `check -A` reports it.
#[test]
fn an_ignored_image_policy_scope_is_its_own_namespaces_finding() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cluster.yaml");
    let key = "{rootOfTrust: {policyType: PublicKey, publicKey: {keyData: a2V5}}}";
    let stream = |ns: &str| {
        format!(
            "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {{name: app, namespace: {ns}}}\n\
             status:\n  tags:\n  - tag: v1\n    items: [{{image: 'sha256:{d}', dockerImageReference: 'quay.io/x/app@sha256:{d}', created: '2026-11-27T10:00:00Z'}}]\n",
            d = "5".repeat(64)
        )
    };
    std::fs::write(
        &file,
        format!(
            "apiVersion: config.openshift.io/v1\nkind: ClusterImagePolicy\nmetadata: {{name: quay}}\nspec: {{scopes: [quay.io], policy: {key}}}\n---\n\
             apiVersion: config.openshift.io/v1\nkind: ImagePolicy\nmetadata: {{name: mine, namespace: b}}\nspec: {{scopes: [quay.io/x], policy: {key}}}\n---\n{}---\n{}",
            stream("a"),
            stream("b")
        ),
    )
    .unwrap();
    let from = file.to_str().unwrap();
    let rules = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "-o", "json", "--from", from];
        all.extend(args);
        let (_, stdout, stderr) = output(&all);
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
        report["findings"].as_array().unwrap().iter().map(|f| format!("{} {}", f["rule"], f["object"])).collect()
    };
    let ignored = r#""image-policy-scope-ignored" "ImagePolicy/b/mine""#;
    assert!(!rules(&["-n", "a"]).iter().any(|f| f == ignored), "{:?}", rules(&["-n", "a"]));
    assert!(rules(&["-n", "b"]).iter().any(|f| f == ignored), "{:?}", rules(&["-n", "b"]));
    assert!(rules(&["-A"]).iter().any(|f| f == ignored), "{:?}", rules(&["-A"]));
}
