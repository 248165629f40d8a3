//! `isctl resolve`: the main job, on the demo cluster (failed imports, Local reference policy,
//! aliases, a manifest list, a missing Image, nested mirror scopes, a blocked source) and on the
//! real must-gather and ci-tools data beside the checkout.

use crate::common::{DEMO, output, run};

#[test]
fn main_job_table() {
    // Not a terminal: nothing is cut. Ages are measured against ISCTL_NOW (set by the harness).
    insta::assert_snapshot!(run(&["resolve", "must-gather", "-n", "openshift", "--from", DEMO]));
}

#[test]
fn whole_namespace_table_with_ages() {
    insta::assert_snapshot!(run(&["resolve", "-n", "openshift", "--now", "2026-11-27T12:00:00Z", "--from", DEMO]));
}

#[test]
fn all_namespaces_wide() {
    insta::assert_snapshot!(run(&["resolve", "-A", "-o", "wide", "--from", DEMO]));
}

#[test]
fn one_tag_as_yaml() {
    insta::assert_snapshot!(run(&["resolve", "cli:latest", "-n", "openshift", "-o", "yaml", "--from", DEMO]));
}

#[test]
fn failures_and_manifest_lists_as_json() {
    insta::assert_snapshot!(run(&[
        "resolve",
        "tools",
        "must-gather:latest",
        "-n",
        "openshift",
        "-o",
        "json",
        "--from",
        DEMO
    ]));
}

#[test]
fn blocked_docker_hub_source_in_another_namespace() {
    insta::assert_snapshot!(run(&["resolve", "app", "-n", "demo", "-o", "wide", "--from", DEMO]));
}

#[test]
fn missing_streams_and_tags_are_not_found() {
    insta::assert_snapshot!(run(&["resolve", "cli:nope", "nope", "tools:ubi", "-n", "openshift", "--from", DEMO]));
}

#[test]
fn yaml_does_not_depend_on_the_clock() {
    let at = |now: &str| output(&["resolve", "-A", "-o", "yaml", "--now", now, "--from", DEMO]).1;
    assert_eq!(at("2026-11-27T12:00:00Z"), at("2030-01-01T00:00:00Z"));
    let mut without_clock = crate::common::isctl();
    without_clock.env_remove("ISCTL_NOW").args(["resolve", "-A", "-o", "yaml", "--from", DEMO]);
    let plain = String::from_utf8(without_clock.output().unwrap().stdout).unwrap();
    assert_eq!(plain, at("2026-11-27T12:00:00Z"));
}

#[test]
fn real_must_gather_resolves_all_86_streams() {
    let Some(real) = crate::common::shared("must-gather/must-gather-aws") else { return };
    let (code, stdout, stderr) = output(&["resolve", "-n", "openshift", "-o", "json", "--from", real]);
    assert_eq!(code, 0, "{stderr}");
    let list: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let streams = list["items"].as_array().unwrap();
    assert_eq!(streams.len(), 86);
    let tags: usize = streams.iter().map(|s| s["tags"].as_array().unwrap().len()).sum();
    assert_eq!(tags, 356);
}

