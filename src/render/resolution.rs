//! `isctl resolve` for people: one row per history item shown, the current one marked, where it
//! is pulled from, and its status, in a table that fits the terminal (docs/resolution.md
//! "The table"). Rows are only rows: what must stand out (failed imports, unpullable images,
//! missing images) is summed up in [`findings`] for stderr, many alike in one line.
//!
//! For a `Local` tag a pod pulls from the integrated registry, which pulls the image through from
//! elsewhere: the PULL FROM cell shows both hops, `registry ← <where the registry fetches it>`.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::fit::{self, Column, Cut, Shrink};
use super::pull_plan::flags;
use crate::mirror::plan::{PullSource, SourceKind, all_blocked};
use crate::model::meta::parse_time;
use crate::render::age::kube_age;
use crate::resolve::{HistoryItem, HopDifferenceKind, InputGaps, StreamResolution, TagResolution};

/// How many history items of each tag a table shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum History {
    /// Every item.
    All,
    /// The newest `n` (1 is the current item only).
    Newest(usize),
}

/// Options of the table.
#[derive(Clone, Copy, Debug)]
pub struct TableOptions {
    /// Every column, nothing shortened: full digests, every pull source, both times.
    pub wide: bool,
    /// Leave out the header line.
    pub no_headers: bool,
    /// Add a NAMESPACE column.
    pub namespaces: bool,
    /// The time ages are measured against.
    pub now: Timestamp,
    /// Fit the table into this many columns (`None`: never cut).
    pub width: Option<usize>,
    /// The characters a cut cell, a pull-through and an alias are drawn with.
    pub glyphs: fit::Glyphs,
    /// Colour rows that need attention (ANSI), for a terminal.
    pub color: bool,
    /// Which history items to show.
    pub history: History,
    /// What the input lacks: without Images, "Image missing" says nothing; without mirror
    /// rules, neither does "no mirror".
    pub gaps: InputGaps,
}

/// A rendered table, and how many older history items it left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The lines, each ending with a newline.
    pub text: String,
    /// History items not shown.
    pub(crate) omitted: usize,
}

/// How a row should stand out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Tone {
    Plain,
    Pending,
    Broken,
}

/// Renders the table. `-o wide` lists every history item on its own full row. Otherwise rows
/// are grouped under their tag (the name on its first row only) and carry what differs: age,
/// digest, status, and where the image is pulled from, said once per tag when every item pulls
/// from the same place. When the rows do not fit the width with their pull source whole, the
/// pull source moves to a line of its own under the tag's rows (docs/resolution.md "The table"):
/// the answer is never cut to make room for names.
pub fn render(resolutions: &[StreamResolution], options: TableOptions) -> Table {
    let mut blocks: Vec<Block> = Vec::new();
    let mut omitted = 0;
    for stream in resolutions {
        for tag in &stream.tags {
            let shown = match options.history {
                History::All => tag.history.len(),
                History::Newest(n) => n.min(tag.history.len()),
            };
            omitted += tag.history.len() - shown;
            let stream_name = match options.namespaces {
                true => format!("{}/{}", stream.metadata.namespace, stream.metadata.name),
                false => stream.metadata.name.clone(),
            };
            let mut block = Block { stream: stream_name, tag: tag.name.clone(), rows: Vec::new() };
            if tag.history.is_empty() {
                block.rows.push(Row {
                    cells: row(stream, tag, None, options),
                    tone: tone(tag, None, options.gaps),
                    pull: String::new(),
                });
            }
            for item in &tag.history[..shown] {
                block.rows.push(Row {
                    cells: row(stream, tag, Some(item), options),
                    tone: tone(tag, Some(item), options.gaps),
                    pull: if options.wide { String::new() } else { pull_from(item, options.glyphs) },
                });
            }
            blocks.push(block);
        }
    }
    let lines = if options.wide { wide_lines(&blocks, options) } else { grouped_lines(&mut blocks, options) };
    let mut text = String::new();
    for (line, tone) in lines {
        match (options.color, tone) {
            (true, Tone::Broken) => text.push_str(&format!("\u{1b}[31m{line}\u{1b}[0m\n")),
            (true, Tone::Pending) => text.push_str(&format!("\u{1b}[33m{line}\u{1b}[0m\n")),
            _ => {
                text.push_str(&line);
                text.push('\n');
            }
        }
    }
    Table { text, omitted }
}

