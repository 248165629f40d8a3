//! The cluster-scale benchmark (issues 12 and 15): writes a synthetic cluster and must-gather, starts
//! `isctl serve` on it, and runs isctl and its peers side by side in the same run: kubectl
//! against the same server, and `grep -rl` over the same must-gather. It prints wall time, CPU
//! time and peak memory of each whole process, and the ratios. Never a pass/fail on time.
//!
//! ```sh
//! cargo bench --bench cluster -- small      # 2,000 Images, 100 MB must-gather (about a minute)
//! cargo bench --bench cluster -- 20k        # 20,000 Images, 1 GB must-gather
//! cargo bench --bench cluster -- 100k       # 100,000 Images
//! cargo bench --profile dev --bench cluster -- smoke   # what CI runs: every step once, tiny
//! ```
//!
//! Options: `--runs N` (median of N, default 3; 1 for smoke), `--must-gather-mb N` (noise added
//! to the must-gather), `--keep DIR` (write the data there and keep it), `--write DIR` (only
//! write the cluster and must-gather there, to profile or try by hand).

// A benchmark is its own program whose output is the report.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/synthetic.rs"]
mod synthetic;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use synthetic::Size;

/// One measured process.
#[derive(Clone, Copy, Debug, Default)]
struct Run {
    wall: f64,
    cpu: f64,
    peak_mb: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.first().map(String::as_str) == Some("--measure") {
        measure_child(&args[1..]);
        return;
    }
    let size_name = args.iter().find(|a| !a.starts_with("--") && Size::named(a).is_some()).cloned();
    let size = Size::named(size_name.as_deref().unwrap_or("small")).expect("a known size");
    let option = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let runs: usize = option("--runs").and_then(|v| v.parse().ok()).unwrap_or(if size.name == "smoke" { 1 } else { 3 });
    let noise_mb: u64 = option("--must-gather-mb").and_then(|v| v.parse().ok()).unwrap_or(match size.name {
        "smoke" => 20,
        "small" => 100,
        _ => 1_000,
    });
    if let Some(dir) = option("--write") {
        let dir = PathBuf::from(dir);
        let bytes = synthetic::write_cluster(&dir, &size) + synthetic::write_noise(&dir, &size, noise_mb << 20);
        eprintln!("wrote {} Images and {} MB to {}", size.images(), bytes / 1_000_000, dir.display());
        return;
    }
    let temporary = tempfile::tempdir().expect("a temporary directory");
    let root = option("--keep").map(PathBuf::from).unwrap_or_else(|| temporary.path().to_path_buf());
    let bench = Bench { isctl: PathBuf::from(env!("CARGO_BIN_EXE_isctl")), root: root.clone(), runs, rows: Vec::new() };
    bench.run(&size, noise_mb);
}

struct Bench {
    isctl: PathBuf,
    root: PathBuf,
    runs: usize,
    rows: Vec<Row>,
}

/// One line of the report.
struct Row {
    work: String,
    isctl: Run,
    peer: Option<(String, Run)>,
    note: String,
}

