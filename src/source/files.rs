//! Offline input: files, directories (recursively, in name order), must-gather trees in either
//! layout, `.tar`/`.tar.gz` archives and standard input (`-`). What an object is comes from its
//! content, never from where it sits, so both must-gather layouts (list files and per-object
//! files) and any hand-made tree load the same way.
//!
//! A load walks the paths first, then reads and decodes the files it found on every core
//! (`files/read.rs`), and adds their objects to the catalog in the walk's order, so the answer (which
//! copy of a duplicate is kept, the order of notes) never depends on which thread was faster.
//! Bytes that cannot hold one of isctl's objects are not parsed: a must-gather is mostly
//! Pods, Events and ConfigMaps.
//!
//! Hostile trees cost bounded time and memory: inside a directory only regular files are read
//! (a FIFO would block forever, a link to `/dev/zero` never ends), each directory is visited once
//! however many links lead to it, links out of a `--from` directory are not followed, every file,
//! archive member and standard input is read up to `--max-file-size`, an archive decompresses at
//! most `--max-archive-size`, and YAML aliases may add at most `--max-alias-expansion` to the
//! whole input.

mod items;
mod named;
mod read;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::catalog::{Origin, Overlap};
use crate::quantity::format_bytes;

use super::decode::{self, Selection};
use super::{LoadNote, Loaded, Observer, Progress, Source, SourceError, Wants};
use crate::model::{Family, ResourceKind};
pub(crate) use named::{NamedFile, read_named, read_named_text, read_named_text_if_any, write_private};
use read::{Job, Reading, Unit, is_archive_name, is_manifest_name, read_error, read_job};

/// What one load may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputLimits {
    /// The largest file, archive member or standard input (`--max-file-size`).
    pub file: u64,
    /// The most bytes one archive may decompress to (`--max-archive-size`).
    pub archive: u64,
    /// What decoding may cost.
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
        let keep = Keep::of(wants);
        let workloads = wants.workloads.clone();
        // Workloads of every namespace may use a stream of one: then every namespace is walked.
        let only_namespace = match &workloads {
            Some(None) => None,
            Some(Some(namespace)) if keep.namespace() != Some(namespace.as_str()) => None,
            _ => keep.namespace().map(str::to_owned),
        };
        let needles = (!wants.workload_needles.is_empty())
            .then(|| aho_corasick::AhoCorasick::new(&wants.workload_needles).map(std::sync::Arc::new))
            .transpose()
            .map_err(|e| SourceError::Refused { path: "--from".into(), reason: format!("cannot search for {e}") })?;
        let longest = wants.workload_needles.iter().map(String::len).max().unwrap_or(0);
        let mut loader = Loader {
            only_namespace,
            workloads: workloads.is_some(),
            images: !wants.workloads_only,
            needles,
            longest_needle: longest,
            images_only: wants.workloads_only,
            other_namespaces: Vec::new(),
            layer: 0,
            namespace_for_unset: wants.namespace_for_unset.clone(),
            observer,
            limits: self.limits,
            loaded: Loaded::default(),
            seen_files: BTreeSet::new(),
            seen_dirs: BTreeSet::new(),
            progress: Progress::default(),
            alias_budget: self.limits.decode.alias_expansion,
            roots: Vec::new(),
            jobs: Vec::new(),
            holding_images: Vec::new(),
            deferred: Vec::new(),
        };
        for (layer, path) in self.paths.iter().enumerate() {
            loader.layer = layer;
            if path.as_os_str() == "-" {
                loader.jobs.push(Job { path: None, label: "<stdin>".into(), explicit: true, layer });
            } else {
                loader.path(path, true)?;
            }
        }
        let jobs = std::mem::take(&mut loader.jobs);
        // Streams come first: a file that can hold nothing but Images waits until they say which.
        let pass = Pass::First { defer_images: matches!(keep, Keep::Streams { .. }) };
        let rbac_namespace = wants.rbac_namespace.as_deref();
        let first = |kind: ResourceKind, namespace: &str, name: &str| match kind.family() {
            Family::Image => !wants.workloads_only && keep.first(kind, namespace, name),
            Family::Workload | Family::Limit => workloads
                .as_ref()
                .is_some_and(|scope| namespace.is_empty() || scope.as_deref().is_none_or(|s| s == namespace)),
            Family::Access => {
                workloads.is_some()
                    && (!kind.info().namespaced
                        || namespace.is_empty()
                        || rbac_namespace.is_none_or(|s| s == namespace))
            }
        };
        loader.read_all(&jobs, &first, pass)?;
        if let Keep::Streams { namespace, names } = &keep {
            loader.look_elsewhere(namespace.as_deref(), names)?;
            loader.stream_images(namespace.as_deref(), names)?;
        }
        Ok(loader.loaded)
    }
}