/// One row of the table: its cells (without the pull source), its tone, and where its image is
/// pulled from (empty when there is no item, and for `-o wide`, whose cells say it all).
struct Row {
    cells: Vec<String>,
    tone: Tone,
    pull: String,
}

/// The rows of one tag.
struct Block {
    /// The stream, `namespace/name` when the table spans namespaces.
    stream: String,
    /// The tag's name.
    tag: String,
    rows: Vec<Row>,
}

impl Block {
    /// The pull source said once for the whole tag, when every row has the same one.
    fn common_pull(&self) -> Option<&str> {
        let first = &self.rows.first()?.pull;
        self.rows.iter().all(|r| r.pull == *first).then_some(first.as_str())
    }
}

/// `-o wide`: every row whole, names repeated (a row stands alone for grep).
fn wide_lines(blocks: &[Block], options: TableOptions) -> Vec<(String, Tone)> {
    let rows: Vec<&Row> = blocks.iter().flat_map(|b| &b.rows).collect();
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells.clone()).collect();
    let lines = fit::layout(&columns(options, &cells, false), &cells, None, options.no_headers, options.glyphs);
    with_tones(lines, rows.iter().map(|r| r.tone), options.no_headers)
}

/// The default table: rows grouped under their tag, the pull source in its column when every
/// line then fits, else on a line of its own after the tag's rows.
fn grouped_lines(blocks: &mut [Block], options: TableOptions) -> Vec<(String, Tone)> {
    let names = usize::from(options.namespaces) + 1;
    for block in blocks.iter_mut() {
        // The tag is named on its first row only.
        for row in block.rows.iter_mut().skip(1) {
            row.cells[..names].iter_mut().for_each(String::clear);
        }
    }
    // One line per row, the pull source last, said again only where it changes within a tag.
    let inline: Vec<Vec<String>> = blocks
        .iter()
        .flat_map(|block| {
            block.rows.iter().enumerate().map(|(i, row)| {
                let same = i > 0 && block.rows[i - 1].pull == row.pull;
                let mut cells = row.cells.clone();
                cells.push(if same { String::new() } else { row.pull.clone() });
                cells
            })
        })
        .collect();
    let tones: Vec<Tone> = blocks.iter().flat_map(|b| b.rows.iter().map(|r| r.tone)).collect();
    let columns_inline = columns(options, &inline, true);
    let natural = fit::layout(&columns_inline, &inline, None, options.no_headers, options.glyphs);
    if options.width.is_none_or(|w| natural.iter().all(|line| fit::width(line) <= w)) {
        return with_tones(natural, tones.into_iter(), options.no_headers);
    }
    // Stacked: the rows without their pull source; each tag's pull source under its rows. When
    // the names do not fit whole beside the rest, each stream gets a line of its own.
    let cells: Vec<Vec<String>> = blocks.iter().flat_map(|b| b.rows.iter().map(|r| r.cells.clone())).collect();
    let stacked = fit::layout(&columns(options, &cells, false), &cells, None, options.no_headers, options.glyphs);
    if options.width.is_some_and(|w| stacked.iter().any(|line| fit::width(line) > w)) {
        return headed_lines(blocks, options);
    }
    let mut lines =
        fit::layout(&columns(options, &cells, false), &cells, options.width, options.no_headers, options.glyphs)
            .into_iter();
    let mut out = Vec::new();
    if !options.no_headers {
        out.extend(lines.next().map(|header| (header, Tone::Plain)));
        out.push((format!("{PULL_INDENT}PULL FROM"), Tone::Plain));
    }
    let width = options.width.unwrap_or(usize::MAX);
    // A pull source longer than a line wraps under itself, after a `/`: it is never cut.
    let pull_lines = |pull: &str| -> Vec<(String, Tone)> {
        let line = format!("{PULL_INDENT}{pull}");
        fit::wrap(&line, width).into_iter().map(|l| (l, Tone::Plain)).collect()
    };
    for block in blocks.iter() {
        let common = block.common_pull();
        for row in &block.rows {
            out.extend(lines.next().map(|line| (line, row.tone)));
            if common.is_none() && !row.pull.is_empty() {
                out.extend(pull_lines(&row.pull));
            }
        }
        if let Some(pull) = common.filter(|p| !p.is_empty()) {
            out.extend(pull_lines(pull));
        }
    }
    out
}

