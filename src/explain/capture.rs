//! Reading an HTTP response the way users hold it: `curl -i` or `curl -v` output, httpie
//! output (`http -v` too), a HAR file, a bare body or message, or fields given one by one.
//!
//! The parsers here are small and hand-written because the inputs are pasted terminal
//! transcripts, not wire-format HTTP: an HTTP parser crate (httparse) would refuse the `<`
//! prefixes of `curl -v`, httpie's missing CRLFs and the `...` lines people put in for elided
//! headers. Whatever the input, parsing never panics, reads at most [`MAX_CAPTURE_BYTES`],
//! and an input that cannot be a response (empty, not UTF-8, binary) is an [`InputError`].

use std::io::Read;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::source::{ErrorKind, InputError, Source};
use crate::span::{Span, floor_char_boundary};

/// The largest input read (HAR files with response bodies can be large; a pasted response
/// never is).
pub const MAX_CAPTURE_BYTES: usize = 16 * 1024 * 1024;

/// The longest message kept from a body that is plain text, in characters.
const MAX_MESSAGE_CHARS: usize = 1000;

/// Who made the answer, as told by its headers and body (pipeline.md §2.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MadeBy {
    /// A REST API: `x-amzn-ErrorType`, `x-amzn-RequestId` or `x-amz-apigw-id`, or a
    /// `{"Message": …}` body (only REST's ACCESS_DENIED writes the capital M).
    RestApi,
    /// An HTTP API: `apigw-requestid` without `x-amzn-ErrorType`.
    HttpApi,
    /// API Gateway by the body's convention (`{"message": …}` alone), type unknown.
    ApiGateway,
    /// CloudFront's own HTML error page, with no API Gateway header.
    #[serde(rename = "cloudfront")]
    CloudFront,
    /// An HTTP API JWT authorizer (a `www-authenticate: Bearer …` header).
    JwtAuthorizer,
    /// Nothing tells.
    Unknown,
}

impl MadeBy {
    /// The API type this implies, if any.
    pub fn api_type(self) -> Option<ApiType> {
        match self {
            MadeBy::RestApi => Some(ApiType::Rest),
            MadeBy::HttpApi | MadeBy::JwtAuthorizer => Some(ApiType::Http),
            MadeBy::ApiGateway | MadeBy::CloudFront | MadeBy::Unknown => None,
        }
    }

    /// A few words for people.
    pub fn describe(self) -> &'static str {
        match self {
            MadeBy::RestApi => "API Gateway (REST API)",
            MadeBy::HttpApi => "API Gateway (HTTP API)",
            MadeBy::ApiGateway => "API Gateway (by the body's form; REST or HTTP API)",
            MadeBy::CloudFront => "CloudFront (its own error page, not API Gateway)",
            MadeBy::JwtAuthorizer => "an HTTP API JWT authorizer",
            MadeBy::Unknown => "unknown",
        }
    }
}

/// The kind of API Gateway API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiType {
    /// A REST API (API Gateway v1).
    Rest,
    /// An HTTP API (API Gateway v2).
    Http,
}

/// Which form the input had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Form {
    /// A status line, headers, a blank line and a body: `curl -i`, httpie, `http -v`.
    HttpMessage,
    /// `curl -v` output: `<` response lines, `>` request lines, `*` notes, then the body.
    CurlVerbose,
    /// A HAR file: `entry` (0-based) of `entries` was taken.
    Har {
        /// The entry taken.
        entry: usize,
        /// How many entries the file has.
        entries: usize,
    },
    /// A JSON body alone.
    JsonBody,
    /// An HTML body alone.
    Html,
    /// A message string alone.
    Message,
    /// Fields given one by one ([`Capture::from_fields`]).
    Fields,
}

/// The request, when the capture shows it (`curl -v`, `http -v`, HAR).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapturedRequest {
    /// The method, as sent.
    pub method: String,
    /// The URL when the host is known, else the request target (path and query).
    pub target: String,
}

