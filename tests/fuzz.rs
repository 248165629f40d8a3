//! A property-based fuzz harness on the stable toolchain: a deterministic mutator over a seed
//! corpus built from `fixtures/`, for the parts that read untrusted text:
//!
//! - the reference parser: never panics, and what parses prints back to itself;
//! - the loader: files (YAML and JSON) and archives (tar, tar.gz) never panic and always end;
//! - the mirror engine: any decodable rule set renders, and every plan ends with its source;
//! - shell completion: any word list is read and answered without a panic, and the input it
//!   names is never standard input and never waits on a cluster past the deadline;
//! - verify answers: registry replies (`Location`, `WWW-Authenticate`, token and manifest list
//!   bodies) fed to `--verify`'s classifier never panic, and what it accepts is safe to send;
//! - kubectl's JSONPath templates (`-o jsonpath=`, `jsonpath-as-json=`, `custom-columns=`) over
//!   the fixtures' objects never panic, and `--sort-by` over random mixed values (quantities,
//!   other strings, ints, floats, missing fields) never panics and returns every item once.
//!
//! `cargo test` (and so CI) runs a bounded smoke run. A longer run:
//!
//! ```sh
//! ISCTL_FUZZ_ITERATIONS=200000 ISCTL_FUZZ_SEED=7 cargo test --release --test fuzz -- --nocapture
//! ```
//!
//! A failing input is written to `target/fuzz-failures/` and named in the panic message, so it
//! can be replayed and turned into a regression test.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use isctl::catalog::{Catalog, Origin};
use isctl::mirror::plan::SourceKind;
use isctl::mirror::{RegistriesConfig, Resolver};
use isctl::reference::Reference;
use isctl::source::decode::{Limits, decode_with};
use isctl::source::files::{FileSource, InputLimits};
use isctl::source::{Collect, Source, Wants};

