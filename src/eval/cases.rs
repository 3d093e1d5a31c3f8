//! Reasoning over unpinned ARN parts.
//!
//! Each Resource entry is solved against the request ARN with holes for the unknown parts
//! ([`crate::pattern::solve`]), giving the constraints (wildcard patterns) on each part under
//! which the entry matches. The patterns that occur for a part cut its values into regions
//! ([`crate::pattern::atoms`]); within one region every entry either always or never matches,
//! so deciding one combination of regions decides every request in it. Combinations with
//! the same decision are then merged, part by part, into a few readable cases that together
//! cover every value.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::TooIntricate;
use super::{
    Applies, Deciding, Decision, Evaluation, NearestMiss, Reason, StatementTrace, covers_invoke,
    decide,
};
use crate::arn::{self, MethodArn, Part, ResourceFields};
use crate::authorizer::{Effect, Statement};
use crate::pattern::{self, Atom, DEFAULT_LIMIT, Domain, Glob};
use crate::request::Request;

/// How many combinations of regions we are willing to decide one by one.
const MAX_COMBINATIONS: usize = 100_000;
/// How many (combination, way of matching) checks one evaluation may make.
const MAX_CHECKS: usize = 5_000_000;

/// One region of a part's values: those matching every pattern in `matches` and none in
/// `not_matching`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    /// Patterns the values match.
    pub matches: Vec<String>,
    /// Patterns the values do not match.
    pub not_matching: Vec<String>,
}

/// The constraint a case puts on one unpinned part: its value lies in one of the regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartConstraint {
    /// The part.
    pub part: Part,
    /// In words: "stage is `prod`", "region matches `us-*` but not `us-east-1`".
    pub description: String,
    /// The regions the value may lie in.
    pub any_of: Vec<Region>,
}

/// The decision for one set of values of the unpinned parts. Cases are disjoint and together
/// cover every value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// The decision there.
    pub decision: Decision,
    /// Constraints on the parts; a part not listed may take any value.
    pub when: Vec<PartConstraint>,
    /// One concrete value per unpinned part, from this case.
    #[serde(serialize_with = "example_map")]
    pub example: Vec<(Part, String)>,
    /// The statements that decide in this case (its example's).
    pub deciding: Vec<usize>,
}

fn example_map<S: serde::Serializer>(v: &[(Part, String)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(v.len()))?;
    for (p, value) in v {
        m.serialize_entry(p, value)?;
    }
    m.end()
}

impl Case {
    /// The constraints in words, joined with "and"; "any value" when unconstrained.
    pub fn describe(&self) -> String {
        if self.when.is_empty() {
            return "any value of the unpinned parts".to_string();
        }
        self.when
            .iter()
            .map(|c| c.description.clone())
            .collect::<Vec<_>>()
            .join(" and ")
    }
}

/// A statement's Resource entries as constraints: per entry, the ways it matches, each a list
/// of (part, pattern id) that must all hold.
type Ways = Vec<Vec<(usize, usize)>>;

/// The decision for one combination of values of the unpinned parts.
struct Outcome {
    /// The region index of each unpinned part.
    combo: Vec<usize>,
    /// The decision there.
    decision: Decision,
    /// The decision with conditional statements left out.
    without_conditions: Decision,
    /// Which statements apply there (by index).
    applying: Vec<bool>,
}

/// The search over every combination of values of the unpinned parts.
struct UnpinnedSearch<'a> {
    statements: &'a [Statement],
    /// For each statement: `None` if its Action never covers Invoke, else the entries that
    /// can match somewhere, by index, with their `Ways`. Sparse because most entries of a
    /// large policy name another API and cannot match at all: a dense list per statement
    /// cost 12 MB on a 100,000-statement policy.
    entries: Vec<Option<Vec<(usize, Ways)>>>,
    /// Per part: the distinct patterns that occur.
    globs: [Vec<Glob>; 5],
    /// Per unpinned part: its regions.
    atoms: Vec<(Part, Vec<Atom>)>,
}

