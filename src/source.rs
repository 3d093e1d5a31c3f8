//! Loading the input (file or stdin) and turning it into a span-preserving JSON tree.
//!
//! One strict pass (`json`) reads the text straight into the spanned tree, keeping duplicate
//! keys so we can report them. serde_json is the arbiter of what is JSON (`1e400`, lone
//! surrogates, control characters, trailing garbage and nesting past 127 levels are refused):
//! the parser accepts exactly what serde_json accepts (checked by differential tests and
//! fuzzing, and re-checked in debug builds), and every refused text goes to serde_json for
//! the message and position the user sees.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};

use crate::span::{LineIndex, Location, Span, Spanned, floor_char_boundary};
use std::sync::OnceLock;

mod json;
mod text;

pub use text::Str;

/// The input text and the name to show for it (a path, or `<stdin>`).
///
/// Cheap to clone: the text is shared.
#[derive(Debug, Clone)]
pub struct Source {
    name: Arc<str>,
    // `Arc<String>`, not `Arc<str>`: wrapping the `String` moves it, where `Arc<str>` would
    // copy a multi-megabyte text once more.
    text: Arc<String>,
    lines: Arc<OnceLock<LineIndex>>,
}

impl Source {
    /// Decodes `bytes` as UTF-8 JSON text, refusing what API Gateway's own JSON reader and
    /// serde_json would not take as a JSON text: an empty input, a byte order mark, or bytes
    /// that are not UTF-8.
    ///
    /// ```
    /// use policy_check::Source;
    /// let src = Source::from_bytes("p.json", br#"{"Statement": []}"#.to_vec()).unwrap();
    /// assert_eq!(src.name(), "p.json");
    /// assert!(Source::from_bytes("bom.json", b"\xEF\xBB\xBF{}".to_vec()).is_err());
    /// ```
    pub fn from_bytes(name: &str, bytes: Vec<u8>) -> Result<Source, InputError> {
        match String::from_utf8(bytes) {
            Ok(text) => {
                let src = Source::new(name, text);
                if src.text.starts_with('\u{feff}') {
                    return Err(InputError::at(
                        ErrorKind::Bom,
                        &src,
                        Span::new(0, 3),
                        "the input starts with a UTF-8 byte order mark",
                        "remove the BOM: JSON texts must not begin with one (RFC 8259 §8.1)",
                    ));
                }
                if src.text.trim_matches(is_json_space).is_empty() {
                    return Err(InputError::at(
                        ErrorKind::Empty,
                        &src,
                        Span::new(0, 0),
                        "the input is empty",
                        "an authorizer must return a JSON object; an empty body is a 500 on API Gateway",
                    ));
                }
                Ok(src)
            }
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let bad = e.utf8_error().error_len().unwrap_or(1);
                // Show the text with the bad bytes replaced; the prefix up to `at` is valid,
                // so the offset still points at the right place.
                let shown = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let src = Source::new(name, shown);
                Err(InputError::at(
                    ErrorKind::Utf8,
                    &src,
                    Span::new(at, bad.min(3)),
                    &format!("the input is not valid UTF-8 (bad byte at offset {at})"),
                    "JSON text must be UTF-8; re-encode the file",
                ))
            }
        }
    }

    /// Wraps text that is already known to be a `String`.
    pub fn new(name: &str, text: impl Into<String>) -> Source {
        Source {
            name: name.into(),
            text: Arc::new(text.into()),
            lines: Arc::new(OnceLock::new()),
        }
    }

    /// The name shown in diagnostics.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A miette source for labels into this text.
    pub fn named(&self) -> NamedSource<SourceText> {
        NamedSource::new(
            &self.name,
            SourceText {
                text: self.text.clone(),
                lines: self.lines.clone(),
            },
        )
        .with_language("json")
    }

    /// The line and column of `span` (the line index is built once, on first use).
    pub fn location(&self, span: Span) -> Location {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .location(&self.text, span)
    }
}

/// The text as miette reads it: only the lines around a label are handed over, found through
/// the line index. miette's own `str` source scans from the start of the text for every
/// label, which costs tens of milliseconds on a multi-megabyte policy.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: Arc<String>,
    lines: Arc<OnceLock<LineIndex>>,
}