#[test]
fn ci_tools_pipeline_joins_every_digest_to_its_image() {
    let (Some(streams), Some(images), Some(istags)) = (
        crate::common::shared("imagestreams/ci-tools_pipeline_imagestream.yaml"),
        crate::common::shared("images/ci-tools_pipeline_images_list.yaml"),
        crate::common::shared("imagestreamtags/ci-tools_pipeline_imagestreamtags_list.yaml"),
    ) else {
        return;
    };
    let (code, stdout, stderr) = output(&[
        "resolve",
        "pipeline",
        "-n",
        "ci-op-jpdy23wx",
        "-o",
        "json",
        "--from",
        streams,
        "--from",
        images,
        "--from",
        istags,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let stream: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let items: Vec<&serde_json::Value> =
        stream["tags"].as_array().unwrap().iter().flat_map(|t| t["history"].as_array().unwrap()).collect();
    assert_eq!(items.len(), 5);
    for item in items {
        assert_eq!(item["imageFound"], true, "{item}");
        assert_eq!(item["imageFrom"], "Image", "{item}");
    }
}

/// Writes `text` to a temporary file and resolves it as YAML.
fn resolve_yaml(text: &str, args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("input.yaml");
    std::fs::write(&file, text).unwrap();
    let mut all = vec!["resolve", "-n", "ns", "-o", "json", "--from", file.to_str().unwrap()];
    all.extend(args);
    let (code, stdout, stderr) = output(&all);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn aliases_and_pending_imports_follow_oc() {
    // Review findings: an alias chain ending at a pushed tag (no spec entry) is no alias; an
    // ImageStreamTag source can be pending; an ImportSuccess condition counts whatever its status.
    let stream = r#"
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: s, namespace: ns}
spec:
  tags:
  - {name: prod, from: {kind: ImageStreamTag, name: latest}}
  - {name: stable, from: {kind: ImageStreamTag, name: "s:base"}}
  - {name: base, from: {kind: DockerImage, name: "quay.io/a/b:1"}, generation: 5}
  - {name: ist, from: {kind: ImageStreamTag, name: "other:1"}, generation: 5}
status:
  tags:
  - tag: latest
    items: [{image: "sha256:1", dockerImageReference: "quay.io/a/b@sha256:1", generation: 1}]
  - tag: base
    items: [{image: "sha256:1", dockerImageReference: "quay.io/a/b@sha256:1", generation: 3}]
    conditions: [{type: ImportSuccess, status: "True", generation: 5}]
  - tag: ist
    items: [{image: "sha256:1", dockerImageReference: "quay.io/a/b@sha256:1", generation: 3}]
"#;
    let resolution = resolve_yaml(stream, &["s"]);
    let tag = |name: &str| resolution["tags"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap().clone();
    assert_eq!(tag("prod")["aliasOf"], serde_json::Value::Null, "latest has no spec entry");
    assert_eq!(tag("stable")["aliasOf"], "base");
    assert_eq!(tag("base")["aliases"], serde_json::json!(["stable"]));
    assert_eq!(tag("base")["importPending"], false, "the True condition observed generation 5");
    assert_eq!(tag("ist")["importPending"], true, "an ImageStreamTag source waits for generation 5");
}

/// The table at a width, forced with ISCTL_COLUMNS as a terminal's would be.
fn at_width(width: usize, args: &[&str]) -> (i32, String, String) {
    let result = crate::common::isctl().env("ISCTL_COLUMNS", width.to_string()).args(args).output().unwrap();
    (
        result.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&result.stdout).into_owned(),
        String::from_utf8_lossy(&result.stderr).into_owned(),
    )
}

/// The NAME cells of a table's rows (after NAMESPACE with -A), and the rows' names in full.
fn names(stdout: &str, json: &str, all_namespaces: bool) -> (Vec<String>, Vec<String>) {
    let list: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut full = Vec::new();
    for stream in list["items"].as_array().unwrap() {
        for tag in stream["tags"].as_array().unwrap() {
            let rows = tag["history"].as_array().unwrap().len().clamp(1, isctl::settings::TABLE_HISTORY);
            let name = format!(
                "{}/{}:{}",
                stream["metadata"]["namespace"].as_str().unwrap(),
                stream["metadata"]["name"].as_str().unwrap(),
                tag["name"].as_str().unwrap()
            );
            full.extend(std::iter::repeat_n(name, rows));
        }
    }
    let mut cells: Vec<String> = Vec::new();
    // Names too long to share a line: a line per stream, its tags' rows indented by two, pull
    // sources by four; the cell is the stream line and the TAG cell.
    if stdout.starts_with("STREAM\n") || stdout.starts_with("NAMESPACE/STREAM\n") {
        let mut stream = "";
        for line in stdout.lines().skip(3) {
            match line.len() - line.trim_start().len() {
                0 => stream = line,
                2 => cells.push(format!("{stream}:{}", line.split_whitespace().next().unwrap())),
                // A history row: blank under its tag (a pull source is indented 4, or 6 wrapped).
                n if n > 6 => cells.push(cells.last().cloned().unwrap_or_default()),
                _ => {}
            }
        }
        return (cells, full);
    }
    // Rows only: not the header lines, not a pull source on its own line (indented by two). A
    // history row leaves its tag's name blank: it stands under the name above it.
    let column = usize::from(all_namespaces);
    // A pull source longer than a line goes on under itself, four columns in.
    let mut in_pull = false;
    let rows = stdout.lines().skip(1).filter(|l| {
        let continued = in_pull && l.starts_with("    ") && !l[4..].starts_with(' ');
        in_pull = is_pull_line(l) || continued;
        !in_pull
    });
    for line in rows {
        let cell = match line.starts_with(' ') {
            true => cells.last().cloned().unwrap_or_default(),
            false => line.split_whitespace().nth(column).unwrap_or_default().to_owned(),
        };
        cells.push(cell);
    }
    (cells, full)
}

/// A pull source printed on a line of its own, under its tag's rows (or the header's
/// `  PULL FROM`): two spaces, then text.
fn is_pull_line(line: &str) -> bool {
    line.starts_with("  ") && !line[2..].starts_with(' ')
}

/// The lines of the tag whose row starts with `name`: its rows and its pull source.
fn block<'a>(stdout: &'a str, name: &str) -> Vec<&'a str> {
    let mut lines = stdout.lines().skip_while(|l| !l.starts_with(name));
    let first = lines.next().into_iter();
    first.chain(lines.take_while(|l| l.starts_with(' '))).collect()
}

