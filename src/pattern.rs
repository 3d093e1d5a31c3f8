//! IAM wildcard patterns: `*` matches any run of characters (none included), `?` exactly
//! one Unicode scalar value, and every other character, `[`, `{`, `\` and `.` among them,
//! is literal.
//!
//! Written here because no crate has these semantics: `glob::Pattern` and `globset` give
//! `[`, `{` and `\` meanings IAM does not, and building a regex from policy text invites both
//! those bugs and injection. Three tools live here:
//!
//! * [`matches()`]: one pattern against one string, anchored, in time close to linear (no
//!   backtracking beyond the greedy leftmost placement of each `*`-separated piece);
//! * [`Glob`] with [`atoms`]: the patterns as small automata, explored together to find
//!   which Boolean combinations of them some string realises. That answers intersection and
//!   inclusion ([`Glob::intersects`], [`Glob::is_subset_of`]) and lets the evaluator reason
//!   about ARN parts the user did not pin;
//! * [`solve`]: which values of the unknown holes of a text make a pattern match it.

use std::collections::{HashMap, VecDeque};
use std::fmt;

/// Whether `pattern` matches the whole of `text` under IAM wildcard rules.
///
/// ```
/// use policy_check::pattern::matches;
/// assert!(matches("abc/*/GET/*", "abc/prod/GET/things/42"));
/// assert!(matches("*", ""));
/// assert!(matches("GET/thing?", "GET/things"));
/// assert!(!matches("GET/things", "GET/things/"));   // anchored, nothing trimmed
/// assert!(matches("GET/[id]", "GET/[id]"));         // brackets are literal
/// assert!(!matches("GET/{id}", "GET/42"));          // so are braces
/// ```
pub fn matches(pattern: &str, text: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return pattern == text;
    }
    // pattern = first * middle… * last, without collecting the pieces (this runs once per
    // Resource entry, so it must not allocate).
    let Some((head, last)) = pattern.rsplit_once('*') else {
        // No star at all: only `?`s, so lengths must agree exactly.
        return match_at(pattern, text) == Some(text.len());
    };
    let (first, middle) = head.split_once('*').unwrap_or((head, ""));
    let Some(start) = match_at(first, text) else {
        return false;
    };
    let mut rest = &text[start..];
    // The last piece is anchored at the end; take it off before placing the middle ones.
    let need = last.chars().count();
    let Some(tail) = nth_char_from_end(rest, need) else {
        return false;
    };
    if match_at(last, &rest[tail..]) != Some(rest.len() - tail) {
        return false;
    }
    rest = &rest[..tail];
    // Leftmost placement of each middle piece is optimal: any match can slide its pieces
    // left without breaking, so greedy search never needs to backtrack.
    if head.contains('*') {
        for piece in middle.split('*').filter(|p| !p.is_empty()) {
            match find(piece, rest) {
                Some(end) => rest = &rest[end..],
                None => return false,
            }
        }
    }
    true
}

/// Byte index where the last `n` characters of `s` start, if it has that many.
fn nth_char_from_end(s: &str, n: usize) -> Option<usize> {
    if n == 0 {
        return Some(s.len());
    }
    s.char_indices().rev().nth(n - 1).map(|(i, _)| i)
}

/// If the star-free `piece` (literal characters and `?`) matches a prefix of `text`,
/// the byte length of that prefix.
fn match_at(piece: &str, text: &str) -> Option<usize> {
    if !piece.contains('?') {
        return text.starts_with(piece).then_some(piece.len());
    }
    let mut chars = text.char_indices();
    for p in piece.chars() {
        let (_, t) = chars.next()?;
        if p != '?' && p != t {
            return None;
        }
    }
    Some(chars.next().map_or(text.len(), |(i, _)| i))
}

/// Leftmost occurrence of the star-free `piece` in `text`: the byte index just past it.
fn find(piece: &str, text: &str) -> Option<usize> {
    if !piece.contains('?') {
        // std's substring search is Two-Way: linear, whatever the input.
        return text.find(piece).map(|i| i + piece.len());
    }
    shift_and(piece, text)
}

