//! TOML documents, through toml_edit's span-preserving parser.

use crate::error::InputError;
use crate::lines::LineIndex;
use crate::node::{LineSpan, Node, NodeValue};
use std::sync::Arc;
use toml_edit::{Document, Item, Table, Value};

/// TOML files (`.toml`).
pub struct Toml;

impl super::Parser for Toml {
    fn name(&self) -> &'static str {
        "toml"
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        super::has_extension(path, &["toml"])
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        Ok(super::single_document("toml", path, parse(path, text)?))
    }
}

/// Parses a TOML document into a node tree.
pub fn parse(path: &str, text: &Arc<str>) -> Result<Node, InputError> {
    let doc = Document::parse(text.as_ref()).map_err(|e| {
        let span = e.span().unwrap_or(0..1);
        InputError::parse(path, text, span, e.message().trim().to_string())
    })?;
    let index = LineIndex::new(text);
    let root = doc.as_table();
    let end = index.line_of(text.len().saturating_sub(1));
    let mut node = table(root, &index);
    node.lines = LineSpan::new(1, end.max(1));
    Ok(node)
}

fn lines(index: &LineIndex, span: Option<std::ops::Range<usize>>) -> LineSpan {
    match span {
        Some(r) => LineSpan::new(index.line_of(r.start), index.line_of(r.end.saturating_sub(1).max(r.start))),
        None => LineSpan::default(),
    }
}

fn table(t: &Table, index: &LineIndex) -> Node {
    let mut members = Vec::new();
    for (key, item) in t.iter() {
        let key_span = t.key(key).and_then(|k| k.span());
        let Some(mut node) = item_node(item, index) else { continue };
        if let Some(r) = key_span {
            node.lines.start = index.line_of(r.start);
            node.lines.end = node.lines.end.max(node.lines.start);
        }
        members.push((key.to_string(), node));
    }
    object(members, lines(index, t.span()))
}

fn object(members: Vec<(String, Node)>, header: LineSpan) -> Node {
    let start = members.iter().map(|(_, n)| n.lines.start).chain(Some(header.start).filter(|l| *l > 0)).min().unwrap_or(0);
    let end = members.iter().map(|(_, n)| n.lines.end).chain(Some(header.end)).max().unwrap_or(start);
    Node::new(NodeValue::Object(members), LineSpan::new(start, end))
}

fn item_node(item: &Item, index: &LineIndex) -> Option<Node> {
    match item {
        Item::None => None,
        Item::Value(v) => Some(value(v, index)),
        Item::Table(t) => Some(table(t, index)),
        Item::ArrayOfTables(a) => {
            let items: Vec<Node> = a.iter().map(|t| table(t, index)).collect();
            let start = items.first().map_or(0, |n| n.lines.start);
            let end = items.last().map_or(start, |n| n.lines.end);
            Some(Node::new(NodeValue::Array(items), LineSpan::new(start, end)))
        }
    }
}

fn value(v: &Value, index: &LineIndex) -> Node {
    let span = lines(index, v.span());
    let value = match v {
        Value::String(s) => NodeValue::String(s.value().clone()),
        Value::Integer(i) => NodeValue::Int(*i.value()),
        Value::Float(f) => NodeValue::Float(*f.value()),
        Value::Boolean(b) => NodeValue::Bool(*b.value()),
        Value::Datetime(d) => NodeValue::String(d.value().to_string()),
        Value::Array(a) => NodeValue::Array(a.iter().map(|x| value(x, index)).collect()),
        Value::InlineTable(t) => {
            let members = t
                .iter()
                .map(|(k, x)| {
                    let mut n = value(x, index);
                    if let Some(r) = t.key(k).and_then(|key| key.span()) {
                        n.lines.start = index.line_of(r.start);
                    }
                    (k.to_string(), n)
                })
                .collect();
            NodeValue::Object(members)
        }
    };
    Node::new(value, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_arrays_and_lines() {
        let text = "name = \"x\"\n\n[server]\nport = 22\nopts = { tls = true }\n\n[[user]]\nid = 1\n[[user]]\nid = 2\n";
        let doc = parse("t.toml", &Arc::from(text)).unwrap();
        assert_eq!(
            doc.to_json(),
            serde_json::json!({"name": "x", "server": {"port": 22, "opts": {"tls": true}}, "user": [{"id": 1}, {"id": 2}]})
        );
        assert_eq!(doc.at_path("server.port").unwrap().lines.start, 4);
        assert_eq!(doc.at_path("server.opts.tls").unwrap().lines.start, 5);
        assert_eq!(doc.at_path("user[1].id").unwrap().lines.start, 10);
    }

    #[test]
    fn syntax_errors_carry_lines() {
        let err = parse("t.toml", &Arc::from("a = 1\nb = \n")).unwrap_err();
        assert_eq!(err.line(), Some(2));
    }
}
