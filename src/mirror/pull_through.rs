//! The second hop of a `Local` tag: where the integrated registry fetches an image it does not
//! hold, from the history item's `dockerImageReference` (docs/semantics.md §7; openshift/
//! image-registry `simpleLookupImageMirrorSets.FirstRequest` and `alternativeImageSources`).
//!
//! This is not a node's algorithm (§5): every matching source contributes (not only the
//! longest), wildcards never match, ICSP, IDMS and ITMS entries are all walked in that order,
//! `NeverContactSource`, blocked and insecure registries and the digest/tag split are ignored,
//! and the original repository always comes last. Mirrors are contacted without certificate
//! checks. Pure: built once from the catalog, asked per reference.

use serde::Serialize;

use super::config::ObjectRef;
use crate::catalog::Catalog;
use crate::model::ResourceKind;
use crate::reference::Reference;

/// Which registry release's rule applies when ICSP objects exist beside IDMS or ITMS objects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Release {
    /// 4.15 and later (and 4.14 since OCPBUGS-22826): all three kinds are walked together.
    #[default]
    Current,
    /// 4.14 before that fix: with ICSP beside IDMS or ITMS, the lookup returns the original
    /// repository alone and an error, and the registry's pull-through then fails.
    Early414,
}

/// One source of the pull-through, in the order the registry tries them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct PullThroughSource {
    /// The repository at the image's digest.
    pub reference: String,
    /// A mirror from the rules, or the original repository (`source`).
    pub kind: super::plan::SourceKind,
    /// The objects whose entries gave this mirror.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<ObjectRef>,
    /// The mirror comes only from an earlier entry of the same IDMS/ITMS, carried over to this
    /// entry's source (the registry's accumulation quirk).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub carried: bool,
}

/// Where the registry would fetch one image from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct PullThroughPlan {
    /// The sources in order; the original repository is always last.
    pub sources: Vec<PullThroughSource>,
    /// Why the plan is only the original repository, or why pull-through fails, when it is so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One flattened rule: a source and the mirrors the registry tries for it (each flagged when it
/// was carried over from an earlier entry of the same object).
#[derive(Clone, Debug)]
struct Rule {
    object: ObjectRef,
    source: String,
    mirrors: Vec<(String, bool)>,
}

/// The registry's view of the cluster's mirror objects.
#[derive(Clone, Debug, Default)]
pub(crate) struct PullThrough {
    rules: Vec<Rule>,
    /// ICSP objects exist beside IDMS or ITMS objects.
    mixed: bool,
    release: Release,
}

impl PullThrough {
    /// Flattens the catalog's ICSP, IDMS and ITMS objects as the registry lists them: all ICSP
    /// entries, then IDMS, then ITMS, each object in list (name) order and its entries in order.
    pub(crate) fn from_catalog(catalog: &Catalog, release: Release) -> PullThrough {
        let mut rules = Vec::new();
        for icsp in catalog.content_source_policies() {
            let object = ObjectRef { kind: "ImageContentSourcePolicy".into(), name: icsp.metadata.name().into() };
            for entry in icsp.spec.as_ref().and_then(|s| s.repository_digest_mirrors.as_deref()).unwrap_or_default() {
                let mirrors = entry.mirrors.iter().flatten().map(|m| (m.clone(), false)).collect();
                rules.push(Rule { object: object.clone(), source: entry.source.clone(), mirrors });
            }
        }
        let sets = catalog
            .digest_mirror_sets()
            .map(|s| (ResourceKind::ImageDigestMirrorSet, s))
            .chain(catalog.tag_mirror_sets().map(|s| (ResourceKind::ImageTagMirrorSet, s)));
        for (kind, set) in sets {
            let object = ObjectRef { kind: kind.info().kind.into(), name: set.metadata.name().into() };
            // Upstream keeps one accumulator per object, not per entry: a later entry also
            // carries the mirrors of the entries before it, for its own source.
            let mut accumulated: Vec<String> = Vec::new();
            for entry in set.entries() {
                let own: Vec<&String> = entry.mirrors.iter().flatten().collect();
                let carried = accumulated.iter().map(|m| (m.clone(), !own.contains(&m)));
                let mirrors = carried.chain(own.iter().map(|m| ((*m).clone(), false))).collect();
                accumulated.extend(own.into_iter().cloned());
                rules.push(Rule { object: object.clone(), source: entry.source.clone(), mirrors });
            }
        }
        let has = |kind| catalog.has_kind(kind);
        let mixed = has(ResourceKind::ImageContentSourcePolicy)
            && (has(ResourceKind::ImageDigestMirrorSet) || has(ResourceKind::ImageTagMirrorSet));
        PullThrough { rules, mixed, release }
    }

