//! The JUnit XML report of a fixture run (CI test tabs). Hand-written: a dozen elements, and
//! the XML crates would add dependencies for no gain. Every text goes through `xml`, which
//! keeps the document well-formed for any input.

use std::fmt::Write as _;
use std::io;

use super::{Style, render};
use crate::fixture::run::FixtureRun;

/// Escapes `s` for XML 1.0 text and attributes. Characters XML 1.0 cannot carry at all, even
/// escaped (most C0 controls, lone surrogates cannot occur in a `str`, U+FFFE, U+FFFF), are
/// replaced by U+FFFD.
pub(crate) fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\n' | '\t' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

/// Writes the JUnit XML report; a failed case carries the explanation `check` prints.
pub fn write(run: &FixtureRun, style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    let (passed, failed, errors) = (run.passed(), run.failed(), run.errors());
    let mut text = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        text,
        "<testsuites name=\"policy-check\" tests=\"{}\" failures=\"{failed}\" errors=\"{errors}\">",
        passed + failed + errors
    );
    for r in &run.files {
        let f = r.cases.iter().filter(|c| !c.result.ok).count();
        let e = usize::from(r.error.is_some());
        let _ = writeln!(
            text,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" errors=\"{e}\">",
            xml(&r.file),
            r.cases.len() + e
        );
        if let Some(err) = &r.error {
            let _ = writeln!(
                text,
                "    <testcase name=\"(fixture)\" classname=\"{}\">\n      <error message=\"{}\">{}</error>\n    </testcase>",
                xml(&r.file),
                xml(&err.message),
                xml(&render(err, style))
            );
        }
        for c in &r.cases {
            let _ = write!(
                text,
                "    <testcase name=\"{}\" classname=\"{}\"",
                xml(&c.name),
                xml(&r.file)
            );
            match &c.result.failure {
                None => {
                    let _ = writeln!(text, "/>");
                }
                Some(fail) => {
                    let _ = writeln!(
                        text,
                        ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                        xml(&fail.to_string()),
                        xml(&super::test_human::explanation(r, c, style))
                    );
                }
            }
        }
        let _ = writeln!(text, "  </testsuite>");
    }
    text.push_str("</testsuites>\n");
    out.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn xml_is_always_well_formed() {
        assert_eq!(
            super::xml("a<\u{1}\u{FFFE}\u{FFFF}&"),
            "a&lt;\u{FFFD}\u{FFFD}\u{FFFD}&amp;"
        );
    }
}
