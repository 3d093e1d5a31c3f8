# Shell helpers shared by the packaging scripts (sourced, not run). Needs ROOT set.

# crate_version: the [package] version in Cargo.toml, the version of every artefact.
crate_version() {
  sed -n '/^\[package\]/,/^\[/s/^version *= *"\([^"]*\)".*/\1/p' "$ROOT/Cargo.toml" | head -n 1
}

# path_without_cargo: $PATH less every folder holding cargo or rustc (rustup's proxies
# included), to run things the way a machine without Rust would.
path_without_cargo() {
  local dir out=""
  local IFS=:
  for dir in $PATH; do
    [ -n "$dir" ] || continue
    [ -e "$dir/cargo" ] || [ -e "$dir/rustc" ] || out="${out:+$out:}$dir"
  done
  printf '%s\n' "$out"
}
