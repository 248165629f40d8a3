//! Tables that fit a terminal: kubectl's layout (columns padded to their widest cell, three
//! spaces between them) and, when that is wider than the terminal, shrinking the columns that
//! may shrink, each cell shortened in the middle with `…` so both ends stay readable. Columns
//! that answer the question keep a useful minimum; nothing wraps. Pure: the width comes in as a
//! number (`None` means "no limit": the table is never cut, as when output is not a terminal).

use unicode_width::UnicodeWidthStr;

/// How a column may give up width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shrink {
    /// Never shortened (flags, ages, digests).
    Never,
    /// Shortened with `…`: first down to `soft` (every column alike), then, once separators are
    /// down to two spaces, to `min`, stage by stage; then with one space; then below `min` down
    /// to four, stage by stage.
    Shorten {
        /// A comfortable width, given up first.
        soft: usize,
        /// The narrowest the column gets.
        min: usize,
        /// 0 gives way before 1, 1 before 2.
        stage: u8,
        /// Where the `…` goes.
        cut: Cut,
    },
}

/// Where a shortened cell loses its characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cut {
    /// In the middle, two thirds kept from the start.
    Middle,
    /// At the end: notes are read from the start.
    End,
    /// A reference: the host is kept whole while it fits, the path loses whole components
    /// (`mirror.example.com:8443/…/openshift4`).
    Reference,
    /// `stream:tag`: the tag is kept whole while it fits, the stream loses its middle
    /// (`must…er:latest`).
    Name,
}

/// Shortens `text` to `max` display columns the way `cut` says.
pub(crate) fn shorten(text: &str, max: usize, cut: Cut, glyphs: Glyphs) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    match cut {
        Cut::Middle => middle(text, max, glyphs),
        Cut::End => end(text, max, glyphs),
        Cut::Reference => reference(text, max, glyphs),
        Cut::Name => name(text, max, glyphs),
    }
}

/// The few characters isctl adds to what it prints for a person: Unicode where the terminal
/// speaks UTF-8, ASCII where it does not (`LC_ALL=C`), as git and ripgrep do. The fitting
/// arithmetic counts their real widths, so `...` takes three columns where `…` takes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Glyphs {
    /// Marks where a cut cell lost its characters.
    pub(crate) ellipsis: &'static str,
    /// The marker of a `Local` row's PULL FROM cell: pods pull from the integrated registry,
    /// which pulls from what follows.
    pub(crate) via_registry: &'static str,
    /// The short form of `via_registry`, when space is tight.
    pub(crate) via_registry_short: &'static str,
    /// Points from an alias to its target (`alias → latest`).
    pub(crate) to: &'static str,
}

impl Glyphs {
    /// For a UTF-8 terminal.
    pub const UNICODE: Glyphs =
        Glyphs { ellipsis: "…", via_registry: "registry ← ", via_registry_short: "⇐ ", to: "→" };
    /// For a terminal that is not UTF-8.
    pub const ASCII: Glyphs =
        Glyphs { ellipsis: "...", via_registry: "registry <- ", via_registry_short: "<= ", to: "->" };

    /// The glyphs for a locale's character set, from `LC_ALL`, else `LC_CTYPE`, else `LANG`
    /// (the first one set and not empty, as setlocale(3) reads them): Unicode when it names
    /// UTF-8, ASCII otherwise, including when none is set (the C locale).
    pub fn for_locale(lc_all: Option<&str>, lc_ctype: Option<&str>, lang: Option<&str>) -> Glyphs {
        let locale = [lc_all, lc_ctype, lang].into_iter().flatten().find(|v| !v.is_empty()).unwrap_or("C");
        let charset = locale.split_once('.').map_or("", |(_, rest)| rest.split('@').next().unwrap_or(""));
        let utf8 = matches!(charset.to_ascii_lowercase().as_str(), "utf-8" | "utf8");
        if utf8 { Glyphs::UNICODE } else { Glyphs::ASCII }
    }
}

impl Default for Glyphs {
    fn default() -> Glyphs {
        Glyphs::UNICODE
    }
}

/// The fewest columns a host keeps when it gives way to its repository (`mirror.e…:8443`).
const HOST_KEPT: usize = 8;

/// A reference shortened by whole pieces, the repository last, since it is the answer: the
/// full text; the marker shortened; the host cut in its middle (`mirror.ex…8443/ocp4/openshift4`)
/// while it keeps [`HOST_KEPT`] columns; the path's middle components folded (`host/…/name`,
/// then with the host cut too); the path folded (`host/…`); and only then a cut in the middle.
fn reference(text: &str, max: usize, glyphs: Glyphs) -> String {
    let (marker, rest) = match text.strip_prefix(glyphs.via_registry) {
        Some(rest) => (glyphs.via_registry, rest),
        None => ("", text),
    };
    let short = if marker.is_empty() { "" } else { glyphs.via_registry_short };
    let e = glyphs.ellipsis;
    let mut candidates = vec![format!("{marker}{rest}"), format!("{short}{rest}")];
    if let Some((host, path)) = rest.split_once('/') {
        let room = max.saturating_sub(width(short) + 1 + width(path));
        if room >= HOST_KEPT {
            candidates.push(format!("{short}{}/{path}", middle(host, room, glyphs)));
        }
        if let Some((_, last)) = path.rsplit_once('/') {
            candidates.push(format!("{marker}{host}/{e}/{last}"));
            candidates.push(format!("{short}{host}/{e}/{last}"));
            let room = max.saturating_sub(width(short) + 2 + width(e) + width(last));
            if room >= HOST_KEPT {
                candidates.push(format!("{short}{}/{e}/{last}", middle(host, room, glyphs)));
            }
        }
        candidates.push(format!("{marker}{host}/{e}"));
        candidates.push(format!("{short}{host}/{e}"));
    }
    candidates.into_iter().find(|c| width(c) <= max).unwrap_or_else(|| middle(&format!("{short}{rest}"), max, glyphs))
}