/// Bit-parallel (Shift-And) search for a piece with `?`: O(text × piece / 64) whatever the
/// input, where trying each start position would be O(text × piece). All occurrences have
/// the same length in characters, so the leftmost end is the leftmost occurrence.
fn shift_and(piece: &str, text: &str) -> Option<usize> {
    let p: Vec<char> = piece.chars().collect();
    let m = p.len();
    let words = m.div_ceil(64);
    // Per character: which pattern positions accept it (`?` accepts everything).
    let mut wild = vec![0u64; words];
    for (i, c) in p.iter().enumerate() {
        if *c == '?' {
            wild[i / 64] |= 1 << (i % 64);
        }
    }
    let mut masks: HashMap<char, Vec<u64>> = HashMap::new();
    for (i, c) in p.iter().enumerate() {
        if *c != '?' {
            masks.entry(*c).or_insert_with(|| wild.clone())[i / 64] |= 1 << (i % 64);
        }
    }
    let last = ((m - 1) / 64, 1u64 << ((m - 1) % 64));
    let mut state = vec![0u64; words];
    for (at, c) in text.char_indices() {
        let mask = masks.get(&c).unwrap_or(&wild);
        // state = ((state << 1) | 1) & mask, across words.
        let mut carry = 1u64;
        for (w, word) in state.iter_mut().enumerate() {
            let next_carry = *word >> 63;
            *word = ((*word << 1) | carry) & mask[w];
            carry = next_carry;
        }
        if state[last.0] & last.1 != 0 {
            return Some(at + c.len_utf8());
        }
    }
    None
}

/// One element of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Tok {
    Lit(char),
    One,
    Star,
}

/// A wildcard pattern compiled to a small automaton (runs of `*` collapsed to one).
///
/// States are positions 0..=n in the token list; a `*` at position i loops on i and may be
/// skipped to i+1, `?` and literals advance by one. Subset states are bit sets over these
/// positions, so nothing here is exponential in the pattern length.
///
/// ```
/// use policy_check::pattern::Glob;
/// let prod = Glob::new("prod");
/// let pr = Glob::new("pr*");
/// assert!(prod.is_subset_of(&pr));
/// assert!(!pr.is_subset_of(&prod));
/// assert!(Glob::new("*-east-*").intersects(&Glob::new("us-*")));
/// assert!(!Glob::new("a*").intersects(&Glob::new("b*")));
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Glob {
    text: String,
    toks: Vec<Tok>,
}

impl fmt::Debug for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Glob({:?})", self.text)
    }
}

impl fmt::Display for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Glob {
    /// Compiles `pattern`.
    pub fn new(pattern: &str) -> Glob {
        let mut toks = Vec::with_capacity(pattern.len());
        let mut text = String::with_capacity(pattern.len());
        for c in pattern.chars() {
            let t = match c {
                '*' => Tok::Star,
                '?' => Tok::One,
                c => Tok::Lit(c),
            };
            if t == Tok::Star && toks.last() == Some(&Tok::Star) {
                continue;
            }
            toks.push(t);
            text.push(c);
        }
        Glob { text, toks }
    }

    fn from_toks(toks: &[Tok]) -> Glob {
        let text = toks
            .iter()
            .map(|t| match t {
                Tok::Star => '*',
                Tok::One => '?',
                Tok::Lit(c) => *c,
            })
            .collect::<String>();
        Glob::new(&text)
    }

    /// The pattern text (with runs of `*` collapsed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the pattern has no wildcard: it matches exactly one string.
    pub fn is_literal(&self) -> bool {
        self.toks.iter().all(|t| matches!(t, Tok::Lit(_)))
    }

    /// Whether the pattern is `*`: it matches everything.
    pub fn is_any(&self) -> bool {
        self.toks == [Tok::Star]
    }

    /// Whether `text` matches (same answer as [`matches()`]).
    pub fn matches(&self, text: &str) -> bool {
        matches(&self.text, text)
    }

    /// Whether some string matches both patterns.
    pub fn intersects(&self, other: &Glob) -> bool {
        // A literal side is one string: matching it is exact, where the automata could
        // run out of budget and only say "maybe".
        if self.is_literal() {
            return other.matches(&self.text);
        }
        if other.is_literal() {
            return self.matches(&other.text);
        }
        let globs = [self.clone(), other.clone()];
        match atoms(&globs, &Domain::ANY, DEFAULT_LIMIT) {
            Ok(atoms) => atoms.iter().any(|a| a.member[0] && a.member[1]),
            // Too big to decide: say "maybe" (true), the safe answer for overlap warnings.
            Err(_) => true,
        }
    }

