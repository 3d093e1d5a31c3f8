//! Making decoded input safe to show on a terminal. Sids, case names and file names come from
//! the user's files; a raw ESC, BEL or CR in them could clear the screen, set the title or
//! forge an `ok` line. Control characters are shown escaped instead, as Rust's `{:?}` would.

use std::borrow::Cow;

/// `s` with every control character (C0, DEL, C1; newlines and tabs included) escaped.
pub(crate) fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`escape`], but keeps line breaks: for multi-line text the tool built itself around
/// decoded values.
pub(crate) fn escape_keep_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.split('\n').map(escape).collect::<Vec<_>>().join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(escape("ok"), "ok");
        assert_eq!(escape("a\u{1b}[2Jb\u{7}\r\n"), "a\\u{1b}[2Jb\\u{7}\\r\\n");
        assert_eq!(escape("\u{9b}x"), "\\u{9b}x");
        assert_eq!(escape_keep_lines("a\nb\u{1b}"), "a\nb\\u{1b}");
    }
}
