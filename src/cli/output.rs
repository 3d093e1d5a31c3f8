//! Writing to stdout/stderr; a closed pipe (`policy-check … | head`) is not an error.

use std::io::Write;
use std::path::Path;

use policy_check::report::{Style, render};
use policy_check::{InputError, source};

/// Writes `text` to stdout, ignoring a broken pipe.
pub fn out(text: &str) {
    let mut o = std::io::stdout().lock();
    let _ = o.write_all(text.as_bytes()).and_then(|_| o.flush());
}

/// Writes a rendered diagnostic for an input error to stderr.
pub fn input_error(e: &InputError, style: Style) {
    let text = render(e, style);
    let mut o = std::io::stderr().lock();
    let _ = o.write_all(text.as_bytes());
}

/// Writes a one-line error to stderr.
pub fn error(message: &str) {
    let mut o = std::io::stderr().lock();
    let _ = writeln!(o, "error: {message}");
}

/// Reads a path, or stdin for `-`, up to the input size cap. The path stays a `Path` all
/// the way to the read, so names that are not UTF-8 are read too.
pub fn read_input(path: impl AsRef<Path>) -> Result<(String, Vec<u8>), InputError> {
    let path = path.as_ref();
    if path.as_os_str() == "-" {
        let buf = source::read_capped(std::io::stdin().lock(), "<stdin>")?;
        return Ok(("<stdin>".to_string(), buf));
    }
    source::read_path(path).map(|b| (path.display().to_string(), b))
}
