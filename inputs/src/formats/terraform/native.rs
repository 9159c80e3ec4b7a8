//! Terraform's native syntax, through hcl-edit's parser (hcl-rs underneath),
//! which keeps the byte span of every block, attribute and expression.
//!
//! Literals become plain values. Expressions fold when every operand is a
//! literal (`3600 * 24`, `-1`, `"${"a"}b"`, `true ? x : y`); everything else
//! (references, function calls, `for` expressions, templates that interpolate
//! references) becomes [`NodeValue::Unknown`] holding the expression text.

use super::blocks::{dynamic_block, labelled, Members, TopBlock};
use crate::error::InputError;
use crate::lines::LineIndex;
use crate::node::{LineSpan, Node, NodeValue};
use hcl::edit::expr::{BinaryOperator, Expression, ObjectKey, UnaryOperator};
use hcl::edit::structure::{Block, Body, Structure};
use hcl::edit::template::{Element, Template};
use hcl::edit::Span;
use std::ops::Range;
use std::sync::Arc;

/// Parses a `.tf` file into its top-level blocks. Top-level attributes are
/// not valid Terraform and are ignored.
pub(super) fn parse(path: &str, text: &Arc<str>) -> Result<Vec<TopBlock>, InputError> {
    let body = hcl::edit::parser::parse_body(text).map_err(|e| {
        let at = e.location().offset().min(text.len());
        InputError::parse(path, text, at..at + 1, e.message().to_string())
    })?;
    let index = LineIndex::new(text);
    let conv = Conv { src: text, index: Some(&index), fixed: LineSpan::default() };
    let mut out = Vec::new();
    for block in body.blocks() {
        let lines = conv.lines(block.span());
        let body = conv.body(&block.body, lines).map_err(|(span, message)| InputError::parse(path, text, span, message))?;
        out.push(TopBlock {
            ident: block.ident.as_str().to_string(),
            labels: block.labels.iter().map(|l| l.as_str().to_string()).collect(),
            body,
            lines,
            offset: block.span().map_or(0, |s| s.start),
        });
    }
    Ok(out)
}

/// Converts hcl-edit trees to nodes. `src` is the text spans index into;
/// lines come from `index`, or are `fixed` when the text is a JSON string.
pub(super) struct Conv<'a> {
    pub src: &'a str,
    pub index: Option<&'a LineIndex>,
    pub fixed: LineSpan,
}

type ConvError = (Range<usize>, String);

