//! Tests of the crate's shape, read from its source: no module cycle, and no rule declared
//! outside a `rules!` table. (cargo-modules would draw the graph, but it builds
//! rust-analyzer; the `use` paths of this crate are regular enough to read directly.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every library source file (the binary's `main.rs` and `cli/` are another crate) with its
/// module path (`lint::resource` for src/lint/resource.rs and src/lint/resource/mod.rs).
fn library_files() -> Vec<(Vec<String>, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("src is readable") {
            let p = e.expect("a directory entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    walk(&src, &mut paths);
    let mut out = Vec::new();
    for p in paths {
        let rel = p.strip_prefix(&src).expect("under src");
        let mut module: Vec<String> = rel
            .with_extension("")
            .iter()
            .map(|c| c.to_string_lossy().to_string())
            .collect();
        if module.last().is_some_and(|m| m == "mod") {
            module.pop();
        }
        if module == ["lib"] {
            module.clear();
        }
        if module.first().is_some_and(|m| m == "main" || m == "cli") {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("readable source");
        out.push((module, text));
    }
    out
}

/// The code of a file without comments and without its unit tests (which may use anything).
fn code(text: &str) -> String {
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    text[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a file names through `crate::` and `super::`, braces of `use` groups expanded,
/// as segments after `crate` (`super` resolved against `module`).
fn referenced_paths(module: &[String], code: &str) -> Vec<Vec<String>> {
    /// Parses `a::b::{c, d::e}` at the start of `s` after `prefix`, appending every full
    /// path to `out`; returns the bytes read.
    fn parse(prefix: &[String], s: &str, out: &mut Vec<Vec<String>>) -> usize {
        let skip_ws = |i: usize| i + (s[i..].len() - s[i..].trim_start().len());
        let mut path = prefix.to_vec();
        let mut i = 0;
        loop {
            if s[i..].starts_with('{') {
                i += 1;
                loop {
                    i = skip_ws(i);
                    i += parse(&path, &s[i..], out);
                    i = skip_ws(i);
                    if s[i..].starts_with(',') {
                        i += 1;
                        continue;
                    }
                    if s[i..].starts_with('}') {
                        i += 1;
                    }
                    return i;
                }
            }
            let id_len = s[i..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(s.len() - i);
            if id_len == 0 {
                out.push(path);
                return i;
            }
            path.push(s[i..i + id_len].to_string());
            i += id_len;
            if s[i..].starts_with("::") {
                i += 2;
            } else {
                out.push(path);
                return i;
            }
        }
    }
    let mut out = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with('$') {
            continue;
        }
        parse(&[], &code[at + "crate::".len()..], &mut out);
    }
    // A file's module is its directory for a mod.rs, so `super` is the parent either way.
    let parent = &module[..module.len().saturating_sub(1)];
    for (at, _) in code.match_indices("super::") {
        let prev = code[..at].chars().last();
        if prev.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        parse(parent, &code[at + "super::".len()..], &mut out);
    }
    out
}

/// The edges between sibling modules: for a reference from module `a` to module `b`, the
/// children of their deepest common ancestor that hold them (`lint::resource` →
/// `lint::cross_statement::x` is `resource → cross_statement` under `lint`). References
/// between a module and its own ancestors (a family using its parent's `Ctx`) are not
/// sibling edges.
fn sibling_edges() -> BTreeMap<Vec<String>, BTreeSet<(String, String)>> {
    let files = library_files();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(m, _)| m.clone()).collect();
    // `crate::Span` and the like: re-exports at the root, by name.
    let root = files
        .iter()
        .find(|(m, _)| m.is_empty())
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    let mut reexport: BTreeMap<String, String> = BTreeMap::new();
    for line in root.lines().filter(|l| l.starts_with("pub use ")) {
        let body = &line["pub use ".len()..];
        if let Some((module, names)) = body.split_once("::") {
            for name in names.trim_matches(|c| "{};".contains(c)).split(',') {
                reexport.insert(name.trim().to_string(), module.to_string());
            }
        }
    }
    let mut edges: BTreeMap<Vec<String>, BTreeSet<(String, String)>> = BTreeMap::new();
    for (module, text) in &files {
        for path in referenced_paths(module, &code(text)) {
            // The deepest known module the path names.
            let mut target: Vec<String> = Vec::new();
            for seg in &path {
                let mut next = target.clone();
                next.push(seg.clone());
                if modules.contains(&next) {
                    target = next;
                } else {
                    break;
                }
            }
            if target.is_empty()
                && let Some(m) = path.first().and_then(|n| reexport.get(n))
            {
                target = vec![m.clone()];
            }
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common < module.len() && common < target.len() {
                edges
                    .entry(module[..common].to_vec())
                    .or_default()
                    .insert((module[common].clone(), target[common].clone()));
            }
        }
    }
    edges
}

/// A cycle in a directed graph, if any (depth-first search).
fn find_cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeSet<(String, String)>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(n.to_string());
            return Some(cycle);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_string());
        for (_, b) in edges.iter().filter(|(a, _)| a == n) {
            if let Some(c) = visit(b, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for (a, _) in edges {
        if let Some(c) = visit(a, edges, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn no_module_cycle() {
    let edges = sibling_edges();
    // The reader sees the edges the issue named (so it is reading the right thing).
    let top = &edges[&Vec::new()];
    assert!(top.contains(&("config".into(), "lint".into())), "{top:?}");
    assert!(top.contains(&("lint".into(), "denote".into())), "{top:?}");
    let mut cycles = Vec::new();
    for (parent, e) in &edges {
        if let Some(c) = find_cycle(e) {
            cycles.push(format!(
                "in `crate::{}`: {}",
                parent.join("::"),
                c.join(" → ")
            ));
        }
    }
    assert!(cycles.is_empty(), "module cycles: {cycles:#?}");
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let e: BTreeSet<(String, String)> = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(find_cycle(&e).map(|c| c.len()), Some(4));
    let e: BTreeSet<(String, String)> = [("a", "b"), ("b", "c"), ("a", "c")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(find_cycle(&e), None);
}

/// Rules are declared only in `rules!` tables (so each is in [`RULES`](crate::lint::RULES)):
/// no `Rule { .. }` literal elsewhere, and at most one table per file.
#[test]
fn rules_are_declared_only_in_rules_tables() {
    let mut wrong = Vec::new();
    for (module, text) in library_files() {
        let name = module.join("::");
        if name == "architecture" {
            continue;
        }
        let code = code(&text);
        let literals: usize = ["= Rule {", "::Rule {", "(Rule {", "[Rule {"]
            .iter()
            .map(|p| code.matches(p).count())
            .sum();
        // The one in the rules! macro.
        let allowed = usize::from(name == "lint");
        if literals > allowed {
            wrong.push(format!(
                "{name}: a `Rule {{` literal outside the rules! macro"
            ));
        }
        if code.matches("rules! {").count() > 1 {
            wrong.push(format!("{name}: more than one rules! table"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
