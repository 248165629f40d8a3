//! The kinds isctl knows, with their API coordinates as static data: isctl never needs
//! discovery to address them (docs/semantics.md §1, §2).

use kube::core::ApiResource;

/// One of the kinds isctl reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceKind {
    /// `image.openshift.io/v1` Image (cluster-scoped).
    Image,
    /// `image.openshift.io/v1` ImageStream.
    ImageStream,
    /// `image.openshift.io/v1` ImageStreamTag (virtual).
    ImageStreamTag,
    /// `image.openshift.io/v1` ImageStreamImage (virtual, get only).
    ImageStreamImage,
    /// `image.openshift.io/v1` ImageStreamLayers (the `imagestreams/layers` subresource).
    ImageStreamLayers,
    /// `operator.openshift.io/v1alpha1` ImageContentSourcePolicy.
    ImageContentSourcePolicy,
    /// `config.openshift.io/v1` ImageDigestMirrorSet.
    ImageDigestMirrorSet,
    /// `config.openshift.io/v1` ImageTagMirrorSet.
    ImageTagMirrorSet,
    /// `config.openshift.io/v1` Image, the cluster image config.
    ClusterImageConfig,
}

/// Static facts about a kind: where it lives in the API and what users may call it.
#[derive(Debug)]
pub struct KindInfo {
    /// API group.
    pub group: &'static str,
    /// API version.
    pub version: &'static str,
    /// Kind as on the wire.
    pub kind: &'static str,
    /// Plural resource name.
    pub plural: &'static str,
    /// Singular resource name.
    pub singular: &'static str,
    /// Short names, registered upstream or isctl's own (`icsp`).
    pub short_names: &'static [&'static str],
    /// Namespaced or cluster-scoped.
    pub namespaced: bool,
}

impl ResourceKind {
    /// Every kind, in a fixed order.
    pub const ALL: [ResourceKind; 9] = [
        ResourceKind::Image,
        ResourceKind::ImageStream,
        ResourceKind::ImageStreamTag,
        ResourceKind::ImageStreamImage,
        ResourceKind::ImageStreamLayers,
        ResourceKind::ImageContentSourcePolicy,
        ResourceKind::ImageDigestMirrorSet,
        ResourceKind::ImageTagMirrorSet,
        ResourceKind::ClusterImageConfig,
    ];