impl Conv<'_> {
    fn lines(&self, span: Option<Range<usize>>) -> LineSpan {
        match (self.index, span) {
            (Some(index), Some(r)) => LineSpan::new(index.line_of(r.start), index.line_of(r.end.saturating_sub(1).max(r.start))),
            _ => self.fixed,
        }
    }

    /// The source text of an expression, as written.
    fn text(&self, e: &Expression) -> String {
        e.span().and_then(|r| self.src.get(r)).map_or_else(|| e.to_string().trim().to_string(), |s| s.trim().to_string())
    }

    fn body(&self, body: &Body, lines: LineSpan) -> Result<Node, ConvError> {
        let mut members = Members::default();
        for structure in body.iter() {
            let span = structure.span().unwrap_or(0..0);
            let added = match structure {
                Structure::Attribute(attr) => {
                    let mut node = self.expr(&attr.value);
                    node.lines = self.lines(attr.span());
                    members.attribute(attr.key.as_str().to_string(), node)
                }
                Structure::Block(block) => {
                    let (key, node, dynamic) = self.nested(block)?;
                    members.block(key, node, dynamic)
                }
            };
            added.map_err(|message| (span, message))?;
        }
        Ok(members.finish(lines))
    }

    /// A nested block as (member name, node, whether it came from `dynamic`).
    fn nested(&self, block: &Block) -> Result<(String, Node, bool), ConvError> {
        let lines = self.lines(block.span());
        let labels: Vec<String> = block.labels.iter().map(|l| l.as_str().to_string()).collect();
        if block.ident.as_str() == "dynamic" && labels.len() == 1 {
            let content = block.body.get_blocks("content").next().map(|c| self.body(&c.body, self.lines(c.span()))).transpose()?;
            let for_each = block.body.get_attribute("for_each").map(|a| {
                let mut node = self.expr(&a.value);
                node.lines = self.lines(a.span());
                node
            });
            return Ok((labels[0].clone(), dynamic_block(content, for_each, lines), true));
        }
        let body = self.body(&block.body, lines)?;
        Ok((block.ident.as_str().to_string(), labelled(body, &labels, lines), false))
    }

    pub fn expr(&self, e: &Expression) -> Node {
        Node::new(self.value(e), self.lines(e.span()))
    }

    fn unknown(&self, e: &Expression) -> NodeValue {
        NodeValue::Unknown(self.text(e))
    }

    fn value(&self, e: &Expression) -> NodeValue {
        match e {
            Expression::Null(_) => NodeValue::Null,
            Expression::Bool(b) => NodeValue::Bool(*b.value()),
            Expression::Number(n) => match n.value().as_i64() {
                Some(i) => NodeValue::Int(i),
                None => NodeValue::Float(n.value().as_f64().unwrap_or(f64::NAN)),
            },
            Expression::String(s) => NodeValue::String(s.value().clone()),
            Expression::Array(items) => NodeValue::Array(items.iter().map(|i| self.expr(i)).collect()),
            Expression::Object(object) => {
                let mut members: Vec<(String, Node)> = Vec::with_capacity(object.len());
                for (key, value) in object.iter() {
                    let name = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        ObjectKey::Expression(k) => match self.value(k) {
                            NodeValue::String(s) => s,
                            NodeValue::Unknown(text) => text,
                            other => scalar_text(&other).unwrap_or_else(|| self.text(k)),
                        },
                    };
                    let mut node = self.expr(value.expr());
                    let key_lines = self.lines(key.span());
                    node.lines = LineSpan::new(key_lines.start.min(node.lines.start), node.lines.end);
                    match members.iter_mut().find(|(k, _)| *k == name) {
                        Some(slot) => slot.1 = node,
                        None => members.push((name, node)),
                    }
                }
                NodeValue::Object(members)
            }
            Expression::StringTemplate(t) => self.template(t, || self.text(e)),
            Expression::HeredocTemplate(h) => self.template(&h.template, || self.text(e)),
            Expression::Parenthesis(p) => self.value(p.inner()),
            Expression::UnaryOp(op) => match (op.operator.value(), self.value(&op.expr)) {
                (UnaryOperator::Neg, NodeValue::Int(i)) => i.checked_neg().map_or_else(|| self.unknown(e), NodeValue::Int),
                (UnaryOperator::Neg, NodeValue::Float(f)) => NodeValue::Float(-f),
                (UnaryOperator::Not, NodeValue::Bool(b)) => NodeValue::Bool(!b),
                _ => self.unknown(e),
            },
            Expression::BinaryOp(op) => {
                binary(*op.operator.value(), self.value(&op.lhs_expr), self.value(&op.rhs_expr)).unwrap_or_else(|| self.unknown(e))
            }
            Expression::Conditional(c) => match self.value(&c.cond_expr) {
                NodeValue::Bool(true) => self.value(&c.true_expr),
                NodeValue::Bool(false) => self.value(&c.false_expr),
                _ => self.unknown(e),
            },
            Expression::Variable(_) | Expression::Traversal(_) | Expression::FuncCall(_) | Expression::ForExpr(_) => self.unknown(e),
        }
    }

    /// A template is a string when every part is known. A template that is a
    /// single interpolation (`"${x}"`) is the value of `x`, as in Terraform.
    pub fn template(&self, template: &Template, whole: impl Fn() -> String) -> NodeValue {
        let elements: Vec<&Element> = template.iter().collect();
        if let [Element::Interpolation(only)] = elements.as_slice() {
            return self.value(&only.expr);
        }
        let mut out = String::new();
        for element in elements {
            match element {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => match self.value(&i.expr) {
                    NodeValue::String(s) => out.push_str(&s),
                    other => match scalar_text(&other) {
                        Some(s) => out.push_str(&s),
                        None => return NodeValue::Unknown(whole()),
                    },
                },
                Element::Directive(_) => return NodeValue::Unknown(whole()),
            }
        }
        NodeValue::String(out)
    }
}

