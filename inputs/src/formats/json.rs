//! JSON (and JSONC: comments and trailing commas, as in tsconfig-style files).
//!
//! jsonc-parser gives byte ranges for every value, which become line spans.

use crate::error::{InputError, MAX_DEPTH};
use crate::lines::LineIndex;
use crate::node::{LineSpan, Node, NodeValue};
use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, ParseOptions};
use std::sync::Arc;

/// JSON and JSONC files (`.json`).
pub struct Json;

impl super::Parser for Json {
    fn comment_prefixes(&self) -> &'static [&'static str] {
        &[]
    }

    fn name(&self) -> &'static str {
        "json"
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        super::has_extension(path, &["json"])
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        Ok(super::single_document("json", path, parse(path, text)?))
    }
}

/// Parses one JSON document; an empty file is an error, as it is for every JSON consumer.
pub fn parse(path: &str, text: &Arc<str>) -> Result<Node, InputError> {
    let options = ParseOptions { allow_missing_commas: false, ..ParseOptions::default() };
    let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options).map_err(|e| {
        let r = e.range();
        InputError::parse(path, text, r.start..r.end.max(r.start + 1), e.kind().to_string())
    })?;
    let Some(value) = parsed.value else {
        return Err(InputError::parse(path, text, 0..0, "empty JSON document"));
    };
    let index = LineIndex::new(text);
    convert(&value, &index, 0).map_err(|range| InputError::parse(path, text, range, format!("nested more than {MAX_DEPTH} levels deep")))
}

fn span(index: &LineIndex, r: jsonc_parser::common::Range) -> LineSpan {
    LineSpan::new(index.line_of(r.start), index.line_of(r.end.saturating_sub(1).max(r.start)))
}

fn convert(value: &Value<'_>, index: &LineIndex, depth: usize) -> Result<Node, std::ops::Range<usize>> {
    let (v, r) = match value {
        Value::NullKeyword(n) => (NodeValue::Null, n.range),
        Value::BooleanLit(b) => (NodeValue::Bool(b.value), b.range),
        Value::StringLit(s) => (NodeValue::String(s.value.to_string()), s.range),
        Value::NumberLit(n) => (number(n.value), n.range),
        Value::Array(a) => {
            if depth >= MAX_DEPTH {
                return Err(a.range.start..a.range.end);
            }
            let items = a.elements.iter().map(|e| convert(e, index, depth + 1)).collect::<Result<_, _>>()?;
            (NodeValue::Array(items), a.range)
        }
        Value::Object(o) => {
            if depth >= MAX_DEPTH {
                return Err(o.range.start..o.range.end);
            }
            let mut members: Vec<(String, Node)> = Vec::with_capacity(o.properties.len());
            for prop in &o.properties {
                let key = match &prop.name {
                    ObjectPropName::String(s) => s.value.to_string(),
                    ObjectPropName::Word(w) => w.value.to_string(),
                };
                let mut node = convert(&prop.value, index, depth + 1)?;
                // The property's line is where its key is, which is where a reader looks.
                node.lines.start = index.line_of(prop.range.start);
                // Later duplicates win, as in JavaScript and serde_json.
                if let Some(slot) = members.iter_mut().find(|(k, _)| *k == key) {
                    slot.1 = node;
                } else {
                    members.push((key, node));
                }
            }
            (NodeValue::Object(members), o.range)
        }
    };
    Ok(Node::new(v, span(index, r)))
}

fn number(text: &str) -> NodeValue {
    if let Ok(i) = text.parse::<i64>() {
        return NodeValue::Int(i);
    }
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return NodeValue::Int(i);
        }
    }
    text.parse::<f64>().map(NodeValue::Float).unwrap_or_else(|_| NodeValue::String(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Node, InputError> {
        parse("t.json", &Arc::from(text))
    }

    #[test]
    fn values_and_lines() {
        let doc = p("{\n  \"a\": 1,\n  // note\n  \"b\": [true, null, 2.5],\n  \"a\": \"x\",\n}\n").unwrap();
        assert_eq!(doc.to_json(), serde_json::json!({"a": "x", "b": [true, null, 2.5]}));
        assert_eq!(doc.at_path("b").unwrap().lines, LineSpan::single(4));
        assert_eq!(doc.at_path("a").unwrap().lines.start, 5);
        assert_eq!(doc.lines, LineSpan::new(1, 6));
    }

    #[test]
    fn errors_have_lines() {
        let err = p("{\n \"a\": 1\n \"b\": 2\n}").unwrap_err();
        // The parser reports a missing comma where the previous value ends.
        assert_eq!(err.line(), Some(2), "{err}");
        assert!(err.message().contains("comma"));
        assert!(p("").is_err());
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(p(&deep).unwrap_err().message().contains("nested"));
    }
}
