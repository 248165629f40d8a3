//! kubectl's table layout for `get`, `check` and `mirrors`: no borders, columns padded to their
//! widest cell plus three spaces, a cell cut at its first newline with `...` and its control
//! characters escaped (docs/semantics.md §9). The one layout is [`super::fit::layout`]; these
//! tables never shorten a cell.

use super::fit::{self, Column, Shrink};

/// Lays out `rows` under `header` (omitted with `--no-headers`) like kubectl, for isctl's own
/// reports.
pub fn render(header: Option<&[&str]>, rows: &[Vec<String>]) -> String {
    layout(header, rows, false)
}

/// [`render`] for what kubectl itself prints (`get`, `-o custom-columns`): its tabwriter also
/// makes every column at least 6 wide, separator included, so the bytes are kubectl's.
pub fn kubectl(header: Option<&[&str]>, rows: &[Vec<String>]) -> String {
    layout(header, rows, true)
}

fn layout(header: Option<&[&str]>, rows: &[Vec<String>], min_width: bool) -> String {
    let count = header.map_or_else(|| rows.iter().map(Vec::len).max().unwrap_or(0), <[&str]>::len);
    // A column narrower than 3 is widened through its header (which counts even when not
    // printed).
    let narrow = |i: usize| {
        let header = header.and_then(|h| h.get(i)).map_or(0, |h| fit::width(h));
        rows.iter().filter_map(|r| r.get(i)).map(|c| fit::width(&fit::cell(c))).max().unwrap_or(0).max(header) < 3
    };
    let columns: Vec<Column> = (0..count)
        .map(|i| {
            let mut text = header.and_then(|h| h.get(i)).map_or(String::new(), |h| (*h).to_owned());
            if min_width && i + 1 < count && narrow(i) {
                text = format!("{text:<3}");
            }
            Column { header: text, shrink: Shrink::Never }
        })
        .collect();
    let mut text = fit::layout(&columns, rows, None, header.is_none()).join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_like_kubectl() {
        let rows = vec![
            vec!["cli".to_string(), "quay.io/a".into(), "latest".into()],
            vec!["must-gather".to_string(), "q".into(), "".into()],
        ];
        let text = render(Some(&["NAME", "IMAGE REPOSITORY", "TAGS"]), &rows);
        assert_eq!(
            text,
            "NAME          IMAGE REPOSITORY   TAGS\ncli           quay.io/a          latest\nmust-gather   q\n"
        );
        assert_eq!(render(None, &rows[1..]), "must-gather   q\n");
        // Columns are at least 6 wide with their separator, as kubectl's tabwriter makes them.
        assert_eq!(kubectl(Some(&["N", "X"]), &[vec!["a".into(), "b".into()]]), "N     X\na     b\n");
        assert_eq!(render(Some(&["N", "X"]), &[vec!["a".into(), "b".into()]]), "N   X\na   b\n");
    }

    #[test]
    fn cuts_multiline_cells_and_escapes_controls() {
        assert_eq!(fit::cell("first\nsecond"), "first...");
        assert_eq!(fit::cell("bell\u{7}"), "bell\\u{7}");
        let text = render(None, &[vec!["\u{1b}]0;title\u{7}".to_owned()]]);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
    }

    #[test]
    fn empty_table_is_empty() {
        assert_eq!(render(None, &[]), "");
    }
}
