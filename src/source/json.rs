//! The one pass over a JSON text: strict RFC 8259 parsing straight into the spanned
//! [`Node`] tree, duplicate keys collected on the way.
//!
//! It accepts exactly what `serde_json` accepts when deserializing a `Value` (serde_json
//! stays the arbiter, see [`super::Document::parse`]): only `' ' \t \n \r` as white space;
//! no control characters, bad escapes or lone surrogates (`\uD800` alone, `\uDC00` first)
//! in strings; numbers by the JSON grammar whose value is finite as an `f64` (`1e400` is
//! refused; the range check itself is serde_json's, run on the number's text); at most 127
//! nested arrays/objects; nothing but white space after the value. Anything it refuses is
//! handed back to serde_json for the message and the position, so errors read as before.
//! `tests/it/json_differential.rs` and the `json_diff` fuzz target check the agreement on
//! random, mutated and hostile texts, and debug builds re-check every accepted text.

use std::collections::HashMap;
use std::sync::Arc;

use super::{DuplicateKey, Json, Member, Node, Str};
use crate::span::{Span, Spanned};

/// serde_json's recursion limit: its counter starts at 128 and fails when an opening
/// bracket takes it to 0, so 127 nested containers parse and 128 do not.
const MAX_DEPTH: usize = 128;

/// Objects with fewer members than this are checked for duplicate keys by comparing every
/// pair (no allocation); larger ones go through a hash map.
const SMALL_OBJECT: usize = 16;

/// The text is not JSON (by the rules above); `at` is where this parser stopped, used only
/// if serde_json were ever to disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rejected {
    pub(crate) at: usize,
}

/// Parses `text` into its tree and the duplicate keys of every object (innermost objects
/// first, then in the order of each key's last occurrence, as the report lists them).
pub(crate) fn parse(text: &Arc<String>) -> Result<(Node, Vec<DuplicateKey>), Rejected> {
    let mut p = Parser {
        shared: text,
        text,
        bytes: text.as_bytes(),
        pos: 0,
        nodes: Vec::new(),
        members: Vec::new(),
        duplicates: Vec::new(),
    };
    p.skip_space();
    let root = p.value(0)?;
    p.skip_space();
    if p.pos != p.bytes.len() {
        return Err(p.reject());
    }
    Ok((root, p.duplicates))
}

struct Parser<'a> {
    /// The text, for strings that are slices of it.
    shared: &'a Arc<String>,
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Elements of the arrays being parsed, innermost last: one growing buffer instead of a
    /// growing `Vec` per array, so each array is allocated once at its exact size.
    nodes: Vec<Node>,
    /// The same for object members.
    members: Vec<Member>,
    duplicates: Vec<DuplicateKey>,
}

