//! Library benchmarks (`cargo bench`). Targets, from issue 2: the adversarial match under
//! 5 ms with near-linear growth; one request against 10,000 statements under 5 ms.

use policy_check::pattern::matches;
use policy_check::{Checked, Request};

fn main() {
    divan::main();
}

/// `*a*a*…*b` of `pattern_kb` KB against `a` × `text_kb` KB: nothing matches.
#[divan::bench(args = [(4, 64), (8, 128), (16, 256)])]
fn adversarial_star_pattern(bencher: divan::Bencher, (pattern_kb, text_kb): (usize, usize)) {
    let pattern = format!("{}*b", "*a".repeat(pattern_kb * 512));
    let text = "a".repeat(text_kb * 1024);
    bencher.bench(|| matches(divan::black_box(&pattern), divan::black_box(&text)));
}

/// The same with a final `*`, so the suffix cannot refute it and every piece is searched.
#[divan::bench(args = [(4, 64), (8, 128), (16, 256)])]
fn adversarial_star_pattern_open_end(
    bencher: divan::Bencher,
    (pattern_kb, text_kb): (usize, usize),
) {
    let pattern = format!("{}*b*", "*a".repeat(pattern_kb * 512));
    let text = "a".repeat(text_kb * 1024);
    bencher.bench(|| matches(divan::black_box(&pattern), divan::black_box(&text)));
}

/// A long literal piece after a star (`*aaaa…ab*`): the case naive backtracking is slow on.
#[divan::bench(args = [(4, 64), (8, 128)])]
fn adversarial_long_piece(bencher: divan::Bencher, (pattern_kb, text_kb): (usize, usize)) {
    let pattern = format!("*{}b*", "a".repeat(pattern_kb * 1024));
    let text = "a".repeat(text_kb * 1024);
    bencher.bench(|| matches(divan::black_box(&pattern), divan::black_box(&text)));
}

/// `?` pieces need the character-wise search.
#[divan::bench]
fn adversarial_question_marks(bencher: divan::Bencher) {
    let pattern = format!("*{}b*", "a?".repeat(2048));
    let text = "a".repeat(64 * 1024);
    bencher.bench(|| matches(divan::black_box(&pattern), divan::black_box(&text)));
}

/// A generated policy: `n` statements of 5 Resource entries each, none matching until the
/// last statement, so every entry is tried.
pub fn big_policy(n: usize) -> String {
    let mut statements = Vec::with_capacity(n);
    for i in 0..n {
        let effect = if i % 7 == 3 { "Deny" } else { "Allow" };
        let resources: Vec<String> = (0..5)
            .map(|r| {
                format!(
                    "\"arn:aws:execute-api:us-east-1:123456789012:api{i}/prod/GET/items/{r}/*\""
                )
            })
            .collect();
        statements.push(format!(
            "{{\"Sid\":\"S{i}\",\"Effect\":\"{effect}\",\"Action\":\"execute-api:Invoke\",\"Resource\":[{}]}}",
            resources.join(",")
        ));
    }
    statements.push("{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:123456789012:target/prod/GET/*\"}".into());
    format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{}]}}",
        statements.join(",")
    )
}

/// One pinned request against 10,000 statements, after parsing.
#[divan::bench]
fn evaluate_10k_statements(bencher: divan::Bencher) {
    let checked = Checked::from_str("big.json", &big_policy(10_000)).expect("valid");
    let req = Request::new("GET", "/items/1")
        .pin_defaults()
        .api_id("target");
    bencher.bench(|| checked.evaluate(divan::black_box(&req)).expect("evaluates"));
}

/// The same with the stage unpinned: the case analysis over 50,000 Resource entries.
#[divan::bench]
fn evaluate_10k_statements_stage_unpinned(bencher: divan::Bencher) {
    let checked = Checked::from_str("big.json", &big_policy(10_000)).expect("valid");
    let req = Request::new("GET", "/items/1")
        .partition("aws")
        .region("us-east-1")
        .account("123456789012")
        .api_id("target");
    bencher.bench(|| checked.evaluate(divan::black_box(&req)).expect("evaluates"));
}

/// Parsing (serde_json gate, spans, model) of the 10,000-statement policy (~1.3 MB).
#[divan::bench]
fn parse_10k_statements(bencher: divan::Bencher) {
    let text = big_policy(10_000);
    bencher.bench(|| Checked::from_str("big.json", divan::black_box(&text)).expect("valid"));
}
