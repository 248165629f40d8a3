//! `isctl check`: resolve, then evaluate the rules; the exit code says whether anything at or
//! above `--fail-on` was found (docs/check.md).

use std::process::ExitCode;

use anyhow::{Context, Result};

use super::Ctx;
use crate::check::{self, CheckOptions, RULES};
use crate::cli::CheckArgs;
use crate::render::check_report::{self, CheckReport, Summary};
use crate::render::{self, OutputFormat};
use crate::resolve::InputGaps;
use crate::settings::SettingsError;

/// Exit code when findings reach `--fail-on`.
pub const FINDINGS_EXIT: u8 = 3;

/// Runs `check`.
pub fn run(args: &CheckArgs, ctx: &mut Ctx) -> Result<ExitCode> {
    for rule in &args.disable {
        if !RULES.iter().any(|(id, _, _)| id == rule) {
            let known: Vec<&str> = RULES.iter().map(|(id, _, _)| *id).collect();
            return Err(SettingsError::Usage(format!(
                "unknown rule {rule:?} for --disable; rules: {}",
                known.join(", ")
            ))
            .into());
        }
    }
    let max_age = match &args.max_age {
        Some(text) => Some((
            check::parse_max_age(text).ok_or_else(|| {
                SettingsError::Usage(format!("invalid --max-age {text:?}: expected e.g. 36h, 30d or 2w"))
            })?,
            ctx.settings.now,
        )),
        None => None,
    };
    let baseline = match &args.baseline {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading the baseline {}", path.display()))?;
            Some(
                check::parse_baseline(&text)
                    .map_err(|e| anyhow::anyhow!("{}: not a saved isctl resolve -o yaml|json: {e}", path.display()))?,
            )
        }
        None => None,
    };
    let super::ResolvedStreams { scope, catalog, resolver, resolutions, missing } =
        super::resolve_streams(ctx, &args.scope, &args.streams)?;
    let partial_streams = args
        .streams
        .iter()
        .filter_map(|s| s.split_once(':'))
        .map(|(name, _)| format!("{}/{name}", scope.namespace().unwrap_or_default()))
        .collect();
    if resolutions.is_empty() && missing.is_empty() {
        // Checking nothing must not pass a CI job by accident.
        let place = match args.scope.namespace.as_deref() {
            _ if args.scope.all_namespaces => "any namespace".to_owned(),
            Some(ns) => format!("namespace {ns:?}"),
            None => format!("namespace {:?} (pass -n NAMESPACE or -A)", ctx.default_namespace),
        };
        anyhow::bail!("no image streams to check in {place}");
    }
    if let Some(gap) = missing.first() {
        return Err(
            crate::source::SourceError::Api { code: 404, reason: "NotFound".into(), message: gap.message() }.into()
        );
    }
    let options = CheckOptions {
        require_mirror: args.require_mirror,
        max_age,
        baseline,
        disabled: args.disable.clone(),
        partial_streams,
    };
    let findings = check::check(&resolutions, &resolver, &InputGaps::of(&catalog), &options);
    let failing = findings.iter().any(|f| f.severity >= args.fail_on);
    if let Some(path) = &args.junit {
        std::fs::write(path, check_report::junit(&findings, args.fail_on))
            .with_context(|| format!("writing the JUnit report {}", path.display()))?;
    }
    let output = OutputFormat::from(args.output);
    let text = match output {
        OutputFormat::Yaml | OutputFormat::Json => {
            let report = CheckReport {
                api_version: "isctl/v1alpha1",
                kind: "CheckReport",
                fail_on: args.fail_on,
                passed: !failing,
                summary: Summary::of(&findings),
                findings: &findings,
            };
            render::document(vec![report], output == OutputFormat::Yaml, false)
        }
        _ => check_report::table(&findings, args.fail_on, args.no_headers),
    };
    ctx.printer.data(&text)?;
    Ok(if failing { ExitCode::from(FINDINGS_EXIT) } else { ExitCode::SUCCESS })
}
