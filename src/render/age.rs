//! The two ways OpenShift tools say how long ago something happened (docs/semantics.md
//! §9). Pure functions of a duration: the caller supplies "now", never the system clock.

use jiff::{SignedDuration, Timestamp};

/// Kubernetes' `duration.HumanDuration`, used by AGE columns: `90s`, `5m30s`, `3h20m`, `3d4h`.
pub(crate) fn kube_age(created: Option<Timestamp>, now: Timestamp) -> String {
    let Some(created) = created else { return "<unknown>".into() };
    kube_duration(now.duration_since(created))
}

/// Kubernetes' `duration.HumanDuration` on a signed duration.
pub(crate) fn kube_duration(d: SignedDuration) -> String {
    let seconds = d.as_secs();
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 { format!("{minutes}m") } else { format!("{minutes}m{s}s") };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 { format!("{hours}h") } else { format!("{hours}h{m}m") };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 { format!("{}d", hours / 24) } else { format!("{}d{}h", hours / 24, h) };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let days = (hours / 24) % 365;
        return if days == 0 { format!("{}y", hours / 24 / 365) } else { format!("{}y{}d", hours / 24 / 365, days) };
    }
    format!("{}y", hours / 24 / 365)
}

/// docker/go-units `HumanDuration` plus `" ago"`, used by the image group's UPDATED columns and
/// by `oc describe`: `About an hour ago`, `2 days ago`.
pub(crate) fn docker_ago(then: Timestamp, now: Timestamp) -> String {
    format!("{} ago", docker_duration(now.duration_since(then)))
}

/// docker/go-units `HumanDuration`.
pub(crate) fn docker_duration(d: SignedDuration) -> String {
    let seconds = d.as_secs();
    if seconds < 1 {
        return "Less than a second".into();
    }
    if seconds == 1 {
        return "1 second".into();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return "About a minute".into();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    let exact_hours = d.as_secs_f64() / 3600.0;
    let hours = (exact_hours + 0.5) as i64;
    if hours == 1 {
        return "About an hour".into();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", exact_hours as i64 / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: i64) -> SignedDuration {
        SignedDuration::from_secs(secs)
    }

    #[test]
    fn kube_boundaries() {
        let cases = [
            (-5, "<invalid>"),
            (-2, "<invalid>"),
            (-1, "0s"),
            (0, "0s"),
            (119, "119s"),
            (120, "2m"),
            (330, "5m30s"),
            (599, "9m59s"),
            (600, "10m"),
            (179 * 60 + 59, "179m"),
            (3 * 3600, "3h"),
            (3 * 3600 + 20 * 60, "3h20m"),
            (8 * 3600, "8h"),
            (47 * 3600 + 3599, "47h"),
            (48 * 3600, "2d"),
            (76 * 3600, "3d4h"),
            (8 * 86400, "8d"),
            (729 * 86400, "729d"),
            (730 * 86400, "2y"),
            (740 * 86400, "2y10d"),
            (8 * 365 * 86400, "8y"),
        ];
        for (secs, want) in cases {
            assert_eq!(kube_duration(s(secs)), want, "{secs}s");
        }
    }

    #[test]
    fn docker_boundaries() {
        let cases = [
            (-10, "Less than a second"),
            (0, "Less than a second"),
            (1, "1 second"),
            (59, "59 seconds"),
            (60, "About a minute"),
            (119, "About a minute"),
            (120, "2 minutes"),
            (59 * 60 + 59, "59 minutes"),
            (60 * 60, "About an hour"),
            (89 * 60, "About an hour"),
            (90 * 60, "2 hours"),
            (47 * 3600, "47 hours"),
            (48 * 3600, "2 days"),
            (13 * 86400, "13 days"),
            (14 * 86400, "2 weeks"),
            (59 * 86400, "8 weeks"),
            (60 * 86400, "2 months"),
            (729 * 86400, "24 months"),
            (730 * 86400, "2 years"),
        ];
        for (secs, want) in cases {
            assert_eq!(docker_duration(s(secs)), want, "{secs}s");
        }
    }

    #[test]
    fn missing_timestamp_reads_unknown() {
        assert_eq!(kube_age(None, Timestamp::UNIX_EPOCH), "<unknown>");
    }
}