impl Bench {
    fn run(mut self, size: &Size, noise_mb: u64) {
        let data = self.root.join("cluster");
        let started = Instant::now();
        let bytes = synthetic::write_cluster(&data, size);
        eprintln!(
            "wrote {} Images, {} streams in {} namespaces, {} mirror policies: {} MB in {:.1} s",
            size.images(),
            size.streams,
            size.namespaces,
            size.policies,
            bytes / 1_000_000,
            started.elapsed().as_secs_f64()
        );
        let home = self.root.join("home");
        std::fs::create_dir_all(&home).unwrap();
        let kubeconfig = self.root.join("kubeconfig");
        let server = Server::start(&self.isctl, &data, &kubeconfig);
        let env = [("HOME", home.display().to_string()), ("KUBECONFIG", kubeconfig.display().to_string())];
        // kubectl's discovery cache is warm for every measured run, as in daily use.
        self.quiet(&["kubectl", "get", "--raw", "/version"], &env);
        self.quiet(&["kubectl", "api-resources"], &env);

        let out = self.root.join("out");
        std::fs::create_dir_all(&out).unwrap();
        let isctl = self.isctl.display().to_string();
        // 1. get images -o yaml, paged (500, both tools' default) and in one request.
        for (label, chunk) in [("get images -o yaml", None), ("get images -o yaml, one request", Some("0"))] {
            let mut mine = vec![isctl.as_str(), "get", "images", "-o", "yaml"];
            let mut theirs = vec!["kubectl", "get", "images", "-o", "yaml"];
            let flag;
            if let Some(chunk) = chunk {
                flag = format!("--chunk-size={chunk}");
                mine.push(&flag);
                theirs.push(&flag);
            }
            let a = self.measure(&mine, &env, &out.join("isctl.yaml"));
            let b = self.measure(&theirs, &env, &out.join("kubectl.yaml"));
            let (x, y) = (items(&out.join("isctl.yaml")), items(&out.join("kubectl.yaml")));
            assert_eq!(x, size.images(), "isctl lists every Image");
            assert_eq!(y, size.images(), "kubectl lists every Image");
            self.rows.push(Row {
                work: label.into(),
                isctl: a,
                peer: Some(("kubectl".into(), b)),
                note: String::new(),
            });
        }
        // 2. get is -A (the table).
        let a = self.measure(&[&isctl, "get", "is", "-A"], &env, &out.join("isctl.txt"));
        let b = self.measure(&["kubectl", "get", "is", "-A"], &env, &out.join("kubectl.txt"));
        assert_eq!(lines(&out.join("isctl.txt")), size.streams + 1);
        assert_eq!(lines(&out.join("kubectl.txt")), size.streams + 1);
        self.rows.push(Row {
            work: "get is -A".into(),
            isctl: a,
            peer: Some(("kubectl".into(), b)),
            note: String::new(),
        });
        // 3. serve: a paged list against one request, by the same client.
        let paged = self.measure(&["kubectl", "get", "images", "-o", "yaml"], &env, &out.join("k1.yaml"));
        let whole =
            self.measure(&["kubectl", "get", "images", "-o", "yaml", "--chunk-size=0"], &env, &out.join("k2.yaml"));
        self.rows.push(Row {
            work: "serve: kubectl paged / one request".into(),
            isctl: paged,
            peer: Some(("one request".into(), whole)),
            note: "target: paged within 1.5x".into(),
        });
        // 4. serve: GETs by name from 20 clients.
        let per_second =
            throughput(&server.address, size, 20, Duration::from_secs(if size.name == "smoke" { 1 } else { 5 }));
        self.rows.push(Row {
            work: "serve: GET image by name, 20 clients".into(),
            isctl: Run::default(),
            peer: None,
            note: format!("{per_second:.0} requests/s (target 5,000)"),
        });
        // 5. live resolve of one namespace against kubectl's way to the same answer.
        let namespace = synthetic::namespace(1);
        let per_namespace = size.images() / size.namespaces;
        let a = self.measure(&[&isctl, "resolve", "-n", &namespace, "-o", "yaml"], &env, &out.join("resolve.yaml"));
        let workflow = self.kubectl_workflow(&namespace, &env, &out);
        self.rows.push(Row {
            work: format!("live resolve -n {namespace} ({per_namespace} images)"),
            isctl: a,
            peer: Some(("kubectl get is + get image each".into(), workflow.0)),
            note: workflow.1,
        });
        drop(server);
        // 6. offline: the same objects from files.
        let from = data.display().to_string();
        let a = self.measure(&[&isctl, "get", "images", "-o", "yaml", "--from", &from], &[], &out.join("offline.yaml"));
        assert_eq!(items(&out.join("offline.yaml")), size.images());
        self.rows.push(Row { work: "offline get images -o yaml".into(), isctl: a, peer: None, note: String::new() });
        // 7. a must-gather: the image objects plus what else must-gathers hold.
        let started = Instant::now();
        let noise = synthetic::write_noise(&data, size, noise_mb << 20);
        eprintln!(
            "added {} MB of Pods, Events and ConfigMaps in {:.1} s",
            noise / 1_000_000,
            started.elapsed().as_secs_f64()
        );
        let grep = ["grep", "-rl", "image.openshift.io", from.as_str()];
        self.quiet(&grep, &[]);
        let a = self.measure(
            &[&isctl, "resolve", "-n", "openshift", "-o", "yaml", "--from", &from],
            &[],
            &out.join("mg.yaml"),
        );
        let b = self.measure(&grep, &[], &out.join("grep.txt"));
        self.rows.push(Row {
            work: format!("must-gather resolve -n openshift ({} MB)", (bytes + noise) / 1_000_000),
            isctl: a,
            peer: Some(("grep -rl".into(), b)),
            note: "target: 2 s, 3x grep".into(),
        });
        // 8. who still uses one image, over the must-gather's Pods: offline against grep, live
        // against kubectl listing the Pods (the start of doing it by hand).
        let digest = synthetic::digest(1);
        let users = [isctl.as_str(), "consumers", "--image", &digest, "-o", "json"];
        let offline = [&users[..], &["--from", &from]].concat();
        let grep = ["grep", "-rl", digest.as_str(), from.as_str()];
        let a = self.measure(&offline, &[], &out.join("users.json"));
        let b = self.measure(&grep, &[], &out.join("grep-users.txt"));
        let running = runs_of(&out.join("users.json"));
        assert!(running > 0, "isctl finds the Pods that run {digest}");
        self.rows.push(Row {
            work: "must-gather consumers --image".into(),
            isctl: a,
            peer: Some(("grep -rl".into(), b)),
            note: format!("{running} containers run it"),
        });
        let server = Server::start(&self.isctl, &data, &kubeconfig);
        self.quiet(&["kubectl", "get", "--raw", "/version"], &env);
        let a = self.measure(&users, &env, &out.join("users-live.json"));
        let b = self.measure(&["kubectl", "get", "pods", "-A", "-o", "json"], &env, &out.join("pods.json"));
        let pods = std::fs::read_to_string(out.join("pods.json")).unwrap();
        let by_kubectl = pods.matches(&format!("\"imageID\": \"quay.io/org-1/repo-1@{digest}\"")).count();
        assert_eq!(runs_of(&out.join("users-live.json")), running, "live and offline agree");
        assert_eq!(by_kubectl, running, "kubectl's Pods run it as often as isctl says");
        self.rows.push(Row {
            work: "live consumers --image".into(),
            isctl: a,
            peer: Some(("kubectl get pods -A -o json".into(), b)),
            note: "kubectl only lists; finding the users is left to jq".into(),
        });
        drop(server);
        self.report(size);
    }