/// How a known scalar reads when interpolated into a string.
fn scalar_text(v: &NodeValue) -> Option<String> {
    match v {
        NodeValue::Bool(b) => Some(b.to_string()),
        NodeValue::Int(i) => Some(i.to_string()),
        NodeValue::Float(f) => Some(f.to_string()),
        NodeValue::String(s) => Some(s.clone()),
        _ => None,
    }
}

fn number(v: &NodeValue) -> Option<f64> {
    match v {
        NodeValue::Int(i) => Some(*i as f64),
        NodeValue::Float(f) => Some(*f),
        _ => None,
    }
}

/// Folds an operator over two known operands; `None` when it cannot.
fn binary(op: BinaryOperator, lhs: NodeValue, rhs: NodeValue) -> Option<NodeValue> {
    use BinaryOperator as B;
    use NodeValue as V;
    let scalar = |v: &V| matches!(v, V::Null | V::Bool(_) | V::Int(_) | V::Float(_) | V::String(_));
    Some(match (op, &lhs, &rhs) {
        (B::And, V::Bool(a), V::Bool(b)) => V::Bool(*a && *b),
        (B::Or, V::Bool(a), V::Bool(b)) => V::Bool(*a || *b),
        (B::Eq | B::NotEq, a, b) if scalar(a) && scalar(b) => {
            let equal = match (number(a), number(b)) {
                (Some(x), Some(y)) => x == y,
                _ => a == b,
            };
            V::Bool(equal == (op == B::Eq))
        }
        (B::Plus, V::Int(a), V::Int(b)) => V::Int(a.checked_add(*b)?),
        (B::Minus, V::Int(a), V::Int(b)) => V::Int(a.checked_sub(*b)?),
        (B::Mul, V::Int(a), V::Int(b)) => V::Int(a.checked_mul(*b)?),
        (B::Div, V::Int(a), V::Int(b)) if *b != 0 && a % b == 0 => V::Int(a / b),
        (B::Mod, V::Int(a), V::Int(b)) if *b != 0 => V::Int(a % b),
        _ => {
            let (a, b) = (number(&lhs)?, number(&rhs)?);
            match op {
                B::Plus => V::Float(a + b),
                B::Minus => V::Float(a - b),
                B::Mul => V::Float(a * b),
                B::Div if b != 0.0 => V::Float(a / b),
                B::Less => V::Bool(a < b),
                B::LessEq => V::Bool(a <= b),
                B::Greater => V::Bool(a > b),
                B::GreaterEq => V::Bool(a >= b),
                _ => return None,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Node {
        let text: Arc<str> = Arc::from(text);
        parse("t.tf", &text).unwrap().remove(0).body
    }

    #[test]
    fn literals_fold_and_references_stay_unknown() {
        let b = body(concat!(
            "resource \"x\" \"y\" {\n",
            "  a = -1\n",
            "  b = 3600 * 24\n",
            "  c = \"${\"pre\"}-${2}\"\n",
            "  d = \"${var.env}-logs\"\n",
            "  e = \"${aws_s3_bucket.logs.id}\"\n",
            "  f = true ? \"yes\" : \"no\"\n",
            "  g = var.on ? 1 : 2\n",
            "  h = lower(\"X\")\n",
            "  i = (1.5)\n",
            "  j = <<-EOT\n    line one\n      two\n    EOT\n",
            "  k = [for s in var.list : upper(s)]\n",
            "  l = { \"quoted key\" = 1, (var.k) = 2, plain = \"\\\"esc\\\"\" }\n",
            "  m = \"$${literal}\"\n",
            "  n = !false && 2 > 1\n",
            "}\n",
        ));
        let j = b.to_json();
        assert_eq!(j["a"], -1);
        assert_eq!(j["b"], 86400);
        assert_eq!(j["c"], "pre-2");
        assert_eq!(j["d"], serde_json::json!({"$unknown": "\"${var.env}-logs\""}));
        assert_eq!(j["e"], serde_json::json!({"$unknown": "aws_s3_bucket.logs.id"}));
        assert_eq!(j["f"], "yes");
        assert_eq!(j["g"], serde_json::json!({"$unknown": "var.on ? 1 : 2"}));
        assert_eq!(j["h"], serde_json::json!({"$unknown": "lower(\"X\")"}));
        assert_eq!(j["i"], 1.5);
        assert_eq!(j["j"], "line one\n  two\n");
        assert_eq!(j["k"], serde_json::json!({"$unknown": "[for s in var.list : upper(s)]"}));
        assert_eq!(j["l"], serde_json::json!({"quoted key": 1, "var.k": 2, "plain": "\"esc\""}));
        assert_eq!(j["m"], "${literal}");
        assert_eq!(j["n"], true);
        assert_eq!(b.get("j").unwrap().lines, LineSpan::new(11, 14));
        assert_eq!(b.at_path("l.plain").unwrap().lines.start, 16);
    }

    #[test]
    fn nested_blocks_group_by_type() {
        let b = body(concat!(
            "resource \"aws_security_group\" \"web\" {\n",
            "  ingress {\n    from_port = 443\n  }\n",
            "  ingress {\n    from_port = 80\n  }\n",
            "  egress {\n    to_port = 0\n  }\n",
            "  dynamic \"ingress\" {\n    for_each = var.ports\n    content {\n      from_port = ingress.value\n    }\n  }\n",
            "  dynamic \"tag\" {\n    for_each = var.tags\n    content {\n      key = tag.key\n    }\n  }\n",
            "  provisioner \"local-exec\" {\n    command = \"echo\"\n  }\n",
            "}\n",
        ));
        let j = b.to_json();
        assert_eq!(j["ingress"][0]["from_port"], 443);
        assert_eq!(j["ingress"][1]["from_port"], 80);
        assert_eq!(j["ingress"][2]["$for_each"], serde_json::json!({"$unknown": "var.ports"}));
        assert_eq!(j["ingress"][2]["from_port"], serde_json::json!({"$unknown": "ingress.value"}));
        assert_eq!(j["egress"]["to_port"], 0);
        assert_eq!(j["tag"][0]["key"], serde_json::json!({"$unknown": "tag.key"}));
        assert_eq!(j["provisioner"]["local-exec"]["command"], "echo");
        assert_eq!(b.at_path("ingress[1].from_port").unwrap().lines, LineSpan::single(6));
        assert_eq!(b.at_path("ingress[2]").unwrap().lines, LineSpan::new(11, 16));
        assert_eq!(b.get("ingress").unwrap().lines, LineSpan::new(2, 16));
        assert_eq!(b.at_path("egress").unwrap().lines, LineSpan::new(8, 10));
    }

    #[test]
    fn errors_carry_lines() {
        let text: Arc<str> = Arc::from("resource \"a\" \"b\" {\n  x = 1\n  y = \n}\n");
        let err = parse("bad.tf", &text).unwrap_err();
        assert!(matches!(err, InputError::Parse(_)));
        // The value is missing at the end of line 3.
        assert_eq!(err.line(), Some(3), "{err}");
        assert!(err.message().contains("expected"), "{err}");
        let dup: Arc<str> = Arc::from("resource \"a\" \"b\" {\n  x = 1\n  x = 2\n}\n");
        let err = parse("dup.tf", &dup).unwrap_err();
        assert_eq!(err.line(), Some(3), "{err}");
        assert!(err.message().contains("redefined"), "{err}");
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_crash() {
        for text in [
            format!("locals {{\n  x = {}1{}\n}}\n", "[".repeat(100_000), "]".repeat(100_000)),
            format!("locals {{\n  x = {}\n}}\n", vec!["1"; 100_000].join(" + ")),
            format!("{}{}", "a {\n".repeat(10_000), "}\n".repeat(10_000)),
        ] {
            let text: Arc<str> = Arc::from(text);
            assert!(matches!(parse("deep.tf", &text), Err(InputError::Parse(_))));
        }
    }
}
