//! Sources of objects. Every source fills a [`Catalog`] and reports what it noticed on the way;
//! commands never care where objects came from. Files are the only source so far; a live
//! cluster will be another implementation of [`Source`].

pub mod decode;
pub mod files;

use std::fmt;

use crate::catalog::{Catalog, Duplicate, Origin};
use decode::{Position, SkippedObject};

/// Something that can produce the objects a command needs.
pub trait Source {
    /// Loads the objects.
    fn load(&self) -> Result<Loaded, SourceError>;
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
            LoadNote::Skipped { .. } => false,
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
}
