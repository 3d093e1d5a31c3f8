//! Keeping rendered diagnostics small whatever the input. miette draws every labelled line in
//! full, underlines the whole label and lists every label: a 10 MB Resource became 55 MB of
//! `check` output, and a finding with a thousand labels on one minified line panicked inside
//! miette (a column past `u16::MAX` is a formatting argument out of range).
//!
//! [`Elided`] wraps any diagnostic on its way to the renderer: it keeps the primary labels and
//! the first [`MAX_SECONDARY`] others (saying how many it left out), shortens long label,
//! message and help texts, and serves miette a copy of the labelled lines in which every line
//! longer than [`MAX_LINE`] bytes keeps only windows around the label ends, `…` between them.
//! Lines keep their numbers and the header keeps the original column. JSON, SARIF and the
//! other machine formats do not come through here: they keep every label.

use std::error::Error;
use std::fmt;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, Severity, SourceCode, SourceSpan,
    SpanContents,
};

/// Secondary labels drawn per diagnostic; the rest are counted in the help line.
pub(crate) const MAX_SECONDARY: usize = 8;
/// Longer source lines are shown as windows around the labels.
pub(crate) const MAX_LINE: usize = 200;
/// Bytes kept on each side of a label's start and end in a long line.
const WINDOW: usize = 48;
/// Lines between two labels that are still drawn as one snippet.
const MAX_GAP: usize = 12;
/// Lines a label may cover and still be drawn whole.
const MAX_SPAN_LINES: usize = 24;
/// Longest label text drawn; longer ones keep their head and tail.
const MAX_LABEL: usize = 200;
/// Longest message or help text drawn.
const MAX_TEXT: usize = 4096;
/// Context lines around each label: the renderer in `diag.rs` is configured with this too,
/// so the lines read here are the lines miette asks for.
pub(crate) const CONTEXT_LINES: usize = 1;
const ELLIPSIS: &str = "…";

/// A diagnostic as it will be drawn: bounded in labels, line length and text length.
pub(crate) struct Elided<'a> {
    inner: &'a dyn Diagnostic,
    message: String,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Option<ElidedSource<'a>>,
}

impl<'a> Elided<'a> {
    /// Wraps `inner`; reads only the lines around its labels.
    pub(crate) fn new(inner: &'a dyn Diagnostic) -> Elided<'a> {
        let all: Vec<LabeledSpan> = inner.labels().map(Iterator::collect).unwrap_or_default();
        let mut kept = Vec::new();
        let mut secondary = 0;
        let mut hidden = 0;
        for l in all {
            if !l.primary() {
                if secondary == MAX_SECONDARY {
                    hidden += 1;
                    continue;
                }
                secondary += 1;
            }
            kept.push(l);
        }
        let mut help = inner.help().map(|h| shorten(&h.to_string(), MAX_TEXT));
        if hidden > 0 {
            let note = format!(
                "{hidden} more labelled place{} not shown here (--format json lists every label)",
                if hidden == 1 { " is" } else { "s are" }
            );
            help = Some(match help {
                Some(h) => format!("{h}\n{note}"),
                None => note,
            });
        }
        let (source, labels) = match inner.source_code() {
            Some(src) if !kept.is_empty() => {
                let (source, labels) = ElidedSource::build(src, &kept);
                (Some(source), labels)
            }
            _ => (None, kept),
        };
        let labels = labels
            .into_iter()
            .map(|l| {
                let text = l.label().map(|t| shorten(t, MAX_LABEL));
                if l.primary() {
                    LabeledSpan::new_primary_with_span(text, *l.inner())
                } else {
                    LabeledSpan::new_with_span(text, *l.inner())
                }
            })
            .collect();
        Elided {
            inner,
            message: shorten(&inner.to_string(), MAX_TEXT),
            help,
            labels,
            source,
        }
    }

    /// The same diagnostic without source lines: the fallback if drawing them fails.
    pub(crate) fn without_source(mut self) -> Elided<'a> {
        self.source = None;
        self.labels.clear();
        self
    }
}

/// `s` cut to about `max` bytes, keeping its head and tail (the tail often says the most:
/// "…, request has `things`").
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let head = floor_char(s, max * 2 / 3);
    let tail = ceil_char(s, s.len() - max / 3);
    format!("{}{ELLIPSIS}{}", &s[..head], &s[tail..])
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl fmt::Debug for Elided<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Elided")
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Elided<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for Elided<'_> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.inner.source()
    }
}

