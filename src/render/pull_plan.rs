//! Pull plans for people (a block per reference) and for scripts (`kind: PullPlan`).

use serde::Serialize;

use super::{fit, table};
use crate::mirror::plan::{PullPlan, PullSource, SourceKind, all_blocked};
use crate::verify::{SourceVerdict, Verification};

/// The versioned document of one plan, as `-o yaml|json` prints it (docs/pull-plan.md).
#[derive(Serialize)]
pub(crate) struct PullPlanDocument<'a> {
    /// With `--verify`: each source's answer and the source that serves it (docs/verify.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<&'a Verification>,
    /// `isctl/v1alpha1`.
    #[serde(rename = "apiVersion")]
    pub api_version: &'static str,
    /// `PullPlan`.
    pub kind: &'static str,
    /// The plan.
    #[serde(flatten)]
    pub plan: &'a PullPlan,
}

impl<'a> PullPlanDocument<'a> {
    /// Wraps a plan.
    pub(crate) fn new(plan: &'a PullPlan) -> PullPlanDocument<'a> {
        PullPlanDocument { api_version: "isctl/v1alpha1", kind: "PullPlan", plan, verification: None }
    }
}

/// Flags of a pull source for a table cell: `blocked`, `insecure`, or empty.
pub(crate) fn flags(source: &PullSource) -> String {
    let mut flags = Vec::new();
    if source.blocked {
        flags.push("blocked");
    }
    if source.insecure {
        flags.push("insecure");
    }
    flags.join(",")
}

/// One block per plan: a title line, the ordered sources, then policy, errors and conflicts.
/// With verifications (`--verify`, one per plan), each source shows the registry's answer and
/// the block says which source serves the image.
///
/// With a `width` (a person at a terminal) a table too wide for it loses what the title says
/// already (each source's digest), then FROM moves under each row, then each source gets a
/// line of its own with what is known of it under it; every line fits and no host is cut.
pub(crate) fn render_blocks(
    plans: &[PullPlan],
    no_headers: bool,
    verifications: Option<&[Verification]>,
    width: Option<usize>,
    glyphs: fit::Glyphs,
) -> String {
    let mut out = String::new();
    for (index, plan) in plans.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let pull = plan.pull_type.map_or("invalid".to_owned(), |p| format!("{p:?}").to_lowercase());
        let scope = plan.scope.as_deref().map_or("no mirror rule matches".to_owned(), |s| format!("scope {s}"));
        let title = format!("{} ({pull} pull, {scope})", fit::cell(&plan.reference));
        match width {
            Some(width) => fit::wrap(&title, width).into_iter().for_each(|l| out.push_str(&(l + "\n"))),
            None => out.push_str(&(title + "\n")),
        }
        let rows: Vec<Vec<String>> = plan
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut row = vec![
                    (i + 1).to_string(),
                    s.reference.clone(),
                    match s.kind {
                        SourceKind::Mirror => "mirror".into(),
                        SourceKind::Source => "source".into(),
                    },
                    flags(s),
                    s.from.iter().map(ToString::to_string).collect::<Vec<_>>().join(","),
                ];
                if let Some(verification) = verifications.and_then(|v| v.get(index)) {
                    row.push(verification.sources.get(i).map_or(String::new(), answer_cell));
                }
                row
            })
            .collect();
        let header: &[&str] = match verifications {
            Some(_) => &["#", "PULL SOURCE", "KIND", "FLAGS", "FROM", "REGISTRY SAYS"],
            None => &["#", "PULL SOURCE", "KIND", "FLAGS", "FROM"],
        };
        // As kubectl: no rows, no header.
        let whole = table::render((!no_headers && !rows.is_empty()).then_some(header), &rows);
        match width {
            Some(width) if whole.lines().any(|l| fit::width(l) > width) => {
                out.push_str(&fitted_sources(header, rows, no_headers, width, glyphs));
            }
            _ => out.push_str(&whole),
        }
        match width {
            Some(width) => {
                notes(plan).lines().flat_map(|l| fit::wrap(l, width)).for_each(|l| out.push_str(&(l + "\n")))
            }
            None => out.push_str(&notes(plan)),
        }
        if let Some(verification) = verifications.and_then(|v| v.get(index)) {
            out.push_str(&match &verification.served_by {
                Some(source) => format!("= a node gets it from {}\n", fit::cell(source)),
                None => "! no source a node contacts can serve it: this pull fails\n".to_owned(),
            });
        }
    }
    out
}