/// Keeps the `:tag` whole while it fits; the stream name loses its middle, so names that
/// differ at the end (`ubi8-openjdk-11`, `ubi8-openjdk-8`) stay apart.
fn name(text: &str, max: usize, glyphs: Glyphs) -> String {
    match text.rfind(':') {
        Some(colon) if width(&text[colon..]) + 2 + width(glyphs.ellipsis) <= max => {
            let room = max - width(&text[colon..]);
            format!("{}{}", middle(&text[..colon], room, glyphs), &text[colon..])
        }
        _ => end(text, max, glyphs),
    }
}

/// `text` cut to `max` display columns at its end: `latest…`.
pub fn end(text: &str, max: usize, glyphs: Glyphs) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    let marker = width(glyphs.ellipsis);
    if max < marker {
        return glyphs.ellipsis.chars().take(max).collect();
    }
    let mut out = String::new();
    let mut taken = 0;
    for c in text.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if taken + w + marker > max {
            break;
        }
        taken += w;
        out.push(c);
    }
    out.push_str(glyphs.ellipsis);
    out
}

/// A stderr line cut to `max` columns for a person: file paths in it lose their middle directories
/// first (`must-gather/…/images.yaml:4`), the longest first, and only then is the line cut at
/// its end.
pub(crate) fn line(text: &str, max: usize, glyphs: Glyphs) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    let folded = format!("/{}/", glyphs.ellipsis);
    let mut words: Vec<String> = text.split(' ').map(str::to_owned).collect();
    // File paths only (`.yaml:4`, `.json`, an archive): a reference's path is its answer.
    let foldable = |word: &str| {
        let file = [".yaml", ".yml", ".json", ".tar", ".tgz"].iter().any(|ext| word.contains(ext));
        file && !word.contains("://") && !word.contains(&folded) && word.split('/').count() >= 3
    };
    while let Some(i) = (0..words.len()).filter(|i| foldable(&words[*i])).max_by_key(|i| width(&words[*i])) {
        let parts: Vec<&str> = words[i].split('/').collect();
        words[i] = format!("{}{folded}{}", parts[0], parts[parts.len() - 1]);
        let joined = words.join(" ");
        if width(&joined) <= max {
            return joined;
        }
    }
    end(&words.join(" "), max, glyphs)
}

/// `line` wrapped to `max` columns for a person, each continuation under where the value
/// starts: after `Label:` and its padding, after a list's `1. `, `* ` or `- `, else two columns
/// in. Words break at spaces; a word longer than the room (a pull spec with its digest) breaks
/// before an `@` or after a `/` if it can, else where it must.
pub(crate) fn wrap(line: &str, max: usize) -> Vec<String> {
    if width(line) <= max {
        return vec![line.to_owned()];
    }
    let indent = line.len() - line.trim_start().len();
    let body = &line[indent..];
    // A marker and every space after it: the text starts there.
    let spaced = |at: usize| at + body[at..].len() - body[at..].trim_start().len();
    let marker = ["* ", "- "].iter().find(|m| body.starts_with(**m)).map(|m| spaced(m.len())).or_else(|| {
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        (digits > 0 && body[digits..].starts_with(". ")).then_some(digits + 2)
    });
    let label = body.find(": ").filter(|at| !body[..*at].contains("  ") && indent == 0).map(|at| {
        let value = body[at + 1..].len() - body[at + 1..].trim_start().len();
        at + 1 + value
    });
    hanging(line, max, indent + marker.or(label).unwrap_or(2))
}

/// A sentence for a person on stderr, wrapped to `max` columns: continuations under the text
/// after a leading `error: `, `hint: ` or `warning: `, else two columns in.
pub(crate) fn sentence(line: &str, max: usize) -> Vec<String> {
    let prefix = ["error: ", "hint: ", "warning: ", "note: "].iter().find(|p| line.starts_with(**p));
    hanging(line, max, prefix.map_or(2, |p| p.len()))
}

/// `line` wrapped to `max` columns, every piece flush left: a group's name above indented rows,
/// whose continuations must not read as rows.
pub(crate) fn wrap_flush(line: &str, max: usize) -> Vec<String> {
    hanging(line, max, 0)
}

/// `line` wrapped to `max` columns with continuations `hang` columns in (less when that leaves
/// too little room).
fn hanging(line: &str, max: usize, hang: usize) -> Vec<String> {
    if width(line) <= max {
        return vec![line.to_owned()];
    }
    let indent = line.len() - line.trim_start().len();
    // A hanging indent that leaves too little room is no help.
    let hang = if max.saturating_sub(hang) < 20 { indent.min(max / 4) } else { hang };
    let room = max - hang;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in split_keeping_spaces(line) {
        if width(&current) + width(word) <= max {
            current.push_str(word);
            continue;
        }
        // A word too long for any line starts here, when some room is left; else on the next.
        let too_long = width(word.trim_start()) > room;
        let left = max.saturating_sub(width(&current) + 1);
        // Only where it breaks at a `/` or `@`: a host is never cut mid-name.
        let here = too_long && left >= 12 && natural_break(word.trim_start(), left).is_some();
        let mut word = if here { word } else { word.trim_start() };
        if !here && !current.trim().is_empty() {
            lines.push(current.trim_end().to_owned());
            current = " ".repeat(hang);
        }
        while width(&current) + width(word) > max {
            let at = break_point(word, max - width(&current));
            current.push_str(&word[..at]);
            lines.push(std::mem::replace(&mut current, " ".repeat(hang)));
            word = &word[at..];
        }
        current.push_str(word);
    }
    if !current.trim().is_empty() {
        lines.push(current.trim_end().to_owned());
    }
    lines
}