/// Two different tags never share a NAME cell, however narrow the table.
fn assert_names_tell_tags_apart(cells: &[String], full: &[String]) {
    assert_eq!(cells.len(), full.len(), "one row per history item shown");
    let mut seen: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for (cell, name) in cells.iter().zip(full) {
        let before = seen.insert(cell, name);
        assert!(before.is_none_or(|b| b == name), "{cell:?} stands for {before:?} and {name:?}");
    }
}

#[test]
fn the_table_fits_80_and_200_columns_and_shows_the_mirror_of_local_tags() {
    let (_, json, _) = output(&["resolve", "-n", "openshift", "-o", "json", "--from", DEMO]);
    for width in [80, 200] {
        let (code, stdout, stderr) = at_width(width, &["resolve", "-n", "openshift", "--from", DEMO]);
        assert_eq!(code, 0, "{stderr}");
        for line in stdout.lines().chain(stderr.lines()) {
            assert!(isctl::render::fit::width(line) <= width, "{width}: {line:?}");
        }
        let local = block(&stdout, "cli:latest").join("\n");
        // The repository is the answer: shown whole, host and path, at any width.
        assert!(local.contains("registry ← mirror.example.com:8443/ocp4/openshift4"), "{width}: {local}");
        for status in ["alias → latest", "failed: InternalError", "failed: Unauthorized", "Image missing"] {
            assert!(stdout.contains(status), "{width}: the status {status:?} whole in {stdout}");
        }
        let (cells, full) = names(&stdout, &json, false);
        assert_names_tell_tags_apart(&cells, &full);
        let name = format!("table_at_{width}_columns");
        insta::assert_snapshot!(name, format!("----- stdout -----\n{stdout}----- stderr -----\n{stderr}"));
    }
}

#[test]
fn no_headers_prints_exactly_one_line_per_row_shown() {
    let (_, json, _) = output(&["resolve", "-A", "-o", "json", "--from", DEMO]);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let lengths: Vec<usize> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["tags"].as_array().unwrap().iter().map(|t| t["history"].as_array().unwrap().len()))
        .collect();
    for (args, per_tag) in [
        (vec!["--history", "0"], usize::MAX),
        (vec![], isctl::settings::TABLE_HISTORY),
        (vec!["--history", "2"], 2),
        (vec!["--current"], 1),
    ] {
        let mut all = vec!["resolve", "-A", "--no-headers", "--from", DEMO];
        all.extend(args.iter().copied());
        let (code, stdout, _) = output(&all);
        assert_eq!(code, 0);
        let expected: usize = lengths.iter().map(|n| (*n).clamp(1, per_tag.max(1)).min((*n).max(1))).sum();
        assert_eq!(stdout.lines().count(), expected, "{args:?}");
        assert!(!stdout.contains("NAME"), "{args:?}");
    }
}

#[test]
fn history_is_limited_and_says_what_it_left_out() {
    let (_, stdout, stderr) = output(&["resolve", "must-gather", "-n", "openshift", "--history", "1", "--from", DEMO]);
    assert_eq!(stdout.lines().count(), 2, "header and the current item");
    assert_eq!(stderr, "note: 2 older history items hidden (--history N shows more, 0 all)\n");
    let (_, _, stderr) = output(&["resolve", "must-gather", "-n", "openshift", "--current", "--from", DEMO]);
    assert_eq!(stderr, "note: 2 older history items hidden (omit --current to see them)\n");
    let (_, stdout, stderr) =
        output(&["resolve", "must-gather", "-n", "openshift", "--current", "-o", "yaml", "--from", DEMO]);
    assert_eq!(stdout.matches("- current: ").count(), 1, "documents follow --current too");
    assert_eq!(stderr, "");
}

