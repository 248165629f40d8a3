//! Sources of objects. Every source fills a [`Catalog`] and reports what it noticed on the way;
//! commands never care where objects came from. Files are the only source so far; a live
//! cluster will be another implementation of [`Source`].

pub mod decode;
pub mod files;
pub mod live;

use std::fmt;

use crate::catalog::{Catalog, Duplicate, Origin};
use decode::{Position, SkippedObject};

/// Something that can produce the objects a command needs.
pub trait Source {
    /// Loads at least the objects `wants` describes. Files hold what they hold and load it all;
    /// a cluster is asked for exactly what is wanted.
    fn load(&self, wants: &Wants) -> Result<Loaded, SourceError>;
}

/// What a command needs, so a live source makes only the requests the answer needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wants {
    /// Objects of one kind: in `namespace` (all when `None`), by name (all when empty).
    pub objects: Option<ObjectsWanted>,
    /// ImageStreams: in `namespace` (all when `None`), by name (all when empty).
    pub streams: Option<(Option<String>, Vec<String>)>,
    /// The Images the loaded streams' histories reference, manifest-list children included.
    pub stream_images: bool,
    /// ImageContentSourcePolicies, ImageDigestMirrorSets, ImageTagMirrorSets and the cluster
    /// image config.
    pub mirror_rules: bool,
    /// Where namespaced objects read from files without a namespace belong: the namespace the
    /// command reads, as `kubectl -f FILE -n NS` places them. `None` leaves them without one.
    pub namespace_for_unset: Option<String>,
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

/// The outcome of a load: the objects and everything worth telling the user about.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The objects.
    pub catalog: Catalog,
    /// Notes in the order they arose.
    pub notes: Vec<LoadNote>,
    /// Number of files (and archive members) read.
    pub files_read: usize,
}

/// Something a load noticed that did not stop it.
#[derive(Debug, PartialEq)]
pub enum LoadNote {
    /// The same object was read twice; the first copy is kept.
    Duplicate(Duplicate),
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
    },
    /// Something the cluster would not tell, and what the answer assumes instead.
    Degraded(String),
    /// A file in a directory was not read: not YAML/JSON by name, or not ours and unparsable.
    IgnoredFile {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

impl LoadNote {
    /// True for notes a user must see even without `-v`.
    pub fn is_warning(&self) -> bool {
        match self {
            LoadNote::Duplicate(_) => true,
            LoadNote::Skipped { .. } | LoadNote::Request { .. } => false,
            LoadNote::Degraded(_) => true,
            LoadNote::IgnoredFile { reason, .. } => !reason.starts_with("not a YAML or JSON file"),
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
            LoadNote::Skipped { origin, object } => {
                let kind = if object.kind.is_empty() { "object without kind" } else { &object.kind };
                write!(f, "skipped {kind}")?;
                if !object.name.is_empty() {
                    write!(f, " \"{}\"", object.name)?;
                }
                write!(f, " at {origin}")
            }
            LoadNote::IgnoredFile { path, reason } => write!(f, "ignored {path}: {reason}"),
            LoadNote::Request { method, path, status, millis } => {
                let status = if *status == 0 { "no response".to_owned() } else { status.to_string() };
                write!(f, "{method} {path} {status} in {millis} milliseconds")
            }
            LoadNote::Degraded(message) => f.write_str(message),
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
        /// What is wrong.
        message: String,
    },
    /// A path could not be read at all.
    #[error("{path}: {message}")]
    Read {
        /// The path.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// No cluster configuration could be found or used.
    #[error("{0}")]
    Config(String),
    /// The server answered with an error (worded as kubectl words it).
    #[error("Error from server ({reason}): {message}")]
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
    Unauthorized,
    /// The server could not be reached.
    #[error("The connection to the server {server} was refused - did you specify the right host or port?")]
    Unreachable {
        /// `host:port`.
        server: String,
    },
    /// A request failed for another reason (timeout, TLS, protocol).
    #[error("{0}")]
    Transport(String),
}

impl SourceError {
    /// Whether this error is printed as is, in kubectl's words, rather than after `error: `.
    pub fn is_server_worded(&self) -> bool {
        matches!(self, SourceError::Api { .. } | SourceError::Unreachable { .. })
    }
}
