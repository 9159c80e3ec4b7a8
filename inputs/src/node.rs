//! A parsed configuration document as a tree whose every node knows its lines.
//!
//! Parsers build [`Node`]s rather than `serde_json::Value`s so that a rule can
//! name a property path (`spec.containers[0].image`) and the report can point at
//! the exact line of that property, not just the first line of the document.

use serde_json::{Map, Value};

/// Inclusive, 1-based line range in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct LineSpan {
    pub start: u32,
    pub end: u32,
}

impl LineSpan {
    pub fn new(start: u32, end: u32) -> Self {
        LineSpan { start, end: end.max(start) }
    }

    pub fn single(line: u32) -> Self {
        LineSpan { start: line, end: line }
    }
}

/// One value in a document, with the lines it occupies.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub lines: LineSpan,
}

/// The value half of a [`Node`]. Objects keep their source order.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
    /// A value that cannot be known without evaluating the configuration
    /// (a Terraform reference, function call or conditional, or a plan's
    /// "known after apply"), holding the expression text as written.
    Unknown(String),
}

impl Node {
    pub fn new(value: NodeValue, lines: LineSpan) -> Self {
        Node { value, lines }
    }

    /// Member `key` of an object node (the first one, if a key repeats).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            NodeValue::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string value of member `key`, if it is a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.get(key).map(|n| &n.value) {
            Some(NodeValue::String(s)) => Some(s),
            _ => None,
        }
    }

    /// Follows a property path such as `spec.containers[0].image` or
    /// `metadata.labels["app.kubernetes.io/name"]` and returns the node there.
    pub fn at_path(&self, path: &str) -> Option<&Node> {
        let mut node = self;
        for step in parse_path(path)? {
            node = match (step, &node.value) {
                (PathStep::Key(k), NodeValue::Object(_)) => node.get(&k)?,
                (PathStep::Index(i), NodeValue::Array(items)) => items.get(i)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The deepest node along `path` that exists, so that a failure on a
    /// missing property still points at its nearest existing parent.
    pub fn nearest_on_path(&self, path: &str) -> &Node {
        let mut node = self;
        let Some(steps) = parse_path(path) else { return node };
        for step in steps {
            let next = match (step, &node.value) {
                (PathStep::Key(k), NodeValue::Object(_)) => node.get(&k),
                (PathStep::Index(i), NodeValue::Array(items)) => items.get(i),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node
    }

    /// Plain JSON view of the tree (lines dropped), for `--show` and reports.
    pub fn to_json(&self) -> Value {
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::from(*i),
            NodeValue::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Unknown(expr) => serde_json::json!({ "$unknown": expr }),
            NodeValue::Array(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for (k, v) in members {
                    map.entry(k.clone()).or_insert_with(|| v.to_json());
                }
                Value::Object(map)
            }
        }
    }

    /// Number of nodes in the tree, used to bound alias expansion.
    pub fn size(&self) -> usize {
        1 + match &self.value {
            NodeValue::Array(items) => items.iter().map(Node::size).sum(),
            NodeValue::Object(members) => members.iter().map(|(_, v)| v.size()).sum(),
            _ => 0,
        }
    }
}

/// One step of a property path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

/// Parses `a.b[0]["c.d"]` into steps; `None` when the path is malformed.
pub fn parse_path(path: &str) -> Option<Vec<PathStep>> {
    let mut steps = Vec::new();
    let mut chars = path.chars().peekable();
    let mut key = String::new();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !key.is_empty() {
                    steps.push(PathStep::Key(std::mem::take(&mut key)));
                }
            }
            '[' => {
                if !key.is_empty() {
                    steps.push(PathStep::Key(std::mem::take(&mut key)));
                }
                let mut inner = String::new();
                let quoted = matches!(chars.peek(), Some('"') | Some('\''));
                let quote = if quoted { chars.next() } else { None };
                loop {
                    match chars.next()? {
                        q if Some(q) == quote && chars.peek() == Some(&']') => {
                            chars.next();
                            break;
                        }
                        ']' if quote.is_none() => break,
                        other => inner.push(other),
                    }
                }
                if quoted {
                    steps.push(PathStep::Key(inner));
                } else {
                    steps.push(PathStep::Index(inner.trim().parse().ok()?));
                }
            }
            other => key.push(other),
        }
    }
    if !key.is_empty() {
        steps.push(PathStep::Key(key));
    }
    Some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(v: NodeValue, line: u32) -> Node {
        Node::new(v, LineSpan::single(line))
    }

    #[test]
    fn paths_parse_keys_indexes_and_quoted_keys() {
        let steps = parse_path(r#"spec.containers[1]["app.io/name"].x"#).unwrap();
        assert_eq!(
            steps,
            vec![
                PathStep::Key("spec".into()),
                PathStep::Key("containers".into()),
                PathStep::Index(1),
                PathStep::Key("app.io/name".into()),
                PathStep::Key("x".into()),
            ]
        );
        assert!(parse_path("a[x]").is_none());
        assert!(parse_path("a[1").is_none());
    }

    #[test]
    fn at_path_and_nearest_find_lines() {
        let doc = Node::new(
            NodeValue::Object(vec![(
                "spec".into(),
                Node::new(NodeValue::Array(vec![leaf(NodeValue::Int(1), 3), leaf(NodeValue::Bool(true), 4)]), LineSpan::new(2, 4)),
            )]),
            LineSpan::new(1, 4),
        );
        assert_eq!(doc.at_path("spec[1]").unwrap().lines.start, 4);
        assert!(doc.at_path("spec[2]").is_none());
        assert_eq!(doc.nearest_on_path("spec[7].x").lines.start, 2);
        assert_eq!(doc.to_json(), serde_json::json!({"spec": [1, true]}));
        assert_eq!(doc.size(), 4);
        let unknown = leaf(NodeValue::Unknown("aws_s3_bucket.logs.id".into()), 1);
        assert_eq!(unknown.to_json(), serde_json::json!({"$unknown": "aws_s3_bucket.logs.id"}));
    }
}
