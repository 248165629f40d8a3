//! Tables that fit a terminal: kubectl's layout (columns padded to their widest cell, three
//! spaces between them) and, when that is wider than the terminal, shrinking the columns that
//! may shrink, each cell shortened in the middle with `…` so both ends stay readable. Columns
//! that answer the question keep a useful minimum; nothing wraps. Pure: the width comes in as a
//! number (`None` means "no limit": the table is never cut, as when output is not a terminal).

use unicode_width::UnicodeWidthStr;

/// How a column may give up width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shrink {
    /// Never shortened (flags, ages, digests).
    Never,
    /// Shortened with `…`: first down to `soft` (every column alike), then, once separators are
    /// down to two spaces, to `min`, columns of stage 0 before stage 1, then all down to four.
    Shorten {
        /// A comfortable width, given up first.
        soft: usize,
        /// The narrowest the column gets.
        min: usize,
        /// 0 gives way before 1.
        stage: u8,
        /// Where the `…` goes.
        cut: Cut,
    },
}

/// Where a shortened cell loses its characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// In the middle, two thirds kept from the start.
    Middle,
    /// At the end: notes are read from the start.
    End,
    /// A reference: the host is kept whole while it fits, the path loses its middle
    /// (`mirror.example.com:8443/…/openshift4`).
    Reference,
    /// `stream:tag`: the tag is kept whole while it fits, the stream loses its end
    /// (`must-ga…:latest`).
    Name,
}

/// Shortens `text` to `max` display columns the way `cut` says.
pub fn shorten(text: &str, max: usize, cut: Cut) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    match cut {
        Cut::Middle => middle(text, max),
        Cut::End => end(text, max),
        Cut::Reference => reference(text, max),
        Cut::Name => name(text, max),
    }
}

/// Keeps everything up to the end of the host (after an optional `… ← ` prefix), then `…`, then
/// as much of the end as fits.
fn reference(text: &str, max: usize) -> String {
    let host_start = text.find("← ").map_or(0, |i| i + "← ".len());
    let Some(slash) = text[host_start..].find('/').map(|i| host_start + i + 1) else { return middle(text, max) };
    let head = &text[..slash];
    if width(head) + 1 > max {
        return middle(text, max);
    }
    let room = max - width(head) - 1;
    let mut tail: Vec<char> = Vec::new();
    for c in text[slash..].chars().rev() {
        let current: String = tail.iter().rev().collect();
        if width(&current) + width(c.encode_utf8(&mut [0; 4])) > room {
            break;
        }
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}…{tail}")
}

/// Keeps the `:tag` (and what follows it) whole while it fits; the stream name loses its end.
fn name(text: &str, max: usize) -> String {
    match text.find(':') {
        Some(colon) if width(&text[colon..]) + 2 <= max => {
            let room = max - width(&text[colon..]);
            format!("{}{}", end(&text[..colon], room), &text[colon..])
        }
        _ => end(text, max),
    }
}

/// `text` cut to `max` display columns at its end: `latest…`.
pub fn end(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        if width(&out) + width(c.encode_utf8(&mut [0; 4])) + 1 > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A column: its header and how it shrinks.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// The header text.
    pub header: &'static str,
    /// How it shrinks.
    pub shrink: Shrink,
}

/// The display width of `text` (wide characters count two).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to `max` display columns in the middle, two thirds of what is kept from the start
/// (where hosts and names begin): `mirror.example.…shift4`.
pub fn middle(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    if max <= 1 {
        return "…".chars().take(max).collect();
    }
    let keep = max - 1;
    let head_width = (keep * 2).div_ceil(3);
    let tail_width = keep - head_width;
    let mut head = String::new();
    for c in text.chars() {
        if width(&head) + width(c.encode_utf8(&mut [0; 4])) > head_width {
            break;
        }
        head.push(c);
    }
    let mut tail: Vec<char> = Vec::new();
    for c in text.chars().rev() {
        let current: String = tail.iter().rev().collect();
        if width(&current) + width(c.encode_utf8(&mut [0; 4])) > tail_width {
            break;
        }
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}…{tail}")
}

