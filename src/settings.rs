//! Resolved settings: the command line checked and turned into what commands use, before any
//! input is read (ripgrep's low/high arguments, uv's settings). `Settings` holds what every
//! command shares; `CommandSettings` one resolved struct per command. This is the only place
//! that checks flag combinations and parses flag values, so every usage error exits 2 before any
//! file or cluster is touched; what kubectl refuses only when it runs (`get`'s templates, `-o`,
//! `--sort-by`, a name with `-l`) exits 1 here too, as kubectl does. Pure and unit-tested.

use std::path::PathBuf;
use std::time::Duration;

use jiff::Timestamp;

use crate::check::{Rule, Severity};
use crate::cli::{
    CheckArgs, Command, ConsumersArgs, DescribeArgs, DiffArgs, DiffCommand, DiffMirrorsArgs, GetArgs, GlobalArgs,
    MirrorsArgs, PruneArgs, PruneCommand, PruneImagesArgs, RecordArgs, ReportOutputArgs, ResolveArgs, ScopeArgs,
    ServeArgs,
};
use crate::duration;
use crate::model::ResourceKind;
use crate::render::jsonpath::OutputTemplate;
use crate::render::{OutputFormat, ReportFormat, TemplatedOutput};
use crate::selector::Selector;
use crate::source::files::InputLimits;
use crate::source::live::ConnectOptions;

/// Why the command line cannot be used as given (a usage error, exit 2).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// `--now`/`ISCTL_NOW` is not RFC 3339.
    #[error("invalid --now (or ISCTL_NOW) {0:?}: expected an RFC 3339 time such as 2026-01-02T03:04:05Z")]
    Now(String),
    /// A duration flag does not parse.
    #[error("invalid {flag} {text:?}: {reason}; expected a duration such as {example}")]
    Duration {
        /// The flag.
        flag: &'static str,
        /// What was given.
        text: String,
        /// Why it does not parse.
        reason: duration::DurationError,
        /// What would.
        example: &'static str,
    },
    /// A size flag does not parse.
    #[error("invalid {flag} {text:?}: {reason}")]
    Size {
        /// The flag.
        flag: &'static str,
        /// What was given.
        text: String,
        /// Why it does not parse.
        reason: crate::quantity::SizeError,
    },
    /// A usage rule of a command was broken.
    #[error("{0}")]
    Usage(String),
    /// An argument kubectl itself accepts as a flag and refuses only when it runs (a template
    /// that does not parse, an unknown `-o`, a name with `-l`): exit 1, as kubectl exits.
    #[error("{0}")]
    Refused(String),
}

fn usage(message: impl Into<String>) -> SettingsError {
    SettingsError::Usage(message.into())
}

/// What isctl learns from its surroundings before it starts: whether its output goes to a
/// terminal, how wide that is, and the variables that steer it. `main` reads them; tests make
/// them up.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    /// stdout is a terminal.
    pub stdout_terminal: bool,
    /// stderr is a terminal.
    pub stderr_terminal: bool,
    /// The terminal's width, when it can be asked.
    pub terminal_width: Option<usize>,
    /// `COLUMNS`: the width to use on a terminal.
    pub columns: Option<String>,
    /// `ISCTL_COLUMNS`: fit tables to this width even when stdout is not a terminal.
    pub isctl_columns: Option<String>,
    /// `NO_COLOR` is set to something.
    pub no_color: bool,
    /// `LC_ALL`, `LC_CTYPE` and `LANG`, in that order: whether the terminal speaks UTF-8.
    pub locale: [Option<String>; 3],
    /// `REGISTRY_AUTH_FILE`, `XDG_RUNTIME_DIR` and `HOME`: where registry credentials are found.
    pub auth: crate::verify::auth::AuthLookup,
}

/// How output meets a person.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Terminal {
    /// Fit tables to this many columns; `None` never cuts (output that is not a terminal).
    pub width: Option<usize>,
    /// Fit summary lines on stderr to this many columns; `None` never cuts (not a terminal).
    pub(crate) stderr_width: Option<usize>,
    /// Colour rows that need attention.
    pub color: bool,
    /// Show a progress line on stderr during long loads.
    pub(crate) progress: bool,
    /// Unicode or ASCII, from the locale.
    pub(crate) glyphs: crate::render::fit::Glyphs,
}

impl Terminal {
    /// From `--color` and the environment: `ISCTL_COLUMNS` always fits; on a terminal `COLUMNS`,
    /// else the terminal's width; colour on a terminal unless `NO_COLOR`.
    pub(crate) fn resolve(color: crate::cli::ColorChoice, env: &Environment) -> Result<Terminal, SettingsError> {
        let number = |name: &str, text: &String| {
            text.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| usage(format!("{name} must be a positive number, not {text:?}")))
        };
        let on_terminal = |terminal: bool| -> Result<Option<usize>, SettingsError> {
            Ok(match (&env.isctl_columns, terminal) {
                (Some(text), _) => Some(number("ISCTL_COLUMNS", text)?),
                (None, true) => Some(
                    env.columns
                        .as_ref()
                        .and_then(|c| c.trim().parse().ok())
                        .filter(|n| *n > 0)
                        .or(env.terminal_width)
                        .unwrap_or(80),
                ),
                (None, false) => None,
            })
        };
        let (width, stderr_width) = (on_terminal(env.stdout_terminal)?, on_terminal(env.stderr_terminal)?);
        let color = match color {
            crate::cli::ColorChoice::Always => true,
            crate::cli::ColorChoice::Never => false,
            crate::cli::ColorChoice::Auto => env.stdout_terminal && !env.no_color,
        };
        let [lc_all, lc_ctype, lang] = env.locale.each_ref().map(Option::as_deref);
        let glyphs = crate::render::fit::Glyphs::for_locale(lc_all, lc_ctype, lang);
        Ok(Terminal { width, stderr_width, color, progress: env.stderr_terminal, glyphs })
    }
}

/// Settings every command uses.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// The time ages are measured against.
    pub now: Timestamp,
    /// Where objects come from.
    pub input: Input,
    /// Terminal width, colour and progress.
    pub terminal: Terminal,
    /// Objects to leave out of the input (`--without`).
    pub without: Vec<Without>,
    /// Where registry credentials are looked for, from the environment.
    pub auth: crate::verify::auth::AuthLookup,
    /// The largest file a flag other than `--from` may name (`--max-file-size`): baselines,
    /// credentials, CAs, caches and tokens are read within it, as `--from` files are.
    pub(crate) file_limit: u64,
}