impl Diagnostic for Elided<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() || self.source.is_none() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.inner.related()
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}

/// A run of whole lines of the original text around some labels, and its elided copy.
struct Chunk<'a> {
    /// The original lines.
    orig: &'a str,
    /// 0-based number of their first line.
    first_line: usize,
    /// How many lines they are.
    lines: usize,
    /// The elided copy.
    text: String,
    /// Where the copy starts in the concatenation of all copies (the offsets labels use).
    base: usize,
    /// Copied pieces: (offset in `text`, offset in `orig`, length).
    pieces: Vec<(usize, usize, usize)>,
}

impl Chunk<'_> {
    /// The offset in the copy of original (chunk-local) offset `o`; a cut-out offset goes
    /// to the `…` that replaced it.
    fn to_copy(&self, o: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.1 <= o).saturating_sub(1);
        let (at, from, len) = self.pieces[i];
        at + o.saturating_sub(from).min(len)
    }

    /// The original (chunk-local) offset of copy offset `c`.
    fn to_orig(&self, c: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.0 <= c).saturating_sub(1);
        let (at, from, len) = self.pieces[i];
        from + c.saturating_sub(at).min(len)
    }
}

/// The lines around a diagnostic's labels, long lines elided, served to miette with their
/// original line numbers.
struct ElidedSource<'a> {
    name: Option<String>,
    language: Option<String>,
    chunks: Vec<Chunk<'a>>,
}

impl<'a> ElidedSource<'a> {
    /// Reads the lines around `labels` from `src` and returns the labels moved into the copy.
    /// A label whose lines cannot be read is dropped (miette could not draw it either).
    fn build(src: &'a dyn SourceCode, labels: &[LabeledSpan]) -> (Self, Vec<LabeledSpan>) {
        let mut name = None;
        let mut language = None;
        // Each label with its lines (with context). A read costs a scan of those lines, which
        // may be one 100 KB minified line: each is read once and kept.
        let mut ranges: Vec<(Lines<'a>, LabeledSpan)> = Vec::new();
        for l in labels {
            let Ok(mut c) = src.read_span(l.inner(), CONTEXT_LINES, CONTEXT_LINES) else {
                continue;
            };
            let mut l = l.clone();
            // A label over thousands of lines (a whole Statement array) would print them all:
            // past MAX_SPAN_LINES it is drawn on its first line only.
            let data = c.data();
            let at = l.offset().saturating_sub(c.span().offset());
            let inside = data.get(at..(at + l.len()).min(data.len())).unwrap_or(&[]);
            if inside.iter().filter(|&&b| b == b'\n').count() > MAX_SPAN_LINES {
                let line = inside
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .unwrap_or(inside.len());
                let text = l.label().map(str::to_string);
                let span = SourceSpan::from((l.offset(), line));
                l = if l.primary() {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                };
                let Ok(again) = src.read_span(l.inner(), CONTEXT_LINES, CONTEXT_LINES) else {
                    continue;
                };
                c = again;
            }
            if name.is_none() {
                name = c.name().map(str::to_string);
                language = c.language().map(str::to_string);
            }
            ranges.push((c, l));
        }
        ranges.sort_by_key(|r| r.1.offset());
        // Labels share a chunk when miette would draw them in one snippet: its rule, on the
        // values the original source gives, and no more than MAX_GAP lines apart (that rule
        // alone can join labels hundreds of lines apart).
        let mut groups: Vec<Group<'a>> = Vec::new();
        for (c, l) in ranges {
            if let Some(g) = groups.last_mut()
                && g.lines.line() + g.lines.line_count() >= c.line()
                && c.line() <= last_line(&*g.lines) + MAX_GAP
            {
                let end = g.end.max(l.offset() + l.len());
                if let Ok(u) = src.read_span(
                    &SourceSpan::from((g.start, end - g.start)),
                    CONTEXT_LINES,
                    CONTEXT_LINES,
                ) {
                    g.end = end;
                    g.lines = u;
                    g.labels.push(l);
                    continue;
                }
            }
            groups.push(Group {
                start: l.offset(),
                end: l.offset() + l.len(),
                lines: c,
                labels: vec![l],
            });
        }
        let mut chunks = Vec::new();
        let mut moved = Vec::new();
        let mut base = 0;
        for Group {
            lines: c,
            labels: group,
            ..
        } in groups
        {
            let Ok(orig) = std::str::from_utf8(c.data()) else {
                continue;
            };
            let orig_base = c.span().offset();
            let ends: Vec<usize> = group
                .iter()
                .flat_map(|l| [l.offset(), l.offset() + l.len()])
                .filter_map(|o| o.checked_sub(orig_base))
                .collect();
            let (text, pieces) = elide_lines(orig, &ends);
            let chunk = Chunk {
                orig,
                first_line: c.line(),
                lines: orig.bytes().filter(|&b| b == b'\n').count() + 1,
                text,
                base,
                pieces,
            };
            for l in group {
                let from = chunk.to_copy(l.offset().saturating_sub(orig_base));
                let to = chunk.to_copy((l.offset() + l.len()).saturating_sub(orig_base));
                let span = SourceSpan::from((base + from, to - from));
                let text = l.label().map(str::to_string);
                moved.push(if l.primary() {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                });
            }
            base += chunk.text.len();
            chunks.push(chunk);
        }
        (
            ElidedSource {
                name,
                language,
                chunks,
            },
            moved,
        )
    }
}

/// What a source hands over for a span: its lines, with their numbers.
type Lines<'a> = Box<dyn SpanContents<'a> + 'a>;

/// Labels drawn in one snippet: the span from the first label's start to the furthest end,
/// and its lines (whose numbers miette's merge rule looks at).
struct Group<'a> {
    start: usize,
    end: usize,
    lines: Lines<'a>,
    labels: Vec<LabeledSpan>,
}