    /// The static facts of this kind.
    pub fn info(self) -> &'static KindInfo {
        const fn image(
            kind: &'static str,
            plural: &'static str,
            singular: &'static str,
            short: &'static [&'static str],
            namespaced: bool,
        ) -> KindInfo {
            KindInfo {
                group: "image.openshift.io",
                version: "v1",
                kind,
                plural,
                singular,
                short_names: short,
                namespaced,
            }
        }
        static IMAGE: KindInfo = image("Image", "images", "image", &[], false);
        static STREAM: KindInfo = image("ImageStream", "imagestreams", "imagestream", &["is"], true);
        static ISTAG: KindInfo = image("ImageStreamTag", "imagestreamtags", "imagestreamtag", &["istag"], true);
        static ISIMAGE: KindInfo =
            image("ImageStreamImage", "imagestreamimages", "imagestreamimage", &["isimage"], true);
        static LAYERS: KindInfo = image("ImageStreamLayers", "imagestreams/layers", "imagestreamlayers", &[], true);
        static ICSP: KindInfo = KindInfo {
            group: "operator.openshift.io",
            version: "v1alpha1",
            kind: "ImageContentSourcePolicy",
            plural: "imagecontentsourcepolicies",
            singular: "imagecontentsourcepolicy",
            short_names: &["icsp"],
            namespaced: false,
        };
        static IDMS: KindInfo = KindInfo {
            group: "config.openshift.io",
            version: "v1",
            kind: "ImageDigestMirrorSet",
            plural: "imagedigestmirrorsets",
            singular: "imagedigestmirrorset",
            short_names: &["idms"],
            namespaced: false,
        };
        static ITMS: KindInfo = KindInfo {
            group: "config.openshift.io",
            version: "v1",
            kind: "ImageTagMirrorSet",
            plural: "imagetagmirrorsets",
            singular: "imagetagmirrorset",
            short_names: &["itms"],
            namespaced: false,
        };
        static CONFIG: KindInfo = KindInfo {
            group: "config.openshift.io",
            version: "v1",
            kind: "Image",
            plural: "images",
            singular: "image",
            short_names: &[],
            namespaced: false,
        };
        match self {
            ResourceKind::Image => &IMAGE,
            ResourceKind::ImageStream => &STREAM,
            ResourceKind::ImageStreamTag => &ISTAG,
            ResourceKind::ImageStreamImage => &ISIMAGE,
            ResourceKind::ImageStreamLayers => &LAYERS,
            ResourceKind::ImageContentSourcePolicy => &ICSP,
            ResourceKind::ImageDigestMirrorSet => &IDMS,
            ResourceKind::ImageTagMirrorSet => &ITMS,
            ResourceKind::ClusterImageConfig => &CONFIG,
        }
    }

    /// The kube-rs `ApiResource`, so a live client can address the kind without discovery.
    pub fn api_resource(self) -> ApiResource {
        let info = self.info();
        ApiResource {
            group: info.group.into(),
            version: info.version.into(),
            api_version: format!("{}/{}", info.group, info.version),
            kind: info.kind.into(),
            plural: info.plural.into(),
        }
    }

    /// `plural.group`, as kubectl names a resource in messages (`imagestreams.image.openshift.io`).
    pub fn qualified_plural(self) -> String {
        let info = self.info();
        format!("{}.{}", info.plural, info.group)
    }

    /// `singular.group`, as `-o name` prints it (`imagestream.image.openshift.io`).
    pub fn qualified_singular(self) -> String {
        let info = self.info();
        format!("{}.{}", info.singular, info.group)
    }

    /// Recognises an object by `apiVersion` and `kind`. OpenShift 3 wrote image objects with
    /// `apiVersion: v1`; they are the same kinds.
    pub fn from_type(api_version: &str, kind: &str) -> Option<ResourceKind> {
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        let legacy = api_version == "v1" || api_version.is_empty();
        ResourceKind::ALL.into_iter().find(|k| {
            let info = k.info();
            info.kind == kind && (info.group == group || (legacy && info.group == "image.openshift.io"))
        })
    }

    /// Resolves what a user typed (`is`, `imagestreams`, `images.config.openshift.io`...).
    /// A bare `images`/`image` means `image.openshift.io`, as with `oc`.
    pub fn from_cli_name(name: &str) -> Option<ResourceKind> {
        let lower = name.to_ascii_lowercase();
        let (resource, group) = match lower.split_once('.') {
            Some((r, g)) => (r.to_owned(), Some(g.to_owned())),
            None => (lower, None),
        };
        ResourceKind::ALL.into_iter().filter(|k| *k != ResourceKind::ImageStreamLayers).find(|k| {
            let info = k.info();
            let named = info.plural == resource
                || info.singular == resource
                || info.kind.eq_ignore_ascii_case(&resource)
                || info.short_names.contains(&resource.as_str());
            let grouped = match &group {
                Some(g) => info.group == g || format!("{}.{}", info.version, info.group) == *g,
                None => *k != ResourceKind::ClusterImageConfig,
            };
            named && grouped
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_cli_names_like_oc() {
        use ResourceKind::*;
        for (name, kind) in [
            ("is", ImageStream),
            ("imagestreams", ImageStream),
            ("ImageStream", ImageStream),
            ("imagestreams.image.openshift.io", ImageStream),
            ("images", Image),
            ("image", Image),
            ("images.image.openshift.io", Image),
            ("images.config.openshift.io", ClusterImageConfig),
            ("istag", ImageStreamTag),
            ("icsp", ImageContentSourcePolicy),
            ("imagecontentsourcepolicies.operator.openshift.io", ImageContentSourcePolicy),
            ("idms", ImageDigestMirrorSet),
            ("itms", ImageTagMirrorSet),
        ] {
            assert_eq!(ResourceKind::from_cli_name(name), Some(kind), "{name}");
        }
        assert_eq!(ResourceKind::from_cli_name("pods"), None);
        assert_eq!(ResourceKind::from_cli_name("is.config.openshift.io"), None);
    }

    #[test]
    fn recognises_wire_types_including_openshift_3() {
        use ResourceKind::*;
        assert_eq!(ResourceKind::from_type("image.openshift.io/v1", "Image"), Some(Image));
        assert_eq!(ResourceKind::from_type("v1", "Image"), Some(Image));
        assert_eq!(ResourceKind::from_type("config.openshift.io/v1", "Image"), Some(ClusterImageConfig));
        assert_eq!(ResourceKind::from_type("v1", "Pod"), None);
        assert_eq!(ResourceKind::from_type("config.openshift.io/v1", "ClusterOperator"), None);
    }

    #[test]
    fn api_resources_need_no_discovery() {
        let ar = ResourceKind::ImageContentSourcePolicy.api_resource();
        assert_eq!(ar.api_version, "operator.openshift.io/v1alpha1");
        assert_eq!(ar.plural, "imagecontentsourcepolicies");
    }
}
