//! What isctl knows of each kind beyond its row in the table (`model/kinds.rs`): how it is
//! addressed in the API and named on the command line, as static data, so isctl never needs
//! discovery to address them (docs/semantics.md §1, §2).

use kube::core::ApiResource;

use super::kinds::{Family, ResourceKind};

impl ResourceKind {
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

    /// `plural.group`, as kubectl names a resource in messages (`imagestreams.image.openshift.io`;
    /// `pods` for the core group).
    pub fn qualified_plural(self) -> String {
        let info = self.info();
        if info.group.is_empty() { info.plural.to_owned() } else { format!("{}.{}", info.plural, info.group) }
    }

    /// `singular.group`, as `-o name` prints it (`imagestream.image.openshift.io`; `pod`).
    pub fn qualified_singular(self) -> String {
        let info = self.info();
        if info.group.is_empty() { info.singular.to_owned() } else { format!("{}.{}", info.singular, info.group) }
    }

    /// Recognises an object by `apiVersion` and `kind`. OpenShift 3 wrote its image, apps and
    /// build objects with `apiVersion: v1`; they are the same kinds.
    pub fn from_type(api_version: &str, kind: &str) -> Option<ResourceKind> {
        const LEGACY: [&str; 3] = ["image.openshift.io", "apps.openshift.io", "build.openshift.io"];
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        let legacy = api_version == "v1" || api_version.is_empty();
        ResourceKind::ALL.into_iter().find(|k| {
            let info = k.info();
            info.kind == kind && (info.group == group || (legacy && LEGACY.contains(&info.group)))
        })
    }

    /// Resolves what a user typed (`is`, `imagestreams`, `images.config.openshift.io`...).
    /// A bare `images`/`image` means `image.openshift.io`, as with `oc`. Only isctl's own image
    /// kinds are named this way: `get pods` is kubectl's job.
    pub fn from_cli_name(name: &str) -> Option<ResourceKind> {
        let lower = name.to_ascii_lowercase();
        let (resource, group) = match lower.split_once('.') {
            Some((r, g)) => (r.to_owned(), Some(g.to_owned())),
            None => (lower, None),
        };
        let named_kinds = ResourceKind::ALL.into_iter().filter(|k| k.family() == Family::Image);
        named_kinds.filter(|k| *k != ResourceKind::ImageStreamLayers).find(|k| {
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
        assert_eq!(ResourceKind::from_cli_name("pods"), None, "get is for image objects");
        assert_eq!(ResourceKind::from_cli_name("is.config.openshift.io"), None);
    }

    #[test]
    fn recognises_wire_types_including_openshift_3() {
        use ResourceKind::*;
        assert_eq!(ResourceKind::from_type("image.openshift.io/v1", "Image"), Some(Image));
        assert_eq!(ResourceKind::from_type("v1", "Image"), Some(Image));
        assert_eq!(ResourceKind::from_type("config.openshift.io/v1", "Image"), Some(ClusterImageConfig));
        assert_eq!(ResourceKind::from_type("v1", "Pod"), Some(Pod));
        assert_eq!(ResourceKind::from_type("v1", "DeploymentConfig"), Some(DeploymentConfig), "OpenShift 3");
        assert_eq!(ResourceKind::from_type("apps/v1", "Deployment"), Some(Deployment));
        assert_eq!(ResourceKind::from_type("extensions/v1beta1", "Deployment"), None);
        assert_eq!(ResourceKind::from_type("v1", "Namespace"), None);
        assert_eq!(ResourceKind::from_type("config.openshift.io/v1", "ClusterOperator"), None);
    }

    #[test]
    fn api_resources_need_no_discovery() {
        let ar = ResourceKind::ImageContentSourcePolicy.api_resource();
        assert_eq!(ar.api_version, "operator.openshift.io/v1alpha1");
        assert_eq!(ar.plural, "imagecontentsourcepolicies");
    }
}
