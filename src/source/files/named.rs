//! Files a flag names, other than `--from` (`--baseline`, `--registry-config`, `--registry-ca`,
//! `--verify-cache`, serve's `--tls-*` and token files): read as `--from` files are, within
//! `--max-file-size`, so `/dev/zero` or a huge file costs a clear error instead of the machine's
//! memory; and the private files flags name for writing, written whole or not at all.

use std::fs;
use std::path::Path;

use super::read::{read_capped, read_error, too_large};
use crate::source::SourceError;

/// What a flag's file may be besides a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NamedFile {
    /// A pipe or device is read too, as `--from <(…)` is (still within the limit): an input the
    /// user hands over, such as a baseline.
    MayBePipe,
    /// Only a regular file (or a link to one): a file isctl also writes (`--verify-cache`), or one
    /// read where no one can feed a pipe. Anything else is refused before it is opened, so a
    /// FIFO never blocks.
    RegularOnly,
}

/// Reads the file a flag names, whole, refusing more than `limit` bytes (`--max-file-size`).
pub(crate) fn read_named(path: &Path, limit: u64, kind: NamedFile) -> Result<Vec<u8>, SourceError> {
    let label = path.display().to_string();
    let metadata = fs::metadata(path).map_err(|e| read_error(path, e))?;
    if metadata.is_dir() {
        return Err(SourceError::Refused { path: label, reason: "is a directory, not a file".into() });
    }
    if !metadata.is_file() && kind == NamedFile::RegularOnly {
        return Err(SourceError::Refused {
            path: label,
            reason: "not a regular file (a pipe, device or socket): refused".into(),
        });
    }
    if metadata.is_file() && metadata.len() > limit {
        return Err(too_large(&label, limit));
    }
    let file = fs::File::open(path).map_err(|e| read_error(path, e))?;
    read_capped(file, &label, limit)
}

/// [`read_named`] as UTF-8 text; other bytes are refused with the file's name.
pub(crate) fn read_named_text(path: &Path, limit: u64, kind: NamedFile) -> Result<String, SourceError> {
    let bytes = read_named(path, limit, kind)?;
    String::from_utf8(bytes)
        .map_err(|_| SourceError::Refused { path: path.display().to_string(), reason: "is not UTF-8 text".into() })
}

/// [`read_named`] for a flag's file that may not exist yet (`--verify-cache`): `None` when
/// nothing is at `path`, or only a dangling link (a later [`write_private`] replaces it).
pub(crate) fn read_named_text_if_any(path: &Path, limit: u64, kind: NamedFile) -> Result<Option<String>, SourceError> {
    match fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        _ => read_named_text(path, limit, kind).map(Some),
    }
}

/// Writes a file a flag names that only its owner may read (a kubeconfig with a token, a
/// `--verify-cache`): a new file created with mode 0600 next to `path`, then renamed over it, so
/// a reader never sees half a file, an existing file's mode is never kept, and a symbolic link
/// at `path` (dangling or not) is replaced, not followed.
#[cfg(unix)]
pub(crate) fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    for attempt in 0..100u32 {
        let temporary = dir.join(format!(".{name}.isctl-{}-{attempt}", std::process::id()));
        let file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&temporary);
        let mut file = match file {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        let written = std::io::Write::write_all(&mut file, text.as_bytes()).and_then(|_| file.sync_all());
        drop(file);
        return match written.and_then(|_| std::fs::rename(&temporary, path)) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = std::fs::remove_file(&temporary);
                Err(e)
            }
        };
    }
    Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "no free temporary file name"))
}

/// Elsewhere there is no file mode to make a file private: refuse rather than leak a secret.
#[cfg(not(unix))]
pub(crate) fn write_private(_path: &Path, _text: &str) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "writing a file only its owner can read needs a Unix system",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_read_only_up_to_the_limit() {
        let error = read_named(Path::new("/dev/zero"), 1024, NamedFile::MayBePipe).unwrap_err();
        assert_eq!(error.to_string(), "/dev/zero: larger than 1Ki (raise --max-file-size to read it)");
    }

    #[test]
    fn a_device_is_refused_where_only_regular_files_may_be() {
        let error = read_named(Path::new("/dev/zero"), 1024, NamedFile::RegularOnly).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }

    #[test]
    fn a_large_regular_file_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        fs::write(&path, vec![b'a'; 2048]).unwrap();
        let error = read_named(&path, 1024, NamedFile::RegularOnly).unwrap_err();
        assert!(error.to_string().contains("larger than"), "{error}");
        assert_eq!(read_named(&path, 4096, NamedFile::RegularOnly).unwrap().len(), 2048);
    }

    #[test]
    fn a_directory_and_a_missing_file_name_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_named(dir.path(), 1024, NamedFile::MayBePipe).unwrap_err();
        assert!(error.to_string().ends_with("is a directory, not a file"), "{error}");
        let error = read_named(&dir.path().join("absent"), 1024, NamedFile::MayBePipe).unwrap_err();
        assert!(error.to_string().contains("absent"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn a_private_file_is_written_new_and_never_through_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let existing = dir.path().join("existing");
        std::fs::write(&existing, "old").unwrap();
        std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&existing, "token: x\n").unwrap();
        assert_eq!(std::fs::metadata(&existing).unwrap().permissions().mode() & 0o777, 0o600);
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        write_private(&link, "token: x\n").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious", "the link's target is untouched");
        assert!(!std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3, "no temporary file is left");
    }

    #[test]
    fn a_file_that_may_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        let absent = dir.path().join("absent");
        assert_eq!(read_named_text_if_any(&absent, 1024, NamedFile::RegularOnly).unwrap(), None);
        #[cfg(unix)]
        {
            let dangling = dir.path().join("dangling");
            std::os::unix::fs::symlink(&absent, &dangling).unwrap();
            assert_eq!(read_named_text_if_any(&dangling, 1024, NamedFile::RegularOnly).unwrap(), None);
        }
        std::fs::write(&absent, "text").unwrap();
        assert_eq!(read_named_text_if_any(&absent, 1024, NamedFile::RegularOnly).unwrap().as_deref(), Some("text"));
        assert!(read_named_text_if_any(Path::new("/dev/zero"), 1024, NamedFile::RegularOnly).is_err());
    }
}