impl Parser<'_> {
    fn reject(&self) -> Rejected {
        Rejected { at: self.pos }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Consumes `byte` (after white space) or fails.
    fn expect(&mut self, byte: u8) -> Result<(), Rejected> {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.reject())
        }
    }

    /// One value starting at `pos` (white space already skipped); `depth` counts the
    /// containers around it.
    fn value(&mut self, depth: usize) -> Result<Node, Rejected> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(depth + 1)?,
            Some(b'[') => self.array(depth + 1)?,
            Some(b'"') => Json::String(self.string()?),
            Some(b't') => self.word(b"true", Json::Bool(true))?,
            Some(b'f') => self.word(b"false", Json::Bool(false))?,
            Some(b'n') => self.word(b"null", Json::Null)?,
            Some(b'-' | b'0'..=b'9') => Json::Number(self.number()?),
            _ => return Err(self.reject()),
        };
        Ok(Node {
            span: Span::new(start, self.pos - start),
            value,
        })
    }

    fn word(&mut self, word: &[u8], value: Json) -> Result<Json, Rejected> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.reject())
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, Rejected> {
        if depth >= MAX_DEPTH {
            return Err(self.reject());
        }
        self.pos += 1;
        self.skip_space();
        let base = self.nodes.len();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(Box::default()));
        }
        loop {
            self.skip_space();
            let node = self.value(depth)?;
            self.nodes.push(node);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(self.nodes.drain(base..).collect()));
                }
                _ => return Err(self.reject()),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, Rejected> {
        if depth >= MAX_DEPTH {
            return Err(self.reject());
        }
        self.pos += 1;
        self.skip_space();
        let base = self.members.len();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(Box::default()));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.reject());
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key = Spanned::new(key, Span::new(key_start, self.pos - key_start));
            self.expect(b':')?;
            self.skip_space();
            let value = self.value(depth)?;
            self.members.push(Member { key, value });
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    let members: Box<[Member]> = self.members.drain(base..).collect();
                    find_duplicates(&members, &mut self.duplicates);
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.reject()),
            }
        }
    }

    /// A string literal at `pos` (on its opening quote), unescaped.
    fn string(&mut self) -> Result<Str, Rejected> {
        self.pos += 1;
        let start = self.pos;
        self.pos = special_byte(self.bytes, self.pos);
        match self.peek() {
            Some(b'"') => {
                // The common case: no escape, so the value is a slice of the text. `"` is
                // ASCII, so both ends are on character boundaries.
                let s = self.slice(start);
                self.pos += 1;
                Ok(s)
            }
            Some(b'\\') => {
                let mut out = String::with_capacity(self.pos - start + 16);
                out.push_str(&self.text[start..self.pos]);
                self.escaped(out).map(Str::from)
            }
            // A control character, or the end of the text.
            _ => Err(self.reject()),
        }
    }

    /// The rest of a string from its first escape (at `pos`); `out` holds what came before.
    fn escaped(&mut self, mut out: String) -> Result<String, Rejected> {
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return Err(self.reject()),
                    };
                    self.pos += 1;
                    out.push(c);
                }
                _ => {
                    let from = self.pos;
                    self.pos = special_byte(self.bytes, self.pos);
                    if self.pos == from {
                        // A control character or the end of the text.
                        return Err(self.reject());
                    }
                    out.push_str(&self.text[from..self.pos]);
                }
            }
        }
    }

    /// The character of a `\uXXXX` escape (after the `u`), with its pair if it is a leading
    /// surrogate. As in serde_json, a trailing surrogate first, or a leading one not
    /// followed by `\u` and a trailing one, is an error.
    fn unicode_escape(&mut self) -> Result<char, Rejected> {
        let n = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.reject());
        }
        if !(0xD800..=0xDBFF).contains(&n) {
            return char::from_u32(n).ok_or_else(|| self.reject());
        }
        if !self.bytes[self.pos..].starts_with(b"\\u") {
            return Err(self.reject());
        }
        self.pos += 2;
        let low = self.hex4()?;
        if !(0xDC00..=0xDFFF).contains(&low) {
            return Err(self.reject());
        }
        char::from_u32((((n - 0xD800) << 10) | (low - 0xDC00)) + 0x1_0000)
            .ok_or_else(|| self.reject())
    }

    fn hex4(&mut self) -> Result<u32, Rejected> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| (b as char).to_digit(16))
                .ok_or_else(|| self.reject())?;
            n = n * 16 + digit;
            self.pos += 1;
        }
        Ok(n)
    }

    /// A number by the JSON grammar; its text is kept. Plain integers of up to 300 characters always fit; anything
    /// else is range-checked by serde_json itself, so `1e400` and a 400-digit integer are
    /// refused exactly where serde_json refuses them.
    fn number(&mut self) -> Result<Str, Rejected> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.reject()),
        }
        let mut plain = true;
        if self.peek() == Some(b'.') {
            plain = false;
            self.pos += 1;
            self.required_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            plain = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            self.required_digits()?;
        }
        let text = &self.text[start..self.pos];
        // An integer of up to 300 digits is at most a u64 times 1e281 as serde_json computes
        // it: finite (overflow starts past 308 digits).
        let surely_finite = plain && text.len() <= 300;
        if !surely_finite && !serde_accepts(text) {
            self.pos = start;
            return Err(self.reject());
        }
        Ok(self.slice(start))
    }

    /// The text from `start` to `pos`, shared with the input when it fits a [`Str`] range
    /// (texts past 4 GiB get a copy).
    fn slice(&self, start: usize) -> Str {
        Str::slice(self.shared, start, self.pos - start)
            .unwrap_or_else(|| Str::from(&self.text[start..self.pos]))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), Rejected> {
        let from = self.pos;
        self.digits();
        if self.pos == from {
            Err(self.reject())
        } else {
            Ok(())
        }
    }
}

/// Whether serde_json takes `text` (one number) as a JSON value: its range check.
fn serde_accepts(text: &str) -> bool {
    serde_json::from_str::<super::Validated>(text).is_ok()
}

