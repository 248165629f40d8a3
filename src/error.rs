//! How a command ends, and the one place where that becomes an exit code.
//!
//! Every command returns [`CommandResult`]: an [`ExitStatus`] when it did its job (possibly with
//! findings or partial answers it already printed), or a [`CommandError`] when it could not. A
//! `CommandError` keeps the whole `#[source]` chain of what went wrong, knows its
//! [`ErrorKind`], and carries hints apart from the message (jj's `CommandError`, uv's
//! `ExitStatus`). [`report`] words the error as kubectl would and picks the exit code.

use std::fmt;

use crate::catalog::NotFound;
use crate::settings::SettingsError;
use crate::source::SourceError;

/// How a command ended, as scripts see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Exit 0: the command did its job.
    Success,
    /// Exit 1: it could not do all of it (bad input, unreachable cluster, an object not found).
    Failure,
    /// Exit 2: the command line cannot be used as given; nothing was read.
    Usage,
    /// Exit 3: what `check` and `diff` are run to find: findings at or above `--fail-on`,
    /// pulls or tags that change.
    Findings,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Findings => 3,
        }
    }
}

/// What kind of trouble an error is: it decides the exit status, and whether it is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// The command line cannot be used (exit 2).
    Usage,
    /// The command could not do its job: bad input, an unreachable cluster, a missing object (exit 1).
    Failure,
    /// Standard output was closed (`isctl ... | head`): not an error for the user.
    BrokenPipe,
}

/// Why a command could not do its job.
#[derive(Debug)]
pub(crate) struct CommandError {
    /// What kind of trouble it is.
    pub kind: ErrorKind,
    /// The error, with its context and source chain.
    pub error: anyhow::Error,
    /// Advice printed after the error, one `hint:` line each.
    pub hints: Vec<String>,
}

/// What every command returns.
pub(crate) type CommandResult = Result<ExitStatus, CommandError>;

impl CommandError {
    /// The exit status this error ends the command with.
    pub(crate) fn exit_status(&self) -> ExitStatus {
        match self.kind {
            ErrorKind::Usage => ExitStatus::Usage,
            ErrorKind::BrokenPipe => ExitStatus::Success,
            ErrorKind::Failure => ExitStatus::Failure,
        }
    }

    /// The error line: a server answer as kubectl prints it, anything else after `error: ` with
    /// its chain (each cause once). `None` for a broken pipe, which is not reported.
    pub(crate) fn message(&self) -> Option<String> {
        if self.kind == ErrorKind::BrokenPipe {
            return None;
        }
        let server_worded = self.error.chain().next().is_some_and(|top| {
            top.downcast_ref::<SourceError>().is_some_and(SourceError::is_server_worded)
                || top.downcast_ref::<NotFound>().is_some()
        });
        let prefix = if server_worded { "" } else { "error: " };
        Some(format!("{prefix}{}", chain_text(&self.error)))
    }

    /// The error line and its `hint:` lines, as one text (for tests and `Display`).
    pub(crate) fn render(&self) -> String {
        let Some(message) = self.message() else { return String::new() };
        let mut text = format!("{message}\n");
        for hint in &self.hints {
            text.push_str(&format!("hint: {hint}\n"));
        }
        text
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render().trim_end())
    }
}

/// `top: cause: cause`, leaving out a cause whose words the text already holds (libraries often
/// repeat their source in their own message; the OS adds its error number).
fn chain_text(error: &anyhow::Error) -> String {
    let plain = |text: &str| text.split(" (os error").next().unwrap_or_default().to_lowercase();
    let mut text = String::new();
    for cause in error.chain() {
        let words = cause.to_string();
        if words.is_empty() || plain(&text).contains(&plain(&words)) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&words);
    }
    text
}

/// The kind of an error, from the first typed cause in its chain.
fn classify(error: &anyhow::Error) -> ErrorKind {
    for cause in error.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::BrokenPipe
        {
            return ErrorKind::BrokenPipe;
        }
    }
    // The first typed cause decides: a usage mistake wrapped in context is still one, a
    // usage-looking message inside a source error is not.
    for cause in error.chain() {
        if let Some(settings) = cause.downcast_ref::<SettingsError>() {
            // What kubectl refuses only when it runs is bad input to it, not a usage error.
            return if matches!(settings, SettingsError::Refused(_)) { ErrorKind::Failure } else { ErrorKind::Usage };
        }
        if cause.downcast_ref::<SourceError>().is_some() || cause.downcast_ref::<NotFound>().is_some() {
            return ErrorKind::Failure;
        }
    }
    ErrorKind::Failure
}

/// Hints that follow from the error itself (e.g. why a server said 401).
fn hints_of(error: &anyhow::Error) -> Vec<String> {
    error.chain().filter_map(|c| c.downcast_ref::<SourceError>()).filter_map(SourceError::hint).collect()
}

impl From<anyhow::Error> for CommandError {
    fn from(error: anyhow::Error) -> CommandError {
        CommandError { kind: classify(&error), hints: hints_of(&error), error }
    }
}

impl From<SourceError> for CommandError {
    fn from(error: SourceError) -> CommandError {
        CommandError::from(anyhow::Error::new(error))
    }
}

impl From<SettingsError> for CommandError {
    fn from(error: SettingsError) -> CommandError {
        CommandError::from(anyhow::Error::new(error))
    }
}

impl From<NotFound> for CommandError {
    fn from(error: NotFound) -> CommandError {
        CommandError::from(anyhow::Error::new(error))
    }
}

impl From<std::io::Error> for CommandError {
    fn from(error: std::io::Error) -> CommandError {
        CommandError::from(anyhow::Error::new(error))
    }
}

/// Prints an error and its hints on `printer` and returns the exit status of a result: the only
/// place outcomes become exit codes.
pub(crate) fn report(result: CommandResult, printer: &mut crate::printer::Printer) -> ExitStatus {
    match result {
        Ok(status) => status,
        Err(error) => {
            if let Some(message) = error.message() {
                printer.error(&message);
                for hint in &error.hints {
                    printer.hint(hint);
                }
            }
            error.exit_status()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn kinds_decide_exit_codes() {
        let usage = CommandError::from(anyhow::Error::new(SettingsError::Usage("bad flag".into())));
        assert_eq!((usage.kind, usage.exit_status().code()), (ErrorKind::Usage, 2));
        let pipe = CommandError::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!((pipe.kind, pipe.exit_status().code(), pipe.render()), (ErrorKind::BrokenPipe, 0, String::new()));
        let missing =
            CommandError::from(NotFound { resource: "imagestreams.image.openshift.io".into(), name: "x".into() });
        assert_eq!(missing.exit_status(), ExitStatus::Failure);
        assert_eq!(missing.render(), "Error from server (NotFound): imagestreams.image.openshift.io \"x\" not found\n");
        assert_eq!([ExitStatus::Success, ExitStatus::Findings].map(ExitStatus::code), [0, 3]);
    }

    #[test]
    fn chains_print_each_cause_once_and_hints_apart() {
        let io = std::io::Error::other("disk on fire");
        let error = Err::<(), _>(io).context("writing report.xml").context("disk on fire, again").unwrap_err();
        let mut failed = CommandError::from(error);
        failed.hints.push("free some space".into());
        let rendered = failed.render();
        assert_eq!(rendered, "error: disk on fire, again: writing report.xml\nhint: free some space\n");
    }
}