/// A parsed response.
///
/// ```
/// use policy_check::explain::{Capture, MadeBy};
/// let text = "HTTP/1.1 403 Forbidden\nx-amzn-ErrorType: AccessDeniedException\n\n{\"Message\":\"User is not authorized to access this resource\"}\n";
/// let c = Capture::parse("response.txt", text.as_bytes()).unwrap();
/// assert_eq!(c.status, Some(403));
/// assert_eq!(c.error_type.as_deref(), Some("AccessDeniedException"));
/// assert_eq!(c.message.as_deref(), Some("User is not authorized to access this resource"));
/// assert_eq!(c.made_by, MadeBy::RestApi);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Capture {
    /// The input's form.
    pub form: Form,
    /// The status code, when known.
    pub status: Option<u16>,
    /// The reason phrase, when the status line has one (HTTP/2 lines do not).
    pub reason: Option<String>,
    /// The headers in their order, names as written (compare them with [`Capture::header`]).
    pub headers: Vec<(String, String)>,
    /// The body, when there is one.
    pub body: Option<String>,
    /// `x-amzn-ErrorType` without the `:…` suffix AWS sometimes appends.
    pub error_type: Option<String>,
    /// `message` / `Message` of a JSON body, the text of a plain body, or CloudFront's
    /// title and reason.
    pub message: Option<String>,
    /// Who made the answer.
    pub made_by: MadeBy,
    /// The API type, when it can be told.
    pub api_type: Option<ApiType>,
    /// The request, when the capture shows it.
    pub request: Option<CapturedRequest>,
    /// Facts worth telling the user about the capture itself (which HAR entry was taken,
    /// an `X-Cache: Error from cloudfront` that does not mean CloudFront answered).
    pub notes: Vec<String>,
}

/// Fields given one by one (`--status`, `--error-type`, `--body`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    /// The status code.
    pub status: Option<u16>,
    /// The `x-amzn-ErrorType` value.
    pub error_type: Option<String>,
    /// The body: JSON, HTML or a bare message.
    pub body: Option<String>,
}

/// Reads at most [`MAX_CAPTURE_BYTES`] from `reader` (a file or stdin named `name`); more
/// is an error rather than a slow parse.
pub fn read_capped(name: &str, reader: impl Read) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_CAPTURE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::plain(ErrorKind::Io, format!("cannot read {name}: {e}")))?;
    if bytes.len() > MAX_CAPTURE_BYTES {
        return Err(too_large(name));
    }
    Ok(bytes)
}

fn too_large(name: &str) -> InputError {
    InputError::plain(
        ErrorKind::Invalid,
        format!("{name} is larger than {MAX_CAPTURE_BYTES} bytes: not a pasted response"),
    )
    .with_help("paste only the failing response (status line, headers, body)")
}

impl Capture {
    /// Parses a pasted response. For a HAR file, takes the last entry with an error status
    /// (400 or more), or the last entry when none has one; [`Form::Har`] says which.
    pub fn parse(name: &str, bytes: &[u8]) -> Result<Capture, InputError> {
        let (src, parsed) = parse_source(name, bytes)?;
        match parsed {
            Parsed::One(c) => Ok(*c),
            Parsed::Har(entries) => {
                let total = entries.len();
                let (i, reason) = match entries.iter().rposition(is_error) {
                    Some(i) => (i, "the last with an error status"),
                    None => (total - 1, "the last; none has an error status"),
                };
                let mut c = entries.into_iter().nth(i).ok_or_else(|| no_entries(&src))?;
                c.notes.insert(
                    0,
                    format!(
                        "HAR file with {total} entr{}: took entry {} ({reason})",
                        if total == 1 { "y" } else { "ies" },
                        i + 1
                    ),
                );
                Ok(c)
            }
        }
    }

