//! `isctl serve`: loads the input once, then answers API requests until stopped.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};

use super::Ctx;
use crate::cli::ServeArgs;
use crate::printer::Printer;
use crate::serve::api::{Api, Options};
use crate::serve::http;
use crate::settings::SettingsError;
use crate::source::Wants;

/// Runs `serve`.
pub fn run(args: &ServeArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    if !args.address.ip().is_loopback() && !args.allow_remote {
        return Err(SettingsError::Usage(format!(
            "refusing to listen on {}: not a loopback address (pass --allow-remote to mean it)",
            args.address
        ))
        .into());
    }
    if !ctx.offline() {
        return Err(SettingsError::Usage(
            "serve needs --from PATH: it serves recorded objects, not a live cluster".into(),
        )
        .into());
    }
    let catalog = super::load(ctx, &Wants::default())?;
    let objects = catalog.len();
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_io().build().context("starting the server runtime")?;
    runtime.block_on(async {
        let listener = http::bind(args.address).await.with_context(|| format!("listening on {}", args.address))?;
        let address = listener.local_addr().context("reading the listening address")?;
        let tls = match (&args.tls_cert, &args.tls_key) {
            (Some(cert), Some(key)) => Some(http::tls_acceptor(cert, key).map_err(anyhow::Error::msg)?),
            _ => None,
        };
        let url = format!("{}://{address}", if tls.is_some() { "https" } else { "http" });
        let options = Options {
            deny: args.deny.iter().map(|d| d.to_ascii_lowercase()).collect(),
            token: args.token.clone(),
            user: args.user.clone(),
            address: address.to_string(),
        };
        let api = Arc::new(Api::new(catalog, options, ctx.settings.now));
        let mut banner = format!("Serving {objects} objects read-only at {url}\n");
        if let Some(path) = &args.write_kubeconfig {
            let ca = match &args.tls_ca {
                Some(ca) => Some(std::fs::read(ca).with_context(|| format!("reading {}", ca.display()))?),
                None => None,
            };
            write_private(path, &kubeconfig(&url, args.token.as_deref(), tls.is_some(), ca.as_deref()))
                .with_context(|| format!("writing the kubeconfig {}", path.display()))?;
            banner.push_str(&format!("kubectl --kubeconfig {} get imagestreams -A\n", path.display()));
        } else {
            banner.push_str(&format!("kubectl --server {url} get imagestreams -A\n"));
        }
        ctx.printer.data(&banner)?;
        let printer =
            std::mem::replace(&mut ctx.printer, Printer::new(Box::new(std::io::sink()), Box::new(std::io::sink()), 0));
        http::serve(listener, api, Arc::new(Mutex::new(printer)), tls).await.context("serving")?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Writes a file only its owner can read: it may hold a token.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    file.write_all(text.as_bytes())
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
