//! Registry credentials as containers/image finds and uses them (`pkg/docker/config` for the
//! search, `docker/docker_client.go` for the token requests), against scripted registries on
//! loopback (issue 22, item 4).

use std::time::Duration;

use isctl::verify::auth::{AuthFile, AuthFiles};
use isctl::verify::client::{ClientOptions, ask_all};
use isctl::verify::{Answer, Endpoint};

use crate::common::isctl;
use crate::fault_server::{FaultServer, Reply};

const MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

/// A registry whose manifests need a Bearer token from its own `/token`, which answers
/// `token` to any request; the token opens every manifest.
fn token_registry(token: &'static str) -> FaultServer {
    FaultServer::start(move |_, seen| {
        let host = seen.header("host").unwrap_or_default().to_owned();
        match seen.path() {
            p if p.starts_with("/token") => Reply::ok(format!(r#"{{"access_token":"{token}"}}"#)),
            _ if seen.header("authorization") == Some(&format!("Bearer {token}")) => {
                Reply::Answer(200, format!("content-type: {MANIFEST}\r\n"), "{}".into())
            }
            _ => Reply::Answer(
                401,
                format!("www-authenticate: Bearer realm=\"http://{host}/token\",service=\"registry.test\"\r\n"),
                String::new(),
            ),
        }
    })
}

fn endpoint(server: &FaultServer) -> Endpoint {
    Endpoint {
        registry: server.url.trim_start_matches("http://").to_owned(),
        repository: "team/app".to_owned(),
        reference: "v1".to_owned(),
        insecure: true,
        signature_via_manifest: false,
    }
}

fn ask_with(endpoint: &Endpoint, auth_json: &str) -> Answer {
    let mut credentials = AuthFiles::default();
    credentials.push("auth.json".into(), AuthFile::parse(auth_json, false).unwrap());
    let options = ClientOptions {
        extra_roots: Vec::new(),
        credentials,
        timeout: Duration::from_secs(10),
        deadline: Duration::from_secs(20),
        per_registry: 4,
        overall: 16,
        platform: "linux/amd64".into(),
    };
    let (answers, _) = ask_all(std::slice::from_ref(endpoint), &options);
    answers[&endpoint.key()].clone()
}

fn b64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// containers/image `getBearerTokenOAuth2`: with an `identitytoken`, the token is asked for
/// with a form POST (service, scope, grant_type=refresh_token, the refresh token and
/// client_id=containers/image), never with the user name and password.
#[test]
fn an_identity_token_is_exchanged_by_an_oauth2_post() {
    let server = token_registry("from-refresh");
    let endpoint = endpoint(&server);
    let auth = format!(
        r#"{{"auths":{{"{}":{{"auth":"{}","identitytoken":"refresh/me+1"}}}}}}"#,
        endpoint.registry,
        b64("00000000-0000-0000-0000-000000000000:")
    );
    assert_eq!(ask_with(&endpoint, &auth), Answer::Present);
    let token = server.seen().into_iter().find(|s| s.path().starts_with("/token")).expect("a token request");
    assert_eq!(token.line.split(' ').next(), Some("POST"));
    assert_eq!(token.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(token.header("authorization"), None, "no Basic credentials with a refresh token");
    assert_eq!(
        token.body,
        "client_id=containers%2Fimage&grant_type=refresh_token&refresh_token=refresh%2Fme%2B1&scope=repository%3Ateam%2Fapp%3Apull&service=registry.test",
        "Go's url.Values.Encode: sorted by key"
    );
}

/// containers/image `getBearerToken`: a GET naming the account, with Basic credentials.
#[test]
fn a_password_is_sent_to_the_token_server_with_the_account() {
    let server = token_registry("from-password");
    let endpoint = endpoint(&server);
    let auth = format!(r#"{{"auths":{{"{}":{{"auth":"{}"}}}}}}"#, endpoint.registry, b64("robot:s3cret"));
    assert_eq!(ask_with(&endpoint, &auth), Answer::Present);
    let token = server.seen().into_iter().find(|s| s.path().starts_with("/token")).expect("a token request");
    assert_eq!(
        token.line,
        "GET /token?account=robot&scope=repository%3Ateam%2Fapp%3Apull&service=registry.test HTTP/1.1"
    );
    assert_eq!(token.header("authorization"), Some(format!("Basic {}", b64("robot:s3cret")).as_str()));
    // An entry that is not base64 fails the pull that needs it, naming the file.
    let bad = format!(r#"{{"auths":{{"{}":{{"auth":"not base64!"}}}}}}"#, endpoint.registry);
    match ask_with(&endpoint, &bad) {
        Answer::Failed(why) => assert!(why.starts_with("registry credentials auth.json: an \"auth\" for"), "{why}"),
        other => panic!("{other:?}"),
    }
}

/// A registry that takes Basic credentials `user:pass` only.
fn basic_registry(pair: &'static str) -> FaultServer {
    FaultServer::start(move |_, seen| {
        if seen.header("authorization") == Some(&format!("Basic {}", b64(pair))) {
            return Reply::Answer(200, format!("content-type: {MANIFEST}\r\n"), "{}".into());
        }
        Reply::Answer(401, "www-authenticate: Basic realm=\"test\"\r\n".into(), String::new())
    })
}

/// `isctl mirrors HOST/team/app:v1 --verify` with HOME at `home`, the registry marked insecure
/// (plain HTTP), and only `env` of the auth variables set.
fn verify_at_home(host: &str, home: &std::path::Path, env: &[(&str, &std::path::Path)]) -> String {
    let config = home.join("cluster.yaml");
    std::fs::write(
        &config,
        format!(
            "apiVersion: config.openshift.io/v1\nkind: Image\nmetadata: {{name: cluster}}\nspec: {{registrySources: {{insecureRegistries: ['{host}']}}}}\n"
        ),
    )
    .unwrap();
    let mut command = isctl();
    command.args(["mirrors", &format!("{host}/team/app:v1"), "--verify", "--from"]).arg(&config);
    for name in ["REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "DOCKER_CONFIG"] {
        command.env_remove(name);
    }
    // An empty runtime directory, so that /run/containers/UID/auth.json is not searched.
    let runtime = home.join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    command.env("HOME", home).env("XDG_RUNTIME_DIR", &runtime);
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.env("ISCTL_COLUMNS", "200").output().unwrap();
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// containers/image `getAuthFilePaths` and `getCredentialsFromAuthFiles`: the default files are
/// searched in turn until one has an entry for the registry; `XDG_CONFIG_HOME` and
/// `DOCKER_CONFIG` move theirs; `~/.dockercfg` is the last, in its legacy form.
#[test]
fn the_default_auth_files_are_searched_in_turn() {
    let server = basic_registry("isctl:pw");
    let host = server.url.trim_start_matches("http://").to_owned();
    let home = tempfile::tempdir().unwrap();
    let write = |path: std::path::PathBuf, text: String| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let entry = |pair: &str| format!(r#"{{"auths":{{"{host}":{{"auth":"{}"}}}}}}"#, b64(pair));
    let unrelated = format!(r#"{{"auths":{{"quay.io":{{"auth":"{}"}}}}}}"#, b64("other:x"));
    // Nothing anywhere: the registry's 401.
    assert!(verify_at_home(&host, home.path(), &[]).contains("unauthorized (401)"));
    // The first file has no entry for it, the second does.
    write(home.path().join(".config/containers/auth.json"), unrelated.clone());
    write(home.path().join(".docker/config.json"), entry("isctl:pw"));
    let shown = verify_at_home(&host, home.path(), &[]);
    assert!(shown.contains("present"), "{shown}");
    // DOCKER_CONFIG moves Docker's file; XDG_CONFIG_HOME moves containers'.
    std::fs::remove_file(home.path().join(".docker/config.json")).unwrap();
    write(home.path().join("dock/config.json"), entry("isctl:pw"));
    let dock = home.path().join("dock");
    assert!(verify_at_home(&host, home.path(), &[("DOCKER_CONFIG", &dock)]).contains("present"));
    std::fs::remove_file(home.path().join("dock/config.json")).unwrap();
    write(home.path().join("cfg/containers/auth.json"), entry("isctl:pw"));
    let cfg = home.path().join("cfg");
    assert!(verify_at_home(&host, home.path(), &[("XDG_CONFIG_HOME", &cfg)]).contains("present"));
    // The legacy ~/.dockercfg: entries at the top level, keyed by URL.
    write(home.path().join(".dockercfg"), format!(r#"{{"http://{host}/v1/":{{"auth":"{}"}}}}"#, b64("isctl:pw")));
    assert!(verify_at_home(&host, home.path(), &[]).contains("present"));
    // A wrong password in an earlier file wins: the search stops at the first entry.
    write(home.path().join(".config/containers/auth.json"), entry("isctl:wrong"));
    assert!(verify_at_home(&host, home.path(), &[]).contains("unauthorized (401)"));
    // An empty entry there (a credential helper's mark) passes on to the next file.
    write(home.path().join(".config/containers/auth.json"), format!(r#"{{"auths":{{"{host}":{{}}}}}}"#));
    assert!(verify_at_home(&host, home.path(), &[]).contains("present"));
}
