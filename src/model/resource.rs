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
    /// `apps.openshift.io/v1` DeploymentConfig.
    DeploymentConfig,
    /// `build.openshift.io/v1` BuildConfig.
    BuildConfig,
    /// `apps/v1` Deployment.
    Deployment,
    /// `apps/v1` StatefulSet.
    StatefulSet,
    /// `apps/v1` DaemonSet.
    DaemonSet,
    /// `apps/v1` ReplicaSet.
    ReplicaSet,
    /// `batch/v1` CronJob.
    CronJob,
    /// `batch/v1` Job.
    Job,
    /// `v1` Pod.
    Pod,
    /// `v1` ReplicationController.
    ReplicationController,
    /// `rbac.authorization.k8s.io/v1` RoleBinding.
    RoleBinding,
    /// `rbac.authorization.k8s.io/v1` ClusterRoleBinding.
    ClusterRoleBinding,
    /// `rbac.authorization.k8s.io/v1` Role.
    Role,
    /// `rbac.authorization.k8s.io/v1` ClusterRole.
    ClusterRole,
}

/// What a kind is for: isctl's own image objects, the objects that use images, or the RBAC
/// objects that say who may pull them. Only `consumers` (and `serve`, which serves whatever was
/// read) loads the last two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Images, streams, tags, mirror rules and the cluster image config.
    Image,
    /// Pods, workload controllers, DeploymentConfigs and BuildConfigs.
    Workload,
    /// Roles, ClusterRoles and their bindings.
    Access,
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
    pub const ALL: [ResourceKind; 23] = [
        ResourceKind::Image,
        ResourceKind::ImageStream,
        ResourceKind::ImageStreamTag,
        ResourceKind::ImageStreamImage,
        ResourceKind::ImageStreamLayers,
        ResourceKind::ImageContentSourcePolicy,
        ResourceKind::ImageDigestMirrorSet,
        ResourceKind::ImageTagMirrorSet,
        ResourceKind::ClusterImageConfig,
        ResourceKind::DeploymentConfig,
        ResourceKind::BuildConfig,
        ResourceKind::Deployment,
        ResourceKind::StatefulSet,
        ResourceKind::DaemonSet,
        ResourceKind::ReplicaSet,
        ResourceKind::CronJob,
        ResourceKind::Job,
        ResourceKind::Pod,
        ResourceKind::ReplicationController,
        ResourceKind::RoleBinding,
        ResourceKind::ClusterRoleBinding,
        ResourceKind::Role,
        ResourceKind::ClusterRole,
    ];

    /// The kinds `consumers` reads beside the image objects, in a fixed order.
    pub const WORKLOADS: [ResourceKind; 10] = [
        ResourceKind::DeploymentConfig,
        ResourceKind::BuildConfig,
        ResourceKind::Deployment,
        ResourceKind::StatefulSet,
        ResourceKind::DaemonSet,
        ResourceKind::ReplicaSet,
        ResourceKind::CronJob,
        ResourceKind::Job,
        ResourceKind::Pod,
        ResourceKind::ReplicationController,
    ];

    /// The RBAC kinds `consumers` evaluates for pull access.
    pub const ACCESS: [ResourceKind; 4] =
        [ResourceKind::RoleBinding, ResourceKind::ClusterRoleBinding, ResourceKind::Role, ResourceKind::ClusterRole];

    /// What the kind is for.
    pub fn family(self) -> Family {
        if ResourceKind::WORKLOADS.contains(&self) {
            Family::Workload
        } else if ResourceKind::ACCESS.contains(&self) {
            Family::Access
        } else {
            Family::Image
        }
    }

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
        const fn other(
            group: &'static str,
            kind: &'static str,
            plural: &'static str,
            singular: &'static str,
            short: &'static [&'static str],
            namespaced: bool,
        ) -> KindInfo {
            KindInfo { group, version: "v1", kind, plural, singular, short_names: short, namespaced }
        }
        static DC: KindInfo =
            other("apps.openshift.io", "DeploymentConfig", "deploymentconfigs", "deploymentconfig", &["dc"], true);
        static BC: KindInfo = other("build.openshift.io", "BuildConfig", "buildconfigs", "buildconfig", &["bc"], true);
        static DEPLOY: KindInfo = other("apps", "Deployment", "deployments", "deployment", &["deploy"], true);
        static STS: KindInfo = other("apps", "StatefulSet", "statefulsets", "statefulset", &["sts"], true);
        static DS: KindInfo = other("apps", "DaemonSet", "daemonsets", "daemonset", &["ds"], true);
        static RS: KindInfo = other("apps", "ReplicaSet", "replicasets", "replicaset", &["rs"], true);
        static CJ: KindInfo = other("batch", "CronJob", "cronjobs", "cronjob", &["cj"], true);
        static JOB: KindInfo = other("batch", "Job", "jobs", "job", &[], true);
        static POD: KindInfo = other("", "Pod", "pods", "pod", &["po"], true);
        static RC: KindInfo =
            other("", "ReplicationController", "replicationcontrollers", "replicationcontroller", &["rc"], true);
        const RBAC: &str = "rbac.authorization.k8s.io";
        static RB: KindInfo = other(RBAC, "RoleBinding", "rolebindings", "rolebinding", &[], true);
        static CRB: KindInfo =
            other(RBAC, "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", &[], false);
        static ROLE: KindInfo = other(RBAC, "Role", "roles", "role", &[], true);
        static CR: KindInfo = other(RBAC, "ClusterRole", "clusterroles", "clusterrole", &[], false);
        match self {
            ResourceKind::DeploymentConfig => &DC,
            ResourceKind::BuildConfig => &BC,
            ResourceKind::Deployment => &DEPLOY,
            ResourceKind::StatefulSet => &STS,
            ResourceKind::DaemonSet => &DS,
            ResourceKind::ReplicaSet => &RS,
            ResourceKind::CronJob => &CJ,
            ResourceKind::Job => &JOB,
            ResourceKind::Pod => &POD,
            ResourceKind::ReplicationController => &RC,
            ResourceKind::RoleBinding => &RB,
            ResourceKind::ClusterRoleBinding => &CRB,
            ResourceKind::Role => &ROLE,
            ResourceKind::ClusterRole => &CR,
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
