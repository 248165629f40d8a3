//! `prune images` for people: the images and their fate, then the history entries removed.

use super::fit::{self, Column, Cut, Glyphs, Shrink, layout};

/// The narrowest a reason gets before it is cut rather than wrapped.
const MIN_REASON: usize = 16;
use crate::prune::{Decision, PrunePlan};

/// A digest as the tables show it: the first 12 hex digits, or `<none>` (a reference tag).
fn short(digest: &str) -> String {
    if digest.is_empty() { "<none>".to_owned() } else { super::resolution::short_digest(digest, 12) }
}

/// The plan's tables within `width`: every image (those pruned first) with its decision and
/// reason, then the history entries removed, by tag. Reasons wrap under themselves; only
/// where that leaves too little room are they (and long tag names) cut.
pub(crate) fn plan_table(plan: &PrunePlan, width: Option<usize>, no_headers: bool, glyphs: Glyphs) -> String {
    let mut out = String::new();
    let shorten = |soft, min, stage, cut| Shrink::Shorten { soft, min, stage, cut };
    let decision = |d: Decision| match d {
        Decision::Prune => "prune",
        Decision::Keep => "keep",
    };
    if !plan.images.is_empty() {
        let headers = ["IMAGE", "DECISION", "SIZE", "REASON"];
        let rows: Vec<Vec<String>> = plan
            .images
            .iter()
            .map(|i| {
                let size = i.size.map_or("-".to_owned(), crate::quantity::format_size);
                vec![short(&i.image), decision(i.decision).to_owned(), size, i.reason.clone()]
            })
            .collect();
        let lines = fit::with_wrapped_last(&headers, &rows, width, no_headers, MIN_REASON).unwrap_or_else(|| {
            let columns = headers.map(|h| Column { header: h.into(), shrink: Shrink::Never });
            let mut columns = columns.to_vec();
            columns[3].shrink = shorten(60, 24, 0, Cut::End);
            layout(&columns, &rows, width, no_headers, glyphs)
        });
        lines.into_iter().for_each(|l| out.push_str(&(l + "\n")));
    }
    let removed: Vec<_> = plan.history.iter().filter(|h| h.decision == Decision::Prune).collect();
    if !removed.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        let headers = ["HISTORY ENTRY REMOVED", "REV", "IMAGE", "BECAUSE"];
        let rows: Vec<Vec<String>> = removed
            .iter()
            .map(|h| vec![h.tag.clone(), h.revision.to_string(), short(&h.image), h.reason.clone()])
            .collect();
        let lines = fit::with_wrapped_last(&headers, &rows, width, no_headers, MIN_REASON)
            .unwrap_or_else(|| by_tag(&rows, width, no_headers, glyphs));
        lines.into_iter().for_each(|l| out.push_str(&(l + "\n")));
    }
    out
}

/// The removed entries when tag names leave no room: each tag on a line of its own, its entries
/// indented under it (as `resolve` groups rows under their stream), in columns shared by all.
fn by_tag(rows: &[Vec<String>], width: Option<usize>, no_headers: bool, glyphs: Glyphs) -> Vec<String> {
    let inner = width.map(|w| w.saturating_sub(2));
    let headers = ["REV", "IMAGE", "BECAUSE"];
    let entries: Vec<Vec<String>> = rows.iter().map(|r| r[1..].to_vec()).collect();
    let lines = fit::with_wrapped_last(&headers, &entries, inner, no_headers, 8).unwrap_or_else(|| {
        let columns = headers.map(|h| Column { header: h.into(), shrink: Shrink::Never });
        layout(&columns, &entries, inner, no_headers, glyphs)
    });
    let mut lines = lines.into_iter();
    let mut out = Vec::new();
    if !no_headers {
        out.push("HISTORY ENTRY REMOVED".to_owned());
        out.extend(lines.next().map(|header| format!("  {header}")));
    }
    let mut previous: Option<&str> = None;
    let mut row = 0;
    for line in lines {
        // A row's first line starts with its revision; its reason's other lines with spaces.
        if !line.starts_with(' ') {
            let tag = rows[row][0].as_str();
            if previous != Some(tag) {
                let cell = fit::cell(tag);
                out.extend(width.map_or_else(|| vec![cell.clone()], |w| fit::wrap_flush(&cell, w)));
                previous = Some(tag);
            }
            row += 1;
        }
        out.push(format!("  {line}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_shortened_by_character() {
        assert_eq!(short("sha256:45f06f4f16b234a6daa41a43404678ebe23c9e49e5dd23c54c6bd8d867e36642"), "45f06f4f16b2");
        assert_eq!(short("sha256:a€€€€€€€€€€€€€"), "a€€€€€€€€€€€", "never inside a character");
        assert_eq!(short(""), "<none>");
    }

    #[test]
    fn long_tag_names_get_lines_of_their_own_and_nothing_is_cut() {
        let tag = "openshift/jboss-webserver54-openjdk11-tomcat9-openshift-rhel7:latest";
        let rows = vec![
            vec![
                tag.to_owned(),
                "1".to_owned(),
                "313df5722ddd".to_owned(),
                "no such Image (oc drops the entry)".to_owned(),
            ],
            vec![tag.to_owned(), "2".to_owned(), "0a74fc0c17db".to_owned(), "unused, after the newest 1".to_owned()],
            vec![
                "ns/short:1".to_owned(),
                "4".to_owned(),
                "76bebff9f4fb".to_owned(),
                "unused, after the newest 3".to_owned(),
            ],
        ];
        let lines = by_tag(&rows, Some(60), false, Glyphs::UNICODE);
        assert_eq!(
            lines,
            [
                "HISTORY ENTRY REMOVED",
                "  REV   IMAGE          BECAUSE",
                "openshift/",
                "jboss-webserver54-openjdk11-tomcat9-openshift-rhel7:latest",
                "  1     313df5722ddd   no such Image (oc drops the entry)",
                "  2     0a74fc0c17db   unused, after the newest 1",
                "ns/short:1",
                "  4     76bebff9f4fb   unused, after the newest 3",
            ]
        );
    }
}
