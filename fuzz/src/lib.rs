//! Helpers shared by the fuzz targets.

/// Splits `NAME\0DOCUMENT` (a name of at most 64 bytes, decoded lossily as file names are)
/// into the name and the document; input without such a prefix is all document, named
/// `default`. Printers must carry any file name, so the fuzzer gets to choose it.
pub fn named<'a>(data: &'a [u8], default: &str) -> (String, &'a [u8]) {
    match data.iter().position(|&b| b == 0) {
        Some(i) if i <= 64 => (
            String::from_utf8_lossy(&data[..i]).into_owned(),
            &data[i + 1..],
        ),
        _ => (default.to_string(), data),
    }
}
