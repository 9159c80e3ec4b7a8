//! Resources as Rhai values: converted once per resource, shared by every rule.

use rhai::{Array, Dynamic, Map};
use tollgate_inputs::{Node, NodeValue, Resource};

/// The node tree as a Rhai value. The first of duplicate keys wins, matching
/// [`Node::get`] so that rules and line lookups agree.
pub fn node_to_dynamic(node: &Node) -> Dynamic {
    match &node.value {
        NodeValue::Null => Dynamic::UNIT,
        NodeValue::Bool(b) => Dynamic::from_bool(*b),
        NodeValue::Int(i) => Dynamic::from_int(*i),
        NodeValue::Float(f) => Dynamic::from_float(*f),
        NodeValue::String(s) => Dynamic::from(s.clone()),
        NodeValue::Array(items) => Dynamic::from_array(items.iter().map(node_to_dynamic).collect::<Array>()),
        NodeValue::Object(members) => {
            let mut map = Map::new();
            for (k, v) in members {
                map.entry(k.as_str().into()).or_insert_with(|| node_to_dynamic(v));
            }
            Dynamic::from_map(map)
        }
    }
}

/// The value a rule's `check` receives:
/// `#{ kind, id, path, line, data, attributes, pod }`, marked read-only so
/// that one rule cannot change what the next rule sees.
pub fn resource_to_dynamic(r: &Resource) -> Dynamic {
    let mut map = Map::new();
    map.insert("kind".into(), Dynamic::from(r.kind.clone()));
    map.insert("id".into(), Dynamic::from(r.id.clone()));
    map.insert("path".into(), Dynamic::from(r.path.clone()));
    map.insert("line".into(), Dynamic::from_int(i64::from(r.lines.start)));
    map.insert("data".into(), node_to_dynamic(&r.data));
    let attrs: Map = r.attributes.iter().map(|(k, v)| (k.as_str().into(), Dynamic::from(v.clone()))).collect();
    map.insert("attributes".into(), Dynamic::from_map(attrs));
    if let Some(pod_path) = r.attributes.get("pod_spec_path") {
        let pod = r.data.at_path(pod_path).map_or(Dynamic::UNIT, node_to_dynamic);
        map.insert("pod".into(), pod);
        map.insert("pod_path".into(), Dynamic::from(pod_path.clone()));
    }
    Dynamic::from_map(map).into_read_only()
}
