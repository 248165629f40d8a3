//! The printer: the only code that writes to stdout or stderr. Data goes to stdout; warnings,
//! verbose notes and errors go to stderr, each one line in kubectl's voice.
//!
//! Everything written to stderr is made terminal-safe here, whoever built the message: names,
//! digests, file names and server messages come from the input, and a control character in them
//! (an ESC starting a terminal sequence, a carriage return hiding the line) must not reach the
//! terminal as is (fd's `sanitize`). Data on stdout is the renderers' business: tables escape
//! their cells, YAML and JSON escape by their own rules.

use std::io::{self, Write};

/// Owns the output streams and the verbosity.
pub struct Printer {
    out: Box<dyn Write + Send>,
    err: Box<dyn Write + Send>,
    verbosity: u8,
    /// Progress lines may be drawn (stderr is a terminal).
    progress: bool,
    /// A progress line is on screen and must be cleared before anything else is written.
    drawn: bool,
}

impl Printer {
    /// A printer over the process's stdout and stderr.
    pub fn stdio(verbosity: u8) -> Printer {
        // Buffered: data written piece by piece goes out in large writes.
        Printer::new(Box::new(io::BufWriter::with_capacity(1 << 16, io::stdout())), Box::new(io::stderr()), verbosity)
    }

    /// A printer over any writers (tests pass buffers).
    pub fn new(out: Box<dyn Write + Send>, err: Box<dyn Write + Send>, verbosity: u8) -> Printer {
        Printer { out, err, verbosity, progress: false, drawn: false }
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

    /// `warning: ...` on stderr.
    pub fn warning(&mut self, message: &str) {
        self.line(&format!("warning: {message}"));
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
        self.line(message);
    }

    /// An error line on stderr, already worded (`error: ...`, `Error from server ...`).
    pub fn error(&mut self, message: &str) {
        self.line(message);
    }

    /// `hint: ...` on stderr, after the error it explains.
    pub fn hint(&mut self, message: &str) {
        self.line(&format!("hint: {message}"));
    }

    fn line(&mut self, message: &str) {
        self.end_progress();
        let _ = writeln!(self.err, "{}", terminal_safe(message));
    }
}

/// `text` with every character that could drive a terminal escaped (`\u{1b}`): C0 and C1
/// controls other than tab (a newline too: every stderr line is one message, and a name from the
/// input must not start a line that looks like isctl's own `error:`), DEL, and the
/// bidirectional overrides and isolates that reorder what a line seems to say.
pub fn terminal_safe(text: &str) -> String {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    };
    if !text.chars().any(unsafe_char) {
        return text.to_owned();
    }
    text.chars().map(|c| if unsafe_char(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
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