/// `--verify` and its options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct VerifySettings {
    /// `--include-blocked`.
    pub(crate) include_blocked: bool,
    /// `--registry-ca`.
    pub(crate) registry_ca: Option<PathBuf>,
    /// Where the credentials are looked for, `--registry-config` first.
    pub auth: crate::verify::auth::AuthLookup,
    /// `--verify-cache`.
    pub cache: Option<PathBuf>,
    /// `--platform`.
    pub platform: String,
    /// `--verify-timeout`: the deadline of all the registry checks of one run.
    pub deadline: std::time::Duration,
}

impl VerifySettings {
    /// `None` without `--verify`.
    pub(crate) fn resolve(args: &crate::cli::VerifyArgs, global: &Settings) -> Option<VerifySettings> {
        args.verify.then(|| VerifySettings {
            include_blocked: args.include_blocked,
            registry_ca: args.registry_ca.clone(),
            auth: crate::verify::auth::AuthLookup { flag: args.registry_config.clone(), ..global.auth.clone() },
            cache: args.verify_cache.clone(),
            platform: args.platform.clone(),
            deadline: args.verify_timeout,
        })
    }
}

/// An object `--without` leaves out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Without {
    /// Its kind.
    pub kind: ResourceKind,
    /// Its namespace; empty for cluster-scoped kinds.
    pub namespace: String,
    /// Its name.
    pub name: String,
}

impl Without {
    /// Parses `KIND/NAME` or, for namespaced kinds, `KIND/NAMESPACE/NAME`.
    pub(crate) fn parse(text: &str) -> Result<Without, SettingsError> {
        let bad = |why: &str| usage(format!("--without {text:?}: {why}"));
        let (kind, rest) = text.split_once('/').ok_or_else(|| bad("expected KIND/NAME, e.g. icsp/release-0"))?;
        let kind = ResourceKind::from_cli_name(kind)
            .filter(|k| {
                !matches!(
                    k,
                    ResourceKind::ImageStreamTag | ResourceKind::ImageStreamImage | ResourceKind::ImageStreamLayers
                )
            })
            .ok_or_else(|| bad("not a kind isctl reads (images, is, icsp, idms, itms, images.config.openshift.io)"))?;
        let (namespace, name) = match (kind.info().namespaced, rest.split_once('/')) {
            (true, Some((namespace, name))) => (namespace, name),
            (true, None) => return Err(bad("a namespaced kind needs KIND/NAMESPACE/NAME")),
            (false, Some(_)) => return Err(bad("a cluster-scoped kind takes KIND/NAME")),
            (false, None) => ("", rest),
        };
        if kind.info().namespaced {
            checked_name("namespace", namespace)?;
        }
        checked_name("resource name", name)?;
        Ok(Without { kind, namespace: namespace.to_owned(), name: name.to_owned() })
    }

    /// `kind/name` as messages say it.
    pub(crate) fn describe(&self) -> String {
        let name =
            if self.namespace.is_empty() { self.name.clone() } else { format!("{}/{}", self.namespace, self.name) };
        format!("{}/{name}", self.kind.qualified_plural())
    }
}

impl Settings {
    /// Resolves the global options; `clock` is read only when `--now` is absent.
    pub(crate) fn resolve(
        global: &GlobalArgs,
        env: &Environment,
        clock: impl FnOnce() -> Timestamp,
    ) -> Result<Settings, SettingsError> {
        let now = match &global.now {
            Some(text) => text.trim().parse().map_err(|_| SettingsError::Now(text.clone()))?,
            None => clock(),
        };
        let (input, limits) = input(global)?;
        let terminal = Terminal::resolve(global.color, env)?;
        let without = global.without.iter().map(|w| Without::parse(w)).collect::<Result<_, _>>()?;
        Ok(Settings { now, input, terminal, without, auth: env.auth.clone(), file_limit: limits.file })
    }

    /// Whether objects come from files.
    pub(crate) fn offline(&self) -> bool {
        matches!(self.input, Input::Files(..))
    }
}

/// How long one request to the cluster may take, retries included, when `--request-timeout` is
/// not given. kubectl waits forever; isctl gives every run a deadline against a server that
/// accepts connections and never answers. Twice the API server's own limit on a request (60s),
/// so no answer a server can give is cut; `--request-timeout 0` waits forever, as in kubectl.
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// Where objects come from, from the global flags alone, and what reading files may cost (also
/// the limit on files other flags name). Pure: completion reads the same flags off the words on
/// its line with it, so it reaches the input the user named.
pub fn input(global: &GlobalArgs) -> Result<(Input, InputLimits), SettingsError> {
    let request_timeout = match &global.request_timeout {
        Some(text) => {
            let parsed =
                duration::parse(text, duration::REQUEST_TIMEOUT).map_err(|reason| SettingsError::Duration {
                    flag: "--request-timeout",
                    text: text.clone(),
                    reason,
                    example: "30s, 1m30s, 500ms or 0 (no timeout)",
                })?;
            (!parsed.is_zero()).then_some(parsed)
        }
        None => Some(DEFAULT_REQUEST_TIMEOUT),
    };
    let size = |flag: &'static str, text: &String| {
        crate::quantity::parse_bytes(text).map_err(|reason| SettingsError::Size { flag, text: text.clone(), reason })
    };
    let limits = InputLimits {
        file: size("--max-file-size", &global.max_file_size)?,
        archive: size("--max-archive-size", &global.max_archive_size)?,
        decode: crate::source::decode::Limits {
            alias_expansion: size("--max-alias-expansion", &global.max_alias_expansion)?,
        },
    };
    let input = if global.from.is_empty() {
        Input::Cluster(ConnectOptions {
            kubeconfig: global.kubeconfig.clone(),
            context: global.context.clone(),
            insecure_skip_tls_verify: global.insecure_skip_tls_verify,
            request_timeout,
            chunk_size: global.chunk_size as usize,
            max_response_size: size("--max-response-size", &global.max_response_size)?,
        })
    } else {
        Input::Files(global.from.clone(), limits)
    };
    Ok((input, limits))
}

/// Where objects come from.
#[derive(Clone, Debug)]
pub enum Input {
    /// `--from` paths, and what reading them may cost.
    Files(Vec<PathBuf>, InputLimits),
    /// A cluster, reached like kubectl reaches it.
    Cluster(ConnectOptions),
}

