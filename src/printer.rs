//! The printer: the only code that writes to stdout or stderr. Data goes to stdout; warnings,
//! verbose notes and errors go to stderr, each one line in kubectl's voice.
//!
//! Everything written to stderr is made terminal-safe here, whoever built the message: names,
//! digests, file names and server messages come from the input, and a control character in them
//! (an ESC starting a terminal sequence, a carriage return hiding the line) must not reach the
//! terminal as is (fd's `sanitize`). Data on stdout is the renderers' business: tables escape
//! their cells, YAML and JSON escape by their own rules.

use std::io::{self, Write};

pub use crate::render::fit::terminal_safe;

/// Owns the output streams and the verbosity.
pub struct Printer {
    out: Box<dyn Write + Send>,
    err: Box<dyn Write + Send>,
    verbosity: u8,
    /// Progress lines may be drawn (stderr is a terminal).
    progress: bool,
    /// A progress line is on screen and must be cleared before anything else is written.
    drawn: bool,
    /// stderr lines held until the report is out ([`Printer::hold_notes`]).
    held: Option<Held>,
}

/// stderr lines kept back while a report is written, so a person reads the answer first and
/// what to know about it after, where a long table cannot scroll it away.
struct Held {
    lines: Vec<(Kind, String)>,
    /// Fit warnings and notes into this many columns, at most [`HELD_AT_MOST`] of them (a
    /// person at a terminal without `-v`); `None` prints every line whole.
    width: Option<usize>,
    /// For a person, paths are shown from their `--from`'s own name: these leading
    /// directories are left out.
    strip: Vec<String>,
    /// What a cut line ends with.
    glyphs: crate::render::fit::Glyphs,
}

/// What a stderr line is: warnings and notes may be fitted and summed up for a person;
/// errors, hints and plain notices never are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Warning,
    Note,
    Other,
}

/// The most warning and note lines a person gets after a report, the last saying how to see
/// the rest.
pub(crate) const HELD_AT_MOST: usize = 6;

impl Printer {
    /// A printer over the process's stdout and stderr.
    pub fn stdio(verbosity: u8) -> Printer {
        // Buffered: data written piece by piece goes out in large writes.
        Printer::new(Box::new(io::BufWriter::with_capacity(1 << 16, io::stdout())), Box::new(io::stderr()), verbosity)
    }

    /// A printer over any writers (tests pass buffers).
    pub fn new(out: Box<dyn Write + Send>, err: Box<dyn Write + Send>, verbosity: u8) -> Printer {
        Printer { out, err, verbosity, progress: false, drawn: false, held: None }
    }

    /// Allows progress lines (only when stderr is a terminal: they redraw one line in place).
    pub(crate) fn enable_progress(&mut self, enabled: bool) {
        self.progress = enabled;
    }

    /// Draws a progress line in place of the previous one; nothing unless enabled.
    pub(crate) fn progress(&mut self, text: &str) {
        if self.progress {
            let _ = write!(self.err, "\r\u{1b}[K{}", terminal_safe(text));
            let _ = self.err.flush();
            self.drawn = true;
        }
    }

    /// Clears the progress line, if one is drawn.
    pub(crate) fn end_progress(&mut self) {
        if std::mem::take(&mut self.drawn) {
            let _ = write!(self.err, "\r\u{1b}[K");
            let _ = self.err.flush();
        }
    }

    /// Writes data to stdout. A closed pipe surfaces as `BrokenPipe` for `main` to end quietly.
    pub fn data(&mut self, text: &str) -> io::Result<()> {
        self.end_progress();
        self.out.write_all(text.as_bytes())?;
        self.out.flush()
    }

    /// Writes part of the data to stdout, flushed by [`Printer::flush_data`] or the next
    /// [`Printer::data`]: a long answer goes out piece by piece without a system call each.
    pub(crate) fn data_part(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.end_progress();
        self.out.write_all(bytes)
    }

