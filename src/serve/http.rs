//! The HTTP shell around [`Api`]: hyper on a loopback socket, one task per connection.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use super::api::{self, Api};
use crate::printer::Printer;

/// Serves `api` on `listener` until the process ends; with `-v`, logs each request
/// (method, path, status) through the printer.
pub async fn serve(
    listener: TcpListener,
    api: Arc<Api>,
    printer: Arc<Mutex<Printer>>,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> std::io::Result<()> {
    loop {
        let (stream, _) = listener.accept().await?;
        let api = Arc::clone(&api);
        let printer = Arc::clone(&printer);
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                // A client that fails the handshake is its own business.
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        connection(stream, api, printer).await;
                    }
                }
                None => connection(stream, api, printer).await,
            }
        });
    }
}

/// Answers the requests of one connection.
async fn connection<S>(stream: S, api: Arc<Api>, printer: Arc<Mutex<Printer>>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request| {
        let api = Arc::clone(&api);
        let printer = Arc::clone(&printer);
        async move {
            let line = format!("{} {}", request.method(), request.uri());
            let response = answer(&api, request);
            if let Ok(mut printer) = printer.lock() {
                printer.verbose(1, &format!("{line} {}", response.status().as_u16()));
            }
            Ok::<_, Infallible>(response)
        }
    });
    // A client that hangs up mid-request is its own business.
    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
}

/// A TLS acceptor for a PEM certificate chain and private key.
pub fn tls_acceptor(cert: &std::path::Path, key: &std::path::Path) -> Result<tokio_rustls::TlsAcceptor, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<_, _>>())
        .map_err(|e| format!("{}: not a PEM certificate: {e}", cert.display()))?;
    let key =
        PrivateKeyDer::from_pem_file(key).map_err(|e| format!("{}: not a PEM private key: {e}", key.display()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("{}: {e}", cert.display()))?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// Binds `address`; port 0 picks a free one.
pub async fn bind(address: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(address).await
}

fn answer(api: &Api, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let query: BTreeMap<String, String> = request
        .uri()
        .query()
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (decode(k, true), decode(v, true))
                })
                .collect()
        })
        .unwrap_or_default();
    let reply = api.handle(&api::Request {
        method: request.method().as_str().to_owned(),
        path: decode(request.uri().path(), false),
        query,
        accept: header("accept").unwrap_or_default(),
        authorization: header("authorization"),
    });
    let body = serde_json::to_vec(&reply.body).expect("JSON values serialise");
    Response::builder()
        .status(reply.code)
        .header("content-type", "application/json")
        .header("cache-control", "no-cache, private")
        .body(Full::new(Bytes::from(body)))
        .expect("a valid response")
}

/// Percent-decoding of a path or, with `query`, a query part (where `+` is a space, as Go reads it).
fn decode(text: &str, query: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' if query => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