/// `text` in lines of at most `max` columns, broken at spaces (a word longer than that stands
/// alone on its line): for a table's last column, wrapped under itself.
pub(crate) fn words_within(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if width(line) + 1 + width(word) <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// A table whose last column wraps under itself instead of being cut, kubectl's way
/// otherwise (left-aligned columns, three spaces between them, two when that is what fits).
/// The other columns keep their width. `None` when the last column would have less than
/// `min_room` columns: then a cut layout serves better. Cells are escaped ([`cell`]).
pub(crate) fn with_wrapped_last(
    headers: &[&str],
    rows: &[Vec<String>],
    limit: Option<usize>,
    no_headers: bool,
    min_room: usize,
) -> Option<Vec<String>> {
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| cell(c)).collect()).collect();
    let last = headers.len().checked_sub(1)?;
    let shown_headers = (!no_headers).then_some(headers);
    let column_width = |i: usize| {
        let header = shown_headers.map_or(0, |h| width(h[i]));
        rows.iter().map(|r| width(&r[i])).chain([header]).max().unwrap_or(0)
    };
    let widths: Vec<usize> = (0..last).map(column_width).collect();
    let whole = widths.iter().sum::<usize>() + column_width(last);
    let limit = limit.unwrap_or(usize::MAX);
    let gap = if whole + 3 * last <= limit { 3 } else { 2 };
    let start = widths.iter().sum::<usize>() + gap * last;
    let room = limit.saturating_sub(start);
    if room < min_room {
        return None;
    }
    let line = |cells: &[String], text: &str| -> String {
        let mut out = String::new();
        for (cell, w) in cells.iter().zip(&widths) {
            out.push_str(cell);
            out.push_str(&" ".repeat(w - width(cell) + gap));
        }
        out.push_str(text);
        out.trim_end().to_owned()
    };
    let mut out = Vec::new();
    if let Some(headers) = shown_headers {
        let cells: Vec<String> = headers[..last].iter().map(|h| (*h).to_owned()).collect();
        out.push(line(&cells, headers[last]));
    }
    for row in &rows {
        let mut parts = words_within(&row[last], room).into_iter();
        out.push(line(&row[..last], &parts.next().unwrap_or_default()));
        out.extend(parts.map(|more| format!("{}{more}", " ".repeat(start))));
    }
    Some(out)
}

/// The words of `line`, each with the spaces before it.
fn split_keeping_spaces(line: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        while i < bytes.len() && bytes[i] != b' ' {
            i += 1;
        }
        words.push(&line[start..i]);
        start = i;
    }
    words
}

/// Where to break a word that must fit `room` columns: before the last `@`, or after the last
/// `/`, that fits; else at `room`.
fn break_point(word: &str, room: usize) -> usize {
    let fits = natural_break(word, room).unwrap_or_else(|| fitting(word, room));
    fits.max(word.chars().next().map_or(1, char::len_utf8))
}

/// Where `word` breaks at a `/` or `@` within `room` columns, if it can.
fn natural_break(word: &str, room: usize) -> Option<usize> {
    let fits = fitting(word, room);
    let head = &word[..fits];
    match (head.rfind('@'), head.rfind('/')) {
        (Some(at), _) if at > 0 => Some(at),
        (_, Some(at)) if at + 1 < fits => Some(at + 1),
        _ => None,
    }
}

/// How many bytes of `word` fit `room` columns (at least one column's worth is asked for).
fn fitting(word: &str, room: usize) -> usize {
    let room = room.max(1);
    let mut fits = 0;
    for (at, c) in word.char_indices() {
        if width(&word[..at + c.len_utf8()]) > room {
            break;
        }
        fits = at + c.len_utf8();
    }
    fits
}

/// A column: its header and how it shrinks.
#[derive(Clone, Debug)]
pub struct Column {
    /// The header text.
    pub header: String,
    /// How it shrinks.
    pub(crate) shrink: Shrink,
}

/// The display width of `text` (wide characters count two).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut to `max` display columns in the middle, two thirds of what is kept from the start
/// (where hosts and names begin): `mirror.example.…shift4`.
pub(crate) fn middle(text: &str, max: usize, glyphs: Glyphs) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    if max <= width(glyphs.ellipsis) {
        return glyphs.ellipsis.chars().take(max).collect();
    }
    let keep = max - width(glyphs.ellipsis);
    let head_width = (keep * 2).div_ceil(3);
    let tail_width = keep - head_width;
    let mut head = String::new();
    let mut taken = 0;
    for c in text.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if taken + w > head_width {
            break;
        }
        taken += w;
        head.push(c);
    }
    let mut tail: Vec<char> = Vec::new();
    let mut taken = 0;
    for c in text.chars().rev() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if taken + w > tail_width {
            break;
        }
        taken += w;
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("{head}{}{tail}", glyphs.ellipsis)
}

/// One cell as a terminal may show it: cut at its first newline (with `...`, as kubectl does)
/// and with control characters escaped, since cells carry text from the input (names,
/// annotations, server messages) that must not drive the terminal. Every table cell passes
/// here; so do the values `describe` prints.
pub fn cell(text: &str) -> String {
    let (first, cut) = match text.split_once('\n') {
        Some((first, _)) => (first, true),
        None => (text, false),
    };
    // A tab would break the columns.
    let mut out = terminal_safe(first).replace('\t', "\\t");
    if cut {
        out.push_str("...");
    }
    out
}

