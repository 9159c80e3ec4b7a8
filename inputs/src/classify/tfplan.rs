//! Terraform plans (`terraform show -json plan.out`): one resource per
//! resource in `planned_values`, root module and every child module, with
//! the same kinds as the configuration (`terraform:aws_s3_bucket`,
//! `terraform:data.aws_iam_policy_document`) and the plan's address as id
//! (`module.net.aws_vpc.main`, `aws_instance.web[0]`). The data is the
//! planned `values`.
//!
//! Values the plan lists in `resource_changes[].change.after_unknown` are
//! "known after apply": they become [`NodeValue::Unknown`], whose text is the
//! references Terraform recorded for that attribute in `configuration`
//! (prefixed with the module's address, so they name plan addresses), or
//! `(known after apply)` when it recorded none.

use super::{Classifier, Document};
use crate::node::{LineSpan, Node, NodeValue};
use crate::resource::Resource;
use std::collections::{BTreeMap, HashMap};

pub struct TerraformPlan;

/// Text of an unknown value with no recorded references.
pub const KNOWN_AFTER_APPLY: &str = "(known after apply)";

impl Classifier for TerraformPlan {
    fn classify<'a>(&self, doc: Document<'a>) -> Result<Vec<Resource>, Document<'a>> {
        let root = &doc.root;
        let is_plan = matches!(root.get("planned_values").map(|n| &n.value), Some(NodeValue::Object(_)))
            && (root.get("format_version").is_some() || root.get("terraform_version").is_some());
        if !is_plan {
            return Err(doc);
        }
        let NodeValue::Object(mut members) = doc.root.value else { return Ok(Vec::new()) };
        let mut take = |key: &str| members.iter().position(|(k, _)| k == key).map(|i| members.swap_remove(i).1);
        let planned = take("planned_values");
        let changes = take("resource_changes");
        let configuration = take("configuration");
        let unknowns: HashMap<String, Node> = match changes.map(|c| c.value) {
            Some(NodeValue::Array(items)) => items
                .into_iter()
                .filter_map(|change| {
                    let address = change.get_str("address")?.to_string();
                    let after_unknown = change.get("change")?.get("after_unknown")?.clone();
                    Some((address, after_unknown))
                })
                .collect(),
            _ => HashMap::new(),
        };
        let mut out = Vec::new();
        let ctx = Context { path: doc.path, unknowns: &unknowns, config: configuration.as_ref().and_then(|c| c.get("root_module")) };
        if let Some(module) = planned.and_then(|p| take_member(p, "root_module")) {
            ctx.module(module, "", &mut out);
        }
        Ok(out)
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["terraform:*"]
    }
}

struct Context<'a> {
    path: &'a str,
    unknowns: &'a HashMap<String, Node>,
    config: Option<&'a Node>,
}