/// Iterations per target: small by default (CI), larger on demand.
fn iterations() -> usize {
    std::env::var("ISCTL_FUZZ_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(400)
}

/// A small, fast, deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn new(salt: u64) -> Rng {
        let seed = std::env::var("ISCTL_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
        Rng(seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens that tend to reach odd corners of parsers.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"\"",
    b"'",
    b"-",
    b"\n",
    b"\t",
    b"#",
    b"&a ",
    b"*a",
    b"!!str ",
    b"!!timestamp ",
    b"!!binary ",
    b"<<: ",
    b"---\n",
    b"...\n",
    b"|\n",
    b">-\n",
    b"%",
    b"@",
    b"/",
    b"..",
    b"\\u0000",
    "\u{1b}[31m".as_bytes(),
    b"\"t\\e[31m\\a\\r\\n\"",
    "€".as_bytes(),
    b"\xff\xfe",
    b"sha256:",
    b"99999999999999999999",
    b"-1",
    b"null",
    b"kind: List\nitems:\n",
    b"apiVersion: image.openshift.io/v1\n",
    b"kind: ImageStream\n",
];

/// One mutation of `input`: byte changes, deletions, token insertions, copies and splices.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let at = at.min(bytes.len() - 1);
                bytes[at] = rng.next() as u8;
            }
            1 if !bytes.is_empty() => {
                let end = (at + rng.below(16)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(at..at, token.iter().copied());
            }
            3 if !bytes.is_empty() => {
                let start = rng.below(bytes.len());
                let end = (start + rng.below(64)).min(bytes.len());
                let copy = bytes[start..end].to_vec();
                bytes.splice(at..at, copy);
            }
            4 if !other.is_empty() => {
                let start = rng.below(other.len());
                let end = (start + rng.below(256)).min(other.len());
                bytes.splice(at..at, other[start..end].iter().copied());
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

/// Every YAML and JSON file under `fixtures/`, as seeds.
fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    assert!(files.len() >= 10, "the seed corpus is fixtures/");
    files
}

/// Runs `case` on each input, catching panics; fails with the saved inputs that panicked.
fn run(target: &str, inputs: impl Iterator<Item = Vec<u8>>, case: impl Fn(&[u8])) {
    let failures_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    for (n, input) in inputs.enumerate() {
        if catch_unwind(AssertUnwindSafe(|| case(&input))).is_err() {
            std::fs::create_dir_all(&failures_dir).unwrap();
            let path = failures_dir.join(format!("{target}-{n}"));
            std::fs::write(&path, &input).unwrap();
            failures.push(path.display().to_string());
        }
    }
    std::panic::set_hook(hook);
    assert!(failures.is_empty(), "{target}: {} inputs panicked, saved as {failures:?}", failures.len());
}

#[test]
fn reference_parser() {
    let seeds: Vec<&str> = vec![
        "busybox",
        "docker.io/library/busybox:latest",
        "quay.io/openshift-release-dev/ocp-release@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "registry.example.com:5000/a/b/c:v1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "localhost/x",
        "image-registry.openshift-image-registry.svc:5000/openshift/cli@sha256:45f0",
    ];
    let mut rng = Rng::new(1);
    let inputs = (0..iterations() * 10).map(|i| {
        let seed = seeds[i % seeds.len()].as_bytes();
        mutate(&mut rng, seed, seeds[(i + 1) % seeds.len()].as_bytes())
    });
    run("reference", inputs, |input| {
        let Ok(text) = std::str::from_utf8(input) else { return };
        if let Ok(reference) = Reference::parse_normalized(text) {
            let printed = reference.to_string();
            assert_eq!(Reference::parse_normalized(&printed).as_ref(), Ok(&reference), "{text:?} -> {printed:?}");
        }
    });
}

#[test]
fn decoder() {
    let corpus = corpus();
    let mut rng = Rng::new(2);
    let inputs = (0..iterations()).map(|i| {
        let (_, seed) = &corpus[i % corpus.len()];
        let (_, other) = &corpus[rng.below(corpus.len())];
        mutate(&mut rng, seed, other)
    });
    let limits = Limits { alias_expansion: 1 << 20 };
    run("decode", inputs, |input| {
        if let Ok(text) = std::str::from_utf8(input) {
            let _ = decode_with(text, &limits);
        }
    });
}

/// A tar archive of `members`, gzip-compressed when asked.
fn archive(members: &[(String, Vec<u8>)], gzip: bool) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    for (name, body) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, body.as_slice()).unwrap();
    }
    let bytes = tar.into_inner().unwrap();
    if !gzip {
        return bytes;
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn loader_files_and_archives() {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(3);
    let inputs = (0..iterations() / 4).map(|i| {
        let members: Vec<(String, Vec<u8>)> = (0..1 + rng.below(3))
            .map(|m| {
                let (path, seed) = &corpus[(i + m) % corpus.len()];
                let (_, other) = &corpus[rng.below(corpus.len())];
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (format!("{m}/{name}"), mutate(&mut rng, seed, other))
            })
            .collect();
        // Sometimes the archive itself is damaged too.
        let whole = archive(&members, i % 2 == 0);
        if rng.below(3) == 0 { mutate(&mut rng, &whole, &[]) } else { whole }
    });
    let limits = InputLimits { file: 4 << 20, archive: 16 << 20, decode: Limits { alias_expansion: 1 << 20 } };
    let path = dir.path().join("input.tar.gz");
    run("loader", inputs, |input| {
        std::fs::write(&path, input).unwrap();
        let source = FileSource::new(vec![path.clone()], limits);
        let _ = source.load(&Wants::default(), &Collect::default());
    });
}

#[test]
fn mirror_engine() {
    let corpus: Vec<Vec<u8>> = corpus()
        .into_iter()
        .filter(|(_, bytes)| {
            let text = String::from_utf8_lossy(bytes);
            text.contains("MirrorSet") || text.contains("ContentSourcePolicy") || text.contains("registrySources")
        })
        .map(|(_, bytes)| bytes)
        .collect();
    assert!(!corpus.is_empty());
    let references = [
        "quay.io/openshift-release-dev/ocp-release@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "registry.redhat.io/ubi9/ubi:latest",
        "docker.io/library/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "registry.example.com:5000/team/app:1",
        "mirror.example.com:8443/ocp4/openshift4:tag",
    ];
    let mut rng = Rng::new(4);
    let inputs = (0..iterations()).map(|i| {
        let seed = &corpus[i % corpus.len()];
        let other = &corpus[rng.below(corpus.len())];
        mutate(&mut rng, seed, other)
    });
    let limits = Limits { alias_expansion: 1 << 20 };
    run("mirrors", inputs, |input| {
        let Ok(text) = std::str::from_utf8(input) else { return };
        let Ok(decoded) = decode_with(text, &limits) else { return };
        let mut catalog = Catalog::new();
        for object in decoded.objects {
            catalog.insert(object.object, Origin("fuzz".into()));
        }
        let resolver = Resolver::new(RegistriesConfig::from_catalog(&catalog));
        let _ = isctl::mirror::toml::render(resolver.config());
        for reference in references {
            let plan = resolver.plan(reference);
            if plan.errors.is_empty() && plan.pull_type.is_some() {
                assert_eq!(plan.sources.last().map(|s| s.kind), Some(SourceKind::Source), "{reference}");
            }
        }
    });
}

/// The renderers over whatever the decoder accepts: tables at any width, describe and plans never
/// panic, and no control character from the input reaches what a person sees.
#[test]
fn renderers() {
    use isctl::render::describe::{DescribeOptions, describe};
    use isctl::render::fit::Glyphs;
    use isctl::render::resolution::{FindingOptions, History, TableOptions, findings, render};
    use isctl::resolve::{InputGaps, Request, resolve};
    let corpus: Vec<Vec<u8>> = corpus()
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains("ImageStream"))
        .map(|(_, bytes)| bytes)
        .collect();
    assert!(!corpus.is_empty());
    let now = jiff::Timestamp::from_second(1_800_000_000).unwrap();
    let mut rng = Rng::new(5);
    let inputs = (0..iterations()).map(|i| {
        let seed = &corpus[i % corpus.len()];
        let other = &corpus[rng.below(corpus.len())];
        mutate(&mut rng, seed, other)
    });
    let limits = Limits { alias_expansion: 1 << 20 };
    let widths = std::cell::Cell::new(7u64);
    run("renderers", inputs, |input| {
        let Ok(text) = std::str::from_utf8(input) else { return };
        let Ok(decoded) = decode_with(text, &limits) else { return };
        let mut catalog = Catalog::new();
        for object in decoded.objects {
            catalog.insert(object.object, Origin("fuzz".into()));
        }
        let resolver = Resolver::new(RegistriesConfig::from_catalog(&catalog));
        let (resolutions, _) = resolve(&catalog, &resolver, &Request { namespace: None, selections: Vec::new() });
        let gaps = InputGaps::of(&catalog);
        widths.set(widths.get().wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407));
        let width = (widths.get() >> 33) as usize % 200;
        let mut seen = String::new();
        for wide in [false, true] {
            let options = TableOptions {
                wide,
                no_headers: false,
                namespaces: true,
                now,
                width: Some(width),
                glyphs: if width.is_multiple_of(2) { Glyphs::UNICODE } else { Glyphs::ASCII },
                color: false,
                history: History::All,
                gaps,
            };
            seen.push_str(&render(&resolutions, options).text);
        }
        for finding in findings(&resolutions, FindingOptions { verbose: true, brief: true, gaps }) {
            seen.push_str(&isctl::printer::terminal_safe(&finding.text));
        }
        for resolution in &resolutions {
            let Some(stream) = catalog.stream(&resolution.metadata.namespace, &resolution.metadata.name) else {
                continue;
            };
            let options = DescribeOptions { tag: None, history: Some(3), gaps, now };
            seen.push_str(&describe(resolution, stream, &resolver, options));
        }
        assert!(!seen.contains(['\u{1b}', '\u{7}', '\r']), "a control character reached the output");
    });
}

