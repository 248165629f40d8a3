//! Offline input: files, directories (recursively, in name order), must-gather trees in either
//! layout, `.tar`/`.tar.gz` archives and standard input (`-`). What an object is comes from its
//! content, never from where it sits, so both must-gather layouts (list files and per-object
//! files) and any hand-made tree load the same way.
//!
//! Hostile trees cost bounded time and memory: inside a directory only regular files are read
//! (a FIFO would block forever, a link to `/dev/zero` never ends), each directory is visited once
//! however many links lead to it, every file, archive member and standard input is read up to
//! `--max-file-size`, an archive decompresses at most `--max-archive-size`, and archive members
//! are decoded one at a time instead of all being held at once.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::catalog::Origin;
use crate::quantity::format_bytes;

use super::decode::{self, Decoded, Position, decode_with};
use super::{LoadNote, Loaded, Observer, Progress, Source, SourceError, Wants};

/// What one load may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputLimits {
    /// The largest file, archive member or standard input (`--max-file-size`).
    pub file: u64,
    /// The most bytes one archive may decompress to (`--max-archive-size`).
    pub archive: u64,
    /// What decoding one file may cost.
    pub decode: decode::Limits,
}

impl Default for InputLimits {
    fn default() -> InputLimits {
        InputLimits { file: 1 << 30, archive: 8 << 30, decode: decode::Limits::default() }
    }
}

/// Reads objects from `--from` paths.
#[derive(Clone, Debug)]
pub struct FileSource {
    paths: Vec<PathBuf>,
    limits: InputLimits,
}

impl FileSource {
    /// A source over these paths, read in the order given.
    pub fn new(paths: Vec<PathBuf>, limits: InputLimits) -> FileSource {
        FileSource { paths, limits }
    }
}

impl Source for FileSource {
    fn load(&self, wants: &Wants, observer: &dyn Observer) -> Result<Loaded, SourceError> {
        let mut loader = Loader {
            namespace_for_unset: wants.namespace_for_unset.clone(),
            observer,
            limits: self.limits,
            loaded: Loaded::default(),
            seen_files: BTreeSet::new(),
            seen_dirs: BTreeSet::new(),
            progress: Progress::default(),
            alias_budget: self.limits.decode.alias_expansion,
            roots: Vec::new(),
        };
        for path in &self.paths {
            if path.as_os_str() == "-" {
                let bytes = read_capped(std::io::stdin().lock(), "<stdin>", self.limits.file)?;
                loader.file("<stdin>", &bytes, true)?;
            } else {
                loader.path(path, true)?;
            }
        }
        Ok(loader.loaded)
    }
}

struct Loader<'a> {
    loaded: Loaded,
    observer: &'a dyn Observer,
    limits: InputLimits,
    /// Canonical paths of files already read: a file reached twice (named twice, or through a
    /// symbolic link) is read once, since it cannot disagree with itself.
    seen_files: BTreeSet<PathBuf>,
    /// Canonical directories already walked: loops and diamonds of links are walked once.
    seen_dirs: BTreeSet<PathBuf>,
    namespace_for_unset: Option<String>,
    progress: Progress,
    /// Bytes YAML aliases may still add, over every file of the load (`--max-alias-expansion`).
    alias_budget: u64,
    /// The directories named with --from, canonical: the walk stays inside them.
    roots: Vec<PathBuf>,
}

/// The file's name ends with one of `extensions`, in any case (`.YAML` is YAML too).
fn has_extension(name: &str, extensions: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    extensions.iter().any(|e| lower.ends_with(e))
}

/// File names read inside directories; anything else there is left alone.
fn is_manifest_name(name: &str) -> bool {
    has_extension(name, &[".yaml", ".yml", ".json"])
}

fn is_archive_name(name: &str) -> bool {
    has_extension(name, &[".tar", ".tar.gz", ".tgz"])
}

/// A heuristic for "this file was meant for us": an unparsable file that mentions our groups or
/// kinds is an error; any other unparsable file inside a directory is ignored with a warning.
fn mentions_our_kinds(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    ["image.openshift.io", "ImageStream", "ImageContentSourcePolicy", "MirrorSet", "config.openshift.io"]
        .iter()
        .any(|needle| text.contains(needle))
}

