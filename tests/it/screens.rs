//! What a person sees: isctl run in a real pseudo-terminal (util-linux `script`) at 80 and 200
//! columns, the screen pinned as insta snapshots (issue 21). The width comes from the terminal
//! itself (`stty cols`), not from `COLUMNS` or `ISCTL_COLUMNS`.

use std::process::{Command, Stdio};

use crate::common::DEMO;

/// A synthetic release namespace with 40+ character stream and tag names.
const LAYOUT: &str = "fixtures/layout";

/// Runs isctl in a pseudo-terminal `columns` wide in the locale `lc_all`; returns what the
/// screen shows (stdout and stderr as the terminal interleaves them, line ends as typed).
fn screen_in(lc_all: &str, columns: usize, args: &[&str]) -> String {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let line = format!("stty cols {columns} rows 50; exec '{}' {}", env!("CARGO_BIN_EXE_isctl"), quoted.join(" "));
    let output = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("ISCTL_NOW", crate::common::NOW)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("LC_ALL", lc_all)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .expect("util-linux script runs (CI installs it)");
    // `script -e` ends with isctl's own exit code: pinned with the screen.
    let code = output.status.code().map_or("signal".to_owned(), |c| c.to_string());
    assert!(output.stderr.is_empty(), "script: {}", String::from_utf8_lossy(&output.stderr));
    format!("exit: {code}\n{}", String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"))
}

/// Every line fits, and the screen is pinned.
fn pin(name: &str, columns: usize, args: &[&str]) -> String {
    pin_in("C.UTF-8", name, columns, args)
}

/// [`pin`] in the locale `lc_all`.
fn pin_in(lc_all: &str, name: &str, columns: usize, args: &[&str]) -> String {
    let shown = screen_in(lc_all, columns, args);
    for line in shown.lines() {
        assert!(isctl::render::fit::width(line) <= columns, "{name}: {line:?} is over {columns}");
    }
    insta::assert_snapshot!(format!("{name}_at_{columns}"), shown);
    shown
}

#[test]
fn the_demo_at_80_and_200_columns() {
    for columns in [80, 200] {
        let shown = pin("resolve_demo", columns, &["resolve", "-n", "openshift", "--from", DEMO]);
        assert!(shown.contains("registry ← mirror.example.com:8443/ocp4/openshift4"), "{shown}");
        assert!(shown.contains("alias → latest") && shown.contains("failed: Unauthorized"), "{shown}");
        pin("check_demo", columns, &["check", "-A", "--from", DEMO]);
        pin("describe_demo", columns, &["describe", "is", "cli", "-n", "openshift", "--from", DEMO]);
        let digest =
            "registry.redhat.io/ubi9/ubi@sha256:a8abc42e0ac6e8fa1e8b3e81c13b6e4e1d59d3a43c7f5a0a4cba6e0b8f7e2c11";
        let shown = pin(
            "mirrors_demo",
            columns,
            &["mirrors", digest, "quay.io/openshift-release-dev/ocp-v4.0-art-dev:4.16", "--from", DEMO],
        );
        assert!(!shown.contains('…') && shown.contains("ImageTagMirrorSet/ubi-tags"), "all whole: {shown}");
    }
    // Without UTF-8 (LC_ALL=C, as on a bare console or in some CI), ASCII in the same widths.
    let ascii = pin_in("C", "resolve_demo_ascii", 80, &["resolve", "-n", "openshift", "--from", DEMO]);
    assert!(ascii.is_ascii(), "{ascii}");
    assert!(ascii.contains("registry <- mirror.example.com:8443/ocp4/openshift4"), "{ascii}");
    assert!(ascii.contains("alias -> latest"), "{ascii}");
    let ascii = pin_in("C", "resolve_release_names_ascii", 80, &["resolve", "-A", "--from", LAYOUT]);
    assert!(ascii.is_ascii(), "{ascii}");
    let one = pin("resolve_one_stream", 80, &["resolve", "must-gather", "-n", "openshift", "--from", DEMO]);
    assert!(!one.contains('…'), "one stream's cells are all whole at 80 columns: {one}");
}

#[test]
fn release_names_of_40_characters_at_80_and_200_columns() {
    let ns = "ocp-release-candidates-and-nightlies";
    for columns in [80, 200] {
        let shown = pin("resolve_release_names", columns, &["resolve", "-n", ns, "--from", LAYOUT]);
        // Host and repository whole, wrapped under itself at 80 rather than cut.
        let joined = shown.replace("/\n      ", "/").replace("/\n    ", "/");
        assert!(
            joined
                .contains("registry.disconnected-lab.corp.example.com:5000/openshift-release-dev/ocp-release-nightly")
        );
        let stderr_lines = shown.lines().filter(|l| l.starts_with("warning: ") || l.starts_with("note: ")).count();
        assert!(stderr_lines <= 6, "{shown}");
        pin("check_release_names", columns, &["check", "-A", "--from", LAYOUT]);
    }
}

/// Every README block marked `<!-- screen at 80: ARGS -->` is what `isctl ARGS` shows in an
/// 80-column terminal today.
#[test]
fn the_readme_screens_are_real() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let marker = "<!-- screen at 80: ";
    // The Try-it command pins the clock, so the screen under it is what a newcomer sees.
    let command = "cargo run -- resolve -n openshift --from fixtures/must-gather --now 2026-11-27T12:00:00Z\n";
    assert!(readme.contains(command), "{command}");
    let mut checked = Vec::new();
    for (at, _) in readme.match_indices(marker) {
        let rest = &readme[at + marker.len()..];
        let (args, rest) = rest.split_once(" -->\n```\n").expect("a marker is followed by its block");
        let shown = &rest[..rest.find("```\n").expect("the block ends")];
        let args: Vec<&str> = args.split_whitespace().collect();
        let screen = screen_in("C.UTF-8", 80, &args);
        let screen = screen.split_once('\n').unwrap().1;
        assert_eq!(shown, screen, "README.md's screen of {args:?} must be what isctl shows");
        checked.push(args[0].to_owned());
    }
    checked.sort();
    checked.dedup();
    assert_eq!(checked, ["check", "describe", "prune", "resolve"], "the README shows a screen of each");
}
