//! YAML streams (multi-document), built from saphyr-parser events.
//!
//! Building the tree from events, rather than through a loader, lets us keep
//! a line span on every node, bound alias expansion ("billion laughs") and
//! nesting depth, and map CloudFormation's short-form tags (`!Ref`, `!Sub`…)
//! to their long form.

use crate::error::{InputError, MAX_DEPTH};
use crate::lines::LineIndex;
use crate::node::{LineSpan, Node, NodeValue};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span, Tag};
use std::collections::HashMap;
use std::sync::Arc;

/// Most nodes that aliases may add to one file, past which it is rejected.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// YAML files (`.yaml`, `.yml`), every document of the stream.
pub struct Yaml;

impl super::Parser for Yaml {
    fn name(&self) -> &'static str {
        "yaml"
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        super::has_extension(path, &["yaml", "yml"])
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        let docs = parse(path, text)?;
        let multi = docs.len() > 1 || docs.iter().any(|d| d.index > 0);
        Ok(docs
            .into_iter()
            .flat_map(|d| {
                crate::classify::classify(crate::classify::Document { format: "yaml", path, index: d.index, multi, root: d.root })
            })
            .collect())
    }
}

/// One parsed document of a stream and its index in the stream.
#[derive(Debug)]
pub struct YamlDocument {
    pub index: usize,
    pub root: Node,
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: u32,
        anchor: usize,
        tag: Option<String>,
    },
    Map {
        members: Vec<(String, Node)>,
        key: Option<(String, u32)>,
        /// Keys that came from `<<` merges, which explicit keys may override.
        merged: Vec<String>,
        start: u32,
        anchor: usize,
        tag: Option<String>,
    },
}

struct Builder<'a> {
    path: &'a str,
    text: &'a Arc<str>,
    index: LineIndex,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_nodes: usize,
    docs: Vec<YamlDocument>,
    doc_count: usize,
}

/// Parses every document of a YAML stream. Documents that are empty or only
/// `null` (a trailing `---`, say) are dropped; their index still counts.
pub fn parse(path: &str, text: &Arc<str>) -> Result<Vec<YamlDocument>, InputError> {
    let mut b = Builder {
        path,
        text,
        index: LineIndex::new(text),
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        docs: Vec::new(),
        doc_count: 0,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let at = b.offset(e.marker());
            InputError::parse(path, text, at..at + 1, e.info().to_string())
        })?;
        b.on_event(event, span)?;
    }
    Ok(b.docs)
}

