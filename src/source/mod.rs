//! Sources of objects. Every source fills a [`Catalog`] and reports what it notices on the way
//! to an [`Observer`], as it happens (so `-v` shows the requests of a load that then fails);
//! commands never care where objects came from. Files ([`files`]) and a live cluster (`live`)
//! are the two implementations of [`Source`].

pub mod decode;
pub mod files;
pub(crate) mod live;

use std::cell::RefCell;
use std::fmt;

use crate::catalog::{Catalog, Duplicate, Origin, Replacement};
use decode::{Position, SkippedObject};

/// Something that can produce the objects a command needs.
pub trait Source {
    /// Loads at least the objects `wants` describes. Files hold what they hold and load it all;
    /// a cluster is asked for exactly what is wanted. Notes and progress go to `observer`.
    fn load(&self, wants: &Wants, observer: &dyn Observer) -> Result<Loaded, SourceError>;

    /// Hands every object of `kind` in `namespace` (all when `None`) to `sink`, one by one, in
    /// namespace and name order, and returns how many, and from how many files. A cluster's list goes page by page, so
    /// memory holds one page however long the list; files are loaded first, then walked.
    fn each(
        &self,
        kind: crate::model::ResourceKind,
        namespace: Option<&str>,
        observer: &dyn Observer,
        sink: &mut dyn FnMut(&crate::model::Object) -> std::io::Result<()>,
    ) -> Result<(usize, usize), EachError> {
        let wanted = ObjectsWanted { kind, namespace: namespace.map(str::to_owned), names: Vec::new() };
        let wants =
            Wants { objects: Some(wanted), namespace_for_unset: namespace.map(str::to_owned), ..Wants::default() };
        let loaded = self.load(&wants, observer).map_err(EachError::Source)?;
        let mut count = 0;
        for object in loaded.catalog.in_namespace(kind, namespace.filter(|_| kind.info().namespaced)) {
            sink(object).map_err(EachError::Sink)?;
            count += 1;
        }
        Ok((count, loaded.files_read))
    }
}

/// What stopped [`Source::each`]: the source, or the sink (a closed pipe).
#[derive(Debug)]
pub enum EachError {
    /// The source could not go on.
    Source(SourceError),
    /// The sink could not take an object.
    Sink(std::io::Error),
}

/// Where a source reports what it notices while loading.
pub trait Observer {
    /// Something the load noticed that did not stop it.
    fn note(&self, note: LoadNote);
    /// How far the load has come, for a progress line; sources call it often, cheaply.
    fn progress(&self, _progress: Progress) {}
}

/// How far a load has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Files (and archive members) read so far.
    pub files: u64,
    /// Bytes read so far.
    pub bytes: u64,
    /// Requests answered so far.
    pub requests: u64,
    /// Requests known to be needed, when known.
    pub(crate) requests_total: Option<u64>,
}

/// An observer that keeps every note, in order (for tests and for summing up afterwards).
#[derive(Debug, Default)]
pub struct Collect(pub RefCell<Vec<LoadNote>>);

impl Observer for Collect {
    fn note(&self, note: LoadNote) {
        self.0.borrow_mut().push(note);
    }
}

/// What a command needs, so a live source makes only the requests the answer needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wants {
    /// Objects of one kind: in `namespace` (all when `None`), by name (all when empty).
    pub objects: Option<ObjectsWanted>,
    /// ImageStreams: in `namespace` (all when `None`), by name (all when empty).
    pub streams: Option<(Option<String>, Vec<String>)>,
    /// The Images the loaded streams' histories reference, manifest-list children included.
    pub(crate) stream_images: bool,
    /// ImageContentSourcePolicies, ImageDigestMirrorSets, ImageTagMirrorSets and the cluster
    /// image config.
    pub(crate) mirror_rules: bool,
    /// Pods, workload controllers, DeploymentConfigs and BuildConfigs in this namespace (all
    /// when `None`), with the Roles, ClusterRoles and bindings that grant pulls: what
    /// `consumers` and `serve` read. Other commands never pay for them.
    pub workloads: Option<Option<String>>,
    /// Nothing but workloads and RBAC objects, and of each workload only what
    /// `crate::consumers` reads (its containers' images, triggers, owners): the second load
    /// of `consumers`, once the streams are known. `serve` and `record` keep workloads whole.
    pub(crate) workloads_only: bool,
    /// When not empty, a file is read for workloads only if it holds one of these strings (the
    /// digests and `stream:tag` names the answer is about): a must-gather's other Pods are
    /// never parsed. RBAC objects are read regardless; a cluster lists by kind and ignores them.
    pub(crate) workload_needles: Vec<String>,
    /// The namespace whose RoleBindings and Roles matter (the stream's); all when `None`.
    pub(crate) rbac_namespace: Option<String>,
    /// The namespace whose ImagePolicies matter (`mirrors -n`; the streams' namespace when
    /// they are in one): read there alone when every namespace's may not be listed.
    pub(crate) policy_namespace: Option<String>,
    /// Where namespaced objects read from files without a namespace belong: the namespace the
    /// command reads, as `kubectl -f FILE -n NS` places them. `None` leaves them without one.
    pub(crate) namespace_for_unset: Option<String>,
}

