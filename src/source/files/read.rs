//! Reading one file found by the walk: its bytes within the limits, an archive's members, and
//! each decoded, or set aside when the bytes show it cannot hold an object isctl reads. Pure
//! apart from reading the file: what it notices comes back as notes, so files can be read on
//! several threads and still be reported, and added to the catalog, in the walk's order.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::InputLimits;
use crate::model::ResourceKind;
use crate::quantity::format_bytes;
use crate::source::decode::{Decoded, Position, Selection, decode_selected};
use crate::source::{LoadNote, SourceError};

/// A file (or standard input) the walk found, to be read.
#[derive(Clone, Debug)]
pub(super) struct Job {
    /// The file; `None` is standard input.
    pub path: Option<PathBuf>,
    /// The name messages use.
    pub label: String,
    /// Named by the user: read whatever it holds, and report what it does not.
    pub explicit: bool,
    /// Which `--from` it was found under: a later one overlays an earlier one.
    pub layer: usize,
}

/// One file or archive member, read and decoded.
#[derive(Debug)]
pub(super) struct Unit {
    /// The file, or `archive!member`.
    pub label: String,
    /// Its size.
    pub bytes: u64,
    /// Its objects, when it was parsed and could be.
    pub decoded: Option<Decoded>,
    /// What reading it noticed, in order.
    pub notes: Vec<LoadNote>,
    /// Set aside unread: it can hold only Images, and the streams have not said which yet.
    pub deferred: bool,
    /// Not parsed although it may hold workloads: none of the needles is in it.
    pub workloads_unread: bool,
}

/// How a file is read, beside what is kept of it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reading<'a> {
    /// A file found in a directory that can hold nothing but Images is set aside unparsed.
    pub defer_images: bool,
    /// Workloads and RBAC objects are wanted: files that may hold them are parsed too.
    pub workloads: bool,
    /// Image objects are wanted: files that may hold them are parsed.
    pub images: bool,
    /// A file is parsed for workloads only when it holds one of these (RBAC objects always).
    pub needles: Option<&'a aho_corasick::AhoCorasick>,
    /// The longest needle, in bytes.
    pub longest_needle: usize,
}

impl Reading<'_> {
    /// Whether `bytes` may hold what this reading wants: one of isctl's image objects, or (with
    /// workloads) an RBAC object, or a workload that mentions one of the needles.
    fn wants(&self, bytes: &[u8]) -> bool {
        (self.images && may_hold_our_objects(bytes))
            || (self.workloads
                && (may_hold_access(bytes)
                    || (may_hold_workloads(bytes) && self.needles.is_none_or(|n| n.is_match(bytes)))))
    }
}

/// Reads a job: one unit, or one per archive member in name order. An error (a file that cannot
/// be read, a limit reached) ends the load.
/// A file the user named is read whole: every object in it is checked, whatever the command needs.
/// With [`Reading::defer_images`], a file found in a directory whose bytes can hold nothing but
/// Images is set aside unparsed ([`Unit::deferred`]).
pub(super) fn read_job(
    job: &Job,
    limits: &InputLimits,
    keep: Selection<'_>,
    reading: Reading<'_>,
) -> Result<Vec<Unit>, SourceError> {
    let everything = |_: ResourceKind, _: &str, _: &str| true;
    let keep: Selection<'_> = if job.explicit { &everything } else { keep };
    let Some(path) = &job.path else {
        let bytes = read_capped(std::io::stdin().lock(), &job.label, limits.file)?;
        return Ok(vec![examine(&job.label, &bytes, true, limits, keep, reading)]);
    };
    let label = &job.label;
    if let Ok(metadata) = fs::metadata(path)
        && metadata.is_file()
        && metadata.len() > limits.file
    {
        return Err(too_large(label, limits.file));
    }
    let mut file = fs::File::open(path).map_err(|e| read_error(path, e))?;
    if !job.explicit && !is_archive_name(&path.to_string_lossy()) {
        // Most of a must-gather holds none of isctl's objects: tell from a scan in small pieces,
        // without holding the file.
        let (hold, size, workloads_unread) = scan(&mut file, &reading).map_err(|e| read_error(path, e))?;
        if !hold {
            return Ok(vec![Unit { workloads_unread, ..set_aside(label, size) }]);
        }
        std::io::Seek::rewind(&mut file).map_err(|e| read_error(path, e))?;
    }
    let bytes = read_capped(file, label, limits.file)?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if name.ends_with(".xz") || name.ends_with(".txz") || bytes.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        return Err(SourceError::Refused {
            path: label.clone(),
            reason: "xz-compressed archives are not supported; extract it first (tar -xJf FILE) and pass the directory"
                .into(),
        });
    }
    if is_archive_name(&name) {
        return archive(label, &bytes, limits, keep, reading);
    }
    // RBAC rules name image.openshift.io too: a Role file is not an Images-only file.
    let other_objects = || {
        may_hold_more_than_images(&bytes)
            || (reading.workloads && (may_hold_workloads(&bytes) || may_hold_access(&bytes)))
    };
    if reading.defer_images && !job.explicit && !other_objects() {
        let size = bytes.len() as u64;
        let unit = Unit { deferred: true, notes: Vec::new(), ..set_aside(label, size) };
        return Ok(vec![unit]);
    }
    Ok(vec![examine(label, &bytes, job.explicit, limits, keep, reading)])
}

