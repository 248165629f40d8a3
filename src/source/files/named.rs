//! Files a flag names, other than `--from` (`--baseline`, `--registry-config`, `--registry-ca`,
//! `--verify-cache`, serve's `--tls-*` and token files): read as `--from` files are, within
//! `--max-file-size`, so `/dev/zero` or a huge file costs a clear error instead of the machine's
//! memory.

use std::fs;
use std::path::Path;

use super::read::{read_capped, read_error, too_large};
use crate::source::SourceError;

/// What a flag's file may be besides a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedFile {
    /// A pipe or device is read too, as `--from <(…)` is (still within the limit): an input the
    /// user hands over, such as a baseline.
    MayBePipe,
    /// Only a regular file (or a link to one): a file isctl also writes (`--verify-cache`), or one
    /// read where no one can feed a pipe. Anything else is refused before it is opened, so a
    /// FIFO never blocks.
    RegularOnly,
}

/// Reads the file a flag names, whole, refusing more than `limit` bytes (`--max-file-size`).
pub fn read_named(path: &Path, limit: u64, kind: NamedFile) -> Result<Vec<u8>, SourceError> {
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
pub fn read_named_text(path: &Path, limit: u64, kind: NamedFile) -> Result<String, SourceError> {
    let bytes = read_named(path, limit, kind)?;
    String::from_utf8(bytes)
        .map_err(|_| SourceError::Refused { path: path.display().to_string(), reason: "is not UTF-8 text".into() })
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
}