/// Objects of one kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectsWanted {
    /// The kind.
    pub kind: crate::model::ResourceKind,
    /// Namespace, or `None` for all (ignored for cluster-scoped kinds).
    pub namespace: Option<String>,
    /// Names; empty for all.
    pub names: Vec<String>,
}

/// The outcome of a load.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The objects.
    pub catalog: Catalog,
    /// Number of files (and archive members) read.
    pub(crate) files_read: usize,
}

/// Something a load noticed that did not stop it.
#[derive(Debug, PartialEq)]
pub enum LoadNote {
    /// The same object was read twice; the first copy is kept.
    Duplicate(Duplicate),
    /// The same object came from a later `--from`, which overlays the earlier one.
    Replaced(Replacement),
    /// An object of a kind isctl does not read.
    Skipped {
        /// Where it was.
        origin: Origin,
        /// What it was.
        object: SkippedObject,
    },
    /// A request made to a cluster (shown with `-v`).
    Request {
        /// `GET`.
        method: String,
        /// Path and query.
        path: String,
        /// HTTP status, or 0 when no response came.
        status: u16,
        /// How long it took, in milliseconds.
        millis: u128,
        /// Why there is no status: `timed out`, `connection refused`; empty otherwise.
        outcome: String,
    },
    /// Something the cluster would not tell, and what the answer assumes instead.
    Degraded(String),
    /// A file declares objects of isctl's kinds, yet none could be read from it.
    Unread {
        /// The file.
        path: String,
    },
    /// A file about image objects that cannot be decoded: the rest of the input is used, and
    /// the command exits 1.
    Unreadable {
        /// The file (or `archive!member`).
        path: String,
        /// Where in the file.
        position: Position,
        /// What is wrong, in the parser's words.
        message: String,
    },
    /// A file in a directory was not read: not YAML/JSON by name, or not ours and unparsable.
    IgnoredFile {
        /// The file.
        path: String,
        /// Why.
        reason: String,
        /// Whether the user should hear of it without `-v` (an unparsable file, a pipe) or not
        /// (a README, a directory reached again through a link).
        warn: bool,
    },
}

impl LoadNote {
    /// True for notes a user must see even without `-v`.
    pub(crate) fn is_warning(&self) -> bool {
        match self {
            LoadNote::Duplicate(_) | LoadNote::Replaced(_) => true,
            LoadNote::Skipped { .. } | LoadNote::Request { .. } => false,
            LoadNote::Degraded(_) | LoadNote::Unread { .. } | LoadNote::Unreadable { .. } => true,
            LoadNote::IgnoredFile { warn, .. } => *warn,
        }
    }
}