/// How far a pull source on its own line is indented.
const PULL_INDENT: &str = "  ";

/// The stacked table for names too long to share a line with the answer: a line per stream
/// (`namespace/stream` across namespaces), its tags' rows under it, indented by two, and each
/// tag's pull source under its rows, indented by four. The notes after their deciding word give
/// way first, then the tag (in its middle: tags of one stream often differ at both ends).
fn headed_lines(blocks: &[Block], options: TableOptions) -> Vec<(String, Tone)> {
    let width = options.width.unwrap_or(usize::MAX);
    let names = usize::from(options.namespaces) + 1;
    let cells: Vec<Vec<String>> = blocks
        .iter()
        .flat_map(|block| {
            block.rows.iter().enumerate().map(|(i, row)| {
                let tag = if i == 0 { block.tag.clone() } else { String::new() };
                [tag].into_iter().chain(row.cells[names..].iter().cloned()).collect()
            })
        })
        .collect();
    let mut columns = columns(TableOptions { namespaces: false, ..options }, &cells, false);
    columns[0] =
        Column { header: "TAG".into(), shrink: Shrink::Shorten { soft: 253, min: 12, stage: 1, cut: Cut::Middle } };
    let row_indent = "  ";
    let pull_indent = "    ";
    let room = width.saturating_sub(row_indent.len());
    let mut lines = fit::layout(&columns, &cells, Some(room), options.no_headers, options.glyphs).into_iter();
    let mut out = Vec::new();
    if !options.no_headers {
        let stream = if options.namespaces { "NAMESPACE/STREAM" } else { "STREAM" };
        out.push((stream.to_owned(), Tone::Plain));
        out.extend(lines.next().map(|header| (format!("{row_indent}{header}"), Tone::Plain)));
        out.push((format!("{pull_indent}PULL FROM"), Tone::Plain));
    }
    let wrapped = |text: String| -> Vec<(String, Tone)> {
        fit::wrap(&text, width).into_iter().map(|l| (l, Tone::Plain)).collect()
    };
    let mut previous: Option<&str> = None;
    for block in blocks {
        if previous != Some(block.stream.as_str()) {
            out.extend(wrapped(fit::cell(&block.stream)));
            previous = Some(&block.stream);
        }
        let common = block.common_pull();
        for row in &block.rows {
            out.extend(lines.next().map(|line| (format!("{row_indent}{line}"), row.tone)));
            if common.is_none() && !row.pull.is_empty() {
                out.extend(wrapped(format!("{pull_indent}{}", row.pull)));
            }
        }
        if let Some(pull) = common.filter(|p| !p.is_empty()) {
            out.extend(wrapped(format!("{pull_indent}{pull}")));
        }
    }
    out
}

/// Pairs laid-out lines with their rows' tones (the header plain).
fn with_tones(lines: Vec<String>, tones: impl Iterator<Item = Tone>, no_headers: bool) -> Vec<(String, Tone)> {
    let header = (!no_headers).then_some(Tone::Plain);
    lines.into_iter().zip(header.into_iter().chain(tones)).collect()
}