/// Where an object was read: the file, and the line when known.
fn origin(label: &str, line: u64) -> Origin {
    match line {
        0 => Origin(label.to_owned()),
        line => Origin(format!("{label}:{line}")),
    }
}

/// What a load keeps of what the files hold: files are read whole either way, but objects a
/// command will not use are never deserialised (a must-gather's Images of other namespaces).
enum Keep {
    /// Everything (`serve`, and loads that name nothing in particular).
    All,
    /// One kind (`get`): in a namespace (or cluster-scoped, or all), by name when given.
    Kind { kind: ResourceKind, namespace: Option<String>, names: BTreeSet<String> },
    /// Streams and what resolving them needs: everything but Images first, then the Images
    /// the streams in scope reference.
    Streams { namespace: Option<String>, names: Vec<String> },
}

impl Keep {
    fn of(wants: &Wants) -> Keep {
        match (&wants.objects, &wants.streams) {
            (Some(objects), None) => Keep::Kind {
                kind: objects.kind,
                namespace: objects.namespace.clone().filter(|_| objects.kind.info().namespaced),
                names: objects.names.iter().cloned().collect(),
            },
            (None, Some((namespace, names))) if wants.stream_images => {
                Keep::Streams { namespace: namespace.clone(), names: names.clone() }
            }
            _ => Keep::All,
        }
    }

    /// The one namespace the command reads, when it reads one.
    fn namespace(&self) -> Option<&str> {
        match self {
            Keep::Kind { namespace, .. } | Keep::Streams { namespace, .. } => namespace.as_deref(),
            Keep::All => None,
        }
    }

    /// Whether the first reading keeps this object. An object without a namespace may be placed
    /// in the command's namespace, so it is kept for any.
    fn first(&self, kind: ResourceKind, namespace: &str, name: &str) -> bool {
        match self {
            Keep::All => true,
            Keep::Kind { kind: wanted, namespace: scope, names } => {
                kind == *wanted
                    && scope.as_deref().is_none_or(|s| namespace.is_empty() || namespace == s)
                    && (names.is_empty() || names.contains(name))
            }
            Keep::Streams { .. } => kind != ResourceKind::Image,
        }
    }
}

struct Loader<'a> {
    loaded: Loaded,
    observer: &'a dyn Observer,
    limits: InputLimits,
    /// Canonical paths of files already found: a file reached twice (named twice, or through a
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
    /// The files found, in walk order.
    jobs: Vec<Job>,
    /// The one namespace the command reads: a must-gather's other `namespaces/NAME/`
    /// directories are not walked.
    only_namespace: Option<String>,
    /// The directories of other namespaces the walk passed by, with their layer.
    other_namespaces: Vec<(PathBuf, usize)>,
    /// The `--from` being walked.
    layer: usize,
    /// The files that held Images the first reading left out.
    holding_images: Vec<Job>,
    /// The files that can hold nothing but Images, not read until the streams say which.
    deferred: Vec<Job>,
    /// Whether workloads and RBAC objects are wanted: files that may hold them are read too.
    workloads: bool,
    /// Workloads are pruned to what `consumers` reads as they are added.
    images_only: bool,
    /// Whether image objects are wanted at all (not in the second load of `consumers`).
    images: bool,
    /// The strings a file must hold to be read for workloads, when the answer names them.
    needles: Option<std::sync::Arc<aho_corasick::AhoCorasick>>,
    /// The longest of them, so a scan in pieces never cuts one.
    longest_needle: usize,
}