    /// Like [`Capture::parse`], but a HAR file gives every entry with an error status (none
    /// when no entry has one); any other input gives its one response.
    pub fn parse_all(name: &str, bytes: &[u8]) -> Result<Vec<Capture>, InputError> {
        Ok(match parse_source(name, bytes)?.1 {
            Parsed::One(c) => vec![*c],
            Parsed::Har(entries) => entries.into_iter().filter(is_error).collect(),
        })
    }

    /// A capture from fields given one by one. The body may be JSON, HTML or a message.
    ///
    /// ```
    /// use policy_check::explain::{Capture, Fields, MadeBy};
    /// let c = Capture::from_fields(Fields {
    ///     status: Some(403),
    ///     error_type: Some("ForbiddenException".into()),
    ///     body: Some(r#"{"message":"Forbidden"}"#.into()),
    /// }).unwrap();
    /// assert_eq!(c.made_by, MadeBy::RestApi);
    /// assert_eq!(c.message.as_deref(), Some("Forbidden"));
    /// ```
    pub fn from_fields(fields: Fields) -> Result<Capture, InputError> {
        if let Some(s) = fields.status
            && !(100..=599).contains(&s)
        {
            return Err(InputError::plain(
                ErrorKind::Invalid,
                format!("{s} is not an HTTP status code (100 to 599)"),
            ));
        }
        let body = match fields.body {
            Some(b) => Some(decode("--body", b.as_bytes())?.text().to_string()),
            None => None,
        };
        let raw = Raw {
            status: fields.status,
            body,
            ..Raw::default()
        };
        Ok(finish(Form::Fields, raw, fields.error_type))
    }

    /// The value of the first header called `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn is_error(c: &Capture) -> bool {
    c.status.is_some_and(|s| s >= 400)
}

fn no_entries(src: &Source) -> InputError {
    InputError::at(
        ErrorKind::Invalid,
        src,
        Span::new(0, 0),
        "the HAR file has no entries",
        "export the HAR again after reproducing the failing request",
    )
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

enum Parsed {
    One(Box<Capture>),
    Har(Vec<Capture>),
}

/// What the different forms have in common before the signature is derived.
#[derive(Default)]
struct Raw {
    status: Option<u16>,
    reason: Option<String>,
    headers: Vec<(String, String)>,
    body: Option<String>,
    request: Option<CapturedRequest>,
}

fn parse_source(name: &str, bytes: &[u8]) -> Result<(Source, Parsed), InputError> {
    let src = decode(name, bytes)?;
    let text = src.text();
    let trimmed = text.trim_start();
    let start = text.len() - trimmed.len();
    if trimmed.starts_with(['{', '[', '"'])
        && let Ok(value) = serde_json::from_str::<Value>(trimmed)
    {
        if let Some(entries) = value.pointer("/log/entries") {
            let entries = har_entries(&src, entries)?;
            return Ok((src, Parsed::Har(entries)));
        }
        let form = if value.is_string() {
            Form::Message
        } else {
            Form::JsonBody
        };
        let raw = Raw {
            body: Some(trimmed.trim_end().to_string()),
            ..Raw::default()
        };
        return Ok((src.clone(), Parsed::One(Box::new(finish(form, raw, None)))));
    }
    let one = if is_curl_verbose(text) {
        finish(Form::CurlVerbose, curl_verbose(&src)?, None)
    } else if let Some(raw) = http_message(&src, message_start(&src, start))? {
        let mut c = finish(Form::HttpMessage, raw, None);
        let skipped = lines(text, start)
            .take_while(|&(at, _)| at < message_start(&src, start))
            .count();
        if skipped > 0 {
            c.notes.push(format!(
                "skipped {skipped} line{} before the response (the command that was run?)",
                if skipped == 1 { "" } else { "s" }
            ));
        }
        c
    } else {
        let form = if trimmed.starts_with('<') {
            Form::Html
        } else {
            Form::Message
        };
        let raw = Raw {
            body: Some(trimmed.trim_end().to_string()),
            ..Raw::default()
        };
        finish(form, raw, None)
    };
    Ok((src, Parsed::One(Box::new(one))))
}

/// Where the HTTP message starts: the first request or status line, so that a preamble such
/// as the command that was run (`$ curl -i https://…`) is skipped.
fn message_start(src: &Source, from: usize) -> usize {
    lines(src.text(), from)
        .find(|&(at, line)| {
            request_line(line).is_some() || matches!(status_line(src, at, line), Ok(Some(_)))
        })
        .map_or(from, |(at, _)| at)
}

/// UTF-8, within the size cap, not empty, no control characters but tab, CR, LF and the
/// escape of colour codes (which are removed); a leading BOM is dropped.
fn decode(name: &str, bytes: &[u8]) -> Result<Source, InputError> {
    if bytes.len() > MAX_CAPTURE_BYTES {
        return Err(too_large(name));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        InputError::plain(
            ErrorKind::Utf8,
            format!(
                "{name} is not UTF-8 text (byte {} is not valid UTF-8)",
                e.valid_up_to()
            ),
        )
        .with_help("give the response as text: `curl -i`, `curl -v` or httpie output, a HAR file, or the body")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let src = Source::new(name, text);
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x1b'))
    {
        return Err(InputError::at(
            ErrorKind::Invalid,
            &src,
            Span::new(i, c.len_utf8()),
            &format!(
                "{name} holds a control character (U+{:04X}): not a text response",
                c as u32
            ),
            "give the response as text: `curl -i`, `curl -v` or httpie output, a HAR file, or the body",
        ));
    }
    if text.trim().is_empty() {
        return Err(InputError::at(
            ErrorKind::Empty,
            &src,
            Span::new(0, 0),
            &format!("{name} is empty"),
            "paste the failing response: `curl -i URL`, `curl -v URL` or `http URL` output",
        ));
    }
    if text.contains('\x1b') {
        return Ok(Source::new(name, strip_ansi(text)));
    }
    Ok(src)
}

/// Removes ANSI escape sequences (httpie and curl colour their output on terminals).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'[') {
            chars.next();
            // A CSI sequence ends at its first byte in 0x40..=0x7E.
            for c in chars.by_ref() {
                if ('\x40'..='\x7e').contains(&c) {
                    break;
                }
            }
        }
    }
    out
}