/// Where a source's FROM goes when the table is too wide: on its own line under the row.
const FROM_INDENT: &str = "      ";

/// The sources' table fitted to `width`: repositories without the digest the title names; when
/// that is not enough, FROM (the rule objects) on a line of its own under each row, wrapped
/// whole. Only what still does not fit is cut: answers from their end, then hosts.
fn fitted_sources(
    header: &[&str],
    mut rows: Vec<Vec<String>>,
    no_headers: bool,
    width: usize,
    glyphs: fit::Glyphs,
) -> String {
    if rows.is_empty() {
        return String::new();
    }
    for row in &mut rows {
        if let Some((repository, _)) = row[1].split_once('@') {
            row[1] = repository.to_owned();
        }
    }
    let columns = |header: &[&str]| -> Vec<fit::Column> {
        let shrink = |soft, min, stage, cut| fit::Shrink::Shorten { soft, min, stage, cut };
        header
            .iter()
            .map(|h| fit::Column {
                header: (*h).to_owned(),
                shrink: match *h {
                    "PULL SOURCE" => shrink(48, 24, 2, fit::Cut::Reference),
                    "REGISTRY SAYS" => shrink(24, 12, 1, fit::Cut::End),
                    _ => fit::Shrink::Never,
                },
            })
            .collect()
    };
    let without_digests = table::render((!no_headers).then_some(header), &rows);
    if without_digests.lines().all(|l| fit::width(l) <= width) {
        return without_digests;
    }
    let from = header.iter().position(|h| *h == "FROM").expect("the sources' table has FROM");
    let froms: Vec<String> = rows.iter_mut().map(|row| row.remove(from)).collect();
    let header: Vec<&str> = header.iter().copied().filter(|h| *h != "FROM").collect();
    let mut out = String::new();
    let mut line = |text: String| {
        fit::wrap(&text, width).into_iter().for_each(|l| out.push_str(&(l + "\n")));
    };
    let narrow = table::render((!no_headers).then_some(&header[..]), &rows);
    if narrow.lines().any(|l| fit::width(l) > width) {
        // Not even that fits: each source on a line of its own, wrapped at a `/`, never cut,
        // and what is known of it on the next.
        if !no_headers {
            line(format!("#   PULL SOURCE\n{FROM_INDENT}KIND, FLAGS, FROM"));
        }
        for (row, from) in rows.iter().zip(&froms) {
            line(format!("{:<3} {}", row[0], fit::cell(&row[1])));
            let mut known = vec![row[2].clone()];
            known.extend(row[3].split(',').filter(|f| !f.is_empty()).map(str::to_owned));
            known.extend((!from.is_empty()).then(|| format!("from {}", from.replace(',', ", "))));
            known.extend(row.get(4).map(|says| format!("registry says: {says}")));
            line(format!("{FROM_INDENT}{}", fit::cell(&known.join(", "))));
        }
        return out;
    }
    let mut lines = fit::layout(&columns(&header), &rows, Some(width), no_headers, glyphs).into_iter();
    if !no_headers {
        lines.next().into_iter().for_each(&mut line);
        line(format!("{FROM_INDENT}FROM"));
    }
    for (row, from) in lines.zip(froms) {
        line(row);
        if !from.is_empty() {
            line(format!("{FROM_INDENT}{}", fit::cell(&from.replace(',', ", "))));
        }
    }
    out
}

/// A source's answer in a table cell.
fn answer_cell(verdict: &SourceVerdict) -> String {
    if verdict.signature_missing() {
        return "present, signature missing".to_owned();
    }
    match (&verdict.answer, &verdict.skipped) {
        (Some(answer), _) => answer.words(),
        (None, Some(why)) if why.starts_with("blocked") => "not asked (blocked)".to_owned(),
        _ => "not asked".to_owned(),
    }
}

