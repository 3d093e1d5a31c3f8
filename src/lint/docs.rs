//! docs/lint.md, generated from the rules' doc comments into a template (the prose around
//! them), so the reference cannot drift from the code. A test compares the committed file
//! with [`docs_markdown`]; `UPDATE_DOCS=1 cargo test` rewrites it.

use std::fmt::Write as _;

use super::RULES;

/// The prose around the generated parts; `<!-- exit-codes -->`, `<!-- config-example -->`,
/// `<!-- rules-table -->` and `<!-- rule-reference -->` mark where they go.
const TEMPLATE: &str = include_str!("docs_template.md");

/// docs/lint.md: the lint guide with the table of rules and each rule's documentation (its
/// doc comment, headings moved two levels down).
///
/// ```
/// let md = policy_check::lint::docs_markdown();
/// assert!(md.contains("<a id=\"pc012\"></a>\n### PC012 version-invalid\n"));
/// ```
pub fn docs_markdown() -> String {
    let mut table =
        String::from("| code | name | default | family | summary |\n|---|---|---|---|---|");
    let mut reference = String::new();
    for r in RULES {
        let anchor = r.code.to_ascii_lowercase();
        let _ = write!(
            table,
            "\n| [{}](#{anchor}) | `{}` | {} | {} | {} |",
            r.code,
            r.name,
            r.severity,
            r.family_name(),
            r.summary
        );
        if !reference.is_empty() {
            reference.push('\n');
        }
        let _ = write!(
            reference,
            "<a id=\"{anchor}\"></a>\n### {} {}\n\n*{}* · family `{}` · {}\n\n",
            r.code,
            r.name,
            r.severity,
            r.family_name(),
            r.summary
        );
        for line in r.docs_text().lines() {
            match line.strip_prefix("## ") {
                Some(heading) => {
                    let _ = writeln!(reference, "#### {heading}");
                }
                None => {
                    let _ = writeln!(reference, "{line}");
                }
            }
        }
    }
    TEMPLATE
        .replace("<!-- exit-codes -->\n", &crate::exit_codes::markdown())
        .replace(
            "<!-- config-example -->\n",
            // The file behind `config::EXAMPLE` (lint does not depend on config).
            &format!("```toml\n{}```\n", include_str!("../config.example.toml")),
        )
        .replace("<!-- rules-table -->", &table)
        .replace("<!-- rule-reference -->\n", &reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/lint.md is what [`docs_markdown`] generates; `UPDATE_DOCS=1` rewrites it.
    #[test]
    fn committed_docs_are_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lint.md");
        let want = docs_markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&path, &want).expect("docs/lint.md is writable");
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/lint.md is stale: run `UPDATE_DOCS=1 cargo test --lib lint::docs` and commit it"
        );
    }

    /// The `lang` block of a rule's `## Example` section.
    fn block(docs: &str, lang: &str) -> Option<String> {
        let section = docs.split("## Example").nth(1)?.split("\n## ").next()?;
        let body = section
            .split(&format!("```{lang}\n"))
            .nth(1)?
            .split("```")
            .next()?;
        Some(body.to_string())
    }

    fn example(docs: &str) -> Option<String> {
        block(docs, "json")
    }

    /// An API rule's example: a definition (the `yaml` block) and, for rules on outputs, an
    /// output (the `json` block); the codes linting them with the definition gives.
    #[cfg(feature = "api")]
    fn api_example_codes(r: &super::super::Rule) -> Result<Vec<&'static str>, String> {
        let docs = r.docs_text();
        let def = block(&docs, "yaml").ok_or("no ```yaml definition under ## Example")?;
        let api = crate::apidef::load(crate::Source::new(&format!("{}.yaml", r.code), def), None)
            .map_err(|e| format!("the definition does not load: {e}"))?;
        let mut codes: Vec<&str> = super::super::api::lint_definition(&api)
            .iter()
            .map(|f| f.rule.code)
            .collect();
        if let Some(text) = example(&docs) {
            let c = crate::Checked::from_str(&format!("{}.json", r.code), &text)
                .map_err(|e| format!("the example is not an output: {e}"))?;
            codes.extend(
                super::super::api::lint_with_api(&c, &api)
                    .iter()
                    .map(|f| f.rule.code),
            );
        }
        Ok(codes)
    }

    /// Each rule's example is a complete authorizer output (for API rules, a definition and
    /// maybe an output, linted together) that the linter flags with that rule (biome's
    /// executed doc examples).
    #[test]
    fn every_example_is_a_complete_output_that_triggers_its_rule() {
        let mut wrong = Vec::new();
        for r in RULES {
            if r.family == super::super::Family::Api {
                #[cfg(feature = "api")]
                match api_example_codes(r) {
                    Ok(codes) if codes.contains(&r.code) => {}
                    Ok(codes) => wrong.push(format!("{}: the example gives {codes:?}", r.code)),
                    Err(e) => wrong.push(format!("{}: {e}", r.code)),
                }
                continue;
            }
            let Some(text) = example(&r.docs_text()) else {
                wrong.push(format!("{}: no ```json block under ## Example", r.code));
                continue;
            };
            match crate::Checked::from_str(&format!("{}.json", r.code), &text) {
                Ok(c) => {
                    let codes: Vec<&str> = super::super::lint_default(&c)
                        .iter()
                        .map(|f| f.rule.code)
                        .collect();
                    if !codes.contains(&r.code) {
                        wrong.push(format!("{}: the example gives {codes:?}", r.code));
                    }
                }
                Err(e) => wrong.push(format!("{}: the example is not an output: {e}", r.code)),
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
