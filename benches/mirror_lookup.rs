//! How fast a pull plan is answered against an oc-mirror-sized catalog ICSP (630 sources), next to
//! the peer measured in the same run: containers/image's way, a scan of every entry per lookup.
//!
//! Run with `cargo bench --bench mirror_lookup`. It prints nanoseconds per lookup for both and
//! their ratio; ratios, not absolute times, are what to compare across machines.

// A benchmark is its own program whose output is the report.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use isctl::catalog::{Catalog, Origin};
use isctl::mirror::{RegistriesConfig, Resolver};
use isctl::reference::Reference;
use isctl::source::decode::decode;

fn main() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/mirrors/catalog-icsp.yaml"))
        .expect("fixtures/mirrors/catalog-icsp.yaml");
    let mut catalog = Catalog::new();
    for object in decode(&text).expect("fixture decodes").objects {
        catalog.insert(object.object, Origin("fixture".into()));
    }
    let resolver = Resolver::new(RegistriesConfig::from_catalog(&catalog));
    let entries = resolver.config().registries.len();
    let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    // Every mirrored repository, plus as many references that match nothing.
    let mut references: Vec<String> =
        resolver.config().registries.iter().map(|e| format!("{}/sub@{digest}", e.scope())).collect();
    references.extend((0..entries).map(|i| format!("quay.io/unmatched/repo-{i}@{digest}")));
    let names: Vec<String> =
        references.iter().map(|r| Reference::parse_normalized(r).expect("valid reference").name()).collect();

    let rounds = 200;
    let time = |f: &dyn Fn(&str) -> usize| {
        let start = Instant::now();
        let mut sink = 0;
        for _ in 0..rounds {
            for name in &names {
                sink += f(black_box(name));
            }
        }
        black_box(sink);
        start.elapsed().as_nanos() as f64 / (rounds * names.len()) as f64
    };
    let indexed = time(&|n| resolver.find(n).map_or(0, |(_, c)| c));
    let scanned = time(&|n| resolver.find_by_scan(n).map_or(0, |(_, c)| c));
    let start = Instant::now();
    for _ in 0..20 {
        for reference in &references {
            black_box(resolver.plan(black_box(reference)));
        }
    }
    let full_plan = start.elapsed().as_nanos() as f64 / (20 * references.len()) as f64;
    println!("catalog ICSP: {entries} registry entries, {} references", references.len());
    println!("entry lookup, indexed:          {indexed:>10.0} ns");
    println!("entry lookup, scan (peer):      {scanned:>10.0} ns");
    println!("speed-up of the index:          {:>10.1}x", scanned / indexed);
    println!("whole pull plan (parse, rewrite, policy): {full_plan:.0} ns");
}
