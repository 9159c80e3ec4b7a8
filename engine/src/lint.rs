//! `tollgate rules lint`: problems the loader tolerates but a reviewer would not.
//!
//! Loading already rejects invalid metadata. Lint adds judgement: control ids
//! must exist in the NIST SP 800-53 Rev 5 catalog, `applies_to` must name a
//! kind some parser produces, helper functions must be used, remediation must
//! be concrete, and every rule needs cases that both pass and fail.

use crate::fixtures::{has_pass_and_fail, parse_cases};
use crate::rule::Rule;
use globset::Glob;
use std::sync::OnceLock;

/// One lint finding about one rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LintProblem {
    /// The rule file.
    pub path: String,
    /// 1-based line in the rule file, where known.
    pub line: Option<u32>,
    pub rule_id: String,
    /// Stable code, e.g. `unknown-control`.
    pub code: &'static str,
    pub message: String,
}

/// What lint needs to know about one rule besides the loaded rule.
pub struct LintInput<'a> {
    pub rule: &'a Rule,
    /// The rule's source text.
    pub text: &'a str,
    /// The text of its cases file, if it has one.
    pub cases: Option<&'a str>,
}

/// Shortest remediation that can plausibly say what to change.
const MIN_REMEDIATION_CHARS: usize = 40;

/// Lints `rules`. `control_exists` answers whether an 800-53 id is in the catalog.
pub fn lint(inputs: &[LintInput<'_>], known_kinds: &[&str], control_exists: &dyn Fn(&str) -> bool) -> Vec<LintProblem> {
    let mut out = Vec::new();
    for input in inputs {
        let meta = &input.rule.meta;
        let mut problem = |field: Option<&str>, code: &'static str, message: String| {
            let line = field.and_then(|f| line_of_field(input.text, f));
            out.push(LintProblem { path: meta.source.clone(), line, rule_id: meta.id.clone(), code, message });
        };
        for c in &meta.controls {
            if !control_exists(c) {
                problem(Some("controls"), "unknown-control", format!("`{c}` is not a control or enhancement of NIST SP 800-53 Rev 5"));
            }
        }
        for kind in &meta.applies_to {
            if !kind_is_known(kind, known_kinds) {
                problem(Some("applies_to"), "unknown-kind", format!("no parser produces resources of kind `{kind}`"));
            }
        }
        if meta.remediation.trim().chars().count() < MIN_REMEDIATION_CHARS {
            problem(
                Some("remediation"),
                "thin-remediation",
                "remediation should name the setting, the value and show a corrected snippet".into(),
            );
        }
        for name in unused_functions(input.text) {
            problem(None, "unused-helper", format!("function `{name}` is defined but never called"));
        }
        match input.cases.map(|text| parse_cases(&meta.source, text)) {
            None => problem(None, "no-cases", "no .tests.yaml cases file beside the rule".into()),
            Some(Err(e)) => problem(None, "bad-cases", e),
            Some(Ok(cases)) if !has_pass_and_fail(&cases) => {
                problem(None, "one-sided-cases", "cases need at least one `pass` and one `fail`".into())
            }
            Some(Ok(_)) => {}
        }
    }
    out.sort();
    out
}

/// Whether some known kind pattern can produce `kind` (which may itself be a glob).
fn kind_is_known(kind: &str, known: &[&str]) -> bool {
    let family = |k: &str| k.split(':').next().unwrap_or_default().to_string();
    known.iter().any(|pattern| {
        if pattern.ends_with(":*") {
            family(pattern) == family(kind)
        } else if kind.contains(['*', '?', '[']) {
            Glob::new(kind).map(|g| g.compile_matcher().is_match(pattern)).unwrap_or(false)
        } else {
            *pattern == kind
        }
    })
}

fn fn_def_re() -> &'static regex::Regex {
    static R: OnceLock<regex::Regex> = OnceLock::new();
    R.get_or_init(|| regex::Regex::new(r"(?m)^\s*(?:private\s+)?fn\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(").expect("static pattern"))
}

/// Script functions other than `check` that nothing calls.
fn unused_functions(text: &str) -> Vec<String> {
    let defs: Vec<String> = fn_def_re().captures_iter(text).map(|c| c[1].to_string()).collect();
    defs.iter()
        .filter(|name| name.as_str() != "check")
        .filter(|name| {
            let call = regex::Regex::new(&format!(r"\b{}\s*\(", regex::escape(name))).expect("escaped pattern");
            let defs_of_name = defs.iter().filter(|d| d == name).count();
            // Method-style calls (`x.name(...)`) also match `name(`.
            call.find_iter(text).count() <= defs_of_name
        })
        .cloned()
        .collect()
}

/// 1-based line of `field:` in the RULE map.
fn line_of_field(text: &str, field: &str) -> Option<u32> {
    let r = crate::rule::meta::field_range(text, field)?;
    u32::try_from(text[..r.start].matches('\n').count() + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_match_families_and_globs() {
        let known = ["k8s:*", "json:document", "docker:dockerfile"];
        assert!(kind_is_known("k8s:Deployment", &known));
        assert!(kind_is_known("docker:*", &known));
        assert!(!kind_is_known("docker:compose", &known));
        assert!(!kind_is_known("helm:chart", &known));
    }

    #[test]
    fn unused_functions_are_found() {
        let text = "fn helper(x) { x }\nfn other(y) { helper(y) }\nfn check(r) { pass() }\n";
        assert_eq!(unused_functions(text), vec!["other".to_string()]);
    }
}
