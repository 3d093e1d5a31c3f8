//! Turning command-line paths (files, directories, quoted globs) into the files to read,
//! for `test` (fixtures) and `lint` (authorizer outputs) alike.
//!
//! Only regular files are ever taken from a directory or a glob: a FIFO named `x.json`
//! would block the read forever, and a device such as `/dev/zero` never ends. Directory
//! symlinks are not followed (a link to `.` or `..` would list files again or loop), and
//! paths stay `PathBuf`s from the walk to the read, so names that are not UTF-8 work.
//! Directories are walked as `rg` walks them (the `ignore` crate: `.gitignore`, hidden
//! directories, plus `node_modules`), so `lint .` in a Node or CDK repository reads the
//! project's files, not its dependencies'.

use std::path::{Component, Path, PathBuf};

/// Expands `paths`, sorted and without duplicates. Directories are searched recursively and
/// globs expanded, keeping the regular files whose name `wanted` accepts; a regular file
/// named explicitly is always taken, and `-` is stdin. A pattern that matches nothing, a
/// missing path, or an explicit path that is not a regular file (a FIFO, a device) is an
/// error.
pub fn discover(
    paths: &[String],
    wanted: fn(&str) -> bool,
    what: &str,
) -> Result<Vec<PathBuf>, String> {
    Ok(discover_marked(paths, wanted, what)?
        .into_iter()
        .map(|f| f.path)
        .collect())
}

/// A file that discovery found, and how.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// The path, as the walk or the user gave it.
    pub path: PathBuf,
    /// Found by walking a directory or expanding a glob, not named by the user: a caller
    /// may skip it quietly when it turns out not to be an input at all (a `package.json`).
    pub walked: bool,
}

/// [`discover`], telling which files the user named and which a walk found (a file both
/// named and walked counts as named).
pub fn discover_marked(
    paths: &[String],
    wanted: fn(&str) -> bool,
    what: &str,
) -> Result<Vec<Found>, String> {
    let mut out = Vec::new();
    let mut walked = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if p == "-" {
            out.push(path.to_path_buf());
            continue;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk(path, true, wanted, &mut walked)
                .map_err(|e| format!("cannot read directory `{p}`: {e}"))?,
            Ok(m) if m.is_file() => out.push(path.to_path_buf()),
            Ok(_) => {
                return Err(format!(
                    "`{p}` is not a regular file (a FIFO, socket or device); to read a stream, pipe it to `-`"
                ));
            }
            Err(_) if p.contains(['*', '?', '[']) => {
                let before = walked.len();
                expand(p, wanted, &mut walked)?;
                if walked.len() == before {
                    return Err(format!("the pattern `{p}` matches no {what}"));
                }
            }
            Err(_) => return Err(format!("`{p}` does not exist")),
        }
    }
    let mut found: Vec<Found> = out
        .into_iter()
        .map(|path| Found {
            path,
            walked: false,
        })
        .chain(walked.into_iter().map(|path| Found { path, walked: true }))
        .collect();
    // Named sorts before walked for the same path, so dedup keeps "named".
    found.sort();
    found.dedup_by(|b, a| a.path == b.path);
    Ok(found)
}

/// Directories that never hold inputs worth reading (dependencies, build output), pruned
/// even where no `.gitignore` names them.
fn skipped(name: &str) -> bool {
    name == "node_modules" || name == "target"
}

/// Regular files under `dir` (symlinks to regular files included) whose name `keep`
/// accepts. Directory symlinks are not followed, so the walk always ends and lists each
/// file once. With `filters` the walk is the one `rg` does (the `ignore` crate): it skips
/// hidden files and directories and what `.gitignore` / `.ignore` files exclude (in a git
/// repository or not), and prunes `node_modules` and `target`.
fn walk(
    dir: &Path,
    filters: bool,
    keep: fn(&str) -> bool,
    out: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .standard_filters(filters)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b));
    if filters {
        builder.filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.depth() > 0
                && skipped(&e.file_name().to_string_lossy()))
        });
    }
    for entry in builder.build() {
        let entry = entry.map_err(|e| match e.into_io_error() {
            Some(io) => io,
            None => std::io::Error::other("the directory walk failed"),
        })?;
        if entry.depth() == 0 || entry.file_type().is_none_or(|t| t.is_dir()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        // A regular file, or a symlink to one (never a FIFO, device or directory link).
        if keep(&name) && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()) {
            out.push(entry.into_path());
        }
    }
    Ok(())
}

/// Expands a quoted glob such as `authorizers/**/*.json` by walking from its literal
/// leading directories, without following directory symlinks (the `glob` crate's own walk
/// follows them, and a link to `..` never returns).
fn expand(pattern: &str, wanted: fn(&str) -> bool, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let compiled =
        glob::Pattern::new(pattern).map_err(|e| format!("bad glob pattern `{pattern}`: {e}"))?;
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: false,
    };
    // The directories before the first component with a wildcard.
    let mut base = PathBuf::new();
    for c in Path::new(pattern).components() {
        if let Component::Normal(s) = c
            && s.to_string_lossy().contains(['*', '?', '['])
        {
            break;
        }
        base.push(c);
    }
    let root = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base.as_path()
    };
    if !root.is_dir() {
        return Ok(());
    }
    let mut found = Vec::new();
    // The walk skips nothing here: the pattern says which directories it wants.
    walk(root, false, wanted, &mut found)
        .map_err(|e| format!("cannot read `{}`: {e}", root.display()))?;
    for path in found {
        // Paths from `.` come back as `./x`; the pattern has no such prefix.
        let shown = if base.as_os_str().is_empty() {
            path.strip_prefix(".").unwrap_or(&path).to_path_buf()
        } else {
            path
        };
        // Matched on a lossy copy (`matches_path` refuses names that are not UTF-8); the
        // path itself is kept as it is.
        if compiled.matches_with(&shown.to_string_lossy(), options) {
            out.push(shown);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(name: &str) -> bool {
        name.ends_with(".json")
    }

    /// Walks respect `.gitignore` and skip hidden directories and `node_modules`; a file
    /// both named and walked counts as named.
    #[test]
    fn walks_respect_gitignore_and_mark_what_was_named() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for f in [
            "a.json",
            "ignored/b.json",
            ".hidden/c.json",
            "node_modules/d.json",
            "sub/e.json",
        ] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "{}").unwrap();
        }
        std::fs::write(d.join(".gitignore"), "ignored/\n").unwrap();
        let root = d.display().to_string();
        let named = d.join("a.json").display().to_string();
        let found = discover_marked(&[root, named], json, "file").unwrap();
        let got: Vec<(String, bool)> = found
            .iter()
            .map(|f| {
                let rel = f.path.strip_prefix(d).unwrap().display().to_string();
                (rel, f.walked)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a.json".to_string(), false),
                ("sub/e.json".to_string(), true)
            ]
        );
    }
}