/// Lays out `rows` under `columns` (headers left out with `no_headers`) within `limit` display
/// columns, kubectl's way (no borders, three spaces between columns, two when space is
/// tight). Every cell is escaped ([`cell`]). Returns the lines, without trailing spaces.
pub fn layout(
    columns: &[Column],
    rows: &[Vec<String>],
    limit: Option<usize>,
    no_headers: bool,
    glyphs: Glyphs,
) -> Vec<String> {
    let header: Vec<String> = columns.iter().map(|c| cell(&c.header)).collect();
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().take(columns.len()).map(|c| cell(c)).collect()).collect();
    // Widths count the header even without it, so --no-headers never changes a cell.
    let (mut widths, separator) = widths(columns, &header, &rows, limit, glyphs);
    if limit.is_some() {
        give_back_slack(columns, &header, &rows, &mut widths, glyphs);
    }
    // One marker per column: once any cell needs the short one, every cell gets it.
    let short_marker: Vec<bool> = (0..columns.len())
        .map(|i| {
            matches!(columns[i].shrink, Shrink::Shorten { cut: Cut::Reference, .. })
                && rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .any(|c| c.starts_with(glyphs.via_registry) && width(c) > widths[i])
        })
        .collect();
    let fitted = |row: &Vec<String>| -> Vec<String> {
        row.iter()
            .enumerate()
            .map(|(i, cell)| {
                let cell = match cell.strip_prefix(glyphs.via_registry).filter(|_| short_marker[i]) {
                    Some(rest) => format!("{}{rest}", glyphs.via_registry_short),
                    None => cell.clone(),
                };
                match columns[i].shrink {
                    Shrink::Shorten { cut, .. } => shorten(&cell, widths[i], cut, glyphs),
                    Shrink::Never => cell,
                }
            })
            .collect()
    };
    let mut cells: Vec<Vec<String>> = rows.iter().map(fitted).collect();
    for (i, column) in columns.iter().enumerate() {
        if let Shrink::Shorten { cut: Cut::Name, .. } = column.shrink {
            let names: Vec<String> = rows.iter().map(|r| r.get(i).cloned().unwrap_or_default()).collect();
            for (row, name) in cells.iter_mut().zip(cut_names(&names, widths[i], glyphs)) {
                if let Some(cell) = row.get_mut(i) {
                    *cell = name;
                }
            }
        }
    }
    if rows.is_empty() && no_headers {
        return Vec::new();
    }
    // A header gives way too, once its column is narrower than it.
    let header: Vec<String> = header.iter().zip(&widths).map(|(h, w)| end(h, *w, glyphs)).collect();
    let lines: Vec<&Vec<String>> =
        if no_headers { cells.iter().collect() } else { [&header].into_iter().chain(&cells).collect() };
    // Each column as wide as its widest cell as printed, then `separator` spaces.
    let printed: Vec<usize> =
        (0..columns.len()).map(|i| lines.iter().map(|l| l.get(i).map_or(0, |c| width(c))).max().unwrap_or(0)).collect();
    lines
        .into_iter()
        .map(|line| {
            let mut text = String::new();
            for (i, column_width) in printed.iter().enumerate() {
                let content = line.get(i).map_or("", String::as_str);
                text.push_str(content);
                if i + 1 < printed.len() {
                    text.extend(std::iter::repeat_n(' ', column_width - width(content) + separator));
                }
            }
            text.trim_end().to_owned()
        })
        .collect()
}

/// The width of every column and the separator: each column as wide as its widest cell (the
/// header counted even without it, so --no-headers never changes a cell), then narrowed to fit
/// `limit`.
fn widths(
    columns: &[Column],
    header: &[String],
    rows: &[Vec<String>],
    limit: Option<usize>,
    glyphs: Glyphs,
) -> (Vec<usize>, usize) {
    let natural: Vec<usize> = (0..columns.len())
        .map(|i| rows.iter().chain([&header.to_vec()]).map(|r| r.get(i).map_or(0, |c| width(c))).max().unwrap_or(0))
        .collect();
    let mut widths = natural.clone();
    let Some(limit) = limit else { return (widths, 3) };
    let mut columns = columns.to_vec();
    let mut separator = shrink(&columns, &mut widths, limit);
    // A name column gets wider, if it must, until no two names look alike, as long as the
    // other columns can give the room: the table never gets wider than the terminal.
    for i in 0..columns.len() {
        if !matches!(columns[i].shrink, Shrink::Shorten { cut: Cut::Name, .. }) {
            continue;
        }
        let names: Vec<String> = rows.iter().map(|r| r.get(i).cloned().unwrap_or_default()).collect();
        while widths[i] < natural[i] && !all_distinct(&names, &cut_names(&names, widths[i], glyphs)) {
            let wider = widths[i] + 1;
            if let Shrink::Shorten { min, .. } = &mut columns[i].shrink {
                *min = wider;
            }
            let mut trial = natural.clone();
            let trial_separator = shrink(&columns, &mut trial, limit);
            if trial[i] < wider {
                break;
            }
            (widths, separator) = (trial, trial_separator);
        }
    }
    (widths, separator)
}