/// Lays out `rows` under `columns` (headers left out with `no_headers`) within `limit` display
/// columns. Returns the lines, each without trailing spaces.
pub fn layout(columns: &[Column], rows: &[Vec<String>], limit: Option<usize>, no_headers: bool) -> Vec<String> {
    let header: Vec<String> = columns.iter().map(|c| c.header.to_owned()).collect();
    let mut all: Vec<&Vec<String>> = Vec::new();
    if !no_headers {
        all.push(&header);
    }
    all.extend(rows);
    let mut widths: Vec<usize> =
        (0..columns.len()).map(|i| all.iter().map(|r| r.get(i).map_or(0, |c| width(c))).max().unwrap_or(0)).collect();
    let mut separator = 3;
    if let Some(limit) = limit {
        separator = shrink(columns, &mut widths, limit);
    }
    let last = columns.len().saturating_sub(1);
    all.iter()
        .map(|row| {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate().take(columns.len()) {
                let text = match columns[i].shrink {
                    Shrink::Shorten { cut, .. } => shorten(cell, widths[i], cut),
                    Shrink::Never => cell.clone(),
                };
                line.push_str(&text);
                if i < last {
                    line.push_str(&" ".repeat(widths[i] - width(&text) + separator));
                }
            }
            line.trim_end().to_owned()
        })
        .collect()
}

/// Narrows shrinkable columns until the table fits `limit`: each down to its comfortable width
/// (widest surplus first), then separators from three spaces to two, then stage-0 columns to
/// their minimum, then stage 1, then all down to four. Returns the separator.
fn shrink(columns: &[Column], widths: &mut [usize], limit: usize) -> usize {
    let total =
        |widths: &[usize], separator: usize| widths.iter().sum::<usize>() + separator * widths.len().saturating_sub(1);
    let narrow = |widths: &mut [usize], separator: usize, floor: &dyn Fn(&Shrink) -> Option<usize>| {
        while total(widths, separator) > limit {
            let candidate = (0..widths.len())
                .filter_map(|i| {
                    floor(&columns[i].shrink).filter(|min| widths[i] > *min).map(|min| (widths[i] - min, i))
                })
                .max();
            match candidate {
                Some((_, i)) => widths[i] -= 1,
                None => break,
            }
        }
    };
    let soft = |s: &Shrink| match s {
        Shrink::Shorten { soft, min, .. } => Some((*soft).max(*min)),
        Shrink::Never => None,
    };
    let min_at = |stage: u8| {
        move |s: &Shrink| match s {
            Shrink::Shorten { min, stage: at, .. } if *at <= stage => Some(*min),
            Shrink::Shorten { soft, min, .. } => Some((*soft).max(*min)),
            Shrink::Never => None,
        }
    };
    narrow(widths, 3, &soft);
    if total(widths, 3) <= limit {
        return 3;
    }
    for floor in [min_at(0), min_at(1)] {
        narrow(widths, 2, &floor);
    }
    if total(widths, 2) <= limit {
        return 2;
    }
    narrow(widths, 2, &|s| matches!(s, Shrink::Shorten { .. }).then_some(4));
    2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn middles_keep_both_ends() {
        assert_eq!(middle("mirror.example.com:8443/ocp4/openshift4", 20), "mirror.exampl…shift4");
        assert_eq!(middle("short", 20), "short");
        assert_eq!(middle("abcdef", 4), "ab…f");
        assert_eq!(width(&middle("日本語のテキスト", 7)), 7);
        assert_eq!(end("latest (stable)", 7), "latest…");
        let local = "registry ← mirror.example.com:8443/ocp4/openshift4";
        assert_eq!(shorten(local, 36, Cut::Reference), "registry ← mirror.example.com:8443/…");
        assert_eq!(shorten(local, 44, Cut::Reference), "registry ← mirror.example.com:8443/…enshift4");
        assert_eq!(
            shorten("mirror.example.com:8443/ocp4/openshift4", 30, Cut::Reference),
            "mirror.example.com:8443/…hift4"
        );
        assert_eq!(shorten("must-gather:latest (stable)", 20, Cut::Name), "mus…:latest (stable)");
        assert_eq!(shorten("must-gather:latest", 14, Cut::Name), "must-g…:latest");
    }

    #[test]
    fn layouts_fit_or_stay_untouched() {
        let columns = [
            Column { header: "NAME", shrink: Shrink::Shorten { soft: 10, min: 6, stage: 0, cut: Cut::End } },
            Column { header: "FLAG", shrink: Shrink::Never },
            Column { header: "WHERE", shrink: Shrink::Shorten { soft: 30, min: 10, stage: 1, cut: Cut::Middle } },
        ];
        let rows =
            vec![vec!["a-rather-long-name".to_owned(), "*".into(), "mirror.example.com:8443/ocp4/openshift4".into()]];
        let free = layout(&columns, &rows, None, false);
        assert_eq!(free[1], "a-rather-long-name   *      mirror.example.com:8443/ocp4/openshift4");
        for limit in [60, 40, 30] {
            let fitted = layout(&columns, &rows, Some(limit), false);
            assert!(fitted.iter().all(|l| width(l) <= limit), "{limit}: {fitted:?}");
            assert!(fitted[1].contains('…'));
        }
        assert_eq!(layout(&columns, &rows, Some(40), true).len(), 1);
    }
}