/// Moves member `key` out of an object node.
fn take_member(node: Node, key: &str) -> Option<Node> {
    match node.value {
        NodeValue::Object(members) => members.into_iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

impl Context<'_> {
    /// Resources of one planned module (`address` is `""` for the root), then its children.
    fn module(&self, module: Node, address: &str, out: &mut Vec<Resource>) {
        let config = self.module_config(address);
        let NodeValue::Object(members) = module.value else { return };
        for (key, value) in members {
            let NodeValue::Array(items) = value.value else { continue };
            match key.as_str() {
                "resources" => out.extend(items.into_iter().filter_map(|r| self.resource(r, address, config))),
                "child_modules" => {
                    for child in items {
                        let child_address = child.get_str("address").unwrap_or_default().to_string();
                        self.module(child, &child_address, out);
                    }
                }
                _ => {}
            }
        }
    }

    /// The configuration of the module at plan address `address`
    /// (`module.a["x"].module.b` is `module_calls.a.module.module_calls.b.module`).
    fn module_config(&self, address: &str) -> Option<&Node> {
        let mut config = self.config?;
        for name in module_names(address) {
            config = config.get("module_calls")?.get(name)?.get("module")?;
        }
        Some(config)
    }

    fn resource(&self, r: Node, module_address: &str, config: Option<&Node>) -> Option<Resource> {
        let address = r.get_str("address")?.to_string();
        let kind_type = r.get_str("type")?.to_string();
        let data_source = r.get_str("mode") == Some("data");
        let kind = if data_source { format!("terraform:data.{kind_type}") } else { format!("terraform:{kind_type}") };
        let mut attributes = BTreeMap::new();
        attributes.insert("source".to_string(), "plan".to_string());
        attributes.insert("type".to_string(), kind_type.clone());
        for key in ["name", "mode", "provider_name"] {
            if let Some(v) = r.get_str(key) {
                attributes.insert(key.to_string(), v.to_string());
            }
        }
        if !module_address.is_empty() {
            attributes.insert("module_address".to_string(), module_address.to_string());
        }
        let lines = r.lines;
        let config_address = match (data_source, r.get_str("name")) {
            (true, Some(name)) => format!("data.{kind_type}.{name}"),
            (false, Some(name)) => format!("{kind_type}.{name}"),
            _ => String::new(),
        };
        let expressions = config.and_then(|c| c.get("resources")).and_then(|rs| match &rs.value {
            NodeValue::Array(items) => items.iter().find(|c| c.get_str("address") == Some(config_address.as_str())),
            _ => None,
        });
        let expressions = expressions.and_then(|c| c.get("expressions"));
        let mut data = take_member(r, "values").unwrap_or_else(|| Node::new(NodeValue::Object(Vec::new()), lines));
        if let Some(unknown) = self.unknowns.get(&address) {
            let prefix = if module_address.is_empty() { String::new() } else { format!("{module_address}.") };
            mark_unknown(&mut data, unknown, expressions, None, &prefix);
        }
        Some(Resource { kind, id: address, path: self.path.to_string(), lines, data, attributes })
    }
}

/// The call names of a module address: `module.a["x.y"].module.b` is `[a, b]`.
fn module_names(address: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['[', '.']).unwrap_or(after.len());
        names.push(&after[..end]);
        rest = &after[end..];
        if rest.starts_with('[') {
            // Skip the instance key, which may be a quoted string holding `]` or `.`.
            let mut quoted = false;
            let mut close = rest.len();
            for (i, c) in rest.char_indices().skip(1) {
                match c {
                    '"' if !rest[..i].ends_with('\\') => quoted = !quoted,
                    ']' if !quoted => {
                        close = i + 1;
                        break;
                    }
                    _ => {}
                }
            }
            rest = &rest[close..];
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    names
}

/// The references an `expressions` node records for its attribute, most
/// specific first (`aws_s3_bucket.logs.id` rather than `aws_s3_bucket.logs`),
/// each prefixed with the module address.
fn references(expr: Option<&Node>, prefix: &str) -> Option<String> {
    let NodeValue::Array(items) = &expr?.get("references")?.value else { return None };
    let refs: Vec<&str> = items.iter().filter_map(|n| if let NodeValue::String(s) = &n.value { Some(s.as_str()) } else { None }).collect();
    let specific: Vec<String> = refs
        .iter()
        .filter(|r| !refs.iter().any(|o| o.len() > r.len() && o.starts_with(*r) && o[r.len()..].starts_with(['.', '['])))
        .map(|r| {
            let local = ["var.", "local.", "each.", "count.", "path.", "self.", "terraform."].iter().any(|p| r.starts_with(p));
            if local {
                r.to_string()
            } else {
                format!("{prefix}{r}")
            }
        })
        .collect();
    (!specific.is_empty()).then(|| specific.join(", "))
}

/// Replaces the values `unknown` (an `after_unknown` tree) marks `true` with
/// unknowns, adding members the plan left out. `expr` is the matching
/// `configuration` expressions node; `inherited` the nearest references above.
fn mark_unknown(target: &mut Node, unknown: &Node, expr: Option<&Node>, inherited: Option<&str>, prefix: &str) {
    let text = |e: Option<&Node>| references(e, prefix).or_else(|| inherited.map(str::to_string));
    match (&unknown.value, &mut target.value) {
        (NodeValue::Object(marks), NodeValue::Object(members)) => {
            for (key, mark) in marks {
                let child_expr = expr.and_then(|e| e.get(key));
                let here = text(child_expr);
                let slot = members.iter().position(|(k, _)| k == key);
                match (&mark.value, slot) {
                    (NodeValue::Bool(true), Some(i)) => {
                        let v = &mut members[i].1;
                        v.value = NodeValue::Unknown(here.unwrap_or_else(|| KNOWN_AFTER_APPLY.to_string()));
                    }
                    (NodeValue::Bool(true), None) => {
                        let lines = LineSpan::single(target.lines.start);
                        let v = NodeValue::Unknown(here.unwrap_or_else(|| KNOWN_AFTER_APPLY.to_string()));
                        members.push((key.clone(), Node::new(v, lines)));
                    }
                    (NodeValue::Object(_) | NodeValue::Array(_), Some(i)) => {
                        mark_unknown(&mut members[i].1, mark, child_expr, here.as_deref(), prefix);
                    }
                    _ => {}
                }
            }
        }
        (NodeValue::Array(marks), NodeValue::Array(items)) => {
            for (i, (mark, item)) in marks.iter().zip(items.iter_mut()).enumerate() {
                let child_expr = expr.and_then(|e| match &e.value {
                    NodeValue::Array(blocks) => blocks.get(i),
                    _ => None,
                });
                let here = text(child_expr);
                match &mark.value {
                    NodeValue::Bool(true) => item.value = NodeValue::Unknown(here.unwrap_or_else(|| KNOWN_AFTER_APPLY.to_string())),
                    NodeValue::Object(_) | NodeValue::Array(_) => mark_unknown(item, mark, child_expr, here.as_deref(), prefix),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::module_names;

    #[test]
    fn module_addresses_split_into_call_names() {
        assert_eq!(module_names("module.net"), ["net"]);
        assert_eq!(module_names("module.a[\"x.y]\"].module.submodule"), ["a", "submodule"]);
        assert_eq!(module_names("module.a[0].module.b[\"k\"]"), ["a", "b"]);
        assert!(module_names("").is_empty());
    }
}
