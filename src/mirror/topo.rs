//! Merging several mirror lists for one source into one order, as the machine-config operator
//! does (runtime-utils `mergedMirrorSets` and its topological sort, docs/semantics.md §3
//! step 2).
//!
//! Each list adds edges `m[i] -> m[i+1]` and, when it does not name the source, `last -> source`.
//! Kahn's algorithm with a FIFO queue seeded with the predecessor-free nodes in byte order; nodes
//! freed by an output join the back of the queue in byte order; on a cycle, the smallest node not
//! yet output goes next. A source that comes out last is dropped: it is tried last anyway.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The merged mirror order for `source` from the contributing `lists` (each non-empty).
pub(crate) fn merge(source: &str, lists: &[Vec<String>]) -> Vec<String> {
    let mut successors: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for list in lists {
        let mut edges: Vec<(&str, &str)> = list.windows(2).map(|w| (w[0].as_str(), w[1].as_str())).collect();
        if let Some(last) = list.last().filter(|_| !list.iter().any(|m| m == source)) {
            edges.push((last.as_str(), source));
        }
        for node in list {
            successors.entry(node.as_str()).or_default();
        }
        for (from, to) in edges {
            successors.entry(to).or_default();
            successors.entry(from).or_default().insert(to);
        }
    }
    let mut predecessors: BTreeMap<&str, usize> = successors.keys().map(|n| (*n, 0)).collect();
    for targets in successors.values() {
        for target in targets {
            *predecessors.get_mut(target).expect("every node is a key") += 1;
        }
    }
    let mut queue: VecDeque<&str> = predecessors.iter().filter(|(_, n)| **n == 0).map(|(node, _)| *node).collect();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut order = Vec::with_capacity(successors.len());
    while order.len() < successors.len() {
        let node = match queue.pop_front() {
            Some(node) => node,
            // A cycle: take the smallest node not yet output.
            None => *successors.keys().find(|n| !done.contains(*n)).expect("nodes remain"),
        };
        if !done.insert(node) {
            continue;
        }
        order.push(node.to_owned());
        for next in &successors[node] {
            let count = predecessors.get_mut(next).expect("every node is a key");
            if *count > 0 {
                *count -= 1;
                if *count == 0 && !done.contains(next) {
                    queue.push_back(next);
                }
            }
        }
    }
    if order.last().is_some_and(|last| last == source) {
        order.pop();
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(lists: &[&[&str]]) -> Vec<Vec<String>> {
        lists.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn documented_merges() {
        // docs/semantics.md §3: (z-first, b-second) + (a-other) for one source.
        assert_eq!(merge("S", &lists(&[&["z-first", "b-second"], &["a-other"]])), ["a-other", "z-first", "b-second"]);
        // ICSP (a, b) + IDMS (b, c).
        assert_eq!(merge("S", &lists(&[&["a", "b"], &["b", "c"]])), ["a", "b", "c"]);
        // The ICSP doc example: a,b,c + c,d,e.
        assert_eq!(merge("S", &lists(&[&["a", "b", "c"], &["c", "d", "e"]])), ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn the_source_inside_a_list_keeps_its_place() {
        assert_eq!(merge("S", &lists(&[&["m1", "S", "m2"]])), ["m1", "S", "m2"]);
    }

    #[test]
    fn cycles_resolve_deterministically() {
        // No node is free: the smallest goes first, then what it frees.
        let merged = merge("source", &lists(&[&["a", "b"], &["b", "a"]]));
        assert_eq!(merged, ["a", "b"]);
        assert_eq!(merge("source", &lists(&[&["b", "a"], &["a", "b"]])), merged);
    }

    #[test]
    fn order_of_lists_does_not_matter() {
        let a = lists(&[&["x", "y"], &["q"], &["y", "z"]]);
        let mut b = a.clone();
        b.reverse();
        assert_eq!(merge("S", &a), merge("S", &b));
    }
}