/// The columns, and how each gives up width on a narrow terminal: notes after their first
/// word, then names, and the pull source (inline only when it fits whole) never.
fn columns(options: TableOptions, rows: &[Vec<String>], pull_from: bool) -> Vec<Column> {
    let column = |header: &str, shrink| Column { header: header.to_owned(), shrink };
    let never = |header: &str| column(header, Shrink::Never);
    let mut columns = Vec::new();
    if options.namespaces {
        columns.push(column("NAMESPACE", Shrink::Shorten { soft: 16, min: 9, stage: 1, cut: Cut::End }));
    }
    // The tag stays whole; the stream loses its middle.
    let names = rows.iter().filter_map(|r| r.get(usize::from(options.namespaces)));
    let tag_width = names.map(|n| n.rfind(':').map_or(0, |colon| fit::width(&n[colon..]))).max().unwrap_or(0);
    columns.push(column("NAME", Shrink::Shorten { soft: 28, min: (tag_width + 5).max(12), stage: 1, cut: Cut::Name }));
    columns.push(never("CUR"));
    if options.wide {
        columns.extend([never("GEN"), never("CREATED")]);
    }
    columns.extend([never("AGE"), never("IMAGE")]);
    if options.wide {
        for header in ["IMAGE FROM", "PULL SPEC", "PULL SOURCES", "PULL-THROUGH SOURCES", "UPSTREAM SOURCES"] {
            columns.push(never(header));
        }
    }
    // The first note's deciding word (`failed`, `blocked`, `alias → TAG`) stays whole; what
    // follows it gives way first.
    let at = columns.len();
    let deciding = |status: &str| {
        let first = status.split(", ").next().unwrap_or("");
        fit::width(first.split(": ").next().unwrap_or(first))
    };
    let min = rows.iter().filter_map(|r| r.get(at)).map(|s| deciding(s)).max().unwrap_or(0).clamp(6, 24);
    columns.push(column("STATUS", Shrink::Shorten { soft: 24, min, stage: 0, cut: Cut::End }));
    if pull_from {
        columns.push(never("PULL FROM"));
    }
    columns
}

fn row(
    stream: &StreamResolution,
    tag: &TagResolution,
    item: Option<&HistoryItem>,
    options: TableOptions,
) -> Vec<String> {
    let mut row = Vec::new();
    if options.namespaces {
        row.push(stream.metadata.namespace.clone());
    }
    // Aliases are not listed here: the alias's own row says "alias → TAG".
    row.push(format!("{}:{}", stream.metadata.name, tag.name));
    let current = item.is_some_and(|i| i.current);
    row.push(if current { "*".into() } else { String::new() });
    let Some(item) = item else {
        if options.wide {
            row.extend([String::new(), String::new()]);
        }
        row.extend([String::new(), "<none>".into()]);
        if options.wide {
            row.extend(std::iter::repeat_n(String::new(), 5));
        }
        row.push(status(tag, None, options.gaps, options.glyphs).join(", "));
        return row;
    };
    if options.wide {
        row.push(item.generation.map(|g| g.to_string()).unwrap_or_default());
        row.push(item.created.clone().unwrap_or_default());
    }
    row.push(item.created.as_deref().map(|c| kube_age(parse_time(Some(c)), options.now)).unwrap_or_default());
    row.push(match (item.image.is_empty(), options.wide) {
        (true, _) => "<none>".into(),
        (false, true) => item.image.clone(),
        // Twelve hex digits; seven, as git abbreviates, on a narrow terminal.
        (false, false) => short_digest(&item.image, if options.width.is_some_and(|w| w < 100) { 7 } else { 12 }),
    });
    if options.wide {
        row.push(match (item.image.is_empty(), item.image_from) {
            (true, _) => String::new(),
            (false, Some(from)) => from.to_owned(),
            (false, None) => "<missing>".into(),
        });
        row.push(item.pull_spec.clone());
        row.push(all_sources(&item.pull_sources));
        let through =
            item.pull_through.as_ref().map(|p| p.sources.iter().map(|s| s.reference.clone()).collect::<Vec<_>>());
        row.push(through.map(|s| s.join(", ")).unwrap_or_default());
        row.push(item.upstream_pull_sources.as_deref().map(all_sources).unwrap_or_default());
    }
    row.push(status(tag, Some(item), options.gaps, options.glyphs).join(", "));
    row
}

