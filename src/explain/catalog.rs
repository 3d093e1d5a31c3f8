//! The cause catalog: which causes produce which response. The knowledge is data, in
//! `catalog.toml` beside this file (embedded at build time); this module only reads,
//! validates and matches it.
//!
//! An entry is keyed on any of: API type, who made the answer, status, `x-amzn-ErrorType`,
//! normalised messages (IAM-style `*` wildcards, anchored) and a JSON body compared by value.
//! Matching ranks entries in tiers, and only the best tier is kept:
//!
//! 1. the error type and the message (or the entry's only keys) agree;
//! 2. the message agrees, or every key of an entry keyed without a message does (status,
//!    who answered);
//! 3. the message only contains the entry's message, or is a piece of it (fuzzy);
//! 4. the error type agrees but the status or body does not: a customised gateway response
//!    (the catalog's `customised` cause is added).
//!
//! Within a tier, entries that agree on more keys come first, then catalog order.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::capture::{ApiType, MadeBy, Signature};
use crate::pattern::matches;

pub use crate::pipeline::Step;

/// How we know a cause (the tags of reference/pipeline.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tag {
    /// Documented by AWS.
    D,
    /// Observed on real AWS by a third party.
    O,
    /// Our inference.
    I,
}

impl Tag {
    /// The word for people.
    pub fn describe(self) -> &'static str {
        match self {
            Tag::D => "documented",
            Tag::O => "observed",
            Tag::I => "inferred",
        }
    }
}

/// The catalog file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Catalog {
    /// The cause added when a response has a known error type but a status or body that is
    /// not the default (placeholders: `{what}`, `{error_type}`, `{response_type}`).
    pub(crate) customised: CauseSpec,
    #[serde(rename = "entry")]
    pub(crate) entries: Vec<Entry>,
}

/// One response signature and its ranked causes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    pub(crate) id: String,
    /// A heading for the docs.
    pub(crate) summary: String,
    pub(crate) api_type: Option<ApiType>,
    pub(crate) made_by: Option<MadeBy>,
    pub(crate) status: Option<u16>,
    pub(crate) error_type: Option<String>,
    /// Normalised messages, `*` matching any run.
    #[serde(default)]
    pub(crate) messages: Vec<String>,
    /// Messages that exclude the entry even when one of `messages` matches.
    #[serde(default)]
    pub(crate) unless_messages: Vec<String>,
    /// A body compared as JSON (for bodies without a message string: `{"message": null}`).
    pub(crate) body: Option<String>,
    /// The gateway response type (REST) that renders this answer.
    pub(crate) gateway_response: Option<String>,
    pub(crate) causes: Vec<CauseSpec>,
}

/// A cause as written in the catalog.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CauseSpec {
    pub(crate) step: Step,
    pub(crate) source: Tag,
    pub(crate) title: String,
    pub(crate) fixes: Vec<String>,
    pub(crate) confirm: Vec<String>,
    /// Where the fact was read (docs only).
    #[serde(default)]
    pub(crate) evidence: Vec<String>,
}

/// The embedded catalog, parsed once.
pub(crate) fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        toml::from_str(include_str!("catalog.toml"))
            .expect("the embedded catalog parses (checked by catalog::tests)")
    })
}

/// Lower case, white space collapsed, trailing full stops dropped: the form catalog
/// messages are written in.
pub(crate) fn normalise(message: &str) -> String {
    let collapsed = message
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    collapsed.trim_end_matches('.').trim_end().to_string()
}

/// Match tiers, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tier {
    Exact,
    Signature,
    Fuzzy,
    Customised,
}

/// An entry that matched, and how.
#[derive(Debug)]
pub(crate) struct Hit<'a> {
    pub(crate) entry: &'a Entry,
    pub(crate) tier: Tier,
    score: u32,
    index: usize,
    /// For [`Tier::Customised`]: what is not the default ("status", "body", "status and body").
    pub(crate) customised: Option<&'static str>,
}