    /// Whether every string `self` matches is also matched by `other`.
    pub fn is_subset_of(&self, other: &Glob) -> bool {
        if self.is_literal() {
            return other.matches(&self.text);
        }
        let globs = [self.clone(), other.clone()];
        match atoms(&globs, &Domain::ANY, DEFAULT_LIMIT) {
            Ok(atoms) => !atoms.iter().any(|a| a.member[0] && !a.member[1]),
            Err(_) => false,
        }
    }

    /// [`Glob::is_subset_of`] drawing its work from `work`; `None` when it runs out.
    #[cfg_attr(not(feature = "lint"), allow(dead_code))]
    pub(crate) fn subset_within(&self, other: &Glob, work: &mut usize) -> Option<bool> {
        let globs = [self.clone(), other.clone()];
        let atoms = atoms_within(&globs, &Domain::ANY, DEFAULT_LIMIT, work).ok()?;
        Some(!atoms.iter().any(|a| a.member[0] && !a.member[1]))
    }

    fn len(&self) -> usize {
        self.toks.len()
    }

    /// Adds position `i` and, through a `*`, the position after it.
    fn add(&self, set: &mut Bits, i: usize) {
        set.insert(i);
        if i < self.toks.len() && self.toks[i] == Tok::Star {
            set.insert(i + 1);
        }
    }

    fn start(&self) -> Bits {
        let mut s = Bits::new(self.len() + 1);
        self.add(&mut s, 0);
        s
    }

    fn step(&self, from: &Bits, c: char) -> Bits {
        let mut to = Bits::new(self.len() + 1);
        for i in from.iter() {
            match self.toks.get(i) {
                Some(Tok::Star) => self.add(&mut to, i),
                Some(Tok::One) => self.add(&mut to, i + 1),
                Some(Tok::Lit(l)) if *l == c => self.add(&mut to, i + 1),
                _ => {}
            }
        }
        to
    }

    fn accepts(&self, set: &Bits) -> bool {
        set.contains(self.len())
    }

    /// Whether the pattern can match some string of `domain`.
    pub fn satisfiable_in(&self, domain: &Domain) -> bool {
        let forbidden = self
            .toks
            .iter()
            .any(|t| matches!(t, Tok::Lit(c) if domain.forbidden.contains(c)));
        !forbidden && (!domain.nonempty || !self.toks.is_empty())
    }
}

/// A small fixed-size bit set of automaton positions. Patterns of up to 63 tokens (nearly
/// all of them) fit in one word and need no allocation per automaton step.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Bits {
    One(u64),
    Many(Box<[u64]>),
}

impl Bits {
    fn new(n: usize) -> Bits {
        if n <= 64 {
            Bits::One(0)
        } else {
            Bits::Many(vec![0; n.div_ceil(64)].into_boxed_slice())
        }
    }
    fn words(&self) -> &[u64] {
        match self {
            Bits::One(w) => std::slice::from_ref(w),
            Bits::Many(v) => v,
        }
    }
    fn words_mut(&mut self) -> &mut [u64] {
        match self {
            Bits::One(w) => std::slice::from_mut(w),
            Bits::Many(v) => v,
        }
    }
    fn insert(&mut self, i: usize) {
        self.words_mut()[i / 64] |= 1 << (i % 64);
    }
    fn contains(&self, i: usize) -> bool {
        self.words()[i / 64] & (1 << (i % 64)) != 0
    }
    fn is_empty(&self) -> bool {
        self.words().iter().all(|w| *w == 0)
    }
    /// What one automaton step from this set costs: words scanned plus positions visited.
    fn cost(&self) -> usize {
        self.words()
            .iter()
            .map(|w| 1 + w.count_ones() as usize)
            .sum()
    }
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words().iter().enumerate().flat_map(|(w, &bits)| {
            let mut rest = bits;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let b = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    w * 64 + b
                })
            })
        })
    }
}

/// The set of strings a variable ranges over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// Characters no value contains.
    pub forbidden: Vec<char>,
    /// Whether the empty string is excluded.
    pub nonempty: bool,
}

impl Domain {
    /// Every string.
    pub const ANY: Domain = Domain {
        forbidden: Vec::new(),
        nonempty: false,
    };