/// Whether the text declares an object of one of our kinds (`kind: ImageStream`,
/// `"kind":"ImageContentSourcePolicy"`, not a `*List`): such a file must not load as nothing
/// without a word.
fn declares_our_kind(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find("kind") {
        let after = &rest[at + 4..];
        rest = after;
        let value = after.trim_start_matches('"').trim_start().strip_prefix(':').map(str::trim_start);
        let Some(value) = value else { continue };
        let word: String =
            value.trim_start_matches(['"', '\'']).chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if word.starts_with("Image") && !word.ends_with("List") {
            return true;
        }
    }
    false
}

/// Whether `bytes` contain `Image` anywhere: a cheap, exact necessary condition for holding an
/// object isctl reads.
fn names_an_image_kind(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.contains("Image"),
        // Not text: parse it, so a binary file meant for us is reported rather than skipped.
        Err(_) => true,
    }
}

fn read_error(path: &Path, error: std::io::Error) -> SourceError {
    SourceError::Read { path: path.display().to_string(), source: error }
}

/// Reads at most `limit` bytes; more is an error that says which flag raises the limit.
fn read_capped(reader: impl Read, label: &str, limit: u64) -> Result<Vec<u8>, SourceError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| SourceError::Read { path: label.to_owned(), source: e })?;
    if bytes.len() as u64 > limit {
        return Err(too_large(label, limit));
    }
    Ok(bytes)
}

fn too_large(label: &str, limit: u64) -> SourceError {
    SourceError::Refused {
        path: label.to_owned(),
        reason: format!("larger than {} (raise --max-file-size to read it)", format_bytes(limit)),
    }
}

/// A reader that fails once more than `limit` bytes came through: an archive's decompressed
/// size is bounded however its members are declared.
struct Capped<R> {
    inner: R,
    read: u64,
    limit: u64,
}

/// The error a [`Capped`] reader gives, recognised when reporting.
#[derive(Debug, thiserror::Error)]
#[error("decompresses to more than the limit")]
struct ArchiveTooLarge;

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(std::io::Error::other(ArchiveTooLarge));
        }
        Ok(n)
    }
}

