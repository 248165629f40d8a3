//! Command-line types only: what the user typed, as clap parses it. No logic lives here; see
//! `settings` for the resolved form. Doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand};

/// Inspect OpenShift image streams, images and mirror rules: what a tag really points at, and
/// where a node will pull it from.
///
/// isctl reads Image, ImageStream, ImageStreamTag, ImageContentSourcePolicy,
/// ImageDigestMirrorSet, ImageTagMirrorSet, the cluster image config, and the signature
/// policies ClusterImagePolicy and ImagePolicy. It never changes a cluster. Offline, it reads `oc get -o yaml` dumps, List files, must-gather trees and
/// archives given with --from.
#[derive(Debug, Parser)]
#[command(name = "isctl", version, propagate_version = true, max_term_width = 100)]
#[command(after_help = "Examples:\n  \
    # Every tag of a stream: history, Images, and where nodes pull each digest from\n  \
    isctl resolve must-gather -n openshift --from must-gather.local.123/\n\n  \
    # Where a node pulls one image from, after the cluster's mirror rules\n  \
    isctl mirrors quay.io/openshift-release-dev/ocp-release@sha256:... --from must-gather/\n\n  \
    # The image streams of a namespace, as oc shows them\n  \
    isctl get is -n openshift --from must-gather/\n\n\
    Exit codes: 0 success, 1 an error (bad input, object not found), 2 a usage error,\n\
    3 what a check or a diff is for: check's findings at or above --fail-on, diff's changes.")]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Read objects from PATH instead of a cluster (without --from, isctl reads the cluster of
    /// the current kubeconfig context, like kubectl): a YAML or JSON file (one object, several
    /// documents or a List), a directory (read recursively, must-gather trees included), a
    /// .tar or .tar.gz archive, or - for standard input. Repeat to combine inputs: an object
    /// in a later --from replaces the same object (kind, namespace, name) from an earlier one,
    /// and a line on stderr says so, so a proposed change can be laid over a recording; inside
    /// one --from, the first copy in name order is kept, with a warning.
    #[arg(long = "from", value_name = "PATH", global = true)]
    pub from: Vec<PathBuf>,

    /// Take this RFC 3339 time as "now" (for ages, --max-age and serve's tables), so output is
    /// reproducible.
    #[arg(long, value_name = "TIME", env = "ISCTL_NOW", hide_env_values = true, global = true)]
    pub now: Option<String>,

    /// When to colour tables: auto (when stdout is a terminal and NO_COLOR is not set), always
    /// or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Say more on stderr: -v logs each request to the cluster (method, path, status, time; never
    /// credentials) and names skipped objects and ignored files.
    #[arg(short = 'v', long = "verbose", action = ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Path to the kubeconfig file (default: KUBECONFIG, a list of files merged, then
    /// ~/.kube/config, then the pod's service account). Used when --from is not given.
    #[arg(long, value_name = "PATH", global = true)]
    pub kubeconfig: Option<PathBuf>,

    /// The kubeconfig context to use.
    #[arg(long, value_name = "NAME", global = true)]
    pub context: Option<String>,

    /// Do not verify the server's certificate. Insecure, as with kubectl.
    #[arg(long, global = true)]
    pub(crate) insecure_skip_tls_verify: bool,

    /// The longest one request to the cluster may take, retries included (kubectl's forms: 30s,
    /// 1m30s, 500ms, or a bare number of seconds; 0 waits forever) [default: 2m].
    #[arg(long, value_name = "DURATION", global = true)]
    pub request_timeout: Option<String>,

    /// The largest file, archive member or standard input --from reads (e.g. 512Mi, 2Gi).
    #[arg(long, value_name = "SIZE", default_value = "1Gi", global = true, hide_short_help = true)]
    pub(crate) max_file_size: String,

    /// The most bytes one --from archive may decompress to.
    #[arg(long, value_name = "SIZE", default_value = "8Gi", global = true, hide_short_help = true)]
    pub(crate) max_archive_size: String,

    /// The most bytes YAML aliases may add to the input, all files together (alias bombs stop
    /// here).
    #[arg(long, value_name = "SIZE", default_value = "64Mi", global = true, hide_short_help = true)]
    pub(crate) max_alias_expansion: String,

    /// The largest answer isctl reads from the cluster for one request (one list page).
    #[arg(long, value_name = "SIZE", default_value = "512Mi", global = true, hide_short_help = true)]
    pub(crate) max_response_size: String,

    /// Leave this object out of the input, as if it were deleted: KIND/NAME, or
    /// KIND/NAMESPACE/NAME for namespaced kinds (e.g. icsp/release-0). Repeatable. With diff,
    /// it is left out of the proposed state only.
    #[arg(long, value_name = "KIND/NAME", global = true)]
    pub without: Vec<String>,

    /// Read lists from the cluster in pages of this many objects; 0 reads each list in one
    /// request.
    #[arg(long, value_name = "N", default_value_t = 500, global = true)]
    pub(crate) chunk_size: u32,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// isctl's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Display image objects, like `oc get`.
    #[command(after_help = "Kinds:\n  \
        images (image)                            image.openshift.io Images, cluster-scoped\n  \
        imagestreams (imagestream, is)            ImageStreams\n  \
        imagestreamtags (imagestreamtag, istag)   built from streams and images, as the server does\n  \
        imagecontentsourcepolicies (icsp)         operator.openshift.io mirror policies\n  \
        imagedigestmirrorsets (idms)              config.openshift.io digest mirrors\n  \
        imagetagmirrorsets (itms)                 config.openshift.io tag mirrors\n  \
        images.config.openshift.io                the cluster image config\n\
        Each kind may also be written plural.group, e.g. imagestreams.image.openshift.io.\n\n\
        Examples:\n  \
        isctl get is -n openshift --from must-gather/\n  \
        isctl get istag -A -o wide --from dump.yaml\n  \
        isctl get is cli tools -n openshift -o name --from must-gather/")]
    #[command(display_order = 3)]
    Get(GetArgs),

    /// Show one image stream or tag in detail: every history item, where pods and nodes pull
    /// it from and why each source is or is not used, imports, policies and aliases.
    #[command(
        after_help = "Examples:\n  \
        isctl describe is cli -n openshift --from must-gather/\n  \
        isctl describe istag cli:latest -n openshift --from must-gather/",
        display_order = 2
    )]
    Describe(DescribeArgs),

    /// Show where a node pulls an image from: the mirrors it tries, in order, and why.
    ///
    /// Answers as CRI-O does after the machine-config operator renders the cluster's
    /// ImageContentSourcePolicies, ImageDigestMirrorSets, ImageTagMirrorSets and image config
    /// into registries.conf: the longest matching scope, digest-only mirrors for digest pulls and
    /// tag-only mirrors for tag pulls, the source always last, blocked and insecure endpoints,
    /// and the policy.json verdict. Rules the operator would refuse are shown as conflicts.
    #[command(
        after_help = "Examples:\n  \
        isctl mirrors quay.io/openshift-release-dev/ocp-release@sha256:... --from must-gather/\n  \
        isctl mirrors registry.redhat.io/ubi9/ubi:latest -o yaml --from icsp.yaml --from idms.yaml\n  \
        isctl mirrors --render --from must-gather/ > registries.conf",
        display_order = 2
    )]
    #[command(mut_arg("output", |a| a.help(output_help("table for people, yaml or json (kind: PullPlan, docs/pull-plan.md)"))))]
    Mirrors(MirrorsArgs),

    /// Resolve image streams: every tag's history, joined to its Images and to where a node pulls
    /// each digest from.
    ///
    /// For each tag (oc's order: latest, then versions newest first, then the rest) and each
    /// history item: generation, creation time, digest, whether and where the Image was found,
    /// the pull spec a pod gets (the integrated registry for referencePolicy Local), and the
    /// ordered pull sources after the cluster's mirror rules. Failed and pending imports stand
    /// out. Tables show ages against --now (or ISCTL_NOW, else the clock) and -o wide adds the
    /// creation times; YAML and JSON never depend on the clock (schema: docs/resolution.md).
    #[command(
        after_help = "Examples:\n  \
        # The main job: the must-gather stream of namespace openshift\n  \
        isctl resolve must-gather -n openshift --from must-gather.local.123/\n\n  \
        # One tag, every pull source\n  \
        isctl resolve cli:latest -n openshift -o wide --from must-gather/\n\n  \
        # Every stream of every namespace, for scripts\n  \
        isctl resolve -A -o json --from must-gather/",
        display_order = 1
    )]
    Resolve(ResolveArgs),

    /// Serve the loaded objects as a read-only Kubernetes API, for kubectl, oc and scripts.
    ///
    /// Discovery, get and list (namespaced and all-namespaces, limit/continue paging, label and
    /// metadata.name field selectors), the imagestreams/layers subresource and the virtual
    /// imagestreamtags and imagestreamimages, built as the OpenShift API server builds them.
    /// kubectl get shows oc's columns through server-side Tables. Every write is refused (405).
    /// Listens on loopback only, unless --allow-remote.
    #[command(
        after_help = "Examples:\n  \
        # Serve a must-gather and point kubectl at it\n  \
        isctl serve --from must-gather.local.123/ --address 127.0.0.1:8080 --write-kubeconfig /tmp/mg.kubeconfig\n  \
        kubectl --kubeconfig /tmp/mg.kubeconfig get is -n openshift\n\n  \
        # Play a project-only user who may not read Images or mirror rules\n  \
        isctl serve --from fixtures/must-gather --deny images --deny imagecontentsourcepolicies\n\n  \
        # Require a token (kubectl sends it over TLS only)\n  \
        isctl serve --from fixtures/must-gather --token-file token.txt --tls-cert cert.pem --tls-key key.pem",
        display_order = 4
    )]
    Serve(ServeArgs),

    /// Record a cluster's image objects into DIR, in must-gather layout, for --from and serve.
    ///
    /// Writes the streams of the namespace (or all with -A), exactly the Images their histories
    /// reference (or, for a user who may not read Images, the streams' layers), the mirror rules
    /// and the cluster image config. Capture a cluster once, then run resolve or a CI check on
    /// the recording with no cluster at hand.
    #[command(
        after_help = "Examples:\n  \
        isctl record recorded/ -n openshift\n  \
        isctl resolve -n openshift --from recorded/",
        display_order = 5
    )]
    Record(RecordArgs),

    /// Check image streams against rules, for CI: failed imports, missing Images, unpullable or
    /// rejected images, mirror conflicts, disconnected readiness, moved tags.
    ///
    /// Each finding has a stable rule id, a severity, the object and one line of reason
    /// (rules: docs/check.md). Exit codes: 0 no finding at or above --fail-on; 1 isctl could not
    /// run (bad input, unreachable cluster, stream not found); 2 usage error; 3 findings at or
    /// above --fail-on.
    #[command(
        after_help = "Rules:\n  \
        import-failed (error), import-pending (info), tag-without-history (warning),\n  \
        image-missing (warning), mirror-conflict (error), invalid-rewrite (error),\n  \
        unpullable (error), policy-rejected (error), digest-mirrors-only (warning),\n  \
        not-mirrored and tag-not-mirrored (error, with --require-mirror),\n  \
        too-old (warning, with --max-age), digest-moved, tag-vanished (warning) and\n  \
        tag-appeared (info, with --baseline), proposed-unpullable and proposed-refused (error,\n  \
        with --proposed), verify-unservable (error) and verify-source-failed (warning, with\n  \
        --verify)\n\n\
        Examples:\n  \
        isctl check -n openshift --from must-gather/ --junit report.xml\n  \
        isctl check -A --require-mirror --fail-on warning --from recorded/\n  \
        isctl check -n openshift --baseline last-week.yaml --disable import-pending\n  \
        isctl check -A --proposed new-mirrors/ --from must-gather/\n\n\
        Exit codes: 0 pass, 1 isctl could not run, 2 usage error, 3 findings at or above --fail-on.",
        display_order = 6
    )]
    #[command(mut_arg("output", |a| a.help(output_help("table, yaml or json (kind: CheckReport, docs/check.md)"))))]
    Check(CheckArgs),

    /// Show who uses a tag (triggers, Pods, pull access), or who still uses an image.
    ///
    /// For a tag: the triggers that follow it, the Pods that run its images (and on which
    /// generation), and who may pull the stream. With --image, who still uses one image.
    ///
    /// Triggers are DeploymentConfig and BuildConfig ImageChange triggers, BuildConfig inputs,
    /// and the image.openshift.io/triggers annotation of Deployments, StatefulSets,
    /// DaemonSets, CronJobs and Jobs. Running means a Pod container whose imageID (or spec
    /// image) is one of the tag's history images, or a ReplicaSet or ReplicationController
    /// template when its Pods are not in the input. HAS says how that image stands against the
    /// tag: current, previous, N behind, not in history. Pull access is evaluated from the
    /// RoleBindings of the stream's namespace and the ClusterRoleBindings (get on
    /// imagestreams/layers, as the integrated registry checks it); nothing is ever sent to the
    /// cluster but lists. Schema: docs/consumers.md.
    #[command(
        after_help = "Examples:\n  \
        # What redeploys or rebuilds when openshift/cli:latest moves, and what runs it\n  \
        isctl consumers cli:latest -n openshift --from must-gather/\n\n  \
        # Is it safe to prune this image?\n  \
        isctl consumers --image sha256:4f5e... --from must-gather/\n\n  \
        # What still runs an older image of the tag, for scripts\n  \
        isctl consumers cli:latest -n openshift \\\n    \
        -o jsonpath='{..running[?(@.standing.state==\"older\")].name}'\n\n\
        Exit codes: 0 answered, 1 isctl could not run or the stream is not there, 2 usage error.",
        display_order = 5
    )]
    #[command(mut_arg("output", |a| a.help(output_help("table, yaml or json (kind: Consumers, or ImageUsers with --image; docs/consumers.md)"))))]
    Consumers(ConsumersArgs),

    /// Show which pulls a mirror change would change, before it is applied.
    ///
    /// Compares the current state (the cluster, or --from) with a proposed one: the current
    /// state with --proposed files laid over it (an object there replaces the same object),
    /// with every ImageContentSourcePolicy migrated to the ImageDigestMirrorSet `oc adm migrate
    /// icsp` writes (--migrate-icsp), and without the objects --without names. For every image
    /// the streams in scope use (the current image of each tag, or all history with --history,
    /// and the tag each spec imports from) and every reference in --images, it lists the pulls
    /// whose plan changes: sources added, removed or reordered, newly blocked, and pulls that
    /// become impossible. It also says which conflicts would make the machine-config operator
    /// refuse the proposed rules (nodes would then keep their current registries.conf).
    #[command(
        after_help = "Examples:\n  \
        # Adding oc-mirror's results to a recorded cluster\n  \
        isctl diff mirrors -A --from must-gather/ --proposed oc-mirror-workspace/results-*/\n  \
        # Proving that the ICSP to IDMS migration changes no pull\n  \
        isctl diff mirrors -A --migrate-icsp\n  \
        # Removing an ICSP, as the release's images see it\n  \
        isctl diff mirrors --without icsp/release-0 --images image-references --from must-gather/\n\n\
        Exit codes: 0 no pull changes, 1 isctl could not run, 2 usage error, 3 pulls change or the\n\
        proposed rules would be refused (as check's findings).",
        display_order = 7
    )]
    Diff(DiffArgs),

    /// Plan `oc adm prune images`: what it would remove, and why the rest stays (read-only)
    #[command(display_order = 7)]
    Prune(PruneArgs),

    /// Print a shell completion script (bash, zsh or fish) that completes commands, flags,
    /// kinds, and stream, tag and namespace names from the input the command line names.
    #[command(
        after_help = "Examples:\n  \
        source <(isctl completion bash)          # in ~/.bashrc\n  \
        isctl completion zsh > \"${fpath[1]}/_isctl\"\n  \
        isctl completion fish | source",
        display_order = 8
    )]
    Completion {
        /// bash, zsh or fish.
        #[arg(value_parser = ["bash", "zsh", "fish"])]
        shell: String,
    },

    /// Print the manual page (roff); --dir DIR writes a page per subcommand too
    ///
    /// Prints isctl(1); with --dir, writes it and one page per subcommand (isctl-resolve.1,
    /// isctl-diff-mirrors.1, ...), each with every flag, into DIR.
    #[command(
        display_order = 9,
        after_help = "Examples:\n  \
        isctl man | man -l -\n  \
        isctl man --dir /usr/local/share/man/man1 && mandb"
    )]
    Man {
        /// Write isctl.1 and a page for every subcommand, with all its flags, into DIR (it must
        /// exist) instead of printing the main page.
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },

    /// What the completion scripts call: the candidates for the last word, one per line.
    #[command(name = "__complete", hide = true)]
    Complete {
        /// The words typed after `isctl`, the last one being completed.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        words: Vec<String>,
    },
}

