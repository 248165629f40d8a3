//! Regression tests for the third hardening round (#26), shell completion and `record
//! --workloads`: a completion never waits on standard input, a pipe, a device or a silent
//! cluster, and lists names from the cluster the line names; a recording of workloads writes
//! every object and only what isctl reads of a workload.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{DEMO, KillOnDrop, Server, isctl};
use crate::fault_server::{FaultServer, Reply, stream_list};

/// The names the demo's openshift namespace offers for `resolve`.
const OPENSHIFT: &str = "cli\nmust-gather\ntools\n";

/// Runs `isctl __complete WORDS` with `stdin`, killing it after `limit` (a hang fails the test,
/// it does not hang it): (exit code, stdout, elapsed).
fn complete(words: &[&str], env: &[(&str, &Path)], stdin: Stdio, limit: Duration) -> (i32, String, Duration) {
    let mut command: Command = isctl();
    command.arg("__complete").args(words).stdin(stdin).stdout(Stdio::piped()).stderr(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let started = Instant::now();
    let mut child = command.spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.code().unwrap_or(-1), reader.join().unwrap(), started.elapsed());
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("isctl __complete {words:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Long enough for a loaded CI machine; far shorter than any hang.
const LIMIT: Duration = Duration::from_secs(20);

/// An ImageStream named `name` in namespace `openshift`, as YAML.
fn stream_yaml(name: &str) -> String {
    format!("apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: {name}\n  namespace: openshift\n")
}

#[test]
fn item_02_completion_never_reads_standard_input() {
    // Standard input holding a stream, then closed: `--from -` offers nothing from it.
    let mut child = isctl()
        .args(["__complete", "resolve", "-n", "openshift", "--from", "-", "--from", DEMO, ""])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The write may fail once isctl has exited without reading: that is the point.
    let _ = stdin.write_all(stream_yaml("from-stdin").as_bytes());
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), OPENSHIFT);

    // A standard input that never ends (as a terminal's): reading it would leave nothing
    // offered (the deadline), not reading it offers the other --from's names at once. `sleep`
    // holds the pipe's write end open and writes nothing.
    let mut sleeper = KillOnDrop(Command::new("sleep").arg("60").stdout(Stdio::piped()).spawn().unwrap());
    let silent = Stdio::from(sleeper.0.stdout.take().unwrap());
    let (code, stdout, _) =
        complete(&["resolve", "-n", "openshift", "--from=-", "--from", DEMO, ""], &[], silent, LIMIT);
    assert_eq!((code, stdout.as_str()), (0, OPENSHIFT));
    assert!(sleeper.running());
    // `--from -` alone offers nothing, and does not fall back to a cluster.
    let (code, stdout, _) = complete(&["get", "is", "--from", "-", ""], &[], Stdio::null(), LIMIT);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn item_02_completion_opens_no_fifo_and_reads_no_device() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for hostile in [fifo.to_str().unwrap(), "/dev/zero"] {
        // Opening the FIFO blocks until a writer comes; /dev/zero never ends. Either would cost
        // the other input's names.
        let (code, stdout, _) =
            complete(&["resolve", "-n", "openshift", "--from", hostile, "--from", DEMO, ""], &[], Stdio::null(), LIMIT);
        assert_eq!((code, stdout.as_str()), (0, OPENSHIFT), "--from {hostile}");
    }
}

#[test]
fn item_02_completion_reads_files_within_a_prompt_sized_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("small.yaml"), stream_yaml("small")).unwrap();
    // A stream followed by zeros up to just past the completion limit (64Mi), far within
    // --max-file-size (sparse: it costs no disk). Over the limit the load fails, as the
    // command's would, and nothing is offered; read whole, `small` would be.
    let big = std::fs::File::create(dir.path().join("big.yaml")).unwrap();
    (&big).write_all(stream_yaml("too-big").as_bytes()).unwrap();
    big.set_len((64 << 20) + 1).unwrap();
    let from = dir.path().to_str().unwrap();
    let (code, stdout, _) = complete(&["resolve", "-n", "openshift", "--from", from, ""], &[], Stdio::null(), LIMIT);
    assert_eq!((code, stdout.as_str()), (0, ""));
    // At the limit it is read.
    big.set_len(64 << 20).unwrap();
    let (code, stdout, _) = complete(&["resolve", "-n", "openshift", "--from", from, ""], &[], Stdio::null(), LIMIT);
    assert_eq!((code, stdout.as_str()), (0, "small\n"));
    // A smaller --max-file-size typed on the line still applies.
    let (code, stdout, _) = complete(
        &["resolve", "-n", "openshift", "--max-file-size", "1Mi", "--from", from, ""],
        &[],
        Stdio::null(),
        LIMIT,
    );
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn item_02_completion_gives_up_on_a_cluster_that_never_answers() {
    let server = FaultServer::start(|_, _| Reply::Later(Duration::from_secs(60), Box::new(Reply::ok("{}"))));
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = server.kubeconfig(dir.path(), "{}");
    // Even with --request-timeout 0 ("wait forever") typed on the line.
    for words in [&["get", "is", ""][..], &["resolve", "--request-timeout", "0", ""]] {
        let env = [("KUBECONFIG", kubeconfig.as_path()), ("HOME", dir.path())];
        let (code, stdout, elapsed) = complete(words, &env, Stdio::null(), LIMIT);
        assert_eq!((code, stdout.as_str()), (0, ""), "{words:?}");
        // The deadline is 3s; allow a loaded machine its start-up time.
        assert!(elapsed < Duration::from_secs(8), "{words:?} took {elapsed:?}");
    }
    assert!(!server.seen().is_empty(), "the server was asked");
}

