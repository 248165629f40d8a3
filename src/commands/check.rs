//! `isctl check`: resolve, then evaluate the rules; the exit status says whether anything at or
//! above `--fail-on` was found (docs/check.md).

use anyhow::Context as _;

use super::Ctx;
use crate::check::{self, CheckOptions};
use crate::error::{CommandError, CommandResult, ExitStatus};
use crate::render::check_report::{self, CheckReport, Summary};
use crate::render::{self, OutputFormat};
use crate::resolve::InputGaps;
use crate::settings::{CheckSettings, ScopeRequest};
use crate::source::files::{NamedFile, read_named_text};

/// Runs `check`.
pub(crate) fn run(settings: &CheckSettings, ctx: &mut Ctx) -> CommandResult {
    let baseline = match &settings.baseline {
        Some(path) => Some(read_baseline(path, ctx.settings.file_limit)?),
        None => None,
    };
    // With --proposed, --without shapes the proposed state only (as for diff).
    let without = ctx.settings.without.clone();
    let current_without = if settings.proposed.is_empty() { &without[..] } else { &[] };
    let super::ResolvedStreams { scope, catalog, resolver, mut resolutions, missing } =
        super::resolve_streams_from(ctx, None, &settings.scope, &settings.selections, current_without)?;
    if resolutions.is_empty() && missing.is_empty() {
        // Checking nothing must not pass a CI job by accident.
        let place = match &settings.scope {
            ScopeRequest::All => "any namespace".to_owned(),
            ScopeRequest::Namespace(ns) => format!("namespace {ns:?}"),
            ScopeRequest::Default => format!("namespace {:?} (pass -n NAMESPACE or -A)", ctx.default_namespace),
        };
        return Err(CommandError::from(anyhow::anyhow!("no image streams to check in {place}")));
    }
    if !missing.is_empty() {
        // Every name that is not there, as kubectl reports them; nothing is checked.
        super::report_missing(ctx, &catalog, &missing);
        return Ok(ExitStatus::Failure);
    }
    let partial_streams = settings
        .selections
        .iter()
        .filter(|s| s.tag.is_some())
        .map(|s| format!("{}/{}", scope.namespace().unwrap_or_default(), s.stream))
        .collect();
    let options = CheckOptions {
        require_mirror: settings.require_mirror,
        max_age: settings
            .max_age
            .map(|age| (jiff::SignedDuration::try_from(age).unwrap_or(jiff::SignedDuration::MAX), ctx.settings.now)),
        baseline,
        disabled: settings.disabled.clone(),
        partial_streams,
        namespace: scope.namespace().map(str::to_owned),
    };
    let mut findings = check::check(&resolutions, &resolver, &InputGaps::of(&catalog), &options);
    if let Some(verify) = &settings.verify {
        super::verify::verify_current_items(ctx, verify, &mut resolutions)?;
        findings.extend(check::verification_findings(&resolutions, &settings.disabled));
        findings.sort();
    }
    if !settings.proposed.is_empty() {
        let proposed = super::diff::proposed_state(ctx, &catalog, &settings.proposed, false, &without)?;
        let asked = crate::what_if::stream_references(&resolutions, false);
        let diff = crate::what_if::diff_plans(&resolver, &super::diff::resolver(&proposed), &asked);
        findings.extend(check::proposal_findings(&diff, &settings.disabled));
        findings.sort();
    }
    let failing = findings.iter().any(|f| f.severity >= settings.fail_on);
    if let Some(path) = &settings.junit {
        std::fs::write(path, check_report::junit(&findings, settings.fail_on))
            .with_context(|| format!("writing the JUnit report {}", path.display()))?;
    }
    let text = report_text(settings, ctx, &findings, failing)?;
    ctx.printer.data(&text)?;
    Ok(if failing { ExitStatus::Findings } else { ExitStatus::Success })
}

/// The streams of a saved `isctl resolve -o yaml|json`, read within `--max-file-size`.
fn read_baseline(path: &std::path::Path, limit: u64) -> Result<Vec<check::BaselineStream>, CommandError> {
    let text = read_named_text(path, limit, NamedFile::MayBePipe).context("reading the baseline")?;
    let streams = check::parse_baseline(&text)
        .map_err(|e| anyhow::anyhow!("{}: not a saved isctl resolve -o yaml|json: {e}", path.display()))?;
    Ok(streams)
}

/// The report in the output asked for: the table, or a `CheckReport` document (docs/check.md).
fn report_text(
    settings: &CheckSettings,
    ctx: &mut Ctx,
    findings: &[check::Finding],
    failing: bool,
) -> Result<String, CommandError> {
    let output = OutputFormat::from(settings.output);
    if !output.is_document() {
        // For a person at a terminal, lines that fit it.
        let width = ctx.settings.terminal.width;
        let (table, cut) =
            check_report::table(findings, settings.fail_on, settings.no_headers, width, ctx.settings.terminal.glyphs);
        if cut {
            ctx.printer.note("reasons are cut to the width; -o yaml prints them whole");
        }
        return Ok(table);
    }
    let report = CheckReport {
        api_version: "isctl/v1alpha1",
        kind: "CheckReport",
        fail_on: settings.fail_on,
        passed: !failing,
        summary: Summary::of(findings),
        findings,
    };
    Ok(match &settings.template {
        Some(template) => render::templated_document(vec![report], false, template, settings.no_headers)?,
        None => render::document(vec![report], output == OutputFormat::Yaml, false),
    })
}