/// Cuts a column of `stream:tag` names to `max` so that different names stay different and one
/// stream always reads the same: the tag stays whole, and each stream that does not fit beside
/// its longest tag gets one shortened form, used on all its rows, that no other stream gets
/// (preferring forms that keep where it parts from the others: `ubi8-openjdk-1…:1.3`).
fn cut_names(cells: &[String], max: usize, glyphs: Glyphs) -> Vec<String> {
    let split = |name: &str| name.rfind(':').unwrap_or(name.len());
    let mut streams: Vec<&str> = cells.iter().map(|c| &c[..split(c)]).collect();
    streams.sort_unstable();
    streams.dedup();
    let common = |a: &str, b: &str| a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    // The length of the shortest prefix no other stream shares.
    let unique = |stream: &str| {
        let at = streams.binary_search(&stream).unwrap_or_else(|i| i);
        let before = at.checked_sub(1).map_or(0, |b| common(streams[b], stream));
        let after = streams.get(at + 1).map_or(0, |a| common(a, stream));
        (before.max(after) + 1).min(stream.chars().count())
    };
    // The room each stream has beside its longest tag (None: a tag too long to keep whole).
    let mut room: std::collections::BTreeMap<&str, Option<usize>> = std::collections::BTreeMap::new();
    for cell in cells {
        let (stream, tag) = cell.split_at(split(cell));
        let here = (!tag.is_empty() && width(tag) + 3 + width(glyphs.ellipsis) <= max).then(|| max - width(tag));
        let entry = room.entry(stream).or_insert(here);
        *entry = match (*entry, here) {
            (Some(a), Some(b)) => Some(a.min(b)),
            _ => None,
        };
    }
    let mut used: std::collections::HashSet<String> =
        room.iter().filter(|(s, r)| r.is_some_and(|r| width(s) <= r)).map(|(s, _)| (*s).to_owned()).collect();
    let mut forms: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for (stream, room) in &room {
        let Some(room) = *room else { continue };
        if width(stream) <= room {
            forms.insert(stream, (*stream).to_owned());
            continue;
        }
        let candidates = shortened_forms(stream, room, unique(stream), glyphs);
        let form = candidates.iter().find(|c| !used.contains(*c)).unwrap_or(&candidates[0]).clone();
        used.insert(form.clone());
        forms.insert(stream, form);
    }
    cells
        .iter()
        .map(|cell| {
            let at = split(cell);
            match forms.get(&cell[..at]) {
                Some(form) => format!("{form}{}", &cell[at..]),
                None if width(cell) > max => end(cell, max, glyphs),
                None => cell.clone(),
            }
        })
        .collect()
}

/// Ways to show `stream` in `max` columns, best first, each keeping its first `keep` characters
/// (the prefix no other stream shares) as far as it can.
fn shortened_forms(stream: &str, max: usize, keep: usize, glyphs: Glyphs) -> Vec<String> {
    let chars: Vec<char> = stream.chars().collect();
    let collect = |range: std::ops::Range<usize>| chars[range].iter().collect::<String>();
    let (e, ew) = (glyphs.ellipsis, width(glyphs.ellipsis));
    let mut forms = Vec::new();
    if keep < max {
        forms.push(end(stream, max, glyphs));
    }
    // The start, the ellipsis, and the characters up to the parting point.
    for head in (1..=4.min(max.saturating_sub(2 + ew))).rev() {
        let tail = max - head - ew;
        if keep > head + tail && keep <= chars.len() {
            forms.push(format!("{}{e}{}", collect(0..head), collect(keep - tail..keep)));
        }
    }
    forms.push(middle(stream, max, glyphs));
    if max > ew {
        forms.push(format!("{e}{}", collect(chars.len().saturating_sub(max - ew)..chars.len())));
    }
    forms.push(window(stream, max, keep.saturating_sub(1), glyphs));
    // Last resort, when streams are many and alike: every window of the middle.
    let head = (max / 4).max(1);
    if max > head + 2 * ew {
        let length = max - head - 2 * ew;
        for start in head..chars.len().saturating_sub(length) {
            forms.push(format!("{}{e}{}{e}", collect(0..head), collect(start..start + length)));
        }
    }
    forms
}

/// A reference column cut by whole pieces may use less than its width (`host/…` is all that fit):
/// the room it does not use goes to the name columns, up to their full width.
fn give_back_slack(columns: &[Column], header: &[String], rows: &[Vec<String>], widths: &mut [usize], glyphs: Glyphs) {
    for i in 0..columns.len() {
        if !matches!(columns[i].shrink, Shrink::Shorten { cut: Cut::Reference, .. }) {
            continue;
        }
        let shown = |w: usize| {
            let short =
                rows.iter().filter_map(|r| r.get(i)).any(|c| c.starts_with(glyphs.via_registry) && width(c) > w);
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| {
                    let c = match c.strip_prefix(glyphs.via_registry).filter(|_| short) {
                        Some(rest) => format!("{}{rest}", glyphs.via_registry_short),
                        None => c.clone(),
                    };
                    width(&shorten(&c, w, Cut::Reference, glyphs))
                })
                .chain([width(&header[i])])
                .max()
                .unwrap_or(0)
        };
        let mut slack = widths[i].saturating_sub(shown(widths[i]));
        if slack == 0 {
            continue;
        }
        for j in 0..columns.len() {
            if !matches!(columns[j].shrink, Shrink::Shorten { cut: Cut::Name, .. }) {
                continue;
            }
            let natural = rows.iter().filter_map(|r| r.get(j)).map(|c| width(c)).max().unwrap_or(0);
            let more = natural.saturating_sub(widths[j]).min(slack);
            widths[j] += more;
            widths[i] -= more;
            slack -= more;
        }
    }
}

/// Whether `cut` tells apart every pair of different texts in `full`.
fn all_distinct(full: &[String], cut: &[String]) -> bool {
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    full.iter().zip(cut).all(|(f, c)| *seen.entry(c).or_insert(f) == f.as_str())
}