/// Words that reach completion's corners: commands, flags with and without values, `-` and
/// `--from -`, inline values, multi-byte shorts, tags, empty words.
const COMPLETION_WORDS: &[&str] = &[
    "get",
    "is",
    "istag",
    "describe",
    "resolve",
    "consumers",
    "diff",
    "mirrors",
    "record",
    "completion",
    "__complete",
    "--from",
    "-",
    "--from=-",
    "--kubeconfig",
    "--kubeconfig=",
    "--context",
    "-n",
    "-nopenshift",
    "-A",
    "-o",
    "--request-timeout",
    "--request-timeout=0",
    "0",
    "1s",
    "1h",
    "soon",
    "--max-file-size",
    "--max-archive-size=1Ki",
    "2Gi",
    "--insecure-skip-tls-verify",
    "--insecure-skip-tls-verify=true",
    "-v",
    "-vvv",
    "--chunk-size",
    "--",
    "-é",
    "é",
    "cli:",
    "cli:latest",
    "fixtures/must-gather",
    "",
    "=",
    "--=",
    "-=",
];

/// Completion over random word lists: reading the words and choosing what to offer never
/// panics, and the input a completion would read is never standard input, files within
/// completion's limit, and a cluster within its deadline. (The functions are pure: nothing is
/// read here, stdin included.)
#[test]
fn completion_words() {
    use clap::CommandFactory;
    use isctl::completion::{DEADLINE, FILE_LIMIT, input, read, want};
    use isctl::settings::Input;
    let command = isctl::cli::Cli::command();
    let mut rng = Rng::new(6);
    let inputs = (0..iterations())
        .map(|_| {
            let mut words: Vec<Vec<u8>> = Vec::new();
            for _ in 0..rng.below(9) {
                let word = COMPLETION_WORDS[rng.below(COMPLETION_WORDS.len())].as_bytes();
                words.push(if rng.below(4) == 0 { mutate(&mut rng, word, "-é:=/".as_bytes()) } else { word.to_vec() });
            }
            words.join(&0u8)
        })
        .collect::<Vec<_>>();
    run("completion", inputs.into_iter(), |input_bytes| {
        let text = String::from_utf8_lossy(input_bytes);
        let words: Vec<String> = text.split('\0').map(str::to_owned).collect();
        let (last, before) = words.split_last().map_or(("", &words[..]), |(l, b)| (l.as_str(), b));
        let typed = read(&command, before);
        let _ = want(&command, &typed, before.last().map(String::as_str), last);
        match input(&typed) {
            Some(Input::Files(paths, limits)) => {
                assert!(!paths.is_empty() && paths.iter().all(|p| p.as_os_str() != "-"), "{paths:?}");
                assert!(limits.file <= FILE_LIMIT);
            }
            Some(Input::Cluster(options)) => assert!(options.request_timeout.is_some_and(|t| t <= DEADLINE)),
            None => {}
        }
    });
}