enum Msg {
    Exact,
    Contains,
    Mismatch,
    /// The capture has no message to compare.
    Unknown,
    /// The entry is not keyed on a message or body.
    NotKeyed,
}

impl Catalog {
    /// The entries of the best tier matching `sig` (and `body`, for body-keyed entries),
    /// most specific first.
    pub(crate) fn lookup(&self, sig: &Signature, body: Option<&str>) -> Vec<Hit<'_>> {
        let mut hits: Vec<Hit> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(index, entry)| classify(entry, sig, body, index))
            .collect();
        let Some(best) = hits.iter().map(|h| h.tier).min() else {
            return hits;
        };
        hits.retain(|h| h.tier == best);
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        hits
    }

    /// Problems in the catalog (an empty list when it is sound).
    #[cfg(test)]
    pub(crate) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for e in &self.entries {
            let at = &e.id;
            if !ids.insert(e.id.as_str()) {
                out.push(format!("{at}: duplicate id"));
            }
            if e.id.is_empty()
                || !e
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                out.push(format!(
                    "{at}: ids are lowercase, digits and `-` (they are anchors)"
                ));
            }
            // The API type alone would match every response of that type.
            let keyed = e.made_by.is_some()
                || e.status.is_some()
                || e.error_type.is_some()
                || !e.messages.is_empty()
                || e.body.is_some();
            if !keyed {
                out.push(format!("{at}: no key: it would match every response"));
            }
            if e.status.is_some_and(|s| !(100..=599).contains(&s)) {
                out.push(format!("{at}: status is not an HTTP status"));
            }
            for m in e.messages.iter().chain(&e.unless_messages) {
                if normalise(m) != *m {
                    out.push(format!(
                        "{at}: message `{m}` is not normalised (`{}`)",
                        normalise(m)
                    ));
                }
            }
            if let Some(b) = &e.body
                && serde_json::from_str::<Value>(b).is_err()
            {
                out.push(format!("{at}: body is not JSON"));
            }
            if e.error_type.is_some() && e.gateway_response.is_none() {
                out.push(format!(
                    "{at}: an entry with an error type names its gateway response type"
                ));
            }
            if e.causes.is_empty() {
                out.push(format!("{at}: no causes"));
            }
            for c in &e.causes {
                check_cause(&mut out, at, c);
            }
        }
        check_cause(&mut out, "customised", &self.customised);
        out
    }
}

#[cfg(test)]
fn check_cause(out: &mut Vec<String>, at: &str, c: &CauseSpec) {
    if c.title.trim().is_empty() {
        out.push(format!("{at}: a cause has no title"));
    }
    if c.fixes.is_empty() || c.confirm.is_empty() {
        out.push(format!(
            "{at}: cause `{}` needs at least one fix and one way to confirm",
            c.title
        ));
    }
    for s in std::iter::once(&c.title).chain(&c.fixes).chain(&c.confirm) {
        if s.trim().is_empty() || s.contains('\n') {
            out.push(format!(
                "{at}: cause `{}` has an empty or multi-line item",
                c.title
            ));
        }
    }
}

fn message_state(entry: &Entry, message: Option<&str>, body: Option<&str>) -> Msg {
    if entry.messages.is_empty() && entry.body.is_none() {
        return Msg::NotKeyed;
    }
    if let (Some(want), Some(got)) = (&entry.body, body)
        && let (Ok(want), Ok(got)) = (
            serde_json::from_str::<Value>(want),
            serde_json::from_str::<Value>(got.trim()),
        )
        && want == got
    {
        return Msg::Exact;
    }
    let Some(message) = message else {
        return if entry.messages.is_empty() && body.is_some() {
            Msg::Mismatch
        } else {
            Msg::Unknown
        };
    };
    let n = normalise(message);
    if entry.unless_messages.iter().any(|u| matches(u, &n)) {
        return Msg::Mismatch;
    }
    if entry.messages.iter().any(|p| matches(p, &n)) {
        return Msg::Exact;
    }
    // Fuzzy: the message holds the entry's, or is a long enough piece of it.
    let holds = entry
        .messages
        .iter()
        .any(|p| matches(&format!("*{p}*"), &n));
    let piece = n.chars().count() >= 12
        && entry
            .messages
            .iter()
            .any(|p| p.split('*').any(|lit| lit.contains(&n)));
    if holds || piece {
        Msg::Contains
    } else {
        Msg::Mismatch
    }
}

