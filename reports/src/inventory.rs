//! `tollgate inputs`: what was found, as a table or JSON.

use serde_json::json;
use std::fmt::Write;
use tollgate_inputs::{InputError, Resource};

/// Kind, id, file and lines of every resource, then parse errors.
pub fn table(resources: &[Resource], errors: &[InputError]) -> String {
    let kind_w = resources.iter().map(|r| r.kind.len()).max().unwrap_or(4).max(4);
    let id_w = resources.iter().map(|r| r.id.len()).max().unwrap_or(2).clamp(2, 48);
    let mut out = format!("{:kind_w$}  {:id_w$}  LOCATION\n", "KIND", "ID");
    for r in resources {
        let _ = writeln!(out, "{:kind_w$}  {:id_w$}  {}:{}-{}", r.kind, r.id, r.path, r.lines.start, r.lines.end);
    }
    for e in errors {
        let at = e.line().map_or_else(|| e.path().to_string(), |l| format!("{}:{l}", e.path()));
        let _ = writeln!(out, "{:kind_w$}  {:id_w$}  {at}  {}", "ERROR", e.code_str(), e.message());
    }
    let _ = writeln!(out, "\n{} resources, {} errors", resources.len(), errors.len());
    out
}

/// The same as JSON; with `data`, each resource's content and attributes too.
pub fn json(resources: &[Resource], errors: &[InputError], data: bool) -> String {
    let resources: Vec<_> = resources
        .iter()
        .map(|r| {
            let mut v = json!({"kind": r.kind, "id": r.id, "path": r.path, "start_line": r.lines.start, "end_line": r.lines.end});
            if data {
                v["attributes"] = json!(r.attributes);
                v["data"] = r.data.to_json();
            }
            v
        })
        .collect();
    let errors: Vec<_> =
        errors.iter().map(|e| json!({"code": e.code_str(), "path": e.path(), "line": e.line(), "message": e.message()})).collect();
    serde_json::to_string_pretty(&json!({"resources": resources, "errors": errors})).unwrap_or_default() + "\n"
}
