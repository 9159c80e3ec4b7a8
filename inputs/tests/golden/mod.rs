//! Shared helpers for the golden tests of the host, container, account and
//! INI/.env formats: load a fixture the way a scan names it, check that every
//! node has lines, and render resources as `path  lines  value` rows.
#![allow(dead_code)]

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tollgate_inputs::{detect, parse_text, InputError, Node, NodeValue, Resource};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Parses `tests/fixtures/<group>/<rel>` as a scan rooted at `<group>` would:
/// detected from, and named by, `rel`.
pub fn load(group: &str, rel: &str) -> Result<Vec<Resource>, InputError> {
    let text = std::fs::read_to_string(fixtures().join(group).join(rel)).unwrap_or_else(|e| panic!("{group}/{rel}: {e}"));
    let format = detect(Path::new(rel)).unwrap_or_else(|| panic!("{rel} is not detected as any format"));
    let resources = parse_text(format, rel, &Arc::from(text))?;
    for r in &resources {
        assert_lined(&r.data, &r.id);
    }
    Ok(resources)
}

/// Every node has a real line span (1-based, start <= end).
pub fn assert_lined(node: &Node, what: &str) {
    assert!(node.lines.start >= 1 && node.lines.end >= node.lines.start, "{what}: node without lines: {node:?}");
    match &node.value {
        NodeValue::Array(items) => items.iter().for_each(|n| assert_lined(n, what)),
        NodeValue::Object(members) => members.iter().for_each(|(_, n)| assert_lined(n, what)),
        _ => {}
    }
}

fn key_step(prefix: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    match (prefix.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{prefix}.{key}"),
        (_, false) => format!("{prefix}[{key:?}]"),
    }
}

fn flatten(node: &Node, path: &str, out: &mut String) {
    let lines = if node.lines.start == node.lines.end {
        format!("L{}", node.lines.start)
    } else {
        format!("L{}-{}", node.lines.start, node.lines.end)
    };
    let shown = match &node.value {
        NodeValue::Array(items) => format!("[{}]", items.len()),
        NodeValue::Object(members) => format!("{{{}}}", members.len()),
        _ => node.to_json().to_string(),
    };
    let _ = writeln!(out, "{:<48} {:<8} {}", if path.is_empty() { "." } else { path }, lines, shown);
    match &node.value {
        NodeValue::Array(items) => items.iter().enumerate().for_each(|(i, n)| flatten(n, &format!("{path}[{i}]"), out)),
        NodeValue::Object(members) => members.iter().for_each(|(k, n)| flatten(n, &key_step(path, k), out)),
        _ => {}
    }
}

/// One block per resource: a header, then every node with its lines.
pub fn render(resources: &[Resource]) -> String {
    let mut out = String::new();
    for r in resources {
        let attrs: Vec<String> = r.attributes.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(out, "== {} {:?} at {} L{}-{} [{}]", r.kind, r.id, r.path, r.lines.start, r.lines.end, attrs.join(", "));
        flatten(&r.data, "", &mut out);
    }
    out
}