/// The 0-based number of the last line of `c`.
fn last_line(c: &dyn SpanContents<'_>) -> usize {
    let data = c.data();
    let body = data.strip_suffix(b"\n").unwrap_or(data);
    c.line() + body.iter().filter(|&&b| b == b'\n').count()
}

/// `orig` with every line longer than [`MAX_LINE`] reduced to windows around the offsets in
/// `ends` (or its start, if none falls on it), and the copied pieces.
fn elide_lines(orig: &str, ends: &[usize]) -> (String, Vec<(usize, usize, usize)>) {
    let mut text = String::with_capacity(orig.len().min(64 * 1024));
    let mut pieces = Vec::new();
    let mut copy = |text: &mut String, from: usize, to: usize| {
        if to > from {
            pieces.push((text.len(), from, to - from));
            text.push_str(&orig[from..to]);
        }
    };
    let bytes = orig.as_bytes();
    let mut ls = 0;
    while ls < orig.len() {
        // A line ends at `\n` or `\r`, as miette counts lines.
        let le = bytes[ls..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(orig.len(), |i| ls + i);
        let mut next = (le + 1).min(orig.len());
        if bytes.get(le) == Some(&b'\r') && bytes.get(le + 1) == Some(&b'\n') {
            next = le + 2;
        }
        if le - ls <= MAX_LINE {
            copy(&mut text, ls, next);
        } else {
            let mut windows: Vec<(usize, usize)> = ends
                .iter()
                .filter(|&&p| (ls..=le).contains(&p))
                .map(|&p| {
                    (
                        floor_char(orig, p.saturating_sub(WINDOW).max(ls)),
                        ceil_char(orig, (p + WINDOW).min(le)),
                    )
                })
                .collect();
            if windows.is_empty() {
                windows.push((ls, ceil_char(orig, ls + 2 * WINDOW)));
            }
            windows.sort_unstable();
            let mut at = ls;
            let mut merged: Vec<(usize, usize)> = Vec::new();
            for (a, b) in windows {
                match merged.last_mut() {
                    // A short gap costs less than an ellipsis would save.
                    Some(m) if a <= m.1 + ELLIPSIS.len() * 2 => m.1 = m.1.max(b),
                    _ => merged.push((a, b)),
                }
            }
            for (a, b) in merged {
                if a > at {
                    text.push_str(ELLIPSIS);
                }
                copy(&mut text, a, b);
                at = b;
            }
            if at < le {
                text.push_str(ELLIPSIS);
            }
            copy(&mut text, le, next);
        }
        ls = next;
    }
    if pieces.is_empty() {
        pieces.push((0, 0, 0));
    }
    (text, pieces)
}

impl SourceCode for ElidedSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        // Only within one chunk: a span across two is refused, and miette then draws the two
        // separately.
        let chunk = self
            .chunks
            .iter()
            .find(|c| c.base <= start && end <= c.base + c.text.len())
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::from((start - chunk.base, span.len()));
        let inner = chunk.text.as_str().read_span(&local, before, after)?;
        // The header shows the column of the original text.
        let column = if before == 0 {
            let o = chunk.to_orig(start - chunk.base);
            let line_start = chunk.orig[..o].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            // A chunk starts at a line start (it was read with context lines), so this is the
            // column in the original line, in bytes as miette counts them.
            o - line_start
        } else {
            inner.column()
        };
        let span = SourceSpan::from((inner.span().offset() + chunk.base, inner.span().len()));
        let data = inner.data();
        let line = inner.line() + chunk.first_line;
        // miette joins two labels' snippets when this count reaches the next one's line and
        // the joined span can be read: claiming the whole chunk leaves that choice to
        // `build`, which made the chunks.
        let count = chunk.first_line + chunk.lines;
        let contents = match &self.name {
            Some(n) => MietteSpanContents::new_named(n.clone(), data, span, line, column, count),
            None => MietteSpanContents::new(data, span, line, column, count),
        };
        Ok(Box::new(match &self.language {
            Some(l) => contents.with_language(l.clone()),
            None => contents,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Diag, Style, render};
    use crate::source::Source;
    use crate::span::Span;

    fn diag(text: &str) -> (Source, Diag) {
        let src = Source::new("t.json", text);
        let d = Diag::new(Severity::Error, "t", "message", Some(src.named()));
        (src, d)
    }

    #[test]
    fn a_long_line_keeps_windows_around_the_label_and_its_numbers() {
        let long = format!("{}X{}", "a".repeat(100_000), "b".repeat(100_000));
        let text = format!("first\nsecond\n{long}\nlast\n");
        let at = text.find('X').unwrap();
        let (_, d) = diag(&text);
        let out = render(&d.primary(Span::new(at, 1), "here"), Style::default());
        assert!(out.len() < 2000, "{out}");
        // Original line number and column (1-based, in bytes).
        assert!(out.contains("[t.json:3:100001]"), "{out}");
        let snippet = format!(" 3 │ …{}X{}…", "a".repeat(WINDOW), "b".repeat(WINDOW));
        assert!(out.contains(&snippet), "{out}");
        assert!(
            out.contains(" 2 │ second") && out.contains(" 4 │ last"),
            "{out}"
        );
        assert!(out.contains("╰── here"), "{out}");
    }

    #[test]
    fn a_long_label_is_cut_between_its_ends() {
        let text = format!("x = \"{}\";\n", "é".repeat(50_000));
        let (_, d) = diag(&text);
        let out = render(
            &d.primary(Span::new(4, text.len() - 6), "the string"),
            Style::default(),
        );
        assert!(out.len() < 3000, "{out}");
        assert!(out.contains("1 │ x = \"ééé"), "{out}");
        assert!(out.contains("é…é"), "{out}");
        assert!(out.contains("ééé\";"), "{out}");
    }

    #[test]
    fn labels_beyond_eight_secondary_ones_are_counted() {
        let text: String = (0..20).map(|i| format!("line {i}\n")).collect();
        let (_, mut d) = diag(&text);
        d = d.primary(Span::new(0, 4), "primary").help("fix it");
        for i in 1..20 {
            d = d.label(
                Span::new(text.find(&format!("line {i}\n")).unwrap(), 4),
                format!("l{i}"),
            );
        }
        let out = render(&d, Style::default());
        assert!(out.contains("l8") && !out.contains("l9"), "{out}");
        assert!(
            out.contains("fix it\n        11 more labelled places are not shown here"),
            "{out}"
        );
    }

    #[test]
    fn a_label_over_many_lines_is_drawn_on_its_first() {
        let text = format!("[\n{}]\n", "1,\n".repeat(1000));
        let (_, d) = diag(&text);
        let out = render(
            &d.primary(Span::new(0, text.len() - 1), "array"),
            Style::default(),
        );
        assert!(out.lines().count() < 15, "{out}");
        assert!(out.contains("1 │ [") && out.contains("╰── array"), "{out}");
    }

    #[test]
    fn long_texts_keep_head_and_tail() {
        let s = format!("{}{}", "a".repeat(10_000), "tail");
        let short = shorten(&s, 300);
        assert!(short.len() < 310 && short.ends_with("atail") && short.contains(ELLIPSIS));
        assert_eq!(shorten("short", 300), "short");
    }
}
