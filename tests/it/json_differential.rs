//! The one-pass JSON parser (src/source/json.rs) against its two references, on generated,
//! mutated and hand-picked hostile texts:
//! - acceptance: `Document::parse` succeeds exactly when serde_json parses a `Value`, and
//!   its error message is serde_json's;
//! - spans and values: on every accepted text the tree and the duplicate keys are those the
//!   former parser (jsonc-parser with every leniency off, then a conversion) produced.

use policy_check::source::{DuplicateKey, Json, Member, Node, Str};
use policy_check::{Document, Source, Span, Spanned};
use proptest::prelude::*;

/// The former path, kept here as the span oracle.
mod former {
    use super::*;
    use jsonc_parser::ast::{ObjectPropName, Value as Ast};
    use jsonc_parser::{CollectOptions, ParseOptions};

    pub fn parse(text: &str) -> (Node, Vec<DuplicateKey>) {
        let strict = ParseOptions {
            allow_comments: false,
            allow_loose_object_property_names: false,
            allow_trailing_commas: false,
            allow_missing_commas: false,
            allow_single_quoted_strings: false,
            allow_hexadecimal_numbers: false,
            allow_unary_plus_numbers: false,
            allow_bare_decimal_point_numbers: false,
            allow_non_finite_numbers: false,
            allow_extended_string_escapes: false,
        };
        let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict)
            .expect("jsonc-parser takes what serde_json takes");
        let mut dups = Vec::new();
        let root = convert(&parsed.value.expect("a value"), &mut dups);
        (root, dups)
    }

    fn span(r: jsonc_parser::common::Range) -> Span {
        Span::new(r.start, r.end - r.start)
    }

    fn convert(ast: &Ast<'_>, dups: &mut Vec<DuplicateKey>) -> Node {
        let (span, value) = match ast {
            Ast::NullKeyword(n) => (span(n.range), Json::Null),
            Ast::BooleanLit(b) => (span(b.range), Json::Bool(b.value)),
            Ast::NumberLit(n) => (span(n.range), Json::Number(Str::from(n.value))),
            Ast::StringLit(s) => (span(s.range), Json::String(s.value.as_ref().into())),
            Ast::Array(a) => (
                span(a.range),
                Json::Array(a.elements.iter().map(|e| convert(e, dups)).collect()),
            ),
            Ast::Object(o) => {
                let members: Vec<Member> = o
                    .properties
                    .iter()
                    .map(|p| {
                        let key = match &p.name {
                            ObjectPropName::String(s) => {
                                Spanned::new(s.value.as_ref().into(), span(s.range))
                            }
                            ObjectPropName::Word(w) => {
                                Spanned::new((*w.value).into(), span(w.range))
                            }
                        };
                        Member {
                            key,
                            value: convert(&p.value, dups),
                        }
                    })
                    .collect();
                find_duplicates(&members, dups);
                (span(o.range), Json::Object(members.into()))
            }
        };
        Node { span, value }
    }

    fn find_duplicates(members: &[Member], dups: &mut Vec<DuplicateKey>) {
        let mut first = std::collections::HashMap::new();
        let mut last: Vec<(&str, Span)> = Vec::new();
        for m in members {
            if first.contains_key(m.key.value.as_str()) {
                last.retain(|(k, _)| *k != m.key.value);
                last.push((&m.key.value, m.key.span));
            } else {
                first.insert(m.key.value.as_str(), m.key.span);
            }
        }
        for (key, span) in last {
            dups.push(DuplicateKey {
                key: key.to_string(),
                first: first[key],
                last: span,
            });
        }
    }
}

/// Checks one text against both references; the error says what differed.
fn differential(text: &str) -> Result<(), String> {
    let serde = serde_json::from_str::<serde_json::Value>(text);
    let ours = Document::parse(Source::new("t.json", text));
    match (serde, ours) {
        (Ok(_), Ok(doc)) => {
            let (root, dups) = former::parse(text);
            if doc.root != root {
                return Err(format!("tree differs on {text:?}"));
            }
            if doc.duplicates != dups {
                return Err(format!(
                    "duplicates differ on {text:?}: {:?} vs {dups:?}",
                    doc.duplicates
                ));
            }
            Ok(())
        }
        (Err(e), Err(ours)) => {
            let theirs = e.to_string();
            let theirs = theirs.rsplit_once(" at line ").map_or(&*theirs, |(m, _)| m);
            if ours.message == format!("not valid JSON: {theirs}") {
                Ok(())
            } else {
                Err(format!(
                    "message differs on {text:?}: {} vs {theirs}",
                    ours.message
                ))
            }
        }
        (Ok(_), Err(e)) => Err(format!("refused what serde_json takes: {text:?}: {e}")),
        (Err(e), Ok(_)) => Err(format!("took what serde_json refuses ({e}): {text:?}")),
    }
}

fn space() -> impl Strategy<Value = String> {
    "[ \t\n\r]{0,2}"
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,5})?([eE][+-]?[0-9]{1,3})?",
        string(),
    ]
}

fn string() -> impl Strategy<Value = String> {
    "\"([a-zA-Z0-9 é€😀\u{7f}/]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4}|\\\\u[dD][89abAB][0-9a-f]{2}\\\\u[dD][c-fC-F][0-9a-f]{2}){0,8}\""
}

