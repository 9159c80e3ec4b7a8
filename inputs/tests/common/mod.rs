//! Shared by the format tests: load fixtures through the real pipeline and
//! render resources as reviewable text (every node with its lines).

use std::fmt::Write;
use std::path::{Path, PathBuf};
use tollgate_inputs::{discover, load, Excludes, InputFile, LineSpan, Node, NodeValue, Resource};

/// The fixture directory `name` under `tests/fixtures`.
pub fn fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Discovers and loads every file under `dir`, as a scan would.
pub fn load_dir(dir: &Path) -> (Vec<InputFile>, Vec<Resource>) {
    let found = discover(&[dir.to_path_buf()], &Excludes::new(&[]).unwrap()).unwrap();
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    let mut resources = Vec::new();
    for file in &found.files {
        resources.extend(load(file, tollgate_inputs::DEFAULT_MAX_FILE_SIZE).unwrap_or_else(|e| panic!("{e}")));
    }
    (found.files, resources)
}

/// The resource with `id` (panics when absent).
pub fn by_id<'a>(resources: &'a [Resource], id: &str) -> &'a Resource {
    resources.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no resource {id}"))
}

fn lines(l: LineSpan) -> String {
    if l.start == l.end {
        l.start.to_string()
    } else {
        format!("{}-{}", l.start, l.end)
    }
}

fn leaf(v: &NodeValue) -> String {
    match v {
        NodeValue::Unknown(expr) => format!("<unknown {expr}>"),
        NodeValue::Array(items) if items.is_empty() => "[]".into(),
        NodeValue::Object(members) if members.is_empty() => "{}".into(),
        NodeValue::Array(_) => "[".into(),
        NodeValue::Object(_) => "{".into(),
        other => Node::new(other.clone(), LineSpan::default()).to_json().to_string(),
    }
}

fn walk(node: &Node, path: &str, out: &mut String) {
    let _ = writeln!(out, "  {:>7}  {path} = {}", lines(node.lines), leaf(&node.value));
    match &node.value {
        NodeValue::Array(items) => items.iter().enumerate().for_each(|(i, n)| walk(n, &format!("{path}[{i}]"), out)),
        NodeValue::Object(members) => {
            for (k, n) in members {
                let simple = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                let step = if simple { format!("{path}.{k}") } else { format!("{path}[{k:?}]") };
                walk(n, step.trim_start_matches('.'), out);
            }
        }
        _ => {}
    }
}

/// Every resource: kind, id, path and lines, attributes, then every node.
pub fn render(resources: &[Resource]) -> String {
    let mut out = String::new();
    for r in resources {
        let _ = writeln!(out, "{}  {}  {}:{}", r.kind, r.id, r.path, lines(r.lines));
        let attrs: Vec<String> = r.attributes.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(out, "  attributes: {}", attrs.join(" "));
        if let NodeValue::Object(members) = &r.data.value {
            for (k, n) in members {
                walk(n, k, &mut out);
            }
        } else {
            walk(&r.data, "", &mut out);
        }
        out.push('\n');
    }
    out
}
