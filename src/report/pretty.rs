//! Minified JSON (what `JSON.stringify` and `json.dumps` print, so what authorizers piped into
//! the CLI look like) puts the whole document on one line, and a label on it shows kilobytes.
//! For the human report only, such a document is re-indented and every node and key span is
//! mapped to its place in the new text; JSON output keeps offsets into the original input.

use std::collections::HashMap;
use std::fmt::Write;

use crate::source::{Document, Json, Node, Source};
use crate::span::Span;

/// Lines longer than this make a labelled document worth re-indenting.
pub const LONG_LINE: usize = 160;

/// A re-indented copy of a document and where each original span went.
#[derive(Debug, Clone)]
pub struct Reformatted {
    /// The new text, under a name that says it was reformatted.
    pub source: Source,
    map: HashMap<Span, Span>,
    /// Strings, numbers and keys copied verbatim: (original offset, length, new offset), in
    /// document order, so a span inside one (an ARN field of a Resource) moves with it.
    leaves: Vec<(usize, usize, usize)>,
}

impl Reformatted {
    /// Where `span` (of a node or key of the original, or inside a string, number or key)
    /// is in the new text.
    pub fn map(&self, span: Span) -> Option<Span> {
        if let Some(s) = self.map.get(&span) {
            return Some(*s);
        }
        let i = self
            .leaves
            .partition_point(|l| l.0 <= span.offset())
            .checked_sub(1)?;
        let (from, len, to) = self.leaves[i];
        (span.end() <= from + len).then(|| Span::new(to + span.offset() - from, span.len()))
    }
}

/// Whether any of `spans` lies on a line longer than [`LONG_LINE`] characters.
pub fn has_long_lines(text: &str, spans: impl IntoIterator<Item = Span>) -> bool {
    spans.into_iter().any(|s| {
        let at = s.offset().min(text.len());
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        text.get(start..end)
            .is_some_and(|l| l.chars().count() > LONG_LINE)
    })
}

/// Re-indents `doc` (two spaces, one member or element per line). Strings and numbers are
/// copied from the original text byte for byte, escapes included.
pub fn reformat(doc: &Document) -> Reformatted {
    let mut w = Writer {
        src: doc.source.text(),
        out: String::with_capacity(doc.source.text().len() * 2),
        map: HashMap::new(),
        leaves: Vec::new(),
    };
    w.node(&doc.root, 0);
    w.out.push('\n');
    Reformatted {
        source: Source::new(
            &format!("{} (re-indented for display)", doc.source.name()),
            w.out,
        ),
        map: w.map,
        leaves: w.leaves,
    }
}

struct Writer<'a> {
    src: &'a str,
    out: String,
    map: HashMap<Span, Span>,
    leaves: Vec<(usize, usize, usize)>,
}

impl Writer<'_> {
    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    fn copy(&mut self, span: Span) {
        let start = self.out.len();
        self.out.push_str(&self.src[span.range()]);
        self.map.insert(span, Span::new(start, span.len()));
        self.leaves.push((span.offset(), span.len(), start));
    }

    fn node(&mut self, n: &Node, depth: usize) {
        let start = self.out.len();
        match &n.value {
            Json::Object(members) if !members.is_empty() => {
                self.out.push_str("{\n");
                for (i, m) in members.iter().enumerate() {
                    self.indent(depth + 1);
                    self.copy(m.key.span);
                    self.out.push_str(": ");
                    self.node(&m.value, depth + 1);
                    if i + 1 < members.len() {
                        self.out.push(',');
                    }
                    self.out.push('\n');
                }
                self.indent(depth);
                self.out.push('}');
            }
            Json::Array(items) if !items.is_empty() => {
                self.out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    self.indent(depth + 1);
                    self.node(item, depth + 1);
                    if i + 1 < items.len() {
                        self.out.push(',');
                    }
                    self.out.push('\n');
                }
                self.indent(depth);
                self.out.push(']');
            }
            Json::Object(_) => self.out.push_str("{}"),
            Json::Array(_) => self.out.push_str("[]"),
            _ => {
                self.leaves.push((n.span.offset(), n.span.len(), start));
                let _ = write!(self.out, "{}", &self.src[n.span.range()]);
            }
        }
        self.map
            .insert(n.span, Span::new(start, self.out.len() - start));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_map_to_the_same_text() {
        let text = r#"{"a":[1,"x\"y",{"b":null}],"c":{},"d":[]}"#;
        let doc = Document::parse(Source::new("t.json", text)).unwrap();
        let r = reformat(&doc);
        let new = r.source.text();
        let member = &doc.root.members()[0];
        let key = r.map(member.key.span).unwrap();
        assert_eq!(&new[key.range()], "\"a\"");
        let Json::Array(items) = &member.value.value else {
            panic!()
        };
        let s = r.map(items[1].span).unwrap();
        assert_eq!(&new[s.range()], r#""x\"y""#);
        // The reformatted text is the same JSON.
        let a: serde_json::Value = serde_json::from_str(text).unwrap();
        let b: serde_json::Value = serde_json::from_str(new).unwrap();
        assert_eq!(a, b);
        assert!(new.lines().all(|l| l.len() < 40));
        // A span inside a string moves with it.
        let inner = Span::new(text.find("x\\").unwrap(), 1);
        assert_eq!(&new[r.map(inner).unwrap().range()], "x");
    }
}