    /// An ARN part such as a stage or region: at least one character, no `/` and no `:`.
    pub fn arn_part() -> Domain {
        Domain {
            forbidden: vec!['/', ':'],
            nonempty: true,
        }
    }
}

/// One region of a domain cut by a set of patterns: the strings matched by exactly the
/// patterns marked in `member`. Regions with no string are never produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    /// `member[i]` is whether the strings of this region match pattern `i`.
    pub member: Vec<bool>,
    /// A shortest string of the region, for examples in messages.
    pub witness: String,
}

/// The exploration gave up: the patterns together are too big or too intricate to reason
/// about within the work and memory budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the patterns are too intricate to analyse together (the analysis stops at a size limit of {limit})"
)]
pub struct TooComplex {
    /// The budget that was exceeded.
    pub limit: usize,
}

/// Work units [`atoms`] may spend in all: one per automaton word scanned or position
/// visited, so that thousands of distinct patterns, or one very long one, give a prompt
/// "too complex" instead of a long hang.
pub const WORK_LIMIT: usize = 5_000_000;

/// Words (8 bytes each) of automaton state [`atoms`] may keep in its visited states, in
/// all: the memory bound, which counts the size of each state and not only their number.
const STORE_LIMIT: usize = 1_000_000;

/// The state budget used by [`Glob::intersects`] and the evaluator.
pub const DEFAULT_LIMIT: usize = 20_000;

/// Takes `cost` from the budget `left`, or fails when it runs out.
pub(crate) fn spend(left: &mut usize, cost: usize, limit: usize) -> Result<(), TooComplex> {
    *left = left.checked_sub(cost).ok_or(TooComplex { limit })?;
    Ok(())
}

/// Every non-empty region of `domain` that the patterns `globs` cut it into.
///
/// Explores the product of the patterns' subset automata breadth-first over the characters
/// they mention plus one stand-in for "any other character", so the answer is exact. At
/// most `limit` states are explored, and the work and the memory are bounded too
/// ([`WORK_LIMIT`]); past any of these the answer is [`TooComplex`].
///
/// ```
/// use policy_check::pattern::{atoms, Domain, Glob};
/// let globs = [Glob::new("prod"), Glob::new("p*")];
/// let regions = atoms(&globs, &Domain::arn_part(), 1000).unwrap();
/// // `prod` (both), `p`, `pa`… (only `p*`), and everything else (neither).
/// assert_eq!(regions.len(), 3);
/// assert!(regions.iter().any(|a| a.member == [true, true] && a.witness == "prod"));
/// assert!(!regions.iter().any(|a| a.member == [true, false]));
/// // A long run of wildcards is refused promptly rather than explored for seconds.
/// let long = Glob::new(&"*a".repeat(5000));
/// assert!(atoms(&[long], &Domain::arn_part(), 1000).is_err());
/// ```
pub fn atoms(globs: &[Glob], domain: &Domain, limit: usize) -> Result<Vec<Atom>, TooComplex> {
    let mut work = WORK_LIMIT;
    atoms_within(globs, domain, limit, &mut work)
}