impl SourceCode for SourceText {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let text: &'a str = &self.text;
        let index = self.lines.get_or_init(|| LineIndex::new(text));
        let start = span.offset().min(text.len());
        let end = (span.offset() + span.len()).min(text.len());
        // A window of whole lines with a spare line of margin on each side, so miette's own
        // reader (run on the window) sees the same context it would in the full text.
        let first = index.line_of(text, start).saturating_sub(before + 1);
        let last = index.line_of(text, end) + after + 2;
        let from = index.line_start(text, first);
        let to = index.line_start(text, last);
        let window: &'a str = &text[from..to];
        let inner_span = miette::SourceSpan::from((start - from, end - start));
        let inner = window.read_span(&inner_span, before, after)?;
        let data: &'a [u8] = inner.data();
        let found = inner.span();
        Ok(Box::new(miette::MietteSpanContents::new(
            data,
            (found.offset() + from, found.len()).into(),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

fn is_json_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// A JSON value with the span of every node and key.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value is, quotes and brackets included.
    pub span: Span,
    /// What it is.
    pub value: Json,
}

/// The JSON value kinds. Numbers keep their source text: nothing here computes with them.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(Str),
    /// A string, unescaped.
    String(Str),
    /// An array. (Boxed slices, not `Vec`s: a node is 8 bytes smaller without the spare
    /// capacity field, which on a large policy is megabytes.)
    Array(Box<[Node]>),
    /// An object's members in source order, duplicates kept.
    Object(Box<[Member]>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The key, unescaped, with the span of its string literal.
    pub key: Spanned<Str>,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The value of `key` in an object: the last occurrence, as serde_json (and so most
    /// JSON readers) would keep it. `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    /// The member (key and value) of `key`, last occurrence.
    pub fn member(&self, key: &str) -> Option<&Member> {
        match &self.value {
            Json::Object(members) => members.iter().rev().find(|m| m.key.value == key),
            _ => None,
        }
    }

    /// The members of an object, or an empty slice.
    pub fn members(&self) -> &[Member] {
        match &self.value {
            Json::Object(members) => members,
            _ => &[],
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        self.as_shared_str().map(Str::as_str)
    }

    /// The string, if this is one, as the [`Str`] that shares the input text: cloning it
    /// copies no text.
    pub fn as_shared_str(&self) -> Option<&Str> {
        match &self.value {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the value's type for messages: "a string", "null", "an object"…
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Json::Null)
    }
}

/// A key that appears more than once in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key.
    pub key: String,
    /// The first occurrence (ignored by the evaluation).
    pub first: Span,
    /// The last occurrence (the one that counts).
    pub last: Span,
}

/// A parsed input: the source, its tree, and the duplicate keys seen.
#[derive(Debug, Clone)]
pub struct Document {
    /// The text it came from.
    pub source: Source,
    /// The root value.
    pub root: Node,
    /// Keys that appear twice in one object (the last one wins).
    pub duplicates: Vec<DuplicateKey>,
}

impl Document {
    /// Parses `source` as strict JSON with spans.
    ///
    /// ```
    /// use policy_check::{Document, Source};
    /// let doc = Document::parse(Source::new("x.json", r#"{"a": 1, "a": 2}"#)).unwrap();
    /// assert_eq!(doc.duplicates.len(), 1);
    /// assert_eq!(doc.root.get("a").unwrap().span.offset(), 14);
    /// let err = Document::parse(Source::new("x.json", "{\"a\": 1} x")).unwrap_err();
    /// assert!(err.to_string().contains("trailing characters"));
    /// ```
    pub fn parse(source: Source) -> Result<Document, InputError> {
        if u32::try_from(source.text.len()).is_err() {
            // Spans are 32-bit; the CLI's own cap (`MAX_INPUT_BYTES`) is far below this.
            return Err(InputError::plain(
                ErrorKind::TooLarge,
                format!(
                    "`{}` is 4 GiB or larger, past what this tool reads",
                    source.name
                ),
            ));
        }
        match json::parse(&source.text) {
            Ok((root, duplicates)) => {
                #[cfg(debug_assertions)]
                if let Err(e) = serde_json::from_str::<Validated>(source.text()) {
                    // Debug builds (every test, every fuzz run) re-check the arbiter's verdict.
                    panic!("the JSON parser accepted a text serde_json refuses: {e}");
                }
                Ok(Document {
                    source,
                    root,
                    duplicates,
                })
            }
            Err(rejected) => Err(syntax_error(&source, rejected)),
        }
    }
}

/// The error for a text the parser refused, in serde_json's words and at its position:
/// serde_json only runs on this path, so bad JSON reads exactly as serde_json reports it.
fn syntax_error(source: &Source, rejected: json::Rejected) -> InputError {
    let text = source.text();
    let Err(e) = serde_json::from_str::<Validated>(text) else {
        // The two disagree: a bug in `json`, which the differential tests exist to catch.
        // Refusing is the safe side; say where the parser stopped.
        debug_assert!(false, "serde_json accepts a text the parser refused");
        let at = floor_char_boundary(text, rejected.at.min(text.len()));
        return InputError::at(
            ErrorKind::Syntax,
            source,
            Span::new(at, text[at..].chars().next().map_or(0, char::len_utf8)),
            "not valid JSON: unexpected input",
            "fix the JSON syntax at the marked position",
        );
    };
    let span = serde_error_span(text, &e);
    let help = if e.to_string().contains("recursion limit") {
        "API Gateway and serde_json stop at 128 nested levels; flatten the document"
    } else {
        "fix the JSON syntax at the marked position"
    };
    let message = strip_position(&e.to_string());
    InputError::at(
        ErrorKind::Syntax,
        source,
        span,
        &format!("not valid JSON: {message}"),
        help,
    )
}

/// Accepts exactly what `serde_json::Value` accepts, without building anything.
///
/// `serde::de::IgnoredAny` is not strict enough: serde_json skips ignored values without its
/// recursion limit, without range-checking numbers (`1e400`) and without decoding string
/// escapes (lone surrogates). Going through `deserialize_any` at every level keeps all three
/// checks, and the limit also bounds the recursion of everything after it.
struct Validated;

impl<'de> serde::Deserialize<'de> for Validated {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValidatedVisitor)
    }
}

struct ValidatedVisitor;

impl<'de> serde::de::Visitor<'de> for ValidatedVisitor {
    type Value = Validated;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Validated, E> {
        Ok(Validated)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Validated, E> {
        Ok(Validated)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Validated, E> {
        Ok(Validated)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Validated, E> {
        Ok(Validated)
    }
    fn visit_str<E>(self, _: &str) -> Result<Validated, E> {
        Ok(Validated)
    }
    fn visit_unit<E>(self) -> Result<Validated, E> {
        Ok(Validated)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Validated, A::Error> {
        while seq.next_element::<Validated>()?.is_some() {}
        Ok(Validated)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Validated, A::Error> {
        while map.next_entry::<Validated, Validated>()?.is_some() {}
        Ok(Validated)
    }
}

/// serde_json reports a 1-based line and column (in bytes); turn that into a byte span.
fn serde_error_span(text: &str, e: &serde_json::Error) -> Span {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == e.line() {
            offset += e.column().saturating_sub(1).min(line.len());
            break;
        }
        offset += line.len();
    }
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let len = text[offset..].chars().next().map_or(0, char::len_utf8);
    Span::new(offset, len)
}

/// serde_json appends " at line L column C"; the diagnostic shows the position itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The largest input read, in bytes (64 MiB): far above anything API Gateway accepts from an
/// authorizer, and small enough that `/dev/zero` or a runaway pipe cannot eat the machine.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads all of `reader`, up to [`MAX_INPUT_BYTES`]; more is an error (exit 2) that says
/// which input (`name`) and what the limit is.
///
/// ```
/// use policy_check::source::{read_capped, ErrorKind};
/// assert_eq!(read_capped(&b"{}"[..], "x.json").unwrap(), b"{}");
/// let endless = std::io::repeat(b' ');
/// assert_eq!(read_capped(endless, "<stdin>").unwrap_err().kind, ErrorKind::TooLarge);
/// ```
pub fn read_capped(reader: impl std::io::Read, name: &str) -> Result<Vec<u8>, InputError> {
    read_capped_into(reader, name, Vec::new())
}

/// [`read_capped`] into `buf`, whose capacity may be pre-sized (a file's length) so a large
/// input is read without growing and copying the buffer again and again.
fn read_capped_into(
    reader: impl std::io::Read,
    name: &str,
    mut buf: Vec<u8>,
) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    // One byte past the cap tells "exactly at the cap" from "over it" without reading on.
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| InputError::plain(ErrorKind::Io, format!("cannot read `{name}`: {e}")))?;
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::plain(
            ErrorKind::TooLarge,
            format!(
                "`{name}` is larger than {} MiB, the most this tool reads",
                MAX_INPUT_BYTES >> 20
            ),
        )
        .with_help("authorizer outputs, fixtures and configurations are far smaller: is this the right file?"));
    }
    Ok(buf)
}

/// Reads the file at `path` (any kind: a regular file, a FIFO, a device) through
/// [`read_capped`], naming it by its path in errors.
pub fn read_path(path: &std::path::Path) -> Result<Vec<u8>, InputError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| InputError::plain(ErrorKind::Io, format!("cannot read `{name}`: {e}")))?;
    // The length is only a hint (a FIFO says 0, a file may grow): the cap still decides. One
    // byte more lets `read_to_end` see the end without growing the buffer.
    let hint = file.metadata().map_or(0, |m| m.len()).min(MAX_INPUT_BYTES) as usize;
    read_capped_into(file, &name, Vec::with_capacity(hint + 1))
}

