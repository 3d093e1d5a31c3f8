//! Turning command-line paths (files, directories, quoted globs) into the files to read,
//! for `test` (fixtures) and `lint` (authorizer outputs) alike.
//!
//! Only regular files are ever taken from a directory or a glob: a FIFO named `x.json`
//! would block the read forever, and a device such as `/dev/zero` never ends. Directory
//! symlinks are not followed (a link to `.` or `..` would list files again or loop), and
//! paths stay `PathBuf`s from the walk to the read, so names that are not UTF-8 work.

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
    let mut out = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if p == "-" {
            out.push(path.to_path_buf());
            continue;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk(path, skipped, wanted, &mut out)
                .map_err(|e| format!("cannot read directory `{p}`: {e}"))?,
            Ok(m) if m.is_file() => out.push(path.to_path_buf()),
            Ok(_) => {
                return Err(format!(
                    "`{p}` is not a regular file (a FIFO, socket or device); to read a stream, pipe it to `-`"
                ));
            }
            Err(_) if p.contains(['*', '?', '[']) => {
                let before = out.len();
                expand(p, wanted, &mut out)?;
                if out.len() == before {
                    return Err(format!("the pattern `{p}` matches no {what}"));
                }
            }
            Err(_) => return Err(format!("`{p}` does not exist")),
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Directories that never hold inputs worth reading (dependencies, build output, VCS).
fn skipped(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules" || name == "target"
}

/// Regular files under `dir` (symlinks to regular files included) whose name `keep`
/// accepts, not entering directories `prune` names. Directory symlinks are not followed,
/// so the walk always ends and lists each file once.
fn walk(
    dir: &Path,
    prune: fn(&str) -> bool,
    keep: fn(&str) -> bool,
    out: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if entry.file_type()?.is_dir() {
            if !prune(&name) {
                walk(&path, prune, keep, out)?;
            }
        } else if keep(&name) && std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            out.push(path);
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
    walk(root, |_| false, wanted, &mut found)
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
