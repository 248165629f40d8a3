//! kubectl's table layout: no borders, columns padded to their widest cell plus three spaces,
//! a cell cut at its first newline with `...` (docs/semantics.md §9).

use comfy_table::{ContentArrangement, Table, presets::NOTHING};

/// Lays out `rows` under `header` (omitted with `--no-headers`) like kubectl.
pub fn render(header: Option<&[&str]>, rows: &[Vec<String>]) -> String {
    let mut table = Table::new();
    table.load_style(NOTHING).set_content_arrangement(ContentArrangement::Disabled).force_no_tty();
    if let Some(header) = header {
        table.set_header(header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    }
    for row in rows {
        table.add_row(row.iter().map(|c| cell(c)).collect::<Vec<_>>());
    }
    let columns = table.column_count();
    for (i, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if i + 1 == columns { 0 } else { 3 }));
    }
    let mut text = table.trim_fmt();
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// One cell: cut at the first newline (with `...`) and with control characters escaped, since
/// cells carry text from the server (annotations, messages) that must not drive the terminal.
pub fn cell(text: &str) -> String {
    let (first, cut) = match text.split_once('\n') {
        Some((first, _)) => (first, true),
        None => (text, false),
    };
    let mut out: String = first
        .chars()
        .flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] })
        .collect();
    if cut {
        out.push_str("...");
    }
    out
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
    }

    #[test]
    fn cuts_multiline_cells_and_escapes_controls() {
        assert_eq!(cell("first\nsecond"), "first...");
        assert_eq!(cell("bell\u{7}"), "bell\\u{7}");
    }

    #[test]
    fn empty_table_is_empty() {
        assert_eq!(render(None, &[]), "");
    }
}
