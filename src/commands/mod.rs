//! Commands: each resolves what it needs through a [`Source`], calls the pure core and the
//! renderers, and hands text to the printer. One module per command, each with the signature
//! `fn run(settings, ctx) -> CommandResult`; [`main`] is the one entry point `main.rs` calls.

pub(crate) mod check;
pub mod completion;
pub(crate) mod consumers;
pub(crate) mod describe;
pub(crate) mod diff;
pub(crate) mod get;
mod loading;
pub(crate) mod mirrors;
pub(crate) mod prune;
pub(crate) mod record;
pub(crate) mod resolve;
pub(crate) mod serve;
pub(crate) mod verify;

use crate::cli::Cli;
use crate::error::{CommandResult, ExitStatus, report};
use crate::printer::Printer;
use crate::settings::{CommandSettings, Input, Scope, ScopeRequest, Settings};
use crate::source::files::FileSource;
use crate::source::live::LiveSource;
use crate::source::{Source, SourceError};

pub(crate) use loading::{
    ResolvedStreams, each, empty_namespace_hint, leave_out, load, load_from, load_more, report_missing,
    resolve_streams, resolve_streams_from,
};

/// What a command needs besides its own settings.
pub(crate) struct Ctx {
    /// Resolved global settings.
    pub settings: Settings,
    /// The only way to write output.
    pub printer: Printer,
    /// Where objects come from.
    pub source: Box<dyn Source>,
    /// The namespace used when `-n` is not given.
    pub(crate) default_namespace: String,
    /// Input files that could not be read: the rest was used and printed, but the command
    /// exits 1, as `kubectl get -f DIR` does with one bad file.
    pub unreadable: usize,
}

impl Ctx {
    /// Whether objects come from files.
    pub(crate) fn offline(&self) -> bool {
        self.settings.offline()
    }

    /// The scope of `-n`/`-A`, with this input's default namespace.
    pub(crate) fn scope(&self, request: &ScopeRequest) -> Scope {
        request.resolve(&self.default_namespace)
    }
}

/// Runs isctl: resolves the settings (a usage error ends here, before any input is read), opens
/// the input, runs the command, and reports how it ended. `clock` is read only without `--now`.
pub fn main(
    cli: &Cli,
    env: &crate::settings::Environment,
    printer: Printer,
    clock: impl FnOnce() -> jiff::Timestamp,
) -> ExitStatus {
    main_with(cli, env, printer, clock, open)
}

/// [`main`] with the input opened by `open` (the binary opens files or the cluster; the
/// in-process tests hand over objects held in memory): the one path every run takes.
pub(crate) fn main_with(
    cli: &Cli,
    env: &crate::settings::Environment,
    mut printer: Printer,
    clock: impl FnOnce() -> jiff::Timestamp,
    open: impl FnOnce(&Input) -> Result<(Box<dyn Source>, String), SourceError>,
) -> ExitStatus {
    // Completion and the manual need no input: they run before any is opened.
    match &cli.command {
        crate::cli::Command::Completion { shell } => return completion::script(shell, printer),
        crate::cli::Command::Man { dir } => return completion::man(dir.as_deref(), printer),
        crate::cli::Command::Complete { words } => return completion::candidates(words, printer),
        _ => {}
    }
    let settings = Settings::resolve(&cli.global, env, clock)
        .and_then(|global| CommandSettings::resolve(&cli.command, &global).map(|command| (global, command)));
    let (settings, command) = match settings {
        Ok(resolved) => resolved,
        Err(error) => return report(Err(error.into()), &mut printer),
    };
    let (source, default_namespace) = match open(&settings.input) {
        Ok(opened) => opened,
        Err(error) => return report(Err(error.into()), &mut printer),
    };
    printer.enable_progress(settings.terminal.progress);
    if command.is_report() {
        // A report's warnings follow it; for a person they are fitted and summed up.
        let width = settings.terminal.stderr_width.filter(|_| cli.global.verbose == 0);
        printer.hold_notes(width, input_parents(&settings.input), settings.terminal.glyphs);
    }
    let mut ctx = Ctx { settings, printer, source, default_namespace, unreadable: 0 };
    let result = run(&command, &mut ctx);
    ctx.printer.release_notes();
    finish(result, &mut ctx)
}