    /// kubectl's way to resolve a namespace: list the streams, then one `get image` per digest.
    /// Past 40 digests the rest is extrapolated from the measured ones (and said so).
    fn kubectl_workflow(&self, namespace: &str, env: &[(&str, String)], out: &Path) -> (Run, String) {
        let streams = self.measure(&["kubectl", "get", "is", "-n", namespace, "-o", "json"], env, &out.join("is.json"));
        let text = std::fs::read_to_string(out.join("is.json")).unwrap();
        let mut digests: Vec<&str> =
            text.match_indices("\"image\": \"sha256:").map(|(i, _)| &text[i + 10..i + 81]).collect();
        digests.sort_unstable();
        digests.dedup();
        let sample = digests.len().min(40);
        let mut total = streams;
        for digest in &digests[..sample] {
            let run = self.once(&["kubectl", "get", "image", digest, "-o", "json"], env, &out.join("image.json"));
            total.wall += run.wall;
            total.cpu += run.cpu;
            total.peak_mb = total.peak_mb.max(run.peak_mb);
        }
        if sample == digests.len() {
            return (total, format!("{} requests", digests.len() + 1));
        }
        let scale = digests.len() as f64 / sample as f64;
        let images = Run {
            wall: (total.wall - streams.wall) * scale,
            cpu: (total.cpu - streams.cpu) * scale,
            peak_mb: total.peak_mb,
        };
        (
            Run { wall: streams.wall + images.wall, cpu: streams.cpu + images.cpu, peak_mb: images.peak_mb },
            format!("kubectl extrapolated from {sample} of {} image GETs", digests.len()),
        )
    }

    /// The median of `runs` measured runs.
    fn measure(&self, command: &[&str], env: &[(&str, String)], stdout: &Path) -> Run {
        let mut runs: Vec<Run> = (0..self.runs).map(|_| self.once(command, env, stdout)).collect();
        runs.sort_by(|a, b| a.wall.total_cmp(&b.wall));
        runs[runs.len() / 2]
    }

    /// One run, measured by a child of this program that waits for the command alone, so the
    /// peak memory is the command's.
    fn once(&self, command: &[&str], env: &[(&str, String)], stdout: &Path) -> Run {
        let mut child = Command::new(std::env::current_exe().unwrap());
        child.arg("--measure").arg(stdout).args(command);
        for (name, value) in env {
            child.env(name, value);
        }
        let output = child.stderr(Stdio::inherit()).output().expect("the measuring child runs");
        let text = String::from_utf8_lossy(&output.stdout);
        let numbers: Vec<f64> = text.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        assert!(output.status.success() && numbers.len() == 3, "{command:?} failed: {text}");
        Run { wall: numbers[0], cpu: numbers[1], peak_mb: numbers[2] }
    }

    fn quiet(&self, command: &[&str], env: &[(&str, String)]) {
        let mut child = Command::new(command[0]);
        child.args(&command[1..]).stdout(Stdio::null()).stderr(Stdio::null());
        for (name, value) in env {
            child.env(name, value);
        }
        let _ = child.status();
    }

