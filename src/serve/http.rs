//! The HTTP shell around [`Api`]: hyper on a socket, one task per connection, and the bounds
//! that keep the server answering under abuse:
//!
//! - a client must send a request's headers (or its first request) within the header timeout,
//!   and a TLS client must finish its handshake within the same bound;
//! - at most `max_connections` connections are open; beyond that, and whenever the process runs
//!   out of file descriptors, the oldest connection that has not yet been answered is closed to
//!   make room, so idle and slow-header clients cannot lock others out, and `accept` failing for
//!   lack of descriptors is survived, never the end of the server;
//! - a response that the client stops reading is abandoned after the write timeout, and the
//!   bytes of responses waiting for their clients are bounded: a heavy request waits rather than
//!   growing memory;
//! - requests are answered on a pool of blocking threads, so a heavy list never holds up a
//!   light GET on another connection.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Body, Bytes, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use super::api::{self, Api};
use crate::printer::Printer;

/// The server's bounds (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Open connections at most.
    pub max_connections: usize,
    /// Time a client has to send a request's headers, or to finish a TLS handshake.
    pub header_timeout: Duration,
    /// Time a response may go without the client reading any of it.
    pub write_timeout: Duration,
    /// Bytes of finished responses that may wait for their clients at once.
    pub response_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            response_bytes: 256 << 20,
        }
    }
}

/// The open connections, oldest first: whether each has been answered, and how to close it.
#[derive(Default)]
struct Registry {
    next: u64,
    open: BTreeMap<u64, (Arc<AtomicBool>, oneshot::Sender<()>)>,
}

impl Registry {
    /// Closes the oldest connection not yet answered (or, when every one has been, the oldest).
    fn evict(&mut self) -> bool {
        let victim = self
            .open
            .iter()
            .find(|(_, (answered, _))| !answered.load(Ordering::Relaxed))
            .or_else(|| self.open.iter().next())
            .map(|(id, _)| *id);
        match victim.and_then(|id| self.open.remove(&id)) {
            Some((_, close)) => {
                let _ = close.send(());
                true
            }
            None => false,
        }
    }
}

/// What every connection shares.
struct Shared {
    api: Arc<Api>,
    printer: Arc<Mutex<Printer>>,
    limits: Limits,
    registry: Mutex<Registry>,
    /// Response kibibytes that may wait for clients.
    bytes: Arc<Semaphore>,
    /// List requests being answered at once.
    work: Arc<Semaphore>,
}

/// Serves `api` on `listener` until the process ends or the socket fails for good (an error the
/// command reports); with `-v`, logs each request (method, path, status) through the printer.
pub(crate) async fn serve(
    listener: TcpListener,
    api: Arc<Api>,
    printer: Arc<Mutex<Printer>>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    limits: Limits,
) -> std::io::Result<()> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    let shared = Arc::new(Shared {
        api,
        printer,
        limits,
        registry: Mutex::new(Registry::default()),
        bytes: Arc::new(Semaphore::new((limits.response_bytes >> 10).max(1))),
        work: Arc::new(Semaphore::new(workers)),
    });
    let mut warned_exhaustion = false;
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) if out_of_resources(&error) => {
                // Free a descriptor by closing the oldest unanswered connection, then try again.
                let evicted = shared.registry.lock().is_ok_and(|mut r| r.evict());
                if !warned_exhaustion {
                    warned_exhaustion = true;
                    if let Ok(mut printer) = shared.printer.lock() {
                        printer.warning(&format!(
                            "out of file descriptors ({error}); closing the oldest unanswered connections to keep serving"
                        ));
                    }
                }
                // The evicted connection's task must run to free its descriptor: retrying at
                // once would evict one connection after another (the newest too) on a busy
                // machine, before any descriptor came back.
                let pause = if evicted { 10 } else { 50 };
                tokio::time::sleep(Duration::from_millis(pause)).await;
                continue;
            }
            // A client that gave up before being accepted is its own business.
            Err(error) if is_transient(&error) => continue,
            Err(error) => return Err(error),
        };
        let (answered, close) = (Arc::new(AtomicBool::new(false)), oneshot::channel());
        if let Ok(mut registry) = shared.registry.lock() {
            if registry.open.len() >= limits.max_connections {
                registry.evict();
            }
            registry.next += 1;
            let id = registry.next;
            registry.open.insert(id, (Arc::clone(&answered), close.0));
            let shared = Arc::clone(&shared);
            let tls = tls.clone();
            tokio::spawn(async move {
                let closed = close.1;
                let served = async {
                    match tls {
                        Some(acceptor) => {
                            // A client that does not finish its handshake in time is dropped.
                            let handshake = tokio::time::timeout(limits.header_timeout, acceptor.accept(stream));
                            if let Ok(Ok(stream)) = handshake.await {
                                connection(stream, &shared, &answered).await;
                            }
                        }
                        None => connection(stream, &shared, &answered).await,
                    }
                };
                tokio::select! {
                    () = served => {}
                    _ = closed => {}
                }
                if let Ok(mut registry) = shared.registry.lock() {
                    registry.open.remove(&id);
                }
            });
        }
    }
}

