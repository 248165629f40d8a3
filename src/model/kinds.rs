//! The one table of the kinds isctl reads. Each row names the kind, the model type an object
//! of it is read into, what the kind is for, and its API coordinates; [`ResourceKind`],
//! [`Object`], their matches and the lists of kinds by family are all generated from it, so a
//! new kind is one row here (and its arms wherever a command treats it on its own).

use std::any::Any;

use super::{
    Binding, ClusterImageConfig, Image, ImageContentSourcePolicy, ImageStream, ImageStreamImage, ImageStreamLayers,
    ImageStreamTag, MirrorSet, ObjectMeta, Role, SignaturePolicy, Workload,
};

/// What a kind is for: isctl's own image objects, the objects that use images, or the RBAC
/// objects that say who may pull them. Only `consumers` (and `serve`, which serves whatever was
/// read) loads the last two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Family {
    /// Images, streams, tags, mirror rules and the cluster image config.
    Image,
    /// Pods, workload controllers, DeploymentConfigs and BuildConfigs.
    Workload,
    /// Roles, ClusterRoles and their bindings.
    Access,
    /// LimitRanges: what `prune images --prune-over-size-limit` measures images against.
    Limit,
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

/// Something that needs the model type of a kind, not only its name: decoding an object of a
/// kind straight into its type ([`ResourceKind::visit`]).
pub trait KindVisitor {
    /// What the visit gives.
    type Output;
    /// Called with the kind's model type `T` and the constructor that makes an [`Object`] of it.
    fn visit<T: serde::de::DeserializeOwned + 'static>(self, wrap: fn(Box<T>) -> Object) -> Self::Output;
}

macro_rules! kinds {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident($ty:ty): $family:ident, $group:literal, $version:literal, $kind:literal,
            $plural:literal, $singular:literal, [$($short:literal),*], $namespaced:literal;
    )*) => {
        /// One of the kinds isctl reads.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ResourceKind {
            $($(#[doc = $doc])* $variant,)*
        }

        /// One object of a kind isctl knows, in its model type.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Object {
            $($(#[doc = $doc])* $variant(Box<$ty>),)*
        }

        /// How many kinds the table has.
        const COUNT: usize = [$(stringify!($variant)),*].len();

        /// The facts of each kind, in the table's order.
        static INFO: [KindInfo; COUNT] = [$(
            KindInfo {
                group: $group,
                version: $version,
                kind: $kind,
                plural: $plural,
                singular: $singular,
                short_names: &[$($short),*],
                namespaced: $namespaced,
            },
        )*];

        impl ResourceKind {
            /// Every kind, in the table's order.
            pub const ALL: [ResourceKind; COUNT] = [$(ResourceKind::$variant),*];

            /// What the kind is for.
            pub const fn family(self) -> Family {
                match self {
                    $(ResourceKind::$variant => Family::$family,)*
                }
            }

            /// The static facts of this kind.
            pub fn info(self) -> &'static KindInfo {
                &INFO[self as usize]
            }

            /// Hands the kind's model type to `visitor`.
            pub fn visit<V: KindVisitor>(self, visitor: V) -> V::Output {
                match self {
                    $(ResourceKind::$variant => visitor.visit::<$ty>(|o| Object::$variant(o)),)*
                }
            }
        }

        impl Object {
            /// Which kind this is.
            pub fn kind(&self) -> ResourceKind {
                match self {
                    $(Object::$variant(_) => ResourceKind::$variant,)*
                }
            }

            /// The object's metadata.
            pub fn meta(&self) -> &ObjectMeta {
                match self {
                    $(Object::$variant(o) => &o.metadata,)*
                }
            }

            /// Mutable metadata (to place items of namespaced list files, for example).
            pub fn meta_mut(&mut self) -> &mut ObjectMeta {
                match self {
                    $(Object::$variant(o) => &mut o.metadata,)*
                }
            }

            /// Whether the object names its own `apiVersion` and `kind` (items of raw API lists
            /// may not).
            pub fn has_type_meta(&self) -> bool {
                match self {
                    $(Object::$variant(o) => o.api_version.is_some() && o.kind.is_some(),)*
                }
            }

            /// `apiVersion` and `kind` as read, to fill in where they are absent.
            pub fn type_meta_mut(&mut self) -> (&mut Option<String>, &mut Option<String>) {
                match self {
                    $(Object::$variant(o) => (&mut o.api_version, &mut o.kind),)*
                }
            }

            /// The model value, to be told apart by type (see [`Object::workload`]).
            pub(super) fn as_any(&self) -> &dyn Any {
                match self {
                    $(Object::$variant(o) => &**o,)*
                }
            }

            /// [`Object::as_any`], to change it.
            pub(super) fn as_any_mut(&mut self) -> &mut dyn Any {
                match self {
                    $(Object::$variant(o) => &mut **o,)*
                }
            }
        }

        impl serde::Serialize for Object {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Object::$variant(o) => o.serialize(serializer),)*
                }
            }
        }
    };
}

