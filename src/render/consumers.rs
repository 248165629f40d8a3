//! `isctl consumers` for people: per tag, one table of what follows or runs it and whether it
//! has the current image; then who may pull the stream. Fitted to the terminal.

use super::fit::{self, Column, Cut, Glyphs, Shrink, layout};
use crate::consumers::{Consumers, ImageUsers, Role, Use};
use crate::pull_access::PullAccess;

/// A digest's first 12 hex digits, as the IMAGE column of `resolve` shows it.
fn short_digest(digest: &str) -> &str {
    let hex = digest.split_once(':').map_or(digest, |(_, hex)| hex);
    hex.get(..12).unwrap_or(hex)
}

/// `deploymentconfig/tools`, as kubectl names objects in short.
fn object_name(found: &Use) -> String {
    format!("{}/{}", found.kind.to_ascii_lowercase(), found.name)
}

/// How the object uses the image, in a few words.
fn role_words(found: &Use) -> String {
    let paused = found.held.as_deref().is_some_and(|why| why.contains("paused"));
    let role = match (found.role, found.automatic) {
        (Role::Trigger, Some(false)) if found.held.as_deref().is_some_and(|h| h.starts_with("rejected")) => {
            "trigger (rejected)"
        }
        (Role::Trigger, Some(false)) if found.held.as_deref().is_some_and(|h| h.starts_with("ignored")) => {
            "trigger (ignored)"
        }
        (Role::Trigger, Some(false)) if paused => "trigger (paused)",
        (Role::Trigger, Some(false)) => "trigger (manual)",
        (Role::Trigger, Some(true)) if found.held.is_some() => "trigger (rollouts paused)",
        (Role::Trigger, _) => "trigger",
        (Role::BuildInput, _) => "build input",
        (Role::Runs, _) => "runs",
        // For a tag, listed only when the input holds none of its Pods.
        (Role::Template, _) if found.standing.is_some() => "template, no Pods",
        (Role::Template, _) => "template",
    };
    match &found.via_tag {
        Some(tag) => format!("{role}: {}, by tag {tag}", found.target),
        None => format!("{role}: {}", found.target),
    }
}

/// What the use has: its standing against the tag, or the image itself.
fn has_words(found: &Use) -> String {
    match (found.role, found.standing) {
        (Role::BuildInput, _) => "next build".to_owned(),
        (_, Some(standing)) => standing.words(),
        (_, None) => found.digest.clone().unwrap_or_else(|| found.image.clone()),
    }
}

fn uses_table(uses: &[&Use], limit: Option<usize>, no_headers: bool, has: bool, glyphs: Glyphs) -> Vec<String> {
    let shorten = |soft, min, stage, cut| Shrink::Shorten { soft, min, stage, cut };
    let mut columns = vec![
        Column { header: "NAMESPACE".into(), shrink: shorten(20, 9, 0, Cut::Middle) },
        Column { header: "USED BY".into(), shrink: shorten(36, 16, 1, Cut::Middle) },
        Column { header: "AS".into(), shrink: shorten(36, 16, 0, Cut::End) },
    ];
    if has {
        columns.push(Column { header: "HAS".into(), shrink: Shrink::Never });
    }
    let rows: Vec<Vec<String>> = uses
        .iter()
        .map(|u| {
            let mut row = vec![u.namespace.clone(), object_name(u), role_words(u)];
            if has {
                row.push(has_words(u));
            }
            row
        })
        .collect();
    layout(&columns, &rows, limit, no_headers, glyphs)
}

/// The `consumers STREAM[:TAG]` tables.
pub(crate) fn consumers_table(answer: &Consumers, limit: Option<usize>, no_headers: bool, glyphs: Glyphs) -> String {
    let mut out = String::new();
    for (i, tag) in answer.tags.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let current = match &tag.current {
            Some(digest) => format!("is {}", short_digest(digest)),
            None => "has no image".to_owned(),
        };
        let history = match tag.history.len() {
            0 | 1 => String::new(),
            n => format!(" ({n} images in history)"),
        };
        out.push_str(&format!("{} {current}{history}\n", tag.tag));
        let uses: Vec<&Use> = tag.triggers.iter().chain(&tag.running).collect();
        if uses.is_empty() {
            out.push_str("  no trigger follows it and no Pod of the input runs it\n");
            continue;
        }
        for line in uses_table(&uses, limit, no_headers, true, glyphs) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push('\n');
    out.push_str(&access_text(&answer.pull_access, limit, no_headers, glyphs));
    out
}

