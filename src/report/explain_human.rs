//! The human `explain` report: the response as matched, who answered, notes, a replay's
//! mismatch, then the causes (most likely first) and the ruled-out ones, each with its
//! fixes and how to confirm it. Everything decoded from the user's files is escaped.

use std::fmt::Write as _;
use std::io;

use super::Style;
use super::text::escape;
use crate::explain::{Cause, Explanation, api_type_name};

/// Wraps `s` in an ANSI style when colour is on (a few codes do not need a crate).
fn paint(s: &str, code: &str, style: Style) -> String {
    if style.color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

const BOLD: &str = "1";
const DIM: &str = "2";
const CYAN: &str = "36";
const YELLOW: &str = "1;33";

/// Writes the human report of `explanation`.
pub fn write(explanation: &Explanation, style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(render(explanation, style).as_bytes())
}

fn render(explanation: &Explanation, style: Style) -> String {
    let mut out = String::new();
    let sig = &explanation.signature;
    let mut head = Vec::new();
    if let Some(s) = sig.status {
        head.push(s.to_string());
    }
    if let Some(t) = &sig.error_type {
        head.push(escape(t).into_owned());
    }
    if let Some(m) = &sig.message {
        head.push(format!("\"{}\"", escape(m)));
    }
    if head.is_empty() {
        head.push("a response with no status, error type or message".to_string());
    }
    let _ = writeln!(out, "{}", paint(&head.join(" "), BOLD, style));
    let api = sig
        .api_type
        .map(|t| format!("; API type: {}", api_type_name(t)))
        .unwrap_or_default();
    let _ = writeln!(out, "answered by: {}{api}", sig.made_by.describe());
    for note in &explanation.notes {
        let _ = writeln!(out, "note: {}", escape(note));
    }
    if let Some(m) = &explanation.mismatch {
        let _ = writeln!(out, "{} {}", paint("mismatch:", YELLOW, style), escape(m));
    }
    if !explanation.found() {
        let _ = writeln!(
            out,
            "\nNo known cause: this is not a response the catalog knows (docs/explain.md lists them). \
             If API Gateway made it, a customised gateway response or the integration may have written it."
        );
        return out;
    }
    let (live, ruled): (Vec<&Cause>, Vec<&Cause>) =
        explanation.causes.iter().partition(|c| !c.ruled_out);
    if live.is_empty() {
        let _ = writeln!(
            out,
            "\nNo cause remains: the replay rules out every known cause of this response, so it \
             most likely came from elsewhere (WAF, another stage or API, a custom domain's mapping)."
        );
    }
    let mut n = 0;
    for (heading, causes) in [("Causes, most likely first:", live), ("Ruled out:", ruled)] {
        if causes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", paint(heading, BOLD, style));
        for c in causes {
            n += 1;
            let line = format!(
                "{n}. {} {} ({})",
                paint(&format!("[{}]", c.step), CYAN, style),
                escape(&c.title),
                c.source.describe()
            );
            let _ = writeln!(
                out,
                "{}",
                if c.ruled_out {
                    paint(&line, DIM, style)
                } else {
                    line
                }
            );
            if let Some(why) = &c.why {
                let _ = writeln!(out, "   why: {}", escape(why));
            }
            for f in &c.fixes {
                let _ = writeln!(out, "   fix: {}", escape(f));
            }
            for k in &c.confirm {
                let _ = writeln!(out, "   confirm: {}", escape(k));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Capture;

    fn text(pasted: &str, style: Style) -> String {
        let e = Explanation::of(&Capture::parse("r", pasted.as_bytes()).unwrap());
        let mut buf = Vec::new();
        write(&e, style, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn colour_only_when_asked_and_decoded_text_is_escaped() {
        let pasted = r#"{"message":"Missing Authentication Token\u001b[2J"}"#;
        let plain = text(pasted, Style::default());
        assert!(
            plain.starts_with("\"Missing Authentication Token\\u{1b}[2J\""),
            "{plain}"
        );
        assert!(!plain.contains('\u{1b}'));
        assert!(plain.contains("1. [route]"));
        let coloured = text(
            pasted,
            Style {
                color: true,
                width: 100,
            },
        );
        assert!(coloured.contains("\x1b[36m[route]\x1b[0m"), "{coloured}");
    }
}
