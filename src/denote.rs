//! What a policy Resource entry denotes, as sets of execute-api ARNs: whether it can match
//! any request at all, and whether every ARN one entry matches is matched by another. The
//! per-entry lints and the cross-statement lints both reason with this; it sits below
//! `lint`, next to [`arn`](crate::arn) and [`pattern`](crate::pattern), and builds no
//! message (the lints say why in words).

use crate::arn::ResourceFields;
use crate::pattern::Glob;

/// The HTTP verbs that appear in method ARNs.
pub(crate) const VERBS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
/// Known ARN partitions.
pub(crate) const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Field `i` of `f` when it is literal text to check for shape: not a wildcard pattern, and
/// not the absorbing last field of a short entry.
pub(crate) fn literal_field<'a>(f: &ResourceFields<'a>, i: usize) -> Option<&'a str> {
    let n = f.len();
    f.get(i)
        .copied()
        .filter(|v| !(v.contains(['*', '?']) || (i == n - 1 && n < 6)))
}

/// Whether `r` is shaped like a region (`us-east-1`, `us-gov-west-1`).
pub(crate) fn is_region(r: &str) -> bool {
    let mut parts = r.split('-');
    let Some(number) = parts.next_back() else {
        return false;
    };
    let words: Vec<&str> = parts.collect();
    words.len() >= 2
        && words[0].len() == 2
        && words
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// The partition a region belongs to, when it is not `aws`.
pub(crate) fn region_partition(r: &str) -> Option<&'static str> {
    [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-iso-", "aws-iso"),
        ("us-isob-", "aws-iso-b"),
    ]
    .iter()
    .find(|(prefix, _)| r.starts_with(prefix))
    .map(|(_, p)| *p)
}

/// Whether partition `p` can go with region `r` (an unknown partition is reported on its
/// own, not as a mismatch).
pub(crate) fn partition_fits_region(p: &str, r: &str) -> bool {
    match region_partition(r) {
        Some(want) => p == want,
        None => {
            p == "aws" || !PARTITIONS.contains(&p) || p.starts_with("aws-iso") || p == "aws-eusc"
        }
    }
}