/// What kind of input problem it was; each maps to the same exit code (2) but lets callers
/// and tests tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Reading the file or stdin failed.
    Io,
    /// The input is larger than [`MAX_INPUT_BYTES`].
    TooLarge,
    /// Zero bytes, or only white space.
    Empty,
    /// A UTF-8 byte order mark.
    Bom,
    /// Bytes that are not UTF-8.
    Utf8,
    /// Not JSON (serde_json's verdict), including nesting past 127 levels.
    Syntax,
    /// Valid JSON, but not a shape we recognise (and no `--input-kind` given).
    Shape,
    /// A fixture or configuration file that is valid JSON but says something wrong.
    Invalid,
}

/// Why the tool could not read an input: exit code 2, with a label at the byte where it went
/// wrong when there is one.
#[derive(Debug, Clone)]
pub struct InputError {
    /// The kind of problem.
    pub kind: ErrorKind,
    /// One line saying what is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Where, if anywhere.
    pub span: Option<Span>,
    // Boxed: errors travel through many `Result`s and should stay small.
    source: Option<Box<NamedSource<SourceText>>>,
}

impl InputError {
    /// An error pointing at `span` in `source`.
    pub fn at(kind: ErrorKind, source: &Source, span: Span, message: &str, help: &str) -> Self {
        InputError {
            kind,
            message: message.to_string(),
            help: Some(help.to_string()),
            span: Some(span),
            source: Some(Box::new(source.named())),
        }
    }

    /// The span with its line and column, when the error has one.
    pub fn location(&self) -> Option<Location> {
        let span = self.span?;
        let src = self.source.as_ref()?;
        Some(Location::of(&src.inner().text, span))
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// An error with no position (I/O, usage).
    pub fn plain(kind: ErrorKind, message: impl Into<String>) -> Self {
        InputError {
            kind,
            message: message.into(),
            help: None,
            span: None,
            source: None,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

impl Diagnostic for InputError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let code = match self.kind {
            ErrorKind::Io => "policy_check::io",
            ErrorKind::TooLarge => "policy_check::too_large",
            ErrorKind::Empty => "policy_check::empty_input",
            ErrorKind::Bom => "policy_check::byte_order_mark",
            ErrorKind::Utf8 => "policy_check::not_utf8",
            ErrorKind::Syntax => "policy_check::not_json",
            ErrorKind::Shape => "policy_check::unknown_shape",
            ErrorKind::Invalid => "policy_check::invalid_input",
        };
        Some(Box::new(code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_deref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("here".to_string()), span),
        )))
    }
}
