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
#[derive(Clone, Debug, Default)]
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
    let credentials_withheld = config.cluster_url.scheme_str() == Some("http") && withhold(&mut config.auth_info);
    Ok(Resolved { config, credentials_withheld })
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
/// the parser's description with any quoted text replaced by `"…"`.
fn safe_kubeconfig_words(error: &KubeconfigError) -> String {
    match error {
        KubeconfigError::Parse(yaml) => yaml_error_words(yaml),
        other => redact_quoted(&first_line(&other.to_string())),
    }
}

/// `yaml: line L, column C: description`, with nothing copied from the document.
pub(super) fn yaml_error_words(error: &serde_saphyr::Error) -> String {
    let text = first_line(&error.without_snippet().to_string());
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    // Drop the position the parser puts in front: it is printed below, in one shape.
    let text = match text.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") && head.contains(" column ") => rest,
        _ => text,
    };
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => text,
    };
    let description = redact_quoted(text);
    match error.location() {
        Some(at) => format!("yaml: line {}, column {}: {description}", at.line(), at.column()),
        None => format!("yaml: {description}"),
    }
}

fn first_line(text: &str) -> String {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim().to_owned()
}

/// Replaces every `"..."`, `'...'` and `` `...` `` span with `"…"`: a parser may quote the value
/// it choked on, and in a credential file that value may be a token.
pub(super) fn redact_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if matches!(c, '"' | '`' | '\'') {
            // Only a closed span is a quotation; a lone apostrophe stays.
            let rest: String = chars.clone().collect();
            if let Some(end) = rest.find(c) {
                out.push_str("\"…\"");
                for _ in 0..rest[..end].chars().count() + 1 {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
    }
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
            "invalid type: string \"…\", expected a map"
        );
        assert_eq!(redact_quoted("unknown field `tok3n`"), "unknown field \"…\"");
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
