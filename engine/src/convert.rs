//! Resources as Rhai values: converted once per resource, shared by every rule.

use crate::value::{Arr, Obj};
use rhai::{Dynamic, ImmutableString};
use std::cell::RefCell;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
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
        NodeValue::Array(items) => Dynamic::from(Arr::from_exact(items.iter().map(node_to_dynamic))),
        NodeValue::Object(members) => {
            let obj = if all_unique(members) {
                Obj::from_exact(members.iter().map(|(k, v)| (intern(k), node_to_dynamic(v))))
            } else {
                let mut seen = HashSet::with_capacity(members.len());
                Obj::new(members.iter().filter(|(k, _)| seen.insert(k.as_str())).map(|(k, v)| (intern(k), node_to_dynamic(v))).collect())
            };
            Dynamic::from(obj)
        }
    }
}

/// Whether no key repeats: pairwise for the small objects configuration
/// files are made of, through a set for large ones (a hostile file with a
/// huge object must not cost quadratic time).
fn all_unique(members: &[(String, Node)]) -> bool {
    if members.len() <= 16 {
        return members.iter().enumerate().all(|(i, (k, _))| members[..i].iter().all(|(earlier, _)| earlier != k));
    }
    let mut seen = HashSet::with_capacity(members.len());
    members.iter().all(|(k, _)| seen.insert(k.as_str()))
}

/// Longest key worth interning, and how many distinct keys a thread keeps.
const INTERN_MAX_LEN: usize = 48;
const INTERN_MAX_KEYS: usize = 16_384;

thread_local! {
    /// Property names seen by this thread. Configuration files repeat the
    /// same few hundred keys (`name`, `image`, `securityContext`, …) in
    /// every resource; sharing one string per key saves an allocation and a
    /// free per property. Per thread, so no reference count is shared.
    static KEYS: RefCell<HashSet<ImmutableString, BuildHasherDefault<Fnv>>> = RefCell::default();
}

/// The shared string for property name `key`.
fn intern(key: &str) -> ImmutableString {
    if key.len() > INTERN_MAX_LEN {
        return key.into();
    }
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some(k) = keys.get(key) {
            return k.clone();
        }
        let k = ImmutableString::from(key);
        if keys.len() < INTERN_MAX_KEYS {
            keys.insert(k.clone());
        }
        k
    })
}

/// FNV-1a: short keys hash several times faster than with the default
/// SipHash. For the bounded, per-thread caches of names and paths, where a
/// hostile file can at worst make a lookup slower.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The value a rule's `check` receives, a read-only view:
/// `#{ kind, id, path, line, data, attributes, pod, pod_path }`. `pod` is the
/// same shared subtree as the one inside `data`, not a copy.
pub fn resource_to_dynamic(r: &Resource) -> Dynamic {
    let text = |s: &str| Dynamic::from(ImmutableString::from(s));
    let data = node_to_dynamic(&r.data);
    let attrs = r.attributes.iter().map(|(k, v)| (intern(k), text(v))).collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use tollgate_inputs::node::LineSpan;

    fn node(value: NodeValue) -> Node {
        Node::new(value, LineSpan::default())
    }

    fn text(s: &str) -> Node {
        node(NodeValue::String(s.into()))
    }

    #[test]
    fn objects_keep_order_and_the_first_duplicate() {
        let unique = node(NodeValue::Object(vec![("b".into(), text("1")), ("a".into(), text("2"))]));
        let dup = node(NodeValue::Object(vec![("a".into(), text("1")), ("b".into(), text("2")), ("a".into(), text("3"))]));
        let keys = |d: &Dynamic| d.read_lock::<Obj>().unwrap().entries().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>();
        assert_eq!(keys(&node_to_dynamic(&unique)), ["b=1", "a=2"]);
        assert_eq!(keys(&node_to_dynamic(&dup)), ["a=1", "b=2"]);
        // Large objects take the set path; a late duplicate still loses.
        let mut members: Vec<(String, Node)> = (0..40).map(|i| (format!("k{i}"), text(&i.to_string()))).collect();
        members.push(("k3".into(), text("late")));
        let big = node_to_dynamic(&node(NodeValue::Object(members)));
        assert_eq!(keys(&big).len(), 40);
        assert_eq!(keys(&big)[3], "k3=3");
    }

    #[test]
    fn property_names_are_shared_within_a_thread() {
        let doc = |v: &str| node(NodeValue::Object(vec![("securityContext".into(), text(v))]));
        let (a, b) = (node_to_dynamic(&doc("x")), node_to_dynamic(&doc("y")));
        let key = |d: &Dynamic| d.read_lock::<Obj>().unwrap().entries()[0].0.clone();
        assert!(key(&a).ptr_eq(&key(&b)), "the same key should be one shared string");
        let long = "k".repeat(INTERN_MAX_LEN + 1);
        let doc = || node(NodeValue::Object(vec![(long.clone(), text("v"))]));
        assert!(!key(&node_to_dynamic(&doc())).ptr_eq(&key(&node_to_dynamic(&doc()))), "long keys are not kept");
    }
}
