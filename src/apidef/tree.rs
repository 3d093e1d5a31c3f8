//! One small spanned value tree for JSON and YAML definitions, which every reader walks.
//!
//! JSON goes through the crate's strict, span-preserving [`Document`]. YAML goes through
//! `saphyr-parser`'s event API: it is the maintained successor of yaml-rust (YAML 1.2, pure
//! Rust), every event carries its start and end marker, and tags reach us untouched, so the
//! CloudFormation short forms (`!Ref`, `!GetAtt A.B`, `!Sub`…) are rewritten here into their
//! long forms (`{"Ref": …}`, `{"Fn::GetAtt": [A, B]}`) and the readers only know one shape.
//! serde_yaml is unmaintained and gives no node spans; building from events also lets us
//! bound alias expansion (YAML bombs) and nesting depth ourselves.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use crate::source::{Document, ErrorKind, InputError, Json, Member, Node, Source};
use crate::span::{Span, Spanned};

/// Deepest nesting accepted, as serde_json's limit for JSON.
const MAX_DEPTH: usize = 128;

/// A value with the span of its node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Val {
    pub span: Span,
    pub v: V,
}

/// The value kinds. Numbers keep their text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum V {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Seq(Vec<Val>),
    Map(Vec<Entry>),
}

/// One key and value of a mapping, duplicates kept (the last one wins in [`Val::get`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Val,
}

impl Val {
    pub fn get(&self, key: &str) -> Option<&Val> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().rev().find(|e| e.key == key)
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.v {
            V::Map(m) => m,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Val] {
        match &self.v {
            V::Seq(s) => s,
            _ => &[],
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.v {
            V::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar's text: strings, numbers and booleans as written.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.v {
            V::Str(s) | V::Num(s) => Some(s.clone()),
            V::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.v, V::Map(_))
    }

    pub fn type_name(&self) -> &'static str {
        match self.v {
            V::Null => "null",
            V::Bool(_) => "a boolean",
            V::Num(_) => "a number",
            V::Str(_) => "a string",
            V::Seq(_) => "a list",
            V::Map(_) => "a mapping",
        }
    }

    /// The tree as JSON (resource policies are kept as `serde_json::Value`).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.v {
            V::Null => J::Null,
            V::Bool(b) => J::Bool(*b),
            V::Num(n) => serde_json::from_str::<serde_json::Number>(n)
                .map(J::Number)
                .unwrap_or_else(|_| J::String(n.clone())),
            V::Str(s) => J::String(s.clone()),
            V::Seq(items) => J::Array(items.iter().map(Val::to_json).collect()),
            V::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// The tree as a spanned JSON [`Node`], for readers written against JSON documents (the
    /// facts file). Depth is bounded by [`parse`].
    pub fn to_node(&self) -> Node {
        let value = match &self.v {
            V::Null => Json::Null,
            V::Bool(b) => Json::Bool(*b),
            V::Num(n) => Json::Number(n.as_str().into()),
            V::Str(s) => Json::String(s.as_str().into()),
            V::Seq(items) => Json::Array(items.iter().map(Val::to_node).collect()),
            V::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|e| Member {
                        key: Spanned::new(e.key.as_str().into(), e.key_span),
                        value: e.value.to_node(),
                    })
                    .collect(),
            ),
        };
        Node {
            span: self.span,
            value,
        }
    }

    /// How many nodes the tree holds (alias budget).
    fn size(&self) -> usize {
        1 + match &self.v {
            V::Seq(items) => items.iter().map(Val::size).sum(),
            V::Map(entries) => entries.iter().map(|e| e.value.size()).sum(),
            _ => 0,
        }
    }
}

/// Parses `source` as JSON when it starts like JSON, else as YAML.
pub(crate) fn parse(source: &Source) -> Result<Val, InputError> {
    let text = source.text();
    let first = text.trim_start().chars().next();
    if text.trim().is_empty() {
        return Err(InputError::at(
            ErrorKind::Empty,
            source,
            Span::new(0, 0),
            "the API definition is empty",
            "pass an OpenAPI export or a CloudFormation / SAM template",
        ));
    }
    if matches!(first, Some('{' | '[')) {
        // YAML flow style (`{openapi: 3.0.1, …}`) starts like JSON too. A file named
        // `.json` is held to strict JSON (YAML would take `{"a": }`); another name falls back
        // to YAML, and the JSON error stands when YAML refuses it too.
        match Document::parse(source.clone()) {
            Ok(doc) => Ok(from_json(&doc.root)),
            Err(e) if source.name().to_ascii_lowercase().ends_with(".json") => Err(e),
            Err(json_error) => parse_yaml(source).map_err(|_| json_error),
        }
    } else {
        parse_yaml(source)
    }
}