fn classify<'a>(
    entry: &'a Entry,
    sig: &Signature,
    body: Option<&str>,
    index: usize,
) -> Option<Hit<'a>> {
    let mut score = 0;
    if let (Some(e), Some(c)) = (entry.api_type, sig.api_type) {
        if e != c {
            return None;
        }
        score += 1;
    }
    let made_by_hit = match entry.made_by {
        Some(m) if sig.made_by == m => true,
        // CloudFront's page pasted as a body alone is still recognised by the body.
        Some(MadeBy::CloudFront) if sig.made_by == MadeBy::Unknown => false,
        Some(_) => return None,
        None if sig.made_by == MadeBy::CloudFront => return None,
        None => false,
    };
    if made_by_hit {
        score += 4;
    }
    let error_type_hit = match (&entry.error_type, &sig.error_type) {
        (Some(e), Some(c)) if e.eq_ignore_ascii_case(c) => true,
        (Some(_), Some(_)) => return None,
        _ => false,
    };
    if error_type_hit {
        score += 3;
    }
    let mut status_changed = false;
    let status_hit = match (entry.status, sig.status) {
        (Some(e), Some(c)) if e == c => true,
        (Some(_), Some(_)) if error_type_hit => {
            status_changed = true;
            false
        }
        (Some(_), Some(_)) => return None,
        _ => false,
    };
    if status_hit {
        score += 1;
    }
    let msg = message_state(entry, sig.message.as_deref(), body);
    if matches!(msg, Msg::Exact) {
        score += 2;
    }
    let tier = if error_type_hit {
        match msg {
            Msg::Exact | Msg::NotKeyed | Msg::Unknown if !status_changed => Tier::Exact,
            _ => Tier::Customised,
        }
    } else {
        match msg {
            Msg::Exact => Tier::Signature,
            Msg::NotKeyed => {
                // Every key the entry has must be seen in the response.
                let all = entry.error_type.is_none()
                    && (entry.status.is_none() || status_hit)
                    && (entry.made_by.is_none() || made_by_hit);
                if !all {
                    return None;
                }
                Tier::Signature
            }
            Msg::Contains => Tier::Fuzzy,
            Msg::Unknown | Msg::Mismatch => return None,
        }
    };
    let customised = (tier == Tier::Customised).then(|| {
        let body_differs = !matches!(msg, Msg::Exact | Msg::NotKeyed | Msg::Unknown);
        match (status_changed, body_differs) {
            (true, true) => "status and body",
            (true, false) => "status",
            _ => "body",
        }
    });
    Some(Hit {
        entry,
        tier,
        score,
        index,
        customised,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_embedded_catalog_is_sound() {
        let problems = catalog().problems();
        assert!(
            problems.is_empty(),
            "catalog.toml:\n{}",
            problems.join("\n")
        );
    }

    #[test]
    fn every_step_is_used_by_some_cause() {
        let used: HashSet<Step> = catalog()
            .entries
            .iter()
            .flat_map(|e| e.causes.iter().map(|c| c.step))
            .collect();
        for s in Step::ALL {
            assert!(used.contains(&s), "no cause in step {s}");
        }
    }

    #[test]
    fn normalise_collapses_case_space_and_full_stops() {
        assert_eq!(
            normalise("  User is not\n authorized.  "),
            "user is not authorized"
        );
    }

    #[test]
    fn step_names_match_serde() {
        for s in Step::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.name());
        }
    }
}
