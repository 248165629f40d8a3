//! Running the binary hermetically: a cleared environment, a fixed clock, the repository as the
//! working directory so fixture paths in output are stable.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

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
        .env("LC_ALL", "C.UTF-8")
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

/// A running `isctl serve` with a kubeconfig and a private kubectl cache; killed on drop.
pub struct Server {
    child: Child,
    /// Private HOME, kubectl cache and request log.
    pub dir: tempfile::TempDir,
    /// A kubeconfig pointing at the server.
    pub kubeconfig: PathBuf,
}

impl Server {
    /// Serves the demo cluster with `extra` serve arguments.
    pub fn start(extra: &[&str]) -> Server {
        Server::start_from(DEMO, extra)
    }

    /// Serves `from` with `extra` serve arguments.
    pub fn start_from(from: &str, extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = dir.path().join("kubeconfig");
        Server::spawn(dir, kubeconfig, from, extra, &[])
    }

    /// Serves the demo, writing the kubeconfig to `kubeconfig`, with extra environment.
    pub fn start_with_kubeconfig(kubeconfig: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        Server::spawn(tempfile::tempdir().unwrap(), kubeconfig.to_path_buf(), DEMO, extra, env)
    }

    fn spawn(dir: tempfile::TempDir, kubeconfig: PathBuf, from: &str, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let log = std::fs::File::create(dir.path().join("requests.log")).unwrap();
        let mut command = isctl();
        command
            .args(["serve", "-v", "--from", from, "--write-kubeconfig"])
            .arg(&kubeconfig)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log));
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("isctl serve starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        assert!(first.starts_with("Serving ") && first.contains("://127.0.0.1:"), "banner: {first:?}");
        Server { child, dir, kubeconfig }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The requests the server answered so far (`METHOD /path?query STATUS`), stderr notes
    /// excluded.
    pub fn requests(&self) -> Vec<String> {
        let log = std::fs::read_to_string(self.dir.path().join("requests.log")).unwrap_or_default();
        log.lines()
            .filter(|l| l.split(' ').next().is_some_and(|m| m.chars().all(|c| c.is_ascii_uppercase()) && !m.is_empty()))
            .map(str::to_owned)
            .collect()
    }

    /// isctl reading the server as a live cluster through the kubeconfig (no --from).
    pub fn isctl(&self, args: &[&str]) -> (i32, String, String) {
        let output =
            isctl().env("KUBECONFIG", &self.kubeconfig).env("HOME", self.dir.path()).args(args).output().unwrap();
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// Runs kubectl against the server: (exit code, stdout, stderr).
    pub fn kubectl(&self, args: &[&str]) -> (i32, String, String) {
        let output = Command::new("kubectl")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("KUBECACHEDIR", self.dir.path().join("cache"))
            .arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .args(args)
            .output()
            .expect("kubectl is installed (CI installs it; see .ci/run)");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// kubectl's stdout, asserting success.
    pub fn ok(&self, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.kubectl(args);
        assert_eq!(code, 0, "kubectl {args:?} failed: {stderr}");
        stdout
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A child process killed (and reaped) when the guard goes out of scope, so a failing assert
/// never leaves a server running.
pub struct KillOnDrop(pub Child);

impl KillOnDrop {
    /// Whether the process is still running.
    pub fn running(&mut self) -> bool {
        self.0.try_wait().map(|status| status.is_none()).unwrap_or(false)
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A path under the team's reference data `../shared/real` (beside the checkout on team machines
/// and in CI). `None` lets a lone clone skip the test; under CI (`CI` set) a missing path fails
/// it, so a test that checks real data can never pass without checking it.
pub fn shared(path: &str) -> Option<&str> {
    let full = format!("../shared/real/{path}");
    if Path::new(&full).exists() {
        return Some(Box::leak(full.into_boxed_str()));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{full} is missing: CI runs the tests with ../shared beside the checkout"
    );
    None
}
