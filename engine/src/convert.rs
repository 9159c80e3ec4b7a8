//! Resources as Rhai values: converted once per resource, shared by every rule.

use crate::value::{Arr, Obj};
use rhai::{Dynamic, ImmutableString};
use tollgate_inputs::{Node, NodeValue, Resource};

/// A value that is not known without evaluating the configuration (a
/// Terraform reference, function call, …): the Rhai type `Unknown`, whose
/// `.expr` is the expression text. See [`crate::api::terraform`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unknown {
    pub expr: ImmutableString,
}

/// The node tree as a Rhai value. The first of duplicate keys wins, matching
/// [`Node::get`] so that rules and line lookups agree.
pub fn node_to_dynamic(node: &Node) -> Dynamic {
    match &node.value {
        NodeValue::Null => Dynamic::UNIT,
        NodeValue::Bool(b) => Dynamic::from_bool(*b),
        NodeValue::Int(i) => Dynamic::from_int(*i),
        NodeValue::Float(f) => Dynamic::from_float(*f),
        NodeValue::String(s) => Dynamic::from(ImmutableString::from(s.as_str())),
        NodeValue::Unknown(expr) => Dynamic::from(Unknown { expr: expr.as_str().into() }),
        NodeValue::Array(items) => Dynamic::from(Arr::new(items.iter().map(node_to_dynamic).collect())),
        NodeValue::Object(members) => {
            let mut entries: Vec<(ImmutableString, Dynamic)> = Vec::with_capacity(members.len());
            for (k, v) in members {
                if !entries.iter().any(|(existing, _)| existing.as_str() == k) {
                    entries.push((k.as_str().into(), node_to_dynamic(v)));
                }
            }
            Dynamic::from(Obj::new(entries))
        }
    }
}

/// The value a rule's `check` receives, a read-only view:
/// `#{ kind, id, path, line, data, attributes, pod, pod_path }`. `pod` is the
/// same shared subtree as the one inside `data`, not a copy.
pub fn resource_to_dynamic(r: &Resource) -> Dynamic {
    let text = |s: &str| Dynamic::from(ImmutableString::from(s));
    let data = node_to_dynamic(&r.data);
    let attrs = r.attributes.iter().map(|(k, v)| (ImmutableString::from(k.as_str()), text(v))).collect();
    let mut entries = vec![
        ("kind".into(), text(&r.kind)),
        ("id".into(), text(&r.id)),
        ("path".into(), text(&r.path)),
        ("line".into(), Dynamic::from_int(i64::from(r.lines.start))),
        ("attributes".into(), Dynamic::from(Obj::new(attrs))),
    ];
    if let Some(pod_path) = r.attributes.get("pod_spec_path") {
        entries.push(("pod".into(), crate::api::path::lookup(&data, pod_path).unwrap_or(Dynamic::UNIT)));
        entries.push(("pod_path".into(), text(pod_path)));
    }
    entries.push(("data".into(), data));
    Dynamic::from(Obj::new(entries))
}
