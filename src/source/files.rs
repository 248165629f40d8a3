//! Offline input: files, directories (recursively, in name order), must-gather trees in either
//! layout, `.tar`/`.tar.gz` archives and standard input (`-`). What an object is comes from its
//! content, never from where it sits, so both must-gather layouts (list files and per-object
//! files) and any hand-made tree load the same way.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::catalog::Origin;

use super::decode::{Position, decode};
use super::{LoadNote, Loaded, Observer, Source, SourceError, Wants};

/// Reads objects from `--from` paths.
#[derive(Clone, Debug)]
pub struct FileSource {
    paths: Vec<PathBuf>,
}

impl FileSource {
    /// A source over these paths, read in the order given.
    pub fn new(paths: Vec<PathBuf>) -> FileSource {
        FileSource { paths }
    }
}

impl Source for FileSource {
    fn load(&self, wants: &Wants, observer: &dyn Observer) -> Result<Loaded, SourceError> {
        let mut loader = Loader {
            namespace_for_unset: wants.namespace_for_unset.clone(),
            observer,
            loaded: Loaded::default(),
            seen: BTreeSet::new(),
        };
        for path in &self.paths {
            if path.as_os_str() == "-" {
                let mut bytes = Vec::new();
                std::io::stdin().read_to_end(&mut bytes).map_err(|e| read_error(Path::new("<stdin>"), e))?;
                loader.file("<stdin>", &bytes, true)?;
            } else {
                loader.path(path, true, &mut Vec::new())?;
            }
        }
        Ok(loader.loaded)
    }
}

struct Loader<'a> {
    loaded: Loaded,
    observer: &'a dyn Observer,
    /// Canonical paths of files already read: a file reached twice (named twice, or through a
    /// symbolic link) is read once, since it cannot disagree with itself.
    seen: BTreeSet<PathBuf>,
    namespace_for_unset: Option<String>,
}

/// File names read inside directories; anything else there is left alone.
fn is_manifest_name(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json")
}

fn is_archive_name(name: &str) -> bool {
    name.ends_with(".tar") || name.ends_with(".tar.gz") || name.ends_with(".tgz")
}

/// A heuristic for "this file was meant for us": an unparsable file that mentions our groups or
/// kinds is an error; any other unparsable file inside a directory is ignored with a warning.
fn mentions_our_kinds(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    ["image.openshift.io", "ImageStream", "ImageContentSourcePolicy", "MirrorSet", "config.openshift.io"]
        .iter()
        .any(|needle| text.contains(needle))
}

fn read_error(path: &Path, error: std::io::Error) -> SourceError {
    SourceError::Read { path: path.display().to_string(), source: error }
}

impl Loader<'_> {
    /// Reads a path. `explicit` is true for paths the user named: those must load.
    /// `ancestors` holds the canonical directories being walked, to stop symlink loops.
    fn path(&mut self, path: &Path, explicit: bool, ancestors: &mut Vec<PathBuf>) -> Result<(), SourceError> {
        let metadata = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) if !explicit => {
                self.ignore(
                    path,
                    format!("cannot be read: {}", read_error(path, e).to_string().rsplit(": ").next().unwrap_or("")),
                );
                return Ok(());
            }
            Err(e) => return Err(read_error(path, e)),
        };
        if metadata.is_dir() {
            return self.directory(path, explicit, ancestors);
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !explicit && !is_manifest_name(&name) && !is_archive_name(&name) {
            self.ignore(path, "not a YAML or JSON file by name".into());
            return Ok(());
        }
        if let Ok(canonical) = fs::canonicalize(path)
            && !self.seen.insert(canonical)
        {
            if explicit {
                self.ignore(path, "given more than once; read once".into());
            }
            return Ok(());
        }
        let bytes = fs::read(path).map_err(|e| read_error(path, e))?;
        let label = path.display().to_string();
        if name.ends_with(".xz") || name.ends_with(".txz") || bytes.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
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

    fn directory(&mut self, path: &Path, explicit: bool, ancestors: &mut Vec<PathBuf>) -> Result<(), SourceError> {
        let canonical = fs::canonicalize(path).map_err(|e| read_error(path, e))?;
        if explicit && ancestors.is_empty() && self.seen.contains(&canonical) {
            self.ignore(path, "given more than once; read once".into());
            return Ok(());
        }
        if explicit {
            self.seen.insert(canonical.clone());
        }
        if ancestors.contains(&canonical) {
            self.ignore(path, "symbolic link loop (directory already being read)".into());
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
        ancestors.push(canonical);
        let result = children.iter().try_for_each(|child| self.path(child, false, ancestors));
        ancestors.pop();
        result
    }

    fn archive(&mut self, label: &str, bytes: &[u8]) -> Result<(), SourceError> {
        let gz = bytes.starts_with(&[0x1f, 0x8b]);
        let reader: Box<dyn Read + '_> =
            if gz { Box::new(flate2::read::GzDecoder::new(bytes)) } else { Box::new(bytes) };
        let mut archive = tar::Archive::new(reader);
        let archive_error = |e: std::io::Error| SourceError::Refused {
            path: label.to_owned(),
            reason: format!("not a readable tar archive: {e}"),
        };
        let mut members = Vec::new();
        for entry in archive.entries().map_err(archive_error)? {
            let mut entry = entry.map_err(archive_error)?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let member = entry.path().map_err(archive_error)?.display().to_string();
            if !is_manifest_name(&member) {
                continue;
            }
            let mut content = Vec::new();
            entry.read_to_end(&mut content).map_err(archive_error)?;
            members.push((member, content));
        }
        members.sort();
        for (member, content) in members {
            self.file(&format!("{label}!{member}"), &content, false)?;
        }
        Ok(())
    }

    /// Decodes one file's bytes into the catalog.
    fn file(&mut self, label: &str, bytes: &[u8], explicit: bool) -> Result<(), SourceError> {
        self.loaded.files_read += 1;
        let decoded = std::str::from_utf8(bytes)
            .map_err(|e| {
                let valid = &bytes[..e.valid_up_to()];
                let line = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
                let column = (valid.len() - valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)) as u64 + 1;
                (Position { line, column }, "not UTF-8 text (a binary file?)".to_owned())
            })
            .and_then(|text| decode(text).map_err(|e| (e.position, e.message)));
        let decoded = match decoded {
            Ok(decoded) => decoded,
            Err((position, message)) if !explicit && !mentions_our_kinds(bytes) => {
                self.observer.note(LoadNote::IgnoredFile {
                    path: label.to_owned(),
                    reason: format!("not valid YAML or JSON ({position}: {message})"),
                });
                return Ok(());
            }
            Err((position, message)) => {
                return Err(SourceError::Decode { path: label.to_owned(), position, message });
            }
        };
        if explicit && decoded.objects.is_empty() && decoded.skipped.is_empty() {
            self.observer.note(LoadNote::IgnoredFile { path: label.to_owned(), reason: "holds no objects".into() });
        }
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
        Ok(())
    }

    fn ignore(&mut self, path: &Path, reason: String) {
        self.observer.note(LoadNote::IgnoredFile { path: path.display().to_string(), reason });
    }
}
