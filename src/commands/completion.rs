//! `isctl completion SHELL`, `isctl man` and the hidden `isctl __complete WORDS...` the
//! completion scripts call. They read no input but what `__complete`'s words name, and never
//! fail loudly: a completion that cannot list names offers none.

use clap::CommandFactory;

use crate::catalog::Catalog;
use crate::cli::Cli;
use crate::completion::{Want, read, want};
use crate::error::ExitStatus;
use crate::model::ResourceKind;
use crate::printer::Printer;
use crate::source::files::{FileSource, InputLimits};
use crate::source::live::{ConnectOptions, LiveSource};
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

/// Prints the manual page.
pub fn man(mut printer: Printer) -> ExitStatus {
    let mut out = Vec::new();
    if clap_mangen::Man::new(Cli::command()).render(&mut out).is_err() {
        return ExitStatus::Failure;
    }
    let _ = printer.data(&String::from_utf8_lossy(&out));
    ExitStatus::Success
}

/// Prints the candidates for the last of `words`, one per line (`__files__` asks the shell to
/// complete file names).
pub fn candidates(_cli: &Cli, words: &[String], mut printer: Printer) -> ExitStatus {
    let command = Cli::command();
    let (last, before) = match words.split_last() {
        Some((last, before)) => (last.as_str(), before),
        None => ("", words),
    };
    let typed = read(&command, before);
    let lines: Vec<String> = match want(&command, &typed, before.last().map(String::as_str), last) {
        Want::Words(words) => words,
        Want::Files => {
            let _ = printer.data("__files__\n");
            return ExitStatus::Success;
        }
        other => names(&other, &typed, last),
    };
    let text: String = lines.into_iter().filter(|l| l.starts_with(last)).map(|l| l + "\n").collect();
    let _ = printer.data(&text);
    ExitStatus::Success
}

/// Stream, tag, object or namespace names from the input the words name.
fn names(want: &Want, typed: &crate::completion::Typed, last: &str) -> Vec<String> {
    let (source, default_namespace): (Box<dyn Source>, String) = if typed.from.is_empty() {
        match LiveSource::connect(&ConnectOptions::default()) {
            Ok(live) => {
                let namespace = live.default_namespace.clone();
                (Box::new(live), namespace)
            }
            Err(_) => return Vec::new(),
        }
    } else {
        let paths = typed.from.iter().map(std::path::PathBuf::from).collect();
        (Box::new(FileSource::new(paths, InputLimits::default())), "default".to_owned())
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