/// Keys from a small set, so objects often repeat one.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "\"[abc]\"",
        1 => string(),
    ]
}

fn value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(5, 64, 6, |inner| {
        let element = (space(), inner.clone(), space()).prop_map(|(a, v, b)| format!("{a}{v}{b}"));
        let member = (space(), key(), space(), space(), inner, space())
            .prop_map(|(a, k, b, c, v, d)| format!("{a}{k}{b}:{c}{v}{d}"));
        prop_oneof![
            (prop::collection::vec(element, 0..6), space()).prop_map(|(v, s)| if v.is_empty() {
                format!("[{s}]")
            } else {
                format!("[{}]", v.join(","))
            }),
            (prop::collection::vec(member, 0..20), space()).prop_map(|(v, s)| if v.is_empty() {
                format!("{{{s}}}")
            } else {
                format!("{{{}}}", v.join(","))
            }),
        ]
    })
}

fn document() -> impl Strategy<Value = String> {
    (space(), value(), space()).prop_map(|(a, v, b)| format!("{a}{v}{b}"))
}

/// Characters a mutation inserts: JSON's punctuation, escapes' letters, number parts,
/// white space JSON does not allow, control characters and multi-byte text.
const INSERTS: &[char] = &[
    '{', '}', '[', ']', '"', ',', ':', '\\', 'u', 'e', 'E', '.', '+', '-', '0', '9', ' ', '\n',
    '\u{0}', '\u{1f}', '\u{7f}', '\u{a0}', '\u{feff}', 'é', '😀', 'n', 't', 'f', 'x', '/',
];

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, usize),
    Replace(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), 0..INSERTS.len()).prop_map(|(at, c)| Edit::Insert(at, c)),
        (any::<usize>(), 0..INSERTS.len()).prop_map(|(at, c)| Edit::Replace(at, c)),
    ]
}

fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        let n = chars.len();
        match *e {
            Edit::Delete(at) if n > 0 => {
                chars.remove(at % n);
            }
            Edit::Insert(at, c) => chars.insert(at % (n + 1), INSERTS[c]),
            Edit::Replace(at, c) if n > 0 => chars[at % n] = INSERTS[c],
            _ => {}
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn generated_texts_agree(text in document()) {
        differential(&text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn mutated_texts_agree(text in document(), edits in prop::collection::vec(edit(), 1..4)) {
        differential(&mutate(&text, &edits)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn arbitrary_text_agrees(text in "[\\[\\]{}\":,0-9a-z\\\\ .eE+\\-\u{0}-\u{1f}é]{0,40}") {
        differential(&text).map_err(TestCaseError::fail)?;
    }
}

#[test]
fn hostile_texts_agree() {
    let nest = |n: usize, open: &str, inner: &str, close: &str| {
        format!("{}{inner}{}", open.repeat(n), close.repeat(n))
    };
    let mut texts: Vec<String> = [
        "",
        " ",
        "\n",
        "{",
        "}",
        "[",
        "]",
        "[,]",
        "[1,]",
        "{,}",
        r#"{"a":1,}"#,
        r#"{"a" 1}"#,
        r#"{"a":}"#,
        r#"{a:1}"#,
        "{'a':1}",
        r#"{"a":1}}"#,
        r#"{"a":1} x"#,
        "[1 2]",
        "01",
        "-01",
        "1.",
        ".1",
        "-",
        "+1",
        "1e",
        "1e+",
        "0x1",
        "Infinity",
        "NaN",
        "-Infinity",
        "1e400",
        "-1e400",
        "1e-400",
        "0e99999999999",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "truex",
        "nul",
        "nulll",
        "True",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800\\n\"",
        "\"\\ud800x\"",
        "\"\\u00\"",
        "\"\\uZZZZ\"",
        "\"\\a\"",
        "\"a\u{0}b\"",
        "\"a\u{1f}b\"",
        "\"\u{7f}\"",
        "\"\\/\"",
        "\"unterminated",
        "\"\\",
        "\u{a0}1",
        "\u{feff}{}",
        "[\u{c}]",
        "{\"a\":1,\"a\":2,\"b\":[{\"a\":1,\"a\":1}]}",
        "/* c */ {}",
        "// c\n{}",
        "[1,\n// x\n2]",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    texts.push("9".repeat(300));
    texts.push("9".repeat(310));
    texts.push(format!("-{}", "9".repeat(310)));
    texts.push(format!("0.{}1e330", "0".repeat(20)));
    texts.push(format!("1{}e-10", "0".repeat(320)));
    for n in [1, 126, 127, 128, 129, 1000] {
        texts.push(nest(n, "[", "", "]"));
        texts.push(nest(n, "{\"k\":", "1", "}"));
        texts.push(nest(n, "[{\"k\":", "0", "}]"));
        texts.push(nest(n, "[", "", ""));
    }
    // One object large enough for the hash-map path of duplicate detection.
    let wide: Vec<String> = (0..40).map(|i| format!("\"k{}\":{i}", i % 13)).collect();
    texts.push(format!("{{{}}}", wide.join(",")));
    let failures: Vec<String> = texts.iter().filter_map(|t| differential(t).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
