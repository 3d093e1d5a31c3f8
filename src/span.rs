//! Byte spans into the input text, and their 1-based line/column form.
//!
//! Every node of the parsed model keeps a [`Span`] (cedar's idea: spans are a value type on
//! every node), so any later phase can point at the exact bytes that decided something.

use serde::Serialize;

/// A byte range `offset..offset + len` into the source text.
///
/// ```
/// use policy_check::Span;
/// let s = Span::new(4, 3);
/// assert_eq!(s.end(), 7);
/// assert_eq!(&"abc def ghi"[s.range()], "def");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub offset: usize,
    /// Length in bytes.
    pub len: usize,
}

impl Span {
    /// A span of `len` bytes starting at byte `offset`.
    pub const fn new(offset: usize, len: usize) -> Self {
        Span { offset, len }
    }

    /// The byte just past the span.
    pub const fn end(self) -> usize {
        self.offset + self.len
    }

    /// The span as a `Range<usize>`, for slicing the source.
    pub const fn range(self) -> std::ops::Range<usize> {
        self.offset..self.end()
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.offset, s.len).into()
    }
}

/// A span with its 1-based line and column, as JSON output reports it.
///
/// Columns count Unicode scalar values from the start of the line, so a multi-byte
/// character counts once.
///
/// ```
/// use policy_check::{Location, Span};
/// let text = "{\n  \"a\": 1\n}";
/// let loc = Location::of(text, Span::new(4, 3));
/// assert_eq!((loc.line, loc.column), (2, 3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Location {
    /// Byte offset, as in [`Span::offset`].
    pub offset: usize,
    /// Length in bytes.
    pub length: usize,
    /// 1-based line of the first byte.
    pub line: usize,
    /// 1-based column (in characters) of the first byte.
    pub column: usize,
}

impl Location {
    /// Computes the line and column of `span` in `text`.
    pub fn of(text: &str, span: Span) -> Self {
        let at = floor_char_boundary(text, span.offset.min(text.len()));
        let before = &text[..at];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..at].chars().count() + 1;
        Location {
            offset: span.offset,
            length: span.len,
            line,
            column,
        }
    }
}

/// The byte offset where each line starts, for turning many spans into lines and columns
/// without rescanning the text each time (a large policy has thousands of spans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        // memchr's vectorised search: a byte-by-byte filter took ~2 ms on a 6 MB policy.
        let mut starts =
            Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte offset where 0-based `line` starts (the text's end past the last line).
    pub fn line_start(&self, line: usize, text_len: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(text_len)
    }

    /// The same as [`Location::of`], in O(log lines + line length).
    pub fn location(&self, text: &str, span: Span) -> Location {
        let at = floor_char_boundary(text, span.offset.min(text.len()));
        let line = self.line_of(at);
        let column = text[self.starts[line]..at].chars().count() + 1;
        Location {
            offset: span.offset,
            length: span.len,
            line: line + 1,
            column,
        }
    }
}

/// The largest char boundary at or below `i` (str::floor_char_boundary is not stable yet).
pub(crate) fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A value together with the span of the JSON node it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is in the source.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

#[cfg(test)]
mod line_index_tests {
    use super::*;

    #[test]
    fn agrees_with_a_rescan() {
        let text = "{\n  \"é\": 1\n}";
        let index = LineIndex::new(text);
        let span = Span::new(5, 4);
        assert_eq!(index.location(text, span), Location::of(text, span));
        assert_eq!(index.line_of(text.len()), 2);
    }
}