pub(super) fn unpinned(
    statements: &[Statement],
    request: &Request,
    e: &mut Evaluation,
) -> Result<(), TooIntricate> {
    let template = request.template();
    let every_part = || TooIntricate {
        parts: request.unpinned(),
    };
    // One budget for solving every entry, so that many long entries stay prompt too.
    let mut work = pattern::WORK_LIMIT;
    let mut globs: [Interned; 5] = Default::default();
    let mut entries = Vec::with_capacity(statements.len());
    // Each combination checks every way every entry can match (an entry that cannot
    // match counts once): bounded below, with the number of combinations.
    let mut ways_total: usize = 0;
    for s in statements {
        if !covers_invoke(&s.action) {
            entries.push(None);
            continue;
        }
        let mut per_entry: Vec<(usize, Ways)> = Vec::new();
        for (i, r) in s.resource.entries.iter().enumerate() {
            let ways = template
                .constraints(&r.value, &mut work)
                .map_err(|_| every_part())?;
            ways_total = ways_total.saturating_add(ways.len().max(1));
            if ways.is_empty() {
                continue;
            }
            per_entry.push((
                i,
                ways.into_iter()
                    .map(|assignment| {
                        assignment
                            .into_iter()
                            .map(|(part, glob)| (part, globs[part].intern(glob)))
                            .collect()
                    })
                    .collect(),
            ));
        }
        entries.push(Some(per_entry));
    }
    let globs = globs.map(|g| g.list);
    let mut atoms = Vec::new();
    let mut combos: usize = 1;
    for part in request.unpinned() {
        let a = pattern::atoms(&globs[part.index()], &Domain::arn_part(), DEFAULT_LIMIT)
            .map_err(|_| TooIntricate { parts: vec![part] })?;
        combos = combos.saturating_mul(a.len());
        atoms.push((part, a));
    }
    if combos > MAX_COMBINATIONS || combos.saturating_mul(ways_total) > MAX_CHECKS {
        return Err(every_part());
    }
    let p = UnpinnedSearch {
        statements,
        entries,
        globs,
        atoms,
    };
    p.solve(request, e);
    Ok(())
}

/// The distinct patterns of one part, numbered in order of first occurrence (a map, as
/// there can be a hundred thousand of them).
#[derive(Default)]
struct Interned {
    list: Vec<Glob>,
    ids: HashMap<Glob, usize>,
}

impl Interned {
    fn intern(&mut self, g: Glob) -> usize {
        if let Some(&i) = self.ids.get(&g) {
            return i;
        }
        self.list.push(g.clone());
        self.ids.insert(g, self.list.len() - 1);
        self.list.len() - 1
    }
}