/// Which namespaces a command reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// One namespace.
    Namespace(String),
    /// Every namespace (`-A`).
    All,
}

impl Scope {
    /// The namespace, or `None` for all.
    pub(crate) fn namespace(&self) -> Option<&str> {
        match self {
            Scope::Namespace(ns) => Some(ns),
            Scope::All => None,
        }
    }
}

/// `-n`/`-A` as given; the default namespace is only known once the input is open (it is the
/// kubeconfig context's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ScopeRequest {
    /// Neither flag: the context's namespace, or `default`.
    Default,
    /// `-n NAMESPACE`.
    Namespace(String),
    /// `-A` (it wins over `-n`, as with kubectl).
    All,
}

impl ScopeRequest {
    /// From the flags.
    pub(crate) fn from_args(args: &ScopeArgs) -> Result<ScopeRequest, SettingsError> {
        Ok(match (&args.namespace, args.all_namespaces) {
            (_, true) => ScopeRequest::All,
            (Some(ns), false) => {
                checked_name("namespace", ns)?;
                ScopeRequest::Namespace(ns.clone())
            }
            (None, false) => ScopeRequest::Default,
        })
    }

    /// The scope, given the input's default namespace.
    pub(crate) fn resolve(&self, default_namespace: &str) -> Scope {
        match self {
            ScopeRequest::All => Scope::All,
            ScopeRequest::Namespace(ns) => Scope::Namespace(ns.clone()),
            ScopeRequest::Default => Scope::Namespace(default_namespace.to_owned()),
        }
    }
}

pub(crate) use crate::resolve::Selection;

/// Refuses a name or namespace the API server would refuse as a path segment (empty, `.`, `..`,
/// `/`, `%`), before it becomes part of a request, as kubectl does.
fn checked_name(what: &str, name: &str) -> Result<(), SettingsError> {
    match crate::names::path_segment_problem(name) {
        None => Ok(()),
        Some(_) if name.is_empty() => Err(usage(format!("{what} may not be empty"))),
        Some(problem) => Err(usage(format!("invalid {what} {name:?}: {problem}"))),
    }
}

/// The stream names after a leading resource type (`isctl resolve is cli`, kubectl's habit from
/// `kubectl get is cli`): the type is read as what it names, not as a stream called `is`. A
/// lone word stays a name.
fn without_kind_word(arguments: &[String]) -> &[String] {
    const KINDS: [&str; 8] = [
        "is",
        "imagestream",
        "imagestreams",
        "imagestream.image.openshift.io",
        "imagestreams.image.openshift.io",
        "istag",
        "imagestreamtag",
        "imagestreamtags",
    ];
    match arguments.split_first() {
        Some((first, rest)) if !rest.is_empty() && KINDS.contains(&first.as_str()) => rest,
        _ => arguments,
    }
}

/// Parses `STREAM[:TAG]` arguments; names with `-A` are refused as kubectl refuses them.
fn selections(arguments: &[String], scope: &ScopeRequest) -> Result<Vec<Selection>, SettingsError> {
    if *scope == ScopeRequest::All && !arguments.is_empty() {
        return Err(usage("a resource cannot be retrieved by name across all namespaces"));
    }
    arguments
        .iter()
        .map(|argument| {
            let (stream, tag) = match argument.split_once(':') {
                Some((stream, tag)) => (stream, Some(tag)),
                None => (argument.as_str(), None),
            };
            if stream.is_empty() || tag == Some("") || argument.contains('@') || tag.is_some_and(|t| t.contains(':')) {
                return Err(usage(format!("{argument:?} is not STREAM or STREAM:TAG")));
            }
            checked_name("resource name", stream)?;
            if let Some(tag) = tag {
                checked_name("tag", tag)?;
            }
            Ok(Selection { stream: stream.to_owned(), tag: tag.map(str::to_owned) })
        })
        .collect()
}

/// Each command's resolved settings.
#[derive(Clone, Debug)]
pub(crate) enum CommandSettings {
    /// `get`.
    Get(GetSettings),
    /// `describe`.
    Describe(DescribeSettings),
    /// `mirrors`.
    Mirrors(MirrorsSettings),
    /// `resolve`.
    Resolve(ResolveSettings),
    /// `serve`.
    Serve(ServeSettings),
    /// `record`.
    Record(RecordSettings),
    /// `check`.
    Check(CheckSettings),
    /// `consumers`.
    Consumers(ConsumersSettings),
    /// `diff mirrors`.
    DiffMirrors(DiffMirrorsSettings),
    /// `diff streams`.
    DiffStreams(DiffStreamsSettings),
    /// `prune images`.
    PruneImages(PruneImagesSettings),
}

impl CommandSettings {
    /// Whether the command writes a report for people (its warnings follow it): not `get`
    /// (kubectl's order), `serve` (a log) or `record` (files).
    pub(crate) fn is_report(&self) -> bool {
        !matches!(self, CommandSettings::Get(_) | CommandSettings::Serve(_) | CommandSettings::Record(_))
    }

    /// Resolves the command's arguments against the global settings.
    pub(crate) fn resolve(command: &Command, global: &Settings) -> Result<CommandSettings, SettingsError> {
        Ok(match command {
            Command::Get(args) => CommandSettings::Get(GetSettings::resolve(args)?),
            Command::Describe(args) => CommandSettings::Describe(DescribeSettings::resolve(args, global)?),
            Command::Mirrors(args) => CommandSettings::Mirrors(MirrorsSettings::resolve(args, global)?),
            Command::Resolve(args) => CommandSettings::Resolve(ResolveSettings::resolve(args, global)?),
            Command::Serve(args) => CommandSettings::Serve(ServeSettings::resolve(args, global)?),
            Command::Record(args) => CommandSettings::Record(RecordSettings::resolve(args)?),
            Command::Check(args) => CommandSettings::Check(CheckSettings::resolve(args, global)?),
            Command::Consumers(args) => CommandSettings::Consumers(ConsumersSettings::resolve(args)?),
            Command::Prune(PruneArgs { what: PruneCommand::Images(args) }) => {
                CommandSettings::PruneImages(PruneImagesSettings::resolve(args)?)
            }
            Command::Diff(DiffArgs { what: DiffCommand::Mirrors(args) }) => {
                CommandSettings::DiffMirrors(DiffMirrorsSettings::resolve(args, global)?)
            }
            // They run before settings are resolved (commands::main), needing none.
            Command::Completion { .. } | Command::Man { .. } | Command::Complete { .. } => {
                return Err(usage("completion and man take no settings"));
            }
            Command::Diff(DiffArgs { what: DiffCommand::Streams(args) }) => {
                let output = report_output(&args.output)?;
                let scope = ScopeRequest::from_args(&args.scope)?;
                CommandSettings::DiffStreams(DiffStreamsSettings {
                    selections: selections(&args.streams, &scope)?,
                    scope,
                    to: args.to.clone(),
                    output: output.format,
                    template: output.template,
                    no_headers: args.output.no_headers,
                })
            }
        })
    }
}