    fn report(&self, size: &Size) {
        println!();
        println!(
            "isctl benchmark, size {} ({} Images), median of {} runs, whole processes",
            size.name,
            size.images(),
            self.runs
        );
        println!(
            "{:<44} {:>9} {:>8} {:>9}   {:<32} {:>9} {:>8} {:>9}   {:>7} {:>7}",
            "work", "isctl s", "cpu s", "peak MB", "peer", "s", "cpu s", "peak MB", "faster", "memory"
        );
        for row in &self.rows {
            let mine = if row.isctl.wall > 0.0 {
                format!("{:>9.3} {:>8.3} {:>9.1}", row.isctl.wall, row.isctl.cpu, row.isctl.peak_mb)
            } else {
                format!("{:>9} {:>8} {:>9}", "", "", "")
            };
            let theirs = match &row.peer {
                Some((name, run)) => format!(
                    "{:<32} {:>9.3} {:>8.3} {:>9.1}   {:>6.1}x {:>6.2}x",
                    name,
                    run.wall,
                    run.cpu,
                    run.peak_mb,
                    run.wall / row.isctl.wall.max(1e-9),
                    row.isctl.peak_mb / run.peak_mb.max(1e-9)
                ),
                None => String::new(),
            };
            println!("{:<44} {mine}   {theirs}", row.work);
            if !row.note.is_empty() {
                println!("{:<44} ({})", "", row.note);
            }
        }
        println!("\n`faster`: peer time / isctl time. `memory`: isctl peak / peer peak.");
    }
}

/// The measuring child: runs the command with stdout to a file, waits, and prints its wall
/// time, CPU time (user and system) and peak resident memory in MB.
fn measure_child(args: &[String]) {
    let stdout = std::fs::File::create(&args[0]).expect("the output file");
    let errors = format!("{}.stderr", args[0]);
    let stderr = std::fs::File::create(&errors).expect("the error file");
    let started = Instant::now();
    let status = Command::new(&args[1]).args(&args[2..]).stdout(stdout).stderr(stderr).status();
    let wall = started.elapsed().as_secs_f64();
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    let seconds = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    let cpu = seconds(usage.user_time()) + seconds(usage.system_time());
    // Linux reports kilobytes.
    let peak_mb = usage.max_rss() as f64 / 1024.0;
    match status {
        Ok(status) if status.success() => println!("{wall:.4} {cpu:.4} {peak_mb:.1}"),
        Ok(status) => {
            println!("failed with {status}");
            eprint!("{}", std::fs::read_to_string(&errors).unwrap_or_default());
        }
        Err(error) => println!("failed to start: {error}"),
    }
}

/// Items of a YAML List as kubectl and isctl print them.
/// How many containers a `consumers --image -o json` answer says run the image.
fn runs_of(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let answer: serde_json::Value = serde_json::from_str(&text).expect("consumers -o json");
    answer["uses"].as_array().map_or(0, |uses| uses.iter().filter(|u| u["role"] == "runs").count())
}

fn items(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    text.matches("\n- apiVersion: ").count()
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).unwrap().lines().count()
}

/// `isctl serve` on the data, with a kubeconfig for kubectl and isctl; stopped on drop.
struct Server {
    child: std::process::Child,
    address: String,
}

impl Server {
    fn start(isctl: &Path, data: &Path, kubeconfig: &Path) -> Server {
        let mut child = Command::new(isctl)
            .args(["serve", "--address", "127.0.0.1:0", "--write-kubeconfig"])
            .arg(kubeconfig)
            .arg("--from")
            .arg(data)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("isctl serve starts");
        let mut banner = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut banner).unwrap();
        let address =
            banner.split("://").nth(1).expect("the serving banner").split_whitespace().next().unwrap().to_owned();
        Server { child, address }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GETs of single Images by name from `clients` keep-alive connections for `duration`:
/// requests answered per second.
fn throughput(address: &str, size: &Size, clients: usize, duration: Duration) -> f64 {
    let deadline = Instant::now() + duration;
    let images = size.images();
    let answered: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                scope.spawn(move || {
                    let mut stream = std::net::TcpStream::connect(address).unwrap();
                    stream.set_nodelay(true).unwrap();
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut n = 0;
                    let mut i = c;
                    while Instant::now() < deadline {
                        i = (i * 7 + 13) % images;
                        let path = format!("/apis/image.openshift.io/v1/images/{}", synthetic::digest(i));
                        write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nAccept: application/json\r\n\r\n")
                            .unwrap();
                        let mut length = 0;
                        let mut status = String::new();
                        reader.read_line(&mut status).unwrap();
                        assert!(status.contains(" 200 "), "{status}");
                        loop {
                            let mut line = String::new();
                            reader.read_line(&mut line).unwrap();
                            if line == "\r\n" {
                                break;
                            }
                            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                                length = value.trim().parse().unwrap();
                            }
                        }
                        let mut body = vec![0; length];
                        reader.read_exact(&mut body).unwrap();
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    answered as f64 / duration.as_secs_f64()
}