/// A fault server that answers every request with one stream named `elsewhere`, and records
/// who asked.
fn elsewhere() -> FaultServer {
    let stream =
        r#"{"apiVersion":"image.openshift.io/v1","kind":"ImageStream","metadata":{"name":"elsewhere","namespace":"openshift"}}"#
            .to_owned();
    FaultServer::start(move |_, _| Reply::ok(stream_list(std::slice::from_ref(&stream), None)))
}

#[test]
fn item_03_completion_asks_the_cluster_the_line_names() {
    let named = Server::start(&[]);
    let current = elsewhere();
    let dir = tempfile::tempdir().unwrap();
    let current_config = current.kubeconfig(dir.path(), "{ token: not-for-you }");
    let env = [("KUBECONFIG", current_config.as_path()), ("HOME", dir.path())];
    let named_config = named.kubeconfig.to_str().unwrap();

    // Without flags, the current context is asked (the test's premise).
    let (_, stdout, _) = complete(&["resolve", "-n", "openshift", ""], &env, Stdio::null(), LIMIT);
    assert_eq!(stdout, "elsewhere\n");
    let asked = current.seen().len();

    // --kubeconfig on the line.
    for words in [
        &["resolve", "-n", "openshift", "--kubeconfig", named_config, ""][..],
        &["--kubeconfig", named_config, "resolve", "-n", "openshift", ""],
        &["resolve", &format!("--kubeconfig={named_config}"), "-n", "openshift", "c"],
    ] {
        let (code, stdout, _) = complete(words, &env, Stdio::null(), LIMIT);
        let wanted = if words.last() == Some(&"c") { "cli\n" } else { OPENSHIFT };
        assert_eq!((code, stdout.as_str()), (0, wanted), "{words:?}");
    }

    // Global flags before the command are the line's too, not `__complete`'s.
    let (_, stdout, _) = complete(&["--from", DEMO, "get", "is", "-n", "openshift", "t"], &env, Stdio::null(), LIMIT);
    assert_eq!(stdout, "tools\n");
    let (_, stdout, _) = complete(&["--from", ""], &env, Stdio::null(), LIMIT);
    assert_eq!(stdout, "__files__\n");

    // --context on the line, both contexts in one merged KUBECONFIG (the current one first).
    let merged = std::env::join_paths([current_config.as_path(), named.kubeconfig.as_path()]).unwrap();
    let merged = PathBuf::from(merged);
    let env = [("KUBECONFIG", merged.as_path()), ("HOME", dir.path())];
    let (_, stdout, _) =
        complete(&["get", "is", "-n", "openshift", "--context", "isctl", ""], &env, Stdio::null(), LIMIT);
    assert_eq!(stdout, "cli\nmust-gather\ntools\n");

    assert_eq!(current.seen().len(), asked, "the current context's server got no request (nor its token)");
    assert!(!named.requests().is_empty(), "the named server was asked");
}

#[test]
fn item_03_completion_honours_insecure_skip_tls_verify() {
    let server = Server::start(&["--tls-cert", "fixtures/tls/server.pem", "--tls-key", "fixtures/tls/server-key.pem"]);
    // The kubeconfig serve writes skips verification; without that line the server's
    // certificate is not trusted, and only the flag on the line makes it so.
    let dir = tempfile::tempdir().unwrap();
    let strict = dir.path().join("strict");
    let text = std::fs::read_to_string(&server.kubeconfig).unwrap();
    assert!(text.contains("insecure-skip-tls-verify: true"), "{text}");
    std::fs::write(&strict, text.replace("    insecure-skip-tls-verify: true\n", "")).unwrap();
    let env = [("KUBECONFIG", strict.as_path()), ("HOME", dir.path())];
    let (_, stdout, _) = complete(&["resolve", "-n", "openshift", ""], &env, Stdio::null(), LIMIT);
    assert_eq!(stdout, "");
    let (_, stdout, _) =
        complete(&["resolve", "-n", "openshift", "--insecure-skip-tls-verify", ""], &env, Stdio::null(), LIMIT);
    assert_eq!(stdout, OPENSHIFT);
}