/// Where the image comes from, as a repository (the digest is on the row already). For a
/// `Local` item, both hops: `registry ← <first source of the registry's pull-through>`.
fn pull_from(item: &HistoryItem, glyphs: fit::Glyphs) -> String {
    if !item.errors.is_empty() {
        return "<invalid rewrite>".into();
    }
    let first = item.pull_sources.iter().find(|s| !s.blocked);
    let Some(first) = first else {
        return if item.pull_sources.is_empty() { "<none>".into() } else { "<all blocked>".into() };
    };
    // Verified (--verify): where the image really comes from, the first source that has it.
    let served = item.verification.as_ref().and_then(|v| v.served_by.as_deref());
    match (&item.pull_through, served) {
        (Some(_), Some(served)) => format!("{}{}", glyphs.via_registry, repository(served)),
        (Some(through), None) => {
            let upstream = through.sources.first().map_or("<none>".to_owned(), |s| repository(&s.reference).to_owned());
            format!("{}{upstream}", glyphs.via_registry)
        }
        (None, Some(served)) => repository(served).to_owned(),
        (None, None) => repository(&first.reference).to_owned(),
    }
}

/// A pull spec without its tag or digest.
pub fn repository(reference: &str) -> &str {
    let name = reference.split('@').next().unwrap_or(reference);
    match name.rfind(':') {
        Some(colon) if !name[colon..].contains('/') => &name[..colon],
        _ => name,
    }
}

fn tone(tag: &TagResolution, item: Option<&HistoryItem>, gaps: InputGaps) -> Tone {
    let current = item.is_none_or(|i| i.current);
    if current
        && (tag.import_failed.is_some()
            || item.is_some_and(|i| {
                all_blocked(&i.pull_sources)
                    || !i.errors.is_empty()
                    || !i.policy.allowed
                    || i.verification.as_ref().is_some_and(|v| v.unservable())
            }))
    {
        return Tone::Broken;
    }
    // Yellow: what needs a look but does not stop a pull (a pending import, an Image missing
    // from an input that holds Images).
    let image_missing = item.is_some_and(|i| !gaps.no_images && !i.image.is_empty() && !i.image_found);
    if current && (tag.import_pending || image_missing) {
        return Tone::Pending;
    }
    Tone::Plain
}

/// The STATUS notes, the word that decides first (a cut cell keeps its start) and the most
/// important note first: what is broken, then what is missing, then what the tag is.
fn status(tag: &TagResolution, item: Option<&HistoryItem>, gaps: InputGaps, glyphs: fit::Glyphs) -> Vec<String> {
    let current = item.is_none_or(|i| i.current);
    let mut notes = Vec::new();
    if let Some(failure) = tag.import_failed.as_ref().filter(|_| current) {
        notes.push(if failure.reason.is_empty() { "failed".to_owned() } else { format!("failed: {}", failure.reason) });
    }
    if let Some(verification) = item.and_then(|i| i.verification.as_ref()) {
        notes.push(match &verification.served_by {
            None if verification.sources.iter().any(|s| s.signature_missing()) => "signature missing".to_owned(),
            None => "unservable".to_owned(),
            Some(source) if verification.sources.first().is_some_and(|s| &s.reference != source) => {
                "verified (fallback)".to_owned()
            }
            Some(_) => "verified".to_owned(),
        });
    }
    if let Some(item) = item {
        if all_blocked(&item.pull_sources) {
            notes.push("blocked".into());
        }
        if !item.errors.is_empty() {
            notes.push("invalid rewrite".into());
        }
        if !item.policy.allowed {
            notes.push("rejected".into());
        }
    }
    if tag.import_pending && current {
        notes.push("pending import".into());
    }
    if let Some(item) = item {
        if item.hops_disagree.iter().any(|d| d.kind.matters()) {
            notes.push("hops differ".into());
        }
        if !gaps.no_images && !item.image.is_empty() && !item.image_found {
            notes.push("Image missing".into());
        }
        if !gaps.no_mirror_rules && item.errors.is_empty() && !mirrored(item) {
            notes.push("no mirror".into());
        }
    }
    if current {
        notes.extend(what_the_tag_is(tag, glyphs));
    }
    if let Some(count) = item.and_then(|i| i.image_info.as_ref()).map(|i| i.manifests.len()).filter(|n| *n > 0) {
        notes.push(format!("manifest list ({count})"));
    }
    if item.and_then(|i| i.pull_sources.first()).is_some_and(|s| !s.signatures.is_empty()) {
        notes.push("signature required".into());
    }
    notes
}