/// `isctl check [STREAM[:TAG]...]`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Streams to check, optionally one tag each; every stream in the namespace when none. A
    /// leading `is` (kubectl's `get is NAME` habit) is read as the type, not as a stream.
    #[arg(value_name = "STREAM[:TAG]")]
    pub streams: Vec<String>,

    /// Namespace selection.
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// The lowest severity that fails the check (exit code 3).
    #[arg(long, value_enum, default_value_t = crate::check::Severity::Error)]
    pub(crate) fail_on: crate::check::Severity,

    /// Turn a rule off (repeatable), e.g. --disable import-pending.
    #[arg(long, value_name = "RULE", value_enum, hide_possible_values = true)]
    pub disable: Vec<crate::check::Rule>,

    /// Disconnected readiness: every current image must come from a mirror first, and tag
    /// references must be covered by tag mirrors.
    #[arg(long)]
    pub(crate) require_mirror: bool,

    /// Flag current images older than this (e.g. 36h, 30d, 2w), measured against --now.
    #[arg(long, value_name = "DURATION")]
    pub(crate) max_age: Option<String>,

    /// A saved `isctl resolve -o yaml` (or json): report tags whose current digest moved,
    /// appeared or vanished since.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// A proposed mirror change laid over the input (repeatable; as for diff mirrors): report
    /// the tags whose current image or import it makes unpullable (proposed-unpullable) and
    /// the conflicts that would make the operator refuse it (proposed-refused).
    #[arg(long, value_name = "PATH")]
    pub proposed: Vec<PathBuf>,

    /// Also write the findings as JUnit XML to FILE, one test case each.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// -o and --no-headers.
    #[command(flatten)]
    pub output: ReportOutputArgs,

    /// Verification against the registries.
    #[command(flatten)]
    pub verify: VerifyArgs,
}