/// Reads a tar archive, plain or gzip-compressed, member by member; members are decoded as
/// they come, and returned in name order.
fn archive(
    label: &str,
    bytes: &[u8],
    limits: &InputLimits,
    keep: Selection<'_>,
    reading: Reading<'_>,
) -> Result<Vec<Unit>, SourceError> {
    let mut archive = tar::Archive::new(Capped { inner: decompressed(bytes), read: 0, limit: limits.archive });
    let archive_error = |e: std::io::Error| {
        let too_large = e.get_ref().is_some_and(|inner| inner.is::<ArchiveTooLarge>());
        let reason = if too_large {
            format!("decompresses to more than {} (raise --max-archive-size to read it)", format_bytes(limits.archive))
        } else {
            format!("not a readable tar archive: {e}")
        };
        SourceError::Refused { path: label.to_owned(), reason }
    };
    // Members are scanned as streams, as files in a directory are: one that holds none of
    // isctl's objects is never held whole, however large. One that does is parsed, so held;
    // when its marks come only after the first HOLD bytes, it is read again in a second pass.
    let mut members = Vec::new();
    let mut again: BTreeSet<usize> = BTreeSet::new();
    for (index, entry) in archive.entries().map_err(archive_error)?.enumerate() {
        let entry = entry.map_err(archive_error)?;
        let Some(member_label) = member_label(label, &entry).map_err(archive_error)? else { continue };
        if entry.header().size().unwrap_or(0) > limits.file {
            return Err(too_large(&member_label, limits.file));
        }
        let mut capped = entry.take(limits.file.saturating_add(1));
        let scanned = scan_holding(&mut capped, &reading, HOLD).map_err(archive_error)?;
        if scanned.size > limits.file {
            return Err(too_large(&member_label, limits.file));
        }
        match scanned.held {
            _ if !scanned.wanted => {
                let unit =
                    Unit { workloads_unread: scanned.workloads_unread, ..set_aside(&member_label, scanned.size) };
                members.push(unit);
            }
            Some(content) => members.push(examine(&member_label, &content, false, limits, keep, reading)),
            None => _ = again.insert(index),
        }
    }
    if !again.is_empty() {
        let mut archive = tar::Archive::new(Capped { inner: decompressed(bytes), read: 0, limit: limits.archive });
        for (index, entry) in archive.entries().map_err(archive_error)?.enumerate() {
            let entry = entry.map_err(archive_error)?;
            if !again.contains(&index) {
                continue;
            }
            let Some(member_label) = member_label(label, &entry).map_err(archive_error)? else { continue };
            let mut content = Vec::new();
            entry.take(limits.file.saturating_add(1)).read_to_end(&mut content).map_err(archive_error)?;
            if content.len() as u64 > limits.file {
                return Err(too_large(&member_label, limits.file));
            }
            members.push(examine(&member_label, &content, false, limits, keep, reading));
        }
    }
    members.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(members)
}