/// Recursion is bounded: serde_json refused anything nested past 127 levels.
fn from_json(node: &Node) -> Val {
    let v = match &node.value {
        Json::Null => V::Null,
        Json::Bool(b) => V::Bool(*b),
        Json::Number(n) => V::Num(n.to_string()),
        Json::String(s) => V::Str(s.to_string()),
        Json::Array(items) => V::Seq(items.iter().map(from_json).collect()),
        Json::Object(members) => V::Map(
            members
                .iter()
                .map(|m| Entry {
                    key: m.key.value.to_string(),
                    key_span: m.key.span,
                    value: from_json(&m.value),
                })
                .collect(),
        ),
    };
    Val { span: node.span, v }
}

/// saphyr's markers count characters; spans count bytes.
struct Offsets {
    /// Byte offset of each character, when the text is not all ASCII.
    bytes: Option<Vec<usize>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Offsets {
        let bytes = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        Offsets {
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.bytes {
            None => char_index.min(self.len),
            Some(b) => b.get(char_index).copied().unwrap_or(self.len),
        }
    }

    fn span(&self, s: &saphyr_parser::Span) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        Span::new(start, end - start)
    }
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        tag: Option<Tag>,
        items: Vec<Val>,
    },
    Map {
        start: usize,
        anchor: usize,
        tag: Option<Tag>,
        entries: Vec<Entry>,
        key: Option<(String, Span)>,
    },
}

