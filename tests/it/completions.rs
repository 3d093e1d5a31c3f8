//! `policy-check completions SHELL` and `policy-check man`, checked the way a shell and `man`
//! use them.

use crate::common;

use std::process::Command;

use common::cmd;

fn stdout_of(args: &[&str]) -> String {
    let out = cmd().args(args).output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Sources the bash completion script in a clean bash, then asks it to complete `words`
/// (the last one is the word under the cursor); returns what it offers, one per line.
fn bash_complete(words: &[&str]) -> String {
    let dir = std::env::temp_dir().join(format!("policy-check-completions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!(
        "policy-check.{}.bash",
        words.join("_").replace(['-', ' '], "")
    ));
    std::fs::write(&file, stdout_of(&["completions", "bash"])).expect("write script");
    // The function comes from `complete -p`, as bash itself would find it.
    let script = r#"
        source "$1"; shift
        spec="$(complete -p policy-check)" || exit 10
        fn="$(sed -E 's/.* -F ([^ ]+) .*/\1/' <<<"$spec")"
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        "$fn" policy-check "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", script, "bash"])
        .arg(&file)
        .args(words)
        .output()
        .expect("bash runs");
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "bash: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn bash_completion_loads_and_completes_a_subcommand() {
    assert_eq!(bash_complete(&["policy-check", "li"]), "lint\n");
    assert_eq!(bash_complete(&["policy-check", "comp"]), "completions\n");
}

#[test]
fn bash_completion_completes_options_and_values_of_a_subcommand() {
    assert_eq!(
        bash_complete(&["policy-check", "test", "--for"]),
        "--format\n"
    );
    assert_eq!(
        bash_complete(&["policy-check", "completions", "fi"]),
        "fish\n"
    );
}

#[test]
fn every_shell_gets_a_script_naming_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        for sub in ["test", "lint", "rules", "schema", "completions", "man"] {
            assert!(script.contains(sub), "{shell} script has no `{sub}`");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    cmd()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("invalid value 'tcsh'"));
}

#[test]
fn man_page_is_roff_for_section_1_and_lists_the_subcommands() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH policy-check 1"), "{page}");
    assert!(page.contains(".SH NAME"));
    assert!(page.contains(".SH SUBCOMMANDS"));
    for sub in ["test", "lint", "completions", "man"] {
        let entry = format!("policy\\-check\\-{sub}(1)");
        assert!(page.contains(&entry), "no {entry} in\n{page}");
    }
}

#[test]
fn man_page_renders_with_man_when_it_is_installed() {
    let Ok(probe) = Command::new("man").arg("--version").output() else {
        eprintln!("skipped: no `man` on this machine");
        return;
    };
    if !probe.status.success() {
        eprintln!("skipped: `man --version` failed");
        return;
    }
    let file = std::env::temp_dir().join(format!("policy-check-{}.1", std::process::id()));
    std::fs::write(&file, stdout_of(&["man"])).expect("write page");
    let out = Command::new("man")
        .arg("-l")
        .arg(&file)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .env("LC_ALL", "C")
        .output()
        .expect("man runs");
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "man -l: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // man justifies lines with extra spaces: compare words.
    let text = String::from_utf8_lossy(&out.stdout);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("NAME"), "{text}");
    assert!(
        text.contains("policy-check - Predict what API Gateway does"),
        "{text}"
    );
    assert!(text.contains("--stage <STAGE> Stage name"), "{text}");
}