/// Lines with the byte offset of their start; `\r` before `\n` is dropped.
fn lines(text: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let rest = &text[pos..];
        let (line, len) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        let start = pos;
        pos += len;
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    })
}

/// `HTTP/x[.y] NNN [reason]`: `None` when the line is not a status line, an error when it
/// starts like one but its code is not a status code.
fn status_line(
    src: &Source,
    at: usize,
    line: &str,
) -> Result<Option<(u16, Option<String>)>, InputError> {
    let Some(rest) = line.strip_prefix("HTTP/") else {
        return Ok(None);
    };
    let mut parts = rest.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    if version.is_empty() || !version.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Ok(None);
    }
    let code = parts.next().unwrap_or("");
    match code.parse::<u16>() {
        Ok(s) if (100..=599).contains(&s) && code.len() == 3 => {
            let reason = parts.next().map(str::trim).filter(|r| !r.is_empty());
            Ok(Some((s, reason.map(str::to_string))))
        }
        _ => Err(InputError::at(
            ErrorKind::Invalid,
            src,
            Span::new(at, line.len()),
            "this status line has no status code",
            "a status line reads `HTTP/1.1 403 Forbidden` (or `HTTP/2 403`)",
        )),
    }
}

/// `METHOD target HTTP/x`, as `http -v` and `curl -v` print the request.
fn request_line(line: &str) -> Option<CapturedRequest> {
    let mut parts = line.split(' ');
    let method = parts.next()?;
    let target = parts.next()?;
    let version = parts.next()?;
    let method_ok = !method.is_empty() && method.chars().all(|c| c.is_ascii_uppercase());
    (method_ok && version.starts_with("HTTP/") && parts.next().is_none()).then(|| CapturedRequest {
        method: method.to_string(),
        target: target.to_string(),
    })
}