/// The directories above each `--from` (`fixtures/` of `fixtures/must-gather`): a person sees
/// the paths of the input from the `--from`'s own name on.
fn input_parents(input: &Input) -> Vec<String> {
    let Input::Files(paths, _) = input else { return Vec::new() };
    let mut parents: Vec<String> = paths
        .iter()
        .filter_map(|path| {
            let text = path.to_str()?.trim_end_matches('/');
            let at = text.rfind('/')?;
            Some(text[..=at].to_owned())
        })
        .collect();
    // The longest first, so a deeper --from is not cut by a shallower one's parent.
    parents.sort_by_key(|p| std::cmp::Reverse(p.len()));
    parents.dedup();
    parents
}

/// Reports how a command ended; a command that did its job over input with unreadable files
/// still exits 1.
fn finish(result: CommandResult, ctx: &mut Ctx) -> ExitStatus {
    match report(result, &mut ctx.printer) {
        ExitStatus::Success | ExitStatus::Findings if ctx.unreadable > 0 => ExitStatus::Failure,
        status => status,
    }
}

/// Opens the input the settings name: files, or the cluster of the kubeconfig (no request is
/// made until a command loads). Returns the source and its default namespace.
fn open(input: &Input) -> Result<(Box<dyn Source>, String), SourceError> {
    Ok(match input {
        Input::Files(paths, limits) => (Box::new(FileSource::new(paths.clone(), *limits)), "default".to_owned()),
        Input::Cluster(options) => {
            let live = LiveSource::connect(options)?;
            let namespace = live.default_namespace.clone();
            (Box::new(live), namespace)
        }
    })
}

/// An answer as a report's `-o` asks: a kubectl template, YAML or JSON, else the table `table`
/// draws for a person.
pub(super) fn as_asked<T: serde::Serialize>(
    answer: &T,
    output: crate::render::ReportFormat,
    template: Option<&crate::render::jsonpath::OutputTemplate>,
    no_headers: bool,
    table: impl FnOnce() -> String,
) -> Result<String, crate::error::CommandError> {
    use crate::render::{self, OutputFormat};
    let format = OutputFormat::from(output);
    Ok(match format {
        _ if let Some(template) = template => render::templated_document(vec![answer], false, template, no_headers)?,
        OutputFormat::Yaml | OutputFormat::Json => render::document(vec![answer], format == OutputFormat::Yaml, false),
        _ => table(),
    })
}

/// Runs a command with resolved settings.
pub(crate) fn run(command: &CommandSettings, ctx: &mut Ctx) -> CommandResult {
    match command {
        CommandSettings::Get(settings) => get::run(settings, ctx),
        CommandSettings::Describe(settings) => describe::run(settings, ctx),
        CommandSettings::Mirrors(settings) => mirrors::run(settings, ctx),
        CommandSettings::Resolve(settings) => resolve::run(settings, ctx),
        CommandSettings::Serve(settings) => serve::run(settings, ctx),
        CommandSettings::Record(settings) => record::run(settings, ctx),
        CommandSettings::Check(settings) => check::run(settings, ctx),
        CommandSettings::Consumers(settings) => consumers::run(settings, ctx),
        CommandSettings::DiffMirrors(settings) => diff::run(settings, ctx),
        CommandSettings::DiffStreams(settings) => diff::streams(settings, ctx),
        CommandSettings::PruneImages(settings) => prune::run(settings, ctx),
    }
}

/// Warns of ImagePolicies read from a file without a namespace (none placed them by `-n`): a
/// cluster holds none such, so they apply to no pull, and saying nothing would hide it.
pub(crate) fn warn_unplaced_policies(ctx: &mut Ctx, unplaced: &[String]) {
    for policy in unplaced {
        ctx.printer
            .warning(&format!("{policy} has no namespace, so it applies to no pull: set its metadata.namespace"));
    }
}

#[cfg(test)]
mod tests {
    //! Commands run in-process through the [`Source`] trait: no binary, no files, no sockets.
    use super::*;
    use crate::catalog::Origin;
    use crate::source::decode::decode;
    use crate::source::{Loaded, Observer, Wants};
    use clap::Parser;
    use std::sync::{Arc, Mutex};

