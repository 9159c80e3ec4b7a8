//! What both syntaxes share: top-level blocks to resources, nested blocks to
//! members, and matching references in unknown expressions.

use crate::error::InputError;
use crate::node::{LineSpan, Node, NodeValue};
use crate::resource::Resource;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One top-level block (`resource "aws_s3_bucket" "logs" { … }`) in either syntax.
#[derive(Debug)]
pub(super) struct TopBlock {
    /// The block type: `resource`, `data`, `module`, `locals`, …
    pub ident: String,
    pub labels: Vec<String>,
    /// The block body as an object node.
    pub body: Node,
    pub lines: LineSpan,
    /// Byte offset of the block, for errors.
    pub offset: usize,
}

/// How many labels each top-level block type takes (unlisted types take none).
pub(super) fn label_count(ident: &str) -> usize {
    match ident {
        "resource" | "data" => 2,
        "module" | "variable" | "output" | "provider" | "check" => 1,
        _ => 0,
    }
}

/// Resources of one file's top-level blocks. Each `locals` entry is its own
/// resource; block types Tollgate has no scheme for (`moved`, `import`, …)
/// become `terraform:<type>` resources named by their type and labels.
pub(super) fn resources(path: &str, text: &Arc<str>, syntax: &str, dir: &str, blocks: Vec<TopBlock>) -> Result<Vec<Resource>, InputError> {
    let mut out = Vec::with_capacity(blocks.len());
    for mut block in blocks {
        let wanted = label_count(&block.ident);
        if block.labels.len() != wanted {
            let message = format!("a `{}` block takes {wanted} label(s), found {}", block.ident, block.labels.len());
            return Err(InputError::parse(path, text, block.offset..block.offset + 1, message));
        }
        let mut attributes = BTreeMap::new();
        attributes.insert("source".to_string(), syntax.to_string());
        attributes.insert("block".to_string(), block.ident.clone());
        attributes.insert("module_dir".to_string(), dir.to_string());
        let labels = &block.labels;
        let (kind, id) = match block.ident.as_str() {
            "resource" => (format!("terraform:{}", labels[0]), format!("{}.{}", labels[0], labels[1])),
            "data" => (format!("terraform:data.{}", labels[0]), format!("data.{}.{}", labels[0], labels[1])),
            "module" => ("terraform:module".to_string(), format!("module.{}", labels[0])),
            "variable" => {
                type_constraint_as_text(&mut block.body);
                ("terraform:variable".to_string(), format!("var.{}", labels[0]))
            }
            "output" => ("terraform:output".to_string(), format!("output.{}", labels[0])),
            "provider" => {
                let id = match block.body.get_str("alias") {
                    Some(alias) => format!("provider.{}.{alias}", labels[0]),
                    None => format!("provider.{}", labels[0]),
                };
                ("terraform:provider".to_string(), id)
            }
            "terraform" => ("terraform:settings".to_string(), "terraform".to_string()),
            "locals" => {
                let NodeValue::Object(members) = block.body.value else { continue };
                for (name, value) in members {
                    let lines = value.lines;
                    out.push(Resource {
                        kind: "terraform:local".to_string(),
                        id: format!("local.{name}"),
                        path: path.to_string(),
                        lines,
                        data: Node::new(NodeValue::Object(vec![("value".to_string(), value)]), lines),
                        attributes: attributes.clone(),
                    });
                }
                continue;
            }
            other => {
                let id = std::iter::once(other).chain(labels.iter().map(String::as_str)).collect::<Vec<_>>().join(".");
                (format!("terraform:{other}"), id)
            }
        };
        if matches!(block.ident.as_str(), "resource" | "data") {
            attributes.insert("type".to_string(), labels[0].clone());
            attributes.insert("name".to_string(), labels[1].clone());
        }
        if block.ident == "module" {
            if let Some(source) = block.body.get_str("source") {
                attributes.insert("module_source".to_string(), source.to_string());
            }
        }
        out.push(Resource { kind, id, path: path.to_string(), lines: block.lines, data: block.body, attributes });
    }
    Ok(out)
}

/// A variable's `type` is a type constraint, not a value: `list(string)`
/// reads as that text in both syntaxes.
fn type_constraint_as_text(body: &mut Node) {
    if let NodeValue::Object(members) = &mut body.value {
        for (key, value) in members.iter_mut() {
            if key == "type" {
                if let NodeValue::Unknown(text) = &value.value {
                    value.value = NodeValue::String(text.clone());
                }
            }
        }
    }
}

/// Members of a body in source order, with nested blocks grouped by type:
/// one block is an object, a repeated one an array of objects. Blocks made
/// by `dynamic` are always arrays, since how many there are is not known.
#[derive(Default)]
pub(super) struct Members {
    entries: Vec<(String, Entry)>,
}