fn parse_yaml(source: &Source) -> Result<Val, InputError> {
    let text = source.text();
    let offsets = Offsets::new(text);
    // Alias expansion budget: a template is not bigger than a few times its text.
    let budget = text.len().saturating_mul(4).max(100_000);
    let mut used = 0usize;
    let mut anchors: HashMap<usize, Val> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Val> = None;
    let err = |span: Span, msg: String, help: &str| {
        InputError::at(ErrorKind::Syntax, source, span, &msg, help)
    };
    for event in Parser::new_from_str(text) {
        let (event, ev_span) = event.map_err(|e| {
            let at = offsets.byte(e.marker().index());
            let len = text[at..].chars().next().map_or(0, char::len_utf8);
            err(
                Span::new(at, len),
                format!("not valid YAML: {}", e.info()),
                "fix the YAML syntax at the marked position",
            )
        })?;
        let span = offsets.span(&ev_span);
        let is_seq = matches!(event, Event::SequenceStart(..));
        let done = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                if root.is_some() {
                    return Err(err(
                        span,
                        "the file holds several YAML documents".into(),
                        "keep one API definition per file",
                    ));
                }
                None
            }
            Event::Alias(id) => {
                let Some(val) = anchors.get(&id) else {
                    return Err(err(
                        span,
                        "an alias to an unknown anchor".into(),
                        "define the anchor before using it",
                    ));
                };
                used = used.saturating_add(val.size());
                if used > budget {
                    return Err(err(
                        span,
                        "YAML aliases expand past the size limit (a YAML bomb?)".into(),
                        "write the repeated parts out, or use fewer nested aliases",
                    ));
                }
                Some((val.clone(), 0))
            }
            Event::Scalar(value, style, anchor, tag) => {
                used += 1;
                let v = scalar(&value, style, tag.as_deref());
                let val = Val { span, v };
                let val = match tag.as_deref() {
                    Some(t) if t.handle == "!" => short_form(t, val, span)
                        .map_err(|m| err(span, m, "use a CloudFormation intrinsic function tag"))?,
                    _ => val,
                };
                Some((val, anchor))
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(err(
                        span,
                        format!("the YAML nests deeper than {MAX_DEPTH} levels"),
                        "flatten the document",
                    ));
                }
                used += 1;
                let tag = tag.map(|t| t.into_owned());
                let start = span.offset();
                stack.push(if is_seq {
                    Frame::Seq {
                        start,
                        anchor,
                        tag,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        start,
                        anchor,
                        tag,
                        entries: Vec::new(),
                        key: None,
                    }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = stack
                    .pop()
                    .expect("the parser balances start and end events");
                let (start, anchor, tag, v, last) = match frame {
                    Frame::Seq {
                        start,
                        anchor,
                        tag,
                        items,
                    } => {
                        let last = items.last().map(|i| i.span.end());
                        (start, anchor, tag, V::Seq(items), last)
                    }
                    Frame::Map {
                        start,
                        anchor,
                        tag,
                        entries,
                        ..
                    } => {
                        let last = entries.last().map(|e| e.value.span.end());
                        (start, anchor, tag, V::Map(entries), last)
                    }
                };
                // Flow collections end at their bracket; block ones at their last child (the
                // end event of a block collection sits at the next token).
                let end = if !span.is_empty() {
                    span.end()
                } else {
                    last.unwrap_or(span.offset()).max(start)
                };
                let val = Val {
                    span: Span::new(start, end - start),
                    v,
                };
                let val = match tag {
                    Some(t) if t.handle == "!" => {
                        let s = val.span;
                        short_form(&t, val, s)
                            .map_err(|m| err(s, m, "use a CloudFormation intrinsic function tag"))?
                    }
                    _ => val,
                };
                Some((val, anchor))
            }
        };
        if used > budget {
            return Err(err(
                span,
                "the YAML document is too large".into(),
                "split the definition",
            ));
        }
        let Some((val, anchor)) = done else { continue };
        if anchor != 0 {
            anchors.insert(anchor, val.clone());
        }
        match stack.last_mut() {
            None => root = Some(val),
            Some(Frame::Seq { items, .. }) => items.push(val),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some((k, key_span)) => entries.push(Entry {
                    key: k,
                    key_span,
                    value: val,
                }),
                None => match val.scalar_text().or_else(|| match val.v {
                    V::Null => Some(String::new()),
                    _ => None,
                }) {
                    Some(k) => *key = Some((k, val.span)),
                    None => {
                        return Err(err(
                            val.span,
                            format!("a mapping key that is {}", val.type_name()),
                            "keys of an API definition are plain strings",
                        ));
                    }
                },
            },
        }
    }
    root.ok_or_else(|| {
        err(
            Span::new(0, 0),
            "the YAML file holds no document".into(),
            "pass an OpenAPI export or a CloudFormation / SAM template",
        )
    })
}

/// The YAML 1.2 core schema for plain scalars; quoted and block scalars are strings, as is
/// anything tagged `!!str`.
fn scalar(value: &str, style: ScalarStyle, tag: Option<&Tag>) -> V {
    let core = tag
        .filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str());
    if core == Some("str") || style != ScalarStyle::Plain {
        return V::Str(value.to_string());
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => V::Null,
        "true" | "True" | "TRUE" => V::Bool(true),
        "false" | "False" | "FALSE" => V::Bool(false),
        _ if is_number(value) => V::Num(value.to_string()),
        _ => V::Str(value.to_string()),
    }
}

fn is_number(s: &str) -> bool {
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    !t.is_empty()
        && t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.parse::<f64>().is_ok()
}