/// The index of the first `"`, `\` or control character at or after `from` (the length of
/// the text if none), eight bytes at a time as serde_json does.
fn special_byte(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        // Bytes equal to zero after the XOR, or below 0x20: the classic SWAR tests, exact
        // for the first match, which is all that is used.
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
        let found =
            zero(x ^ QUOTES) | zero(x ^ BACKSLASHES) | (x.wrapping_sub(SPACES) & !x & HIGHS);
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

/// Records each key that appears more than once in `members`: once, with its first and
/// last spans, in the order of the last occurrences.
fn find_duplicates(members: &[Member], out: &mut Vec<DuplicateKey>) {
    let n = members.len();
    if n < 2 {
        return;
    }
    let key = |i: usize| members[i].key.value.as_str();
    let mut record = |first: usize, last: usize| {
        out.push(DuplicateKey {
            key: key(last).to_string(),
            first: members[first].key.span,
            last: members[last].key.span,
        });
    };
    if n < SMALL_OBJECT {
        for i in 1..n {
            let later = (i + 1..n).any(|k| key(k) == key(i));
            if !later && let Some(first) = (0..i).find(|&j| key(j) == key(i)) {
                record(first, i);
            }
        }
        return;
    }
    // key → (first index, last index)
    let mut seen: HashMap<&str, (usize, usize)> = HashMap::with_capacity(n);
    for i in 0..n {
        seen.entry(key(i))
            .and_modify(|(_, last)| *last = i)
            .or_insert((i, i));
    }
    if seen.len() == n {
        return;
    }
    for i in 0..n {
        let (first, last) = seen[key(i)];
        if last == i && first != i {
            record(first, i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(Node, Vec<DuplicateKey>), Rejected> {
        super::parse(&Arc::new(text.to_string()))
    }

    fn accepts(text: &str) -> bool {
        parse(text).is_ok()
    }

    #[test]
    fn special_byte_finds_the_first_of_each_kind_at_every_offset() {
        for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
            for at in 0..20 {
                let mut bytes = vec![b'a'; 20];
                bytes[at] = special;
                assert_eq!(special_byte(&bytes, 0), at, "{special:#x} at {at}");
            }
        }
        // Neither multi-byte characters nor DEL stop a string.
        let plain = "é€😀 ~\u{7f}é€😀";
        assert_eq!(special_byte(plain.as_bytes(), 0), plain.len());
    }

    #[test]
    fn nesting_stops_at_serde_json_s_limit() {
        let nest = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(accepts(&nest(127)));
        assert!(!accepts(&nest(128)));
        let objects = |n: usize| format!("{}1{}", r#"{"a":"#.repeat(n), "}".repeat(n));
        assert!(accepts(&objects(127)));
        assert!(!accepts(&objects(128)));
    }

    #[test]
    fn numbers_follow_the_grammar_and_serde_json_s_range() {
        for ok in [
            "0",
            "-0",
            "1.5",
            "1e5",
            "1E+5",
            "1e-400",
            "-12345678901234567890",
            "1.7976931348623157e308",
        ] {
            assert!(accepts(ok), "{ok}");
        }
        for bad in [
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "+1",
            "1e400",
            "-1e400",
            &"9".repeat(400),
            "0x10",
            "NaN",
        ] {
            assert!(!accepts(bad), "{bad}");
        }
    }

    #[test]
    fn strings_refuse_what_serde_json_refuses() {
        let ok = [
            r#""\ud83d\ude00""#,
            r#""\u0000""#,
            r#""a\/b\"\\\b\f\n\r\t""#,
            "\"\u{7f}\"",
        ];
        for text in ok {
            assert!(accepts(text), "{text}");
        }
        let bad = [
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\ud83d\u0041""#,
            r#""\x""#,
            "\"a\tb\"",
            r#""\u12""#,
            "\"abc",
        ];
        for text in bad {
            assert!(!accepts(text), "{text}");
        }
        let (node, _) = parse(r#""a\u00e9\ud83d\ude00\n""#).unwrap();
        assert_eq!(node.as_str(), Some("aé😀\n"));
    }

    #[test]
    fn duplicates_keep_both_spans_in_last_occurrence_order() {
        for pad in [0, 20] {
            let filler: String = (0..pad).map(|i| format!(r#""k{i}":0,"#)).collect();
            let text = format!(r#"{{{filler}"a":1,"b":2,"a":3,"b":4,"a":5}}"#);
            let (_, dups) = parse(&text).unwrap();
            let got: Vec<(&str, &str, &str)> = dups
                .iter()
                .map(|d| {
                    (
                        d.key.as_str(),
                        &text[d.first.range()],
                        &text[d.last.range()],
                    )
                })
                .collect();
            assert_eq!(
                got,
                [("b", "\"b\"", "\"b\""), ("a", "\"a\"", "\"a\"")],
                "pad {pad}"
            );
            assert_eq!(dups[1].first.offset(), filler.len() + 1);
            assert_eq!(dups[1].last.offset(), text.len() - 6);
        }
    }
}