    /// The sources for a reference as a stream recorded it (`repo@digest`, or `repo:tag`).
    pub(crate) fn plan(&self, reference: &str) -> PullThroughPlan {
        let Ok(parsed) = Reference::parse_normalized(reference) else {
            return PullThroughPlan {
                sources: Vec::new(),
                note: Some(format!("{reference:?} is not an image reference: the registry cannot pull it through")),
            };
        };
        let repository = parsed.name();
        let at = |repo: &str| match (&parsed.digest, &parsed.tag) {
            (Some(digest), _) => format!("{repo}@{digest}"),
            (None, Some(tag)) => format!("{repo}:{tag}"),
            (None, None) => repo.to_owned(),
        };
        let original = PullThroughSource {
            reference: at(&repository),
            kind: super::plan::SourceKind::Source,
            from: Vec::new(),
            carried: false,
        };
        if self.mixed && self.release == Release::Early414 {
            return PullThroughPlan {
                sources: vec![original],
                note: Some(
                    "found both ICSP and IDMS resources, but only one or the other is supported: \
                     registries of 4.14 before OCPBUGS-22826 fail this pull-through"
                        .into(),
                ),
            };
        }
        let mut sources: Vec<PullThroughSource> = Vec::new();
        for rule in &self.rules {
            let Some(rest) = repository.strip_prefix(rule.source.as_str()) else { continue };
            if !rest.is_empty() && !rest.starts_with('/') {
                continue;
            }
            for (mirror, carried) in &rule.mirrors {
                let candidate = format!("{mirror}{rest}");
                // One mirror that does not parse makes the registry drop every mirror.
                let Ok(parsed_mirror) = Reference::parse_normalized(&candidate) else {
                    return PullThroughPlan {
                        sources: vec![original],
                        note: Some(format!(
                            "the mirror {candidate:?} ({}) is not a valid repository: the registry tries only the original",
                            rule.object
                        )),
                    };
                };
                let reference = at(&parsed_mirror.name());
                match sources.iter_mut().find(|s| s.reference == reference) {
                    Some(existing) => {
                        if !existing.from.contains(&rule.object) {
                            existing.from.push(rule.object.clone());
                        }
                        existing.carried &= *carried;
                    }
                    None => sources.push(PullThroughSource {
                        reference,
                        kind: super::plan::SourceKind::Mirror,
                        from: vec![rule.object.clone()],
                        carried: *carried,
                    }),
                }
            }
        }
        sources.push(original);
        PullThroughPlan { sources, note: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn pull_through(text: &str, release: Release) -> PullThrough {
        PullThrough::from_catalog(&Catalog::from_yaml(text), release)
    }

    fn order(plan: &PullThroughPlan) -> Vec<&str> {
        plan.sources.iter().map(|s| s.reference.as_str()).collect()
    }

    fn icsp(name: &str, entries: &[(&str, &[&str])]) -> String {
        let entries: Vec<String> =
            entries.iter().map(|(s, m)| format!("  - {{source: {s}, mirrors: [{}]}}", m.join(", "))).collect();
        format!(
            "---\napiVersion: operator.openshift.io/v1alpha1\nkind: ImageContentSourcePolicy\nmetadata: {{name: {name}}}\nspec:\n  repositoryDigestMirrors:\n{}\n",
            entries.join("\n")
        )
    }

    fn set(kind: &str, name: &str, entries: &[(&str, &[&str], bool)]) -> String {
        let list = if kind == "ImageDigestMirrorSet" { "imageDigestMirrors" } else { "imageTagMirrors" };
        let entries: Vec<String> = entries
            .iter()
            .map(|(s, m, never)| {
                let policy = if *never { ", mirrorSourcePolicy: NeverContactSource" } else { "" };
                format!("  - {{source: '{s}', mirrors: [{}]{policy}}}", m.join(", "))
            })
            .collect();
        format!(
            "---\napiVersion: config.openshift.io/v1\nkind: {kind}\nmetadata: {{name: {name}}}\nspec:\n  {list}:\n{}\n",
            entries.join("\n")
        )
    }

    #[test]
    fn overlapping_sources_all_match_in_list_order() {
        let rules = icsp("a", &[("quay.io/org", &["m1.local/org"]), ("quay.io/org/app", &["m2.local/app"])]);
        let plan = pull_through(&rules, Release::Current).plan(&format!("quay.io/org/app@{D}"));
        assert_eq!(
            order(&plan),
            [format!("m1.local/org/app@{D}"), format!("m2.local/app@{D}"), format!("quay.io/org/app@{D}")]
        );
        // No wildcard matching, and a boundary at `/`.
        let wild = set("ImageDigestMirrorSet", "w", &[("*.example.com", &["m.local/x"], false)]);
        assert_eq!(order(&pull_through(&wild, Release::Current).plan(&format!("a.example.com/x@{D}"))).len(), 1);
        assert_eq!(order(&pull_through(&rules, Release::Current).plan(&format!("quay.io/organic/x@{D}"))).len(), 1);
    }

    #[test]
    fn never_contact_source_is_ignored_and_tag_mirrors_serve_too() {
        let rules = format!(
            "{}{}",
            set("ImageDigestMirrorSet", "d", &[("quay.io/x", &["dm.local/x"], true)]),
            set("ImageTagMirrorSet", "t", &[("quay.io/x", &["tm.local/x"], true)])
        );
        let plan = pull_through(&rules, Release::Current).plan("quay.io/x/app:v1");
        assert_eq!(order(&plan), ["dm.local/x/app:v1", "tm.local/x/app:v1", "quay.io/x/app:v1"]);
        assert_eq!(plan.sources.last().unwrap().kind, crate::mirror::plan::SourceKind::Source, "the source stays");
    }

    #[test]
    fn icsp_beside_idms_gives_the_original_alone_on_early_4_14() {
        let rules = format!(
            "{}{}",
            icsp("a", &[("quay.io/x", &["im.local/x"])]),
            set("ImageDigestMirrorSet", "d", &[("quay.io/x", &["dm.local/x"], false)])
        );
        let early = pull_through(&rules, Release::Early414).plan(&format!("quay.io/x/app@{D}"));
        assert_eq!(order(&early), [format!("quay.io/x/app@{D}")]);
        assert!(early.note.as_deref().unwrap().starts_with("found both ICSP and IDMS resources"));
        let current = pull_through(&rules, Release::Current).plan(&format!("quay.io/x/app@{D}"));
        assert_eq!(
            order(&current),
            [format!("im.local/x/app@{D}"), format!("dm.local/x/app@{D}"), format!("quay.io/x/app@{D}")]
        );
    }

    #[test]
    fn later_entries_of_one_set_carry_earlier_mirrors_and_repeats_are_dropped() {
        let rules = set(
            "ImageDigestMirrorSet",
            "d",
            &[
                ("a.io/x", &["m1.local/x"], false),
                ("b.io/y", &["m2.local/y"], false),
                ("b.io/y", &["m2.local/y"], false),
            ],
        );
        let plan = pull_through(&rules, Release::Current).plan(&format!("b.io/y/img@{D}"));
        assert_eq!(
            order(&plan),
            [format!("m1.local/x/img@{D}"), format!("m2.local/y/img@{D}"), format!("b.io/y/img@{D}")]
        );
        // Docker Hub references are normalised before matching.
        let hub = icsp("h", &[("docker.io/library", &["m.local/hub"])]);
        assert_eq!(
            order(&pull_through(&hub, Release::Current).plan(&format!("busybox@{D}")))[0],
            format!("m.local/hub/busybox@{D}")
        );
    }
}