/// `isctl diff streams`.
#[derive(Clone, Debug)]
pub(crate) struct DiffStreamsSettings {
    /// Namespace selection.
    pub scope: ScopeRequest,
    /// Streams and tags named.
    pub selections: Vec<Selection>,
    /// The other state.
    pub to: Vec<PathBuf>,
    /// Output format.
    pub output: ReportFormat,
    /// `-o jsonpath=` and the other templates.
    pub template: Option<OutputTemplate>,
    /// `--no-headers`.
    pub no_headers: bool,
}

/// `isctl diff mirrors`.
#[derive(Clone, Debug)]
pub(crate) struct DiffMirrorsSettings {
    /// Namespace selection.
    pub scope: ScopeRequest,
    /// Streams and tags named.
    pub selections: Vec<Selection>,
    /// Files laid over the current state.
    pub proposed: Vec<PathBuf>,
    /// `--migrate-icsp`.
    pub(crate) migrate_icsp: bool,
    /// `--images`.
    pub images: Option<PathBuf>,
    /// `--history`.
    pub history: bool,
    /// `--render`.
    pub render: bool,
    /// Output format.
    pub output: ReportFormat,
    /// `-o jsonpath=` and the other templates.
    pub template: Option<OutputTemplate>,
    /// `--no-headers`.
    pub no_headers: bool,
}

impl DiffMirrorsSettings {
    /// Checks that something is proposed.
    pub(crate) fn resolve(args: &DiffMirrorsArgs, global: &Settings) -> Result<DiffMirrorsSettings, SettingsError> {
        let output = report_output(&args.output)?;
        if args.proposed.is_empty() && !args.migrate_icsp && global.without.is_empty() {
            return Err(usage("nothing is proposed: give --proposed PATH, --migrate-icsp or --without KIND/NAME"));
        }
        if args.render && output.format != ReportFormat::Table {
            return Err(usage("--render prints the registries.conf difference; it takes no -o"));
        }
        let scope = ScopeRequest::from_args(&args.scope)?;
        Ok(DiffMirrorsSettings {
            selections: selections(&args.streams, &scope)?,
            scope,
            proposed: args.proposed.clone(),
            migrate_icsp: args.migrate_icsp,
            images: args.images.clone(),
            history: args.history,
            render: args.render,
            output: output.format,
            template: output.template,
            no_headers: args.output.no_headers,
        })
    }
}

/// `isctl get`.
#[derive(Clone, Debug)]
pub(crate) struct GetSettings {
    /// What to get.
    pub kind: ResourceKind,
    /// Names; every object when empty.
    pub names: Vec<String>,
    /// Namespaces.
    pub scope: ScopeRequest,
    /// `-o`: for templates, `Json` (the JSON they read).
    pub output: OutputFormat,
    /// `-o jsonpath=`, `-o jsonpath-as-json=` or `-o custom-columns=`.
    pub template: Option<OutputTemplate>,
    /// `--sort-by`.
    pub sort_by: Option<crate::render::jsonpath::Template>,
    /// `--no-headers`.
    pub no_headers: bool,
    /// `-l`.
    pub selector: Selector,
}

/// Reads `get`'s `-o`: a format name, or a template kind with its template.
/// A report's `-o` (`check`, `consumers`, `diff`, `mirrors`): a format or a kubectl template.
fn report_output(args: &ReportOutputArgs) -> Result<TemplatedOutput<ReportFormat>, SettingsError> {
    templated(&args.output, crate::render::parse_report_output)
}

/// `-o` read by `parse`. A template that does not parse or a format no printer has is refused
/// when the command runs (exit 1), as kubectl refuses them, for every command alike.
fn templated<F>(
    text: &str,
    parse: fn(&str) -> Result<TemplatedOutput<F>, String>,
) -> Result<TemplatedOutput<F>, SettingsError> {
    parse(text).map_err(SettingsError::Refused)
}

/// `get`'s `-o`: kubectl's formats (`name` and `wide` too), or a template.
fn output_format(text: &str) -> Result<(OutputFormat, Option<OutputTemplate>), SettingsError> {
    if let Some(template) = OutputTemplate::parse(text).map_err(SettingsError::Refused)? {
        return Ok((OutputFormat::Json, Some(template)));
    }
    match text {
        "table" => Ok((OutputFormat::Table, None)),
        "wide" => Ok((OutputFormat::Wide, None)),
        "yaml" => Ok((OutputFormat::Yaml, None)),
        "json" => Ok((OutputFormat::Json, None)),
        "name" => Ok((OutputFormat::Name, None)),
        _ => Err(SettingsError::Refused(format!(
            "unable to match a printer suitable for the output format {text:?}, allowed formats are: \
             custom-columns,json,jsonpath,jsonpath-as-json,name,table,wide,yaml"
        ))),
    }
}

impl GetSettings {
    /// Checks and resolves `get`'s arguments.
    pub(crate) fn resolve(args: &GetArgs) -> Result<GetSettings, SettingsError> {
        let kind = ResourceKind::from_cli_name(&args.kind)
            .filter(|k| !matches!(k, ResourceKind::ImageStreamImage | ResourceKind::ImageStreamLayers))
            .ok_or_else(|| {
                usage(format!(
                    "the resource type {:?} is not one isctl gets; use images, imagestreams (is), imagestreamtags (istag), \
                     imagecontentsourcepolicies (icsp), imagedigestmirrorsets (idms), imagetagmirrorsets (itms), \
                     images.config.openshift.io, clusterimagepolicies or imagepolicies",
                    args.kind
                ))
            })?;
        let scope = ScopeRequest::from_args(&args.scope)?;
        if scope == ScopeRequest::All && !args.names.is_empty() {
            return Err(usage("a resource cannot be retrieved by name across all namespaces"));
        }
        for name in &args.names {
            checked_name("resource name", name)?;
        }
        if kind == ResourceKind::ImageStreamTag
            && let Some(bad) =
                args.names.iter().find(|n| n.split_once(':').is_none_or(|(s, t)| s.is_empty() || t.is_empty()))
        {
            return Err(usage(format!("{bad:?} is not a valid image stream tag name: must be <stream>:<tag>")));
        }
        if args.selector.is_some() && !args.names.is_empty() {
            return Err(SettingsError::Refused("name cannot be provided when a selector is specified".into()));
        }
        let selector = match &args.selector {
            Some(text) => Selector::parse(text).map_err(|e| usage(e.to_string()))?,
            None => Selector::default(),
        };
        let (output, template) = output_format(&args.output)?;
        let sort_by = match &args.sort_by {
            Some(path) => Some(
                crate::render::jsonpath::Template::parse_path(path)
                    .map_err(|e| SettingsError::Refused(format!("error parsing --sort-by {path:?}: {e}")))?,
            ),
            None => None,
        };
        Ok(GetSettings {
            kind,
            names: args.names.clone(),
            scope,
            output,
            template,
            sort_by,
            no_headers: args.no_headers,
            selector,
        })
    }
}