#[test]
fn verify_answers() {
    use isctl::verify::Answer;
    use isctl::verify::client::{Target, bearer_of, list_child, parse_challenge};
    let digest = format!("sha256:{}", "a".repeat(64));
    let seeds: Vec<String> = vec![
        "https://user:p%40ss@cdn.example.net:8443/blob?sig=1#frag".into(),
        "//other.example/v2/a/manifests/b".into(),
        "../../x/manifests/c?y=2".into(),
        r#"Bearer realm="https://auth.example.com/token",service="registry",scope="repository:a/b:pull""#.into(),
        r#"Basic realm="x", charset="UTF-8""#.into(),
        r#"{"token":"abc","access_token":"def","expires_in":300}"#.into(),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{{"digest":"{digest}","platform":{{"os":"linux","architecture":"amd64"}}}},{{"digest":"{digest}","platform":{{"os":"linux","architecture":"arm64","variant":"v8"}}}}]}}"#
        ),
    ];
    let here = Target {
        scheme: "https".into(),
        host: "registry.example.com".into(),
        path: "/v2/a/manifests/b".into(),
        userinfo: None,
    };
    let mut rng = Rng::new(6);
    let inputs = (0..iterations() * 10).map(|i| {
        let seed = seeds[i % seeds.len()].as_bytes();
        mutate(&mut rng, seed, seeds[(i + 3) % seeds.len()].as_bytes())
    });
    run("verify-answers", inputs, |input| {
        let text = String::from_utf8_lossy(input);
        if let Some(next) = here.redirect(&text) {
            assert!(matches!(next.scheme.as_str(), "https" | "http"), "{text:?} -> {next:?}");
            assert!(!next.host.is_empty() && !next.host.contains(['@', '/', '?', '#']), "{text:?} -> {next:?}");
            assert!(next.path.starts_with('/') && !next.path.contains('#'), "{text:?} -> {next:?}");
            assert!(!next.path.bytes().any(|b| b < 0x20 || b == 0x7f), "{text:?} -> {next:?}");
        }
        let (_, params) = parse_challenge(&text);
        assert!(params.keys().all(|k| k.chars().all(|c| !c.is_ascii_uppercase())), "{text:?}");
        if let Ok(value) = bearer_of(input) {
            assert!(value.starts_with("Bearer ") && http::HeaderValue::from_str(&value).is_ok(), "{value:?}");
        }
        for platform in ["linux/amd64", "linux/arm64", "linux/arm/v7"] {
            match list_child(input, platform) {
                Ok(digest) => assert!(digest.starts_with("sha256:") && !digest.contains(['/', '?', '#', '@'])),
                Err(Answer::Failed(_) | Answer::ChildMissing(_)) => {}
                Err(other) => panic!("{other:?} from a manifest list"),
            }
        }
    });
}