/// Whether the image comes from a mirror: the pull-through's first source for a `Local` item,
/// the first source a node may contact otherwise.
fn mirrored(item: &HistoryItem) -> bool {
    match &item.pull_through {
        Some(through) => through.sources.first().is_some_and(|s| s.kind == SourceKind::Mirror),
        None => item.pull_sources.iter().find(|s| !s.blocked).is_none_or(|s| s.kind == SourceKind::Mirror),
    }
}

/// What the tag is: an alias, a reference, a tracker of another tag, or pushed.
fn what_the_tag_is(tag: &TagResolution, glyphs: fit::Glyphs) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(target) = &tag.alias_of {
        notes.push(format!("alias {} {target}", glyphs.to));
    }
    match &tag.spec {
        Some(spec) => {
            if spec.reference {
                notes.push("reference".into());
            }
            if let Some(from) = spec.from.as_ref().filter(|f| f.kind == "ImageStreamTag" && tag.alias_of.is_none()) {
                let ns = from.namespace.as_deref().map(|n| format!("{n}/")).unwrap_or_default();
                notes.push(format!("tracks {ns}{}", from.name));
            }
        }
        None => notes.push("no spec tag".into()),
    }
    notes
}

/// The first `n` hex digits of a sha256 digest (other algorithms keep their name): isctl's own
/// shortening, used only for people.
pub(crate) fn short_digest(digest: &str, n: usize) -> String {
    // By characters: a digest read from a file may hold anything.
    match digest.split_once(':') {
        Some(("sha256", hex)) if hex.chars().count() > n => hex.chars().take(n).collect(),
        Some((algorithm, hex)) if hex.chars().count() > n => {
            format!("{algorithm}:{}", hex.chars().take(n).collect::<String>())
        }
        _ => digest.to_owned(),
    }
}