/// How much of an archive member a scan keeps while it cannot yet tell whether the member holds
/// an object isctl reads: a file's marks are nearly always in its first lines.
const HOLD: usize = 4 << 20;

/// An archive's bytes, decompressed when they are gzip's.
fn decompressed(bytes: &[u8]) -> Box<dyn Read + '_> {
    match bytes.starts_with(&[0x1f, 0x8b]) {
        true => Box::new(flate2::read::GzDecoder::new(bytes)),
        false => Box::new(bytes),
    }
}

/// `archive!member` for a regular member with a manifest's name; `None` for anything else.
fn member_label<R: Read>(label: &str, entry: &tar::Entry<'_, R>) -> std::io::Result<Option<String>> {
    if !entry.header().entry_type().is_file() {
        return Ok(None);
    }
    let member = entry.path()?.display().to_string();
    Ok(is_manifest_name(&member).then(|| format!("{label}!{member}")))
}

/// Decodes one file's bytes, or sets them aside: inside a directory, a file whose bytes cannot
/// hold one of isctl's objects (or, with `workloads`, a workload or RBAC object) is not parsed,
/// and an unparsable file that is not about image objects is ignored with a warning.
pub(super) fn examine(
    label: &str,
    bytes: &[u8],
    explicit: bool,
    limits: &InputLimits,
    keep: Selection<'_>,
    reading: Reading<'_>,
) -> Unit {
    if !explicit && !reading.wants(bytes) {
        let workloads_unread = reading.workloads && may_hold_workloads(bytes);
        return Unit { workloads_unread, ..set_aside(label, bytes.len() as u64) };
    }
    let mut unit = Unit { notes: Vec::new(), ..set_aside(label, bytes.len() as u64) };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let column = (valid.len() - valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)) as u64 + 1;
        (Position { line, column }, "not UTF-8 text (a binary file?)".to_owned())
    });
    // The second load of `consumers`: only the items that name the answer (or are RBAC
    // objects) are parsed.
    let mut trimmed = None;
    if let (Ok(whole), Some(needles), false) = (&text, reading.needles, explicit) {
        let wanted = |item: &str| needles.is_match(item) || item.contains("rbac.authorization.k8s.io");
        match super::items::blank_unwanted(whole, &wanted) {
            Some((_, 0)) => return Unit { workloads_unread: true, ..set_aside(label, bytes.len() as u64) },
            Some((kept, _)) => trimmed = Some(kept),
            None => {}
        }
    }
    let text = text.map(|whole| trimmed.as_deref().unwrap_or(whole));
    let decoded =
        match text.and_then(|text| decode_selected(text, &limits.decode, keep).map_err(|e| (e.position, e.message))) {
            Ok(decoded) => decoded,
            Err((position, message)) if !explicit && !mentions_our_kinds(bytes) => {
                let reason = format!("not valid YAML or JSON ({position}: {message})");
                unit.notes.push(LoadNote::IgnoredFile { path: label.to_owned(), reason, warn: true });
                return unit;
            }
            Err((position, message)) => {
                unit.notes.push(LoadNote::Unreadable { path: label.to_owned(), position, message });
                return unit;
            }
        };
    if decoded.objects.is_empty() && decoded.left_out.is_empty() {
        if explicit && decoded.skipped.is_empty() {
            let reason = "holds no objects".into();
            unit.notes.push(LoadNote::IgnoredFile { path: label.to_owned(), reason, warn: true });
        }
        if declares_our_kind(&String::from_utf8_lossy(bytes)) {
            unit.notes.push(LoadNote::Unread { path: label.to_owned() });
        }
    }
    unit.decoded = Some(decoded);
    unit
}

/// A file whose bytes hold none of isctl's objects: not parsed (said with `-v`).
fn set_aside(label: &str, size: u64) -> Unit {
    let reason = "names no image kind or group; not parsed".into();
    let notes = vec![LoadNote::IgnoredFile { path: label.to_owned(), reason, warn: false }];
    Unit { label: label.to_owned(), bytes: size, decoded: None, notes, deferred: false, workloads_unread: false }
}

