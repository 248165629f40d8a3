//! `isctl check` reports: a table for people, the versioned `CheckReport` document, and JUnit XML
//! for CI systems (one test case per finding).

use serde::Serialize;

use super::fit;
use crate::check::{Finding, Severity};

/// The `kind: CheckReport` document (docs/check.md).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CheckReport<'a> {
    /// `isctl/v1alpha1`.
    pub api_version: &'static str,
    /// `CheckReport`.
    pub kind: &'static str,
    /// The `--fail-on` threshold.
    pub fail_on: Severity,
    /// No finding at or above the threshold.
    pub passed: bool,
    /// Counts per severity.
    pub summary: Summary,
    /// The findings, by object then rule.
    pub findings: &'a [Finding],
}

/// Counts per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Summary {
    /// Errors.
    pub error: usize,
    /// Warnings.
    pub warning: usize,
    /// Infos.
    pub info: usize,
}

impl Summary {
    /// Counts findings.
    pub(crate) fn of(findings: &[Finding]) -> Summary {
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        Summary { error: count(Severity::Error), warning: count(Severity::Warning), info: count(Severity::Info) }
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// The table and a summary line. With a `width` (a person at a terminal) the lines fit it: when
/// a finding and its reason do not fit one line, the reason goes on a line of its own under the
/// finding (cut at the end only if it is longer than a whole line); the second value says
/// whether anything was cut.
pub(crate) fn table(
    findings: &[Finding],
    fail_on: Severity,
    no_headers: bool,
    width: Option<usize>,
    glyphs: fit::Glyphs,
) -> (String, bool) {
    let rows: Vec<Vec<String>> = findings
        .iter()
        .map(|f| {
            vec![
                severity_word(f.severity).to_owned(),
                f.rule.to_string(),
                f.object.clone(),
                f.item.clone().unwrap_or_default(),
                // A person reads 12 hex digits of a digest, as in every other table.
                if width.is_some() { short_digests(&fit::cell(&f.reason)) } else { fit::cell(&f.reason) },
            ]
        })
        .collect();
    let mut out = String::new();
    let mut cut = false;
    // Like kubectl, an empty table prints nothing, not even its header.
    if !rows.is_empty() {
        let column = |header: &str, shrink| fit::Column { header: header.to_owned(), shrink };
        let object = fit::Shrink::Shorten { soft: 40, min: 16, stage: 0, cut: fit::Cut::Name };
        let mut columns = vec![
            column("SEVERITY", fit::Shrink::Never),
            column("RULE", fit::Shrink::Never),
            column("OBJECT", object),
            column("ITEM", fit::Shrink::Never),
            column("REASON", fit::Shrink::Never),
        ];
        let whole = fit::layout(&columns, &rows, None, no_headers, glyphs);
        let limit = width.unwrap_or(usize::MAX);
        let lines = if whole.iter().all(|line| fit::width(line) <= limit) {
            whole
        } else if fit::layout(&columns[..4], &rows, None, no_headers, glyphs).iter().any(|l| fit::width(l) > limit) {
            // Objects too long to share a line with their findings: a line per object.
            let (lines, reasons_cut) = by_object(&rows, limit, no_headers, glyphs);
            cut = reasons_cut;
            lines
        } else {
            // Stacked: the reason under its finding.
            columns.pop();
            let mut lines = fit::layout(&columns, &rows, width, no_headers, glyphs).into_iter();
            let mut stacked = Vec::new();
            if !no_headers {
                stacked.extend(lines.next());
                stacked.push("  REASON".to_owned());
            }
            for (line, row) in lines.zip(&rows) {
                stacked.push(line);
                let reason = fit::end(&row[4], limit.saturating_sub(2), glyphs);
                cut |= reason != row[4];
                stacked.push(format!("  {reason}"));
            }
            stacked
        };
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
    let summary = Summary::of(findings);
    let failing = findings.iter().any(|f| f.severity >= fail_on);
    out.push_str(&format!(
        "{}, {}, {} info: {} (--fail-on {})\n",
        super::plural(summary.error, "error"),
        super::plural(summary.warning, "warning"),
        summary.info,
        if failing { "FAIL" } else { "pass" },
        severity_word(fail_on)
    ));
    (out, cut)
}

/// Findings under their object, for objects too long to share a line: the object on a line of
/// its own (`namespace/stream` for a tag, wrapped if longer than a line), each finding under it
/// indented by two (the tag, severity, rule and item), its reason under it indented by four,
/// cut at the width. Returns the lines and whether a reason was cut.
fn by_object(rows: &[Vec<String>], limit: usize, no_headers: bool, glyphs: fit::Glyphs) -> (Vec<String>, bool) {
    // `namespace/stream:tag` parts at the tag's colon; any other object (a mirror scope) whole.
    let parts = |object: &str| -> (String, String) {
        match object.rsplit_once(':') {
            Some((stream, tag)) if stream.contains('/') && !tag.contains('/') => (stream.to_owned(), tag.to_owned()),
            _ => (object.to_owned(), String::new()),
        }
    };
    let column = |header: &str, shrink| fit::Column { header: header.to_owned(), shrink };
    let mut columns = vec![
        column("TAG", fit::Shrink::Shorten { soft: 253, min: 12, stage: 1, cut: fit::Cut::Middle }),
        column("SEVERITY", fit::Shrink::Never),
        column("RULE", fit::Shrink::Never),
    ];
    // ITEM only when some finding has one: its header would take room from the tags.
    if rows.iter().any(|row| !row[3].is_empty()) {
        columns.push(column("ITEM", fit::Shrink::Never));
    }
    let mut previous: Option<(String, String)> = None;
    let mut cells = Vec::new();
    for row in rows {
        let (stream, tag) = parts(&row[2]);
        let same_tag = previous.as_ref().is_some_and(|(s, t)| *s == stream && *t == tag);
        let shown = if same_tag { String::new() } else { tag.clone() };
        cells.push(vec![shown, row[0].clone(), row[1].clone(), row[3].clone()]);
        previous = Some((stream, tag));
    }
    let mut lines = fit::layout(&columns, &cells, Some(limit.saturating_sub(2)), no_headers, glyphs).into_iter();
    let mut out = Vec::new();
    if !no_headers {
        out.push("OBJECT".to_owned());
        out.extend(lines.next().map(|header| format!("  {header}")));
        out.push("    REASON".to_owned());
    }
    let mut cut = false;
    let mut previous: Option<String> = None;
    for (row, line) in rows.iter().zip(lines) {
        let (stream, _) = parts(&row[2]);
        if previous.as_ref() != Some(&stream) {
            out.extend(fit::wrap(&stream, limit));
            previous = Some(stream);
        }
        out.push(format!("  {line}"));
        let reason = fit::end(&row[4], limit.saturating_sub(4), glyphs);
        cut |= reason != row[4];
        out.push(format!("    {reason}"));
    }
    (out, cut)
}

/// `text` with every `sha256:` digest cut to its first 12 hex digits.
fn short_digests(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("sha256:") {
        let hex = &rest[at + 7..];
        let digits = hex.bytes().take_while(u8::is_ascii_hexdigit).count();
        let keep = if digits == 64 { 12 } else { digits };
        out.push_str(&rest[..at + 7 + keep]);
        rest = &hex[digits..];
    }
    out.push_str(rest);
    out
}

/// JUnit XML: one test case per finding, failed when at or above `fail_on`; a single passing
/// case when there is nothing to report, so the run still shows.
pub(crate) fn junit(findings: &[Finding], fail_on: Severity) -> String {
    let failures = findings.iter().filter(|f| f.severity >= fail_on).count();
    let tests = findings.len().max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<testsuites name=\"isctl check\" tests=\"{tests}\" failures=\"{failures}\">\n"));
    out.push_str(&format!(
        "  <testsuite name=\"isctl check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n"
    ));
    if findings.is_empty() {
        out.push_str("    <testcase classname=\"isctl.check\" name=\"no findings\"/>\n");
    }
    for finding in findings {
        let mut name = format!("{} {}", finding.rule, finding.object);
        if let Some(item) = &finding.item {
            name.push_str(&format!(" ({item})"));
        }
        out.push_str(&format!("    <testcase classname=\"isctl.{}\" name=\"{}\">\n", finding.rule, escape(&name)));
        let text = format!("{}: {}", severity_word(finding.severity), finding.reason);
        if finding.severity >= fail_on {
            out.push_str(&format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                finding.rule,
                escape(&text),
                escape(&text)
            ));
        } else {
            out.push_str(&format!("      <system-out>{}</system-out>\n", escape(&text)));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// XML text and attribute escaping; control characters other than tab and newline are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Rule;

    fn finding(rule: Rule, object: &str, item: Option<&str>, reason: &str) -> Finding {
        Finding {
            rule,
            severity: rule.severity(),
            object: object.into(),
            item: item.map(Into::into),
            reason: reason.into(),
        }
    }

    #[test]
    fn table_ends_with_a_verdict_and_junit_fails_only_at_the_threshold() {
        let findings = [
            finding(Rule::ImportFailed, "n/s:t", None, "NotFound: gone\nsecond line"),
            finding(Rule::ImportPending, "n/s:u", Some("generation 2"), "not imported yet"),
        ];
        assert_eq!(
            table(&findings, Severity::Error, false, None, fit::Glyphs::UNICODE),
            (
                "SEVERITY   RULE             OBJECT   ITEM           REASON\n\
                 error      import-failed    n/s:t                   NotFound: gone...\n\
                 info       import-pending   n/s:u    generation 2   not imported yet\n\
                 1 error, 0 warnings, 1 info: FAIL (--fail-on error)\n"
                    .to_owned(),
                false
            )
        );
        // Too narrow for a finding and its reason: the reason goes under it, cut only past a line.
        assert_eq!(
            table(&findings, Severity::Error, false, Some(50), fit::Glyphs::UNICODE),
            (
                "SEVERITY   RULE             OBJECT   ITEM\n  REASON\n\
                 error      import-failed    n/s:t\n  NotFound: gone...\n\
                 info       import-pending   n/s:u    generation 2\n  not imported yet\n\
                 1 error, 0 warnings, 1 info: FAIL (--fail-on error)\n"
                    .to_owned(),
                false
            )
        );
        assert!(table(&findings, Severity::Error, false, Some(16), fit::Glyphs::UNICODE).1, "cut past a whole line");
        // Objects too long for a line beside their findings: a line per object, the tag whole.
        let long = "release-nightlies/ocp-release-nightly-multi-arch:4.17.0-0.ci-2026-11-20-154502-ppc64le";
        let by_object = [
            finding(Rule::ImportFailed, long, None, "NotFound: gone"),
            finding(Rule::TagWithoutHistory, long, None, "no image was ever recorded for this tag"),
        ];
        assert_eq!(
            table(&by_object, Severity::Error, false, Some(72), fit::Glyphs::UNICODE).0,
            "OBJECT\n  \
             TAG                                     SEVERITY   RULE\n    \
             REASON\n\
             release-nightlies/ocp-release-nightly-multi-arch\n  \
             4.17.0-0.ci-2026-11-20-154502-ppc64le   error      import-failed\n    \
             NotFound: gone\n                                          \
             warning    tag-without-history\n    \
             no image was ever recorded for this tag\n\
             1 error, 1 warning, 0 info: FAIL (--fail-on error)\n"
        );
        assert_eq!(
            table(&[], Severity::Error, false, None, fit::Glyphs::UNICODE).0,
            "0 errors, 0 warnings, 0 info: pass (--fail-on error)\n"
        );
        let xml = junit(&findings, Severity::Error);
        assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
        assert!(
            xml.contains("<failure type=\"import-failed\" message=\"error: NotFound: gone\nsecond line\">"),
            "{xml}"
        );
        assert!(xml.contains("<system-out>info: not imported yet</system-out>"), "{xml}");
        assert!(junit(&[], Severity::Error).contains("name=\"no findings\""));
    }

    #[test]
    fn xml_is_escaped_and_controls_dropped() {
        assert_eq!(escape("a<b>&\"c'\u{1b}\td"), "a&lt;b&gt;&amp;&quot;c&apos;\td");
    }
}