/// Which reading of the files a [`Loader::read_all`] is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Files read for the first time; with `defer_images`, files that can hold only Images are
    /// set aside for [`Loader::stream_images`].
    First { defer_images: bool },
    /// Files read again: only the objects the reading adds are new.
    Again,
}

impl Loader<'_> {
    /// Walks a path. `explicit` is true for paths the user named: those must load, and they
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
        self.jobs.push(Job { path: Some(path.to_path_buf()), label, explicit, layer: self.layer });
        Ok(())
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
        if !explicit && let Some(wanted) = self.other_namespace(path) {
            // oc adm inspect writes each namespace's objects under namespaces/NAME/ (as omc reads them).
            self.pass(path, &format!("a must-gather directory of another namespace than {wanted}: not read"));
            self.other_namespaces.push((path.to_path_buf(), self.layer));
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

    /// The namespace the command reads, when `path` is a must-gather's directory of another
    /// one (`namespaces/NAME/`).
    fn other_namespace(&self, path: &Path) -> Option<String> {
        let wanted = self.only_namespace.as_deref()?;
        let parent = path.parent()?.file_name()?;
        let name = path.file_name()?;
        (parent == "namespaces" && name != wanted).then(|| wanted.to_owned())
    }

    /// When the namespace holds none of the streams asked for, reads the streams of that name
    /// (or, when none was named, every stream) in the directories of other namespaces, as a
    /// cluster is asked across namespaces: so "found in namespace X" can be said.
    fn look_elsewhere(&mut self, namespace: Option<&str>, names: &[String]) -> Result<(), SourceError> {
        let catalog = &self.loaded.catalog;
        let absent = match names.is_empty() {
            true => catalog.streams_in(namespace).next().is_none(),
            false => names.iter().any(|name| namespace.is_some_and(|ns| catalog.stream(ns, name).is_none())),
        };
        let directories = std::mem::take(&mut self.other_namespaces);
        if !absent || directories.is_empty() {
            return Ok(());
        }
        let only = self.only_namespace.take();
        for (directory, layer) in &directories {
            self.layer = *layer;
            self.directory(directory, false)?;
        }
        self.only_namespace = only;
        let jobs = std::mem::take(&mut self.jobs);
        let keep = |kind: ResourceKind, _: &str, name: &str| {
            kind == ResourceKind::ImageStream && (names.is_empty() || names.iter().any(|n| n == name))
        };
        self.read_all(&jobs, &keep, Pass::First { defer_images: false })
    }

    /// The Images the streams in scope reference, read from the files set aside for holding only
    /// Images and from the files that held Images the first reading left out; then the children
    /// of the manifest lists among them.
    fn stream_images(&mut self, namespace: Option<&str>, names: &[String]) -> Result<(), SourceError> {
        let catalog = &self.loaded.catalog;
        let in_scope =
            catalog.streams_in(namespace).filter(|s| names.is_empty() || names.iter().any(|n| n == s.metadata.name()));
        let mut wanted: BTreeSet<String> = in_scope
            .flat_map(|s| s.status_tags().iter().flat_map(|t| t.history().iter().map(|e| e.image.clone())))
            .filter(|digest| !digest.is_empty() && catalog.image(digest).is_none())
            .collect();
        let mut deferred = std::mem::take(&mut self.deferred);
        let mut holding = std::mem::take(&mut self.holding_images);
        // Manifest lists name their children: at most a few rounds (a list of lists is rare).
        // Set-aside files are read in the first round even when no Image is wanted: their
        // errors and kinds are reported as for any file.
        for _ in 0..3 {
            if deferred.is_empty() && (wanted.is_empty() || holding.is_empty()) {
                break;
            }
            let keep = |kind: ResourceKind, _: &str, name: &str| kind == ResourceKind::Image && wanted.contains(name);
            if !holding.is_empty() && !wanted.is_empty() {
                self.read_all(&holding, &keep, Pass::Again)?;
            }
            if !deferred.is_empty() {
                self.read_all(&std::mem::take(&mut deferred), &keep, Pass::First { defer_images: false })?;
                holding.append(&mut self.holding_images);
            }
            let catalog = &self.loaded.catalog;
            wanted = wanted
                .iter()
                .filter_map(|digest| catalog.image(digest))
                .flat_map(|image| image.docker_image_manifests.iter().flatten().map(|m| m.digest.clone()))
                .filter(|child| catalog.image(child).is_none())
                .collect();
        }
        Ok(())
    }

    /// Reads every job on as many threads as there are cores (up to four), and takes the
    /// results in job order as they arrive. The first error ends the load.
    fn read_all(&mut self, jobs: &[Job], keep: Selection<'_>, pass: Pass) -> Result<(), SourceError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4).min(jobs.len());
        let limits = self.limits;
        let needles = self.needles.clone();
        let reading = Reading {
            defer_images: pass == Pass::First { defer_images: true },
            workloads: self.workloads,
            images: self.images,
            needles: needles.as_deref(),
            longest_needle: self.longest_needle,
        };
        if threads <= 1 {
            for job in jobs {
                read_job(job, &limits, keep, reading)?.into_iter().for_each(|unit| self.take(job, unit, pass));
            }
            return Ok(());
        }
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel(threads * 2);
            for _ in 0..threads {
                let sender = sender.clone();
                let (next, stop) = (&next, &stop);
                scope.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        if sender.send((i, read_job(job, &limits, keep, reading))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(sender);
            let mut early: BTreeMap<usize, Result<Vec<Unit>, SourceError>> = BTreeMap::new();
            let mut wanted = 0;
            for (i, outcome) in receiver {
                early.insert(i, outcome);
                while let Some(outcome) = early.remove(&wanted) {
                    wanted += 1;
                    match outcome {
                        Ok(units) => units.into_iter().for_each(|unit| self.take(&jobs[wanted - 1], unit, pass)),
                        Err(error) => {
                            stop.store(true, Ordering::Relaxed);
                            return Err(error);
                        }
                    }
                }
            }
            Ok(())
        })
    }

    /// Takes one read file (of `job`): counts it, passes on its notes, spends the alias
    /// budget, and adds its objects to the catalog in file order. Read again, only its new
    /// objects count (and a duplicate among them); set aside, it waits.
    fn take(&mut self, job: &Job, unit: Unit, pass: Pass) {
        if unit.deferred {
            self.deferred.push(job.clone());
            return;
        }
        if unit.workloads_unread {
            // The input holds workloads; none of this file's concerns the answer.
            self.loaded.catalog.note_kind(ResourceKind::Pod);
        }
        if pass == Pass::Again {
            for object in unit.decoded.into_iter().flat_map(|d| d.objects) {
                self.add(object.object, origin(&unit.label, object.position.line), job.layer);
            }
            return;
        }
        self.loaded.files_read += 1;
        self.progress.files += 1;
        self.progress.bytes += unit.bytes;
        self.observer.progress(self.progress);
        for note in unit.notes {
            self.observer.note(note);
        }
        let Some(decoded) = unit.decoded else { return };
        for kind in &decoded.left_out {
            self.loaded.catalog.note_kind(*kind);
        }
        if decoded.left_out.contains(&ResourceKind::Image)
            && self.holding_images.last().is_none_or(|last| last.label != job.label)
        {
            self.holding_images.push(job.clone());
        }
        // One alias budget for the whole load: many files may not each spend all of it.
        if decoded.alias_expansion > self.alias_budget {
            let message = format!(
                "YAML aliases expand the input by more than {} (raise --max-alias-expansion to read it)",
                format_bytes(self.limits.decode.alias_expansion)
            );
            self.observer.note(LoadNote::Unreadable { path: unit.label, position: Default::default(), message });
            return;
        }
        self.alias_budget -= decoded.alias_expansion;
        for skipped in decoded.skipped {
            // Skipped objects are not located by the first pass; the file is enough to find them.
            self.observer.note(LoadNote::Skipped { origin: Origin(unit.label.clone()), object: skipped });
        }
        for mut object in decoded.objects {
            if let Some(namespace) = &self.namespace_for_unset
                && object.object.kind().info().namespaced
                && object.object.meta().namespace().is_empty()
            {
                object.object.meta_mut().namespace = Some(namespace.clone());
            }
            self.add(object.object, origin(&unit.label, object.position.line), job.layer);
        }
    }

    /// Adds an object to the catalog, saying what it duplicates or replaces.
    fn add(&mut self, mut object: crate::model::Object, origin: Origin, layer: usize) {
        if self.images_only {
            crate::model::workload::prune(&mut object);
        }
        match self.loaded.catalog.insert_layered(object, origin, layer) {
            Some(Overlap::Duplicate(duplicate)) => self.observer.note(LoadNote::Duplicate(duplicate)),
            Some(Overlap::Replaced(replacement)) => self.observer.note(LoadNote::Replaced(replacement)),
            None => {}
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
    use crate::source::{Collect, ObjectsWanted};

    fn walk_files(dir: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(walk_files(&path))
            } else if is_manifest_name(&path.to_string_lossy()) {
                files.push(path)
            }
        }
        files
    }

    fn load(wants: &Wants) -> Loaded {
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/must-gather");
        FileSource::new(vec![demo], InputLimits::default()).load(wants, &Collect::default()).unwrap()
    }

    #[test]
    fn a_load_deserialises_only_what_the_command_needs() {
        let everything = load(&Wants::default());
        let images = everything.catalog.images().count();
        // The streams of `demo` reference two Images: only those are read, with the streams.
        let wants = Wants {
            streams: Some((Some("demo".into()), Vec::new())),
            stream_images: true,
            mirror_rules: true,
            ..Wants::default()
        };
        let demo = load(&wants);
        let mut digests: Vec<&str> = demo.catalog.images().map(|i| i.metadata.name()).collect();
        digests.sort_unstable();
        let referenced: BTreeSet<&str> = demo
            .catalog
            .streams_in(Some("demo"))
            .flat_map(|s| s.status_tags().iter().flat_map(|t| t.history().iter().map(|e| e.image.as_str())))
            .collect();
        assert_eq!(digests, referenced.into_iter().collect::<Vec<_>>());
        assert!(digests.len() < images, "{} of {images}", digests.len());
        assert!(demo.catalog.has_kind(ResourceKind::Image), "the input still holds Images");
        // Files that hold only Images wait for the streams, and are counted once; a must-gather's
        // directory of another namespace is not read at all.
        let all_streams = load(&Wants { streams: Some((None, Vec::new())), ..wants.clone() });
        assert_eq!(all_streams.files_read, everything.files_read);
        assert_eq!(all_streams.catalog.images().count(), images, "every stream's Images");
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/must-gather");
        let elsewhere =
            walk_files(&root).iter().filter(|p| p.to_string_lossy().contains("/namespaces/openshift/")).count();
        assert!(elsewhere > 0);
        assert_eq!(demo.files_read, everything.files_read - elsewhere);
        // A manifest list's children follow it.
        let openshift = load(&Wants { streams: Some((Some("openshift".into()), vec!["must-gather".into()])), ..wants });
        let list = openshift.catalog.images().find(|i| i.docker_image_manifests.is_some()).expect("a manifest list");
        for child in list.docker_image_manifests.iter().flatten() {
            assert!(openshift.catalog.image(&child.digest).is_some(), "{}", child.digest);
        }
        // One kind: nothing else is kept.
        let wanted = ObjectsWanted { kind: ResourceKind::ImageStream, namespace: None, names: Vec::new() };
        let streams = load(&Wants { objects: Some(wanted), ..Wants::default() });
        assert_eq!(streams.catalog.len(), everything.catalog.streams_in(None).count());
    }
}