/// `isctl consumers [STREAM[:TAG]] [--image DIGEST]`.
#[derive(Debug, Args)]
pub struct ConsumersArgs {
    /// The stream, optionally one tag; every tag of the stream when none is given.
    #[arg(value_name = "STREAM[:TAG]", required_unless_present = "image", conflicts_with = "image")]
    pub stream: Option<String>,

    /// Who still uses this image (a digest, sha256:...): the tags whose history holds it, and
    /// the triggers, Pods and templates that use it. Reads every namespace unless -n is given.
    #[arg(long, value_name = "DIGEST")]
    pub image: Option<String>,

    /// Namespace selection: the stream's namespace (with --image, the namespaces searched).
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Look for workloads and Pods in this namespace only (default: every namespace, since a
    /// DeploymentConfig of one project often follows a stream of another).
    #[arg(long, value_name = "NAMESPACE", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub(crate) workload_namespace: Option<String>,

    /// -o and --no-headers.
    #[command(flatten)]
    pub output: ReportOutputArgs,
}

/// `isctl prune`.
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// What to plan.
    #[command(subcommand)]
    pub what: PruneCommand,
}

/// What `isctl prune` plans.
#[derive(Debug, Subcommand)]
pub enum PruneCommand {
    /// Plan `oc adm prune images`: which images and history entries it would remove, and why
    /// each other one stays. Read-only: isctl never deletes anything.
    ///
    /// Follows oc's pruner (pkg/cli/admin/prune/imageprune): workloads (Pods that are Running or
    /// Pending, or younger than --keep-younger-than; ReplicationControllers, DeploymentConfigs,
    /// ReplicaSets, Deployments, DaemonSets, StatefulSets, Jobs, CronJobs, BuildConfigs and
    /// Builds) keep the stream tags and images their pull specs name; each tag keeps its newest
    /// --keep-tag-revisions entries and the young ones; images no remaining entry holds are
    /// pruned unless young, or not managed by OpenShift with --all=false. With -n, only that
    /// namespace's history is planned, and no image is pruned (as oc does). Reads a
    /// must-gather or a recording (--from) or a cluster (lists only). Rules: docs/prune.md.
    #[command(after_help = "Examples:\n  \
        # The plan oc would carry out, with the reason for each image\n  \
        isctl prune images --from must-gather/\n\n  \
        # Exactly the images a stricter prune would delete, for a script\n  \
        isctl prune images --keep-tag-revisions 1 --keep-younger-than 0s -o name\n\n\
        Exit codes: 0 planned, 1 isctl could not run or a workload names an invalid image\n\
        (as oc refuses; --ignore-invalid-refs passes over it), 2 usage error.")]
    #[command(mut_arg("output", |a| a.help(output_help("table, name (the images pruned), yaml or json (kind: PrunePlan, docs/prune.md)"))))]
    Images(PruneImagesArgs),
}

