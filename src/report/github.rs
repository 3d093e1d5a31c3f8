//! GitHub Actions workflow commands for a lint run (`::error file=…,line=…::…`).

use std::fmt::Write as _;
use std::io;

use super::Style;
use crate::lint::Severity;
use crate::lint_run::{LintRun, Linted};

/// Writes one workflow command per finding (and per unreadable file).
pub fn write(run: &LintRun, _style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(github(&run.results).as_bytes())
}

fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github(results: &[Linted]) -> String {
    let mut out = String::new();
    for r in results {
        if let Some(e) = &r.error {
            let at = e
                .location()
                .map(|l| format!(",line={},col={}", l.line, l.column))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "::error file={}{at},title=policy-check::{}",
                gh_prop(&r.file),
                gh_data(&e.message)
            );
            continue;
        }
        let Some(text) = r.source() else { continue };
        for f in &r.findings {
            let reg = super::sarif::region(text, f.span);
            let cmd = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let _ = writeln!(
                out,
                "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                gh_prop(&r.file),
                reg.start_line,
                reg.start_column,
                reg.end_line,
                reg.end_column,
                gh_prop(&format!("{} {}", f.rule.code, f.rule.name)),
                gh_data(&format!("{} (help: {})", f.message, f.help))
            );
        }
    }
    out
}
