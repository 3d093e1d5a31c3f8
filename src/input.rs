//! Reading an input file, or standard input for `-`, into bytes with the name diagnostics use.

use crate::source::{ErrorKind, InputError};

/// The name standard input gets in diagnostics and reports.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads `path`, or standard input for `-`; returns the display name and the bytes.
pub(crate) fn read_input(path: &std::path::Path) -> Result<(String, Vec<u8>), InputError> {
    use std::io::Read;
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| {
            InputError::plain(ErrorKind::Io, format!("cannot read standard input: {e}"))
        })?;
        return Ok((STDIN_NAME.to_string(), buf));
    }
    let name = path.display().to_string();
    std::fs::read(path)
        .map(|b| (name.clone(), b))
        .map_err(|e| InputError::plain(ErrorKind::Io, format!("cannot read `{name}`: {e}")))
}