    /// Flushes what [`Printer::data_part`] wrote.
    pub(crate) fn flush_data(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Holds stderr lines back until [`Printer::release_notes`]: a report's warnings and
    /// notes follow it. With `width`, warnings and notes are fitted to it and summed up.
    /// `strip` lists the directories above each `--from`, left out of paths for a person.
    pub(crate) fn hold_notes(&mut self, width: Option<usize>, strip: Vec<String>, glyphs: crate::render::fit::Glyphs) {
        self.held = Some(Held { lines: Vec::new(), width, strip, glyphs });
    }

    /// Writes the held lines. For a person (a width was given): errors and hints wrapped to the
    /// width, each warning and note cut to the width (paths lose their middle first), at most [`HELD_AT_MOST`] of them, warnings
    /// first, and a last note saying that `-v` prints them all whole.
    pub(crate) fn release_notes(&mut self) {
        let Some(held) = self.held.take() else { return };
        let Some(width) = held.width else {
            held.lines.iter().for_each(|(_, line)| self.line(line));
            return;
        };
        let fitted: Vec<(Kind, Vec<String>, bool)> = held
            .lines
            .into_iter()
            .map(|(kind, line)| (kind, relative_paths(&line, &held.strip)))
            .map(|(kind, line)| match kind {
                // Errors and hints are the answer: wrapped, never cut.
                Kind::Other => (kind, crate::render::fit::sentence(&terminal_safe(&line), width), false),
                _ => {
                    let fitted = crate::render::fit::line(&line, width, held.glyphs);
                    let cut = fitted != line;
                    (kind, vec![fitted], cut)
                }
            })
            .collect();
        let notes = fitted.iter().filter(|(kind, ..)| *kind != Kind::Other).count();
        let any_cut = fitted.iter().any(|(.., cut)| *cut);
        let room = if notes > HELD_AT_MOST || (any_cut && notes == HELD_AT_MOST) { HELD_AT_MOST - 1 } else { notes };
        // Warnings before notes when some must go; the kept ones in their order.
        let mut keep: Vec<usize> = [Kind::Warning, Kind::Note]
            .iter()
            .flat_map(|wanted| (0..fitted.len()).filter(|i| fitted[*i].0 == *wanted))
            .take(room)
            .collect();
        keep.sort_unstable();
        for (i, (kind, lines, _)) in fitted.iter().enumerate() {
            if *kind == Kind::Other || keep.binary_search(&i).is_ok() {
                lines.iter().for_each(|line| self.line(line));
            }
        }
        let shown_cut = keep.iter().any(|i| fitted[*i].2);
        let last = match notes - keep.len() {
            0 if shown_cut => "note: lines above are cut to the width; -v prints them whole".to_owned(),
            0 => return,
            n => format!("note: {n} more warnings and notes; -v prints them all, whole"),
        };
        self.line(&crate::render::fit::line(&last, width, held.glyphs));
    }

    /// `warning: ...` on stderr.
    pub fn warning(&mut self, message: &str) {
        self.held_or_line(Kind::Warning, &format!("warning: {message}"));
    }

    /// A note shown from verbosity `level` on (`-v` is 1).
    pub fn verbose(&mut self, level: u8, message: &str) {
        if self.verbosity >= level {
            self.line(message);
        }
    }

    /// Whether `-v` (or more) was given.
    pub(crate) fn is_verbose(&self) -> bool {
        self.verbosity > 0
    }

    /// A plain line on stderr (kubectl's "No resources found ..." goes there).
    pub(crate) fn notice(&mut self, message: &str) {
        self.held_or_line(Kind::Other, message);
    }

    /// `note: ...` on stderr: something to know, less than a warning.
    pub(crate) fn note(&mut self, message: &str) {
        self.held_or_line(Kind::Note, &format!("note: {message}"));
    }

    /// An error line on stderr, already worded (`error: ...`, `Error from server ...`).
    pub fn error(&mut self, message: &str) {
        self.held_or_line(Kind::Other, message);
    }

    /// `hint: ...` on stderr, after the error it explains.
    pub fn hint(&mut self, message: &str) {
        self.held_or_line(Kind::Other, &format!("hint: {message}"));
    }

    fn held_or_line(&mut self, kind: Kind, message: &str) {
        match &mut self.held {
            Some(held) => held.lines.push((kind, message.to_owned())),
            None => self.line(message),
        }
    }

    fn line(&mut self, message: &str) {
        self.end_progress();
        let _ = writeln!(self.err, "{}", terminal_safe(message));
    }
}

/// `line` with each path under a `strip` directory shown from that directory on (a path starts
/// the line or follows a space, a quote or a parenthesis).
fn relative_paths(line: &str, strip: &[String]) -> String {
    let mut out = line.to_owned();
    for prefix in strip.iter().filter(|p| !p.is_empty()) {
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(prefix.as_str()) {
            result.push_str(&rest[..at]);
            let starts_path = result.chars().next_back().is_none_or(|c| matches!(c, ' ' | '"' | '(' | '\''));
            if !starts_path {
                result.push_str(prefix);
            }
            rest = &rest[at + prefix.len()..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn held_lines_follow_fitted_and_summed_up_for_a_person() {
        let err = Shared::default();
        let mut printer = Printer::new(Box::new(io::sink()), Box::new(err.clone()), 0);
        printer.hold_notes(Some(70), vec!["/tmp/in/".into()], crate::render::fit::Glyphs::UNICODE);
        printer.warning("/tmp/in/mg/a/b/c/images.yaml:4 replaces /tmp/in/mg/x/y/z/images.yaml:9 (overlay)");
        for i in 0..6 {
            printer.note(&format!("number {i}"));
        }
        printer.error("error: stays whole however long it is, and is never dropped from the lines");
        assert!(err.0.lock().unwrap().is_empty(), "held until released");
        printer.release_notes();
        let text = String::from_utf8(err.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            text,
            "warning: mg/a/b/c/images.yaml:4 replaces mg/…/images.yaml:9 (overlay)\n\
             note: number 0\nnote: number 1\nnote: number 2\nnote: number 3\n\
             error: stays whole however long it is, and is never dropped from the\n       lines\n\
             note: 2 more warnings and notes; -v prints them all, whole\n"
        );
        // A pipe (no width) gets every line whole, in order.
        let err = Shared::default();
        let mut printer = Printer::new(Box::new(io::sink()), Box::new(err.clone()), 0);
        printer.hold_notes(None, vec!["/tmp/in/".into()], crate::render::fit::Glyphs::UNICODE);
        printer.warning("/tmp/in/mg/a.yaml is long");
        printer.release_notes();
        assert_eq!(String::from_utf8(err.0.lock().unwrap().clone()).unwrap(), "warning: /tmp/in/mg/a.yaml is long\n");
    }

    #[test]
    fn progress_is_drawn_in_place_and_cleared_only_when_enabled() {
        let err = Shared::default();
        let mut printer = Printer::new(Box::new(io::sink()), Box::new(err.clone()), 0);
        printer.progress("reading: 1 file");
        assert!(err.0.lock().unwrap().is_empty(), "not a terminal: nothing");
        printer.enable_progress(true);
        printer.progress("reading: 2 files");
        printer.warning("then a warning");
        let text = String::from_utf8(err.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text, "\r\u{1b}[Kreading: 2 files\r\u{1b}[Kwarning: then a warning\n");
    }

    #[test]
    fn stderr_never_carries_terminal_controls() {
        let err = Shared::default();
        let mut printer = Printer::new(Box::new(io::sink()), Box::new(err.clone()), 1);
        printer.warning("tag \u{1b}[31mred\u{1b}[0m\rhidden \u{202E}txt");
        printer.error("error: first\nerror: forged");
        printer.hint("second\twith a tab");
        let text = String::from_utf8(err.0.lock().unwrap().clone()).unwrap();
        assert_eq!(
            text,
            "warning: tag \\u{1b}[31mred\\u{1b}[0m\\u{d}hidden \\u{202e}txt\nerror: first\\u{a}error: forged\nhint: second\twith a tab\n"
        );
        assert_eq!(terminal_safe("plain ünïcode"), "plain ünïcode");
    }
}