/// What `isctl consumers` asks about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ConsumersQuery {
    /// A stream, and one tag or all.
    Stream(Selection),
    /// One image, by digest.
    Image(String),
}

/// `isctl consumers`.
#[derive(Clone, Debug)]
pub(crate) struct ConsumersSettings {
    /// What is asked about.
    pub query: ConsumersQuery,
    /// The stream's namespace; with --image, the namespaces searched (all without -n).
    pub scope: ScopeRequest,
    /// `--workload-namespace`: where workloads are looked for (all when `None`).
    pub(crate) workload_namespace: Option<String>,
    /// `-o`.
    pub output: ReportFormat,
    /// `-o jsonpath=` and the other templates.
    pub template: Option<OutputTemplate>,
    /// `--no-headers`.
    pub no_headers: bool,
}

impl ConsumersSettings {
    /// Checks and resolves `consumers`' arguments.
    pub(crate) fn resolve(args: &ConsumersArgs) -> Result<ConsumersSettings, SettingsError> {
        let output = report_output(&args.output)?;
        let mut scope = ScopeRequest::from_args(&args.scope)?;
        let query = match (&args.stream, &args.image) {
            (Some(stream), None) => {
                if scope == ScopeRequest::All {
                    return Err(usage("consumers reads one stream: give -n NAMESPACE, not -A"));
                }
                ConsumersQuery::Stream(selections(std::slice::from_ref(stream), &scope)?.remove(0))
            }
            (None, Some(image)) => {
                let digest = crate::reference::digest_of(image)
                    .filter(|d| !image.contains('@') || image.ends_with(d.as_str()))
                    .ok_or_else(|| usage(format!("--image {image:?} is not a digest (sha256:...)")))?;
                if args.scope.namespace.is_none() {
                    scope = ScopeRequest::All;
                }
                ConsumersQuery::Image(digest)
            }
            _ => return Err(usage("give a STREAM[:TAG] or --image DIGEST")),
        };
        if let Some(namespace) = &args.workload_namespace {
            checked_name("namespace", namespace)?;
        }
        Ok(ConsumersSettings {
            query,
            scope,
            workload_namespace: args.workload_namespace.clone(),
            output: output.format,
            template: output.template,
            no_headers: args.output.no_headers,
        })
    }
}

/// `isctl prune images`.
#[derive(Clone, Debug)]
pub(crate) struct PruneImagesSettings {
    /// `--keep-tag-revisions`.
    pub keep_tag_revisions: usize,
    /// `--keep-younger-than`.
    pub keep_younger_than: std::time::Duration,
    /// `--all`.
    pub all: bool,
    /// `--ignore-invalid-refs`.
    pub ignore_invalid_refs: bool,
    /// `--prune-over-size-limit`.
    pub over_size_limit: bool,
    /// `-n`, when given: that namespace only.
    pub namespace: Option<String>,
    /// `-o name`: the pruned images' names, one per line.
    pub names_only: bool,
    /// `-o`.
    pub output: ReportFormat,
    /// `-o jsonpath=` and the other templates.
    pub template: Option<OutputTemplate>,
    /// `--no-headers`.
    pub no_headers: bool,
}

impl PruneImagesSettings {
    /// Checks and resolves `prune images`' arguments.
    pub(crate) fn resolve(args: &PruneImagesArgs) -> Result<PruneImagesSettings, SettingsError> {
        let names_only = args.output.output == "name";
        let output = match names_only {
            true => TemplatedOutput { format: ReportFormat::Table, template: None },
            false => report_output(&args.output)?,
        };
        if let Some(namespace) = &args.namespace {
            checked_name("namespace", namespace)?;
        }
        if args.prune_over_size_limit && (args.keep_tag_revisions.is_some() || args.keep_younger_than.is_some()) {
            return Err(usage(
                "--prune-over-size-limit cannot be specified with --keep-tag-revisions nor --keep-younger-than",
            ));
        }
        Ok(PruneImagesSettings {
            keep_tag_revisions: args.keep_tag_revisions.unwrap_or(3),
            keep_younger_than: args.keep_younger_than.unwrap_or(std::time::Duration::from_secs(3600)),
            all: args.all,
            ignore_invalid_refs: args.ignore_invalid_refs,
            over_size_limit: args.prune_over_size_limit,
            namespace: args.namespace.clone(),
            names_only,
            output: output.format,
            template: output.template,
            no_headers: args.output.no_headers,
        })
    }
}

/// `isctl describe`.
#[derive(Clone, Debug)]
pub(crate) struct DescribeSettings {
    /// The stream, and the tag for `istag`.
    pub(crate) selection: Selection,
    /// Namespaces (one).
    pub scope: ScopeRequest,
    /// History items shown per tag (`None`: all).
    pub history: Option<usize>,
    /// `--verify`.
    pub verify: Option<VerifySettings>,
}