/// `isctl prune images`.
#[derive(Debug, Args)]
pub struct PruneImagesArgs {
    /// Keep this many of each tag's newest history entries [default: 3].
    #[arg(long, value_name = "N")]
    pub keep_tag_revisions: Option<usize>,

    /// Keep images, history entries, streams and finished Pods younger than this [default:
    /// 60m]. Go's forms: 90s, 1h30m, 0s.
    #[arg(long, value_name = "DURATION", value_parser = parse_age)]
    pub keep_younger_than: Option<std::time::Duration>,

    /// Instead of ages and revision counts: remove the history entries whose image is larger
    /// than an openshift.io/Image LimitRange of the stream's namespace (unless a workload uses
    /// it). Not with --keep-tag-revisions or --keep-younger-than, as oc.
    #[arg(long)]
    pub prune_over_size_limit: bool,

    /// Images not pushed to the integrated registry (no openshift.io/image.managed=true) are
    /// candidates too; --all=false keeps them (oc's default: true).
    #[arg(long, value_name = "BOOL", default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub all: bool,

    /// Pass over pull specs that do not parse, as oc does with this flag (an image they name may
    /// then be pruned while in use); without it, they stop the plan.
    #[arg(long)]
    pub ignore_invalid_refs: bool,

    /// Plan one namespace's history only (oc then prunes no image). Default: every namespace.
    #[arg(short = 'n', long, value_name = "NAMESPACE", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub namespace: Option<String>,

