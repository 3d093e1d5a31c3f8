//! Linting many files (kept outside `lint`, which must not depend on `config`): discovery results in, one [`LintRun`] out (results in input order and
//! the counts every printer needs). Files are linted in parallel; nothing is printed.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Config;
use crate::lint::{self, Finding, Severity};
use crate::{Checked, InputError, InputKind};

/// One linted file.
#[derive(Debug)]
pub struct Linted {
    /// The path as given (or `<stdin>`).
    pub file: String,
    /// The parsed output, when it could be read.
    pub checked: Option<Checked>,
    /// Findings, sorted by position.
    pub findings: Vec<Finding>,
    /// Why the file could not be linted.
    pub error: Option<InputError>,
}

/// Counts over a run, as the summary line and the JSON `summary` give them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Files linted (read or not).
    pub files: usize,
    /// Files skipped by the configuration's `[ignore] paths`.
    pub ignored: usize,
    /// Files that could not be read as JSON.
    pub unreadable: usize,
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
    /// Findings at info level.
    pub infos: usize,
}

/// Everything a lint run produced.
#[derive(Debug)]
pub struct LintRun {
    /// One entry per linted file, in input order.
    pub results: Vec<Linted>,
    /// The counts.
    pub counts: Counts,
    /// The level at or above which a finding fails the run.
    pub fail_level: Severity,
}

impl LintRun {
    /// Whether some finding is at or above the fail level.
    pub fn failed(&self) -> bool {
        self.results
            .iter()
            .flat_map(|r| &r.findings)
            .any(|f| f.severity >= self.fail_level)
    }

    /// The files that could not be read, with their errors.
    pub fn errors(&self) -> impl Iterator<Item = &InputError> {
        self.results.iter().filter_map(|r| r.error.as_ref())
    }
}

fn lint_file(path: &Path, config: &Config, kind: InputKind) -> Linted {
    let read = crate::input::read_input(path);
    let file = match &read {
        Ok((name, _)) => name.clone(),
        Err(_) => path.display().to_string(),
    };
    let checked = read.and_then(|(name, bytes)| Checked::from_bytes(&name, bytes, kind));
    lint_one(file, checked, config)
}

/// Lints one document named `file`; an input error is kept as the file's result.
pub fn lint_one(file: String, checked: Result<Checked, InputError>, config: &Config) -> Linted {
    match checked {
        Ok(c) => Linted {
            findings: config.apply(lint::lint_default(&c), lint::sid_of(&c)),
            file,
            checked: Some(c),
            error: None,
        },
        Err(e) => Linted {
            file,
            checked: None,
            findings: Vec::new(),
            error: Some(e),
        },
    }
}

/// Lints `files` (skipping those the configuration ignores) on every core, keeping order.
pub fn run_files(
    files: Vec<PathBuf>,
    config: &Config,
    kind: InputKind,
    fail_level: Severity,
) -> LintRun {
    let (ignored, files): (Vec<PathBuf>, Vec<PathBuf>) =
        files.into_iter().partition(|f| config.ignores_path(f));
    let results = crate::par::map_ordered(&files, 64, |f| lint_file(f, config, kind));
    LintRun::new(results, ignored.len(), fail_level)
}

impl LintRun {
    /// A run of `results` (with `ignored` files skipped by the configuration), counted.
    pub fn new(results: Vec<Linted>, ignored: usize, fail_level: Severity) -> LintRun {
        let mut counts = Counts {
            files: results.len(),
            ignored,
            ..Counts::default()
        };
        for r in &results {
            counts.unreadable += usize::from(r.error.is_some());
            for f in &r.findings {
                match f.severity {
                    Severity::Error => counts.errors += 1,
                    Severity::Warning => counts.warnings += 1,
                    Severity::Info => counts.infos += 1,
                }
            }
        }
        LintRun {
            results,
            counts,
            fail_level,
        }
    }
}

/// Files to lint: `*.json` from directories and globs, except `*.test.json` fixtures.
pub fn discover(paths: &[String]) -> Result<Vec<PathBuf>, String> {
    crate::discover::discover(
        paths,
        |name| name.ends_with(".json") && !name.ends_with(crate::fixture::SUFFIX),
        "authorizer output file",
    )
}