    /// A source over YAML text held in memory.
    struct Memory(&'static str);

    impl Source for Memory {
        fn load(&self, wants: &Wants, _observer: &dyn Observer) -> Result<Loaded, SourceError> {
            // One file in memory: the text.
            let mut loaded = Loaded { files_read: 1, ..Loaded::default() };
            for mut object in decode(self.0).expect("test YAML").objects {
                if let Some(ns) = &wants.namespace_for_unset
                    && object.object.kind().info().namespaced
                    && object.object.meta().namespace().is_empty()
                {
                    object.object.meta_mut().namespace = Some(ns.clone());
                }
                loaded.catalog.insert(object.object, Origin("memory".into()));
            }
            Ok(loaded)
        }
    }

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Buffer {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    /// Runs `isctl ARGS` over `input`: (exit code, stdout, stderr).
    fn isctl(input: &'static str, args: &[&str]) -> (u8, String, String) {
        let cli =
            Cli::try_parse_from(["isctl", "--from", "memory", "--now", "2026-11-27T12:00:00Z"].iter().chain(args))
                .expect("arguments parse");
        let (out, err) = (Buffer::default(), Buffer::default());
        let printer = Printer::new(Box::new(out.clone()), Box::new(err.clone()), 0);
        let env = crate::settings::Environment::default();
        let memory = |_: &Input| Ok((Box::new(Memory(input)) as Box<dyn Source>, "n".to_owned()));
        let status = main_with(&cli, &env, printer, || unreachable!("--now is given"), memory);
        (status.code(), out.text(), err.text())
    }

    const CLUSTER: &str = "\
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {name: cli, namespace: n}
spec:
  tags:
  - {name: latest, from: {kind: DockerImage, name: 'quay.io/x/cli:latest'}}
status:
  tags:
  - tag: latest
    items:
    - {created: '2026-11-27T11:00:00Z', image: 'sha256:1111111111111111111111111111111111111111111111111111111111111111', dockerImageReference: 'quay.io/x/cli@sha256:1111111111111111111111111111111111111111111111111111111111111111', generation: 1}
  - tag: broken
    items: null
    conditions: [{type: ImportSuccess, status: 'False', reason: NotFound, message: gone}]
---
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata: {name: m}
spec:
  imageDigestMirrors:
  - {source: quay.io/x, mirrors: [mirror.local/x]}
";

    #[test]
    fn get_lists_and_names_what_is_missing() {
        let (code, out, err) = isctl(CLUSTER, &["get", "is", "cli", "nope", "-o", "name"]);
        assert_eq!((code, out.as_str()), (1, "imagestream.image.openshift.io/cli\n"));
        assert_eq!(err, "Error from server (NotFound): imagestreams.image.openshift.io \"nope\" not found\n");
        let (code, out, _) = isctl(CLUSTER, &["get", "istag"]);
        assert_eq!(code, 0);
        assert!(out.starts_with("NAME         IMAGE REFERENCE"), "{out}");
        assert!(out.contains("About an hour ago"), "{out}");
    }

    #[test]
    fn resolve_shows_the_mirror_and_yaml_keeps_every_source() {
        let (code, out, _) = isctl(CLUSTER, &["resolve", "cli:latest", "-o", "json"]);
        assert_eq!(code, 0);
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        let sources = &value["tags"][0]["history"][0]["pullSources"];
        assert_eq!(
            sources[0]["reference"],
            "mirror.local/x/cli@sha256:1111111111111111111111111111111111111111111111111111111111111111"
        );
        assert_eq!(sources[1]["kind"], "source");
    }

    #[test]
    fn check_turns_findings_into_exit_3_and_usage_errors_into_2() {
        let (code, out, _) = isctl(CLUSTER, &["check", "-o", "json"]);
        assert_eq!(code, 3);
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(report["findings"][0]["rule"], "import-failed");
        assert_eq!(isctl(CLUSTER, &["check", "--disable", "import-failed", "--disable", "image-missing"]).0, 0);
        let (code, _, err) = isctl(CLUSTER, &["check", "--max-age", "soon"]);
        assert_eq!(code, 2);
        assert!(err.starts_with("error: invalid --max-age \"soon\""), "{err}");
    }

    #[test]
    fn mirrors_render_the_rules_nodes_get() {
        let (code, out, _) = isctl(CLUSTER, &["mirrors", "--render"]);
        assert_eq!(code, 0);
        assert!(out.contains("location = \"quay.io/x\""), "{out}");
        assert!(out.contains("location = \"mirror.local/x\""), "{out}");
    }
}
