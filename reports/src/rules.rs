//! Rule listings for `tollgate rules list` and `tollgate rules show`.

use serde_json::{json, Value};
use std::fmt::Write;
use tollgate_engine::RuleMeta;

/// One row per rule: id, severity, kinds, controls, title.
pub fn list_table(rules: &[&RuleMeta]) -> String {
    let id_w = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let mut out = format!("{:id_w$}  {:8}  {:28}  {:22}  TITLE\n", "ID", "SEVERITY", "KINDS", "CONTROLS");
    for r in rules {
        let kinds = abbreviate(&r.applies_to.join(","), 28);
        let controls = abbreviate(&r.controls.join(","), 22);
        let _ = writeln!(out, "{:id_w$}  {:8}  {kinds:28}  {controls:22}  {}", r.id, r.severity.as_str(), r.title);
    }
    let _ = writeln!(out, "\n{} rules", rules.len());
    out
}

fn abbreviate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

/// A rule's metadata as a JSON object.
pub fn meta_json(r: &RuleMeta) -> Value {
    let controls: serde_json::Map<String, Value> = r.controls_by_framework().into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
    json!({
        "id": r.id, "title": r.title, "severity": r.severity, "status": r.status,
        "applies_to": r.applies_to, "controls": controls, "paths": r.paths,
        "rationale": r.rationale, "remediation": r.remediation, "references": r.references,
        "params": r.params, "source": r.source,
    })
}

/// The listing as a JSON array, with a trailing newline.
pub fn list_json(rules: &[&RuleMeta]) -> String {
    let all: Vec<Value> = rules.iter().map(|r| meta_json(r)).collect();
    serde_json::to_string_pretty(&all).unwrap_or_default() + "\n"
}

/// Everything about one rule, for a person.
pub fn show_text(r: &RuleMeta, cases: Option<usize>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}\n", r.id, r.title);
    let _ = writeln!(out, "severity:    {}", r.severity);
    let _ = writeln!(out, "status:      {:?}", r.status);
    let _ = writeln!(out, "applies to:  {}", r.applies_to.join(", "));
    for (framework, ids) in r.controls_by_framework() {
        let _ = writeln!(out, "{framework}: {}", ids.join(", "));
    }
    if !r.paths.is_empty() {
        let _ = writeln!(out, "paths:       {}", r.paths.join(", "));
    }
    let _ = writeln!(out, "source:      {}", r.source);
    if let Some(n) = cases {
        let _ = writeln!(out, "test cases:  {n}");
    }
    for (name, value) in &r.params {
        let _ = writeln!(out, "param:       {name} = {value}");
    }
    let _ = writeln!(out, "\nRationale\n  {}", r.rationale.replace('\n', "\n  "));
    let _ = writeln!(out, "\nRemediation\n  {}", r.remediation.replace('\n', "\n  "));
    if !r.references.is_empty() {
        let _ = writeln!(out, "\nReferences");
        for link in &r.references {
            let _ = writeln!(out, "  {link}");
        }
    }
    out
}
