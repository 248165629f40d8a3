//! Regression tests for the third hardening round (#26), one per item, in files by area:
//! this one holds what is common to every area. Each test failed before its fix.

use crate::common::{DEMO, output};

/// Item 6: every file a flag names is read as `--from` files are, within `--max-file-size`:
/// `/dev/zero` is one clear error, not an endless read.
#[test]
fn item_06_files_named_by_flags_are_bounded() {
    let (code, stdout, stderr) =
        output(&["check", "-n", "openshift", "--from", DEMO, "--baseline", "/dev/zero", "--max-file-size", "1Mi"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr, "error: reading the baseline: /dev/zero: larger than 1Mi (raise --max-file-size to read it)\n");
    let (code, _, stderr) = output(&[
        "diff",
        "mirrors",
        "-n",
        "openshift",
        "--from",
        DEMO,
        "--proposed",
        DEMO,
        "--images",
        "/dev/zero",
        "--max-file-size",
        "1Mi",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("/dev/zero: larger than 1Mi"), "{stderr}");
    let (code, _, stderr) = output(&["serve", "--from", DEMO, "--token-file", "/dev/zero", "--max-file-size", "1Mi"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("reading the token file: /dev/zero: larger than 1Mi"), "{stderr}");
}
