//! Linting many files (kept outside `lint`, which must not depend on `config`): discovery results in, one [`LintRun`] out (results in input order and
//! the counts every printer needs). Files are linted in parallel; nothing is printed.
//! With an API definition ([`Options::api`]) the outputs are linted against it too, and the
//! definition's own findings are one more entry of [`LintRun::results`].

use std::path::{Path, PathBuf};

pub use crate::discover::Found;
use crate::source::{ErrorKind, Source};

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
    /// For the entry of an API definition (`lint --api`): the definition's text, which the
    /// findings' spans point into (`checked` is then `None`).
    pub definition: Option<Source>,
}

impl Linted {
    /// The text the findings point into: the output's, or the definition's.
    pub fn source(&self) -> Option<&Source> {
        match &self.checked {
            Some(c) => Some(&c.document.source),
            None => self.definition.as_ref(),
        }
    }
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
    /// Files found by walking a directory or glob that are JSON but not authorizer outputs
    /// (a `package.json`): skipped, and not in the results.
    pub not_authorizer: usize,
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

/// How to lint: the configuration, how to read inputs, the fail level, and the API
/// definition when there is one.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// Levels and ignores.
    pub config: &'a Config,
    /// How to read the inputs.
    pub kind: InputKind,
    /// The level at or above which a finding fails the run.
    pub fail_level: Severity,
    /// The API definition the outputs answer for (`lint --api`).
    #[cfg(feature = "api")]
    pub api: Option<&'a crate::apidef::ApiModel>,
}

fn lint_file(path: &Path, opts: &Options<'_>) -> Linted {
    let read = crate::input::read_input(path);
    let file = match &read {
        Ok((name, _)) => name.clone(),
        Err(_) => path.display().to_string(),
    };
    let checked = read.and_then(|(name, bytes)| Checked::from_bytes(&name, bytes, opts.kind));
    lint_one(file, checked, opts)
}

/// Lints one document named `file` (against the definition in [`Options::api`] when there
/// is one); an input error is kept as the file's result.
pub fn lint_one(file: String, checked: Result<Checked, InputError>, opts: &Options<'_>) -> Linted {
    match checked {
        Ok(c) => {
            #[cfg(feature = "api")]
            let findings = match opts.api {
                Some(api) => lint::api::lint_with_api(&c, api),
                None => lint::lint_default(&c),
            };
            #[cfg(not(feature = "api"))]
            let findings = lint::lint_default(&c);
            Linted {
                findings: opts.config.apply(findings, lint::sid_of(&c)),
                file,
                checked: Some(c),
                error: None,
                definition: None,
            }
        }
        Err(e) => Linted {
            file,
            checked: None,
            findings: Vec::new(),
            error: Some(e),
            definition: None,
        },
    }
}

/// Lints `files` (skipping those the configuration ignores) on every core, keeping order.
/// Every file counts as named by the user; see [`run`].
pub fn run_files(
    files: Vec<PathBuf>,
    config: &Config,
    kind: InputKind,
    fail_level: Severity,
) -> LintRun {
    let found = files
        .into_iter()
        .map(|path| Found {
            path,
            walked: false,
        })
        .collect();
    run(
        found,
        &Options {
            config,
            kind,
            fail_level,
            #[cfg(feature = "api")]
            api: None,
        },
    )
}

/// Lints `files` (skipping those the configuration ignores) on every core, keeping order.
/// A file found by a walk that is JSON but not an authorizer output is dropped and counted
/// in [`Counts::not_authorizer`]; named by the user, it stays an error. With
/// [`Options::api`], the definition's own findings come first, as an entry of its own.
pub fn run(files: Vec<Found>, opts: &Options<'_>) -> LintRun {
    let (ignored, files): (Vec<Found>, Vec<Found>) = files
        .into_iter()
        .partition(|f| opts.config.ignores_path(&f.path));
    let linted = crate::par::map_ordered(&files, 64, |f| (f.walked, lint_file(&f.path, opts)));
    let mut not_authorizer = 0;
    let mut results = Vec::with_capacity(linted.len() + 1);
    #[cfg(feature = "api")]
    if let Some(api) = opts.api {
        let findings = lint::api::lint_definition(api);
        results.push(Linted {
            file: api.source.name().to_string(),
            checked: None,
            findings: opts.config.apply(findings, |_| None),
            error: None,
            definition: Some(api.source.clone()),
        });
    }
    for (walked, r) in linted {
        if walked && r.error.as_ref().is_some_and(|e| e.kind == ErrorKind::Shape) {
            not_authorizer += 1;
        } else {
            results.push(r);
        }
    }
    let mut run = LintRun::new(results, ignored.len(), opts.fail_level);
    run.counts.not_authorizer = not_authorizer;
    run
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

/// Reads and models an API definition for `lint --api` (`api_name` picks one API of a
/// template holding several). Errors carry the span (exit 2).
#[cfg(feature = "api")]
pub fn load_api(
    path: &Path,
    api_name: Option<&str>,
) -> Result<crate::apidef::ApiModel, InputError> {
    let (name, bytes) = crate::input::read_input(path)?;
    crate::apidef::load(Source::from_bytes(&name, bytes)?, api_name)
}

/// Files to lint: `*.json` from directories and globs, except `*.test.json` fixtures.
pub fn discover(paths: &[String]) -> Result<Vec<Found>, String> {
    crate::discover::discover_marked(
        paths,
        |name| name.ends_with(".json") && !name.ends_with(crate::fixture::SUFFIX),
        "authorizer output file",
    )
}
