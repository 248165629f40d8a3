//! `isctl serve` checked by the real kubectl: discovery, tables, YAML/JSON, paging, errors,
//! RBAC denial and tokens. kubectl is required: these tests fail, not skip, without it.

use crate::common::{DEMO, Server, output};

#[test]
fn kubectl_tables_show_ocs_columns() {
    let server = Server::start(&[]);
    insta::assert_snapshot!("kubectl_get_is", server.ok(&["get", "is", "-n", "openshift"]));
    insta::assert_snapshot!("kubectl_get_istag_all", server.ok(&["get", "istag", "-A"]));
    insta::assert_snapshot!("kubectl_get_icsp", server.ok(&["get", "imagecontentsourcepolicy"]));
    let images = server.ok(&["get", "images"]);
    assert!(images.starts_with("NAME") && images.contains("IMAGE REFERENCE"), "{images}");
    assert_eq!(images.lines().count(), 13, "12 Images and a header:\n{images}");
}

#[test]
fn kubectl_json_equals_isctl_get_json() {
    let server = Server::start(&[]);
    for args in [
        vec!["get", "is", "-n", "openshift", "-o", "json"],
        vec!["get", "is", "cli", "-n", "openshift", "-o", "json"],
        vec!["get", "istag", "-A", "-o", "json"],
        vec!["get", "images", "-o", "json"],
        vec!["get", "imagecontentsourcepolicies", "-o", "json"],
        vec!["get", "idms", "-o", "json"],
        vec!["get", "itms", "-o", "json"],
    ] {
        let through_server = server.ok(&args);
        let mut offline_args = args.clone();
        offline_args.extend(["--from", DEMO]);
        let (code, offline, stderr) = output(&offline_args);
        assert_eq!(code, 0, "{stderr}");
        let a: serde_json::Value = serde_json::from_str(&through_server).unwrap();
        let b: serde_json::Value = serde_json::from_str(&offline).unwrap();
        assert_eq!(a, b, "kubectl {args:?} differs from isctl --from");
        assert_eq!(through_server, offline, "same bytes for {args:?}");
    }
}

#[test]
fn kubectl_yaml_and_paging() {
    let server = Server::start(&[]);
    let yaml = server.ok(&["get", "is", "tools", "-n", "openshift", "-o", "yaml"]);
    assert!(yaml.contains("name: tools") && yaml.contains("reason: InternalError"), "{yaml}");
    let whole = server.ok(&["get", "images", "-o", "name"]);
    let paged = server.ok(&["get", "images", "-o", "name", "--chunk-size", "5"]);
    assert_eq!(whole, paged);
    assert_eq!(paged.lines().count(), 12);
    let (_, _, log) = server.kubectl(&["get", "images", "-o", "name", "--chunk-size", "5", "-v", "6"]);
    assert!(log.contains("limit=5") && log.contains("continue="), "kubectl paged: {log}");
}

