//! oc's tag order (library-go `PrioritizeTags`, openshift-semantics.md 4.3): `latest`, then
//! minor versions (`5.1`, `v5.1`, `5.1-rc1`) newest first, then full versions (`5.1.2`) newest
//! first, then everything else in byte order.

use std::cmp::Ordering;

/// The group a tag falls in, in display order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Latest,
    Minor,
    Full,
    Other,
}

fn numbers(text: &str) -> Option<Vec<u64>> {
    text.split('.')
        .map(|p| if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) { None } else { p.parse().ok() })
        .collect()
}

/// Classifies a tag and returns its version numbers when it has them.
fn classify(tag: &str) -> (Group, Vec<u64>) {
    if tag == "latest" {
        return (Group::Latest, Vec::new());
    }
    let short = tag.strip_prefix('v').unwrap_or(tag);
    if let Some(n) = numbers(short).filter(|n| n.len() == 2) {
        return (Group::Minor, n);
    }
    if let Some((version, suffix)) = short.split_once('-')
        && !suffix.is_empty()
        && suffix.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && let Some(n) = numbers(version).filter(|n| n.len() == 2)
    {
        return (Group::Minor, n);
    }
    if let Some(n) = numbers(short).filter(|n| n.len() == 3) {
        return (Group::Full, n);
    }
    (Group::Other, Vec::new())
}

/// Compares two tags in oc's display order.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (group_a, version_a) = classify(a);
    let (group_b, version_b) = classify(b);
    group_a.cmp(&group_b).then_with(|| match group_a {
        Group::Minor | Group::Full => version_b.cmp(&version_a).then_with(|| b.cmp(a)),
        _ => a.cmp(b),
    })
}

/// Sorts tags in oc's display order.
pub fn sort(tags: &mut [String]) {
    tags.sort_by(|a, b| compare(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_then_minor_then_full_then_the_rest() {
        let mut tags: Vec<String> =
            ["stable", "4.9", "latest", "4.10", "v4.11", "4.10-rc1", "1.2.3", "1.10.0", "alpha", "4.16"]
                .map(String::from)
                .to_vec();
        sort(&mut tags);
        assert_eq!(tags, ["latest", "4.16", "v4.11", "4.10-rc1", "4.10", "4.9", "1.10.0", "1.2.3", "alpha", "stable"]);
    }
}
