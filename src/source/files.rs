//! Offline input: files, directories (recursively, in name order), must-gather trees in either
//! layout, `.tar`/`.tar.gz` archives and standard input (`-`). What an object is comes from its
//! content, never from where it sits, so both must-gather layouts (list files and per-object
//! files) and any hand-made tree load the same way.
//!
//! A load walks the paths first, then reads and decodes the files it found on every core
//! ([`read`]), and adds their objects to the catalog in the walk's order, so the answer (which
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

mod read;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::catalog::Origin;
use crate::quantity::format_bytes;

use super::decode;
use super::{LoadNote, Loaded, Observer, Progress, Source, SourceError, Wants};
use read::{Job, Unit, is_archive_name, is_manifest_name, read_error, read_job};

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
            jobs: Vec::new(),
        };
        for path in &self.paths {
            if path.as_os_str() == "-" {
                loader.jobs.push(Job { path: None, label: "<stdin>".into(), explicit: true });
            } else {
                loader.path(path, true)?;
            }
        }
        let jobs = std::mem::take(&mut loader.jobs);
        loader.read_all(&jobs)?;
        Ok(loader.loaded)
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
        self.jobs.push(Job { path: Some(path.to_path_buf()), label: path.display().to_string(), explicit });
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

    /// Reads every job on as many threads as there are cores (up to four), and takes the
    /// results in job order as they arrive. The first error ends the load.
    fn read_all(&mut self, jobs: &[Job]) -> Result<(), SourceError> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4).min(jobs.len());
        let limits = self.limits;
        if threads <= 1 {
            for job in jobs {
                read_job(job, &limits)?.into_iter().for_each(|unit| self.take(unit));
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
                        if sender.send((i, read_job(job, &limits))).is_err() {
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
                        Ok(units) => units.into_iter().for_each(|unit| self.take(unit)),
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

    /// Takes one read file: counts it, passes on its notes, spends the alias budget, and adds
    /// its objects to the catalog in file order.
    fn take(&mut self, unit: Unit) {
        self.loaded.files_read += 1;
        self.progress.files += 1;
        self.progress.bytes += unit.bytes;
        self.observer.progress(self.progress);
        for note in unit.notes {
            self.observer.note(note);
        }
        let Some(decoded) = unit.decoded else { return };
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
            let origin = match object.position.line {
                0 => Origin(unit.label.clone()),
                line => Origin(format!("{}:{line}", unit.label)),
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