/// The number of kinds of `family`, for the length of [`ResourceKind::WORKLOADS`] and
/// [`ResourceKind::ACCESS`].
const fn count(family: Family) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < COUNT {
        if ResourceKind::ALL[i].family() as u8 == family as u8 {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The kinds of `family`, in the table's order.
const fn of_family<const N: usize>(family: Family) -> [ResourceKind; N] {
    let mut found = [ResourceKind::Image; N];
    let (mut i, mut n) = (0, 0);
    while i < COUNT {
        if ResourceKind::ALL[i].family() as u8 == family as u8 {
            found[n] = ResourceKind::ALL[i];
            n += 1;
        }
        i += 1;
    }
    found
}

impl ResourceKind {
    /// The kinds `consumers` reads beside the image objects, in the table's order.
    pub const WORKLOADS: [ResourceKind; count(Family::Workload)] = of_family(Family::Workload);

    /// The RBAC kinds `consumers` evaluates for pull access.
    pub const ACCESS: [ResourceKind; count(Family::Access)] = of_family(Family::Access);

    /// The kinds read beside workloads for limits (`prune images --prune-over-size-limit`).
    pub const LIMITS: [ResourceKind; count(Family::Limit)] = of_family(Family::Limit);
}

kinds! {
    /// `image.openshift.io/v1` Image (cluster-scoped).
    Image(Image): Image, "image.openshift.io", "v1", "Image", "images", "image", [], false;
    /// `image.openshift.io/v1` ImageStream.
    ImageStream(ImageStream): Image, "image.openshift.io", "v1", "ImageStream", "imagestreams", "imagestream",
        ["is"], true;
    /// `image.openshift.io/v1` ImageStreamTag (virtual).
    ImageStreamTag(ImageStreamTag): Image, "image.openshift.io", "v1", "ImageStreamTag", "imagestreamtags",
        "imagestreamtag", ["istag"], true;
    /// `image.openshift.io/v1` ImageStreamImage (virtual, get only).
    ImageStreamImage(ImageStreamImage): Image, "image.openshift.io", "v1", "ImageStreamImage",
        "imagestreamimages", "imagestreamimage", ["isimage"], true;
    /// `image.openshift.io/v1` ImageStreamLayers (the `imagestreams/layers` subresource).
    ImageStreamLayers(ImageStreamLayers): Image, "image.openshift.io", "v1", "ImageStreamLayers",
        "imagestreams/layers", "imagestreamlayers", [], true;
    /// `operator.openshift.io/v1alpha1` ImageContentSourcePolicy.
    ImageContentSourcePolicy(ImageContentSourcePolicy): Image, "operator.openshift.io", "v1alpha1",
        "ImageContentSourcePolicy", "imagecontentsourcepolicies", "imagecontentsourcepolicy", ["icsp"], false;
    /// `config.openshift.io/v1` ImageDigestMirrorSet.
    ImageDigestMirrorSet(MirrorSet): Image, "config.openshift.io", "v1", "ImageDigestMirrorSet",
        "imagedigestmirrorsets", "imagedigestmirrorset", ["idms"], false;
    /// `config.openshift.io/v1` ImageTagMirrorSet.
    ImageTagMirrorSet(MirrorSet): Image, "config.openshift.io", "v1", "ImageTagMirrorSet", "imagetagmirrorsets",
        "imagetagmirrorset", ["itms"], false;
    /// `config.openshift.io/v1` Image, the cluster image config.
    ClusterImageConfig(ClusterImageConfig): Image, "config.openshift.io", "v1", "Image", "images", "image", [],
        false;
    /// `config.openshift.io/v1` ClusterImagePolicy: signatures required cluster-wide.
    ClusterImagePolicy(SignaturePolicy): Image, "config.openshift.io", "v1", "ClusterImagePolicy",
        "clusterimagepolicies", "clusterimagepolicy", [], false;
    /// `config.openshift.io/v1` ImagePolicy: signatures required in one namespace.
    ImagePolicy(SignaturePolicy): Image, "config.openshift.io", "v1", "ImagePolicy", "imagepolicies",
        "imagepolicy", [], true;
    /// `apps.openshift.io/v1` DeploymentConfig.
    DeploymentConfig(Workload): Workload, "apps.openshift.io", "v1", "DeploymentConfig", "deploymentconfigs",
        "deploymentconfig", ["dc"], true;
    /// `build.openshift.io/v1` BuildConfig.
    BuildConfig(Workload): Workload, "build.openshift.io", "v1", "BuildConfig", "buildconfigs", "buildconfig",
        ["bc"], true;
    /// `build.openshift.io/v1` Build: its strategy's image is in use while the pruner looks.
    Build(Workload): Workload, "build.openshift.io", "v1", "Build", "builds", "build", [], true;
    /// `apps/v1` Deployment.
    Deployment(Workload): Workload, "apps", "v1", "Deployment", "deployments", "deployment", ["deploy"], true;
    /// `apps/v1` StatefulSet.
    StatefulSet(Workload): Workload, "apps", "v1", "StatefulSet", "statefulsets", "statefulset", ["sts"], true;
    /// `apps/v1` DaemonSet.
    DaemonSet(Workload): Workload, "apps", "v1", "DaemonSet", "daemonsets", "daemonset", ["ds"], true;
    /// `apps/v1` ReplicaSet.
    ReplicaSet(Workload): Workload, "apps", "v1", "ReplicaSet", "replicasets", "replicaset", ["rs"], true;
    /// `batch/v1` CronJob.
    CronJob(Workload): Workload, "batch", "v1", "CronJob", "cronjobs", "cronjob", ["cj"], true;
    /// `batch/v1` Job.
    Job(Workload): Workload, "batch", "v1", "Job", "jobs", "job", [], true;
    /// `v1` Pod.
    Pod(Workload): Workload, "", "v1", "Pod", "pods", "pod", ["po"], true;
    /// `v1` ReplicationController.
    ReplicationController(Workload): Workload, "", "v1", "ReplicationController", "replicationcontrollers",
        "replicationcontroller", ["rc"], true;
    /// `v1` LimitRange: its `openshift.io/Image` limits cap image sizes in its namespace.
    LimitRange(Workload): Limit, "", "v1", "LimitRange", "limitranges", "limitrange", ["limits"], true;
    /// `rbac.authorization.k8s.io/v1` RoleBinding.
    RoleBinding(Binding): Access, "rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding",
        [], true;
    /// `rbac.authorization.k8s.io/v1` ClusterRoleBinding.
    ClusterRoleBinding(Binding): Access, "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding",
        "clusterrolebindings", "clusterrolebinding", [], false;
    /// `rbac.authorization.k8s.io/v1` Role.
    Role(Role): Access, "rbac.authorization.k8s.io", "v1", "Role", "roles", "role", [], true;
    /// `rbac.authorization.k8s.io/v1` ClusterRole.
    ClusterRole(Role): Access, "rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", [],
        false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_families_are_read_from_the_table() {
        assert_eq!(ResourceKind::WORKLOADS.len(), 11);
        assert_eq!(ResourceKind::WORKLOADS[0], ResourceKind::DeploymentConfig);
        assert_eq!(
            ResourceKind::ACCESS,
            [
                ResourceKind::RoleBinding,
                ResourceKind::ClusterRoleBinding,
                ResourceKind::Role,
                ResourceKind::ClusterRole
            ]
        );
        for (i, kind) in ResourceKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, i, "INFO is indexed by the variant");
        }
        assert_eq!(ResourceKind::Pod.info().kind, "Pod");
        assert_eq!(ResourceKind::ClusterImageConfig.info().group, "config.openshift.io");
    }
}