/// For a short entry (fewer than six fields), the index of the field where its absorbing
/// last field can never fit: the text before its first wildcard must be how some ARN goes on
/// from that field (`arn:aws:execute-api:us-east-1:abc123/prod/GET/x/*` puts `abc123/…`
/// where the 12-digit account goes: a field is missing, and the entry matches nothing).
pub(crate) fn absorbed_misfit(f: &ResourceFields<'_>) -> Option<usize> {
    let n = f.len();
    if !(2..6).contains(&n) {
        return None;
    }
    let last = f[n - 1];
    let prefix = &last[..last.find(['*', '?']).unwrap_or(last.len())];
    let mut parts = prefix.split(':').peekable();
    let mut i = n - 1;
    while let Some(part) = parts.next() {
        if i >= 5 {
            return None;
        }
        let complete = parts.peek().is_some();
        let fits = match (i, complete) {
            (1, true) => PARTITIONS.contains(&part),
            (1, false) => PARTITIONS.iter().any(|p| p.starts_with(part)),
            (2, true) => part == "execute-api",
            (2, false) => "execute-api".starts_with(part),
            (3, true) => is_region(part),
            (3, false) => part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            (4, true) => is_account(part),
            _ => part.len() <= 12 && part.bytes().all(|b| b.is_ascii_digit()),
        };
        if !fits {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Whether `a` is an account id: 12 digits.
pub(crate) fn is_account(a: &str) -> bool {
    a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit())
}

/// The byte range of the first template placeholder (`{id}`, `<<stage>>`, `${region}`) in
/// an entry: literal text that never matches a real value.
pub(crate) fn placeholder(entry: &str) -> Option<(usize, usize)> {
    for (open, close) in [("{", "}"), ("<<", ">>"), ("${", "}")] {
        if let Some(a) = entry.find(open)
            && let Some(b) = entry[a..].find(close)
        {
            if open == "{" && entry[..a].ends_with('$') {
                continue;
            }
            return Some((a, b + close.len()));
        }
    }
    None
}

/// Whether the resource field `API/STAGE/ROUTE` of a six-field entry can match no method
/// ARN: too few segments, an empty API id or stage, a verb no method ARN has, or a verb
/// with no path after it.
pub(crate) fn route_is_dead(res: &str) -> bool {
    let mut segs = res.split('/');
    let (api, stage, verb, path) = (segs.next(), segs.next(), segs.next(), segs.next());
    let Some(verb) = verb else {
        return !res.ends_with('*') || api == Some("") || stage == Some("");
    };
    if api == Some("") || stage == Some("") {
        return true;
    }
    match path {
        // Only when a path follows: else it may be a WebSocket route key.
        Some(_) => !verb.contains(['*', '?']) && !VERBS.contains(&verb),
        None => VERBS.contains(&verb),
    }
}

/// Whether a Resource entry can match no request at all (its length aside). The same
/// answer as the error-level findings of the per-entry lints, without their messages.
pub(crate) fn is_dead(entry: &str) -> bool {
    if entry == "*" {
        return false;
    }
    if placeholder(entry).is_some() {
        return true;
    }
    let f = ResourceFields::split(entry);
    if f[0] != "arn" || !f.shape_ok() {
        return true;
    }
    if f.len() >= 3 && !(f.len() == 3 && f[2] == "*") && f[2] != "execute-api" {
        return true;
    }
    let partition = literal_field(&f, 1);
    if partition.is_some_and(|p| !PARTITIONS.contains(&p)) {
        return true;
    }
    if let Some(r) = literal_field(&f, 3)
        && (!is_region(r) || partition.is_some_and(|p| !partition_fits_region(p, r)))
    {
        return true;
    }
    if literal_field(&f, 4).is_some_and(|a| !is_account(a)) || absorbed_misfit(&f).is_some() {
        return true;
    }
    f.len() == 6 && route_is_dead(f[5])
}

/// Whether every ARN matched by entry `e` is matched by entry `d`. Conservative: `false`
/// when unsure, and for a `d` that matches nothing.
pub(crate) fn resource_subset(e: &str, d: &str) -> bool {
    if d == "*" || e == d {
        return true;
    }
    if e == "*" || is_dead(d) {
        return false;
    }
    subset_fields(e, d)
}

/// [`resource_subset`] for a `d` already known to be live.
pub(crate) fn subset_fields(e: &str, d: &str) -> bool {
    let mut work = crate::pattern::WORK_LIMIT;
    subset_split(&Split::new(e), &Split::new(d), &mut work)
}

/// A Resource entry split into ARN fields once, so that comparing it with thousands of
/// others allocates nothing.
pub(crate) struct Split<'a> {
    pub(crate) text: &'a str,
    fields: ResourceFields<'a>,
    /// The literal text before the first wildcard: every ARN it matches starts with it.
    pub(crate) prefix: &'a str,
}

impl<'a> Split<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Split {
            text,
            fields: ResourceFields::split(text),
            prefix: &text[..text.find(['*', '?']).unwrap_or(text.len())],
        }
    }

    /// The text from field `i` to the end (fields are separated by single colons).
    fn rest_from(&self, i: usize) -> &'a str {
        let start: usize = self.fields[..i].iter().map(|f| f.len() + 1).sum();
        &self.text[start..]
    }
}

