//! oc's tag order (library-go `PrioritizeTags`, docs/semantics.md §9): `latest`, then
//! minor versions (`5.1`, `v5.1`, `5.1-rc1`, read as `5.1.0`, `5.1.0-rc1`) newest first, then
//! full semantic versions newest first, then everything else in byte order. Versions compare as
//! semver does: a pre-release sorts below its release, numeric identifiers as numbers; equal
//! versions in byte order (`5.1` before `v5.1`).

use std::cmp::Ordering;

/// A parsed semantic version (build metadata is ignored, as in comparisons).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Version {
    numbers: [u64; 3],
    pre: Vec<String>,
}

/// A numeric identifier without leading zeros.
fn number(text: &str) -> Option<u64> {
    let valid = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && (text == "0" || !text.starts_with('0'));
    valid.then(|| text.parse().ok()).flatten()
}

/// semver 2.0: `MAJOR.MINOR.PATCH[-PRE][+BUILD]`.
fn semver(text: &str) -> Option<Version> {
    let text = text.split_once('+').map_or(text, |(v, build)| if build.is_empty() { "" } else { v });
    let (core, pre) = match text.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (text, None),
    };
    let parts: Vec<u64> = core.split('.').map(number).collect::<Option<_>>()?;
    let numbers: [u64; 3] = parts.try_into().ok()?;
    let pre = match pre {
        None => Vec::new(),
        Some(pre) => {
            let identifiers: Vec<String> = pre.split('.').map(str::to_owned).collect();
            let valid = identifiers.iter().all(|i| {
                !i.is_empty()
                    && i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && (!i.bytes().all(|b| b.is_ascii_digit()) || number(i).is_some())
            });
            if !valid {
                return None;
            }
            identifiers
        }
    };
    Some(Version { numbers, pre })
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        self.numbers.cmp(&other.numbers).then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => {
                for (a, b) in self.pre.iter().zip(&other.pre) {
                    let order = match (number(a), number(b)) {
                        (Some(x), Some(y)) => x.cmp(&y),
                        (Some(_), None) => Ordering::Less,
                        (None, Some(_)) => Ordering::Greater,
                        (None, None) => a.cmp(b),
                    };
                    if order != Ordering::Equal {
                        return order;
                    }
                }
                self.pre.len().cmp(&other.pre.len())
            }
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The group a tag falls in, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Latest,
    Minor,
    Full,
    Other,
}

/// Classifies a tag as `PrioritizeTags` does.
fn classify(tag: &str) -> (Group, Option<Version>) {
    if tag == "latest" {
        return (Group::Latest, None);
    }
    let short = tag.strip_prefix('v').unwrap_or(tag);
    let minor = |version: &str| {
        version.split('.').count() == 2
            && version.split('.').all(|p| p.bytes().all(|b| b.is_ascii_digit()) && !p.is_empty())
    };
    if minor(short) {
        if let Some(v) = semver(&format!("{short}.0")) {
            return (Group::Minor, Some(v));
        }
    } else if let Some((version, suffix)) = short.split_once('-')
        && minor(version)
        && !suffix.is_empty()
        && suffix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    {
        if let Some(v) = semver(&format!("{version}.0-{suffix}")) {
            return (Group::Minor, Some(v));
        }
    } else if let Some(v) = semver(short) {
        return (Group::Full, Some(v));
    }
    (Group::Other, None)
}

/// Compares two tags in oc's display order.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    let (group_a, version_a) = classify(a);
    let (group_b, version_b) = classify(b);
    group_a.cmp(&group_b).then_with(|| version_b.cmp(&version_a)).then_with(|| a.cmp(b))
}

/// Sorts tags in oc's display order.
pub(crate) fn sort(tags: &mut [String]) {
    tags.sort_by(|a, b| compare(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(tags: &[&str]) -> Vec<String> {
        let mut tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        sort(&mut tags);
        tags
    }

    #[test]
    fn latest_then_minor_then_full_then_the_rest() {
        assert_eq!(
            sorted(&["stable", "4.9", "latest", "4.10", "v4.11", "4.10-rc1", "1.2.3", "1.10.0", "alpha", "4.16"]),
            ["latest", "4.16", "v4.11", "4.10", "4.10-rc1", "4.9", "1.10.0", "1.2.3", "alpha", "stable"]
        );
    }

    #[test]
    fn semver_precedence_as_library_go() {
        // Review finding: pre-releases below releases, plain before v, full semvers with
        // pre-release or build parts, numeric identifiers as numbers, no leading zeros.
        assert_eq!(
            sorted(&["v5.1", "5.1-rc1", "5.1", "1.0.0", "5.1.3-other", "alpha"]),
            ["5.1", "v5.1", "5.1-rc1", "5.1.3-other", "1.0.0", "alpha"]
        );
        assert_eq!(sorted(&["5.1-2", "5.1-10"]), ["5.1-10", "5.1-2"]);
        assert_eq!(sorted(&["1.2.3+b1", "1.2.4-rc.1", "01.2"]), ["1.2.4-rc.1", "1.2.3+b1", "01.2"]);
    }

    /// Random tags made of the pieces versions are made of (a deterministic generator).
    fn random_tags(count: usize, mut seed: u64) -> Vec<String> {
        const PIECES: [&str; 16] =
            ["latest", "v", "1", "5", "10", "0", "01", ".", ".", "-", "rc", "alpha", "+", "b", "x", "_"];
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        (0..count)
            .map(|_| {
                let parts = 1 + next() % 7;
                (0..parts).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect()
            })
            .collect()
    }

    #[test]
    fn the_order_is_total_over_random_tags() {
        // Rust's sort may panic on a comparison that is not a total order (issue 26, item 1):
        // antisymmetry, transitivity and consistency with equality, over random tags.
        let tags = random_tags(100, 0x9e37_79b9_7f4a_7c15);
        for a in &tags {
            assert_eq!(compare(a, a), Ordering::Equal, "{a}");
            for b in &tags {
                assert_eq!(compare(a, b), compare(b, a).reverse(), "{a} {b}");
                assert_eq!(compare(a, b) == Ordering::Equal, a == b, "{a} {b}");
                for c in tags.iter().take(25) {
                    if compare(a, b).is_le() && compare(b, c).is_le() {
                        assert!(compare(a, c).is_le(), "{a} <= {b} <= {c}");
                    }
                }
            }
        }
        let mut many = random_tags(5000, 7);
        sort(&mut many);
        assert!(many.windows(2).all(|w| compare(&w[0], &w[1]).is_le()));
    }
}