fn all_sources(sources: &[PullSource]) -> String {
    sources
        .iter()
        .map(|s| {
            let flags = flags(s);
            if flags.is_empty() { s.reference.clone() } else { format!("{} [{flags}]", s.reference) }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How findings are worded.
#[derive(Clone, Copy, Debug, Default)]
pub struct FindingOptions {
    /// Name every tag concerned, not the first three.
    pub verbose: bool,
    /// For a person at a terminal: 12-hex digests, repositories without digests, a registry's
    /// message to its first line and without its timestamp. Scripts and `-v` get every word.
    pub brief: bool,
    /// What the input lacks (no "Image missing" lines when it holds no Images at all: one
    /// warning says that already).
    pub gaps: InputGaps,
}

/// One line for stderr after the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// A `warning:` (something is wrong or unknown) rather than a `note:`.
    pub warning: bool,
    /// The line, without its prefix.
    pub text: String,
}

/// What must stand out after the table: each situation once, with how many tags it concerns and
/// the first few (`verbose` names every one). Worded the same whatever the source.
pub fn findings(resolutions: &[StreamResolution], options: FindingOptions) -> Vec<Finding> {
    let mut gathered = Gathered::default();
    for stream in resolutions {
        for tag in &stream.tags {
            gathered.tag(&format!("{}/{}:{}", stream.metadata.namespace, stream.metadata.name, tag.name), tag, options);
        }
    }
    gathered.lines(options)
}

/// What the findings say, gathered tag by tag before it is worded.
#[derive(Default)]
struct Gathered {
    /// Situations (in the order they are told) and the tags in each.
    groups: BTreeMap<(u8, String), Vec<String>>,
    /// Failed imports by reason (registries name the image in their messages, so messages
    /// differ): the tag, and its own line.
    failed: BTreeMap<String, Vec<(String, String)>>,
    /// Missing Images and the tags whose history holds each.
    missing: BTreeMap<String, Vec<String>>,
    pending: Vec<String>,
    unmirrored: Vec<String>,
}

impl Gathered {
    fn tag(&mut self, name: &str, tag: &TagResolution, options: FindingOptions) {
        let reference = |r: &str| if options.brief { repository(r).to_owned() } else { r.to_owned() };
        if let Some(failure) = &tag.import_failed {
            let when = match (&failure.last_transition_time, options.brief) {
                (Some(t), false) => format!(" at {t}"),
                _ => String::new(),
            };
            let message = failure.message.lines().next().unwrap_or_default();
            let line = format!("{name}: import failed{}{when}: {message}", reason_words(&failure.reason));
            self.failed.entry(failure.reason.clone()).or_default().push((name.to_owned(), line));
        }
        if tag.import_pending {
            self.pending.push(name.to_owned());
        }
        for item in tag.history.iter().filter(|i| !options.gaps.no_images && !i.image.is_empty() && !i.image_found) {
            self.missing.entry(item.image.clone()).or_default().push(name.to_owned());
        }
        let Some(current) = tag.history.first() else { return };
        let mut add = |order: u8, what: String| self.groups.entry((order, what)).or_default().push(name.to_owned());
        if all_blocked(&current.pull_sources) {
            add(1, "every pull source of the current image is blocked".into());
        }
        if let Some(verification) = current.verification.as_ref().filter(|v| v.unservable()) {
            let why = if options.brief { verification.answers() } else { verification.reasons() };
            add(0, format!("no source a node contacts serves the current image ({why})"));
        }
        for error in &current.errors {
            add(2, error.clone());
        }
        if !current.policy.allowed {
            let reason = current.policy.reason.as_deref().unwrap_or("not allowed");
            add(3, format!("policy.json rejects the current image: {reason}"));
        }
        for kind in [HopDifferenceKind::NodeMirrorSkipped, HopDifferenceKind::BlockedSourceContacted] {
            let sources: Vec<String> =
                current.hops_disagree.iter().filter(|d| d.kind == kind).map(|d| reference(&d.reference)).collect();
            if !sources.is_empty() {
                // For a person, alike tags in one line whatever the sources (-v names them).
                let named = if options.brief { "sources".to_owned() } else { sources.join(", ") };
                add(4, hop_words(kind, &named));
            }
        }
        if !options.gaps.no_mirror_rules && current.errors.is_empty() && !mirrored(current) {
            self.unmirrored.push(name.to_owned());
        }
    }

    fn lines(self, options: FindingOptions) -> Vec<Finding> {
        let warning = |text: String| Finding { warning: true, text };
        let note = |text: String| Finding { warning: false, text };
        let mut out = Vec::new();
        for (reason, tags) in self.failed {
            if tags.len() == 1 || options.verbose {
                out.extend(tags.into_iter().map(|(_, line)| warning(line)));
            } else {
                let names: Vec<&str> = tags.iter().map(|(name, _)| name.as_str()).collect();
                let more = if names.len() > 3 { ", ..." } else { "" };
                out.push(warning(format!(
                    "{} tags failed to import{}: {}{more} (-v shows every message)",
                    names.len(),
                    reason_words(&reason),
                    names[..names.len().min(3)].join(", ")
                )));
            }
        }
        for ((_, what), who) in self.groups {
            out.push(warning(match who.as_slice() {
                [one] => format!("{one}: {what}"),
                _ if options.verbose || who.len() <= 3 => format!("{} tags: {what} ({})", who.len(), who.join(", ")),
                _ => format!("{} tags: {what} ({}, ...; -v names them all)", who.len(), who[..3].join(", ")),
            }));
        }
        // Missing Images: one line per digest, however many tags hold it.
        let digest = |d: &str| if options.brief { format!("sha256:{}", short_digest(d, 12)) } else { d.to_owned() };
        if let [(image, tags)] = self.missing.iter().collect::<Vec<_>>().as_slice() {
            out.push(warning(format!("{}: Image {} is not in the input", tags.join(", "), digest(image))));
        } else if !self.missing.is_empty() {
            let missing: Vec<String> =
                self.missing.iter().map(|(d, tags)| format!("{} ({})", digest(d), tags.join(", "))).collect();
            out.push(warning(grouped(&missing, " history images", "are not in the input", options.verbose)));
        }
        if !self.pending.is_empty() {
            let what = "wait for an import (the spec is newer than the last one)";
            out.push(note(grouped(&self.pending, " tags", what, options.verbose)));
        }
        match self.unmirrored.as_slice() {
            [] => {}
            [one] => out.push(note(format!("{one}: no mirror rule for its image (pulled from the source)"))),
            many => {
                let what = "have no mirror rule for their image (pulled from the source)";
                out.push(note(grouped(many, " tags", what, options.verbose)));
            }
        }
        out
    }
}

/// ` (Reason)`, or nothing when the condition gave no reason.
fn reason_words(reason: &str) -> String {
    if reason.is_empty() { String::new() } else { format!(" ({reason})") }
}

/// `who: what` for one, `N<unit> what: a, b, c` for a few, the first three and a pointer to
/// `-v` for more.
fn grouped(who: &[String], unit: &str, what: &str, verbose: bool) -> String {
    match who.len() {
        1 => format!("{}: {what}", who[0]),
        n if verbose || n <= 3 => format!("{n}{unit} {what}: {}", who.join(", ")),
        n => format!("{n}{unit} {what}: {}, ... (-v names them all)", who[..3].join(", ")),
    }
}

/// One sentence for a difference between the hops that can change where an image comes from.
pub(crate) fn hop_words(kind: HopDifferenceKind, sources: &str) -> String {
    match kind {
        HopDifferenceKind::NodeMirrorSkipped => format!("the pull-through skips {sources} that nodes would use"),
        HopDifferenceKind::BlockedSourceContacted => {
            format!("the pull-through contacts {sources} that nodes never contact")
        }
        HopDifferenceKind::ExtraPullThroughMirror => format!("the pull-through also tries {sources}; nodes do not"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_drop_tags_and_digests_but_not_ports() {
        assert_eq!(
            repository("mirror.example.com:8443/ocp4/openshift4@sha256:45f0"),
            "mirror.example.com:8443/ocp4/openshift4"
        );
        assert_eq!(repository("quay.io/x/app:v1"), "quay.io/x/app");
        assert_eq!(repository("localhost:5000/app"), "localhost:5000/app");
        assert_eq!(
            short_digest("sha256:45f06f4f16b234a6daa41a43404678ebe23c9e49e5dd23c54c6bd8d867e36642", 12),
            "45f06f4f16b2"
        );
        assert_eq!(short_digest("sha256:a€€€€€€€€€€€€€", 12), "a€€€€€€€€€€€");
    }

    #[test]
    fn groups_name_three_and_point_at_verbose() {
        let who: Vec<String> = (1..=5).map(|i| format!("n/s:{i}")).collect();
        assert_eq!(grouped(&who[..1], " tags", "is odd", false), "n/s:1: is odd");
        assert_eq!(grouped(&who[..2], " tags", "are odd", false), "2 tags are odd: n/s:1, n/s:2");
        assert_eq!(
            grouped(&who, " tags", "are odd", false),
            "5 tags are odd: n/s:1, n/s:2, n/s:3, ... (-v names them all)"
        );
        assert!(grouped(&who, " tags", "are odd", true).ends_with("n/s:5"));
    }
}