/// `!Ref x` → `{Ref: x}`, `!GetAtt A.B` → `{Fn::GetAtt: [A, B]}`, `!Sub …` → `{Fn::Sub: …}`.
fn short_form(tag: &Tag, val: Val, span: Span) -> Result<Val, String> {
    let name = tag.suffix.as_str();
    let key = match name {
        "Ref" | "Condition" => name.to_string(),
        "GetAtt" | "Sub" | "Join" | "If" | "Select" | "Split" | "FindInMap" | "ImportValue"
        | "Base64" | "Equals" | "And" | "Or" | "Not" | "Cidr" | "GetAZs" | "Transform"
        | "ToJsonString" | "Length" => format!("Fn::{name}"),
        _ => return Err(format!("unknown tag !{name}")),
    };
    let value = match (&val.v, name) {
        (V::Str(s), "GetAtt") => {
            // `!GetAtt Logical.Attr.With.Dots`: the logical id ends at the first dot.
            let (res, attr) = s.split_once('.').unwrap_or((s, ""));
            let at = val.span;
            Val {
                span: at,
                v: V::Seq(vec![
                    Val {
                        span: at,
                        v: V::Str(res.to_string()),
                    },
                    Val {
                        span: at,
                        v: V::Str(attr.to_string()),
                    },
                ]),
            }
        }
        _ => val,
    };
    Ok(Val {
        span,
        v: V::Map(vec![Entry {
            key,
            key_span: span,
            value,
        }]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Result<Val, InputError> {
        parse(&Source::new("t.yaml", text))
    }

    #[test]
    fn spans_point_at_nodes() {
        let text = "a:\n  b: hello\n  c: [1, x]\n";
        let v = yaml(text).unwrap();
        let b = v.get("a").unwrap().get("b").unwrap();
        assert_eq!(&text[b.span.range()], "hello");
        let c = v.get("a").unwrap().get("c").unwrap();
        assert_eq!(&text[c.span.range()], "[1, x]");
        assert_eq!(c.items()[0].v, V::Num("1".into()));
        let a = v.entry("a").unwrap();
        assert_eq!(&text[a.key_span.range()], "a");
    }

    #[test]
    fn non_ascii_offsets_are_bytes() {
        let text = "é: ü\nk: v\n";
        let v = yaml(text).unwrap();
        assert_eq!(&text[v.get("k").unwrap().span.range()], "v");
    }

    #[test]
    fn cloudformation_short_forms_become_long_forms() {
        let text = "a: !Ref Api\nb: !GetAtt Api.RootResourceId\nc: !Sub 'x-${A}'\nd: !Join [',', [a, b]]\ne: !GetAtt [Fn, Arn]\n";
        let v = yaml(text).unwrap();
        assert_eq!(
            v.get("a").unwrap().to_json(),
            serde_json::json!({"Ref": "Api"})
        );
        assert_eq!(
            v.get("b").unwrap().to_json(),
            serde_json::json!({"Fn::GetAtt": ["Api", "RootResourceId"]})
        );
        assert_eq!(
            v.get("c").unwrap().to_json(),
            serde_json::json!({"Fn::Sub": "x-${A}"})
        );
        assert_eq!(
            v.get("d").unwrap().to_json(),
            serde_json::json!({"Fn::Join": [",", ["a", "b"]]})
        );
        assert_eq!(
            v.get("e").unwrap().to_json(),
            serde_json::json!({"Fn::GetAtt": ["Fn", "Arn"]})
        );
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let e = yaml("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(e.message.starts_with("not valid YAML"), "{}", e.message);
        let loc = e.location().unwrap();
        assert!(loc.line >= 2, "{loc:?}");
        let e = yaml("a: !Nope x\n").unwrap_err();
        assert_eq!(e.message, "unknown tag !Nope");
        assert_eq!(e.location().unwrap().column, 4);
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            let refs = vec![format!("*{prev}"); 10].join(", ");
            bomb.push_str(&format!("{cur}: &{cur} [{refs}]\n"));
        }
        let e = yaml(&bomb).unwrap_err();
        assert!(e.message.contains("size limit"), "{}", e.message);
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let e = yaml(&format!("a: {deep}")).unwrap_err();
        assert!(e.message.contains("deeper than 128"), "{}", e.message);
        // Ordinary aliases are expanded.
        let v = yaml("a: &x {k: v}\nb: *x\n").unwrap();
        assert_eq!(v.get("b").unwrap().get("k").unwrap().as_str(), Some("v"));
    }

    #[test]
    fn json_goes_through_the_strict_reader() {
        let text = r#"{"a": {"b": [true, null, 2]}}"#;
        let v = parse(&Source::new("t.json", text)).unwrap();
        let b = v.get("a").unwrap().get("b").unwrap();
        assert_eq!(&text[b.span.range()], "[true, null, 2]");
        let e = parse(&Source::new("t.json", "{\"a\": }")).unwrap_err();
        assert!(e.message.starts_with("not valid JSON"), "{}", e.message);
        let flow = parse(&Source::new("t.yaml", "{openapi: 3.0.1, paths: {}}")).unwrap();
        assert_eq!(flow.get("openapi").unwrap().as_str(), Some("3.0.1"));
        assert!(yaml("   \n").is_err());
    }
}
