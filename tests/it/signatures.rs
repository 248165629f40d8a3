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
    assert!(stdout.starts_with("recorded 2 ClusterImagePolicy, 1 ImagePolicy into"), "{stdout}");
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