/// Documents for the template targets: every JSON fixture, and odd values.
fn documents() -> Vec<serde_json::Value> {
    let mut documents: Vec<serde_json::Value> = corpus()
        .into_iter()
        .filter_map(|(path, bytes)| {
            if path.extension().is_some_and(|e| e == "json") { serde_json::from_slice(&bytes).ok() } else { None }
        })
        .collect();
    documents.push(serde_json::json!({"kind": "List", "items": [
        {"metadata": {"name": "a"}, "n": 1, "f": 1.5, "s": "10Gi", "l": [1, [2, 3]], "m": {"k": null}},
        {"metadata": {"name": "b"}, "n": 60.0, "s": "x", "l": [], "m": {}},
        {"metadata": {"name": "c"}, "big": 18446744073709551615u64, "s": "<&>\u{2028}"}
    ]}));
    assert!(documents.len() >= 2);
    documents
}

#[test]
fn jsonpath_templates() {
    use isctl::render::jsonpath::{OutputTemplate, Template};
    let seeds: Vec<&str> = vec![
        "{.items[*].metadata.name}",
        r#"{range .items[*]}{.metadata.name}{"\t"}{.spec.tags[*].name}{"\n"}{end}"#,
        r#"{.items[?(@.metadata.name=="b")].n}"#,
        "{.items[?(@.n>=1)].l[0:2:1]}",
        "{..name}",
        "{.items[-1:].metadata['name','x']}",
        r"{.metadata.annotations.openshift\.io/x}",
        "{.items[0].l[1][*]}{end}",
        "{range .items[*]}{range .l[*]}{@}{end}{end}",
        r#"{"\x41\101\u0041"}{.kind}"#,
        "{.items[?(@.m)].s}",
        "{.items[*].*}",
    ];
    let documents = documents();
    let mut rng = Rng::new(6);
    let inputs = (0..iterations()).map(|i| {
        let seed = seeds[i % seeds.len()].as_bytes();
        let other = seeds[rng.below(seeds.len())].as_bytes();
        mutate(&mut rng, seed, other)
    });
    run("jsonpath", inputs, |input| {
        let text = String::from_utf8_lossy(input);
        for output in
            [format!("jsonpath={text}"), format!("jsonpath-as-json={text}"), format!("custom-columns=A:{text},B:.kind")]
        {
            let Ok(Some(template)) = OutputTemplate::parse(&output) else { continue };
            for document in &documents {
                let _ = template.apply_partial(document, false);
            }
        }
        if let Ok(path) = Template::parse_path(&text) {
            for document in &documents {
                let items = document.get("items").and_then(|i| i.as_array()).cloned().unwrap_or_default();
                let _ = isctl::render::jsonpath::sort_order(&items, &path);
            }
        }
    });
}

#[test]
fn sort_by_mixed_values() {
    use isctl::render::jsonpath::{Template, sort_order};
    let values = [
        serde_json::json!("9"),
        serde_json::json!("10"),
        serde_json::json!("1a"),
        serde_json::json!("100m"),
        serde_json::json!("1Gi"),
        serde_json::json!("1e3"),
        serde_json::json!("a10"),
        serde_json::json!(""),
        serde_json::json!(3),
        serde_json::json!(-7),
        serde_json::json!(2.5),
        serde_json::json!(60.0),
        serde_json::json!(null),
        serde_json::json!(true),
        serde_json::json!([1]),
        serde_json::json!({"k": 1}),
    ];
    let key = Template::parse_path(".k").unwrap();
    let mut rng = Rng::new(7);
    let inputs = (0..iterations()).map(|_| {
        // A list length and, per item, which value it holds (or none): one byte each.
        let len = rng.below(120);
        let kinds = rng.below(values.len()) + 1;
        (0..len).map(|_| rng.below(kinds + 1) as u8).collect::<Vec<u8>>()
    });
    run("sort-by", inputs, |input| {
        let items: Vec<serde_json::Value> = input
            .iter()
            .map(|&b| match values.get(b as usize) {
                Some(value) => serde_json::json!({"k": value}),
                None => serde_json::json!({}),
            })
            .collect();
        if let Ok(order) = sort_order(&items, &key) {
            let mut seen = order.clone();
            seen.sort_unstable();
            assert_eq!(seen, (0..items.len()).collect::<Vec<_>>(), "every item once");
        }
    });
}