fn header_line(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once(':')?;
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_!#$%&'*+.^`|~".contains(c));
    ok.then(|| (name.to_string(), value.trim().to_string()))
}

/// Puts the host into a request target that is only a path.
fn with_host(request: &mut CapturedRequest, headers: &[(String, String)]) {
    if request.target.starts_with('/')
        && let Some(host) = header(headers, "host")
    {
        request.target = format!("https://{host}{}", request.target);
    }
}

/// A status line, headers, a blank line and a body (curl -i, httpie), optionally after a
/// request (`http -v`) and after interim responses (`100 Continue`, redirects with `-L`):
/// the last response is taken. `None` when the text does not start like one.
fn http_message(src: &Source, from: usize) -> Result<Option<Raw>, InputError> {
    let text = src.text();
    let mut it = lines(text, from).peekable();
    let mut request = None;
    if let Some(&(_, first)) = it.peek()
        && let Some(mut req) = request_line(first)
    {
        // httpie -v: request line, headers, blank line, maybe a body, then the response.
        it.next();
        let mut req_headers = Vec::new();
        while let Some(&(_, line)) = it.peek() {
            if line.starts_with("HTTP/") {
                break;
            }
            if let Some(h) = header_line(line) {
                req_headers.push(h);
            }
            it.next();
        }
        with_host(&mut req, &req_headers);
        request = Some(req);
    }
    let Some((at, line)) = it.next() else {
        return Ok(None);
    };
    let Some(mut status) = status_line(src, at, line)? else {
        return Ok(None);
    };
    loop {
        let mut headers = Vec::new();
        let mut body_at = text.len();
        for (at, line) in it.by_ref() {
            if line.trim().is_empty() {
                body_at = at + line.len();
                break;
            }
            // Lenient about transcripts that lost the blank line, or elided headers with `...`.
            if line.starts_with(['{', '[', '<']) {
                body_at = at;
                break;
            }
            if let Some(h) = header_line(line) {
                headers.push(h);
            }
        }
        let rest = text.get(body_at..).unwrap_or("");
        let body = rest.trim_start_matches(['\r', '\n']);
        let body_from = text.len() - body.len();
        // An interim or earlier response: the real one follows.
        if let Some((at, first)) = lines(text, body_from).next()
            && let Some(next) = status_line(src, at, first)?
        {
            status = next;
            it = lines(text, at).peekable();
            it.next();
            continue;
        }
        let body = body.trim_end();
        return Ok(Some(Raw {
            status: Some(status.0),
            reason: status.1,
            headers,
            body: (!body.is_empty()).then(|| body.to_string()),
            request,
        }));
    }
}

fn is_curl_verbose(text: &str) -> bool {
    lines(text, 0).any(|(_, l)| l.starts_with("< HTTP/"))
}

