//! Object names as they become URL path segments and file names.
//!
//! The API server refuses a name that is empty, `.` or `..`, or holds `/` or `%`
//! (apimachinery `path.IsValidPathSegmentName`). isctl applies the same rule, plus "no control
//! characters", to every name and namespace it reads from a file or a server before the name
//! becomes part of a request path or of a file path, so a hostile name can reach neither another
//! URL nor a file outside the directory `record` writes.

use std::path::{Component, Path, PathBuf};

/// Why `name` cannot be one path segment, or `None` when it can.
pub(crate) fn path_segment_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("may not be empty");
    }
    if name == "." || name == ".." {
        return Some("may not be '.' or '..'");
    }
    if name.contains('/') {
        return Some("may not contain '/'");
    }
    if name.contains('%') {
        return Some("may not contain '%'");
    }
    if name.chars().any(char::is_control) {
        return Some("may not contain control characters");
    }
    None
}

/// `base` joined with `segments`, each checked with [`path_segment_problem`]; the result is
/// always inside `base`. Errors name the offending segment and why.
pub(crate) fn join_segments(base: &Path, segments: &[&str]) -> Result<PathBuf, String> {
    let mut path = base.to_path_buf();
    for segment in segments {
        if let Some(problem) = path_segment_problem(segment) {
            return Err(format!("{segment:?} {problem}"));
        }
        // Defence in depth: one normal component, nothing the OS would read as a root or parent.
        let mut components = Path::new(segment).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(_)), None) => path.push(segment),
            _ => return Err(format!("{segment:?} is not a plain file name")),
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_follow_the_api_server() {
        for ok in ["cli", "sha256:45f06f4f", "stream@sha256:abc", "a.b", "...", "-x"] {
            assert_eq!(path_segment_problem(ok), None, "{ok}");
        }
        for bad in ["", ".", "..", "../../x", "/abs/x", "a%2Fb", "tab\there", "nul\0"] {
            assert!(path_segment_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn joined_paths_stay_inside_the_base() {
        let base = Path::new("/tmp/rec");
        assert_eq!(join_segments(base, &["namespaces", "openshift"]).unwrap(), base.join("namespaces/openshift"));
        for hostile in [&["namespaces", "../../NS"][..], &["/abs/x"], &[".."], &["a/../../b"]] {
            let error = join_segments(base, hostile).unwrap_err();
            assert!(error.contains("may not"), "{error}");
        }
    }
}