/// `text` in `max` columns keeping the character at `at` (counted in characters): its start,
/// `…`, and a window around `at`.
fn window(text: &str, max: usize, at: usize, glyphs: Glyphs) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (e, ew) = (glyphs.ellipsis, width(glyphs.ellipsis));
    let head = (max / 4).max(1);
    if chars.len() <= max || max < 6 || at + 2 <= max || max <= head + 2 * ew {
        return end(text, max, glyphs);
    }
    let collect = |range: std::ops::Range<usize>| chars[range].iter().collect::<String>();
    // The window reaches the end: `head…tail`.
    let tail = max - head - ew;
    if chars.len() - tail <= at {
        return format!("{}{e}{}", collect(0..head), collect(chars.len() - tail..chars.len()));
    }
    let length = max - head - 2 * ew;
    let start = at.saturating_sub(length / 2).max(head);
    format!("{}{e}{}{e}", collect(0..head), collect(start..start + length))
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
    // Columns of `stage` and earlier down to `floor(min)`, the others to their comfortable width.
    let down_to = |stage: u8, floor: fn(usize) -> usize| {
        move |s: &Shrink| match s {
            Shrink::Shorten { min, stage: at, .. } if *at <= stage => Some(floor(*min)),
            Shrink::Shorten { soft, min, .. } => Some((*soft).max(*min)),
            Shrink::Never => None,
        }
    };
    // Closer columns before any cell is cut.
    if total(widths, 3) > limit && total(widths, 2) <= limit {
        return 2;
    }
    narrow(widths, 3, &soft);
    if total(widths, 3) <= limit {
        return 3;
    }
    for stage in 0..=2 {
        narrow(widths, 2, &down_to(stage, |min| min));
    }
    if total(widths, 2) <= limit {
        return 2;
    }
    // Still too wide: one space between columns, then below the minimums, stage by stage, so
    // the column that answers the question gives last.
    for stage in 0..=2 {
        narrow(widths, 1, &down_to(stage, |min| min));
    }
    // Names last: two rows must not seem to name the same thing while anything else can give.
    let not_names = |stage: u8| {
        move |s: &Shrink| match s {
            Shrink::Shorten { cut: Cut::Name, min, .. } => Some(*min),
            Shrink::Shorten { stage: at, .. } if *at <= stage => Some(4),
            Shrink::Shorten { min, .. } => Some(*min),
            Shrink::Never => None,
        }
    };
    for stage in 0..=2 {
        narrow(widths, 1, &not_names(stage));
    }
    narrow(widths, 1, &|s| matches!(s, Shrink::Shorten { .. }).then_some(4));
    1
}

