//! Writing to stdout/stderr; a closed pipe (`policy-check … | head`) is not an error.

use std::io::Write;

use policy_check::InputError;
use policy_check::report::{Style, render};

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

/// Reads a path, or stdin for `-`.
pub fn read_input(path: &str) -> Result<(String, Vec<u8>), InputError> {
    use std::io::Read;
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| {
            InputError::plain(
                policy_check::source::ErrorKind::Io,
                format!("cannot read standard input: {e}"),
            )
        })?;
        return Ok(("<stdin>".to_string(), buf));
    }
    std::fs::read(path)
        .map(|b| (path.to_string(), b))
        .map_err(|e| {
            InputError::plain(
                policy_check::source::ErrorKind::Io,
                format!("cannot read `{path}`: {e}"),
            )
        })
}