/// `curl -v`: the last `< HTTP/` block's status and headers, the unprefixed lines after it
/// as the body, the first `>` request line as the request.
fn curl_verbose(src: &Source) -> Result<Raw, InputError> {
    let text = src.text();
    let mut raw = Raw::default();
    let mut req_headers = Vec::new();
    let mut body: Vec<&str> = Vec::new();
    let mut in_request = false;
    let mut in_response = false;
    for (at, line) in lines(text, 0) {
        // curl marks its lines with `> `, `< ` or a lone `>`/`<`; a body line such as
        // `<HTML>` has no space.
        let marked = |c: char| {
            line.strip_prefix(c)
                .filter(|r| r.is_empty() || r.starts_with(' '))
        };
        if let Some(rest) = marked('>') {
            let rest = rest.trim_start();
            if raw.request.is_none() {
                raw.request = request_line(rest);
                in_request = raw.request.is_some();
            } else if in_request {
                match header_line(rest) {
                    Some(h) => req_headers.push(h),
                    None => in_request = false,
                }
            }
        } else if let Some(rest) = marked('<') {
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            let prefix = line.len() - rest.len();
            if let Some((s, reason)) = status_line(src, at + prefix, rest)? {
                raw.status = Some(s);
                raw.reason = reason;
                raw.headers.clear();
                body.clear();
                in_response = true;
            } else if rest.trim().is_empty() {
                in_response = false;
            } else if in_response && let Some(h) = header_line(rest) {
                raw.headers.push(h);
            }
        } else if line.starts_with("* ") || line.starts_with("{ [") || line.starts_with("} [") {
            continue;
        } else if raw.status.is_some() {
            // A body without a final newline runs into curl's closing note.
            let line = line.find("* Connection #").map_or(line, |i| &line[..i]);
            body.push(line);
        }
    }
    if let Some(req) = raw.request.as_mut() {
        with_host(req, &req_headers);
    }
    let body = body.join("\n");
    let body = body.trim();
    // `curl -iv` also writes the status block to stdout: drop it from the body.
    let body = match http_message(&Source::new(src.name(), body), 0) {
        Ok(Some(inner)) if inner.status == raw.status => inner.body.unwrap_or_default(),
        _ => body.to_string(),
    };
    raw.body = (!body.is_empty()).then_some(body);
    Ok(raw)
}

