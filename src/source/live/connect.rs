//! Reaching a cluster as kubectl does: the kubeconfig files (`--kubeconfig`, else the
//! `KUBECONFIG` list merged, else `~/.kube/config`), `--context`, else the pod's service account.
//!
//! Two of kubectl's rules about credentials hold here too:
//! - credentials travel only over TLS: with a plain `http://` server, the user's token, basic
//!   auth, client certificate and exec/auth-provider plugins are not used at all (client-go
//!   `clientcmd` applies user credentials only when `isConfigTransportTLS`);
//! - a credential file's content is never echoed: a kubeconfig that does not parse is reported
//!   by file, line and column, and an exec plugin's output never reaches a message.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kube::config::{AuthInfo, KubeConfigOptions, Kubeconfig, KubeconfigError};

use crate::source::SourceError;

/// How to reach the cluster, from the command line.
#[derive(Clone, Debug)]
pub struct ConnectOptions {
    /// `--kubeconfig`.
    pub kubeconfig: Option<PathBuf>,
    /// `--context`.
    pub context: Option<String>,
    /// `--insecure-skip-tls-verify`.
    pub insecure_skip_tls_verify: bool,
    /// `--request-timeout`: the bound on one request, retries included; `None` waits forever.
    pub request_timeout: Option<Duration>,
    /// `--chunk-size`: objects per list page; 0 lists in one request.
    pub chunk_size: usize,
    /// `--max-response-size`: the largest body read for one request.
    pub max_response_size: u64,
}

impl Default for ConnectOptions {
    fn default() -> ConnectOptions {
        ConnectOptions {
            kubeconfig: None,
            context: None,
            insecure_skip_tls_verify: false,
            request_timeout: None,
            chunk_size: 500,
            max_response_size: 512 << 20,
        }
    }
}

/// A kube-rs configuration, and whether credentials were withheld from a plain-HTTP server.
pub(super) struct Resolved {
    pub config: kube::Config,
    pub credentials_withheld: bool,
}

/// Builds the client configuration as kubectl would; reads files, makes no request.
pub(super) async fn resolve(options: &ConnectOptions) -> Result<Resolved, SourceError> {
    let kube_options = KubeConfigOptions { context: options.context.clone(), ..KubeConfigOptions::default() };
    let paths = kubeconfig_paths(options.kubeconfig.as_deref());
    let mut config = if paths.is_empty() {
        if options.context.is_some() {
            return Err(config_error("no kubeconfig file to take --context from (KUBECONFIG or ~/.kube/config)"));
        }
        kube::Config::incluster().map_err(|_| {
            config_error(
                "no cluster to read: no kubeconfig (KUBECONFIG or ~/.kube/config), and not running in a pod; \
                 pass --kubeconfig, or --from PATH to read files",
            )
        })?
    } else {
        let mut merged = Kubeconfig::default();
        for path in &paths {
            let one = Kubeconfig::read_from(path).map_err(|e| kubeconfig_error(path, &e))?;
            merged = merged.merge(one).map_err(|e| kubeconfig_error(path, &e))?;
        }
        let label = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(":");
        kube::Config::from_custom_kubeconfig(merged, &kube_options)
            .await
            .map_err(|e| config_error(&format!("kubeconfig {label}: {}", safe_kubeconfig_words(&e))))?
    };
    config.accept_invalid_certs |= options.insecure_skip_tls_verify;
    // isctl retries itself (bounded, logged with -v); kube's own retry layer would nest under it.
    config.default_retry = false;
    if let Some(timeout) = options.request_timeout {
        config.connect_timeout = Some(timeout);
        config.read_timeout = Some(timeout);
    }
    config.cluster_url = with_scheme(&config)?;
    let credentials_withheld = config.cluster_url.scheme_str() == Some("http") && withhold(&mut config.auth_info);
    Ok(Resolved { config, credentials_withheld })
}

/// The server URL with a scheme: a kubeconfig may name a bare `host:port`, which client-go reads
/// as `https://` when TLS is configured (a CA, a client certificate, or skipping verification)
/// and as `http://` otherwise (`DefaultServerURL`). Other schemes are refused.
fn with_scheme(config: &kube::Config) -> Result<http::Uri, SourceError> {
    let url = &config.cluster_url;
    match url.scheme_str() {
        Some("http" | "https") => return Ok(url.clone()),
        Some(other) => {
            return Err(config_error(&format!("the server URL must start with https:// or http://, not {other}://")));
        }
        None => {}
    }
    let tls = config.root_cert.is_some()
        || config.accept_invalid_certs
        || config.auth_info.client_certificate.is_some()
        || config.auth_info.client_certificate_data.is_some();
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{url}").parse().map_err(|_| config_error("the server URL of the kubeconfig is not a URL"))
}

/// The kubeconfig files kubectl would read, in merge order: `--kubeconfig` alone, else every
/// non-empty entry of `KUBECONFIG`, else `~/.kube/config` when it exists.
fn kubeconfig_paths(explicit: Option<&Path>) -> Vec<PathBuf> {
    if let Some(path) = explicit {
        return vec![path.to_path_buf()];
    }
    if let Some(value) = std::env::var_os("KUBECONFIG") {
        // As client-go: entries that do not exist are skipped.
        let paths: Vec<PathBuf> =
            std::env::split_paths(&value).filter(|p| !p.as_os_str().is_empty() && p.exists()).collect();
        if !paths.is_empty() {
            return paths;
        }
    }
    std::env::home_dir().map(|home| home.join(".kube").join("config")).filter(|p| p.exists()).into_iter().collect()
}

