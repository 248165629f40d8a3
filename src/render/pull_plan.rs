//! Pull plans for people (a block per reference) and for scripts (`kind: PullPlan`).

use serde::Serialize;

use super::table;
use crate::mirror::plan::{PullPlan, PullSource, SourceKind};

/// The versioned document of one plan, as `-o yaml|json` prints it (docs/pull-plan.md).
#[derive(Serialize)]
pub struct PullPlanDocument<'a> {
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
    pub fn new(plan: &'a PullPlan) -> PullPlanDocument<'a> {
        PullPlanDocument { api_version: "isctl/v1alpha1", kind: "PullPlan", plan }
    }
}

/// Flags of a pull source for a table cell: `blocked`, `insecure`, or empty.
pub fn flags(source: &PullSource) -> String {
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
pub fn render_blocks(plans: &[PullPlan], no_headers: bool) -> String {
    let mut out = String::new();
    for (index, plan) in plans.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let pull = plan.pull_type.map_or("invalid".to_owned(), |p| format!("{p:?}").to_lowercase());
        let scope = plan.scope.as_deref().map_or("no mirror rule matches".to_owned(), |s| format!("scope {s}"));
        out.push_str(&format!("{} ({pull} pull, {scope})\n", table::cell(&plan.reference)));
        let rows: Vec<Vec<String>> = plan
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    (i + 1).to_string(),
                    s.reference.clone(),
                    match s.kind {
                        SourceKind::Mirror => "mirror".into(),
                        SourceKind::Source => "source".into(),
                    },
                    flags(s),
                    s.from.iter().map(ToString::to_string).collect::<Vec<_>>().join(","),
                ]
            })
            .collect();
        let header: &[&str] = &["#", "PULL SOURCE", "KIND", "FLAGS", "FROM"];
        out.push_str(&table::render((!no_headers).then_some(header), &rows));
        out.push_str(&notes(plan));
    }
    out
}

/// The lines that must stand out under a plan: policy rejection, errors, conflicts.
pub fn notes(plan: &PullPlan) -> String {
    let mut out = String::new();
    if !plan.policy.allowed && plan.pull_type.is_some() {
        out.push_str(&format!(
            "! rejected by policy.json: {}\n",
            plan.policy.reason.as_deref().unwrap_or("not allowed")
        ));
    }
    if plan.sources.iter().all(|s| s.blocked) && !plan.sources.is_empty() {
        out.push_str("! every pull source is blocked: this pull fails\n");
    }
    for error in &plan.errors {
        out.push_str(&format!("! error: {}\n", table::cell(error)));
    }
    for conflict in &plan.conflicts {
        let objects: Vec<String> = conflict.objects.iter().map(ToString::to_string).collect();
        out.push_str(&format!(
            "! conflict: {}: {} ({}); the operator would not render these rules: nodes keep their previous registries.conf, and the sources above are only what these rules would give\n",
            conflict.source,
            conflict.message,
            objects.join(", ")
        ));
    }
    out
}