    /// -o and --no-headers.
    #[command(flatten)]
    pub output: ReportOutputArgs,
}

/// A `--keep-younger-than` value: Go's duration forms, zero allowed.
fn parse_age(text: &str) -> Result<std::time::Duration, String> {
    crate::duration::parse(text, crate::duration::REQUEST_TIMEOUT)
        .map_err(|e| format!("{text:?}: {e} (e.g. 60m, 1h30m or 0s)"))
}

/// `isctl diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// What to compare.
    #[command(subcommand)]
    pub what: DiffCommand,
}

/// What `isctl diff` compares.
#[derive(Debug, Subcommand)]
pub enum DiffCommand {
    /// Pull plans under the current and the proposed mirror rules.
    #[command(mut_arg("output", |a| a.help(output_help("table for people, yaml or json (kind: PlanDiff, docs/what-if.md)"))))]
    Mirrors(DiffMirrorsArgs),

    /// Tags under two states of the streams: the input, and --to (a recording, or another
    /// must-gather): tags added or removed, moved to another image, imports newly failing or
    /// recovered.
    #[command(after_help = "Examples:\n  \
        # What changed in the cluster since last week's recording\n  \
        isctl diff streams -n openshift --to recorded-last-week/\n  \
        # Two must-gathers\n  \
        isctl diff streams -A --from must-gather-before/ --to must-gather-after/\n\n\
        Exit codes: 0 no tag differs, 1 isctl could not run, 2 usage error, 3 tags differ.")]
    #[command(mut_arg("output", |a| a.help(output_help("table for people, yaml or json (kind: StreamDiff, docs/what-if.md)"))))]
    Streams(DiffStreamsArgs),
}