/// `text` with every character that could drive a terminal escaped (`\u{1b}`): C0 and C1
/// controls other than tab (a newline too: every stderr line is one message, and a name from the
/// input must not start a line that looks like isctl's own `error:`), DEL, and the
/// bidirectional overrides and isolates that reorder what a line seems to say.
pub fn terminal_safe(text: &str) -> String {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    };
    if !text.chars().any(unsafe_char) {
        return text.to_owned();
    }
    text.chars().map(|c| if unsafe_char(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: Glyphs = Glyphs::UNICODE;

    #[test]
    fn long_values_wrap_under_where_they_start() {
        let label = "Image Repository: image-registry.openshift-image-registry.svc:5000/openshift/cli and more";
        let wrapped = wrap(label, 60);
        assert!(wrapped.iter().all(|l| width(l) <= 60), "{wrapped:?}");
        assert!(wrapped[1..].iter().all(|l| l.starts_with(&" ".repeat(18)) && !l[18..].starts_with(' ')));
        assert_eq!(
            wrapped.concat().split_whitespace().collect::<String>(),
            label.split_whitespace().collect::<String>()
        );
        let item = "        1. mirror.example.com:8443/ocp4/openshift4  mirror from ImageContentSourcePolicy/release-0";
        assert_eq!(
            wrap(item, 60),
            [
                "        1. mirror.example.com:8443/ocp4/openshift4  mirror",
                "           from ImageContentSourcePolicy/release-0"
            ]
        );
        let spec = "  * quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:6b6f9cb2486b250c2b4030946a28bd5482fb2864ead628346c5bb1547fff00d0";
        let wrapped = wrap(spec, 80);
        assert_eq!(wrapped[0], "  * quay.io/openshift-release-dev/ocp-v4.0-art-dev");
        assert!(wrapped[1].starts_with("    @sha256:6b6f9cb2486b"), "{wrapped:?}");
        assert!(wrapped.iter().all(|l| width(l) <= 80));
        assert_eq!(wrap("short", 80), ["short"]);
        let unused = "  -  mirror.example.com:8443/ubi9-tags  not used: tag-only, and this is a digest pull";
        assert_eq!(wrap(unused, 72)[1], "     a digest pull", "under the text, after the marker's spaces");
        // A host that would be cut where the line ends moves to the next line whole.
        let pulls = "      Pods pull from the integrated registry: image-registry.openshift-image-registry.svc:5000/ocp-release-candidates-and-nightlies/ocp-release-nightly";
        assert_eq!(
            wrap(pulls, 80),
            [
                "      Pods pull from the integrated registry:",
                "        image-registry.openshift-image-registry.svc:5000/",
                "        ocp-release-candidates-and-nightlies/ocp-release-nightly"
            ]
        );
    }

    #[test]
    fn a_last_column_wraps_under_itself_and_gives_way_to_a_cut_when_too_narrow() {
        let rows = vec![
            vec![
                "abc".to_owned(),
                "keep".to_owned(),
                "used by pod demo/web-1 (revision 2 of openshift/cli:latest)".to_owned(),
            ],
            vec!["d".to_owned(), "prune".to_owned(), "no history entry holds it".to_owned()],
        ];
        let lines = with_wrapped_last(&["IMAGE", "DECISION", "REASON"], &rows, Some(40), false, 16).unwrap();
        assert_eq!(
            lines,
            [
                "IMAGE  DECISION  REASON",
                "abc    keep      used by pod demo/web-1",
                "                 (revision 2 of",
                "                 openshift/cli:latest)",
                "d      prune     no history entry holds",
                "                 it"
            ]
        );
        assert!(lines.iter().all(|l| width(l) <= 40));
        let wide = with_wrapped_last(&["IMAGE", "DECISION", "REASON"], &rows, None, true, 16).unwrap();
        assert_eq!(wide[0], "abc   keep    used by pod demo/web-1 (revision 2 of openshift/cli:latest)");
        assert_eq!(with_wrapped_last(&["IMAGE", "DECISION", "REASON"], &rows, Some(30), false, 16), None);
    }

    #[test]
    fn a_sentence_on_stderr_hangs_under_its_text_not_under_a_colon_in_it() {
        assert_eq!(
            sentence("nodes keep their registries.conf: none of the changes happen until this is fixed", 60),
            ["nodes keep their registries.conf: none of the changes happen", "  until this is fixed"]
        );
        assert_eq!(
            sentence("hint: the input has image streams in namespace ocp-release-candidates; use -n", 60),
            ["hint: the input has image streams in namespace", "      ocp-release-candidates; use -n"]
        );
    }

    #[test]
    fn lines_fold_paths_before_they_are_cut() {
        let note = "note: policies.yaml:43 replaces must-gather-metal/quay-io-release-sha256-eede/cluster-scoped-resources/config.openshift.io/images.yaml:4";
        assert_eq!(line(note, 80, G), "note: policies.yaml:43 replaces must-gather-metal/…/images.yaml:4");
        assert_eq!(line(note, 40, G), "note: policies.yaml:43 replaces must-ga…");
        assert_eq!(line("warning: short", 80, G), "warning: short");
        let url = "warning: Get \"https://registry.example.com/v2/a/b/manifests/latest\": unauthorized";
        assert_eq!(line(url, 40, G), "warning: Get \"https://registry.example.…");
    }

    #[test]
    fn middles_keep_both_ends() {
        assert_eq!(middle("mirror.example.com:8443/ocp4/openshift4", 20, G), "mirror.exampl…shift4");
        assert_eq!(middle("short", 20, G), "short");
        assert_eq!(middle("abcdef", 4, G), "ab…f");
        assert_eq!(width(&middle("日本語のテキスト", 7, G)), 7);
        assert_eq!(end("latest (stable)", 7, G), "latest…");
        let local = "registry ← mirror.example.com:8443/ocp4/openshift4";
        // The repository is the answer: the host gives way first.
        assert_eq!(shorten(local, 36, Cut::Reference, G), "⇐ mirror.examp…:8443/ocp4/openshift4");
        assert_eq!(shorten(local, 44, Cut::Reference, G), "⇐ mirror.example.com:8443/ocp4/openshift4");
        let deep = "registry ← mirror.example.com:8443/ocp4/team/release/openshift4";
        assert_eq!(shorten(deep, 48, Cut::Reference, G), "⇐ mirror.exam…:8443/ocp4/team/release/openshift4");
        assert_eq!(shorten(deep, 40, Cut::Reference, G), "⇐ mirror…43/ocp4/team/release/openshift4");
        assert_eq!(shorten(deep, 30, Cut::Reference, G), "⇐ mirror.exa…8443/…/openshift4");
        assert_eq!(shorten(deep, 24, Cut::Reference, G), "⇐ mirror…43/…/openshift4");
        assert_eq!(shorten(deep, 20, Cut::Reference, G), "⇐ mirror.exam…shift4", "a host of 8 columns at least");
        assert_eq!(
            shorten("mirror.example.com:8443/ocp4/openshift4", 30, Cut::Reference, G),
            "mirror.ex…8443/ocp4/openshift4"
        );
        assert_eq!(shorten("ubi8-openjdk-11:latest", 18, Cut::Name, G), "ubi8-op…-11:latest");
        assert_eq!(shorten("ubi8-openjdk-8:latest", 18, Cut::Name, G), "ubi8-op…k-8:latest");
        assert_eq!(shorten("must-gather:latest", 14, Cut::Name, G), "must…er:latest");
        assert_eq!(shorten("must-gather:a-very-long-tag-name", 14, Cut::Name, G), "must-gather:a…");
    }

    #[test]
    fn ascii_terminals_get_ascii_and_the_same_widths() {
        let a = Glyphs::ASCII;
        assert_eq!(Glyphs::for_locale(Some("C"), None, Some("en_US.UTF-8")), a, "LC_ALL wins");
        assert_eq!(Glyphs::for_locale(Some(""), Some("de_DE.utf8@euro"), None), G, "an empty one is unset");
        assert_eq!(Glyphs::for_locale(None, None, None), a, "no locale is the C locale");
        assert_eq!(Glyphs::for_locale(None, None, Some("C.UTF-8")), G);
        assert_eq!(Glyphs::for_locale(None, None, Some("en_US.ISO-8859-1")), a);
        assert_eq!(end("latest (stable)", 9, a), "latest...");
        assert_eq!(middle("abcdefgh", 6, a), "ab...h");
        assert_eq!(middle("abcdefgh", 2, a), "..");
        let deep = "registry <- mirror.example.com:8443/ocp4/team/release/openshift4";
        assert_eq!(shorten(deep, 32, Cut::Reference, a), "<= mirror.e...443/.../openshift4");
        assert_eq!(shorten("must-gather:latest", 16, Cut::Name, a), "must...er:latest");
        let note =
            "note: policies.yaml:43 replaces must-gather-metal/quay-io-release/cluster-scoped-resources/images.yaml:4";
        assert_eq!(line(note, 80, a), "note: policies.yaml:43 replaces must-gather-metal/.../images.yaml:4");
        // Every width the fitting gives out holds with a three-column ellipsis too.
        let columns =
            [Column { header: "NAME".into(), shrink: Shrink::Shorten { soft: 10, min: 10, stage: 0, cut: Cut::Name } }];
        let names = ["jboss-datagrid65-client-openshift:1.0", "jboss-datagrid71-client-openshift:1.0", "cli:1.0"];
        let rows: Vec<Vec<String>> = names.iter().map(|n| vec![(*n).to_owned()]).collect();
        for limit in [6, 10, 16, 24] {
            let lines = layout(&columns, &rows, Some(limit), true, a);
            assert!(lines.iter().all(|l| width(l) <= limit && l.is_ascii()), "{limit}: {lines:?}");
        }
        for max in 0..12 {
            assert!(width(&window("abcdefghijklmnopqrstuvwxyz", max, 12, a)) <= max);
            assert!(shortened_forms("jboss-datagrid65-client", max, 12, a).iter().all(|f| width(f) <= max));
        }
    }

    #[test]
    fn names_cut_alike_are_told_apart() {
        let columns =
            [Column { header: "NAME".into(), shrink: Shrink::Shorten { soft: 10, min: 10, stage: 0, cut: Cut::Name } }];
        let names = ["jboss-datagrid65-client-openshift:1.0", "jboss-datagrid71-client-openshift:1.0", "cli:1.0"];
        let rows: Vec<Vec<String>> = names.iter().map(|n| vec![(*n).to_owned()]).collect();
        let lines = layout(&columns, &rows, Some(16), true, G);
        assert_eq!(lines.len(), 3);
        assert_ne!(lines[0], lines[1], "{lines:?}");
        assert!(lines[0].ends_with(":1.0") && lines[0].contains("grid6") && lines[1].contains("grid7"), "{lines:?}");
        assert!(lines.iter().all(|l| width(l) <= 16), "{lines:?}");
        assert_eq!(lines[2], "cli:1.0");
        assert_eq!(window("abcdefghijklmnopqrstuvwxyz", 10, 12, G), "ab…jklmno…");
        assert_eq!(window("abcdefghijklmnopqrstuvwxyz", 10, 24, G), "ab…tuvwxyz");
    }

    #[test]
    fn cut_names_never_merge_two_names() {
        // Streams that share starts, middles and ends, as product images do.
        let parts = ["jboss-", "eap7", "eap72-", "openjdk11-", "openjdk8-", "openshift", "openshift-rhel7", "runtime"];
        let mut cells = Vec::new();
        for a in parts {
            for b in parts {
                for c in parts {
                    for tag in [":latest", ":1.0", ":7.3.0"] {
                        cells.push(format!("{a}{b}{c}{tag}"));
                    }
                }
            }
        }
        cells.sort();
        cells.dedup();
        for max in [24, 30] {
            let cut = cut_names(&cells, max, G);
            assert!(all_distinct(&cells, &cut), "{max}");
            assert!(cut.iter().all(|c| width(c) <= max), "{max}");
            assert!(cut.iter().zip(&cells).all(|(c, n)| n.ends_with(&c[c.rfind(':').unwrap()..])), "tags stay whole");
        }
        // The names take room from other columns rather than merge two.
        let columns = [
            Column { header: "NAME".into(), shrink: Shrink::Shorten { soft: 28, min: 12, stage: 1, cut: Cut::Name } },
            Column { header: "NOTE".into(), shrink: Shrink::Shorten { soft: 10, min: 4, stage: 0, cut: Cut::End } },
        ];
        let rows: Vec<Vec<String>> = cells.iter().map(|c| vec![c.clone(), "some note".into()]).collect();
        for limit in [30, 40, 60] {
            let lines = layout(&columns, &rows, Some(limit), true, G);
            assert!(lines.iter().all(|l| width(l) <= limit), "never wider than the terminal");
            let names: Vec<String> = lines.iter().map(|l| l.split("  ").next().unwrap().to_owned()).collect();
            assert!(all_distinct(&cells, &names), "{limit}");
        }
    }

    #[test]
    fn layouts_fit_or_stay_untouched() {
        let columns = [
            Column { header: "NAME".into(), shrink: Shrink::Shorten { soft: 10, min: 6, stage: 0, cut: Cut::End } },
            Column { header: "FLAG".into(), shrink: Shrink::Never },
            Column {
                header: "WHERE".into(),
                shrink: Shrink::Shorten { soft: 30, min: 10, stage: 1, cut: Cut::Middle },
            },
        ];
        let rows =
            vec![vec!["a-rather-long-name".to_owned(), "*".into(), "mirror.example.com:8443/ocp4/openshift4".into()]];
        let free = layout(&columns, &rows, None, false, G);
        assert_eq!(free[1], "a-rather-long-name   *      mirror.example.com:8443/ocp4/openshift4");
        for limit in [60, 40, 30] {
            let fitted = layout(&columns, &rows, Some(limit), false, G);
            assert!(fitted.iter().all(|l| width(l) <= limit), "{limit}: {fitted:?}");
            assert!(fitted[1].contains('…'));
        }
        assert_eq!(layout(&columns, &rows, Some(40), true, G).len(), 1);
    }
}