fn har_entries(src: &Source, entries: &Value) -> Result<Vec<Capture>, InputError> {
    let Some(entries) = entries.as_array().filter(|e| !e.is_empty()) else {
        return Err(no_entries(src));
    };
    Ok(entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let response = &e["response"];
            let headers = response["headers"]
                .as_array()
                .map(|hs| {
                    hs.iter()
                        .filter_map(|h| {
                            Some((
                                h["name"].as_str()?.to_string(),
                                h["value"].as_str()?.to_string(),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default();
            let content = &response["content"];
            let mut notes = Vec::new();
            let body = content["text"].as_str().and_then(|t| {
                if content["encoding"].as_str() == Some("base64") {
                    notes.push(
                        "the HAR entry's body is base64-encoded and was not decoded".to_string(),
                    );
                    None
                } else {
                    Some(t.trim().to_string()).filter(|t| !t.is_empty())
                }
            });
            let status = response["status"]
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .filter(|s| (100..=599).contains(s));
            let request = match (
                e["request"]["method"].as_str(),
                e["request"]["url"].as_str(),
            ) {
                (Some(m), Some(u)) => Some(CapturedRequest {
                    method: m.to_string(),
                    target: u.to_string(),
                }),
                _ => None,
            };
            let raw = Raw {
                status,
                reason: response["statusText"]
                    .as_str()
                    .filter(|r| !r.is_empty())
                    .map(str::to_string),
                headers,
                body,
                request,
            };
            let mut c = finish(
                Form::Har {
                    entry: i,
                    entries: entries.len(),
                },
                raw,
                None,
            );
            c.notes.extend(notes);
            c
        })
        .collect())
}

/// What the body says, by its form.
enum BodyKind {
    /// A JSON object: its `message`/`Message` (null → None), and whether the key is
    /// `Message` and the only key.
    Json {
        message: Option<String>,
        capital: bool,
        only_key: bool,
    },
    /// A JSON string.
    JsonString(String),
    /// CloudFront's error page, with its title and reason.
    CloudFront(String),
    /// Some other HTML page.
    Html,
    /// Any other JSON value.
    OtherJson,
    /// Plain text.
    Text(String),
    /// No body.
    None,
}

fn body_kind(body: Option<&str>) -> BodyKind {
    let Some(body) = body.map(str::trim).filter(|b| !b.is_empty()) else {
        return BodyKind::None;
    };
    if let Ok(value) = serde_json::from_str::<Value>(body) {
        return match value {
            Value::Object(map) => {
                let (message, capital) = match (map.get("message"), map.get("Message")) {
                    (Some(m), _) => (m.as_str().map(str::to_string), false),
                    (None, Some(m)) => (m.as_str().map(str::to_string), true),
                    (None, None) => (None, false),
                };
                BodyKind::Json {
                    message,
                    capital,
                    only_key: map.len() == 1,
                }
            }
            Value::String(s) => BodyKind::JsonString(s),
            _ => BodyKind::OtherJson,
        };
    }
    if body.starts_with('<') {
        return match cloudfront_message(body) {
            Some(m) => BodyKind::CloudFront(m),
            None => BodyKind::Html,
        };
    }
    BodyKind::Text(truncate(
        &body.split_whitespace().collect::<Vec<_>>().join(" "),
    ))
}

fn truncate(s: &str) -> String {
    match s.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((i, _)) => format!("{}…", &s[..floor_char_boundary(s, i)]),
        None => s.to_string(),
    }
}

/// CloudFront's error page: "The request could not be satisfied." and the reason line after
/// it ("Bad request.", "This distribution is not configured to allow …"). Tags are dropped
/// by hand: the page is one fixed template, no HTML parser is needed to read it.
fn cloudfront_message(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let is_cf = lower.contains("generated by cloudfront")
        || lower.contains("<title>error: the request could not be satisfied");
    if !is_cf {
        return None;
    }
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push('\n');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let heading = lines
        .iter()
        .position(|l| l.eq_ignore_ascii_case("the request could not be satisfied."));
    let reason = heading.and_then(|i| lines.get(i + 1)).copied();
    Some(match reason {
        Some(r) if !r.to_ascii_lowercase().starts_with("generated by") => {
            format!("The request could not be satisfied. {r}")
        }
        _ => "The request could not be satisfied.".to_string(),
    })
}

/// Derives the signature (error type, message, who answered) from the raw parts.
fn finish(form: Form, raw: Raw, error_type: Option<String>) -> Capture {
    let error_type = error_type
        .or_else(|| header(&raw.headers, "x-amzn-ErrorType").map(str::to_string))
        .map(|t| t.split(':').next().unwrap_or("").trim().to_string())
        .filter(|t| !t.is_empty());
    let has = |name: &str| header(&raw.headers, name).is_some();
    let rest_headers = error_type.is_some() || has("x-amzn-RequestId") || has("x-amz-apigw-id");
    let kind = body_kind(raw.body.as_deref());
    let bearer_challenge = header(&raw.headers, "www-authenticate")
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("bearer"));
    let made_by = match &kind {
        BodyKind::CloudFront(_) if !rest_headers && !has("apigw-requestid") => MadeBy::CloudFront,
        _ if bearer_challenge && error_type.is_none() => MadeBy::JwtAuthorizer,
        _ if rest_headers => MadeBy::RestApi,
        _ if has("apigw-requestid") => MadeBy::HttpApi,
        BodyKind::Json {
            capital: true,
            only_key: true,
            ..
        } => MadeBy::RestApi,
        BodyKind::Json { only_key: true, .. } => MadeBy::ApiGateway,
        _ => MadeBy::Unknown,
    };
    let message = match kind {
        BodyKind::Json { message, .. } => message,
        BodyKind::JsonString(s) | BodyKind::CloudFront(s) | BodyKind::Text(s) => Some(s),
        BodyKind::Html | BodyKind::OtherJson | BodyKind::None => None,
    };
    let mut notes = Vec::new();
    let edge_header = header(&raw.headers, "x-cache")
        .is_some_and(|v| v.to_ascii_lowercase().contains("error from cloudfront"));
    if edge_header && made_by != MadeBy::CloudFront {
        notes.push(
            "`X-Cache: Error from cloudfront` also appears on API Gateway's own errors behind an \
             edge-optimized endpoint: here the headers say API Gateway answered, not CloudFront"
                .to_string(),
        );
    }
    if made_by == MadeBy::JwtAuthorizer
        && let Some(challenge) = header(&raw.headers, "www-authenticate")
    {
        notes.push(format!(
            "the JWT authorizer's challenge: www-authenticate: {challenge}"
        ));
    }
    Capture {
        form,
        status: raw.status,
        reason: raw.reason,
        headers: raw.headers,
        body: raw.body,
        error_type,
        message,
        made_by,
        api_type: made_by.api_type(),
        request: raw.request,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Capture {
        Capture::parse("t", text.as_bytes()).unwrap()
    }

    #[test]
    fn error_type_suffix_is_stripped() {
        let c = parse(
            "HTTP/1.1 403 Forbidden\r\nx-amzn-ErrorType: AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/\r\n\r\n{\"Message\":\"x\"}",
        );
        assert_eq!(c.error_type.as_deref(), Some("AccessDeniedException"));
        assert_eq!(c.reason.as_deref(), Some("Forbidden"));
    }

    #[test]
    fn interim_responses_are_skipped() {
        let c = parse(
            "HTTP/1.1 100 Continue\n\nHTTP/1.1 401 Unauthorized\nx-amzn-ErrorType: UnauthorizedException\n\n{\"message\":\"Unauthorized\"}\n",
        );
        assert_eq!(c.status, Some(401));
        assert_eq!(c.message.as_deref(), Some("Unauthorized"));
    }

    #[test]
    fn colour_codes_are_removed() {
        let c = parse(
            "\x1b[34mHTTP\x1b[39m/1.1 404 Not Found\napigw-requestid: abc=\n\n{\"message\":\"Not Found\"}",
        );
        assert_eq!(c.status, Some(404));
        assert_eq!(c.made_by, MadeBy::HttpApi);
    }

    #[test]
    fn bad_status_code_is_an_error_at_the_line() {
        let e = Capture::parse("t", b"HTTP/1.1 4x3 Forbidden\n\n{}").unwrap_err();
        assert_eq!(e.span, Some(Span::new(0, 22)));
    }

    #[test]
    fn the_command_before_the_response_is_skipped() {
        let c = parse(
            "$ http https://abc123.execute-api.us-east-1.amazonaws.com/prod/things\nHTTP/1.1 401 Unauthorized\nx-amzn-ErrorType: UnauthorizedException\n\n{\"message\": \"Unauthorized\"}\n",
        );
        assert_eq!((c.form, c.status), (Form::HttpMessage, Some(401)));
        assert_eq!(
            c.notes,
            ["skipped 1 line before the response (the command that was run?)"]
        );
    }

    #[test]
    fn message_is_capped() {
        let long = "a ".repeat(5000);
        let c = parse(&long);
        assert_eq!(c.message.unwrap().chars().count(), MAX_MESSAGE_CHARS + 1);
    }

    #[test]
    fn null_message_is_none() {
        let c = parse(r#"{"message": null}"#);
        assert_eq!(c.message, None);
        assert_eq!(c.form, Form::JsonBody);
        assert_eq!(c.made_by, MadeBy::ApiGateway);
    }

    #[test]
    fn read_capped_refuses_more_than_the_cap() {
        let big = std::io::repeat(b'a');
        let e = read_capped("big", big).unwrap_err();
        assert!(e.message.contains("larger than"), "{}", e.message);
        assert_eq!(read_capped("s", &b"abc"[..]).unwrap(), b"abc");
    }
}

/// What identifies a response: the keys the catalog is matched on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signature {
    /// The status code, when known.
    pub status: Option<u16>,
    /// `x-amzn-ErrorType`, without AWS's `:…` suffix.
    pub error_type: Option<String>,
    /// The body's message, as sent (matching normalises it).
    pub message: Option<String>,
    /// Who made the answer.
    pub made_by: MadeBy,
    /// The API type, when it can be told.
    pub api_type: Option<ApiType>,
}

impl Signature {
    /// The signature of a parsed response.
    pub fn of(capture: &Capture) -> Signature {
        Signature {
            status: capture.status,
            error_type: capture.error_type.clone(),
            message: capture.message.clone(),
            made_by: capture.made_by,
            api_type: capture.api_type,
        }
    }
}