/// Reads a file in pieces, keeping only the last few bytes of each for marks that span two,
/// and says whether it may hold one of isctl's objects ([`may_hold_our_objects`]), and its size.
/// With workloads wanted, also says whether the file may hold workloads that were not read for
/// lack of a needle.
fn scan(file: &mut impl Read, reading: &Reading<'_>) -> std::io::Result<(bool, u64, bool)> {
    let scanned = scan_holding(file, reading, 0)?;
    Ok((scanned.wanted, scanned.size, scanned.workloads_unread))
}

/// What [`scan_holding`] found.
#[derive(Debug, PartialEq)]
struct Scanned {
    /// It may hold what the reading wants: it has to be parsed.
    wanted: bool,
    /// The bytes read: all of them when not wanted, or when wanted and held.
    size: u64,
    /// Not wanted, but it may hold workloads that name none of the needles.
    workloads_unread: bool,
    /// When wanted and found so within the first `hold` bytes: all of its bytes.
    held: Option<Vec<u8>>,
}

/// [`scan`] over a stream that cannot be read twice (an archive member): the bytes are kept
/// until more than `hold` of them (and one piece) show no mark; when the marks show the stream
/// is wanted by then, the rest is read and the whole is returned. Memory stays near `hold` for
/// a stream that is not wanted, whatever its size.
fn scan_holding(reader: &mut impl Read, reading: &Reading<'_>, hold: usize) -> std::io::Result<Scanned> {
    const PIECE: usize = 256 << 10;
    let overlap = reading.longest_needle.max(32);
    let mut buffer = vec![0u8; PIECE + overlap];
    let mut held: Option<Vec<u8>> = (hold > 0).then(Vec::new);
    let (mut kept, mut size) = (0, 0u64);
    let (mut image, mut mark, mut workload, mut needle) = (false, false, false, reading.needles.is_none());
    let wanted = loop {
        let n = reader.read(&mut buffer[kept..])?;
        if n == 0 {
            let workloads_unread = reading.workloads && workload;
            return Ok(Scanned { wanted: false, size, workloads_unread, held: None });
        }
        size += n as u64;
        if let Some(bytes) = &mut held {
            bytes.extend_from_slice(&buffer[kept..kept + n]);
        }
        let window = &buffer[..kept + n];
        image |= memchr::memmem::find(window, b"Image").is_some();
        mark |= MARKS.iter().any(|m| memchr::memmem::find(window, m).is_some());
        if reading.images && image && mark {
            break true;
        }
        if reading.workloads {
            if may_hold_access(window) {
                break true;
            }
            workload |= may_hold_workloads(window);
            needle |= reading.needles.is_some_and(|n| n.is_match(window));
            if workload && needle {
                break true;
            }
        }
        if held.as_ref().is_some_and(|bytes| bytes.len() > hold) {
            held = None;
        }
        let end = kept + n;
        kept = end.min(overlap);
        buffer.copy_within(end - kept..end, 0);
    };
    if let Some(bytes) = &mut held {
        reader.read_to_end(bytes)?;
        size = bytes.len() as u64;
    }
    Ok(Scanned { wanted, size, workloads_unread: false, held })
}

/// The file's name ends with one of `extensions`, in any case (`.YAML` is YAML too).
fn has_extension(name: &str, extensions: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    extensions.iter().any(|e| lower.ends_with(e))
}

/// File names read inside directories; anything else there is left alone.
pub(super) fn is_manifest_name(name: &str) -> bool {
    has_extension(name, &[".yaml", ".yml", ".json"])
}

/// Archive names read inside directories.
pub(super) fn is_archive_name(name: &str) -> bool {
    has_extension(name, &[".tar", ".tar.gz", ".tgz"])
}

/// Whether `bytes` may hold an object isctl reads: every such object names a kind containing
/// `Image` and, in plain text, either an API group of OpenShift's image, operator or config APIs
/// or (the legacy `apiVersion: v1` form) a kind starting with `Image`. A must-gather is mostly
/// Pods, Events and ConfigMaps that hold neither, and are never parsed.
fn may_hold_our_objects(bytes: &[u8]) -> bool {
    use memchr::memmem::find;
    find(bytes, b"Image").is_some() && MARKS.iter().any(|mark| find(bytes, mark).is_some())
}