/// [`atoms`] drawing its work from the caller's budget `work`.
pub(crate) fn atoms_within(
    globs: &[Glob],
    domain: &Domain,
    limit: usize,
    work: &mut usize,
) -> Result<Vec<Atom>, TooComplex> {
    let too = TooComplex { limit };
    let alphabet = alphabet(globs, domain);
    // A product state lists only the patterns still alive (index, positions), in index
    // order: with many patterns most die after a few characters, so this stays small.
    type State = (Vec<(u32, Bits)>, bool);
    let size = |s: &State| s.0.iter().map(|(_, b)| 2 + b.words().len()).sum::<usize>() + 1;
    let start: State = (
        globs
            .iter()
            .enumerate()
            .map(|(i, g)| (i as u32, g.start()))
            .collect(),
        false,
    );
    // Each state is held twice (in `seen` and in the queue until expanded).
    let mut stored = 2 * size(&start);
    if stored > STORE_LIMIT {
        return Err(too);
    }
    let mut seen: std::collections::HashSet<State> = std::collections::HashSet::new();
    // Witnesses are kept as (parent state, last character), not as strings: a string per
    // state would make memory quadratic in the depth.
    let mut parents: Vec<(usize, char)> = vec![(usize::MAX, '\0')];
    let mut queue: VecDeque<(State, usize)> = VecDeque::new();
    // Regions by the patterns they match (sparse: there can be many patterns), with the
    // state whose witness stands for them.
    let mut found: HashMap<Vec<u32>, usize> = HashMap::new();
    seen.insert(start.clone());
    queue.push_back((start, 0));
    while let Some((state, id)) = queue.pop_front() {
        let (live, consumed) = &state;
        if *consumed || !domain.nonempty {
            let member: Vec<u32> = live
                .iter()
                .filter(|(i, set)| globs[*i as usize].accepts(set))
                .map(|(i, _)| *i)
                .collect();
            spend(work, 1 + member.len(), WORK_LIMIT)?;
            found.entry(member).or_insert(id);
        }
        if live.is_empty() && *consumed {
            continue; // every pattern is dead: longer strings add nothing new
        }
        let step_cost: usize = 1 + live.iter().map(|(_, b)| b.cost()).sum::<usize>();
        for &c in &alphabet {
            spend(work, step_cost, WORK_LIMIT)?;
            let next: State = (
                live.iter()
                    .filter_map(|(i, set)| {
                        let to = globs[*i as usize].step(set, c);
                        (!to.is_empty()).then_some((*i, to))
                    })
                    .collect(),
                true,
            );
            if seen.contains(&next) {
                continue;
            }
            stored += 2 * size(&next);
            if seen.len() >= limit || stored > STORE_LIMIT {
                return Err(too);
            }
            seen.insert(next.clone());
            parents.push((id, c));
            queue.push_back((next, parents.len() - 1));
        }
    }
    // The answer has one flag per pattern per region: bound it like the states.
    if found.len().saturating_mul(globs.len()) > STORE_LIMIT * 8 {
        return Err(too);
    }
    let witness = |mut id: usize| {
        let mut chars = Vec::new();
        while id != 0 {
            let (parent, c) = parents[id];
            chars.push(c);
            id = parent;
        }
        chars.into_iter().rev().collect::<String>()
    };
    let mut out: Vec<Atom> = found
        .into_iter()
        .map(|(matched, id)| {
            let mut member = vec![false; globs.len()];
            for i in matched {
                member[i as usize] = true;
            }
            Atom {
                member,
                witness: witness(id),
            }
        })
        .collect();
    // Deterministic order: regions matching more patterns first, then by example.
    out.sort_by(|a, b| {
        let ca = a.member.iter().filter(|m| **m).count();
        let cb = b.member.iter().filter(|m| **m).count();
        cb.cmp(&ca)
            .then_with(|| b.member.cmp(&a.member))
            .then_with(|| a.witness.cmp(&b.witness))
    });
    Ok(out)
}

/// The characters that can make a difference, plus one that none of the patterns mentions.
fn alphabet(globs: &[Glob], domain: &Domain) -> Vec<char> {
    let mut chars: Vec<char> = globs
        .iter()
        .flat_map(|g| g.toks.iter())
        .filter_map(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
        .filter(|c| !domain.forbidden.contains(c))
        .collect();
    chars.sort_unstable();
    chars.dedup();
    let other = "xyzqjkabcdefghilmnoprstuvw0123456789-_"
        .chars()
        .chain(('\u{100}'..).take(4096))
        .find(|c| !chars.contains(c) && !domain.forbidden.contains(c));
    // The stand-in goes first, so examples read `x` rather than a letter of some pattern.
    let mut out: Vec<char> = other.into_iter().collect();
    out.extend(chars);
    out
}

/// A piece of a text with holes: known text, or an unknown value of variable `n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Known characters.
    Lit(String),
    /// An unknown value (numbered by the caller), ranging over [`Domain::arn_part`].
    Var(usize),
}

/// One way to match: the constraint each variable must satisfy (variables not listed are
/// free). Several constraints on one variable all apply.
pub type Assignment = Vec<(usize, Glob)>;