/// Who may pull: the lookup and reference policies in one line, then the subjects.
pub(crate) fn access_text(access: &PullAccess, limit: Option<usize>, no_headers: bool, glyphs: Glyphs) -> String {
    let mut out = format!("Pull access to {}\n", access.stream);
    out.push_str(match access.lookup_local {
        true => "  lookupPolicy.local: true (Pods of its namespace may name its tags as stream:tag)\n",
        false => "  lookupPolicy.local: false\n",
    });
    if !access.local_reference_tags.is_empty() {
        out.push_str(&format!(
            "  referencePolicy Local: {} (pulled through the integrated registry)\n",
            access.local_reference_tags.join(", ")
        ));
    }
    if access.grants.iter().all(|g| g.binding.is_none()) {
        out.push_str(match access.bindings_read {
            true => "  no binding of the input grants get on imagestreams/layers\n",
            false => "  the input holds no RoleBindings or ClusterRoleBindings\n",
        });
    }
    let shorten = |soft, min, stage, cut| Shrink::Shorten { soft, min, stage, cut };
    let columns = [
        Column { header: "SUBJECT".into(), shrink: shorten(44, 16, 1, Cut::Middle) },
        Column { header: "ROLE".into(), shrink: shorten(36, 14, 1, Cut::Middle) },
        Column { header: "BINDING".into(), shrink: shorten(36, 16, 0, Cut::End) },
    ];
    let rows: Vec<Vec<String>> = access
        .grants
        .iter()
        .map(|g| {
            // ClusterRoles are the rule; a namespaced Role says so.
            let role = g.role.strip_prefix("ClusterRole/").map_or_else(|| g.role.clone(), str::to_owned);
            let role = match g.known_from {
                "built-in" => format!("{role} (built-in)"),
                _ => role,
            };
            // A RoleBinding of the stream's namespace, or a ClusterRoleBinding for every one.
            let binding = match g.binding.as_deref().map(|b| b.split_once('/').unwrap_or(("", b))) {
                Some(("ClusterRoleBinding", name)) => format!("{name} (cluster)"),
                Some((_, name)) => name.to_owned(),
                None => "none needed".to_owned(),
            };
            vec![format!("{} {}", g.subject_kind, g.subject), role, binding]
        })
        .collect();
    for line in layout(&columns, &rows, limit, no_headers, glyphs) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The `consumers --image` tables: the tags that hold the image, then what uses it.
pub(crate) fn image_table(answer: &ImageUsers, limit: Option<usize>, no_headers: bool, glyphs: Glyphs) -> String {
    let mut out = String::new();
    if !answer.tags.is_empty() {
        let columns = [
            Column { header: "TAG".into(), shrink: Shrink::Shorten { soft: 60, min: 16, stage: 0, cut: Cut::Name } },
            Column { header: "AT".into(), shrink: Shrink::Never },
        ];
        let rows: Vec<Vec<String>> = answer.tags.iter().map(|t| vec![t.tag.clone(), t.standing.words()]).collect();
        for line in layout(&columns, &rows, limit, no_headers, glyphs) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if !answer.uses.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        let uses: Vec<&Use> = answer.uses.iter().collect();
        for line in uses_table(&uses, limit, no_headers, false, glyphs) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The `Used By` and `Pull Access` sections `describe` ends a stream (or tag) with: one line
/// per use (the object, what it has, how it uses the tag), then one per subject allowed to
/// pull. Within `width`, a use's words wrap under their own column.
pub(crate) fn describe_section(answer: &Consumers, width: Option<usize>) -> String {
    let mut out = String::from("\nUsed By:\n");
    if !answer.workloads_read {
        out.push_str("  unknown: the input holds no Pods, workloads, DeploymentConfigs or BuildConfigs\n");
    }
    for tag in answer.tags.iter().filter(|_| answer.workloads_read) {
        let name = tag.tag.rsplit_once(':').map_or(tag.tag.as_str(), |(_, name)| name);
        let uses: Vec<&Use> = tag.triggers.iter().chain(&tag.running).collect();
        if uses.is_empty() {
            out.push_str(&format!("  {name}: nothing in the input\n"));
            continue;
        }
        out.push_str(&format!("  {name}\n"));
        let rows: Vec<Vec<String>> = uses
            .iter()
            .map(|u| vec![format!("{}/{}", u.namespace, object_name(u)), has_words(u), role_words(u)])
            .collect();
        let columns = ["", "", ""].map(|_| Column { header: String::new(), shrink: Shrink::Never });
        let lines = layout(&columns, &rows, None, true, Glyphs::UNICODE);
        for (line, row) in lines.iter().zip(&rows) {
            // The last cell as the layout printed it (escaped): the line ends with it.
            let last = fit::cell(&row[2]);
            let start = 4 + fit::width(line) - fit::width(&last);
            let room = width.map_or(usize::MAX, |w| w.saturating_sub(start));
            let mut words = fit::words_within(&last, room.max(16)).into_iter();
            let head = &line[..line.len() - last.len()];
            out.push_str(&format!("    {head}{}\n", words.next().unwrap_or_default()));
            for more in words {
                out.push_str(&format!("{}{more}\n", " ".repeat(start)));
            }
        }
    }
    let access = &answer.pull_access;
    out.push_str(&format!("Pull Access:      lookupPolicy.local={}\n", access.lookup_local));
    if access.grants.iter().all(|g| g.binding.is_none()) {
        out.push_str(match access.bindings_read {
            true => "  no binding of the input grants get on imagestreams/layers\n",
            false => "  unknown: the input holds no RoleBindings or ClusterRoleBindings\n",
        });
    }
    for grant in &access.grants {
        let built_in = if grant.known_from == "built-in" { ", built-in" } else { "" };
        let binding = grant.binding.as_deref().unwrap_or("no binding needed");
        out.push_str(&format!("  {} {}  {} ({binding}{built_in})\n", grant.subject_kind, grant.subject, grant.role));
    }
    for binding in &access.unknown_roles {
        out.push_str(&format!("  maybe more: {binding} names a role the input does not hold\n"));
    }
    out
}