/// `isctl diff streams`.
#[derive(Debug, Args)]
pub struct DiffStreamsArgs {
    /// Streams to compare, optionally one tag each; every stream in the namespace when none.
    #[arg(value_name = "STREAM[:TAG]")]
    pub streams: Vec<String>,

    /// Namespace selection.
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// The other state: files or directories, read as --from reads them (repeatable, later
    /// ones win).
    #[arg(long, value_name = "PATH", required = true)]
    pub to: Vec<PathBuf>,

    /// -o and --no-headers.
    #[command(flatten)]
    pub output: ReportOutputArgs,
}

/// `isctl diff mirrors`.
#[derive(Debug, Args)]
pub struct DiffMirrorsArgs {
    /// Streams whose images to compare, optionally one tag each; every stream in the namespace
    /// when none.
    #[arg(value_name = "STREAM[:TAG]")]
    pub streams: Vec<String>,

    /// Namespace selection.
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Files or directories laid over the current state (repeatable, later ones win): an
    /// object there replaces the object of the same kind and name; new objects are added.
    #[arg(long, value_name = "PATH")]
    pub proposed: Vec<PathBuf>,

    /// Replace every ImageContentSourcePolicy with the ImageDigestMirrorSet of the same name
    /// and rules that `oc adm migrate icsp` writes.
    #[arg(long)]
    pub(crate) migrate_icsp: bool,

    /// Also compare these references: one per line (# starts a comment), or a release's
    /// image-references (an ImageStream).
    #[arg(long, value_name = "FILE")]
    pub images: Option<PathBuf>,

    /// Compare every history image, not only the current one of each tag.
    #[arg(long)]
    pub history: bool,

    /// Print the difference of the rendered registries.conf (diff -u) instead of the table.
    #[arg(long)]
    pub render: bool,

    /// -o and --no-headers.
    #[command(flatten)]
    pub output: ReportOutputArgs,
}

/// `isctl record DIR`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Directory to write; created if missing, and must be empty if it exists.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Namespace selection.
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Also record the workloads, Pods, DeploymentConfigs, BuildConfigs, Builds and LimitRanges
    /// of the namespaces in scope, with the RoleBindings, Roles, ClusterRoleBindings and
    /// ClusterRoles: what `consumers` and `prune images` read. Workloads are recorded as `consumers` reads them, pruned to names,
    /// owners, container images, triggers and strategies: no environment values, commands,
    /// volumes or other fields isctl does not read.
    #[arg(long)]
    pub workloads: bool,

    /// Record every Image of the cluster, not only those the streams in scope reference: what
    /// `prune images` needs to see the images no stream holds any more.
    #[arg(long)]
    pub all_images: bool,
}

/// A file `mirrors --render` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderedFile {
    /// `/etc/containers/registries.conf`.
    #[value(name = "registries.conf")]
    RegistriesConf,
    /// `/etc/containers/policy.json`.
    #[value(name = "policy.json")]
    PolicyJson,
    /// `/etc/containers/registries.d/sigstore-registries.yaml`.
    #[value(name = "registries.d")]
    RegistriesD,
}