impl fmt::Display for LoadNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadNote::Duplicate(d) => {
                let name = if d.namespace.is_empty() { d.name.clone() } else { format!("{}/{}", d.namespace, d.name) };
                let how = if d.differs { "found again with different content" } else { "found again" };
                write!(
                    f,
                    "{} \"{}\" {} at {}; keeping the one from {}",
                    d.kind.qualified_plural(),
                    name,
                    how,
                    d.dropped,
                    d.kept
                )
            }
            LoadNote::Replaced(r) => {
                let name = if r.namespace.is_empty() { r.name.clone() } else { format!("{}/{}", r.namespace, r.name) };
                // Where first: the rest is cut first on a narrow terminal.
                write!(
                    f,
                    "{} replaces {} ({} \"{}\": a later --from overlays an earlier one)",
                    r.by,
                    r.replaced,
                    r.kind.qualified_plural(),
                    name
                )
            }
            LoadNote::Skipped { origin, object } => {
                let kind = if object.kind.is_empty() { "object without kind" } else { &object.kind };
                write!(f, "skipped {kind}")?;
                if !object.name.is_empty() {
                    write!(f, " \"{}\"", object.name)?;
                }
                write!(f, " at {origin}")
            }
            LoadNote::IgnoredFile { path, reason, .. } => write!(f, "ignored {path}: {reason}"),
            LoadNote::Unread { path } => write!(
                f,
                "{path} declares image objects, but none could be read (an unknown apiVersion or layout?); -v lists what was skipped"
            ),
            LoadNote::Request { method, path, status, millis, outcome } => {
                let status = match (*status, outcome.as_str()) {
                    (0, "") => "no response".to_owned(),
                    (0, outcome) => outcome.to_owned(),
                    (status, _) => status.to_string(),
                };
                write!(f, "{method} {path} {status} in {millis} milliseconds")
            }
            LoadNote::Degraded(message) => f.write_str(message),
            LoadNote::Unreadable { path, position, message } if position.line == 0 => write!(f, "{path}: {message}"),
            LoadNote::Unreadable { path, position, message } => write!(f, "{path}:{position}: {message}"),
        }
    }
}

/// Why a source could not load.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// A file's content is malformed.
    #[error("{path}:{position}: {message}")]
    Decode {
        /// The file (or `archive!member`).
        path: String,
        /// Where in the file.
        position: Position,
        /// What is wrong, in the parser's words.
        message: String,
    },
    /// A path could not be read at all.
    #[error("{path}: {}", io_words(.source))]
    Read {
        /// The path.
        path: String,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A file isctl will not read as it is (a limit, an unsupported format), and why.
    #[error("{path}: {reason}")]
    Refused {
        /// The path (or `archive!member`).
        path: String,
        /// Why, and what to do instead.
        reason: String,
    },
    /// No usable cluster configuration (kubeconfig, context, in-cluster service account).
    #[error("{message}")]
    Config {
        /// What is wrong, naming the file; never the file's content.
        message: String,
    },
    /// The server answered with an error (worded as kubectl words it).
    #[error("{}", api_words(.reason, .message))]
    Api {
        /// HTTP status code.
        code: u16,
        /// The Status reason (`NotFound`, `Forbidden`...).
        reason: String,
        /// The Status message.
        message: String,
    },
    /// 401: the credentials were refused or missing.
    #[error("You must be logged in to the server (Unauthorized)")]
    Unauthorized {
        /// Credentials were left out because the server URL is plain `http://`.
        withheld: bool,
    },
    /// The server could not be reached.
    #[error("The connection to the server {server} was refused - did you specify the right host or port?")]
    Unreachable {
        /// `host:port`.
        server: String,
    },
    /// A request took longer than `--request-timeout`.
    #[error(
        "Unable to connect to the server {server}: the request {path} did not finish within {after} (--request-timeout)"
    )]
    Timeout {
        /// `host:port`.
        server: String,
        /// The request path.
        path: String,
        /// The bound, as the user wrote it.
        after: String,
    },
    /// A request failed for another reason (TLS, protocol, a malformed answer).
    #[error("talking to {server}: {message}")]
    Transport {
        /// `host:port`.
        server: String,
        /// What went wrong, in one line.
        message: String,
        /// The underlying error, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

/// `Error from server (Reason): message`, or without the parentheses when the server gave no
/// reason (kubectl's `StandardErrorMessage`).
fn api_words(reason: &str, message: &str) -> String {
    if reason.is_empty() {
        format!("Error from server: {message}")
    } else {
        format!("Error from server ({reason}): {message}")
    }
}

/// How an I/O error reads after a path: lower-case, without the OS error number.
fn io_words(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_owned(),
        _ => {
            let text = error.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_owned()
        }
    }
}

impl SourceError {
    /// Whether this error is printed as is, in kubectl's words, rather than after `error: `.
    pub(crate) fn is_server_worded(&self) -> bool {
        matches!(self, SourceError::Api { .. } | SourceError::Unreachable { .. } | SourceError::Timeout { .. })
    }

    /// Advice that follows from the error, if any.
    pub fn hint(&self) -> Option<String> {
        match self {
            SourceError::Unauthorized { withheld: true } => Some(
                "isctl sent no credentials: the server's URL is plain http://, and credentials only travel over TLS \
                 (kubectl does the same); use an https:// server"
                    .into(),
            ),
            _ => None,
        }
    }
}
