//! `isctl serve`: loads the input once, then answers API requests until stopped.

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context as _;

use super::Ctx;
use crate::error::{CommandResult, ExitStatus};
use crate::printer::Printer;
use crate::serve::api::{Api, Options};
use crate::serve::http;
use crate::settings::{ServeSettings, TokenSource};
use crate::source::Wants;
use crate::source::files::{NamedFile, read_named, read_named_text, write_private};

/// Runs `serve`.
pub(crate) fn run(settings: &ServeSettings, ctx: &mut Ctx) -> CommandResult {
    let token = match &settings.token {
        Some(TokenSource::Value(token)) => Some(token.clone()),
        Some(TokenSource::File(path)) => Some(read_token(path, ctx.settings.file_limit)?),
        None => None,
    };
    if token.is_some() && settings.tls.is_none() {
        ctx.printer.warning(
            "a token over plain http: kubectl never sends credentials over http, so it will be refused (401); \
             add --tls-cert and --tls-key for kubectl, or keep http for clients that send the token anyway",
        );
    }
    // Workloads and RBAC objects too: `consumers` over a served recording reads them live.
    let catalog = super::load(ctx, &Wants { workloads: Some(None), ..Wants::default() })?;
    let objects = catalog.len();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .build()
        .context("starting the server runtime")?;
    runtime.block_on(async {
        let listener =
            http::bind(settings.address).await.with_context(|| format!("listening on {}", settings.address))?;
        let address = listener.local_addr().context("reading the listening address")?;
        let tls = match &settings.tls {
            Some(files) => {
                let limit = ctx.settings.file_limit;
                let cert = read_named(&files.cert, limit, NamedFile::MayBePipe).context("reading --tls-cert")?;
                let key = read_named(&files.key, limit, NamedFile::MayBePipe).context("reading --tls-key")?;
                Some(http::tls_acceptor((&files.cert, &cert), (&files.key, &key)).map_err(anyhow::Error::msg)?)
            }
            None => None,
        };
        let url = format!("{}://{address}", if tls.is_some() { "https" } else { "http" });
        let options = Options {
            deny: settings.deny.iter().cloned().collect(),
            deny_all_namespaces: settings.deny_all_namespaces.iter().cloned().collect(),
            token: token.clone(),
            user: settings.user.clone(),
            address: address.to_string(),
        };
        let api = Arc::new(Api::new(catalog, options, ctx.settings.now));
        let mut banner = format!("Serving {objects} objects read-only at {url}\n");
        if let Some(path) = &settings.write_kubeconfig {
            let ca = match settings.tls.as_ref().and_then(|t| t.ca.as_ref()) {
                Some(ca) => {
                    Some(read_named(ca, ctx.settings.file_limit, NamedFile::MayBePipe).context("reading the CA")?)
                }
                None => None,
            };
            write_private(path, &kubeconfig(&url, token.as_deref(), tls.is_some(), ca.as_deref()))
                .with_context(|| format!("writing the kubeconfig {}", path.display()))?;
            banner.push_str(&format!("kubectl --kubeconfig {} get imagestreams -A\n", path.display()));
        } else {
            banner.push_str(&format!("kubectl --server {url} get imagestreams -A\n"));
        }
        ctx.printer.data(&banner)?;
        let printer =
            std::mem::replace(&mut ctx.printer, Printer::new(Box::new(std::io::sink()), Box::new(std::io::sink()), 0));
        let printer = Arc::new(Mutex::new(printer));
        let outcome = http::serve(listener, api, Arc::clone(&printer), tls, settings.limits).await;
        // The printer comes back, so the reason the server stopped is reported like any error.
        if let Ok(mut shared) = printer.lock() {
            std::mem::swap(&mut ctx.printer, &mut shared);
        }
        outcome.context("serving")?;
        Ok(ExitStatus::Success)
    })
}

/// The first line of a token file, without its line ending.
fn read_token(path: &Path, limit: u64) -> anyhow::Result<String> {
    let text = read_named_text(path, limit, NamedFile::MayBePipe).context("reading the token file")?;
    let token = text.lines().next().unwrap_or_default().trim().to_owned();
    anyhow::ensure!(!token.is_empty(), "the token file {} is empty", path.display());
    Ok(token)
}

/// A kubeconfig with one cluster, user and context for the server: over TLS, with the CA when
/// given, else skipping verification.
fn kubeconfig(url: &str, token: Option<&str>, tls: bool, ca: Option<&[u8]>) -> String {
    use base64::Engine;
    let trust = match (tls, ca) {
        (true, Some(ca)) => {
            format!("    certificate-authority-data: {}\n", base64::engine::general_purpose::STANDARD.encode(ca))
        }
        (true, None) => "    insecure-skip-tls-verify: true\n".to_owned(),
        (false, _) => String::new(),
    };
    let user = match token {
        // Quoted, so a token like 12345 or yes stays a string for kubectl.
        Some(token) => format!("  user:\n    token: {}\n", serde_json::Value::String(token.to_owned())),
        None => "  user: {}\n".to_owned(),
    };
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: isctl\n  cluster:\n    server: {url}\n{trust}users:\n- name: isctl\n{user}contexts:\n- name: isctl\n  context:\n    cluster: isctl\n    user: isctl\ncurrent-context: isctl\n"
    )
}