impl DescribeSettings {
    /// Checks and resolves `describe`'s arguments.
    pub(crate) fn resolve(args: &DescribeArgs, global: &Settings) -> Result<DescribeSettings, SettingsError> {
        let kind = ResourceKind::from_cli_name(&args.kind)
            .filter(|k| matches!(k, ResourceKind::ImageStream | ResourceKind::ImageStreamTag))
            .ok_or_else(|| {
                usage(format!("isctl describes imagestreams (is) and imagestreamtags (istag), not {:?}", args.kind))
            })?;
        let scope = ScopeRequest::from_args(&args.scope)?;
        if scope == ScopeRequest::All {
            return Err(usage("describe reads one namespace: give -n NAMESPACE, not -A"));
        }
        let selection = selections(std::slice::from_ref(&args.name), &scope)?.remove(0);
        match (kind, &selection.tag) {
            (ResourceKind::ImageStreamTag, None) => {
                Err(usage(format!("{:?} is not a valid image stream tag name: must be <stream>:<tag>", args.name)))
            }
            (ResourceKind::ImageStream, Some(_)) => {
                Err(usage(format!("{:?} names a tag: use describe istag {}", args.name, args.name)))
            }
            _ => {
                let history = match (args.history.current, args.history.history) {
                    (true, _) => Some(1),
                    (false, Some(0)) => None,
                    (false, Some(n)) => Some(n),
                    (false, None) => Some(TABLE_HISTORY),
                };
                Ok(DescribeSettings {
                    selection,
                    scope,
                    history,
                    verify: VerifySettings::resolve(&args.verify, global),
                })
            }
        }
    }
}

/// What `isctl mirrors` prints.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum MirrorsMode {
    /// `--render`: a file nodes get.
    Render(crate::cli::RenderedFile),
    /// Pull plans for these references.
    Plans {
        /// The references, as given.
        references: Vec<String>,
        /// `-o`.
        output: ReportFormat,
        /// `-o jsonpath=` and the other templates.
        template: Option<OutputTemplate>,
        /// `--no-headers`.
        no_headers: bool,
    },
}

/// `isctl mirrors`.
#[derive(Clone, Debug)]
pub(crate) struct MirrorsSettings {
    /// What to print.
    pub mode: MirrorsMode,
    /// `--verify`.
    pub verify: Option<VerifySettings>,
    /// `-n`: plan (or render policy.json) for the Pods of this namespace.
    pub namespace: Option<String>,
}

impl MirrorsSettings {
    /// Checks and resolves `mirrors`' arguments.
    pub(crate) fn resolve(args: &MirrorsArgs, global: &Settings) -> Result<MirrorsSettings, SettingsError> {
        let output = report_output(&args.output)?;
        if args.render.is_some() && args.verify.verify {
            return Err(usage("--render prints a node's file; --verify checks plans: give PULLSPECs to verify"));
        }
        if args.render.is_some() && output.format != ReportFormat::Table {
            return Err(usage("--render prints the file as nodes get it; -o does not apply"));
        }
        if args.namespace.is_some() && args.render.is_some_and(|f| f != crate::cli::RenderedFile::PolicyJson) {
            return Err(usage(
                "-n applies to plans and to --render=policy.json: other files are the same for every namespace",
            ));
        }
        let mode = match (args.render, args.references.is_empty()) {
            (Some(file), true) => MirrorsMode::Render(file),
            (Some(_), false) => return Err(usage("--render takes no PULLSPEC")),
            (None, true) => return Err(usage("give at least one PULLSPEC, or --render")),
            (None, false) => MirrorsMode::Plans {
                references: args.references.clone(),
                output: output.format,
                template: output.template,
                no_headers: args.output.no_headers,
            },
        };
        Ok(MirrorsSettings {
            mode,
            verify: VerifySettings::resolve(&args.verify, global),
            namespace: args.namespace.clone(),
        })
    }
}

/// `isctl resolve`.
#[derive(Clone, Debug)]
pub(crate) struct ResolveSettings {
    /// The streams and tags asked for; every stream in scope when empty.
    pub selections: Vec<Selection>,
    /// Namespaces.
    pub scope: ScopeRequest,
    /// `-o jsonpath=` and the other templates.
    pub template: Option<OutputTemplate>,
    /// `-o`.
    pub output: OutputFormat,
    /// `--no-headers`.
    pub no_headers: bool,
    /// `--current` (1) or `--history N` (0 for all), when given.
    pub history: Option<usize>,
    /// `--current` was given (so hints suggest leaving it out rather than `--history`).
    pub current: bool,
    /// `--verify`.
    pub verify: Option<VerifySettings>,
}

/// History items a resolve table shows per tag unless asked otherwise.
pub const TABLE_HISTORY: usize = 5;

impl ResolveSettings {
    /// Checks and resolves `resolve`'s arguments.
    pub(crate) fn resolve(args: &ResolveArgs, global: &Settings) -> Result<ResolveSettings, SettingsError> {
        let output = templated(&args.output, crate::render::parse_resolve_output)?;
        let scope = ScopeRequest::from_args(&args.scope)?;
        let history = if args.history.current { Some(1) } else { args.history.history };
        Ok(ResolveSettings {
            selections: selections(without_kind_word(&args.streams), &scope)?,
            scope,
            output: output.format.into(),
            template: output.template,
            no_headers: args.no_headers,
            history,
            current: args.history.current,
            verify: VerifySettings::resolve(&args.verify, global),
        })
    }
}

/// `isctl check`.
#[derive(Clone, Debug)]
pub(crate) struct CheckSettings {
    /// The streams and tags asked for; every stream in scope when empty.
    pub selections: Vec<Selection>,
    /// Namespaces.
    pub scope: ScopeRequest,
    /// `--fail-on`.
    pub(crate) fail_on: Severity,
    /// `--disable`.
    pub disabled: Vec<Rule>,
    /// `--require-mirror`.
    pub(crate) require_mirror: bool,
    /// `--max-age`.
    pub(crate) max_age: Option<Duration>,
    /// `--baseline`.
    pub baseline: Option<PathBuf>,
    /// `--junit`.
    pub junit: Option<PathBuf>,
    /// `--proposed`.
    pub proposed: Vec<PathBuf>,
    /// `--verify`.
    pub verify: Option<VerifySettings>,
    /// `-o jsonpath=` and the other templates.
    pub template: Option<OutputTemplate>,
    /// `-o`.
    pub output: ReportFormat,
    /// `--no-headers`.
    pub no_headers: bool,
}