impl UnpinnedSearch<'_> {
    /// The region index of each unpinned part, for combination number `n`.
    fn combo(&self, mut n: usize) -> Vec<usize> {
        self.atoms
            .iter()
            .map(|(_, a)| {
                let i = n % a.len();
                n /= a.len();
                i
            })
            .collect()
    }

    fn count(&self) -> usize {
        self.atoms.iter().map(|(_, a)| a.len()).product()
    }

    /// Whether Resource entry `r` of statement `s` matches in combination `c`.
    fn entry_matches(&self, ways: &Ways, c: &[usize]) -> bool {
        ways.iter().any(|w| {
            w.iter().all(|&(part, g)| {
                let k = self
                    .atoms
                    .iter()
                    .position(|(p, _)| p.index() == part)
                    .expect("constraints only name unpinned parts");
                self.atoms[k].1[c[k]].member[g]
            })
        })
    }

    /// Matching entries of statement `s` in combination `c`, and whether it applies.
    fn applies(&self, s: usize, c: &[usize]) -> (bool, Vec<usize>) {
        let Some(entries) = &self.entries[s] else {
            return (false, Vec::new());
        };
        let matched: Vec<usize> = entries
            .iter()
            .filter(|(_, w)| self.entry_matches(w, c))
            .map(|&(i, _)| i)
            .collect();
        let negated = self.statements[s].resource.negated;
        (matched.is_empty() == negated, matched)
    }

    fn solve(&self, request: &Request, e: &mut Evaluation) {
        let n = self.statements.len();
        let total = self.count();
        let mut results: Vec<Outcome> = Vec::with_capacity(total);
        let mut always = vec![true; n];
        let mut ever = vec![false; n];
        for k in 0..total {
            let c = self.combo(k);
            let applying: Vec<bool> = (0..n).map(|s| self.applies(s, &c).0).collect();
            for s in 0..n {
                always[s] &= applying[s];
                ever[s] |= applying[s];
            }
            let d = decide(self.statements, |i| applying[i]);
            let without = decide(self.statements, |i| {
                applying[i] && self.statements[i].condition.is_none()
            });
            results.push(Outcome {
                combo: c,
                decision: d,
                without_conditions: without,
                applying,
            });
        }
        e.trace = self
            .statements
            .iter()
            .map(|s| self.trace(s, always[s.index], ever[s.index]))
            .collect();
        let first = results[0].decision;
        let uniform = results.iter().all(|r| r.decision == first);
        let first_without = results[0].without_conditions;
        let uniform_without = results
            .iter()
            .all(|r| r.without_conditions == first_without);
        if uniform {
            e.decision = first;
            e.deciding = self.deciding_overall(first, &results);
            if first == Decision::ImplicitDeny {
                fill_nearest(self.statements, request, e);
            }
        } else {
            e.decision = Decision::Depends;
            e.cases = self.cases(&results);
            let mut parts: BTreeSet<Part> = BTreeSet::new();
            for c in &e.cases {
                parts.extend(c.when.iter().map(|w| w.part));
            }
            e.depends_on = parts.into_iter().collect();
        }
        let without = if uniform_without {
            first_without
        } else {
            Decision::Depends
        };
        if !e.conditional.is_empty() && without != e.decision {
            e.without_conditions = Some(without);
        }
    }

    fn effect_for(d: Decision) -> Option<Effect> {
        match d {
            Decision::Allow => Some(Effect::Allow),
            Decision::ExplicitDeny => Some(Effect::Deny),
            _ => None,
        }
    }

    fn deciding_in(&self, d: Decision, c: &[usize], applying: &[bool]) -> Vec<Deciding> {
        let Some(effect) = Self::effect_for(d) else {
            return Vec::new();
        };
        self.statements
            .iter()
            .filter(|s| applying[s.index] && s.effect.value == effect)
            .map(|s| Deciding {
                statement: s.index,
                resource: if s.resource.negated {
                    None
                } else {
                    self.applies(s.index, c).1.first().copied()
                },
            })
            .collect()
    }

    /// For a uniform decision: statements of the deciding effect that apply everywhere, or
    /// failing that (several statements sharing the work), those of the first combination.
    fn deciding_overall(&self, d: Decision, results: &[Outcome]) -> Vec<Deciding> {
        let everywhere: Vec<bool> = (0..self.statements.len())
            .map(|s| results.iter().all(|r| r.applying[s]))
            .collect();
        let found = self.deciding_in(d, &results[0].combo, &everywhere);
        if found.is_empty() {
            self.deciding_in(d, &results[0].combo, &results[0].applying)
        } else {
            found
        }
    }

    fn trace(&self, s: &Statement, always: bool, ever: bool) -> StatementTrace {
        let applies = match (always, ever) {
            (true, _) => Applies::Yes,
            (false, false) => Applies::No,
            (false, true) => Applies::Depends,
        };
        let reason = match applies {
            Applies::Depends => Reason::DependsOnUnpinned,
            Applies::Yes => Reason::Matches {
                resources: if s.resource.negated {
                    Vec::new()
                } else {
                    let c = self.combo(0);
                    self.applies(s.index, &c).1
                },
            },
            Applies::No if self.entries[s.index].is_none() => Reason::ActionDoesNotCoverInvoke,
            Applies::No if s.resource.negated => Reason::ExcludedByNotResource {
                resource: self.entries[s.index]
                    .iter()
                    .flatten()
                    .find(|(_, w)| (0..self.count()).all(|k| self.entry_matches(w, &self.combo(k))))
                    .map_or(0, |&(i, _)| i),
            },
            Applies::No => Reason::NoResourceMatches { nearest: None },
        };
        StatementTrace {
            index: s.index,
            applies,
            reason,
        }
    }

    fn cases(&self, results: &[Outcome]) -> Vec<Case> {
        // Rectangles: per unpinned part a set of regions, and the decision.
        let mut rects: Vec<(Vec<BTreeSet<usize>>, Decision)> = results
            .iter()
            .map(|r| {
                let sets = r.combo.iter().map(|&i| BTreeSet::from([i])).collect();
                (sets, r.decision)
            })
            .collect();
        // Merge along one part at a time until nothing changes: rectangles that agree on
        // every other part and on the decision become one.
        loop {
            let before = rects.len();
            for v in 0..self.atoms.len() {
                let mut groups: HashMap<(Vec<BTreeSet<usize>>, Decision), BTreeSet<usize>> =
                    HashMap::new();
                let mut order = Vec::new();
                for (sets, d) in rects.drain(..) {
                    let mut key_sets = sets.clone();
                    key_sets[v] = BTreeSet::new();
                    let key = (key_sets, d);
                    if !groups.contains_key(&key) {
                        order.push(key.clone());
                    }
                    groups
                        .entry(key)
                        .or_default()
                        .extend(sets[v].iter().copied());
                }
                for key in order {
                    let mut sets = key.0.clone();
                    sets[v] = groups.remove(&key).unwrap_or_default();
                    rects.push((sets, key.1));
                }
            }
            if rects.len() == before {
                break;
            }
        }
        rects.sort_by_key(|(_, d)| *d);
        rects
            .into_iter()
            .map(|(sets, decision)| {
                let example_combo: Vec<usize> = sets
                    .iter()
                    .map(|s| *s.iter().next().expect("non-empty"))
                    .collect();
                let applying = &results
                    .iter()
                    .find(|r| r.combo == example_combo)
                    .expect("every combination was decided")
                    .applying;
                let when = sets
                    .iter()
                    .enumerate()
                    .filter(|(v, s)| s.len() < self.atoms[*v].1.len())
                    .map(|(v, s)| self.constraint(v, s))
                    .collect();
                let example = self
                    .atoms
                    .iter()
                    .zip(&example_combo)
                    .map(|((p, a), &i)| (*p, a[i].witness.clone()))
                    .collect();
                Case {
                    decision,
                    when,
                    example,
                    deciding: self
                        .deciding_in(decision, &example_combo, applying)
                        .iter()
                        .map(|d| d.statement)
                        .collect(),
                }
            })
            .collect()
    }

    fn constraint(&self, v: usize, set: &BTreeSet<usize>) -> PartConstraint {
        let (part, atoms) = &self.atoms[v];
        let globs = &self.globs[part.index()];
        PartConstraint {
            part: *part,
            description: describe(*part, globs, atoms, set),
            any_of: set
                .iter()
                .map(|&i| region(globs, atoms, &atoms[i]))
                .collect(),
        }
    }
}