#[test]
fn kubectl_errors() {
    let server = Server::start(&["--deny", "images"]);
    let (code, _, stderr) = server.kubectl(&["get", "is", "nope", "-n", "openshift"]);
    assert_eq!(
        (code, stderr.trim()),
        (1, "Error from server (NotFound): imagestreams.image.openshift.io \"nope\" not found")
    );
    let (code, _, stderr) = server.kubectl(&["get", "images"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr.trim(),
        "Error from server (Forbidden): images.image.openshift.io is forbidden: User \"developer\" cannot list resource \"images\" in API group \"image.openshift.io\" at the cluster scope"
    );
    let (code, _, stderr) = server.kubectl(&["delete", "is", "cli", "-n", "openshift"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("MethodNotAllowed"), "{stderr}");
    // Streams are still served to the "project user".
    assert!(server.ok(&["get", "is", "-n", "openshift", "-o", "name"]).contains("imagestream.image.openshift.io/cli"));
}

/// A raw HTTP GET on loopback: (status line, body).
fn raw_get(url: &str, path: &str, token: Option<&str>) -> (String, String) {
    use std::io::{Read, Write};
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\n{auth}Connection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_owned(), body.to_owned())
}

#[test]
fn a_required_token_is_enforced() {
    let server = Server::start(&["--token", "s3cret"]);
    let kubeconfig = std::fs::read_to_string(&server.kubeconfig).unwrap();
    assert!(kubeconfig.contains("token: \"s3cret\""), "{kubeconfig}");
    let url = kubeconfig.lines().find_map(|l| l.trim().strip_prefix("server: ")).unwrap().to_owned();
    let (status, body) =
        raw_get(&url, "/apis/image.openshift.io/v1/namespaces/openshift/imagestreams/cli", Some("s3cret"));
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("\"name\":\"cli\""));
    let (status, body) = raw_get(&url, "/apis/image.openshift.io/v1/imagestreams", Some("wrong"));
    assert!(status.contains("401"), "{status}");
    assert!(body.contains("\"reason\":\"Unauthorized\""), "{body}");
    // kubectl never sends a token over plain HTTP, so to it the server always says 401.
    let (code, _, stderr) = server.kubectl(&["get", "is", "-A"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error: You must be logged in to the server"), "{stderr}");
}

#[test]
fn refuses_non_loopback_addresses() {
    let (code, _, stderr) = output(&["serve", "--from", DEMO, "--address", "0.0.0.0:0"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a loopback address"), "{stderr}");
}

/// The objects of one or more concatenated JSON documents, Lists flattened.
fn json_items(text: &str) -> Vec<serde_json::Value> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<serde_json::Value>()
        .flat_map(|doc| {
            let doc = doc.unwrap();
            match doc.get("kind").and_then(|k| k.as_str()) {
                Some("List") => doc["items"].as_array().unwrap().clone(),
                _ => vec![doc],
            }
        })
        .collect()
}

#[test]
fn isctl_yaml_reads_back_through_kubectl_unchanged() {
    // kubectl parses YAML with go-yaml: "yes", "0755", timestamps and digests must stay strings.
    let server = Server::start(&[]);
    for kind in ["is", "images", "istag", "icsp", "idms", "itms", "images.config.openshift.io"] {
        let (_, yaml, _) = output(&["get", kind, "-A", "-o", "yaml", "--from", DEMO]);
        let (_, json, _) = output(&["get", kind, "-A", "-o", "json", "--from", DEMO]);
        let file = server.dir.path().join(format!("{kind}.yaml"));
        std::fs::write(&file, yaml).unwrap();
        let read_back =
            server.ok(&["create", "--dry-run=client", "--validate=false", "-o", "json", "-f", file.to_str().unwrap()]);
        assert_eq!(json_items(&read_back), json_items(&json), "{kind}");
    }
}

#[test]
fn kubectl_sends_tokens_over_tls() {
    let server = Server::start(&[
        "--token",
        "s3cret",
        "--tls-cert",
        "fixtures/tls/server.pem",
        "--tls-key",
        "fixtures/tls/server-key.pem",
        "--tls-ca",
        "fixtures/tls/ca.pem",
    ]);
    let kubeconfig = std::fs::read_to_string(&server.kubeconfig).unwrap();
    assert!(kubeconfig.contains("server: https://127.0.0.1:") && kubeconfig.contains("certificate-authority-data: "));
    assert!(server.ok(&["get", "is", "-n", "openshift", "-o", "name"]).contains("imagestream.image.openshift.io/cli"));
    let (code, _, stderr) = server.kubectl(&["get", "is", "-n", "openshift", "--token", "wrong"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error: You must be logged in to the server (Unauthorized)"), "{stderr}");
    // isctl's own live mode verifies the same CA and sends the token too.
    let (code, stdout, stderr) = server.isctl(&["get", "is", "-n", "openshift", "-o", "name"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("imagestream.image.openshift.io/tools"));
}

#[test]
fn kubectl_templates_print_the_same_as_isctl() {
    // kubectl's -o jsonpath, jsonpath-as-json, custom-columns and --sort-by against serve, and
    // isctl's on the same objects from the files: the same bytes.
    let server = Server::start(&[]);
    let cases: Vec<Vec<&str>> = vec![
        vec!["get", "is", "-n", "openshift", "-o", "jsonpath={.items[*].metadata.name}"],
        vec![
            "get",
            "is",
            "-n",
            "openshift",
            "-o",
            r#"jsonpath={range .items[*]}{.metadata.name}{"\t"}{.spec.tags[*].name}{"\n"}{end}"#,
        ],
        vec!["get", "is", "cli", "-n", "openshift", "-o", "jsonpath={.spec.tags[0]}"],
        vec![
            "get",
            "is",
            "cli",
            "-n",
            "openshift",
            "-o",
            r#"jsonpath={.status.tags[?(@.tag=="latest")].items[0].image}"#,
        ],
        vec!["get", "is", "-n", "openshift", "-o", "jsonpath={.items[*].metadata.nosuchfield}"],
        vec!["get", "is", "-A", "-o", "jsonpath={..dockerImageReference}"],
        vec![
            "get",
            "is",
            "-n",
            "openshift",
            "-o",
            "jsonpath={.items[-1:].metadata.name} and {.items[0:2].metadata.name}",
        ],
        vec!["get", "is", "tools", "-n", "openshift", "-o", "jsonpath-as-json={.spec.tags[*].from.name}"],
        vec![
            "get",
            "is",
            "-n",
            "openshift",
            "-o",
            "custom-columns=NAME:.metadata.name,TAGS:.spec.tags[*].name,NONE:.spec.nothing",
        ],
        vec![
            "get",
            "images",
            "-o",
            "custom-columns=DIGEST:.metadata.name,REF:.dockerImageReference",
            "--sort-by=.dockerImageReference",
        ],
        vec![
            "get",
            "is",
            "-A",
            "-o",
            "custom-columns=NS:.metadata.namespace,NAME:.metadata.name",
            "--sort-by={.metadata.creationTimestamp}",
            "--no-headers",
        ],
        vec![
            "get",
            "imagecontentsourcepolicies",
            "-o",
            r"jsonpath={range .items[*].spec.repositoryDigestMirrors[*]}{.source} => {.mirrors[0]}{'\n'}{end}",
        ],
        vec!["get", "is", "-n", "openshift", "--sort-by=.metadata.name", "-o", "name"],
        // Escaped dots in a field name, a slice with a step, a union in brackets, a range over
        // one list, a template of several nodes as JSON, Go's cells for maps and lists.
        vec![
            "get",
            "is",
            "-n",
            "openshift",
            "-o",
            r"jsonpath={.items[*].metadata.annotations.samples\.operator\.openshift\.io/version}",
        ],
        vec!["get", "is", "cli", "-n", "openshift", "-o", "jsonpath={.spec.tags[0:3:2].name} {.spec.tags[0,2].name}"],
        vec![
            "get",
            "is",
            "cli",
            "-n",
            "openshift",
            "-o",
            "jsonpath={range .spec.tags}<{.name}>{end}|{.spec.tags[0]['name','generation']}",
        ],
        vec![
            "get",
            "is",
            "cli",
            "-n",
            "openshift",
            "-o",
            r#"jsonpath-as-json=x{.spec.tags[*].name}{range .spec.tags[*]}{.name}{end}"#,
        ],
        vec![
            "get",
            "is",
            "-n",
            "openshift",
            "-o",
            "custom-columns=NAME:.metadata.name,LABELS:.metadata.labels,TAGS:.spec.tags[*].referencePolicy",
        ],
        vec![
            "get",
            "is",
            "cli",
            "-n",
            "openshift",
            "-o",
            r#"jsonpath={.spec.tags[?(@.generation>=3)].name}{"\x41\101\n"}"#,
        ],
        // A column narrower than kubectl's tabwriter minimum.
        vec!["get", "is", "-A", "-o", "custom-columns=G:.metadata.generation,NAME:.metadata.name"],
        // A table sorted on a field its cells do not show: kubectl asks for whole objects.
        vec!["get", "images", "--sort-by=.dockerImageReference"],
    ];
    for args in cases {
        let through_server = server.ok(&args);
        let mut offline_args = args.clone();
        offline_args.extend(["--from", DEMO]);
        let (code, offline, stderr) = output(&offline_args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert_eq!(offline, through_server, "isctl and kubectl differ for {args:?}");
        assert!(!offline.is_empty() || args.iter().any(|a| a.contains("nosuchfield")), "{args:?} printed nothing");
    }
}

#[test]
fn kubectl_template_errors_are_isctl_errors() {
    // Where kubectl refuses to print, isctl does too (exit 1, one line), rather than printing
    // something else.
    let server = Server::start(&[]);
    for template in ["jsonpath={.spec.tags[7].name}", "jsonpath={.spec.tags[0:2:0]}", "jsonpath={.metadata[0]}"] {
        let args = ["get", "is", "cli", "-n", "openshift", "-o", template];
        let (kubectl_code, _, kubectl_err) = server.kubectl(&args);
        let mut offline = args.to_vec();
        offline.extend(["--from", DEMO]);
        let (code, stdout, stderr) = output(&offline);
        assert_eq!((kubectl_code, code), (1, 1), "{template}: kubectl said {kubectl_err}, isctl {stderr}");
        assert_eq!(stdout, "", "{template}");
        assert!(stderr.starts_with("error: error executing jsonpath"), "{template}: {stderr}");
    }
    let sort = ["get", "is", "-n", "openshift", "--sort-by=.nothing", "-o", "name"];
    let (kubectl_code, _, kubectl_err) = server.kubectl(&sort);
    assert!(kubectl_err.contains("couldn't find any field with path"), "{kubectl_err}");
    let mut offline = sort.to_vec();
    offline.extend(["--from", DEMO]);
    let (code, _, stderr) = output(&offline);
    assert_eq!((kubectl_code, code), (1, 1), "{stderr}");
    assert!(stderr.contains("couldn't find any field with path"), "{stderr}");
}

/// kubectl against `isctl serve --from DIR` and isctl on the same files: the same stdout, the
/// same exit code, for each command (`--from` is added to isctl's).
fn assert_same_as_kubectl(dir: &str, cases: &[Vec<&str>]) {
    let server = Server::start_from(dir, &[]);
    for args in cases {
        let (kubectl_code, through_server, kubectl_err) = server.kubectl(args);
        let mut offline_args = args.clone();
        offline_args.extend(["--from", dir]);
        let (code, offline, stderr) = output(&offline_args);
        assert_eq!(offline, through_server, "isctl and kubectl differ for {args:?}: {stderr} / {kubectl_err}");
        assert_eq!(code, kubectl_code, "exit codes for {args:?}: isctl said {stderr}, kubectl {kubectl_err}");
    }
}

#[test]
fn kubectl_sort_ties_missing_fields_and_mixed_keys_match() {
    // 25 Images: quantities mixed with other strings (no total order), three-way ties, four
    // without the field; Go's unstable sort decides the order, in tables too.
    let mixed = "fixtures/parity/mixed";
    let sorts: Vec<String> = [".k", ".tie", "{.metadata.name}"].iter().map(|k| format!("--sort-by={k}")).collect();
    let mut cases = Vec::new();
    for sort in &sorts {
        cases.push(vec!["get", "images", "-o", "custom-columns=N:.metadata.name,K:.k,T:.tie", sort]);
        cases.push(vec!["get", "images", "-o", "name", sort]);
        cases.push(vec!["get", "images", sort]);
    }
    assert_same_as_kubectl(mixed, &cases);
}

#[test]
fn kubectl_error_exits_match() {
    // What kubectl refuses when it runs: nothing on stdout, exit 1, and isctl the same.
    let cases: Vec<Vec<&str>> = [
        "jsonpath={.items[0",
        "jsonpath-as-json={.items[0",
        "jsonpath={.items[*].metadata.name}{end}",
        "jsonpath={range .items[*]}{end}{end}",
        "custom-columns=NAME",
        "bogus",
    ]
    .iter()
    .map(|o| vec!["get", "is", "-n", "openshift", "-o", o])
    .chain([
        vec!["get", "is", "cli", "-n", "openshift", "-l", "a=b"],
        vec!["get", "is", "-n", "openshift", "-o", "name", "--sort-by={.a"],
        vec!["get", "is", "-n", "openshift", "-o", "name", "--sort-by=.spec.tags[5].name"],
    ])
    .collect();
    assert_same_as_kubectl(DEMO, &cases);
}

#[test]
fn kubectl_numbers_escaping_and_unicode_match() {
    // Floats, integers beyond int64, HTML characters, U+2028/9 and unicode names, printed by
    // kubectl from what serve sent and by isctl from the files.
    let cases: Vec<Vec<&str>> = vec![
        vec!["get", "images", "-o", "json"],
        vec!["get", "images", "esc", "-o", "json"],
        vec!["get", "images", "big", "-o", "json"],
        vec!["get", "images", "-o", "yaml"],
        vec!["get", "images", "big", "-o", "yaml"],
        vec!["get", "images", "-o", "name"],
        vec!["get", "images", "ünïcødé-名前", "-o", "jsonpath={.note} {.f}"],
        vec!["get", "images", "-o", r#"jsonpath={.items[*].big}{"|"}{.items[*].f}{"|"}{.items[*].meta}"#],
        vec!["get", "images", "-o", "jsonpath-as-json={.items[*].meta}"],
        vec!["get", "images", "-o", "jsonpath={.items[*].huge} {.items[*].tiny} {.items[*].mid}"],
        vec!["get", "images", "-o", "jsonpath={.items[?(@.n==12)].metadata.name}"],
        vec!["get", "images", "-o", "jsonpath={.items[?(@.f==60)].metadata.name}"],
        vec!["get", "images", "-o", "jsonpath={.items[?(@.over>1)].metadata.name}"],
        vec!["get", "images", "-o", "custom-columns=B:.big,F:.f,M:.meta", "--sort-by=.f"],
    ];
    assert_same_as_kubectl("fixtures/parity/odd", &cases);
}

#[test]
fn kubectl_tables_pad_like_kubectl() {
    // Widths in characters, trailing blanks, tabs, ESC and CR in cells, --no-headers widths,
    // and the rows printed before a custom-columns error.
    let odd = "fixtures/parity/odd";
    let cases: Vec<Vec<&str>> = vec![
        vec!["get", "images", "-o", "custom-columns=N:.metadata.name,NOTE:.note,BELL:.bell,ESC:.esc,CR:.cr,NL:.nl"],
        vec!["get", "images", "-o", "custom-columns=N:.metadata.name,X:.nothing"],
        vec!["get", "images", "-o", "custom-columns=F:.f,N:.metadata.name,E:.nothing", "--no-headers"],
        vec!["get", "images"],
        vec!["get", "images", "--no-headers"],
    ];
    assert_same_as_kubectl(odd, &cases);
    let demo: Vec<Vec<&str>> = vec![
        vec!["get", "is", "-A"],
        vec!["get", "is", "-A", "--no-headers"],
        vec!["get", "istag", "-A", "-o", "wide"],
        vec!["get", "is", "-n", "openshift", "-o", "custom-columns=N:.metadata.name,T:.spec.tags[1].name"],
        vec![
            "get",
            "is",
            "-n",
            "openshift",
            "-o",
            "custom-columns=G:.metadata.generation,N:.metadata.name",
            "--no-headers",
        ],
    ];
    assert_same_as_kubectl(DEMO, &demo);
}
