//! Terraform's JSON syntax (`.tf.json`): the same blocks, written as nested
//! objects keyed by block type and labels.
//!
//! Strings are templates: `"${aws_s3_bucket.logs.id}"` is the reference, and
//! a string that interpolates a reference is unknown, as in the native
//! syntax. `"//"` keys are comments and are dropped. Lines come from the JSON
//! parser, so every property resolves to its line.

use super::blocks::{dynamic_block, label_count, Members, TopBlock};
use super::native::Conv;
use crate::error::InputError;
use crate::lines::LineIndex;
use crate::node::{LineSpan, Node, NodeValue};
use std::sync::Arc;

/// Parses a `.tf.json` file into its top-level blocks.
pub(super) fn parse(path: &str, text: &Arc<str>) -> Result<Vec<TopBlock>, InputError> {
    let root = crate::formats::json::parse(path, text)?;
    let index = LineIndex::new(text);
    let offset = |lines: LineSpan| index.offset_of(text, lines.start as usize, 0);
    let NodeValue::Object(members) = root.value else {
        return Err(InputError::parse(path, text, 0..1, "a Terraform JSON file holds one object of block types"));
    };
    let mut out = Vec::new();
    for (ident, node) in members {
        if ident == "//" {
            continue;
        }
        let mut found = Vec::new();
        collect(node, label_count(&ident), &mut Vec::new(), &mut found);
        for (labels, body) in found {
            let lines = body.lines;
            let body = convert_body(body, Some(&ident))
                .map_err(|message| InputError::parse(path, text, offset(lines)..offset(lines) + 1, message))?;
            out.push(TopBlock { ident: ident.clone(), labels, body, lines, offset: offset(lines) });
        }
    }
    Ok(out)
}

/// Walks `labels` levels of label objects (arrays of objects allowed at each
/// level) and collects each block body with its labels.
fn collect(node: Node, labels: usize, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Node)>) {
    match node.value {
        NodeValue::Array(items) => items.into_iter().for_each(|item| collect(item, labels, prefix, out)),
        NodeValue::Object(members) if labels > 0 => {
            for (label, inner) in members {
                if label == "//" {
                    continue;
                }
                prefix.push(label);
                collect(inner, labels - 1, prefix, out);
                prefix.pop();
            }
        }
        value => out.push((prefix.clone(), Node::new(value, node.lines))),
    }
}

/// A block body: strings become template values, `dynamic` blocks are laid
/// out as in the native syntax. `top` names the block type of a top-level
/// body, whose meta-arguments hold references written without `${}`.
fn convert_body(body: Node, top: Option<&str>) -> Result<Node, String> {
    let NodeValue::Object(members) = body.value else {
        // A local value or an attribute given as a non-object.
        return Ok(value(body));
    };
    let mut out = Members::default();
    for (key, node) in members {
        match key.as_str() {
            "//" => {}
            "dynamic" => {
                let NodeValue::Object(kinds) = node.value else { continue };
                for (name, specs) in kinds {
                    let specs = match specs.value {
                        NodeValue::Array(items) => items,
                        other => vec![Node::new(other, specs.lines)],
                    };
                    for spec in specs {
                        let lines = spec.lines;
                        let content = spec.get("content").cloned().map(|c| convert_body(c, None)).transpose()?;
                        let for_each = spec.get("for_each").cloned().map(value);
                        out.block(name.clone(), dynamic_block(content, for_each, lines), true)?;
                    }
                }
            }
            "type" if top == Some("variable") => out.attribute(key, node)?,
            "depends_on" | "provider" if matches!(top, Some("resource" | "data" | "module")) => out.attribute(key, reference(node))?,
            _ if top == Some("locals") => out.attribute(key, value(node))?,
            _ => out.attribute(key, nested(node)?)?,
        }
    }
    Ok(out.finish(body.lines))
}

/// A value inside a body: objects may be nested blocks (with `dynamic`
/// blocks of their own), arrays may be repeated blocks.
fn nested(node: Node) -> Result<Node, String> {
    match node.value {
        NodeValue::Object(_) => convert_body(node, None),
        NodeValue::Array(items) => {
            let items = items.into_iter().map(nested).collect::<Result<_, _>>()?;
            Ok(Node::new(NodeValue::Array(items), node.lines))
        }
        _ => Ok(value(node)),
    }
}

/// Strings as templates, all the way down.
fn value(node: Node) -> Node {
    let lines = node.lines;
    let v = match node.value {
        NodeValue::String(s) => template(s, lines),
        NodeValue::Array(items) => NodeValue::Array(items.into_iter().map(value).collect()),
        NodeValue::Object(members) => {
            NodeValue::Object(members.into_iter().filter(|(k, _)| k != "//").map(|(k, v)| (k, value(v))).collect())
        }
        other => other,
    };
    Node::new(v, lines)
}

/// Meta-arguments that name objects directly (`"depends_on": ["aws_s3_bucket.logs"]`).
fn reference(node: Node) -> Node {
    let lines = node.lines;
    let v = match node.value {
        NodeValue::String(s) => NodeValue::Unknown(s),
        NodeValue::Array(items) => NodeValue::Array(items.into_iter().map(reference).collect()),
        other => other,
    };
    Node::new(v, lines)
}

/// One JSON string as an HCL template.
fn template(s: String, lines: LineSpan) -> NodeValue {
    if !s.contains("${") && !s.contains("%{") {
        return NodeValue::String(s);
    }
    let Ok(parsed) = hcl::edit::parser::parse_template(&s) else {
        return NodeValue::String(s);
    };
    let conv = Conv { src: &s, index: None, fixed: lines };
    conv.template(&parsed, || serde_json::to_string(&s).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_in_strings() {
        let l = LineSpan::single(3);
        assert_eq!(template("plain".into(), l), NodeValue::String("plain".into()));
        assert_eq!(template("${aws_s3_bucket.logs.id}".into(), l), NodeValue::Unknown("aws_s3_bucket.logs.id".into()));
        assert_eq!(template("${var.env}-x".into(), l), NodeValue::Unknown("\"${var.env}-x\"".into()));
        assert_eq!(template("a-${1 + 1}".into(), l), NodeValue::String("a-2".into()));
        assert_eq!(template("$${x}".into(), l), NodeValue::String("${x}".into()));
        assert_eq!(template("${true}".into(), l), NodeValue::Bool(true));
    }
}