/// A region in words: the patterns its values match, and those they do not match among
/// the ones that could (a pattern no value of the matched ones can reach is left out, as
/// its "not" says nothing; the regions themselves tell exactly which those are).
fn region(globs: &[Glob], atoms: &[Atom], a: &Atom) -> Region {
    let positives: Vec<usize> = (0..globs.len()).filter(|&g| a.member[g]).collect();
    let mut relevant = vec![false; globs.len()];
    for b in atoms {
        if positives.iter().all(|&g| b.member[g]) {
            for (g, r) in relevant.iter_mut().enumerate() {
                *r |= b.member[g] && !a.member[g];
            }
        }
    }
    Region {
        matches: positives.iter().map(|&g| globs[g].to_string()).collect(),
        not_matching: (0..globs.len())
            .filter(|&g| relevant[g])
            .map(|g| globs[g].to_string())
            .collect(),
    }
}

fn quote(g: &Glob) -> String {
    format!("`{g}`")
}

/// At most a handful of patterns in a sentence; the JSON `any_of` keeps them all.
fn quote_list(globs: &[&Glob]) -> String {
    const SHOWN: usize = 4;
    let mut words: Vec<String> = globs.iter().take(SHOWN).map(|g| quote(g)).collect();
    if globs.len() > SHOWN {
        words.push(format!("{} more", globs.len() - SHOWN));
    }
    words.join(", ")
}

fn is_or_matches(g: &Glob, negative: bool) -> String {
    match (g.is_literal(), negative) {
        (true, false) => format!("is {}", quote(g)),
        (true, true) => format!("is not {}", quote(g)),
        (false, false) => format!("matches {}", quote(g)),
        (false, true) => format!("does not match {}", quote(g)),
    }
}

/// Words for "the value of `part` lies in these regions", preferring the simplest form that
/// is exactly right.
fn describe(part: Part, globs: &[Glob], atoms: &[Atom], set: &BTreeSet<usize>) -> String {
    let selected = |f: &dyn Fn(&Atom) -> bool| -> BTreeSet<usize> {
        (0..atoms.len()).filter(|&i| f(&atoms[i])).collect()
    };
    for (g, glob) in globs.iter().enumerate() {
        if selected(&|a| a.member[g]) == *set {
            return format!("{part} {}", is_or_matches(glob, false));
        }
        if selected(&|a| !a.member[g]) == *set {
            return format!("{part} {}", is_or_matches(glob, true));
        }
    }
    let all: Vec<&Glob> = globs.iter().collect();
    if selected(&|a| a.member.iter().all(|m| !m)) == *set {
        return format!("{part} is none of {}", quote_list(&all));
    }
    if selected(&|a| a.member.iter().any(|m| *m)) == *set {
        return format!("{part} matches one of {}", quote_list(&all));
    }
    if set.len() > 8 {
        return format!(
            "{part} lies in one of {} regions (see the JSON `any_of`)",
            set.len()
        );
    }
    let alternatives: Vec<String> = set
        .iter()
        .map(|&i| {
            let a = &atoms[i];
            let pos: Vec<String> = (0..globs.len())
                .filter(|&g| a.member[g])
                .map(|g| quote(&globs[g]))
                .collect();
            let neg: Vec<String> = (0..globs.len())
                .filter(|&g| !a.member[g])
                .map(|g| quote(&globs[g]))
                .collect();
            match (pos.is_empty(), neg.is_empty()) {
                (true, _) => format!("matches none of {}", neg.join(", ")),
                (false, true) => format!("matches {}", pos.join(" and ")),
                (false, false) => {
                    format!("matches {} but not {}", pos.join(" and "), neg.join(", "))
                }
            }
        })
        .collect();
    format!("{part} {}", alternatives.join(", or "))
}

