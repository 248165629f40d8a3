//! Durations as kubectl users write them: Go's `time.ParseDuration` forms (`500ms`, `1m30s`,
//! `1.5h`, `2h45m`), a bare number of seconds where kubectl takes one (`--request-timeout 30`),
//! and days and weeks where isctl measures ages (`--max-age 30d`, `2w`). One parser for every
//! flag, so `1m30s` means the same everywhere. Pure.

use std::time::Duration;

/// Which extra forms a flag accepts besides Go's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Forms {
    /// A bare number is seconds (`--request-timeout 30`).
    pub bare_seconds: bool,
    /// `d` (24h) and `w` (7d) units (`--max-age`).
    pub days_and_weeks: bool,
}

/// `--request-timeout`: Go forms and bare seconds.
pub(crate) const REQUEST_TIMEOUT: Forms = Forms { bare_seconds: true, days_and_weeks: false };
/// Ages: Go forms, days and weeks.
pub(crate) const AGE: Forms = Forms { bare_seconds: false, days_and_weeks: true };

/// Why a duration does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Not a duration at all.
    #[error("not a duration")]
    Invalid,
    /// A unit that is not accepted here.
    #[error("unknown unit {0:?}")]
    Unit(String),
    /// Longer than Go's longest duration (about 292 years).
    #[error("too long (at most 2562047h)")]
    Overflow,
}

/// Go's `maxDuration` in nanoseconds: kubectl refuses longer values.
const MAX_NANOS: u128 = i64::MAX as u128;

/// Parses `text` with the accepted `forms`. Negative durations are refused: no flag wants one.
pub(crate) fn parse(text: &str, forms: Forms) -> Result<Duration, DurationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DurationError::Invalid);
    }
    if text == "0" {
        return Ok(Duration::ZERO);
    }
    if forms.bare_seconds && text.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: u128 = text.parse().map_err(|_| DurationError::Overflow)?;
        return checked(seconds.checked_mul(1_000_000_000).ok_or(DurationError::Overflow)?);
    }
    let mut rest = text.strip_prefix('+').unwrap_or(text);
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let number_end = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let number = &rest[..number_end];
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return Err(DurationError::Invalid);
        }
        rest = &rest[number_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        rest = &rest[unit_end..];
        let nanos_per_unit: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60 * 1_000_000_000,
            "h" => 3_600 * 1_000_000_000,
            "d" if forms.days_and_weeks => 86_400 * 1_000_000_000,
            "w" if forms.days_and_weeks => 7 * 86_400 * 1_000_000_000,
            "" => return Err(DurationError::Invalid),
            other => return Err(DurationError::Unit(other.to_owned())),
        };
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| DurationError::Overflow)? };
        let mut nanos = whole.checked_mul(nanos_per_unit).ok_or(DurationError::Overflow)?;
        // The fraction, digit by digit, as Go does (extra digits beyond precision are dropped).
        let mut scale = nanos_per_unit;
        for digit in fraction.bytes() {
            scale /= 10;
            nanos += u128::from(digit - b'0') * scale;
        }
        total = total.checked_add(nanos).ok_or(DurationError::Overflow)?;
        if total > MAX_NANOS {
            return Err(DurationError::Overflow);
        }
    }
    checked(total)
}

fn checked(nanos: u128) -> Result<Duration, DurationError> {
    if nanos > MAX_NANOS {
        return Err(DurationError::Overflow);
    }
    Ok(Duration::from_nanos(nanos as u64))
}

/// A duration in the largest whole unit that fits (`2d`, `36h`, `90s`, `1500ms`), for messages.
pub(crate) fn format(duration: Duration) -> String {
    let nanos = duration.as_nanos();
    const SECOND: u128 = 1_000_000_000;
    for (unit, size) in [("d", 86_400 * SECOND), ("h", 3_600 * SECOND), ("m", 60 * SECOND), ("s", SECOND)] {
        if nanos >= size && nanos.is_multiple_of(size) {
            return format!("{}{unit}", nanos / size);
        }
    }
    if nanos.is_multiple_of(1_000_000) { format!("{}ms", nanos / 1_000_000) } else { format!("{nanos}ns") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn go_forms() {
        let go = Forms { bare_seconds: false, days_and_weeks: false };
        assert_eq!(parse("500ms", go), Ok(secs(0.5)));
        assert_eq!(parse("1m30s", go), Ok(secs(90.0)));
        assert_eq!(parse("2h", go), Ok(secs(7200.0)));
        assert_eq!(parse("1.5h", go), Ok(secs(5400.0)));
        assert_eq!(parse("2h45m", go), Ok(secs(9900.0)));
        assert_eq!(parse("0", go), Ok(Duration::ZERO));
        assert_eq!(parse("30", go), Err(DurationError::Invalid));
        assert_eq!(parse("soon", go), Err(DurationError::Invalid));
        assert_eq!(parse("3d", go), Err(DurationError::Unit("d".into())));
        assert_eq!(parse("-1s", go), Err(DurationError::Invalid));
    }

    #[test]
    fn kubectl_and_age_forms() {
        assert_eq!(parse("30", REQUEST_TIMEOUT), Ok(secs(30.0)));
        assert_eq!(parse("30d", AGE), Ok(secs(30.0 * 86400.0)));
        assert_eq!(parse("2w", AGE), Ok(secs(14.0 * 86400.0)));
        assert_eq!(parse("36h", AGE), Ok(secs(36.0 * 3600.0)));
    }

    #[test]
    fn overflow_is_refused_not_wrapped() {
        assert_eq!(parse("2562047h", REQUEST_TIMEOUT).map(|d| d.as_secs()), Ok(2562047 * 3600));
        assert_eq!(parse("2562048h", REQUEST_TIMEOUT), Err(DurationError::Overflow));
        assert_eq!(parse("99999999999999999999999", REQUEST_TIMEOUT), Err(DurationError::Overflow));
        assert_eq!(parse("18446744073709551615s", REQUEST_TIMEOUT), Err(DurationError::Overflow));
    }

    #[test]
    fn formats_in_the_largest_unit() {
        assert_eq!(format(secs(172800.0)), "2d");
        assert_eq!(format(secs(90.0)), "90s");
        assert_eq!(format(secs(120.0)), "2m");
        assert_eq!(format(secs(1.5)), "1500ms");
    }
}
