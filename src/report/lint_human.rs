//! The human lint report: each file's findings as miette reports (minified outputs
//! re-indented), then one summary line.

use std::fmt::Write as _;
use std::io;

use super::{Style, render};
use crate::lint_run::{Counts, LintRun, Linted};

/// Writes the human report of a lint run.
pub fn write(run: &LintRun, style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(human(&run.results, run.counts, style).as_bytes())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn human(results: &[Linted], c: Counts, style: Style) -> String {
    let mut out = String::new();
    let mut with_findings = 0;
    for r in results {
        if let Some(e) = &r.error {
            let _ = writeln!(out, "── {} ──\n", r.file);
            out.push_str(&render(e, style));
            out.push('\n');
            continue;
        }
        let Some(source) = r.source() else { continue };
        if r.findings.is_empty() {
            continue;
        }
        with_findings += 1;
        let _ = writeln!(out, "── {} ──\n", r.file);
        // Minified outputs (one long line) are shown re-indented, as `check` does.
        let spans = r
            .findings
            .iter()
            .flat_map(|f| std::iter::once(f.span).chain(f.related.iter().map(|x| x.0)));
        let reformatted = r.checked.as_ref().and_then(|c| {
            super::pretty::has_long_lines(source.text(), spans)
                .then(|| super::pretty::reformat(&c.document))
        });
        for f in &r.findings {
            let mut d = super::finding_in(f, source);
            if let Some(moved) = reformatted.as_ref().and_then(|p| {
                d.moved(p.source.named(), |s| p.map(s))
                    .map(|m| m.clip_labels(p.source.text()))
            }) {
                d = moved;
            }
            out.push_str(&render(&d, style));
            out.push('\n');
        }
    }
    let total = c.errors + c.warnings + c.infos;
    let mut summary = if total == 0 {
        format!("no findings in {}", plural(c.files, "file", "files"))
    } else {
        format!(
            "{}, {}, {} in {} of {} linted",
            plural(c.errors, "error", "errors"),
            plural(c.warnings, "warning", "warnings"),
            plural(c.infos, "info", "infos"),
            with_findings,
            plural(c.files, "file", "files")
        )
    };
    if c.unreadable > 0 {
        let _ = write!(
            summary,
            "; {} could not be read as JSON",
            plural(c.unreadable, "file", "files")
        );
    }
    if c.not_authorizer > 0 {
        let _ = write!(
            summary,
            "; {}, skipped",
            plural(
                c.not_authorizer,
                "not an authorizer output",
                "not authorizer outputs"
            )
        );
    }
    if c.ignored > 0 {
        let _ = write!(
            summary,
            "; {} ignored by the configuration",
            plural(c.ignored, "file", "files")
        );
    }
    let _ = writeln!(out, "{summary}");
    out
}
