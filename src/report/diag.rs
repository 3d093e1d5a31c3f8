//! One diagnostic type for everything the tool explains: a message, a code, a severity,
//! labelled spans into the input, a help line and a docs URL. Renderers turn it into text.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, NamedSource, Severity, SourceCode};

use super::text::escape_keep_lines;
use crate::span::Span;

/// A labelled explanation of one thing. Its texts are built around values decoded from the
/// user's files, so control characters in them are escaped on the way in.
#[derive(Debug, Clone)]
pub struct Diag {
    /// The headline.
    pub message: String,
    /// A stable code such as `policy_check::explicit_deny`.
    pub code: String,
    /// Error, warning or advice.
    pub severity: Severity,
    /// How to fix it, if there is something to fix.
    pub help: Option<String>,
    /// Labels: the first primary one gives the header position.
    pub labels: Vec<(Span, String, bool)>,
    /// Where to read more: a command that works anywhere (`see: policy-check rule PC033`).
    pub url: Option<String>,
    source: Option<NamedSource<crate::source::SourceText>>,
}

impl Diag {
    /// A new diagnostic over `source`.
    pub fn new(
        severity: Severity,
        code: impl Into<String>,
        message: impl Into<String>,
        source: Option<NamedSource<crate::source::SourceText>>,
    ) -> Diag {
        Diag {
            message: escape_keep_lines(&message.into()).into_owned(),
            code: code.into(),
            severity,
            help: None,
            labels: Vec::new(),
            url: None,
            source,
        }
    }

    /// Adds the primary label.
    pub fn primary(mut self, span: Span, label: impl Into<String>) -> Diag {
        self.labels
            .push((span, escape_keep_lines(&label.into()).into_owned(), true));
        self
    }

    /// Adds a secondary label.
    pub fn label(mut self, span: Span, label: impl Into<String>) -> Diag {
        self.labels
            .push((span, escape_keep_lines(&label.into()).into_owned(), false));
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Diag {
        self.help = Some(escape_keep_lines(&help.into()).into_owned());
        self
    }

    /// The same diagnostic over another text, with every label moved by `map`; `None` if
    /// some label has no counterpart there.
    pub fn moved(
        &self,
        source: NamedSource<crate::source::SourceText>,
        map: impl Fn(Span) -> Option<Span>,
    ) -> Option<Diag> {
        let labels = self
            .labels
            .iter()
            .map(|(s, l, p)| map(*s).map(|m| (m, l.clone(), *p)))
            .collect::<Option<Vec<_>>>()?;
        Some(Diag {
            labels,
            source: Some(source),
            ..self.clone()
        })
    }

    /// Every label cut to its first line when it covers more than a few lines of `text`:
    /// a label over a whole `Statement` list of thousands would print all of it.
    pub fn clip_labels(mut self, text: &str) -> Diag {
        const LINES: usize = 4;
        for (span, _, _) in &mut self.labels {
            if let Some(covered) = text.get(span.range())
                && covered.matches('\n').count() > LINES
            {
                *span = Span::new(span.offset(), covered.find('\n').unwrap_or(covered.len()));
            }
        }
        self
    }

    /// Sets where to read more.
    pub fn with_url(mut self, url: impl Into<String>) -> Diag {
        self.url = Some(url.into());
        self
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() || self.source.is_none() {
            return None;
        }
        Some(Box::new(self.labels.iter().map(|(span, text, primary)| {
            if *primary {
                LabeledSpan::new_primary_with_span(Some(text.clone()), *span)
            } else {
                LabeledSpan::new_with_span(Some(text.clone()), *span)
            }
        })))
    }
}

/// How to draw diagnostics as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Wrap width.
    pub width: usize,
}

impl Default for Style {
    /// No colour, 100 columns: stable for tests and logs.
    fn default() -> Self {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// Renders any miette diagnostic to a string, deterministically for a given style (no
/// terminal probing, no hyperlink escapes: the URL is printed as text).
pub fn render(d: &dyn Diagnostic, style: Style) -> String {
    let theme = if style.color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(style.width)
        .with_context_lines(super::elide::CONTEXT_LINES)
        // An ARN or a Resource string in a help line stays whole, so it can be copied.
        .with_break_words(false)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace);
    // Bounded whatever the input: few labels, long lines cut to windows around them.
    let shown = super::elide::Elided::new(d);
    let mut out = String::new();
    if handler.render_report(&mut out, &shown).is_err() {
        // Only a source that cannot hand over its lines gets here: say what is wrong without
        // them rather than fail.
        out.clear();
        let _ = handler.render_report(&mut out, &shown.without_source());
    }
    out
}