/// Whether `bytes` may hold one of isctl's objects other than an Image: every other kind is
/// spelled with one of these words (the cluster image config, kind `Image`, by its group).
/// A file without them holds Images at most, and a load that wants only some Images can wait
/// to read it until it knows which.
fn may_hold_more_than_images(bytes: &[u8]) -> bool {
    const OTHERS: [&[u8]; 4] = [b"ImageStream", b"ImageContentSourcePolicy", b"MirrorSet", b"config.openshift.io"];
    OTHERS.iter().any(|word| memchr::memmem::find(bytes, word).is_some())
}

/// Whether `bytes` may hold a workload, a DeploymentConfig or a BuildConfig: each names its API
/// group, or is a core Pod or ReplicationController.
fn may_hold_workloads(bytes: &[u8]) -> bool {
    const WORDS: [&[u8]; 6] =
        [b"apps.openshift.io", b"build.openshift.io", b"apps/v1", b"batch/v1", b"Pod", b"ReplicationController"];
    WORDS.iter().any(|word| memchr::memmem::find(bytes, word).is_some())
}

/// Whether `bytes` may hold a Role, ClusterRole or binding: each names its API group.
fn may_hold_access(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"rbac.authorization.k8s.io").is_some()
}

/// What, beside `Image`, shows a file may hold one of isctl's objects.
const MARKS: [&[u8]; 6] = [
    b"image.openshift.io",
    b"operator.openshift.io",
    b"config.openshift.io",
    b"kind: Image",
    b"\"kind\":\"Image",
    b"\"kind\": \"Image",
];

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
pub(super) fn declares_our_kind(text: &str) -> bool {
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

/// A path that could not be read, with what the operating system said.
pub(super) fn read_error(path: &Path, error: std::io::Error) -> SourceError {
    SourceError::Read { path: path.display().to_string(), source: error }
}

/// Reads at most `limit` bytes; more is an error that says which flag raises the limit.
pub(super) fn read_capped(reader: impl Read, label: &str, limit: u64) -> Result<Vec<u8>, SourceError> {
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

pub(super) fn too_large(label: &str, limit: u64) -> SourceError {
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

    fn images() -> Reading<'static> {
        Reading { defer_images: false, workloads: false, images: true, needles: None, longest_needle: 0 }
    }

    #[test]
    fn a_scan_finds_marks_across_its_pieces() {
        // The mark straddles the end of the first piece read (256 KiB and the overlap).
        let mut text = "x".repeat((256 << 10) + 32 - 5).into_bytes();
        text.extend_from_slice(b"kind: Image");
        text.extend("y".repeat(1000).bytes());
        assert!(scan(&mut text.as_slice(), &images()).unwrap().0);
        text.truncate((256 << 10) + 32 - 5 + 7);
        assert_eq!(
            scan(&mut text.as_slice(), &images()).unwrap(),
            (false, text.len() as u64, false),
            "a cut mark is no mark"
        );
        let noise = "ImagePullBackOff ".repeat(50_000);
        assert_eq!(scan(&mut noise.as_bytes(), &images()).unwrap(), (false, noise.len() as u64, false));
    }

    #[test]
    fn a_stream_is_held_only_when_it_is_wanted_early() {
        let stream = b"apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: s}\n";
        let mut early = stream.to_vec();
        early.extend("# padding\n".repeat(100_000).bytes());
        let scanned = scan_holding(&mut early.as_slice(), &images(), 4096).unwrap();
        assert_eq!((scanned.wanted, scanned.size), (true, early.len() as u64));
        assert_eq!(scanned.held.as_deref(), Some(early.as_slice()), "wanted in the first piece: read whole");
        // The marks come after the hold: wanted, but not held; the caller reads it again.
        let mut late = "# padding\n".repeat(100_000).into_bytes();
        late.extend_from_slice(stream);
        let scanned = scan_holding(&mut late.as_slice(), &images(), 4096).unwrap();
        assert!(scanned.wanted && scanned.held.is_none());
        // Not wanted: all of it read, none of it kept.
        let noise = "ImagePullBackOff\n".repeat(100_000);
        let scanned = scan_holding(&mut noise.as_bytes(), &images(), 4096).unwrap();
        assert_eq!(scanned, Scanned { wanted: false, size: noise.len() as u64, workloads_unread: false, held: None });
    }

    #[test]
    fn an_archive_member_wanted_late_is_read_in_a_second_pass() {
        let member = |name: &str, text: &[u8], builder: &mut tar::Builder<Vec<u8>>| {
            let mut header = tar::Header::new_gnu();
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, name, text).unwrap();
        };
        let mut builder = tar::Builder::new(Vec::new());
        let mut late = "# padding\n".repeat(HOLD / 10 + 1).into_bytes();
        late.extend_from_slice(
            b"apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: late, namespace: n}\n",
        );
        member("b/late.yaml", &late, &mut builder);
        member("a/noise.yaml", "ImagePullBackOff\n".repeat(HOLD / 8).as_bytes(), &mut builder);
        member(
            "c/early.yaml",
            b"apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: early, namespace: n}\n",
            &mut builder,
        );
        let bytes = builder.into_inner().unwrap();
        let everything = |_: ResourceKind, _: &str, _: &str| true;
        let units = archive("x.tar", &bytes, &InputLimits::default(), &everything, images()).unwrap();
        let seen: Vec<(&str, usize)> =
            units.iter().map(|u| (u.label.as_str(), u.decoded.as_ref().map_or(0, |d| d.objects.len()))).collect();
        assert_eq!(seen, [("x.tar!a/noise.yaml", 0), ("x.tar!b/late.yaml", 1), ("x.tar!c/early.yaml", 1)]);
    }

    #[test]
    fn workloads_are_read_only_when_they_name_the_answer() {
        let needle = "6b6f9cb2486b250c2b4030946a28bd5482fb2864ead628346c5bb1547fff00d0";
        let searcher = aho_corasick::AhoCorasick::new([needle]).unwrap();
        let reading = Reading {
            defer_images: false,
            workloads: true,
            images: false,
            needles: Some(&searcher),
            longest_needle: needle.len(),
        };
        // The needle straddles two pieces: the overlap is as long as the longest needle.
        let mut pods = b"apiVersion: v1\nkind: PodList\nitems:\n".to_vec();
        pods.extend("x".repeat((256 << 10) - pods.len() - 10).bytes());
        pods.extend_from_slice(format!("image: quay.io/a@sha256:{needle}\n").as_bytes());
        assert!(scan(&mut pods.as_slice(), &reading).unwrap().0);
        let other = b"apiVersion: v1\nkind: Pod\nspec: {containers: [{image: quay.io/b:1}]}\n".to_vec();
        assert_eq!(
            scan(&mut other.as_slice(), &reading).unwrap(),
            (false, other.len() as u64, true),
            "a workload, unread"
        );
        let rbac = b"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n".to_vec();
        assert!(scan(&mut rbac.as_slice(), &reading).unwrap().0, "RBAC objects are read regardless");
        let images = b"apiVersion: image.openshift.io/v1\nkind: ImageStream\n".to_vec();
        assert!(!scan(&mut images.as_slice(), &reading).unwrap().0, "the second load wants no image objects");
    }

    #[test]
    fn bytes_that_cannot_hold_our_objects_are_not_parsed() {
        assert!(may_hold_our_objects(b"apiVersion: image.openshift.io/v1\nkind: ImageStream\n"));
        assert!(may_hold_our_objects(b"{\"apiVersion\":\"config.openshift.io/v1\",\"kind\":\"Image\"}"));
        // A Pod that failed to pull names images, but no image API group.
        assert!(!may_hold_our_objects(b"kind: Pod\nstatus: {reason: ImagePullBackOff}\nimage: quay.io/x\n"));
        // A Deployment with an image trigger names the group, but no kind of ours.
        assert!(!may_hold_our_objects(b"kind: Deployment\nannotations: {image.openshift.io/triggers: '[]'}\n"));
        // The legacy group-less API.
        assert!(may_hold_our_objects(b"apiVersion: v1\nkind: ImageStream\n"));
    }
}
