//! The printer: the only code that writes to stdout or stderr. Data goes to stdout; warnings,
//! verbose notes and errors go to stderr, each one line in kubectl's voice.

use std::io::{self, Write};

/// Owns the output streams and the verbosity.
pub struct Printer {
    out: Box<dyn Write + Send>,
    err: Box<dyn Write + Send>,
    verbosity: u8,
}

impl Printer {
    /// A printer over the process's stdout and stderr.
    pub fn stdio(verbosity: u8) -> Printer {
        Printer::new(Box::new(io::stdout()), Box::new(io::stderr()), verbosity)
    }

    /// A printer over any writers (tests pass buffers).
    pub fn new(out: Box<dyn Write + Send>, err: Box<dyn Write + Send>, verbosity: u8) -> Printer {
        Printer { out, err, verbosity }
    }

    /// Writes data to stdout. A closed pipe surfaces as `BrokenPipe` for `main` to end quietly.
    pub fn data(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())?;
        self.out.flush()
    }

    /// `warning: ...` on stderr.
    pub fn warning(&mut self, message: &str) {
        let _ = writeln!(self.err, "warning: {message}");
    }

    /// A note shown from verbosity `level` on (`-v` is 1).
    pub fn verbose(&mut self, level: u8, message: &str) {
        if self.verbosity >= level {
            let _ = writeln!(self.err, "{message}");
        }
    }

    /// A plain line on stderr (kubectl's "No resources found ..." goes there).
    pub fn notice(&mut self, message: &str) {
        let _ = writeln!(self.err, "{message}");
    }

    /// An error line on stderr, already worded (`error: ...`, `Error from server ...`).
    pub fn error(&mut self, message: &str) {
        let _ = writeln!(self.err, "{message}");
    }
}