impl Builder<'_> {
    fn offset(&self, m: &Marker) -> usize {
        self.index.offset_of(self.text, m.line(), m.col())
    }

    fn error(&self, span: Span, message: String) -> InputError {
        let start = self.offset(&span.start);
        InputError::parse(self.path, self.text, start..self.offset(&span.end).max(start + 1), message)
    }

    fn on_event(&mut self, event: Event<'_>, span: Span) -> Result<(), InputError> {
        let line = line_of(&span.start);
        match event {
            Event::DocumentStart(_) => self.anchors.clear(),
            Event::DocumentEnd => self.doc_count += 1,
            Event::Scalar(text, style, anchor, tag) => {
                let value = scalar(&text, style, tag.as_deref());
                let node = Node::new(value, LineSpan::new(line, end_line(&span)));
                self.complete(wrap_local_tag(node, tag.as_deref()), anchor, span)?;
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) if self.stack.len() >= MAX_DEPTH => {
                let _ = (anchor, tag);
                return Err(self.error(span, format!("nested more than {MAX_DEPTH} levels deep")));
            }
            Event::SequenceStart(anchor, tag) => {
                let tag = local_tag(tag.as_deref());
                self.stack.push(Frame::Seq { items: Vec::new(), start: line, anchor, tag });
            }
            Event::MappingStart(anchor, tag) => {
                let tag = local_tag(tag.as_deref());
                self.stack.push(Frame::Map { members: Vec::new(), key: None, merged: Vec::new(), start: line, anchor, tag });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor, tag) = match self.stack.pop() {
                    Some(Frame::Seq { items, start, anchor, tag }) => {
                        let end = items.iter().map(|n| n.lines.end).max().unwrap_or(start);
                        (Node::new(NodeValue::Array(items), LineSpan::new(start, end)), anchor, tag)
                    }
                    Some(Frame::Map { members, start, anchor, tag, .. }) => {
                        let end = members.iter().map(|(_, n)| n.lines.end).max().unwrap_or(start);
                        (Node::new(NodeValue::Object(members), LineSpan::new(start, end)), anchor, tag)
                    }
                    None => return Ok(()),
                };
                let node = match tag {
                    Some(t) => wrap_tag_name(node, &t),
                    None => node,
                };
                self.complete(node, anchor, span)?;
            }
            Event::Alias(id) => {
                let Some(node) = self.anchors.get(&id) else {
                    return Err(self.error(span, "alias to an unknown anchor".into()));
                };
                self.alias_nodes += node.size();
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(self.error(span, format!("aliases expand to more than {MAX_ALIAS_NODES} nodes (possible alias bomb)")));
                }
                let mut node = node.clone();
                node.lines = LineSpan::single(line);
                self.complete(node, 0, span)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// Places a finished node into its parent, or makes it a document root.
    fn complete(&mut self, node: Node, anchor: usize, span: Span) -> Result<(), InputError> {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                if node.value != NodeValue::Null {
                    self.docs.push(YamlDocument { index: self.doc_count, root: node });
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { key: key @ None, .. }) => {
                *key = Some((key_text(&node), node.lines.start));
            }
            Some(Frame::Map { members, key: key @ Some(_), merged, .. }) => {
                let (k, key_line) = key.take().unwrap_or_default();
                let mut value = node;
                value.lines.start = value.lines.start.min(key_line);
                if k == "<<" {
                    merge_keys(members, merged, value);
                    return Ok(());
                }
                match members.iter().position(|(existing, _)| *existing == k) {
                    Some(i) if merged.contains(&k) => {
                        merged.retain(|m| *m != k);
                        members[i].1 = value;
                    }
                    Some(_) => return Err(self.error(span, format!("duplicate key `{k}`"))),
                    None => members.push((k, value)),
                }
            }
        }
        Ok(())
    }
}

fn line_of(m: &Marker) -> u32 {
    u32::try_from(m.line()).unwrap_or(u32::MAX)
}

/// Exclusive end markers sit at column 0 of the next line after block scalars.
fn end_line(span: &Span) -> u32 {
    let (start, end) = (line_of(&span.start), line_of(&span.end));
    if end > start && span.end.col() == 0 {
        end - 1
    } else {
        end
    }
}

fn key_text(node: &Node) -> String {
    match &node.value {
        NodeValue::String(s) => s.clone(),
        NodeValue::Null => "null".into(),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Int(i) => i.to_string(),
        NodeValue::Float(f) => f.to_string(),
        _ => node.to_json().to_string(),
    }
}

/// YAML merge keys (`<<: *defaults`): merged members never override explicit ones.
fn merge_keys(members: &mut Vec<(String, Node)>, merged: &mut Vec<String>, value: Node) {
    let sources = match value.value {
        NodeValue::Array(items) => items,
        other => vec![Node::new(other, value.lines)],
    };
    for source in sources {
        if let NodeValue::Object(entries) = source.value {
            for (k, v) in entries {
                if !members.iter().any(|(existing, _)| *existing == k) {
                    merged.push(k.clone());
                    members.push((k, v));
                }
            }
        }
    }
}

/// Resolves a scalar by the YAML 1.2 core schema; quoted scalars stay strings.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> NodeValue {
    if let Some(tag) = tag.filter(|t| t.is_yaml_core_schema()) {
        return match tag.suffix.as_str() {
            "str" => NodeValue::String(text.to_string()),
            "null" => NodeValue::Null,
            _ => resolve_plain(text),
        };
    }
    if style != ScalarStyle::Plain {
        return NodeValue::String(text.to_string());
    }
    resolve_plain(text)
}

fn resolve_plain(text: &str) -> NodeValue {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return NodeValue::Null,
        "true" | "True" | "TRUE" => return NodeValue::Bool(true),
        "false" | "False" | "FALSE" => return NodeValue::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return NodeValue::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return NodeValue::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeValue::Float(f64::NAN),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i64>() {
            return NodeValue::Int(i);
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(oct, 8) {
            return NodeValue::Int(i);
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return NodeValue::Int(i);
        }
    }
    let looks_numeric = digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && digits.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().any(|b| b.is_ascii_digit());
    if looks_numeric {
        if let Ok(f) = text.parse::<f64>() {
            return NodeValue::Float(f);
        }
    }
    NodeValue::String(text.to_string())
}