/// A ClusterRole whose name is too long for a file name, bound in openshift to `alice` (pull
/// access to the streams), and a demo Pod running cli:latest with an environment value and
/// fields isctl never reads.
fn long_names_and_secrets(long: &str) -> String {
    format!(
        r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {long}
rules:
- apiGroups: ["image.openshift.io"]
  resources: ["imagestreams/layers"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: long-puller
  namespace: openshift
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {long}
subjects:
- kind: User
  name: alice
---
apiVersion: v1
kind: Pod
metadata:
  name: with-secrets
  namespace: demo
  labels:
    app: with-secrets
spec:
  containers:
  - name: shell
    image: image-registry.openshift-image-registry.svc:5000/openshift/cli:latest
    command: ["/bin/sh", "-c", "not-read-by-isctl"]
    env:
    - name: PASSWORD
      value: s3cr3t-env-value
status:
  phase: Running
  podIP: 10.128.0.99
"#
    )
}

#[test]
fn item_04_record_workloads_writes_a_name_longer_than_a_file_name_may_be() {
    let dir = tempfile::tempdir().unwrap();
    let long = "image-puller-".to_owned() + &"x".repeat(300);
    let extra = dir.path().join("extra.yaml");
    std::fs::write(&extra, long_names_and_secrets(&long)).unwrap();
    let extra = extra.to_str().unwrap();
    let target = dir.path().join("recorded");
    let target = target.to_str().unwrap();
    let out = isctl().args(["record", target, "-A", "--workloads", "--from", DEMO, "--from", extra]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let folder = dir.path().join("recorded/cluster-scoped-resources/rbac.authorization.k8s.io/clusterroles");
    let written: Vec<String> =
        std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let encoded = written.iter().find(|n| n.starts_with("image-puller-x")).expect("the long-named ClusterRole");
    assert!(encoded.len() <= 255 && encoded.ends_with(".yaml"), "{encoded}");
    assert!(std::fs::read_to_string(folder.join(encoded)).unwrap().contains(&long));
    // The recording answers as its input did, alice's pull access (through the long name)
    // included.
    let args = ["consumers", "cli", "-n", "openshift", "-o", "yaml"];
    let from_input = isctl().args(args).args(["--from", DEMO, "--from", extra]).output().unwrap();
    let from_recording = isctl().args(args).args(["--from", target]).output().unwrap();
    let answer = String::from_utf8_lossy(&from_recording.stdout);
    assert!(answer.contains("alice"), "{answer}");
    assert_eq!(String::from_utf8_lossy(&from_input.stdout), answer);
}

#[test]
fn item_04_record_workloads_keeps_only_what_isctl_reads() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("extra.yaml");
    std::fs::write(&extra, long_names_and_secrets("short")).unwrap();
    let extra = extra.to_str().unwrap();
    let target = dir.path().join("recorded");
    let target = target.to_str().unwrap();
    let out = isctl().args(["record", target, "-A", "--workloads", "--from", DEMO, "--from", extra]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pods = std::fs::read_to_string(dir.path().join("recorded/namespaces/demo/core/pods.yaml")).unwrap();
    assert!(pods.contains("with-secrets") && pods.contains("openshift/cli:latest"), "{pods}");
    for unread in ["s3cr3t-env-value", "PASSWORD", "not-read-by-isctl", "10.128.0.99", "app: with-secrets"] {
        assert!(!pods.contains(unread), "{unread} was recorded:\n{pods}");
    }
    // ... and the Pod still counts: both answers name it, identically.
    for args in
        [&["consumers", "cli", "-n", "openshift", "-o", "yaml"][..], &["consumers", "cli:latest", "-n", "openshift"]]
    {
        let from_input = isctl().args(args).args(["--from", DEMO, "--from", extra]).output().unwrap();
        let from_recording = isctl().args(args).args(["--from", target]).output().unwrap();
        let answer = String::from_utf8_lossy(&from_recording.stdout);
        assert!(answer.contains("with-secrets"), "{answer}");
        assert_eq!(String::from_utf8_lossy(&from_input.stdout), answer, "{args:?}");
    }
}