impl Loader<'_> {
    /// Reads a path. `explicit` is true for paths the user named: those must load, and they
    /// may be pipes (`--from <(oc get is -o yaml)`).
    fn path(&mut self, path: &Path, explicit: bool) -> Result<(), SourceError> {
        let metadata = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) if !explicit => {
                let words = read_error(path, e).to_string();
                self.ignore(path, format!("cannot be read: {}", words.rsplit(": ").next().unwrap_or("")));
                return Ok(());
            }
            Err(e) => return Err(read_error(path, e)),
        };
        if metadata.is_dir() {
            return self.directory(path, explicit);
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !explicit && !is_manifest_name(&name) && !is_archive_name(&name) {
            self.pass(path, "not a YAML or JSON file by name");
            return Ok(());
        }
        if !explicit && !metadata.is_file() {
            self.ignore(path, "not a regular file (a pipe, device or socket): left alone".into());
            return Ok(());
        }
        if metadata.is_file()
            && let Ok(canonical) = fs::canonicalize(path)
            && !self.seen_files.insert(canonical)
        {
            if explicit {
                self.ignore(path, "given more than once; read once".into());
            }
            return Ok(());
        }
        let label = path.display().to_string();
        if metadata.is_file() && metadata.len() > self.limits.file {
            return Err(too_large(&label, self.limits.file));
        }
        let file = fs::File::open(path).map_err(|e| read_error(path, e))?;
        let bytes = read_capped(file, &label, self.limits.file)?;
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".xz") || lower.ends_with(".txz") || bytes.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            return Err(SourceError::Refused {
                path: label,
                reason:
                    "xz-compressed archives are not supported; extract it first (tar -xJf FILE) and pass the directory"
                        .into(),
            });
        }
        if is_archive_name(&name) {
            return self.archive(&label, &bytes);
        }
        self.file(&label, &bytes, explicit)
    }

    fn directory(&mut self, path: &Path, explicit: bool) -> Result<(), SourceError> {
        let canonical = match fs::canonicalize(path) {
            Ok(canonical) => canonical,
            Err(e) if !explicit => {
                let words = read_error(path, e).to_string();
                self.ignore(path, format!("cannot be read: {}", words.rsplit(": ").next().unwrap_or("")));
                return Ok(());
            }
            Err(e) => return Err(read_error(path, e)),
        };
        if explicit {
            self.roots.push(canonical.clone());
        } else if !self.roots.iter().any(|root| canonical.starts_with(root)) {
            // As kubectl -R: a link out of the tree is not followed (a link to / would walk
            // the whole machine).
            self.pass(path, "a symbolic link out of the --from directory: not followed");
            return Ok(());
        }
        if !self.seen_dirs.insert(canonical) {
            match explicit {
                true => self.ignore(path, "given more than once; read once".into()),
                false => self.pass(path, "already read (a symbolic link leads here again)"),
            }
            return Ok(());
        }
        let entries = match fs::read_dir(path) {
            Ok(entries) => entries,
            Err(e) if !explicit => {
                self.ignore(path, format!("cannot be listed: {e}"));
                return Ok(());
            }
            Err(e) => return Err(read_error(path, e)),
        };
        let mut children = BTreeSet::new();
        for entry in entries {
            let entry = entry.map_err(|e| read_error(path, e))?;
            children.insert(entry.path());
        }
        children.iter().try_for_each(|child| self.path(child, false))
    }

    /// Reads a tar archive, plain or gzip-compressed, member by member: members are decoded as
    /// they come and added in name order once the archive is read.
    fn archive(&mut self, label: &str, bytes: &[u8]) -> Result<(), SourceError> {
        let gz = bytes.starts_with(&[0x1f, 0x8b]);
        let reader: Box<dyn Read + '_> =
            if gz { Box::new(flate2::read::GzDecoder::new(bytes)) } else { Box::new(bytes) };
        let mut archive = tar::Archive::new(Capped { inner: reader, read: 0, limit: self.limits.archive });
        let archive_limit = self.limits.archive;
        let archive_error = |e: std::io::Error| {
            let too_large = e.get_ref().is_some_and(|inner| inner.is::<ArchiveTooLarge>());
            let reason = if too_large {
                format!(
                    "decompresses to more than {} (raise --max-archive-size to read it)",
                    format_bytes(archive_limit)
                )
            } else {
                format!("not a readable tar archive: {e}")
            };
            SourceError::Refused { path: label.to_owned(), reason }
        };
        let mut members: Vec<(String, Result<Option<Decoded>, SourceError>)> = Vec::new();
        for entry in archive.entries().map_err(archive_error)? {
            let entry = entry.map_err(archive_error)?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let member = entry.path().map_err(archive_error)?.display().to_string();
            if !is_manifest_name(&member) {
                continue;
            }
            let member_label = format!("{label}!{member}");
            if entry.header().size().unwrap_or(0) > self.limits.file {
                return Err(too_large(&member_label, self.limits.file));
            }
            let mut content = Vec::new();
            entry.take(self.limits.file.saturating_add(1)).read_to_end(&mut content).map_err(archive_error)?;
            if content.len() as u64 > self.limits.file {
                return Err(too_large(&member_label, self.limits.file));
            }
            let decoded = self.decode(&member_label, &content, false);
            members.push((member_label, decoded));
        }
        members.sort_by(|a, b| a.0.cmp(&b.0));
        for (member_label, decoded) in members {
            if let Some(decoded) = decoded? {
                self.insert(&member_label, decoded);
            }
        }
        Ok(())
    }

    /// Decodes one file's bytes into the catalog.
    fn file(&mut self, label: &str, bytes: &[u8], explicit: bool) -> Result<(), SourceError> {
        if let Some(decoded) = self.decode(label, bytes, explicit)? {
            self.insert(label, decoded);
        }
        Ok(())
    }

    /// Decodes one file's bytes. `None` when the file is ignored (unparsable, inside a directory,
    /// and not about image objects).
    fn decode(&mut self, label: &str, bytes: &[u8], explicit: bool) -> Result<Option<Decoded>, SourceError> {
        self.loaded.files_read += 1;
        self.progress.files += 1;
        self.progress.bytes += bytes.len() as u64;
        self.observer.progress(self.progress);
        // Every object of ours names a kind that contains "Image" (a typed list's items borrow
        // the list's kind): a file without the word inside a directory is not parsed at all.
        if !explicit && !names_an_image_kind(bytes) {
            self.observer.note(LoadNote::IgnoredFile {
                path: label.to_owned(),
                reason: "names no image kind; not parsed".into(),
                warn: false,
            });
            return Ok(None);
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let valid = &bytes[..e.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
            let column = (valid.len() - valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)) as u64 + 1;
            (Position { line, column }, "not UTF-8 text (a binary file?)".to_owned())
        });
        // One alias budget for the whole load: many files may not each spend all of it.
        let limits = decode::Limits { alias_expansion: self.alias_budget };
        let decoded = text.and_then(|text| decode_with(text, &limits).map_err(|e| (e.position, e.message)));
        if let Ok(decoded) = &decoded {
            self.alias_budget = self.alias_budget.saturating_sub(decoded.alias_expansion);
        }
        let decoded = match decoded {
            Ok(decoded) => decoded,
            Err((position, message)) if !explicit && !mentions_our_kinds(bytes) => {
                self.observer.note(LoadNote::IgnoredFile {
                    path: label.to_owned(),
                    reason: format!("not valid YAML or JSON ({position}: {message})"),
                    warn: true,
                });
                return Ok(None);
            }
            Err((position, message)) => {
                self.observer.note(LoadNote::Unreadable { path: label.to_owned(), position, message });
                return Ok(None);
            }
        };
        if decoded.objects.is_empty() {
            if explicit && decoded.skipped.is_empty() {
                self.observer.note(LoadNote::IgnoredFile {
                    path: label.to_owned(),
                    reason: "holds no objects".into(),
                    warn: true,
                });
            }
            if declares_our_kind(&String::from_utf8_lossy(bytes)) {
                self.observer.note(LoadNote::Unread { path: label.to_owned() });
            }
        }
        Ok(Some(decoded))
    }

    /// Adds a decoded file's objects to the catalog, in file order.
    fn insert(&mut self, label: &str, decoded: Decoded) {
        for skipped in decoded.skipped {
            // Skipped objects are not located by the first pass; the file is enough to find them.
            self.observer.note(LoadNote::Skipped { origin: Origin(label.to_owned()), object: skipped });
        }
        for mut object in decoded.objects {
            if let Some(namespace) = &self.namespace_for_unset
                && object.object.kind().info().namespaced
                && object.object.meta().namespace().is_empty()
            {
                object.object.meta_mut().namespace = Some(namespace.clone());
            }
            let origin = match object.position.line {
                0 => Origin(label.to_owned()),
                line => Origin(format!("{label}:{line}")),
            };
            if let Some(duplicate) = self.loaded.catalog.insert(object.object, origin) {
                self.observer.note(LoadNote::Duplicate(duplicate));
            }
        }
    }

    /// A path left alone that the user should hear about.
    fn ignore(&mut self, path: &Path, reason: String) {
        self.observer.note(LoadNote::IgnoredFile { path: path.display().to_string(), reason, warn: true });
    }

    /// A path left alone as a matter of course (shown with `-v`).
    fn pass(&mut self, path: &Path, reason: &str) {
        self.observer.note(LoadNote::IgnoredFile {
            path: path.display().to_string(),
            reason: reason.to_owned(),
            warn: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_matched_in_any_case() {
        assert!(is_manifest_name("a.YAML") && is_manifest_name("b.Json") && is_archive_name("c.TAR.GZ"));
        assert!(!is_manifest_name("yaml") && !is_archive_name("x.tar.xz"));
    }

    #[test]
    fn declared_kinds_are_found_in_yaml_and_json() {
        assert!(declares_our_kind("kind: ImageStreamTag\n"));
        assert!(declares_our_kind("{\"kind\":\"ImageContentSourcePolicy\"}"));
        assert!(declares_our_kind("{\"kind\": \"Image\"}"));
        assert!(!declares_our_kind("kind: ImageStreamList\nitems: []\n"));
        assert!(!declares_our_kind("kind: ClusterOperator\nresource: imagestreams\n"));
    }
}
