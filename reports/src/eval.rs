//! `tollgate eval`: each resource a rule judged, its verdicts, and the exact
//! data the rule received, for the rule author's debugging loop.

use serde_json::{json, Value};
use std::fmt::Write;
use tollgate_engine::Finding;
use tollgate_inputs::Resource;

/// One entry per resource that at least one verdict is about.
pub fn entries(resources: &[Resource], findings: &[Finding]) -> Vec<Value> {
    resources
        .iter()
        .filter_map(|r| {
            let verdicts: Vec<Value> = findings
                .iter()
                .filter(|f| f.resource.as_ref().is_some_and(|x| x.kind == r.kind && x.id == r.id))
                .filter(|f| f.location.as_ref().is_some_and(|l| l.path == r.path))
                .map(|f| {
                    json!({"status": f.status, "line": f.location.as_ref().map(|l| l.start_line),
                           "property_path": f.property_path, "message": f.message})
                })
                .collect();
            (!verdicts.is_empty()).then(|| {
                json!({"kind": r.kind, "id": r.id, "path": r.path, "start_line": r.lines.start, "end_line": r.lines.end,
                       "verdicts": verdicts, "attributes": r.attributes, "data": r.data.to_json()})
            })
        })
        .collect()
}

pub fn json(entries: &[Value]) -> String {
    serde_json::to_string_pretty(entries).unwrap_or_default() + "\n"
}

/// Verdicts first, then the data, indented, per resource.
pub fn text(entries: &[Value], kinds: &[String]) -> String {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut out = String::new();
    for e in entries {
        let _ = writeln!(out, "{} {}  ({}:{}-{})", s(&e["kind"]), s(&e["id"]), s(&e["path"]), e["start_line"], e["end_line"]);
        for v in e["verdicts"].as_array().into_iter().flatten() {
            let path = v["property_path"].as_str().map(|p| format!("  [{p}]")).unwrap_or_default();
            let _ = writeln!(out, "  {:5} line {:<4} {}{path}", s(&v["status"]), v["line"], s(&v["message"]));
        }
        let data = serde_json::to_string_pretty(&e["data"]).unwrap_or_default();
        let _ = writeln!(out, "  data the rule saw:\n    {}\n", data.replace('\n', "\n    "));
    }
    if entries.is_empty() {
        let _ = writeln!(out, "the rule applies to none of the resources found ({})", kinds.join(", "));
    }
    out
}
