//! `isctl diff mirrors` for people: one row per reference whose pull changes, fitted to the
//! terminal, then the refused conflicts and the registries.conf difference.

use super::fit::{Column, Cut, Glyphs, Shrink, layout};
use crate::what_if::{PlanDiff, PlanSide, StreamDiff};

/// The repository a node goes to first (the digest or tag is the reference's own), or in a
/// few words why it goes nowhere; `-o yaml` has every source and the full reason.
fn side(side: &PlanSide) -> String {
    match (&side.pulls_from, &side.fails) {
        (Some(from), _) => repository(from).to_owned(),
        (None, Some(why)) if why.starts_with("every source") => "none: all blocked".to_owned(),
        (None, Some(why)) if why.starts_with("rejected") => "none: policy rejects".to_owned(),
        (None, Some(_)) => "none: invalid rewrite".to_owned(),
        (None, None) => "none".to_owned(),
    }
}

/// A reference without its digest or tag.
fn repository(reference: &str) -> &str {
    let name = reference.split_once('@').map_or(reference, |(name, _)| name);
    match name.rfind(':') {
        Some(colon) if !name[colon..].contains('/') => &name[..colon],
        _ => name,
    }
}

/// The changes table, within `limit` columns (`None`: no limit).
pub(crate) fn changes_table(diff: &PlanDiff, limit: Option<usize>, no_headers: bool, glyphs: Glyphs) -> String {
    let shorten = |soft, min, stage, cut| Shrink::Shorten { soft, min, stage, cut };
    let columns = [
        Column { header: "USED BY".into(), shrink: shorten(32, 20, 1, Cut::Name) },
        Column { header: "PULL".into(), shrink: Shrink::Never },
        // The answer: never shortened.
        Column { header: "CHANGE".into(), shrink: Shrink::Never },
        Column { header: "PULLED FROM NOW".into(), shrink: shorten(40, 20, 0, Cut::Reference) },
        Column { header: "PROPOSED".into(), shrink: shorten(40, 20, 0, Cut::Reference) },
    ];
    let rows: Vec<Vec<String>> = diff
        .changes
        .iter()
        .map(|change| {
            let first = change.used_by.first().cloned().unwrap_or_else(|| change.reference.clone());
            let (first, import) = match first.strip_suffix(" (import)") {
                Some(tag) => (tag.to_owned(), true),
                None => (first, false),
            };
            let used_by = match change.used_by.len() {
                0 | 1 => first,
                n => format!("{first} (+{})", n - 1),
            };
            let pull = match (import, change.pull_type) {
                (true, _) => "import".to_owned(),
                (false, Some(pull)) => format!("{pull:?}").to_lowercase(),
                (false, None) => "invalid".to_owned(),
            };
            let words: Vec<&str> = change.changes.iter().map(|c| c.words()).collect();
            vec![used_by, pull, words.join(", "), side(&change.current), side(&change.proposed)]
        })
        .collect();
    let mut out = String::new();
    for line in layout(&columns, &rows, limit, no_headers, glyphs) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The stream changes table: one row per change of a tag, digests shortened as `resolve` shows
/// them.
pub(crate) fn streams_table(diff: &StreamDiff, limit: Option<usize>, no_headers: bool, glyphs: Glyphs) -> String {
    let short = |digest: &Option<String>| {
        digest.as_deref().map_or("<none>".to_owned(), |d| d.trim_start_matches("sha256:").chars().take(12).collect())
    };
    let columns = [
        Column { header: "TAG".into(), shrink: Shrink::Shorten { soft: 40, min: 16, stage: 1, cut: Cut::Name } },
        Column { header: "CHANGE".into(), shrink: Shrink::Never },
        Column { header: "CURRENT".into(), shrink: Shrink::Never },
        Column { header: "TO".into(), shrink: Shrink::Never },
        Column { header: "REASON".into(), shrink: Shrink::Shorten { soft: 30, min: 8, stage: 0, cut: Cut::End } },
    ];
    let rows: Vec<Vec<String>> = diff
        .changes
        .iter()
        .map(|c| {
            let reason = c.reason.clone().unwrap_or_default();
            vec![c.tag.clone(), c.change.words().to_owned(), short(&c.current), short(&c.other), reason]
        })
        .collect();
    layout(&columns, &rows, limit, no_headers, glyphs).into_iter().map(|line| line + "\n").collect()
}

/// The lines said after the table (on stderr): refusals first, then a count.
pub(crate) fn summary(diff: &PlanDiff) -> Vec<String> {
    let mut lines = Vec::new();
    for conflict in &diff.refused {
        lines.push(format!(
            "refused: {}: {}; the machine-config operator would not render the proposed rules",
            conflict.source, conflict.message
        ));
    }
    if !diff.refused.is_empty() {
        lines.push(
            "nodes would keep their current registries.conf and policy.json: none of the changes listed would happen until this is fixed"
                .to_owned(),
        );
    }
    if diff.current_refused {
        lines.push(
            "the current rules are themselves refused: nodes run an older configuration than this input shows".into(),
        );
    }
    let unpullable = diff.changes.iter().filter(|c| c.changes.contains(&crate::what_if::Change::Unpullable)).count();
    let conf = if diff.registries_conf.is_empty() { "unchanged" } else { "changes (--render shows how)" };
    let verb = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    let changed = diff.changes.len();
    lines.push(format!(
        "{changed} of {} references {} how nodes pull them; {unpullable} {} unpullable; registries.conf {conf}",
        diff.compared,
        verb(changed, "changes", "change"),
        verb(unpullable, "becomes", "become"),
    ));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_side_shows_the_repository_or_why_not() {
        assert_eq!(
            repository("mirror.example.com:8443/ocp4/openshift4@sha256:abc"),
            "mirror.example.com:8443/ocp4/openshift4"
        );
        assert_eq!(repository("mirror.example.com:8443/ubi9-tags/ubi:latest"), "mirror.example.com:8443/ubi9-tags/ubi");
        assert_eq!(repository("mirror.example.com:8443/ubi"), "mirror.example.com:8443/ubi");
        let none = |why: &str| PlanSide { sources: vec![], pulls_from: None, fails: Some(why.into()) };
        assert_eq!(side(&none("every source is blocked")), "none: all blocked");
        assert_eq!(side(&none("rejected by policy: x")), "none: policy rejects");
    }
}
