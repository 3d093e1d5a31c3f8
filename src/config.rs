//! `.policy-check.toml`: per-rule levels, path ignores and Sid ignores for `policy-check lint`.
//!
//! [`EXAMPLE`] shows every key; README.md and docs/lint.md show the same text (a test
//! checks it).
//!
//! Unknown keys, unknown rules and unknown levels are errors with a span into the file.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Component, Path, PathBuf};

use miette::Diagnostic;
use serde::Deserialize;

use crate::lint::{Finding, Rule, Severity, find_rule};
use crate::source::Source;
use crate::span::Span;

/// An example configuration using every key: the one README.md and docs/lint.md show.
pub const EXAMPLE: &str = include_str!("config.example.toml");

/// The file name looked for, from the current directory upwards.
pub const FILE_NAME: &str = ".policy-check.toml";

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported as info.
    Info,
    /// Reported as a warning.
    Warning,
    /// Reported as an error.
    Error,
}

impl Level {
    fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    fail_level: Option<toml::Spanned<String>>,
    #[serde(default)]
    rules: BTreeMap<toml::Spanned<String>, Level>,
    #[serde(default)]
    ignore: Ignore,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ignore {
    #[serde(default)]
    paths: Vec<toml::Spanned<String>>,
    #[serde(default)]
    sids: Vec<String>,
}

/// The lint configuration; the default reports every rule at its default severity.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// `fail-level` from the file (the command line wins).
    pub fail_level: Option<Severity>,
    levels: HashMap<&'static str, Level>,
    ignore_paths: Vec<glob::Pattern>,
    ignore_sids: Vec<String>,
    base: PathBuf,
}

/// A configuration file that cannot be used, with the span of the culprit.
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// What is wrong.
    pub message: String,
    /// Where, when known.
    pub span: Option<Span>,
    source: Source,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.source.name(), self.message)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    /// The configuration file's text.
    pub fn source(&self) -> &Source {
        &self.source
    }
}

impl Diagnostic for ConfigError {}

