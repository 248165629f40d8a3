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
use crate::mirror::plan::{PullSource, all_blocked};
use crate::model::meta::parse_time;
use crate::render::age::kube_age;
use crate::resolve::{HistoryItem, StreamResolution, TagResolution};

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
    /// Colour rows that need attention (ANSI), for a terminal.
    pub color: bool,
    /// Which history items to show.
    pub history: History,
}

/// A rendered table, and how many older history items it left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The lines, each ending with a newline.
    pub text: String,
    /// History items not shown.
    pub omitted: usize,
}

/// How a row should stand out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Tone {
    Plain,
    Pending,
    Broken,
}

/// Renders the table.
pub fn render(resolutions: &[StreamResolution], options: TableOptions) -> Table {
    let mut rows: Vec<(Vec<String>, Tone)> = Vec::new();
    let mut omitted = 0;
    for stream in resolutions {
        for tag in &stream.tags {
            let shown = match options.history {
                History::All => tag.history.len(),
                History::Newest(n) => n.min(tag.history.len()),
            };
            omitted += tag.history.len() - shown;
            if tag.history.is_empty() {
                rows.push((row(stream, tag, None, options), tone(tag, None)));
            }
            for item in &tag.history[..shown] {
                rows.push((row(stream, tag, Some(item), options), tone(tag, Some(item))));
            }
        }
    }
    let cells: Vec<Vec<String>> = rows.iter().map(|(cells, _)| cells.clone()).collect();
    let columns = columns(options, &cells);
    let lines = fit::layout(&columns, &cells, if options.wide { None } else { options.width }, options.no_headers);
    let header_lines = usize::from(!options.no_headers);
    let mut text = String::new();
    for (i, line) in lines.iter().enumerate() {
        let tone = i.checked_sub(header_lines).map_or(Tone::Plain, |r| rows[r].1);
        match (options.color, tone) {
            (true, Tone::Broken) => text.push_str(&format!("\u{1b}[31m{line}\u{1b}[0m\n")),
            (true, Tone::Pending) => text.push_str(&format!("\u{1b}[33m{line}\u{1b}[0m\n")),
            _ => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    Table { text, omitted }
}

/// The columns, and how each gives up width on a narrow terminal: notes first, then names and
/// where the image is pulled from, whose host stays whole as long as anything else can give.
fn columns(options: TableOptions, rows: &[Vec<String>]) -> Vec<Column> {
    let first = |soft, min| Shrink::Shorten { soft, min, stage: 0, cut: Cut::End };
    let mut columns = Vec::new();
    if options.namespaces {
        columns.push(Column { header: "NAMESPACE", shrink: first(16, 9) });
    }
    columns.extend([
        Column { header: "NAME", shrink: Shrink::Shorten { soft: 28, min: 12, stage: 1, cut: Cut::Name } },
        Column { header: "CUR", shrink: Shrink::Never },
    ]);
    if options.wide {
        columns.extend([
            Column { header: "GEN", shrink: Shrink::Never },
            Column { header: "CREATED", shrink: Shrink::Never },
        ]);
    }
    columns
        .extend([Column { header: "AGE", shrink: Shrink::Never }, Column { header: "IMAGE", shrink: Shrink::Never }]);
    if options.wide {
        columns.extend([
            Column { header: "IMAGE FROM", shrink: Shrink::Never },
            Column { header: "PULL SPEC", shrink: Shrink::Never },
            Column { header: "PULL SOURCES", shrink: Shrink::Never },
            Column { header: "PULL-THROUGH SOURCES", shrink: Shrink::Never },
        ]);
    } else {
        // The widest host (with the `registry ← ` of Local rows) and the `/…` after it.
        let column = usize::from(options.namespaces) + 4;
        let hosts = rows.iter().filter_map(|r| r.get(column)).map(|cell| {
            let start = cell.find("← ").map_or(0, |i| i + "← ".len());
            cell[start..].find('/').map_or(fit::width(cell), |slash| fit::width(&cell[..start + slash]) + 2)
        });
        let answer =
            Shrink::Shorten { soft: 48, min: hosts.max().unwrap_or(20).max(20), stage: 1, cut: Cut::Reference };
        columns.push(Column { header: "PULL FROM", shrink: answer });
    }
    columns.push(Column { header: "STATUS", shrink: first(24, 8) });
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
    let name = format!("{}:{}", stream.metadata.name, tag.name);
    row.push(if tag.aliases.is_empty() { name } else { format!("{name} ({})", tag.aliases.join(", ")) });
    let current = item.is_some_and(|i| i.current);
    row.push(if current { "*".into() } else { String::new() });
    let Some(item) = item else {
        let blank = if options.wide { 9 } else { 3 };
        row.extend(std::iter::repeat_n(String::new(), blank));
        row.push(status(tag, None).join(", "));
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
    } else {
        row.push(pull_from(item));
    }
    row.push(status(tag, Some(item)).join(", "));
    row
}

/// Where the image comes from, as a repository (the digest is on the row already). For a
/// `Local` item, both hops: `registry ← <first source of the registry's pull-through>`.
fn pull_from(item: &HistoryItem) -> String {
    if !item.errors.is_empty() {
        return "<invalid rewrite>".into();
    }
    let first = item.pull_sources.iter().find(|s| !s.blocked);
    let Some(first) = first else {
        return if item.pull_sources.is_empty() { "<none>".into() } else { "<all blocked>".into() };
    };
    match &item.pull_through {
        Some(through) => {
            let upstream = through.sources.first().map_or("<none>".to_owned(), |s| repository(&s.reference).to_owned());
            format!("registry ← {upstream}")
        }
        None => repository(&first.reference).to_owned(),
    }
}

/// A pull spec without its tag or digest.
fn repository(reference: &str) -> &str {
    let name = reference.split('@').next().unwrap_or(reference);
    match name.rfind(':') {
        Some(colon) if !name[colon..].contains('/') => &name[..colon],
        _ => name,
    }
}

fn tone(tag: &TagResolution, item: Option<&HistoryItem>) -> Tone {
    let current = item.is_none_or(|i| i.current);
    if current
        && (tag.import_failed.is_some() || item.is_some_and(|i| all_blocked(&i.pull_sources) || !i.errors.is_empty()))
    {
        return Tone::Broken;
    }
    if current && tag.import_pending {
        return Tone::Pending;
    }
    Tone::Plain
}

/// The STATUS notes: tag-level ones on the current row, item-level ones on every row.
fn status(tag: &TagResolution, item: Option<&HistoryItem>) -> Vec<String> {
    let mut notes = Vec::new();
    if item.is_none_or(|i| i.current) {
        notes.extend(tag_notes(tag));
    }
    if let Some(item) = item {
        notes.extend(item_notes(item));
    }
    notes
}

/// Tag-level notes, most important first (a cut cell keeps its start).
fn tag_notes(tag: &TagResolution) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(failure) = &tag.import_failed {
        notes.push(format!("import failed ({})", failure.reason));
    }
    if tag.import_pending {
        notes.push("import pending".into());
    }
    if let Some(target) = &tag.alias_of {
        notes.push(format!("alias of {target}"));
    }
    if let Some(spec) = &tag.spec {
        if spec.reference {
            notes.push("reference".into());
        }
        if spec.reference_policy == "Local" {
            notes.push("Local".into());
        }
        if let Some(from) = spec.from.as_ref().filter(|f| f.kind == "ImageStreamTag" && tag.alias_of.is_none()) {
            let ns = from.namespace.as_deref().map(|n| format!("{n}/")).unwrap_or_default();
            notes.push(format!("tracks {ns}{}", from.name));
        }
    } else {
        notes.push("no spec tag".into());
    }
    notes
}

fn item_notes(item: &HistoryItem) -> Vec<String> {
    let mut notes = Vec::new();
    if all_blocked(&item.pull_sources) {
        notes.push("all sources blocked".into());
    }
    if !item.errors.is_empty() {
        notes.push("invalid rewrite".into());
    }
    if !item.policy.allowed {
        notes.push("rejected by policy".into());
    }
    if !item.hops_disagree.is_empty() {
        notes.push("pull-through differs".into());
    }
    if let Some(info) = item.image_info.as_ref().filter(|i| !i.manifests.is_empty()) {
        let platforms: Vec<String> = info
            .manifests
            .iter()
            .map(|m| {
                let mut p = format!("{}/{}", m.os.as_deref().unwrap_or("?"), m.architecture.as_deref().unwrap_or("?"));
                if let Some(v) = &m.variant {
                    p.push('/');
                    p.push_str(v);
                }
                p
            })
            .collect();
        if info.manifests.iter().all(|m| m.os.is_none() && m.architecture.is_none()) {
            notes.push(format!("manifest list: {} manifests", info.manifests.len()));
        } else {
            notes.push(format!("manifest list: {}", platforms.join(" ")));
        }
    }
    notes
}

/// The first `n` hex digits of a sha256 digest (other algorithms keep their name): isctl's own
/// shortening, used only in tables.
fn short_digest(digest: &str, n: usize) -> String {
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

/// What must stand out after the table, for stderr: each situation once, with how many tags it
/// concerns and the first few; `verbose` names every one. Worded the same whatever the source.
/// Missing images are not listed when the input holds no images at all (`no_images`): one
/// warning says that already.
pub fn findings(resolutions: &[StreamResolution], no_images: bool, verbose: bool) -> Vec<String> {
    let mut groups: BTreeMap<(u8, String), Vec<String>> = BTreeMap::new();
    let mut add = |order: u8, what: String, who: String| groups.entry((order, what)).or_default().push(who);
    for stream in resolutions {
        for tag in &stream.tags {
            let name = format!("{}/{}:{}", stream.metadata.namespace, stream.metadata.name, tag.name);
            if let Some(failure) = &tag.import_failed {
                let when = failure.last_transition_time.as_deref().map(|t| format!(" at {t}")).unwrap_or_default();
                let message = failure.message.lines().next().unwrap_or_default();
                add(0, format!("import failed ({}){when}: {message}", failure.reason), name.clone());
            }
            let Some(current) = tag.history.first() else { continue };
            if all_blocked(&current.pull_sources) {
                add(1, "every pull source of the current image is blocked".into(), name.clone());
            }
            for error in &current.errors {
                add(2, error.clone(), name.clone());
            }
            if !current.policy.allowed {
                let reason = current.policy.reason.as_deref().unwrap_or("not allowed");
                add(3, format!("policy.json rejects the current image: {reason}"), name.clone());
            }
            for disagreement in &current.hops_disagree {
                add(4, disagreement.clone(), name.clone());
            }
            for item in tag.history.iter().filter(|i| !no_images && !i.image.is_empty() && !i.image_found) {
                add(5, "history images are not in the input".into(), format!("{} ({name})", item.image));
            }
        }
    }
    groups
        .into_iter()
        .map(|((order, what), who)| {
            let unit = if order == 5 { "" } else { " tags" };
            match (who.len(), verbose) {
                (1, _) if order == 5 => format!("Image {} is not in the input", who[0]),
                (1, _) => format!("{}: {what}", who[0]),
                (n, true) => format!("{n}{unit} {what}: {}", who.join(", ")),
                (n, false) if n <= 3 => format!("{n}{unit} {what}: {}", who.join(", ")),
                (n, false) => {
                    let first: Vec<&str> = who.iter().take(3).map(String::as_str).collect();
                    format!("{n}{unit} {what}: {}, ... (-v names them all)", first.join(", "))
                }
            }
        })
        .collect()
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
}
