//! Where text goes: reports to stdout, could-not-answer errors to stderr. A closed pipe
//! (`policy-check … | head`) is not an error, on either stream.

use std::io::Write;

use crate::report::{Style, render};

/// Runs a printer against a locked stdout, ignoring a broken pipe.
pub(crate) fn write(print: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let mut o = std::io::BufWriter::new(std::io::stdout().lock());
    let _ = print(&mut o).and_then(|_| o.flush());
}

/// Writes a rendered diagnostic to stderr.
pub(crate) fn diagnostic(d: &dyn miette::Diagnostic, style: Style) {
    let text = render(d, style);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes a one-line error to stderr.
pub(crate) fn error(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "error: {message}");
}