/// Local tags (`!Ref`, `!Sub`) as the name their long form uses.
fn local_tag(tag: Option<&Tag>) -> Option<String> {
    tag.filter(|t| t.handle == "!" && !t.suffix.is_empty()).map(|t| t.suffix.clone())
}

fn wrap_local_tag(node: Node, tag: Option<&Tag>) -> Node {
    match local_tag(tag) {
        Some(name) => wrap_tag_name(node, &name),
        None => node,
    }
}

/// CloudFormation short forms: `!Ref x` is `{Ref: x}`, `!GetAtt a.b` is
/// `{"Fn::GetAtt": [a, b]}`, and any other `!Name v` is `{"Fn::Name": v}`.
fn wrap_tag_name(node: Node, name: &str) -> Node {
    let lines = node.lines;
    let (key, inner) = match name {
        "Ref" | "Condition" => (name.to_string(), node),
        "GetAtt" => {
            let inner = match &node.value {
                NodeValue::String(s) => {
                    let parts = match s.split_once('.') {
                        Some((a, b)) => vec![a, b],
                        None => vec![s.as_str()],
                    };
                    let items = parts.into_iter().map(|p| Node::new(NodeValue::String(p.to_string()), lines)).collect();
                    Node::new(NodeValue::Array(items), lines)
                }
                _ => node,
            };
            ("Fn::GetAtt".to_string(), inner)
        }
        other => (format!("Fn::{other}"), node),
    };
    Node::new(NodeValue::Object(vec![(key, inner)]), lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Vec<YamlDocument>, InputError> {
        parse("t.yaml", &Arc::from(text))
    }

    #[test]
    fn multi_document_lines_are_file_global() {
        let docs = p("a: 1\n---\n# c\nkind: Pod\nspec:\n  x: [1, 2]\n  y: |\n    text\n    more\n---\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].index, 1);
        let d = &docs[1].root;
        assert_eq!(d.lines, LineSpan::new(4, 9));
        assert_eq!(d.at_path("spec.x").unwrap().lines.start, 6);
        assert_eq!(d.at_path("spec.y").unwrap().lines, LineSpan::new(7, 9));
        assert_eq!(d.at_path("spec").unwrap().lines.start, 5);
    }

    #[test]
    fn core_schema_scalars() {
        let docs = p("a: yes\nb: 010\nc: '1'\nd: 1.5e3\ne: ~\nf: 0x1F\ng: 1.2.3\n").unwrap();
        let j = docs[0].root.to_json();
        assert_eq!(j, serde_json::json!({"a": "yes", "b": 10, "c": "1", "d": 1500.0, "e": null, "f": 31, "g": "1.2.3"}));
    }

    #[test]
    fn anchors_merge_keys_and_cfn_tags() {
        let docs =
            p("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nref: !Ref Bucket\natt: !GetAtt Role.Arn\nsub: !Sub '${AWS::Region}'\n")
                .unwrap();
        let j = docs[0].root.to_json();
        assert_eq!(j["use"], serde_json::json!({"y": 3, "x": 1}));
        assert_eq!(j["ref"], serde_json::json!({"Ref": "Bucket"}));
        assert_eq!(j["att"], serde_json::json!({"Fn::GetAtt": ["Role", "Arn"]}));
        assert_eq!(j["sub"], serde_json::json!({"Fn::Sub": "${AWS::Region}"}));
    }

    #[test]
    fn hostile_input_is_rejected_with_a_line() {
        let bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
        let err = p(bomb).unwrap_err();
        assert!(err.message().contains("alias"), "{err}");
        let deep = "[".repeat(300) + &"]".repeat(300);
        let err = p(&deep).unwrap_err();
        assert!(err.message().contains("recursion limit"), "{err}");
        // Block nesting below the parser's own limit still meets ours.
        let block: String = (0..140).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect::<String>() + &" ".repeat(140) + "v: 1\n";
        assert!(p(&block).unwrap_err().message().contains("nested"));
        let dup = p("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(dup.line(), Some(3));
        let bad = p("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(bad.line().is_some());
    }
}
