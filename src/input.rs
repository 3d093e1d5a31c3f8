//! Reading an input file, or standard input for `-`, into bytes with the name diagnostics use.
//! Both stop at the input size cap (`source::MAX_INPUT_BYTES`), so `/dev/zero` cannot eat
//! memory, and the path stays a `Path` to the read, so names that are not UTF-8 work.

use crate::source::{self, InputError};

/// The name standard input gets in diagnostics and reports.
pub const STDIN_NAME: &str = "<stdin>";

/// Reads `path`, or standard input for `-`; returns the display name and the bytes.
pub(crate) fn read_input(path: &std::path::Path) -> Result<(String, Vec<u8>), InputError> {
    if path.as_os_str() == "-" {
        let buf = source::read_capped(std::io::stdin().lock(), STDIN_NAME)?;
        return Ok((STDIN_NAME.to_string(), buf));
    }
    source::read_path(path).map(|b| (path.display().to_string(), b))
}
