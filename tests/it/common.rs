//! Running the binary hermetically: a cleared environment, a fixed clock, the repository as the
//! working directory so fixture paths in output are stable.

use std::path::Path;
use std::process::{Command, Stdio};

/// The "now" every test runs at, an hour after the demo cluster's newest import.
pub const NOW: &str = "2026-11-27T12:00:00Z";

/// The demo cluster.
pub const DEMO: &str = "fixtures/must-gather";

/// A command for the built binary with nothing from the host environment.
pub fn isctl() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_isctl"));
    command
        .env_clear()
        .env("ISCTL_NOW", NOW)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null());
    command
}

/// Runs isctl and renders exit code, stdout and stderr as one text for a snapshot. `tmp`, when
/// given, is replaced by `[TMP]`.
pub fn run_in(args: &[&str], tmp: Option<&Path>) -> String {
    let output = isctl().args(args).output().expect("isctl runs");
    let mut text = format!(
        "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        output.status.code().map_or("signal".into(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if let Some(tmp) = tmp {
        text = text.replace(&tmp.display().to_string(), "[TMP]");
    }
    text
}

/// Runs isctl with the given arguments.
pub fn run(args: &[&str]) -> String {
    run_in(args, None)
}

/// Runs isctl and returns (exit code, stdout, stderr) for assertions.
pub fn output(args: &[&str]) -> (i32, String, String) {
    let output = isctl().args(args).output().expect("isctl runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
