//! `isctl resolve` for people: one row per history item, the current one marked, the first
//! reachable pull source and how many there are; failed imports and pull failures stand out.

use jiff::Timestamp;

use super::pull_plan::flags;
use super::table;
use crate::mirror::plan::PullSource;
use crate::model::meta::parse_time;
use crate::render::age::kube_age;
use crate::resolve::{HistoryItem, StreamResolution, TagResolution};

/// How to show times: absolute (deterministic), or as ages against an injected "now".
#[derive(Clone, Copy, Debug)]
pub enum TimeColumn {
    /// RFC 3339 as recorded.
    Absolute,
    /// Kubernetes-style age against this time.
    AgeAt(Timestamp),
}

/// Options of the table.
#[derive(Clone, Copy, Debug)]
pub struct TableOptions {
    /// Every pull source, the full digest and the pull spec.
    pub wide: bool,
    /// Leave out the header line.
    pub no_headers: bool,
    /// Add a NAMESPACE column.
    pub namespaces: bool,
    /// CREATED or AGE.
    pub time: TimeColumn,
}

/// Renders the table, then one `!` line per finding that must stand out.
pub fn render(resolutions: &[StreamResolution], options: TableOptions) -> String {
    let mut rows = Vec::new();
    let mut findings = Vec::new();
    for stream in resolutions {
        let stream_name = stream.metadata.name.clone();
        // Alias tags keep their own rows: their history and reference policy may differ from
        // the tag they follow.
        for tag in &stream.tags {
            let label = if tag.aliases.is_empty() {
                tag.name.clone()
            } else {
                format!("{} ({})", tag.name, tag.aliases.join(", "))
            };
            let status = tag_status(tag);
            let qualified = format!("{}/{}:{}", stream.metadata.namespace, stream.metadata.name, tag.name);
            if let Some(failure) = &tag.import_failed {
                findings.push(format!(
                    "! {qualified}: import failed ({}){}: {}",
                    failure.reason,
                    failure.last_transition_time.as_deref().map(|t| format!(" at {t}")).unwrap_or_default(),
                    table::cell(&failure.message)
                ));
            }
            if tag.history.is_empty() {
                let mut row = prefix(options, stream, &stream_name, &label);
                row.extend(["".into(), "".into(), "".into(), "<none>".into(), "".into(), "".into(), "".into()]);
                row.push(status.join(", "));
                if options.wide {
                    row.extend(["".into(), "".into()]);
                }
                rows.push(row);
                continue;
            }
            for item in &tag.history {
                let mut notes = if item.current { status.clone() } else { Vec::new() };
                notes.extend(item_notes(item));
                for error in &item.errors {
                    findings.push(format!("! {qualified}: {}", table::cell(error)));
                }
                if item.current && !item.pull_sources.is_empty() && item.pull_sources.iter().all(|s| s.blocked) {
                    findings.push(format!("! {qualified}: every pull source of the current image is blocked"));
                }
                let mut row = prefix(options, stream, &stream_name, &label);
                row.push(if item.current { "*".into() } else { String::new() });
                row.push(item.generation.map(|g| g.to_string()).unwrap_or_default());
                row.push(time_cell(item.created.as_deref(), options.time));
                row.push(if item.image.is_empty() {
                    "<none>".into()
                } else if options.wide {
                    item.image.clone()
                } else {
                    short_digest(&item.image)
                });
                row.push(match (item.image.is_empty(), item.image_from) {
                    (true, _) => String::new(),
                    (false, Some(from)) => from.to_owned(),
                    (false, None) => "<missing>".into(),
                });
                row.push(first_reachable(&item.pull_sources, !item.errors.is_empty()));
                row.push(item.pull_sources.len().to_string());
                row.push(notes.join(", "));
                if options.wide {
                    row.push(item.pull_spec.clone());
                    row.push(all_sources(&item.pull_sources));
                }
                rows.push(row);
            }
        }
    }
    let mut header: Vec<&str> = Vec::new();
    if options.namespaces {
        header.push("NAMESPACE");
    }
    header.extend(["STREAM", "TAG", "CUR", "GEN"]);
    header.push(match options.time {
        TimeColumn::Absolute => "CREATED",
        TimeColumn::AgeAt(_) => "AGE",
    });
    header.extend(["IMAGE", "IMAGE FROM", "PULL FROM", "SOURCES", "STATUS"]);
    if options.wide {
        header.extend(["PULL SPEC", "ALL PULL SOURCES"]);
    }
    let mut out = table::render((!options.no_headers).then_some(header.as_slice()), &rows);
    for finding in findings {
        out.push_str(&finding);
        out.push('\n');
    }
    out
}

fn prefix(options: TableOptions, stream: &StreamResolution, name: &str, label: &str) -> Vec<String> {
    let mut row = Vec::new();
    if options.namespaces {
        row.push(stream.metadata.namespace.clone());
    }
    row.push(name.to_owned());
    row.push(label.to_owned());
    row
}

/// Tag-level notes shown on the current row.
fn tag_status(tag: &TagResolution) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(target) = &tag.alias_of {
        notes.push(format!("alias of {target}"));
    }
    if let Some(failure) = &tag.import_failed {
        notes.push(format!("import failed ({})", failure.reason));
    }
    if tag.import_pending {
        notes.push("import pending".into());
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
    if let Some(info) = &item.image_info
        && !info.manifests.is_empty()
    {
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
    if !item.policy.allowed {
        notes.push("rejected by policy".into());
    }
    notes
}

fn time_cell(created: Option<&str>, time: TimeColumn) -> String {
    match time {
        TimeColumn::Absolute => created.unwrap_or_default().to_owned(),
        TimeColumn::AgeAt(now) => kube_age(parse_time(created), now),
    }
}

/// `sha256:` and the first 12 hex digits: isctl's own shortening, used only in tables.
fn short_digest(digest: &str) -> String {
    match digest.split_once(':') {
        // By characters: a digest read from a file may hold anything.
        Some((algorithm, hex)) if hex.chars().count() > 12 => {
            format!("{algorithm}:{}", hex.chars().take(12).collect::<String>())
        }
        _ => digest.to_owned(),
    }
}

fn first_reachable(sources: &[PullSource], failed: bool) -> String {
    if failed {
        return "<invalid rewrite>".into();
    }
    sources.iter().find(|s| !s.blocked).map_or_else(|| "<all blocked>".into(), |s| s.reference.clone())
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
