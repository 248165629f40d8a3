//! kubectl's table layout for `get`, `check` and `mirrors`: no borders, columns padded to their
//! widest cell plus three spaces, a cell cut at its first newline with `...` and its control
//! characters escaped (docs/semantics.md §9). isctl's own reports use [`super::fit::layout`];
//! what kubectl itself prints (`get`, `-o custom-columns`) goes through [`go_tabwriter`], Go's
//! tabwriter as kubectl configures it. These tables never shorten a cell.

use super::fit::{self, Column, Shrink};

/// Lays out `rows` under `header` (omitted with `--no-headers`) like kubectl, for isctl's own
/// reports.
pub(crate) fn render(header: Option<&[&str]>, rows: &[Vec<String>]) -> String {
    let count = header.map_or_else(|| rows.iter().map(Vec::len).max().unwrap_or(0), <[&str]>::len);
    let columns: Vec<Column> = (0..count)
        .map(|i| Column {
            header: header.and_then(|h| h.get(i)).map_or(String::new(), |h| (*h).to_owned()),
            shrink: Shrink::Never,
        })
        .collect();
    let mut text = fit::layout(&columns, rows, None, header.is_none(), fit::Glyphs::UNICODE).join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

/// [`render`] for what kubectl itself prints (`get` tables): cells cut and escaped as
/// [`fit::cell`] does, laid out by [`go_tabwriter`] as kubectl's printer lays them out, so the
/// bytes are kubectl's (widths in characters, trailing blanks after an empty last cell).
pub(crate) fn kubectl(header: Option<&[&str]>, rows: &[Vec<String>]) -> String {
    let mut text = String::new();
    let lines = header.map(|h| h.iter().map(|c| fit::cell(c)).collect::<Vec<_>>());
    for line in
        lines.iter().chain(rows.iter().map(|r| r.iter().map(|c| fit::cell(c)).collect()).collect::<Vec<_>>().iter())
    {
        text.push_str(&line.join("\t"));
        text.push('\n');
    }
    go_tabwriter(&text)
}

/// `-o custom-columns=` as kubectl prints it: each cell with only ESC and CR escaped (`^[`,
/// `\r`, kubectl's terminal escaper), not cut, so a tab or a newline in a cell moves to a new
/// column or line as in kubectl; the cells of a row joined by tabs, through [`go_tabwriter`].
pub(crate) fn kubectl_columns(header: Option<&[&str]>, rows: &[Vec<String>]) -> String {
    let escape = |cell: &str| cell.replace('\x1b', "^[").replace('\r', "\\r");
    let mut text = String::new();
    for row in header
        .map(|h| h.iter().map(|c| escape(c)).collect::<Vec<_>>())
        .into_iter()
        .chain(rows.iter().map(|r| r.iter().map(|c| escape(c)).collect()))
    {
        text.push_str(&row.join("\t"));
        text.push('\n');
    }
    go_tabwriter(&text)
}

/// The tabwriter kubectl prints with (Go's `text/tabwriter` as forked by liggitt/tabwriter, with
/// its `RememberWidths` flag; minimum width 6, padding 3, spaces): text in tab-terminated cells,
/// the last cell of a line in no column; a column is as wide as its widest cell plus the
/// padding over each run of lines that have a cell in it, and never narrower than that column
/// was in an earlier run; widths count characters (not display width). `\v` ends a cell as
/// `\t` does, `\f` a line as `\n` does.
pub(crate) fn go_tabwriter(text: &str) -> String {
    const MIN_WIDTH: usize = 6;
    const PADDING: usize = 3;
    let body = text.strip_suffix(['\n', '\x0c']);
    let ends_with_newline = body.is_some();
    let body = body.unwrap_or(text);
    if text.is_empty() {
        return String::new();
    }
    let lines: Vec<Vec<&str>> = body.split(['\n', '\x0c']).map(|line| line.split(['\t', '\x0b']).collect()).collect();
    let mut writer = TabWriter {
        lines: &lines,
        widths: Vec::new(),
        remembered: Vec::new(),
        out: String::with_capacity(text.len() * 2),
    };
    writer.format(0, lines.len(), MIN_WIDTH, PADDING);
    if ends_with_newline {
        writer.out.push('\n');
    }
    writer.out
}

/// The state of [`go_tabwriter`]: the lines, the widths of the columns being formatted, the
/// widest each column has been so far.
struct TabWriter<'a> {
    lines: &'a [Vec<&'a str>],
    widths: Vec<usize>,
    remembered: Vec<usize>,
    out: String,
}

impl TabWriter<'_> {
    /// Formats lines `line0..line1` for the next column, as tabwriter's `format` does: each run
    /// of lines with a cell in this column is a block with one width, formatted further inside.
    fn format(&mut self, mut line0: usize, line1: usize, min_width: usize, padding: usize) {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            self.write_lines(line0, this);
            line0 = this;
            let mut width = min_width;
            while this < line1 && column + 1 < self.lines[this].len() {
                width = width.max(self.lines[this][column].chars().count() + padding);
                this += 1;
            }
            if self.remembered.len() < column {
                let known = self.remembered.len();
                self.remembered.extend_from_slice(&self.widths[known..]);
            }
            match self.remembered.get_mut(column) {
                None => self.remembered.push(width),
                Some(remembered) => {
                    width = width.max(*remembered);
                    *remembered = width;
                }
            }
            self.widths.push(width);
            self.format(line0, this, min_width, padding);
            self.widths.pop();
            line0 = this;
            // tabwriter steps past the line that ended the block: it has no cell here anyway.
            this += 1;
        }
        self.write_lines(line0, line1);
    }

    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            for (j, cell) in self.lines[i].iter().enumerate() {
                self.out.push_str(cell);
                if let Some(width) = self.widths.get(j) {
                    let used = cell.chars().count();
                    self.out.extend(std::iter::repeat_n(' ', width.saturating_sub(used)));
                }
            }
            if i + 1 < self.lines.len() {
                self.out.push('\n');
            }
        }
    }
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
        // Widths count characters; an empty last cell leaves the padding before it.
        assert_eq!(kubectl(Some(&["N", "X"]), &[vec!["名前".into(), "".into()]]), "N     X\n名前    \n");
        // A tab inside a custom-columns cell starts a column of its own, for that block.
        assert_eq!(
            kubectl_columns(None, &[vec!["a\tb".into(), "c".into()], vec!["d".into(), "e".into()]]),
            "a     b     c\nd     e\n"
        );
        assert_eq!(kubectl_columns(None, &[vec!["\x1b[1m\r".into()]]), "^[[1m\\r\n");
        // A column stays as wide as it was in an earlier block (kubectl's RememberWidths).
        let rows = [vec!["abcdefgh".into(), "y".into()], vec!["only".into()], vec!["x".into(), "z".into()]];
        assert_eq!(kubectl_columns(None, &rows), "abcdefgh   y\nonly\nx          z\n");
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