/// Nearest misses for an implicit deny, against an ARN filled from each entry (see
/// [`filled_from`]).
fn fill_nearest(statements: &[Statement], request: &Request, e: &mut Evaluation) {
    for t in &mut e.trace {
        if let Reason::NoResourceMatches { nearest } = &mut t.reason {
            *nearest = statements[t.index]
                .resource
                .entries
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    let arn = filled_from(&r.value, request);
                    arn::explain_miss(&r.value, &arn).map(|miss| NearestMiss { resource: i, miss })
                })
                .min_by_key(|n| std::cmp::Reverse(n.miss.score))
                .map(Box::new);
        }
    }
}

/// A concrete ARN for explaining a miss: unpinned parts take the entry's own value there
/// (when it is a plausible value), so the explanation names a part the user did pin.
fn filled_from(resource: &str, request: &Request) -> MethodArn {
    let rf = ResourceFields::split(resource);
    let res: Vec<&str> = rf.get(5).map_or(Vec::new(), |r| r.split('/').collect());
    let candidate = |p: Part| -> Option<&str> {
        let v = match p {
            Part::Partition => rf.get(1).copied(),
            Part::Region => rf.get(3).copied(),
            Part::Account => rf.get(4).copied(),
            Part::ApiId => res.first().copied(),
            Part::Stage => res.get(1).copied(),
        }?;
        (!v.is_empty()).then_some(v)
    };
    let value = |p: Part| -> String {
        request
            .get(p)
            .or_else(|| candidate(p))
            .unwrap_or("x")
            .to_string()
    };
    MethodArn {
        partition: value(Part::Partition),
        region: value(Part::Region),
        account: value(Part::Account),
        api_id: value(Part::ApiId),
        stage: value(Part::Stage),
        route: request.route().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::{Decision, evaluate};
    use crate::pattern::matches;
    use crate::{Checked, Part, Request};
    use proptest::prelude::*;

    fn policy(statements: &[(bool, String)]) -> String {
        let body: Vec<String> = statements
            .iter()
            .map(|(deny, stage)| {
                format!(
                    r#"{{"Effect":"{}","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:1:a/{stage}"}}"#,
                    if *deny { "Deny" } else { "Allow" }
                )
            })
            .collect();
        format!(r#"{{"Statement":[{}]}}"#, body.join(","))
    }

    fn base() -> Request {
        Request::new("GET", "/x")
            .partition("aws")
            .region("us-east-1")
            .account("1")
            .api_id("a")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// The cases partition the stage values exactly: each concrete stage lies in one case,
        /// whose decision is what evaluating with that stage pinned gives.
        #[test]
        fn cases_agree_with_pinned_evaluation(
            statements in proptest::collection::vec((any::<bool>(), "[ab*?]{0,3}(/GET/x|/\\*|\\*)?"), 1..4),
            stages in proptest::collection::vec("[ab]{1,4}", 1..6),
        ) {
            let checked = Checked::from_str("p.json", &policy(&statements)).unwrap();
            let open = evaluate(&checked.authorizer, &base()).unwrap();
            for stage in &stages {
                let pinned = evaluate(&checked.authorizer, &base().stage(stage)).unwrap().decision;
                if open.decision != Decision::Depends {
                    prop_assert_eq!(open.decision, pinned, "stage {}", stage);
                    continue;
                }
                let holding: Vec<Decision> = open
                    .cases
                    .iter()
                    .filter(|c| {
                        c.when.iter().all(|w| {
                            w.part == Part::Stage
                                && w.any_of.iter().any(|r| {
                                    r.matches.iter().all(|g| matches(g, stage))
                                        && !r.not_matching.iter().any(|g| matches(g, stage))
                                })
                        })
                    })
                    .map(|c| c.decision)
                    .collect();
                prop_assert_eq!(holding, vec![pinned], "stage {}", stage);
            }
        }
    }
}