impl Config {
    /// Parses the text of a configuration file named `name` (relative paths in it are taken
    /// from `base`).
    pub fn parse(name: &str, text: &str, base: &Path) -> Result<Config, ConfigError> {
        let source = Source::new(name, text);
        let err = |message: String, span: Option<Span>| ConfigError {
            message,
            span,
            source: source.clone(),
        };
        let file: File = toml::from_str(text).map_err(|e| {
            err(
                e.message().trim().to_string(),
                e.span().map(|r| Span::new(r.start, r.end - r.start)),
            )
        })?;
        let spanned = |s: &toml::Spanned<String>| {
            let r = s.span();
            Some(Span::new(r.start, r.end - r.start))
        };
        let mut cfg = Config {
            path: Some(PathBuf::from(name)),
            // Absolute now, so that the ignores mean the same from any working directory.
            base: absolute(base),
            ..Config::default()
        };
        if let Some(f) = &file.fail_level {
            cfg.fail_level = Some(Severity::parse(f.get_ref()).ok_or_else(|| {
                err(
                    format!("fail-level `{}` is not error, warning or info", f.get_ref()),
                    spanned(f),
                )
            })?);
        }
        for (key, level) in &file.rules {
            let rule = find_rule(key.get_ref()).ok_or_else(|| {
                err(
                    format!(
                        "`{}` is not a rule code or name (see `policy-check rules`)",
                        key.get_ref()
                    ),
                    spanned(key),
                )
            })?;
            cfg.levels.insert(rule.code, *level);
        }
        for p in &file.ignore.paths {
            let pattern = glob::Pattern::new(p.get_ref())
                .map_err(|e| err(format!("bad glob `{}`: {e}", p.get_ref()), spanned(p)))?;
            cfg.ignore_paths.push(pattern);
        }
        cfg.ignore_sids = file.ignore.sids;
        Ok(cfg)
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let name = path.display().to_string();
        let cannot = |message: String| ConfigError {
            message,
            span: None,
            source: Source::new(&name, ""),
        };
        let bytes = crate::source::read_path(path).map_err(|e| cannot(e.message))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            cannot(format!(
                "it is not UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        Config::parse(&name, &text, base)
    }

    /// The nearest `.policy-check.toml` in `start` or a parent directory.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// The severity `rule` is reported at, or `None` when it is off.
    pub fn level(&self, rule: &Rule) -> Option<Severity> {
        match self.levels.get(rule.code) {
            Some(l) => l.severity(),
            None => Some(rule.severity),
        }
    }

    /// Applies the configuration to findings: drops those of rules turned off and those in
    /// statements whose Sid (`sid_of(statement)`, e.g. [`lint::sid_of`](crate::lint::sid_of))
    /// is ignored, and sets each remaining finding's severity to its rule's level.
    pub fn apply<'a>(
        &self,
        findings: Vec<Finding>,
        sid_of: impl Fn(usize) -> Option<&'a str>,
    ) -> Vec<Finding> {
        findings
            .into_iter()
            .filter_map(|mut f| {
                f.severity = self.level(f.rule)?;
                let ignored = f
                    .statement
                    .and_then(&sid_of)
                    .is_some_and(|sid| self.ignores_sid(sid));
                (!ignored).then_some(f)
            })
            .collect()
    }

    /// Whether findings in a statement with this Sid are ignored.
    pub fn ignores_sid(&self, sid: &str) -> bool {
        self.ignore_sids
            .iter()
            .any(|p| crate::pattern::matches(p, sid))
    }

    /// Whether a file is ignored. Patterns are relative to the configuration file's
    /// directory (an absolute pattern is matched against the absolute path), whatever the
    /// working directory and however the file was named on the command line.
    pub fn ignores_path(&self, path: &Path) -> bool {
        if self.ignore_paths.is_empty() {
            return false;
        }
        let full = absolute(path);
        let rel = full.strip_prefix(&self.base).ok();
        self.ignore_paths.iter().any(|p| {
            if Path::new(p.as_str()).is_absolute() {
                p.matches_path(&full)
            } else {
                rel.is_some_and(|r| p.matches_path(r))
            }
        })
    }
}

/// `path` made absolute against the working directory, with `.` and `..` resolved in the
/// text (not through the file system, so it works for paths that do not exist).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_and_is_the_one_the_readme_shows() {
        let c = Config::parse("c.toml", EXAMPLE, Path::new("")).unwrap();
        assert_eq!(c.fail_level, Some(Severity::Warning));
        assert!(c.ignores_sid("LegacyAllow"));
        assert!(c.ignores_path(Path::new("legacy/a.json")));
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
            .expect("README.md");
        let indented: String = EXAMPLE
            .lines()
            .map(|l| {
                if l.is_empty() {
                    "\n".to_string()
                } else {
                    format!("  {l}\n")
                }
            })
            .collect();
        assert!(
            readme.contains(&format!("  ```toml\n{indented}  ```\n")),
            "README.md's configuration example differs from config::EXAMPLE"
        );
    }

    #[test]
    fn parses_levels_ignores_and_reports_spans() {
        let text = "fail-level = \"warning\"\n[rules]\nPC036 = \"off\"\nwildcard-spans-segments = \"error\"\n[ignore]\npaths = [\"gen/**\"]\nsids = [\"Legacy*\"]\n";
        let c = Config::parse("c.toml", text, Path::new("")).unwrap();
        assert_eq!(c.fail_level, Some(Severity::Warning));
        assert_eq!(
            c.level(&crate::lint::resource::WILDCARD_IN_API_OR_STAGE),
            None
        );
        assert_eq!(
            c.level(&crate::lint::resource::WILDCARD_SPANS_SEGMENTS),
            Some(Severity::Error)
        );
        assert!(c.ignores_sid("LegacyAllow"));
        assert!(c.ignores_path(Path::new("gen/a/b.json")));
        assert!(!c.ignores_path(Path::new("src/b.json")));

        let bad = "[rules]\nPC999 = \"off\"\n";
        let e = Config::parse("c.toml", bad, Path::new("")).unwrap_err();
        assert_eq!(&bad[e.span.unwrap().range()], "PC999");
        let bad = "[rulez]\n";
        let e = Config::parse("c.toml", bad, Path::new("")).unwrap_err();
        assert!(e.message.contains("rulez"), "{}", e.message);
        assert!(e.span.is_some());
        let bad = "[rules]\nPC001 = \"loud\"\n";
        let e = Config::parse("c.toml", bad, Path::new("")).unwrap_err();
        assert!(e.span.is_some());
    }
}