/// [`subset_fields`] on split entries, spending automaton work from `work`.
pub(crate) fn subset_split(e: &Split<'_>, d: &Split<'_>, work: &mut usize) -> bool {
    if d.text == "*" || e.text == d.text {
        return true;
    }
    if e.text == "*" {
        return false;
    }
    let (ef, df) = (&e.fields, &d.fields);
    if ef.len() < 6 && !e.text.ends_with('*') {
        // e matches nothing; not worth a claim.
        return false;
    }
    let n = df.len();
    if n == 6 {
        ef.len() == 6
            && ef
                .iter()
                .zip(df.iter())
                .all(|(a, b)| glob_subset(a, b, work))
    } else {
        // d's last field ends in an absorbing `*` that also matches colons.
        ef.len() >= n
            && ef[..n - 1]
                .iter()
                .zip(df.iter())
                .all(|(a, b)| glob_subset(a, b, work))
            && glob_subset(e.rest_from(n - 1), df[n - 1], work)
    }
}

/// Whether every string matched by pattern `a` is matched by pattern `b`. Cheap checks
/// first (equal, literal, literal prefix and suffix); the automata only when they cannot
/// decide, with their work taken from `work` (out of budget: `false`, no claim).
pub(crate) fn glob_subset(a: &str, b: &str, work: &mut usize) -> bool {
    let wild = |s: &str| s.contains(['*', '?']);
    if a == b || b == "*" {
        return true;
    }
    if !wild(a) {
        return crate::pattern::matches(b, a);
    }
    if !wild(b) {
        return false;
    }
    // a's strings start with its literal prefix and can continue with anything after it
    // (a wildcard follows), so b's literal prefix must be a prefix of a's. Same at the end.
    let pre = |s: &str| s.find(['*', '?']).map_or(s.len(), |i| i);
    let suf = |s: &str| s.rfind(['*', '?']).map_or(0, |i| i + 1);
    if !a[..pre(a)].starts_with(&b[..pre(b)]) || !a[suf(a)..].ends_with(&b[suf(b)..]) {
        return false;
    }
    Glob::new(a)
        .subset_within(&Glob::new(b), work)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_fast_paths_agree_with_the_automata() {
        let pats = [
            "*", "a*", "a*b", "ab*", "*b", "a?b", "a/*/c", "a/b/*", "a/*", "abc", "?", "*/*",
        ];
        for a in pats {
            for b in pats {
                let slow = a == b || Glob::new(a).is_subset_of(&Glob::new(b));
                assert_eq!(
                    glob_subset(a, b, &mut crate::pattern::WORK_LIMIT.clone()),
                    slow,
                    "{a} ⊆ {b}"
                );
            }
        }
    }

    #[test]
    fn subset() {
        let a = "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/x";
        assert!(resource_subset(a, "*"));
        assert!(resource_subset(a, "arn:aws:execute-api:*"));
        assert!(resource_subset(a, "arn:aws:execute-api:*:*:abc/*"));
        assert!(resource_subset(
            a,
            "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/*"
        ));
        assert!(!resource_subset(
            a,
            "arn:aws:execute-api:us-east-1:123456789012:abc/prod/POST/*"
        ));
        assert!(!resource_subset("*", a));
        assert!(!resource_subset("arn:aws:execute-api:*", a));
        assert!(resource_subset(
            "arn:aws:execute-api:*:*:*/*",
            "arn:aws:execute-api:*"
        ));
        // A Resource with a colon in its path keeps it inside the last field.
        assert!(resource_subset(
            "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/a:b",
            "arn:aws:execute-api:us-east-1:*"
        ));
        assert!(!resource_subset(a, "arn:aws:execute-api:us-east-1:1:abc/*"));
    }

    #[test]
    fn regions_and_partitions() {
        assert!(is_region("us-east-1") && is_region("us-gov-west-1"));
        assert!(!is_region("false") && !is_region("us-east") && !is_region("US-east-1"));
        assert!(partition_fits_region("aws-cn", "cn-north-1"));
        assert!(!partition_fits_region("aws", "cn-north-1"));
        assert!(partition_fits_region("aws", "eu-west-1"));
        assert_eq!(placeholder("a/{id}/b"), Some((2, 4)));
        assert_eq!(placeholder("a/${x}"), Some((2, 4)));
        assert_eq!(placeholder("a/b"), None);
    }
}
