//! `prune images` for people: the images and their fate, then the history entries removed.

use super::fit::{self, Column, Cut, Glyphs, Shrink, layout};

/// The narrowest a reason gets before it is cut rather than wrapped.
const MIN_REASON: usize = 24;
use crate::prune::{Decision, PrunePlan};

/// A digest as the tables show it: the first 12 hex digits.
fn short(digest: &str) -> String {
    let hex = digest.split_once(':').map_or(digest, |(_, hex)| hex);
    if hex.is_empty() { "<none>".to_owned() } else { hex[..hex.len().min(12)].to_owned() }
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
        let lines = fit::with_wrapped_last(&headers, &rows, width, no_headers, MIN_REASON).unwrap_or_else(|| {
            let columns = [
                Column { header: headers[0].into(), shrink: shorten(48, 20, 1, Cut::Name) },
                Column { header: headers[1].into(), shrink: Shrink::Never },
                Column { header: headers[2].into(), shrink: Shrink::Never },
                Column { header: headers[3].into(), shrink: shorten(48, 20, 0, Cut::End) },
            ];
            layout(&columns, &rows, width, no_headers, glyphs)
        });
        lines.into_iter().for_each(|l| out.push_str(&(l + "\n")));
    }
    out
}