/// The lines that must stand out under a plan: the signatures required, policy rejection,
/// errors, conflicts.
pub(crate) fn notes(plan: &PullPlan) -> String {
    let mut out = String::new();
    // Every source carries the same requirements: the identity is the reference's.
    for required in plan.sources.first().map(|s| s.signatures.as_slice()).unwrap_or_default() {
        out.push_str(&format!(
            "* signature required by {} ({}), claiming {} ({}), for scope {}\n",
            fit::cell(&required.policy),
            fit::cell(&required.policy_type),
            fit::cell(&required.identity),
            fit::cell(&required.match_policy),
            fit::cell(&required.scope),
        ));
    }
    if !plan.policy.allowed && plan.pull_type.is_some() {
        out.push_str(&format!(
            "! rejected by policy.json: {}\n",
            fit::cell(plan.policy.reason.as_deref().unwrap_or("not allowed"))
        ));
    }
    if all_blocked(&plan.sources) {
        out.push_str("! every pull source is blocked: this pull fails\n");
    }
    for error in &plan.errors {
        out.push_str(&format!("! error: {}\n", fit::cell(error)));
    }
    for conflict in &plan.conflicts {
        let objects: Vec<String> = conflict.objects.iter().map(ToString::to_string).collect();
        out.push_str(&format!(
            "! conflict: {}: {} ({}); the operator would not render these rules: nodes keep their previous registries.conf, and the sources above are only what these rules would give\n",
            fit::cell(&conflict.source),
            fit::cell(&conflict.message),
            fit::cell(&objects.join(", "))
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::mirror::{RegistriesConfig, Resolver};

    fn resolver(text: &str) -> Resolver {
        Resolver::new(RegistriesConfig::from_catalog(&Catalog::from_yaml(text)))
    }

    const RULES: &str = "apiVersion: config.openshift.io/v1\nkind: ImageTagMirrorSet\nmetadata: {name: tags}\nspec:\n  imageTagMirrors:\n  - {source: quay.io/x, mirrors: [m.local/x], mirrorSourcePolicy: NeverContactSource}\n";

    #[test]
    fn blocks_list_sources_in_order_with_flags_and_findings() {
        let resolver = resolver(RULES);
        let plans = [resolver.plan("quay.io/x/app:1"), resolver.plan("Not A Reference")];
        assert_eq!(
            render_blocks(&plans, false, None, None, fit::Glyphs::UNICODE),
            "quay.io/x/app:1 (tag pull, scope quay.io/x)\n\
             #   PULL SOURCE       KIND     FLAGS     FROM\n\
             1   m.local/x/app:1   mirror             ImageTagMirrorSet/tags\n\
             2   quay.io/x/app:1   source   blocked   ImageTagMirrorSet/tags\n\
             \n\
             Not A Reference (invalid pull, no mirror rule matches)\n\
             ! error: invalid reference \"Not A Reference\": repository name must be lowercase\n"
        );
    }

    #[test]
    fn a_narrow_terminal_puts_the_rules_under_each_source_and_keeps_hosts_whole() {
        let long = "registry.disconnected-lab.corp.example.com:5000/mirrors/x";
        let resolver = resolver(&RULES.replace("[m.local/x]", &format!("[{long}]")));
        let plans = [resolver.plan("quay.io/x/app:1")];
        let shown = render_blocks(&plans, false, None, Some(80), fit::Glyphs::UNICODE);
        assert_eq!(
            shown,
            "quay.io/x/app:1 (tag pull, scope quay.io/x)\n\
             #   PULL SOURCE\n      KIND, FLAGS, FROM\n\
             1   registry.disconnected-lab.corp.example.com:5000/mirrors/x/app:1\n      mirror, from ImageTagMirrorSet/tags\n\
             2   quay.io/x/app:1\n      source, blocked, from ImageTagMirrorSet/tags\n"
        );
        // Where the rules alone make it too wide, they move under each source.
        let shown = render_blocks(&plans, false, None, Some(100), fit::Glyphs::UNICODE);
        assert!(shown.contains("   mirror\n      ImageTagMirrorSet/tags\n"), "{shown}");
    }

    #[test]
    fn a_plan_with_every_source_blocked_says_the_pull_fails() {
        let resolver = resolver(&RULES.replace("mirrors: [m.local/x]", "mirrors: [quay.io/x/mirror]"));
        let text = notes(&resolver.plan("quay.io/x/app:1"));
        assert!(text.contains("! every pull source is blocked: this pull fails"), "{text}");
    }
}