#[test]
fn colour_marks_broken_rows_only_when_asked_or_on_a_terminal() {
    let (_, plain, _) = output(&["resolve", "-n", "openshift", "--from", DEMO]);
    assert!(!plain.contains('\u{1b}'), "a pipe gets no colour");
    let (_, coloured, _) = output(&["resolve", "-n", "openshift", "--color", "always", "--from", DEMO]);
    let red: Vec<&str> = coloured.lines().filter(|l| l.starts_with("\u{1b}[31m")).collect();
    assert_eq!(red.len(), 2, "the two failed imports: {coloured}");
    assert!(red.iter().all(|l| l.contains("failed: ") && l.ends_with("\u{1b}[0m")));
}

#[test]
fn a_stream_in_another_namespace_gets_a_hint_offline_and_live() {
    let expected = "Error from server (NotFound): imagestreams.image.openshift.io \"cli\" not found\nhint: found in namespace openshift; use -n openshift\n";
    let (code, _, stderr) = output(&["resolve", "cli", "-n", "demo", "--from", DEMO]);
    assert_eq!((code, stderr.as_str()), (1, expected));
    let server = crate::common::Server::start(&[]);
    let (code, _, stderr) = server.isctl(&["resolve", "cli", "-n", "demo"]);
    assert_eq!((code, stderr.as_str()), (1, expected));
    let (code, _, stderr) = server.isctl(&["describe", "is", "nope", "-n", "demo"]);
    assert_eq!(
        (code, stderr.as_str()),
        (1, "Error from server (NotFound): imagestreams.image.openshift.io \"nope\" not found\n")
    );
}

#[test]
fn real_must_gather_with_oc_mirror_rules_shows_mirrors_at_120_columns() {
    let (Some(real), Some(rules)) = (
        crate::common::shared("must-gather/must-gather-aws"),
        crate::common::shared("mirrors/thibor1974_oc-mirror-results_imageContentSourcePolicy.yaml"),
    ) else {
        return;
    };
    let (code, stdout, stderr) = at_width(120, &["resolve", "-n", "openshift", "--from", real, "--from", rules]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.lines().chain(stderr.lines()).all(|l| isctl::render::fit::width(l) <= 120));
    let local_rows: Vec<&str> = stdout.lines().filter(|l| l.contains("⇐ ") || l.contains("registry ← ")).collect();
    assert_eq!(local_rows.len(), 347, "every Local tag shows where the registry pulls from");
    // The oc-mirror mirror's repository (`…/ocp-mirror/…`) shows, its host cut first if need be.
    let mirrored = local_rows.iter().filter(|l| l.contains("/ocp-mirror/") && l.contains(" registr")).count();
    assert!(mirrored >= 20, "the oc-mirror mirror shows for the mirrored repositories ({mirrored})");
    assert!(stderr.lines().count() <= 4, "a few summary lines: {stderr}");
    let (_, json, _) = output(&["resolve", "-n", "openshift", "-o", "json", "--from", real, "--from", rules]);
    for width in [80, 120] {
        let (_, stdout, _) = at_width(width, &["resolve", "-n", "openshift", "--from", real, "--from", rules]);
        let (cells, full) = names(&stdout, &json, false);
        assert_names_tell_tags_apart(&cells, &full);
    }
}

