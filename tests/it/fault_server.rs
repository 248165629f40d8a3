//! A fault-injecting API server on loopback: each test scripts what it answers, request by
//! request (statuses, bodies, headers, delays, dropped connections), and reads back every
//! request it saw, headers included. It plays the hostile and broken servers isctl must
//! survive; `isctl serve` plays the honest one.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// `GET /path?query`.
    pub line: String,
    /// Header names (lower-case) and values.
    pub headers: Vec<(String, String)>,
    /// The body, as long as `content-length` says.
    pub body: String,
}

impl Seen {
    /// The request path with its query.
    pub fn path(&self) -> &str {
        self.line.split(' ').nth(1).unwrap_or_default()
    }

    /// One header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// What to do with one request.
pub enum Reply {
    /// A status, extra header lines (`name: value\r\n` each) and a body.
    Answer(u16, String, String),
    /// Wait, then answer.
    Later(Duration, Box<Reply>),
    /// Close the connection without answering.
    Hangup,
}

impl Reply {
    /// 200 with a JSON body.
    pub fn ok(body: impl Into<String>) -> Reply {
        Reply::Answer(200, String::new(), body.into())
    }

    /// A status with a body.
    pub fn status(code: u16, body: impl Into<String>) -> Reply {
        Reply::Answer(code, String::new(), body.into())
    }
}

/// The script: request number (from 0) and the request, to the reply.
type Script = dyn Fn(usize, &Seen) -> Reply + Send + Sync;

/// A running fault server; stopped on drop.
pub struct FaultServer {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<AtomicBool>,
}

impl FaultServer {
    /// Starts a server that answers each request with `script`.
    pub fn start(script: impl Fn(usize, &Seen) -> Reply + Send + Sync + 'static) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let script: Arc<Script> = Arc::new(script);
        let count = Arc::new(AtomicUsize::new(0));
        let (seen_in, stop_in) = (Arc::clone(&seen), Arc::clone(&stop));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop_in.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (seen, script, count) = (Arc::clone(&seen_in), Arc::clone(&script), Arc::clone(&count));
                std::thread::spawn(move || serve_connection(stream, &seen, &*script, &count));
            }
        });
        FaultServer { url, seen, stop }
    }

    /// Every request seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// A kubeconfig for this server in `dir`, with `user` as the user entry's YAML body.
    pub fn kubeconfig(&self, dir: &std::path::Path, user: &str) -> std::path::PathBuf {
        let path = dir.join("kubeconfig");
        std::fs::write(
            &path,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {}\nusers:\n- name: u\n  user: {user}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n    namespace: x\ncurrent-context: c\n",
                self.url
            ),
        )
        .unwrap();
        path
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

fn serve_connection(stream: TcpStream, seen: &Mutex<Vec<Seen>>, script: &Script, count: &AtomicUsize) {
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    // A TLS handshake (a client trying HTTPS first, as `--verify` does for an insecure
    // registry) is hung up on, as a plain-HTTP server's garbage answer would end it.
    if reader.fill_buf().map(|b| b.first() == Some(&0x16)).unwrap_or(true) {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = Vec::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                break;
            }
            if let Some((name, value)) = header.trim_end().split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok());
        let mut body = vec![0; length.unwrap_or(0)];
        if std::io::Read::read_exact(&mut reader, &mut body).is_err() {
            return;
        }
        let body = String::from_utf8_lossy(&body).into_owned();
        let request = Seen { line: line.trim_end().to_owned(), headers, body };
        seen.lock().unwrap().push(request.clone());
        let mut reply = script(count.fetch_add(1, Ordering::SeqCst), &request);
        while let Reply::Later(delay, next) = reply {
            std::thread::sleep(delay);
            reply = *next;
        }
        match reply {
            Reply::Answer(code, extra, body) => {
                // One write: split writes meet Nagle's algorithm and delayed ACKs (40 ms each).
                // A content type among the extra headers replaces the default one.
                let json = if extra.to_ascii_lowercase().contains("content-type:") {
                    ""
                } else {
                    "content-type: application/json\r\n"
                };
                let response =
                    format!("HTTP/1.1 {code} X\r\n{json}content-length: {}\r\n{extra}\r\n{body}", body.len());
                if writer.write_all(response.as_bytes()).is_err() {
                    return;
                }
            }
            Reply::Hangup | Reply::Later(..) => return,
        }
    }
}

/// An ImageStreamList holding `items` (JSON objects), with a continue token when given.
pub fn stream_list(items: &[String], next: Option<&str>) -> String {
    let continue_token = next.map(|t| format!(",\"continue\":\"{t}\"")).unwrap_or_default();
    format!(
        "{{\"apiVersion\":\"image.openshift.io/v1\",\"kind\":\"ImageStreamList\",\"metadata\":{{\"resourceVersion\":\"1\"{continue_token}}},\"items\":[{}]}}",
        items.join(",")
    )
}

/// An empty list of any kind (for the mirror-rule lists every resolve asks for).
pub fn empty_list(kind: &str) -> String {
    format!("{{\"apiVersion\":\"v1\",\"kind\":\"{kind}List\",\"metadata\":{{\"resourceVersion\":\"1\"}},\"items\":[]}}")
}

/// A 404 Status.
pub fn not_found() -> Reply {
    Reply::status(
        404,
        r#"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"not found"}"#,
    )
}