impl CheckSettings {
    /// Checks and resolves `check`'s arguments.
    pub(crate) fn resolve(args: &CheckArgs, global: &Settings) -> Result<CheckSettings, SettingsError> {
        let output = report_output(&args.output)?;
        let scope = ScopeRequest::from_args(&args.scope)?;
        let max_age = match &args.max_age {
            Some(text) => Some(duration::parse(text, duration::AGE).map_err(|reason| SettingsError::Duration {
                flag: "--max-age",
                text: text.clone(),
                reason,
                example: "36h, 30d or 2w",
            })?),
            None => None,
        };
        Ok(CheckSettings {
            selections: selections(without_kind_word(&args.streams), &scope)?,
            scope,
            fail_on: args.fail_on,
            disabled: args.disable.clone(),
            require_mirror: args.require_mirror,
            max_age,
            baseline: args.baseline.clone(),
            junit: args.junit.clone(),
            proposed: args.proposed.clone(),
            verify: VerifySettings::resolve(&args.verify, global),
            output: output.format,
            template: output.template,
            no_headers: args.output.no_headers,
        })
    }
}

/// `isctl record`.
#[derive(Clone, Debug)]
pub(crate) struct RecordSettings {
    /// Where to write.
    pub dir: PathBuf,
    /// Namespaces.
    pub scope: ScopeRequest,
    /// `--workloads`.
    pub workloads: bool,
    /// `--all-images`.
    pub all_images: bool,
}

impl RecordSettings {
    /// Resolves `record`'s arguments.
    pub(crate) fn resolve(args: &RecordArgs) -> Result<RecordSettings, SettingsError> {
        let dir = &args.dir;
        if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
            return Err(usage(format!("{} exists and is not empty; record into a new directory", dir.display())));
        }
        Ok(RecordSettings {
            dir: dir.clone(),
            scope: ScopeRequest::from_args(&args.scope)?,
            workloads: args.workloads,
            all_images: args.all_images,
        })
    }
}

/// Where `serve`'s bearer token comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TokenSource {
    /// `--token` or `ISCTL_SERVE_TOKEN`.
    Value(String),
    /// `--token-file`: the file's first line.
    File(PathBuf),
}

/// `serve`'s TLS material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TlsFiles {
    /// PEM certificate chain.
    pub cert: PathBuf,
    /// PEM private key.
    pub key: PathBuf,
    /// PEM CA written into the kubeconfig.
    pub ca: Option<PathBuf>,
}

/// `isctl serve`.
#[derive(Clone, Debug)]
pub(crate) struct ServeSettings {
    /// Where to listen.
    pub address: std::net::SocketAddr,
    /// Resources answered with 403.
    pub deny: Vec<String>,
    /// Namespaced resources answered with 403 across all namespaces only.
    pub deny_all_namespaces: Vec<String>,
    /// The token clients must send.
    pub token: Option<TokenSource>,
    /// The user named in Forbidden messages.
    pub user: String,
    /// HTTPS material.
    pub tls: Option<TlsFiles>,
    /// Where to write a kubeconfig.
    pub(crate) write_kubeconfig: Option<PathBuf>,
    /// Connection, header and write bounds.
    pub limits: crate::serve::http::Limits,
}