/// `isctl serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (printed on start).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:0")]
    pub address: std::net::SocketAddr,

    /// Allow a non-loopback address. Without --tls-cert the server speaks plain HTTP; only use it
    /// on networks you trust.
    #[arg(long)]
    pub(crate) allow_remote: bool,

    /// Answer this resource with 403 Forbidden, as RBAC would (plural name such as images,
    /// imagecontentsourcepolicies or imagestreams/layers, or plural.group). Repeatable.
    #[arg(long, value_name = "RESOURCE")]
    pub deny: Vec<String>,

    /// Answer lists of this namespaced resource across all namespaces with 403, and serve it
    /// namespace by namespace, as RBAC does for a user with Roles in namespaces but no
    /// ClusterRole (same names as --deny). Repeatable.
    #[arg(long, value_name = "RESOURCE")]
    pub deny_all_namespaces: Vec<String>,

    /// Require this bearer token on every request (401 Unauthorized otherwise). Prefer
    /// --token-file or ISCTL_SERVE_TOKEN: a command line is visible to every user of the machine.
    #[arg(long, value_name = "TOKEN", env = "ISCTL_SERVE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// Read the bearer token from the first line of FILE.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// The user named in Forbidden messages.
    #[arg(long, value_name = "NAME", default_value = "developer")]
    pub user: String,

    /// Serve HTTPS with this PEM certificate (chain); needs --tls-key. Clients then send bearer
    /// tokens, which kubectl never sends over plain HTTP.
    #[arg(long, value_name = "PATH", requires = "tls_key")]
    pub(crate) tls_cert: Option<std::path::PathBuf>,

    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "PATH", requires = "tls_cert")]
    pub(crate) tls_key: Option<std::path::PathBuf>,

    /// The PEM CA certificate written into --write-kubeconfig; without it, a TLS kubeconfig
    /// skips certificate verification.
    #[arg(long, value_name = "PATH", requires = "tls_cert")]
    pub(crate) tls_ca: Option<std::path::PathBuf>,

    /// Write a kubeconfig that points at the server (with the token, if any) to PATH.
    #[arg(long, value_name = "PATH")]
    pub(crate) write_kubeconfig: Option<std::path::PathBuf>,

    /// Open connections at most; beyond that (or out of file descriptors) the oldest connection
    /// that has not been answered yet is closed.
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) max_connections: u32,

    /// Time a client has to send a request's headers or finish a TLS handshake.
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    pub(crate) header_timeout: String,

    /// Time a response may wait for a client that stopped reading it.
    #[arg(long, value_name = "DURATION", default_value = "30s")]
    pub(crate) write_timeout: String,
}

/// `isctl resolve [STREAM[:TAG]...]`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Streams to resolve, optionally one tag each (STREAM:TAG); every stream in the namespace
    /// when none is given. A leading `is` (kubectl's `get is NAME` habit) is read as the type,
    /// not as a stream.
    #[arg(value_name = "STREAM[:TAG]")]
    pub streams: Vec<String>,

    /// Namespace selection.
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Output format: table (fits the terminal), wide (every column, nothing shortened), yaml
    /// or json (kind: ImageStreamResolution), or a kubectl template over the JSON: jsonpath=,
    /// jsonpath-as-json= or custom-columns=.
    #[arg(short = 'o', long, value_name = "FORMAT", default_value = "table")]
    pub output: String,

    /// How much of each tag's history to show.
    #[command(flatten)]
    pub history: HistoryArgs,

    /// Leave out the header line of tables.
    #[arg(long)]
    pub no_headers: bool,

    /// Verification against the registries.
    #[command(flatten)]
    pub verify: VerifyArgs,
}

/// `isctl describe KIND NAME`.
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// imagestream (is) or imagestreamtag (istag).
    #[arg(value_name = "KIND")]
    pub kind: String,

    /// The stream, or STREAM:TAG for a tag.
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Namespace selection.
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// How much of each tag's history to show.
    #[command(flatten)]
    pub history: HistoryArgs,

    /// Verification against the registries.
    #[command(flatten)]
    pub verify: VerifyArgs,
}

/// How much of each tag's history `resolve` and `describe` show.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Show only the current image of each tag.
    #[arg(long, conflicts_with = "history")]
    pub current: bool,

    /// Show the newest N history items of each tag (0 shows all). Tables and describe show 5 by
    /// default and say how many older items they left out; wide tables, YAML and JSON show all.
    #[arg(long, value_name = "N")]
    pub history: Option<usize>,
}

/// `isctl mirrors PULLSPEC...`.
#[derive(Debug, Args)]
pub struct MirrorsArgs {
    /// Image references as a pod or an ImageStream names them (short names are normalised:
    /// `busybox` is docker.io/library/busybox).
    #[arg(value_name = "PULLSPEC")]
    pub references: Vec<String>,

    /// Print a file the operator would write for the loaded rules, instead of plans:
    /// registries.conf (the default), --render=policy.json (allowed/blocked registries and the
    /// ClusterImagePolicies' signature requirements; with -n, the namespace's file) or
    /// --render=registries.d (where nodes look for sigstore signatures: the policies' scopes and
    /// their mirrors).
    #[arg(long, value_name = "FILE", num_args = 0..=1, require_equals = true, default_missing_value = "registries.conf")]
    pub render: Option<RenderedFile>,

    /// Plan the pulls as a node makes them for a Pod of NAMESPACE: that namespace's
    /// ImagePolicies apply beside the ClusterImagePolicies (CRI-O's per-namespace policy). With
    /// --render=policy.json, print the file CRI-O reads for the namespace. Default: no
    /// namespace, the cluster-wide policy.json alone.
    #[arg(short = 'n', long, value_name = "NAMESPACE", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub namespace: Option<String>,

    /// -o and --no-headers.
    #[command(flatten)]
    pub output: ReportOutputArgs,

    /// Verification against the registries.
    #[command(flatten)]
    pub verify: VerifyArgs,
}