/// `accept` failed because the process or system is out of descriptors or memory.
fn out_of_resources(error: &std::io::Error) -> bool {
    // EMFILE, ENFILE, ENOMEM (the same numbers on Linux and the BSDs).
    matches!(error.raw_os_error(), Some(24 | 23 | 12)) || error.kind() == std::io::ErrorKind::OutOfMemory
}

fn is_transient(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(error.kind(), ConnectionAborted | ConnectionReset | Interrupted | WouldBlock | TimedOut)
}

/// Answers the requests of one connection.
async fn connection<S>(stream: S, shared: &Arc<Shared>, answered: &Arc<AtomicBool>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(|request: Request<Incoming>| {
        let shared = Arc::clone(shared);
        let answered = Arc::clone(answered);
        async move {
            let line = format!("{} {}", request.method(), request.uri());
            let request = api_request(&request);
            // Lists take turns on a few workers; a GET never waits behind them.
            let work = if request.is_list() { Some(Arc::clone(&shared.work).acquire_owned().await) } else { None };
            let api = Arc::clone(&shared.api);
            // The answer is computed off the reactor threads.
            let reply = tokio::task::spawn_blocking(move || api.handle(&request)).await;
            let (status, body) = match reply {
                Ok(reply) => (reply.code, reply.text().into_bytes()),
                Err(_) => (
                    500,
                    br#"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"InternalError","code":500}"#
                        .to_vec(),
                ),
            };
            let kib = ((body.len() >> 10) + 1).min((shared.limits.response_bytes >> 10).max(1));
            let permit = Arc::clone(&shared.bytes).acquire_many_owned(kib as u32).await.ok();
            drop(work);
            answered.store(true, Ordering::Relaxed);
            if let Ok(mut printer) = shared.printer.lock() {
                printer.verbose(1, &format!("{line} {status}"));
            }
            let response = Response::builder()
                .status(status)
                .header("content-type", "application/json")
                .header("cache-control", "no-cache, private")
                .body(Budgeted { inner: Full::new(Bytes::from(body)), _permit: permit })
                .unwrap_or_else(|_| Response::new(Budgeted { inner: Full::new(Bytes::new()), _permit: None }));
            Ok::<_, Infallible>(response)
        }
    });
    let io = TokioIo::new(WriteDeadline::new(stream, shared.limits.write_timeout));
    // A client that hangs up mid-request, or times out, is its own business.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(shared.limits.header_timeout)
        .max_buf_size(64 << 10)
        .serve_connection(io, service)
        .await;
}

/// The parts of a request the API reads.
fn api_request(request: &Request<Incoming>) -> api::Request {
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
    api::Request {
        method: request.method().as_str().to_owned(),
        path: decode(request.uri().path(), false),
        query,
        accept: header("accept").unwrap_or_default(),
        authorization: header("authorization"),
    }
}

/// A response body that holds its share of the response budget until it is sent or dropped.
struct Budgeted {
    inner: Full<Bytes>,
    _permit: Option<OwnedSemaphorePermit>,
}

impl Body for Budgeted {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.inner.size_hint()
    }
}

/// A stream whose writes fail once the peer has read nothing for `timeout`.
struct WriteDeadline<S> {
    inner: S,
    timeout: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> WriteDeadline<S> {
    fn new(inner: S, timeout: Duration) -> WriteDeadline<S> {
        WriteDeadline { inner, timeout, stalled: None }
    }

    /// After a write that made no progress: fail once it has been so for `timeout`.
    fn check(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<usize>> {
        let timeout = self.timeout;
        let sleep = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client stopped reading its response",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for WriteDeadline<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, buf) {
            Poll::Pending => self.check(cx),
            ready => {
                self.stalled = None;
                ready
            }
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Pending => self.check(cx).map(|r| r.map(|_| ())),
            ready => {
                self.stalled = None;
                ready
            }
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A TLS acceptor for a PEM certificate chain and private key, each given as its file's name
/// (for messages) and bytes (read by the caller within `--max-file-size`).
pub(crate) fn tls_acceptor(
    (cert, cert_pem): (&std::path::Path, &[u8]),
    (key, key_pem): (&std::path::Path, &[u8]),
) -> Result<tokio_rustls::TlsAcceptor, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: not a PEM certificate: {e}", cert.display()))?;
    let key =
        PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| format!("{}: not a PEM private key: {e}", key.display()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("{}: {e}", cert.display()))?;
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// Binds `address`; port 0 picks a free one.
pub(crate) async fn bind(address: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(address).await
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