impl ServeSettings {
    /// Checks and resolves `serve`'s arguments.
    pub(crate) fn resolve(args: &ServeArgs, global: &Settings) -> Result<ServeSettings, SettingsError> {
        if !args.address.ip().is_loopback() && !args.allow_remote {
            return Err(usage(format!(
                "refusing to listen on {}: not a loopback address (pass --allow-remote to mean it)",
                args.address
            )));
        }
        if !global.offline() {
            return Err(usage("serve needs --from PATH: it serves recorded objects, not a live cluster"));
        }
        let token = match (&args.token, &args.token_file) {
            (Some(_), Some(_)) => return Err(usage("give --token or --token-file, not both")),
            (Some(token), None) if token.is_empty() => return Err(usage("--token may not be empty")),
            (Some(token), None) => Some(TokenSource::Value(token.clone())),
            (None, Some(path)) => Some(TokenSource::File(path.clone())),
            (None, None) => None,
        };
        let tls = match (&args.tls_cert, &args.tls_key) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert: cert.clone(), key: key.clone(), ca: args.tls_ca.clone() }),
            _ => None,
        };
        let timeout = |flag: &'static str, text: &String| {
            let go = duration::Forms { bare_seconds: false, days_and_weeks: false };
            match duration::parse(text, go) {
                Ok(d) if !d.is_zero() => Ok(d),
                Ok(_) => Err(usage(format!("{flag} must be more than 0"))),
                Err(reason) => Err(SettingsError::Duration { flag, text: text.clone(), reason, example: "10s or 1m" }),
            }
        };
        let limits = crate::serve::http::Limits {
            max_connections: args.max_connections as usize,
            header_timeout: timeout("--header-timeout", &args.header_timeout)?,
            write_timeout: timeout("--write-timeout", &args.write_timeout)?,
            ..crate::serve::http::Limits::default()
        };
        Ok(ServeSettings {
            limits,
            address: args.address,
            deny: args.deny.iter().map(|d| d.to_ascii_lowercase()).collect(),
            deny_all_namespaces: args.deny_all_namespaces.iter().map(|d| d.to_ascii_lowercase()).collect(),
            token,
            user: args.user.clone(),
            tls,
            write_kubeconfig: args.write_kubeconfig.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<(Settings, CommandSettings), SettingsError> {
        let cli = crate::cli::Cli::try_parse_from(std::iter::once("isctl").chain(args.iter().copied())).unwrap();
        let global = Settings::resolve(&cli.global, &Environment::default(), || Timestamp::UNIX_EPOCH)?;
        let command = CommandSettings::resolve(&cli.command, &global)?;
        Ok((global, command))
    }

    fn usage_error(args: &[&str]) -> String {
        parse(args).map(|_| ()).unwrap_err().to_string()
    }

    #[test]
    fn now_is_injected_or_read_from_the_clock() {
        let (fixed, _) = parse(&["get", "is", "--now", "2026-01-02T03:04:05Z", "--from", "x"]).unwrap();
        assert_eq!(fixed.now.to_string(), "2026-01-02T03:04:05Z");
        let (clock, _) = parse(&["get", "is"]).unwrap();
        assert_eq!(clock.now, Timestamp::UNIX_EPOCH);
        assert!(matches!(clock.input, Input::Cluster(_)));
        assert!(usage_error(&["get", "is", "--now", "yesterday"]).contains("RFC 3339"));
    }

    #[test]
    fn scope_defaults_like_kubectl_and_all_namespaces_wins() {
        let args = |ns: Option<&str>, all| ScopeArgs { namespace: ns.map(str::to_owned), all_namespaces: all };
        assert_eq!(
            ScopeRequest::from_args(&args(None, false)).unwrap().resolve("team"),
            Scope::Namespace("team".into())
        );
        assert_eq!(
            ScopeRequest::from_args(&args(Some("openshift"), false)).unwrap().resolve("team"),
            Scope::Namespace("openshift".into())
        );
        assert_eq!(ScopeRequest::from_args(&args(None, true)).unwrap().resolve("team"), Scope::All);
        assert_eq!(ScopeRequest::from_args(&args(Some("x"), true)).unwrap(), ScopeRequest::All);
    }

    #[test]
    fn request_timeouts_like_kubectl() {
        let timeout = |t: &str| match parse(&["get", "is", "--request-timeout", t]).map(|(s, _)| s.input) {
            Ok(Input::Cluster(options)) => Ok(options.request_timeout),
            Ok(Input::Files(..)) => unreachable!(),
            Err(e) => Err(e.to_string()),
        };
        assert_eq!(timeout("30"), Ok(Some(Duration::from_secs(30))));
        assert_eq!(timeout("1m30s"), Ok(Some(Duration::from_secs(90))));
        assert_eq!(timeout("500ms"), Ok(Some(Duration::from_millis(500))));
        assert_eq!(timeout("0"), Ok(None));
        let unset = match parse(&["get", "is"]).map(|(s, _)| s.input) {
            Ok(Input::Cluster(options)) => options.request_timeout,
            _ => unreachable!(),
        };
        assert_eq!(unset, Some(Duration::from_secs(120)), "every run has a deadline");
        let streams = |args: &[&str]| match parse(args).map(|(_, c)| c) {
            Ok(CommandSettings::Resolve(r)) => r.selections.iter().map(|s| s.stream.clone()).collect::<Vec<_>>(),
            Ok(CommandSettings::Check(c)) => c.selections.iter().map(|s| s.stream.clone()).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(streams(&["resolve", "is", "cli", "tools"]), ["cli", "tools"], "kubectl's habit");
        assert_eq!(streams(&["check", "imagestreams", "cli"]), ["cli"]);
        assert_eq!(streams(&["resolve", "is"]), ["is"], "a lone word is a stream's name");
        assert!(timeout("soon").unwrap_err().contains("--request-timeout"));
        assert!(timeout("99999999999h").unwrap_err().contains("too long"));
    }

    #[test]
    fn terminals_fit_and_colour_pipes_do_not() {
        use crate::cli::ColorChoice::*;
        let terminal = Environment { stdout_terminal: true, terminal_width: Some(132), ..Environment::default() };
        assert_eq!(
            Terminal::resolve(Auto, &terminal).unwrap(),
            Terminal {
                width: Some(132),
                stderr_width: None,
                color: true,
                progress: false,
                glyphs: crate::render::fit::Glyphs::ASCII
            }
        );
        let both = Environment { stderr_terminal: true, ..terminal.clone() };
        assert_eq!(Terminal::resolve(Auto, &both).unwrap().stderr_width, Some(132));
        let narrow = Environment { columns: Some("90".into()), ..terminal.clone() };
        assert_eq!(Terminal::resolve(Auto, &narrow).unwrap().width, Some(90));
        let no_color = Environment { no_color: true, ..terminal.clone() };
        assert!(!Terminal::resolve(Auto, &no_color).unwrap().color);
        assert!(Terminal::resolve(Always, &no_color).unwrap().color);
        let pipe = Environment { columns: Some("90".into()), ..Environment::default() };
        let ascii = crate::render::fit::Glyphs::ASCII;
        assert_eq!(Terminal::resolve(Auto, &pipe).unwrap(), Terminal { glyphs: ascii, ..Terminal::default() });
        let utf8 = Environment { locale: [None, None, Some("en_US.UTF-8".into())], ..pipe.clone() };
        assert_eq!(Terminal::resolve(Auto, &utf8).unwrap().glyphs, crate::render::fit::Glyphs::UNICODE);
        let forced = Environment { isctl_columns: Some("80".into()), ..pipe };
        assert_eq!(Terminal::resolve(Never, &forced).unwrap().width, Some(80));
        assert_eq!(Terminal::resolve(Never, &forced).unwrap().stderr_width, Some(80));
        assert!(
            Terminal::resolve(Auto, &Environment { isctl_columns: Some("wide".into()), ..Environment::default() })
                .is_err()
        );
    }

    #[test]
    fn chunk_size_zero_turns_paging_off() {
        let Ok((Settings { input: Input::Cluster(options), .. }, _)) = parse(&["get", "is", "--chunk-size", "0"])
        else {
            panic!("cluster input")
        };
        assert_eq!(options.chunk_size, 0);
    }

    #[test]
    fn every_flag_combination_rule_is_checked_here() {
        for (args, words) in [
            (&["get", "pods"][..], "is not one isctl gets"),
            (&["get", "is", "a", "-A"], "across all namespaces"),
            (&["get", "istag", "cli"], "must be <stream>:<tag>"),
            (&["get", "is", "-l", "a=b=c"], "found '='"),
            (&["mirrors", "--render", "-o", "yaml"], "-o does not apply"),
            (&["mirrors", "--render", "x"], "takes no PULLSPEC"),
            (&["mirrors"], "at least one PULLSPEC"),
            (&["resolve", "a:"], "is not STREAM or STREAM:TAG"),
            (&["resolve", "a@sha256:x"], "is not STREAM or STREAM:TAG"),
            (&["resolve", "a", "-A"], "across all namespaces"),
            (&["check", "--max-age", "soon"], "--max-age"),
            (&["serve", "--from", "x", "--address", "0.0.0.0:1"], "not a loopback address"),
            (&["serve"], "needs --from"),
            (&["serve", "--from", "x", "--token", "t", "--token-file", "f"], "not both"),
            (&["get", "is", "--max-file-size", "lots"], "--max-file-size"),
            (&["describe", "pods", "x"], "describes imagestreams"),
            (&["describe", "istag", "cli"], "must be <stream>:<tag>"),
            (&["describe", "is", "cli:latest"], "use describe istag"),
            (&["describe", "is", "cli", "-A"], "one namespace"),
        ] {
            let error = usage_error(args);
            assert!(error.contains(words), "{args:?}: {error}");
        }
        let Ok((_, CommandSettings::Check(check))) =
            parse(&["check", "--max-age", "30d", "--disable", "import-pending"])
        else {
            panic!("check settings")
        };
        assert_eq!(check.max_age, Some(Duration::from_secs(30 * 86400)));
        assert_eq!(check.disabled, [Rule::ImportPending]);
    }
}
