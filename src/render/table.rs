//! kubectl's table layout for `get`, `check` and `mirrors`: no borders, columns padded to their
//! widest cell plus three spaces, a cell cut at its first newline with `...` and its control
//! characters escaped (docs/semantics.md §9). The one layout is [`super::fit::layout`]; these
//! tables never shorten a cell.

use super::fit::{self, Column, Shrink};

/// Lays out `rows` under `header` (omitted with `--no-headers`) like kubectl.
pub fn render(header: Option<&[&str]>, rows: &[Vec<String>]) -> String {
    let count = header.map_or_else(|| rows.iter().map(Vec::len).max().unwrap_or(0), <[&str]>::len);
    let columns: Vec<Column> = (0..count)
        .map(|i| Column {
            header: header.and_then(|h| h.get(i)).map_or(String::new(), |h| (*h).to_owned()),
            shrink: Shrink::Never,
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
