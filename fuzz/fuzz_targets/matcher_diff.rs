//! Differential: the wildcard matcher (and the automaton behind intersection) against an
//! obviously correct dynamic-programming matcher.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_check::pattern::{Glob, matches};

/// Textbook DP: `m[i][j]` is whether pattern[..i] matches text[..j]. Quadratic, small inputs.
fn reference(pattern: &[char], text: &[char]) -> bool {
    let mut m = vec![vec![false; text.len() + 1]; pattern.len() + 1];
    m[0][0] = true;
    for i in 1..=pattern.len() {
        for j in 0..=text.len() {
            m[i][j] = match pattern[i - 1] {
                '*' => m[i - 1][j] || (j > 0 && m[i][j - 1]),
                '?' => j > 0 && m[i - 1][j - 1],
                c => j > 0 && text[j - 1] == c && m[i - 1][j - 1],
            };
        }
    }
    m[pattern.len()][text.len()]
}

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    // "pattern\0text", both short enough for the quadratic reference.
    let Some((pattern, text)) = s.split_once('\0') else {
        return;
    };
    if pattern.len() > 200 || text.len() > 400 {
        return;
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let expected = reference(&p, &t);
    assert_eq!(matches(pattern, text), expected, "{pattern:?} vs {text:?}");
    assert_eq!(Glob::new(pattern).matches(text), expected);
    // A literal text is a pattern matching only itself: intersection must agree.
    if !text.contains(['*', '?']) {
        assert_eq!(Glob::new(pattern).intersects(&Glob::new(text)), expected);
    }
});
