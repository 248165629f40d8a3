//! Offline input: every accepted shape, and a corpus of bad inputs that must each give one clear
//! located error (or, for harmless oddities, a warning) and never a panic.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;

use crate::common::{DEMO, isctl, output, run, run_in};

const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn image_yaml(i: usize) -> String {
    format!(
        "apiVersion: image.openshift.io/v1\nkind: Image\nmetadata:\n  name: sha256:{i:064x}\ndockerImageReference: quay.io/a/b@sha256:{i:064x}\n"
    )
}

/// Writes `files` (name, bytes) under a new temporary directory.
fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    dir
}

fn get_images(dir: &Path, file: &str) -> String {
    let path = dir.join(file).display().to_string();
    run_in(&["get", "images", "--from", &path], Some(dir))
}

#[test]
fn bad_inputs_are_refused_with_file_line_and_column() {
    let wrong_type =
        "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: x\nspec:\n  tags: \"oops\"\n";
    let wrong_nested = "apiVersion: image.openshift.io/v1\nkind: Image\nmetadata:\n  name: sha256:x\ndockerImageLayers:\n- name: a\n  size: big\n";
    let duplicate = "apiVersion: image.openshift.io/v1\nkind: ImageStream\nkind: Image\n";
    let truncated = "{\"apiVersion\": \"image.openshift.io/v1\", \"kind\": \"ImageStream\", \"metadata\": {\"name\": ";
    let bad_list_item = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: image.openshift.io/v1\n  kind: ImageStream\n  metadata:\n    name: ok\n- apiVersion: image.openshift.io/v1\n  kind: ImageStream\n  metadata: [1, 2]\n";
    let mut latin1 = b"apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: caf".to_vec();
    latin1.extend([0xe9, b'\n']);
    let binary: Vec<u8> = (0..512u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let dir = tree(&[
        ("wrong-type.yaml", wrong_type.as_bytes()),
        ("wrong-nested.yaml", wrong_nested.as_bytes()),
        ("duplicate-key.yaml", duplicate.as_bytes()),
        ("truncated.json", truncated.as_bytes()),
        ("bad-list-item.yaml", bad_list_item.as_bytes()),
        ("latin1.yaml", &latin1),
        ("binary.yaml", &binary),
    ]);
    let mut all = String::new();
    for file in [
        "wrong-type.yaml",
        "wrong-nested.yaml",
        "duplicate-key.yaml",
        "truncated.json",
        "bad-list-item.yaml",
        "latin1.yaml",
        "binary.yaml",
    ] {
        all.push_str(&format!("=== {file}\n{}", get_images(dir.path(), file)));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn harmless_oddities_warn_and_go_on() {
    let dir = tree(&[
        ("empty.yaml", b""),
        ("only-comments.yaml", b"# nothing here\n---\n"),
        ("tree/images.yaml", image_yaml(1).as_bytes()),
        ("tree/again.yaml", image_yaml(1).as_bytes()),
        ("tree/notes.txt", b"not read"),
        ("tree/broken-unrelated.yaml", b"foo: [\n"),
    ]);
    std::os::unix::fs::symlink(dir.path().join("tree"), dir.path().join("tree/loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("missing"), dir.path().join("tree/dangling.yaml")).unwrap();
    let mut all = get_images(dir.path(), "empty.yaml");
    all.push_str(&get_images(dir.path(), "only-comments.yaml"));
    let tree = dir.path().join("tree").display().to_string();
    all.push_str(&run_in(&["get", "images", "-v", "--from", &tree], Some(dir.path())));
    insta::assert_snapshot!(all);
}

#[test]
fn unreadable_paths_are_errors() {
    insta::assert_snapshot!(run(&["get", "images", "--from", "does/not/exist.yaml"]));
}

#[test]
fn a_directory_with_thousands_of_files_and_a_huge_line() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3000 {
        fs::write(dir.path().join(format!("image-{i:05}.yaml")), image_yaml(i)).unwrap();
    }
    // One 3 MB line: a JSON List of 10,000 Images.
    let items: Vec<String> = (10_000..20_000)
        .map(|i| {
            format!(
                r#"{{"apiVersion":"image.openshift.io/v1","kind":"Image","metadata":{{"name":"sha256:{i:064x}"}}}}"#
            )
        })
        .collect();
    fs::write(
        dir.path().join("huge-line.json"),
        format!(r#"{{"kind":"List","apiVersion":"v1","items":[{}]}}"#, items.join(",")),
    )
    .unwrap();
    let from = dir.path().display().to_string();
    let (code, stdout, stderr) = output(&["get", "images", "-o", "name", "--from", &from]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(stdout.lines().count(), 13_000);
    assert!(stdout.starts_with(&format!("image.image.openshift.io/sha256:{:064x}\n", 0)));

    // Closing the pipe early ends isctl quietly with success (`isctl ... | head`).
    let mut child = isctl()
        .args(["get", "images", "-o", "yaml", "--from", &from])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut head = [0u8; 64];
    stdout.read_exact(&mut head).unwrap();
    drop(stdout);
    let result = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&result.stderr), "");
    assert_eq!(result.status.code(), Some(0));
}

#[test]
fn every_accepted_shape_loads() {
    let stream = |name: &str| {
        format!("apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata:\n  name: {name}\n  namespace: ns\n")
    };
    let multi = format!(
        "{}---\n{}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n",
        stream("multi-a"),
        stream("multi-b")
    );
    let typed_list = "{\"apiVersion\": \"image.openshift.io/v1\", \"kind\": \"ImageStreamList\", \"items\": [{\"metadata\": {\"name\": \"raw-list-item\", \"namespace\": \"ns\"}}]}";
    let tabbed_json = "{\n\t\"apiVersion\": \"image.openshift.io/v1\",\n\t\"kind\": \"ImageStream\",\n\t\"metadata\": {\n\t\t\"name\": \"tabbed\",\n\t\t\"namespace\": \"ns\"\n\t}\n}\n";
    let legacy = "apiVersion: v1\nkind: ImageStream\nmetadata:\n  name: legacy-v1\n  namespace: ns\n  selfLink: /oapi/v1/namespaces/ns/imagestreams/legacy-v1\n";
    let dir = tree(&[
        ("single.yaml", stream("single").as_bytes()),
        ("multi.yaml", multi.as_bytes()),
        ("typed-list.json", typed_list.as_bytes()),
        ("tabbed.json", tabbed_json.as_bytes()),
        ("legacy.yaml", legacy.as_bytes()),
    ]);
    // The same tree as a .tar.gz.
    let archive_path = dir.path().join("bundle.tar.gz");
    {
        let file = fs::File::create(&archive_path).unwrap();
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        let mut builder = tar::Builder::new(gz);
        let archived = format!("{}{}", stream("from-archive"), "");
        let mut header = tar::Header::new_gnu();
        header.set_size(archived.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(
                &mut header,
                "must-gather/namespaces/ns/image.openshift.io/imagestreams/a.yaml",
                archived.as_bytes(),
            )
            .unwrap();
        builder.into_inner().unwrap().finish().unwrap();
    }
    let from = dir.path().display().to_string();
    insta::assert_snapshot!(run_in(&["get", "is", "-n", "ns", "-o", "name", "-v", "--from", &from], Some(dir.path())));
    // Unknown fields survive a round trip.
    let (_, yaml, _) = output(&["get", "is", "legacy-v1", "-n", "ns", "-o", "yaml", "--from", &from]);
    assert!(yaml.contains("selfLink: /oapi/v1/namespaces/ns/imagestreams/legacy-v1"), "{yaml}");
    let _ = HEX;
}

#[test]
fn standard_input_and_repeated_from() {
    let mut child = isctl()
        .args(["get", "images", "-o", "name", "--from", "-", "--from", DEMO])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(image_yaml(7).as_bytes()).unwrap();
    let result = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(stdout.contains(&format!("sha256:{:064x}", 7)), "{stdout}");
    assert_eq!(stdout.lines().count(), 13, "12 demo images and one from stdin");
}

#[test]
fn the_same_object_twice_is_kept_once_with_a_warning() {
    let first = "apiVersion: operator.openshift.io/v1alpha1\nkind: ImageContentSourcePolicy\nmetadata:\n  name: release-0\nspec:\n  repositoryDigestMirrors:\n  - source: quay.io/a\n    mirrors: [m.example.com/a]\n";
    let second = first.replace("m.example.com/a", "other.example.com/a");
    let dir = tree(&[("a.yaml", first.as_bytes()), ("b.yaml", first.as_bytes()), ("c.yaml", second.as_bytes())]);
    let from = dir.path().display().to_string();
    insta::assert_snapshot!(run_in(&["get", "icsp", "-o", "yaml", "--from", &from, "--from", &from], Some(dir.path())));
}

#[test]
fn objects_without_a_namespace_belong_to_the_namespace_asked_for() {
    // As with kubectl -f FILE -n NS: sample streams are written without a namespace.
    let stream = "{\n\t\"kind\": \"ImageStream\",\n\t\"apiVersion\": \"image.openshift.io/v1\",\n\t\"metadata\": {\"name\": \"nodejs\"}\n}\n";
    let dir = tree(&[("nodejs.json", stream.as_bytes())]);
    let from = dir.path().join("nodejs.json").display().to_string();
    assert_eq!(
        output(&["get", "is", "-n", "team", "-o", "name", "--from", &from]).1,
        "imagestream.image.openshift.io/nodejs\n"
    );
    assert_eq!(output(&["get", "is", "-o", "name", "--from", &from]).1, "imagestream.image.openshift.io/nodejs\n");
    let (_, yaml, _) = output(&["get", "is", "nodejs", "-n", "team", "-o", "yaml", "--from", &from]);
    assert!(yaml.contains("namespace: team"), "{yaml}");
}

#[test]
fn a_folder_without_yaml_or_json_says_so() {
    // `--from src/` answered "No resources found" as if the cluster were empty (issue 21).
    let dir = tree(&[("main.rs", b"fn main() {}\n"), ("notes.md", b"# notes\n")]);
    let (code, stdout, stderr) = output(&["get", "is", "-A", "--from", dir.path().to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    assert_eq!(
        stderr,
        "warning: --from holds no YAML or JSON file to read: 0 objects read (2 files left alone; -v names them)\n\
         No resources found\n"
    );
    // A folder with YAML files says nothing more than before.
    let (_, _, stderr) = output(&["get", "is", "-n", "nowhere", "--from", DEMO]);
    assert!(!stderr.contains("no YAML or JSON"), "{stderr}");
}