/// `--verify` and how registries are reached, shared by resolve, mirrors and check.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Ask the registries whether each pull source has the manifest (HEAD, as a node would
    /// connect: TLS verified, plain HTTP only for registries marked insecure), and say which
    /// source a node would get it from. Only manifests are asked for; nothing is written.
    #[arg(long)]
    pub verify: bool,

    /// Also ask sources a node never contacts (blocked).
    #[arg(long, requires = "verify")]
    pub(crate) include_blocked: bool,

    /// Trust the CA certificates in this PEM file for registries, beside the system's.
    #[arg(long, value_name = "FILE", requires = "verify")]
    pub(crate) registry_ca: Option<PathBuf>,

    /// Registry credentials in the containers-auth.json format (a pull secret works). Default:
    /// REGISTRY_AUTH_FILE, else, as podman and CRI-O search them, the first of
    /// $XDG_RUNTIME_DIR/containers/auth.json, $XDG_CONFIG_HOME/containers/auth.json,
    /// $DOCKER_CONFIG/config.json (~/.docker/config.json) and ~/.dockercfg that has an entry
    /// for the registry. Credentials are never printed.
    #[arg(long, value_name = "FILE", requires = "verify")]
    pub(crate) registry_config: Option<PathBuf>,

    /// Record the registries' answers in FILE, and replay them from it when it exists: CI can
    /// rerun a check on the same answers with no registry at hand.
    #[arg(long, value_name = "FILE", requires = "verify")]
    pub(crate) verify_cache: Option<PathBuf>,

    /// The longest all the registry checks of one run may take (30s, 2m, or a bare number of
    /// seconds); each endpoint still gets at most 30s. Sources not answered by then, and the
    /// remaining sources of a registry that timed out, are unreachable.
    #[arg(long, value_name = "DURATION", default_value = "1m", requires = "verify", value_parser = crate::verify::parse_timeout)]
    pub(crate) verify_timeout: std::time::Duration,

    /// For a manifest list, the image of this platform must be there too (as a node of it
    /// pulls): OS/ARCH[/VARIANT].
    #[arg(long, value_name = "PLATFORM", default_value = "linux/amd64", requires = "verify", value_parser = crate::verify::parse_platform)]
    pub platform: String,
}

/// Namespace selection shared by namespaced commands.
#[derive(Debug, Args)]
pub struct ScopeArgs {
    /// Namespace to read (default: the kubeconfig context's namespace, else "default").
    #[arg(short = 'n', long, value_name = "NAMESPACE", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub namespace: Option<String>,

    /// Read every namespace (it wins over -n, as with kubectl). Adds a NAMESPACE column to tables.
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
}

/// The help of a report's `-o`: its formats, and the templates every report takes.
fn output_help(formats: &str) -> String {
    format!(
        "Output format: {formats}, or a kubectl template over the JSON: jsonpath=, jsonpath-as-json= or \
         custom-columns="
    )
}

/// `-o` and `--no-headers` of the commands that print isctl's own documents (`check`,
/// `consumers`, `diff`, `mirrors`); read in settings, as `get`'s and `resolve`'s are.
#[derive(Debug, Args)]
pub struct ReportOutputArgs {
    /// Output format: table for people, yaml or json (the document the command's help names),
    /// or a kubectl template over the JSON: jsonpath=TEMPLATE, jsonpath-as-json=TEMPLATE or
    /// custom-columns=HEADER:PATH,...
    #[arg(short = 'o', long, value_name = "FORMAT", default_value = "table")]
    pub output: String,

    /// Leave out the header lines of tables.
    #[arg(long)]
    pub no_headers: bool,
}

/// `isctl get KIND [NAME...]`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// What to get: images, imagestreams (is), imagestreamtags (istag), icsp, idms, itms, or
    /// a plural.group name.
    #[arg(value_name = "KIND")]
    pub kind: String,

    /// Names to get; all objects when none is given.
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// Namespace selection.
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Output format (the help text shows the templates kubectl takes).
    #[arg(
        short = 'o',
        long,
        value_name = "FORMAT",
        default_value = "table",
        help = "Output format: table (the default), wide, yaml, json, name, jsonpath=TEMPLATE, \
                jsonpath-as-json=TEMPLATE or custom-columns=HEADER:PATH,... (kubectl's template syntax, \
                over the JSON -o json prints, e.g. -o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}')"
    )]
    pub output: String,

    /// Sort the objects by this JSONPath, as kubectl does (e.g. --sort-by=.metadata.name,
    /// --sort-by='{.metadata.creationTimestamp}').
    #[arg(long, value_name = "JSONPATH")]
    pub sort_by: Option<String>,

    /// Leave out the header line of tables.
    #[arg(long)]
    pub no_headers: bool,

    /// Only objects whose labels match, e.g. -l app=cli,tier!=test (=, ==, != and key, !key).
    #[arg(short = 'l', long, value_name = "SELECTOR")]
    pub selector: Option<String>,
}
