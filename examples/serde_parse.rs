//! Baseline for scripts/bench-cli.py: only `serde_json::from_slice::<Value>` on a file, the
//! cost the CLI's total time is compared against.

fn main() {
    let path = std::env::args().nth(1).expect("usage: serde_parse FILE");
    let bytes = std::fs::read(&path).expect("readable file");
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
    std::hint::black_box(v);
}
