//! Loading a cluster-sized input: a `kind: List` of 100,000 Images (about 120 MB of JSON, as
//! `oc get images -o json` writes it) decoded into the catalog, next to the peer measured in the
//! same run: serde_json parsing the same text into an untyped `Value` (the least any reader does).
//!
//! Run with `cargo bench --bench load_images`. Compare the ratio, not the seconds.

// A benchmark is its own program whose output is the report.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use isctl::catalog::{Catalog, Origin};
use isctl::source::decode::decode;

fn main() {
    let count = 100_000;
    let items: Vec<String> = (0..count)
        .map(|i| {
            let layers: Vec<String> = (0..3)
                .map(|k| format!(r#"{{"name":"sha256:{:064x}","size":{},"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip"}}"#, i * 3 + k + 1_000_000_000, 1000 + k))
                .collect();
            format!(
                r#"{{"apiVersion":"image.openshift.io/v1","kind":"Image","metadata":{{"name":"sha256:{i:064x}","annotations":{{"image.openshift.io/dockerLayersOrder":"ascending"}},"creationTimestamp":"2026-01-01T00:00:00Z"}},"dockerImageReference":"quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:{i:064x}","dockerImageLayers":[{}],"dockerImageManifestMediaType":"application/vnd.oci.image.manifest.v1+json","dockerImageMetadata":{{"apiVersion":"image.openshift.io/1.0","kind":"DockerImage","Architecture":"amd64","Size":123456,"Created":"2026-01-01T00:00:00Z","Config":{{"Labels":{{"vendor":"Red Hat","version":"4.17"}},"Env":["PATH=/usr/bin"]}}}}}}"#,
                layers.join(",")
            )
        })
        .collect();
    let text = format!(r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#, items.join(","));
    drop(items);

    let start = Instant::now();
    let value: serde_json::Value = serde_json::from_str(black_box(&text)).expect("valid JSON");
    let peer = start.elapsed();
    assert_eq!(value["items"].as_array().map(Vec::len), Some(count as usize));
    drop(value);

    let start = Instant::now();
    let decoded = decode(black_box(&text)).expect("valid input");
    let mut catalog = Catalog::new();
    for object in decoded.objects {
        catalog.insert(object.object, Origin("bench".into()));
    }
    let isctl = start.elapsed();
    assert_eq!(catalog.len(), count as usize);

    println!("{count} Images, {} MB of JSON", text.len() / 1_000_000);
    println!("serde_json into Value (peer):   {:>8.2} s", peer.as_secs_f64());
    println!("isctl decode into the catalog:  {:>8.2} s", isctl.as_secs_f64());
    println!("ratio isctl / peer:             {:>8.2}", isctl.as_secs_f64() / peer.as_secs_f64());
}