enum Entry {
    Value(Node),
    Blocks { nodes: Vec<Node>, dynamic: bool },
}

impl Members {
    /// Adds an attribute; `Err` names it if the key is already taken.
    pub fn attribute(&mut self, key: String, node: Node) -> Result<(), String> {
        if self.entries.iter().any(|(k, _)| *k == key) {
            return Err(format!("`{key}` is defined more than once"));
        }
        self.entries.push((key, Entry::Value(node)));
        Ok(())
    }

    /// Adds one nested block of type `key`.
    pub fn block(&mut self, key: String, node: Node, is_dynamic: bool) -> Result<(), String> {
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, Entry::Blocks { nodes, dynamic })) => {
                nodes.push(node);
                *dynamic |= is_dynamic;
            }
            Some((_, Entry::Value(_))) => return Err(format!("`{key}` is both an attribute and a block")),
            None => self.entries.push((key, Entry::Blocks { nodes: vec![node], dynamic: is_dynamic })),
        }
        Ok(())
    }

    /// The body as an object node spanning `lines`.
    pub fn finish(self, lines: LineSpan) -> Node {
        let members = self
            .entries
            .into_iter()
            .map(|(key, entry)| {
                let node = match entry {
                    Entry::Value(node) => node,
                    Entry::Blocks { mut nodes, dynamic } if nodes.len() == 1 && !dynamic => nodes.remove(0),
                    Entry::Blocks { nodes, .. } => {
                        let start = nodes.first().map_or(0, |n| n.lines.start);
                        let end = nodes.iter().map(|n| n.lines.end).max().unwrap_or(start);
                        Node::new(NodeValue::Array(nodes), LineSpan::new(start, end))
                    }
                };
                (key, node)
            })
            .collect();
        Node::new(NodeValue::Object(members), lines)
    }
}

/// A nested block's node: its body, wrapped in one object per label
/// (`backend "s3" { … }` is `backend: { s3: { … } }`, as in the JSON syntax).
pub(super) fn labelled(body: Node, labels: &[String], lines: LineSpan) -> Node {
    labels.iter().rev().fold(body, |inner, label| Node::new(NodeValue::Object(vec![(label.clone(), inner)]), lines))
}

/// The node a `dynamic "x" { for_each = …, content { … } }` block adds to
/// `x`: the content, with the `for_each` expression under `$for_each`.
pub(super) fn dynamic_block(content: Option<Node>, for_each: Option<Node>, lines: LineSpan) -> Node {
    let mut members = match content.map(|c| c.value) {
        Some(NodeValue::Object(m)) => m,
        _ => Vec::new(),
    };
    if let Some(f) = for_each {
        members.insert(0, ("$for_each".to_string(), f));
    }
    Node::new(NodeValue::Object(members), lines)
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Whether the expression text `expr` references the object at `address`
/// (`aws_s3_bucket.logs.id` and `aws_s3_bucket.logs[0].arn` reference
/// `aws_s3_bucket.logs`; `aws_s3_bucket.logs_old.id` and
/// `module.x.aws_s3_bucket.logs` do not).
pub fn refers_to(expr: &str, address: &str) -> bool {
    let address = address.trim();
    if address.is_empty() {
        return false;
    }
    expr.match_indices(address).any(|(at, _)| {
        let before = expr[..at].chars().next_back();
        let after = expr[at + address.len()..].chars().next();
        !before.is_some_and(|c| is_name_char(c) || c == '.') && !after.is_some_and(is_name_char)
    })
}

#[cfg(test)]
mod tests {
    use super::refers_to;

    #[test]
    fn references_respect_name_boundaries() {
        assert!(refers_to("aws_s3_bucket.logs.id", "aws_s3_bucket.logs"));
        assert!(refers_to("aws_s3_bucket.logs[0].arn", "aws_s3_bucket.logs"));
        assert!(refers_to("\"${aws_s3_bucket.logs.bucket}-x\"", "aws_s3_bucket.logs"));
        assert!(refers_to("aws_s3_bucket.logs", "aws_s3_bucket.logs"));
        assert!(refers_to("merge(local.tags, { a = var.x })", "var.x"));
        assert!(!refers_to("aws_s3_bucket.logs_old.id", "aws_s3_bucket.logs"));
        assert!(!refers_to("module.x.aws_s3_bucket.logs.id", "aws_s3_bucket.logs"));
        assert!(!refers_to("data.aws_s3_bucket.logs.id", "aws_s3_bucket.logs"));
        assert!(!refers_to("my_aws_s3_bucket.logs", "aws_s3_bucket.logs"));
        assert!(!refers_to("anything", ""));
    }
}
