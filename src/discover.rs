//! Turning command-line paths (files, directories, quoted globs) into the files to read,
//! for `test` (fixtures) and `lint` (authorizer outputs) alike.

use std::path::{Path, PathBuf};

/// Expands `paths`, sorted and without duplicates. Directories are searched recursively and
/// globs expanded, keeping the files whose name `wanted` accepts; a file named explicitly is
/// always taken. A pattern that matches nothing, or a missing path, is an error.
pub fn discover(
    paths: &[String],
    wanted: fn(&str) -> bool,
    what: &str,
) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if path.is_dir() {
            walk(path, wanted, &mut out)
                .map_err(|e| format!("cannot read directory `{p}`: {e}"))?;
        } else if path.exists() || p == "-" {
            out.push(path.to_path_buf());
        } else if p.contains(['*', '?', '[']) {
            let matches = glob::glob(p).map_err(|e| format!("bad glob pattern `{p}`: {e}"))?;
            let before = out.len();
            for m in matches {
                let m = m.map_err(|e| e.to_string())?;
                if m.is_file() && wanted(&m.to_string_lossy()) {
                    out.push(m);
                }
            }
            if out.len() == before {
                return Err(format!("the pattern `{p}` matches no {what}"));
            }
        } else {
            return Err(format!("`{p}` does not exist"));
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

fn walk(dir: &Path, wanted: fn(&str) -> bool, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if entry.file_type()?.is_dir() {
            if !skipped(&name) {
                walk(&path, wanted, out)?;
            }
        } else if wanted(&name) {
            out.push(path);
        }
    }
    Ok(())
}