/// Clears every credential of `auth` (kept: impersonation, which is not a secret). Returns
/// whether there was any.
fn withhold(auth: &mut AuthInfo) -> bool {
    let had = auth.token.is_some()
        || auth.token_file.is_some()
        || auth.username.is_some()
        || auth.password.is_some()
        || auth.client_certificate.is_some()
        || auth.client_certificate_data.is_some()
        || auth.client_key.is_some()
        || auth.client_key_data.is_some()
        || auth.auth_provider.is_some()
        || auth.exec.is_some();
    *auth = AuthInfo {
        impersonate: auth.impersonate.take(),
        impersonate_uid: auth.impersonate_uid.take(),
        impersonate_groups: auth.impersonate_groups.take(),
        impersonate_user_extra: auth.impersonate_user_extra.take(),
        ..AuthInfo::default()
    };
    had
}

fn config_error(message: &str) -> SourceError {
    SourceError::Config { message: message.to_owned() }
}

/// A kubeconfig file that cannot be used, named by path and (for YAML errors) line and column,
/// in kubectl's words: `error loading config file "PATH": yaml: line 10: ...`.
fn kubeconfig_error(path: &Path, error: &KubeconfigError) -> SourceError {
    let path = path.display();
    match error {
        KubeconfigError::ReadConfig(io, _) => SourceError::Config {
            message: format!(
                "error loading config file \"{path}\": {}",
                io.to_string().split(" (os error").next().unwrap_or_default().to_lowercase()
            ),
        },
        _ => SourceError::Config {
            message: format!("error loading config file \"{path}\": {}", safe_kubeconfig_words(error)),
        },
    }
}

/// Words for a kubeconfig error that never quote the file: YAML errors keep their position and
/// the parser's description with any quoted text replaced by `"<redacted>"`.
fn safe_kubeconfig_words(error: &KubeconfigError) -> String {
    match error {
        KubeconfigError::Parse(yaml) => yaml_error_words(yaml),
        other => redact_quoted(&first_line(&other.to_string())),
    }
}

/// `yaml: line L, column C: description`, with nothing copied from the document.
pub(super) fn yaml_error_words(error: &serde_saphyr::Error) -> String {
    let worded = crate::source::decode::yaml_error(error);
    let description = redact_quoted(&worded.message);
    match worded.position {
        at if at.line > 0 => format!("yaml: line {}, column {}: {description}", at.line, at.column),
        _ => format!("yaml: {description}"),
    }
}

fn first_line(text: &str) -> String {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim().to_owned()
}

/// Replaces every `"..."`, `'...'` and `` `...` `` span with `"<redacted>"` (ASCII, whatever the locale): a parser may quote the value
/// it choked on, and in a credential file that value may be a token.
pub(super) fn redact_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(offset) = text[at..].find(['"', '`', '\'']) {
        let start = at + offset;
        out.push_str(&text[at..start]);
        let quote = text[start..].chars().next().unwrap_or('"');
        let after = start + quote.len_utf8();
        // Only a closed span is a quotation; a lone apostrophe stays.
        match text[after..].find(quote) {
            Some(end) => {
                out.push_str("\"<redacted>\"");
                at = after + end + quote.len_utf8();
            }
            None => {
                out.push(quote);
                at = after;
            }
        }
    }
    out.push_str(&text[at..]);
    out
}

/// Words for any kube-rs error that never quote a credential: credential-plugin failures in
/// client-go's words, anything else with quoted text redacted.
pub(super) fn kube_error_words(error: &kube::Error) -> String {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if let Some(auth) = e.downcast_ref::<kube::client::AuthError>() {
            return auth_error_words(auth);
        }
        cause = e.source();
    }
    redact_quoted(&first_line(&error.to_string()))
}

/// Words for a failed credential plugin (client-go's), never its output.
pub(super) fn auth_error_words(error: &kube::client::AuthError) -> String {
    use kube::client::AuthError;
    match error {
        AuthError::AuthExecRun { cmd, out } => match out.status.code() {
            Some(code) => format!("getting credentials: exec: executable {cmd} failed with exit code {code}"),
            None => format!("getting credentials: exec: executable {cmd} was killed by a signal"),
        },
        AuthError::AuthExecStart(io) => {
            format!("getting credentials: exec: cannot run the executable: {}", first_line(&io.to_string()))
        }
        AuthError::AuthExecParse(yaml) => format!("getting credentials: decoding stdout: {}", yaml_error_words(yaml)),
        AuthError::ReadTokenFile(_, path) => format!("cannot read the token file {}", path.display()),
        other => format!("getting credentials: {}", redact_quoted(&first_line(&other.to_string()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_is_redacted() {
        assert_eq!(
            redact_quoted("invalid type: string \"s3cr3t\", expected a map"),
            "invalid type: string \"<redacted>\", expected a map"
        );
        assert_eq!(redact_quoted("unknown field `tok3n`"), "unknown field \"<redacted>\"");
        assert_eq!(redact_quoted("did not find expected key"), "did not find expected key");
        assert_eq!(redact_quoted("can't parse"), "can't parse");
    }

    #[test]
    fn credentials_are_withheld_but_impersonation_is_not() {
        let mut auth =
            AuthInfo { token: Some("t".to_owned().into()), impersonate: Some("someone".into()), ..AuthInfo::default() };
        assert!(withhold(&mut auth));
        assert!(auth.token.is_none());
        assert_eq!(auth.impersonate.as_deref(), Some("someone"));
        assert!(!withhold(&mut AuthInfo::default()));
    }
}
