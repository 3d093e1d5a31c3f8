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
///
/// Offsets are stored in 32 bits (half the size of a node of a large policy's tree is spans):
/// texts past 4 GiB are refused by [`crate::Document::parse`], and the CLI reads at most
/// 64 MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    offset: u32,
    len: u32,
}

impl Span {
    /// A span of `len` bytes starting at byte `offset` (both saturate at `u32::MAX`).
    pub const fn new(offset: usize, len: usize) -> Self {
        let offset = if offset > u32::MAX as usize {
            u32::MAX
        } else {
            offset as u32
        };
        let room = (u32::MAX - offset) as usize;
        let len = if len > room { room as u32 } else { len as u32 };
        Span { offset, len }
    }

    /// Byte offset of the first byte.
    pub const fn offset(self) -> usize {
        self.offset as usize
    }

    /// Length in bytes.
    pub const fn len(self) -> usize {
        self.len as usize
    }

    /// Whether the span covers no byte.
    pub const fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The byte just past the span.
    pub const fn end(self) -> usize {
        self.offset() + self.len()
    }

    /// The span as a `Range<usize>`, for slicing the source.
    pub const fn range(self) -> std::ops::Range<usize> {
        self.offset()..self.end()
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(s: Span) -> Self {
        (s.offset(), s.len()).into()
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
        let at = floor_char_boundary(text, span.offset().min(text.len()));
        let before = &text[..at];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..at].chars().count() + 1;
        Location {
            offset: span.offset(),
            length: span.len(),
            line,
            column,
        }
    }
}

/// Where every `EVERY`-th line starts, for turning many spans into lines and columns
/// without rescanning the text each time (a large policy has thousands of spans). Sparse,
/// because a dense index of a 50 MB policy weighed 9.6 MB; a lookup scans at most
/// `EVERY` lines from its checkpoint (memchr, a few kilobytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// `checkpoints[k]` is where 0-based line `k * EVERY` starts.
    checkpoints: Vec<usize>,
}

/// The spacing of the checkpoints, in lines.
const EVERY: usize = 64;

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        // memchr's vectorised search: a byte-by-byte filter took ~2 ms on a 6 MB policy.
        let mut checkpoints = vec![0];
        checkpoints.extend(
            memchr::memchr_iter(b'\n', text.as_bytes())
                .enumerate()
                .filter(|(i, _)| (i + 1) % EVERY == 0)
                .map(|(_, at)| at + 1),
        );
        LineIndex { checkpoints }
    }

    /// The 0-based line holding byte `offset` of `text` (the text indexed).
    pub fn line_of(&self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        let k = self.checkpoints.partition_point(|&s| s <= offset) - 1;
        let from = self.checkpoints[k];
        k * EVERY + memchr::memchr_iter(b'\n', &text.as_bytes()[from..offset]).count()
    }

    /// The byte offset where 0-based `line` of `text` starts (the text's end past the last
    /// line).
    pub fn line_start(&self, text: &str, line: usize) -> usize {
        let Some(&from) = self.checkpoints.get(line / EVERY) else {
            return text.len();
        };
        match line % EVERY {
            0 => from,
            n => memchr::memchr_iter(b'\n', &text.as_bytes()[from..])
                .nth(n - 1)
                .map_or(text.len(), |i| from + i + 1),
        }
    }

    /// The same as [`Location::of`], in O(log lines + `EVERY` line lengths).
    pub fn location(&self, text: &str, span: Span) -> Location {
        let at = floor_char_boundary(text, span.offset().min(text.len()));
        let line = self.line_of(text, at);
        let column = text[self.line_start(text, line)..at].chars().count() + 1;
        Location {
            offset: span.offset(),
            length: span.len(),
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
mod tests {
    use super::*;

    #[test]
    fn agrees_with_a_rescan() {
        let text = "{\n  \"é\": 1\n}";
        let index = LineIndex::new(text);
        let span = Span::new(5, 4);
        assert_eq!(index.location(text, span), Location::of(text, span));
        assert_eq!(index.line_of(text, text.len()), 2);
    }

    #[test]
    fn the_sparse_index_agrees_with_a_scan_everywhere() {
        // Lines of varying length (some empty, some multi-byte), well past a few checkpoints.
        let text: String = (0..300)
            .map(|i| {
                format!(
                    "{}é{}\n",
                    "x".repeat(i % 7),
                    if i % 5 == 0 { "" } else { "ab" }
                )
            })
            .collect();
        let index = LineIndex::new(&text);
        for offset in 0..=text.len() {
            let span = Span::new(offset, 1);
            assert_eq!(
                index.location(&text, span),
                Location::of(&text, span),
                "{offset}"
            );
        }
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        for (line, &start) in starts.iter().enumerate() {
            assert_eq!(index.line_start(&text, line), start, "line {line}");
            assert_eq!(index.line_of(&text, start), line);
        }
        assert_eq!(index.line_start(&text, starts.len() + 70), text.len());
    }
}
