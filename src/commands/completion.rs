//! `isctl completion SHELL`, `isctl man` and the hidden `isctl __complete WORDS...` the
//! completion scripts call. They read no input but what `__complete`'s words name, and never
//! fail loudly: a completion that cannot list names offers none.
//!
//! A completion must never keep a prompt waiting: it reads no standard input, opens no pipe or
//! device (only regular files and directories named by `--from`), and gives up after
//! [`DEADLINE`] whatever it was waiting for (a cluster that never answers, a credential plugin,
//! a slow disk).

use std::time::Duration;

use clap::CommandFactory;

use crate::catalog::Catalog;
use crate::cli::Cli;
use crate::completion::{DEADLINE, Typed, Want, read, want};
use crate::error::ExitStatus;
use crate::model::ResourceKind;
use crate::printer::Printer;
use crate::settings::Input;
use crate::source::files::FileSource;
use crate::source::live::LiveSource;
use crate::source::{Collect, ObjectsWanted, Source, Wants};

/// Prints the completion script for `shell`.
pub fn script(shell: &str, mut printer: Printer) -> ExitStatus {
    match crate::completion::script(shell) {
        Some(text) => {
            // A closed pipe ends quietly, as for every command.
            let _ = printer.data(text);
            ExitStatus::Success
        }
        None => ExitStatus::Usage,
    }
}

/// Prints the manual page, or with `dir` writes it and one page per subcommand there (the pages
/// the main one's SUBCOMMANDS section names, `isctl-resolve(1)`), as clap_mangen names them.
pub fn man(dir: Option<&std::path::Path>, mut printer: Printer) -> ExitStatus {
    if let Some(dir) = dir {
        let mut command = Cli::command().disable_help_subcommand(true);
        command.build();
        let mut pages = Vec::new();
        return match write_pages(command, dir, &mut pages) {
            Ok(()) => {
                printer.notice(&format!("wrote {} manual pages to {}", pages.len(), dir.display()));
                ExitStatus::Success
            }
            Err((path, error)) => {
                printer.error(&format!("error: cannot write the manual page {}: {error}", path.display()));
                ExitStatus::Failure
            }
        };
    }
    let mut out = Vec::new();
    // As with --dir: `isctl help` is no page of its own (`isctl-help(1)` would point nowhere).
    if clap_mangen::Man::new(Cli::command().disable_help_subcommand(true)).render(&mut out).is_err() {
        return ExitStatus::Failure;
    }
    let _ = printer.data(&String::from_utf8_lossy(&out));
    ExitStatus::Success
}

/// Writes `command`'s page and its visible subcommands' pages into `dir`, adding each path to
/// `pages`; the first failure names the page it could not write.
fn write_pages(
    command: clap::Command,
    dir: &std::path::Path,
    pages: &mut Vec<std::path::PathBuf>,
) -> Result<(), (std::path::PathBuf, std::io::Error)> {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub.clone(), dir, pages)?;
    }
    let man = clap_mangen::Man::new(command);
    let path = dir.join(man.get_filename());
    man.generate_to(dir).map_err(|error| (path.clone(), error))?;
    pages.push(path);
    Ok(())
}

/// Prints the candidates for the last of `words` (the words after `isctl`, as typed), one per
/// line (`__files__` asks the shell to complete file names).
pub fn candidates(words: &[String], mut printer: Printer) -> ExitStatus {
    let command = Cli::command();
    let (last, before) = match words.split_last() {
        Some((last, before)) => (last.as_str(), before),
        None => ("", words),
    };
    let typed = read(&command, before);
    let last_owned = last.to_owned();
    let lines: Vec<String> = match want(&command, &typed, before.last().map(String::as_str), last) {
        Want::Words(words) => words,
        Want::Files => {
            let _ = printer.data("__files__\n");
            return ExitStatus::Success;
        }
        other => within(DEADLINE, move || names(&other, &typed, &last_owned)),
    };
    let text: String = lines.into_iter().filter(|l| l.starts_with(last)).map(|l| l + "\n").collect();
    let _ = printer.data(&text);
    ExitStatus::Success
}

/// What `find` returns within `deadline`, or nothing: the work runs on its own thread, and one
/// still waiting then is left behind (the process ends when the answer is printed).
fn within(deadline: Duration, find: impl FnOnce() -> Vec<String> + Send + 'static) -> Vec<String> {
    let (send, receive) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("complete".into()).spawn(move || {
        let _ = send.send(find());
    });
    match spawned {
        Ok(_) => receive.recv_timeout(deadline).unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// Stream, tag, object or namespace names from the input the words name.
fn names(want: &Want, typed: &Typed, last: &str) -> Vec<String> {
    let (source, default_namespace): (Box<dyn Source>, String) = match crate::completion::input(typed) {
        None => return Vec::new(),
        Some(Input::Cluster(options)) => match LiveSource::connect(&options) {
            Ok(live) => {
                let namespace = live.default_namespace.clone();
                (Box::new(live), namespace)
            }
            Err(_) => return Vec::new(),
        },
        Some(Input::Files(paths, limits)) => {
            // Only what is a regular file or a directory now: opening a FIFO blocks until a
            // writer comes, and a device may never end. Inside directories the loader reads
            // regular files only.
            let paths: Vec<_> =
                paths.into_iter().filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() || m.is_dir())).collect();
            if paths.is_empty() {
                return Vec::new();
            }
            (Box::new(FileSource::new(paths, limits)), "default".to_owned())
        }
    };
    let namespace = match (typed.all_namespaces, &typed.namespace) {
        (true, _) => None,
        (false, Some(ns)) => Some(ns.clone()),
        (false, None) => Some(default_namespace),
    };
    let load = |kind: ResourceKind, namespace: Option<String>| -> Catalog {
        let namespace = namespace.filter(|_| kind.info().namespaced);
        let wants = Wants { objects: Some(ObjectsWanted { kind, namespace, names: Vec::new() }), ..Wants::default() };
        source.load(&wants, &Collect::default()).map(|l| l.catalog).unwrap_or_default()
    };
    match want {
        Want::Namespaces => {
            let catalog = load(ResourceKind::ImageStream, None);
            let mut namespaces: Vec<String> = catalog.streams().map(|s| s.metadata.namespace().to_owned()).collect();
            namespaces.dedup();
            namespaces
        }
        Want::Streams => {
            let catalog = load(ResourceKind::ImageStream, namespace);
            match last.split_once(':') {
                Some((stream, _)) => catalog
                    .streams()
                    .filter(|s| s.metadata.name() == stream)
                    .flat_map(|s| s.status_tags().iter().map(move |t| format!("{stream}:{}", t.tag)))
                    .collect(),
                None => catalog.streams().map(|s| s.metadata.name().to_owned()).collect(),
            }
        }
        Want::Objects(kind) => match ResourceKind::from_cli_name(kind) {
            Some(ResourceKind::ImageStreamTag) => {
                let catalog = load(ResourceKind::ImageStream, namespace);
                catalog
                    .streams()
                    .flat_map(|s| s.status_tags().iter().map(move |t| format!("{}:{}", s.metadata.name(), t.tag)))
                    .collect()
            }
            Some(kind) => load(kind, namespace).of_kind(kind).map(|o| o.meta().name().to_owned()).collect(),
            None => Vec::new(),
        },
        Want::Words(_) | Want::Files => Vec::new(),
    }
}