#[test]
fn an_empty_namespace_and_a_missing_tag_get_hints() {
    let (code, stdout, stderr) = output(&["resolve", "--from", DEMO]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert_eq!(
        stderr,
        "No resources found in default namespace.\nhint: the input has image streams in namespaces demo, openshift; use -n NAMESPACE or -A\n"
    );
    let (code, _, stderr) = output(&["resolve", "cli:nope", "-n", "openshift", "--from", DEMO]);
    assert_eq!(code, 1);
    assert!(
        stderr.ends_with("\"cli:nope\" not found\nhint: openshift/cli has tags latest, 4.16, stable\n"),
        "{stderr}"
    );
}

#[test]
fn a_bad_file_beside_good_ones_loses_nothing_already_read() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    let copy = std::process::Command::new("cp").args(["-r", DEMO]).arg(&tree).status().unwrap();
    assert!(copy.success());
    std::fs::write(tree.join("broken.yaml"), "kind: ImageStream\nmetadata: [\n").unwrap();
    let from = tree.display().to_string();
    let (code, stdout, stderr) = output(&["resolve", "cli", "-n", "openshift", "--from", &from]);
    assert_eq!(code, 1, "the command did its job, but part of the input was unreadable");
    assert!(stdout.contains("cli:latest"), "what was read is still answered: {stdout}");
    assert!(stderr.contains("broken.yaml:2:11: expected a mapping (key: value)"), "{stderr}");
    // A bad file alone is the answer.
    let (code, stdout, stderr) = output(&["resolve", "-A", "--from", &tree.join("broken.yaml").display().to_string()]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn the_table_never_gets_wider_than_the_terminal() {
    let mut inputs = vec![vec!["--from", DEMO]];
    if let (Some(real), Some(rules)) = (
        crate::common::shared("must-gather/must-gather-aws"),
        crate::common::shared("mirrors/thibor1974_oc-mirror-results_imageContentSourcePolicy.yaml"),
    ) {
        inputs.push(vec!["--from", real, "--from", rules]);
    }
    for input in &inputs {
        for flags in [&["-A"][..], &["-n", "openshift"], &["-A", "--current"]] {
            for width in [60, 65, 72, 80, 90, 100, 120, 150, 200] {
                let mut args = vec!["resolve"];
                args.extend(flags);
                args.extend(input.iter().copied());
                let (code, stdout, stderr) = at_width(width, &args);
                assert_eq!(code, 0, "{stderr}");
                for line in stdout.lines().chain(stderr.lines()) {
                    assert!(isctl::render::fit::width(line) <= width, "{width} {flags:?}: {line:?}");
                }
            }
        }
    }
}

#[test]
fn failed_imports_are_summed_up_by_reason() {
    let dir = tempfile::tempdir().unwrap();
    let tags: String = (0..5)
        .map(|i| format!("  - tag: t{i}\n    conditions:\n    - {{type: ImportSuccess, status: \"False\", reason: Unauthorized, message: 'Get \"https://registry.redhat.io/v2/r{i}/manifests/latest\": unauthorized'}}\n"))
        .collect();
    std::fs::write(
        dir.path().join("s.yaml"),
        format!("apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {{name: s, namespace: n}}\nstatus:\n  tags:\n{tags}"),
    )
    .unwrap();
    let from = dir.path().display().to_string();
    let (_, _, stderr) = output(&["resolve", "-n", "n", "--from", &from]);
    assert!(
        stderr.ends_with(
            "warning: 5 tags failed to import (Unauthorized): n/s:t0, n/s:t1, n/s:t2, ... (-v shows every message)\n"
        ),
        "{stderr}"
    );
    let (_, _, stderr) = output(&["resolve", "-n", "n", "-v", "--from", &from]);
    assert_eq!(stderr.matches(": import failed (Unauthorized): Get ").count(), 5, "{stderr}");
}

#[test]
fn a_namespaced_answer_reads_only_that_namespace_of_a_must_gather() {
    // A broken file in another namespace's directory is not read for -n openshift (oc adm
    // inspect writes each namespace under namespaces/NAME/), and is for that namespace and -A.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("must-gather");
    assert!(std::process::Command::new("cp").args(["-r", DEMO]).arg(&copy).status().unwrap().success());
    let release = std::fs::read_dir(&copy).unwrap().map(|e| e.unwrap().path()).find(|p| p.is_dir()).unwrap();
    let broken = release.join("namespaces/demo/image.openshift.io/broken.yaml");
    std::fs::write(&broken, "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: [\n").unwrap();
    let from = copy.to_str().unwrap();
    let (code, clean, stderr) = output(&["resolve", "-n", "openshift", "--from", from]);
    assert_eq!((code, clean, stderr), output(&["resolve", "-n", "openshift", "--from", DEMO]), "the same answer");
    for scope in [["-n", "demo"], ["-A", "--current"]] {
        let (code, _, stderr) = output(&["resolve", scope[0], scope[1], "--from", from]);
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains("broken.yaml:3"), "{stderr}");
    }
    // A stream asked for in the wrong namespace is still found elsewhere, for the hint.
    let (code, _, stderr) = output(&["resolve", "cli", "-n", "demo", "--from", DEMO]);
    assert_eq!((code, stderr.lines().last()), (1, Some("hint: found in namespace openshift; use -n openshift")));
}

#[test]
fn rows_needing_attention_are_coloured() {
    let (code, stdout, _) = output(&["resolve", "-n", "openshift", "--current", "--color", "always", "--from", DEMO]);
    assert_eq!(code, 0);
    let row = |name: &str| stdout.lines().find(|l| l.contains(name)).unwrap().to_owned();
    assert!(row("tools:latest ").starts_with("\u{1b}[33m"), "Image missing is yellow: {stdout}");
    assert!(row("tools:ubi ").starts_with("\u{1b}[31m"), "a failed import is red");
    assert!(row("cli:4.16 ").starts_with("cli:4.16"), "a healthy row is plain");
}
