//! The layering docs/design.md promises, checked from the source: no module of `src/` (and no
//! top-level module, taken whole) reaches, through any chain of `crate::`/`super::` paths, back
//! to itself, and the pure core names
//! nothing of the layers above it. A module's uses of its own submodules (a parent dispatching
//! to its children) are structure, not layering, and are left out; test code is left out too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The pure core: plain data in, plain data out.
const CORE: &[&str] = &[
    "model",
    "reference",
    "mirror",
    "catalog",
    "image_index",
    "stream_tags",
    "resolve",
    "check",
    "what_if",
    "consumers",
    "pull_access",
    "prune",
];

/// What the core must not name: the command line, settings, exit codes, commands, output.
const ABOVE_CORE: &[&str] = &["settings", "cli", "error", "commands", "printer", "render"];

/// Every module of `src/` (as `a::b`, the crate root as ``) with the text of its file.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, found: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).unwrap().with_extension("");
                let mut parts: Vec<String> =
                    relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                    parts.pop();
                }
                found.insert(parts.join("::"), std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    walk(&root, &root, &mut found);
    found
}

/// The text without comments and without items under `#[cfg(test)]`.
fn production_code(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
    let text = lines.join("\n");
    let mut kept = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        kept.push_str(&rest[..at]);
        rest = &rest[at..];
        // Skip the item: to its first `;` before any `{`, or to the `}` closing its first `{`.
        let (mut depth, mut end) = (0usize, rest.len());
        for (i, c) in rest.char_indices() {
            match c {
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    kept.push_str(rest);
    kept
}

/// The longest module that `path` (`a::b::item`) lies in.
fn module_of(path: &[&str], modules: &BTreeMap<String, String>) -> Option<String> {
    (0..=path.len()).rev().map(|n| path[..n].join("::")).find(|m| modules.contains_key(m))
}

/// The modules each module names, its own submodules left out.
fn uses(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '{' || c == ',' || c == ' ';
    let mut graph = BTreeMap::new();
    for (module, text) in modules {
        let code = production_code(text);
        let here: Vec<&str> = if module.is_empty() { Vec::new() } else { module.split("::").collect() };
        let mut named = BTreeSet::new();
        for anchor in ["crate::", "super::"] {
            let mut from = 0;
            while let Some(at) = code[from..].find(anchor) {
                let start = from + at;
                from = start + anchor.len();
                let preceded = code[..start].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
                if preceded || (anchor == "super::" && code[..start].ends_with("super::")) {
                    continue;
                }
                let tail: String = code[start..].chars().take_while(|&c| word(c)).collect();
                // `super::super::x` climbs twice (a `mod.rs` and a file module alike: the module
                // path already says where each sits).
                let mut base: Vec<&str> = if anchor == "crate::" { Vec::new() } else { here.clone() };
                let mut tail = tail.as_str();
                if anchor == "crate::" {
                    tail = &tail["crate::".len()..];
                } else {
                    while let Some(rest) = tail.strip_prefix("super::") {
                        base.pop();
                        tail = rest;
                    }
                }
                // `a::{b, c::d}` names each branch.
                let (stem, branches) = match tail.split_once('{') {
                    Some((stem, group)) => (stem, group.split(',').map(str::trim).collect::<Vec<_>>()),
                    None => (tail, vec![""]),
                };
                for branch in branches {
                    let joined = format!("{stem}{branch}");
                    let path: Vec<&str> = base
                        .iter()
                        .copied()
                        .chain(joined.split("::").map(str::trim).filter(|p| !p.is_empty() && *p != "self"))
                        .collect();
                    if let Some(target) = module_of(&path, modules) {
                        named.insert(target);
                    }
                }
            }
        }
        named.retain(|m: &String| m != module && !(module.is_empty() || m.starts_with(&format!("{module}::"))));
        graph.insert(module.clone(), named);
    }
    graph
}

/// A chain of modules that leads back to its first one, if any.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, done, path) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

#[test]
fn no_module_reaches_back_to_itself() {
    let graph = uses(&modules());
    assert!(graph["resolve"].contains("catalog"), "the reader sees uses: {:?}", graph["resolve"]);
    assert!(graph["commands::check"].contains("commands"), "super:: is read: {:?}", graph["commands::check"]);
    if let Some(found) = circle(&graph) {
        panic!("an import circle: {}", found.join(" -> "));
    }
}

#[test]
fn no_top_level_module_reaches_back_to_itself() {
    // The layers of docs/design.md are the top-level modules: `source` may use `consumers`'
    // types only if `consumers` never needs `source`, and so on.
    let mut layers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, named) in uses(&modules()) {
        let top = module.split("::").next().unwrap_or_default().to_owned();
        let entry = layers.entry(top.clone()).or_default();
        entry.extend(named.iter().map(|n| n.split("::").next().unwrap_or_default().to_owned()).filter(|n| *n != top));
    }
    if let Some(found) = circle(&layers) {
        panic!("a circle between layers: {}", found.join(" -> "));
    }
}

#[test]
fn the_pure_core_names_no_layer_above_it() {
    let graph = uses(&modules());
    let mut wrong = Vec::new();
    for (module, named) in &graph {
        let top = module.split("::").next().unwrap_or_default();
        if !CORE.contains(&top) {
            continue;
        }
        for target in named {
            if ABOVE_CORE.contains(&target.split("::").next().unwrap_or_default()) {
                wrong.push(format!("{module} -> {target}"));
            }
        }
    }
    assert!(wrong.is_empty(), "the core names layers above it: {wrong:?}");
}

#[test]
fn the_reader_finds_a_circle_and_skips_test_code() {
    let mut modules = BTreeMap::new();
    modules.insert("a".to_owned(), "use crate::b::Thing;\n#[cfg(test)]\nmod tests { use crate::c; }\n".to_owned());
    modules.insert("b".to_owned(), "// crate::c in a comment\nfn f() { crate::a::g() }\n".to_owned());
    modules.insert("c".to_owned(), "use crate::{a, b::{x, y}};\n".to_owned());
    let graph = uses(&modules);
    assert_eq!(graph["a"], BTreeSet::from(["b".to_owned()]));
    assert_eq!(graph["c"], BTreeSet::from(["a".to_owned(), "b".to_owned()]));
    assert_eq!(circle(&graph), Some(vec!["a".to_owned(), "b".to_owned(), "a".to_owned()]));
}

/// Functions of `src/` longer than `limit` lines, outside tests and macro bodies, from rustfmt's
/// layout (a function ends at the first `}` at its own indentation).
fn long_functions(limit: usize) -> Vec<String> {
    let mut long = Vec::new();
    for (module, text) in modules() {
        let lines: Vec<&str> = text.lines().collect();
        let mut skip_to = 0;
        for (i, line) in lines.iter().enumerate() {
            if i < skip_to {
                continue;
            }
            let indent = &line[..line.len() - line.trim_start().len()];
            let closing = |from: usize| (from..lines.len()).find(|&j| lines[j] == format!("{indent}}}"));
            let code = line.trim_start();
            if code.starts_with("#[cfg(test)]") || code.starts_with("macro_rules!") {
                skip_to = closing(i + 1).unwrap_or(lines.len());
                continue;
            }
            let signature = code.trim_start_matches("pub ").trim_start_matches("pub(crate) ");
            let signature = signature.trim_start_matches("pub(super) ").trim_start_matches("const ");
            let signature = signature.trim_start_matches("async ");
            if !signature.starts_with("fn ") || line.trim_end().ends_with(';') || line.trim_end().ends_with('}') {
                continue;
            }
            let end = closing(i + 1).unwrap_or(lines.len());
            if end + 1 - i > limit {
                let name: String = signature[3..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                long.push(format!("{module}::{name} ({} lines)", end + 1 - i));
            }
        }
    }
    long
}

#[test]
fn no_function_is_longer_than_80_lines() {
    let long = long_functions(80);
    assert!(long.is_empty(), "functions over 80 lines (split them): {long:?}");
    assert!(!long_functions(40).is_empty(), "the reader finds functions");
}
