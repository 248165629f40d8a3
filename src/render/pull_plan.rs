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
/// already (each source's digest), then the FROM and answer cells give way from their end,
/// then the repository's host; every line fits.
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

/// The sources' table fitted to `width`: repositories without the digest the title names, FROM
/// and answers cut from their end, then hosts.
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
    let shrink = |soft, min, stage, cut| fit::Shrink::Shorten { soft, min, stage, cut };
    let columns: Vec<fit::Column> = header
        .iter()
        .map(|h| fit::Column {
            header: (*h).to_owned(),
            shrink: match *h {
                "PULL SOURCE" => shrink(48, 24, 2, fit::Cut::Reference),
                "FROM" => shrink(24, 12, 0, fit::Cut::End),
                "REGISTRY SAYS" => shrink(24, 12, 1, fit::Cut::End),
                _ => fit::Shrink::Never,
            },
        })
        .collect();
    fit::layout(&columns, &rows, Some(width), no_headers, glyphs).into_iter().map(|l| l + "\n").collect()
}

/// A source's answer in a table cell.
fn answer_cell(verdict: &SourceVerdict) -> String {
    match (&verdict.answer, &verdict.skipped) {
        (Some(answer), _) => answer.words(),
        (None, Some(why)) if why.starts_with("blocked") => "not asked (blocked)".to_owned(),
        _ => "not asked".to_owned(),
    }
}

/// The lines that must stand out under a plan: policy rejection, errors, conflicts.
pub(crate) fn notes(plan: &PullPlan) -> String {
    let mut out = String::new();
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
    fn a_plan_with_every_source_blocked_says_the_pull_fails() {
        let resolver = resolver(&RULES.replace("mirrors: [m.local/x]", "mirrors: [quay.io/x/mirror]"));
        let text = notes(&resolver.plan("quay.io/x/app:1"));
        assert!(text.contains("! every pull source is blocked: this pull fails"), "{text}");
    }
}