/// Every way `pattern` can match the text `template`, whose holes take values of
/// [`Domain::arn_part`]: the union of the returned assignments is exactly the set of hole
/// values for which the whole text matches. An empty result means "never"; an assignment
/// with no constraints means "always".
///
/// The work is taken from `work` (units as in [`atoms`]); when it runs out the answer is
/// [`TooComplex`], so a pattern with thousands of wildcards cannot make this quadratic
/// in memory.
///
/// ```
/// use policy_check::pattern::{solve, Glob, Piece, WORK_LIMIT};
/// // api-id unknown (var 0), stage unknown (var 1), route known.
/// let t = [Piece::Var(0), Piece::Lit("/".into()), Piece::Var(1), Piece::Lit("/GET/x".into())];
/// let mut work = WORK_LIMIT;
/// let ways = solve(&Glob::new("abc/prod/*"), &t, &mut work).unwrap();
/// assert_eq!(ways.len(), 1);
/// assert_eq!(ways[0][0].1.as_str(), "abc");
/// assert_eq!(ways[0][1].1.as_str(), "prod");
/// assert!(solve(&Glob::new("*/GET/x"), &t, &mut work).unwrap().iter().any(|w| w.is_empty()));
/// assert!(solve(&Glob::new("abc/prod/POST/*"), &t, &mut work).unwrap().is_empty());
/// ```
pub fn solve(
    pattern: &Glob,
    template: &[Piece],
    work: &mut usize,
) -> Result<Vec<Assignment>, TooComplex> {
    let domain = Domain::arn_part();
    let n = pattern.len();
    let mut pay = |cost: usize| spend(work, cost, WORK_LIMIT);
    // Each path: the automaton position reached and the constraints taken on the way.
    let mut paths: Vec<(usize, Assignment)> = vec![(0, Vec::new())];
    for piece in template {
        let mut next: Vec<(usize, Assignment)> = Vec::new();
        for (pos, cons) in &paths {
            match piece {
                Piece::Lit(s) => {
                    let mut set = Bits::new(n + 1);
                    pattern.add(&mut set, *pos);
                    for c in s.chars() {
                        pay(set.cost())?;
                        set = pattern.step(&set, c);
                        if set.is_empty() {
                            break;
                        }
                    }
                    for j in set.iter() {
                        pay(next.len() + cons.len() + 1)?;
                        push_unique(&mut next, (j, cons.clone()));
                    }
                }
                Piece::Var(v) => {
                    for j in *pos..=n {
                        // The tokens a value must match to lead from `pos` to `j`; landing on
                        // a `*` means that star may have consumed part of the value too.
                        let end = if j < n && pattern.toks[j] == Tok::Star {
                            j + 1
                        } else {
                            j
                        };
                        pay(1 + end - *pos + next.len() + cons.len())?;
                        let sub = Glob::from_toks(&pattern.toks[*pos..end]);
                        if sub.satisfiable_in(&domain) {
                            let mut c = cons.clone();
                            if !sub.is_any() {
                                c.push((*v, sub));
                            }
                            push_unique(&mut next, (j, c));
                        }
                        // A value cannot run past a literal `/` or `:` in the pattern.
                        if matches!(pattern.toks.get(j), Some(Tok::Lit(c)) if domain.forbidden.contains(c))
                        {
                            break;
                        }
                    }
                }
            }
        }
        paths = next;
        if paths.is_empty() {
            return Ok(Vec::new());
        }
    }
    let mut out: Vec<Assignment> = Vec::new();
    for (pos, cons) in paths {
        let mut end = Bits::new(n + 1);
        pattern.add(&mut end, pos);
        pay(1 + out.len())?;
        if pattern.accepts(&end) && !out.contains(&cons) {
            out.push(cons);
        }
    }
    Ok(out)
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The textbook definition, exponential but obviously right: the oracle for proptest.
    fn reference(p: &[char], t: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|k| reference(rest, &t[k..])),
            Some(('?', rest)) => !t.is_empty() && reference(rest, &t[1..]),
            Some((c, rest)) => t.first() == Some(c) && reference(rest, &t[1..]),
        }
    }

    fn reference_str(p: &str, t: &str) -> bool {
        let p: Vec<char> = p.chars().collect();
        let t: Vec<char> = t.chars().collect();
        reference(&p, &t)
    }

    fn from_chars(chars: &'static [char], max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(chars), 0..max)
            .prop_map(|v| v.into_iter().collect())
    }

    fn arb_pattern() -> impl Strategy<Value = String> {
        from_chars(&['a', 'b', '/', '*', '?', 'é', '['], 9)
    }

    fn arb_text() -> impl Strategy<Value = String> {
        from_chars(&['a', 'b', '/', 'é', '[', '*'], 10)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn matcher_agrees_with_reference(p in arb_pattern(), t in arb_text()) {
            let expected = reference_str(&p, &t);
            prop_assert_eq!(matches(&p, &t), expected);
        }

        #[test]
        fn automaton_agrees_with_reference(p in arb_pattern(), t in arb_text()) {
            let g = Glob::new(&p);
            let mut s = g.start();
            for c in t.chars() { s = g.step(&s, c); }
            let expected = reference_str(&p, &t);
            prop_assert_eq!(g.accepts(&s), expected);
        }

        #[test]
        fn intersection_has_a_witness(a in arb_pattern(), b in arb_pattern()) {
            let (ga, gb) = (Glob::new(&a), Glob::new(&b));
            let regions = atoms(&[ga.clone(), gb.clone()], &Domain::ANY, 100_000).unwrap();
            for r in &regions {
                // Each region's example really is in it.
                prop_assert_eq!(reference_str(&a, &r.witness), r.member[0]);
                prop_assert_eq!(reference_str(&b, &r.witness), r.member[1]);
            }
        }

        #[test]
        fn subset_is_sound(a in arb_pattern(), b in arb_pattern(), t in arb_text()) {
            let (ga, gb) = (Glob::new(&a), Glob::new(&b));
            if ga.is_subset_of(&gb) && reference_str(&a, &t) {
                prop_assert!(reference_str(&b, &t));
            }
            if !ga.intersects(&gb) {
                let both = reference_str(&a, &t) && reference_str(&b, &t);
                prop_assert!(!both);
            }
        }

        #[test]
        fn solve_agrees_with_matching(p in from_chars(&['a', 'b', '/', '*', '?'], 9), x in "[ab]{1,3}", y in "[ab]{1,3}") {
            let t = [Piece::Var(0), Piece::Lit("/".into()), Piece::Var(1), Piece::Lit("/b".into())];
            let text = format!("{x}/{y}/b");
            let g = Glob::new(&p);
            let ways = solve(&g, &t, &mut WORK_LIMIT.clone()).unwrap();
            let by_solve = ways.iter().any(|w| w.iter().all(|(v, c)| c.matches(if *v == 0 { &x } else { &y })));
            prop_assert_eq!(by_solve, matches(&p, &text));
        }
    }

    #[test]
    fn literal_specials() {
        for p in ["a[b]c", "{proxy+}", "a\\b", "a.b", "$connect", "a(b)+"] {
            assert!(matches(p, p), "{p}");
        }
        assert!(!matches("a.b", "axb"));
        assert!(!matches("a[bc]", "ab"));
    }

    #[test]
    fn question_mark_is_one_scalar() {
        assert!(matches("abc/?/x", "abc/é/x"));
        assert!(matches("?", "😀"));
        assert!(!matches("??", "😀"));
        assert!(!matches("?", ""));
    }

    #[test]
    fn adversarial_is_fast_enough_to_finish() {
        let p = format!("*{}b", "a*".repeat(2000));
        let t = "a".repeat(65536);
        assert!(!matches(&p, &t));
        let p = format!("*{}b*", "a".repeat(2000));
        assert!(!matches(&p, &t));
        let p = format!("*{}?b*", "a?".repeat(500));
        assert!(!matches(&p, &t));
        let p = format!("*{}?a*", "a?".repeat(100));
        assert!(matches(&p, &t));
    }

    /// Found by fuzzing (matcher_diff): `?`×31 made the automata give up, and a literal
    /// text was said to "maybe" intersect a pattern that cannot match it.
    #[test]
    fn a_literal_intersects_exactly_when_it_matches() {
        let p = Glob::new("*a?\x7fxact\"/\x1a\x1a*a?xxacvLa???????????????????????????????*");
        let t = Glob::new("\x00\x00\x1a\x1a\x1a\x1a\x1abz%");
        assert!(!p.intersects(&t) && !t.intersects(&p));
        assert!(!t.is_subset_of(&p));
    }

    #[test]
    fn atoms_respect_domain() {
        let globs = [Glob::new("a/b"), Glob::new("*")];
        let r = atoms(&globs, &Domain::arn_part(), 1000).unwrap();
        assert!(r.iter().all(|a| !a.member[0]));
        assert!(r.iter().all(|a| !a.witness.is_empty()));
    }
}
