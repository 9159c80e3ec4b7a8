//! Resources: the unit a rule is evaluated against.
//!
//! A file holds one or more documents, and a document holds one or more
//! resources (a Kubernetes `List` holds many). Each resource has a kind that
//! rules select with `applies_to`, an id that is stable across runs, and the
//! lines it spans in its file.

use crate::node::{LineSpan, Node, NodeValue};
use std::collections::BTreeMap;

/// One thing a rule can judge: a Kubernetes object, a JSON document, …
#[derive(Debug, Clone)]
pub struct Resource {
    /// `<family>:<type>`, e.g. `k8s:Deployment` or `json:document`.
    pub kind: String,
    /// Identity within its kind, stable across runs (e.g. `prod/web`).
    pub id: String,
    /// Path of the file, relative to the scan root, with `/` separators.
    pub path: String,
    /// Lines of the resource in its file (file-global in multi-document YAML).
    pub lines: LineSpan,
    /// The resource's content.
    pub data: Node,
    /// Facts the parser derived, such as `namespace` or `pod_spec_path`.
    pub attributes: BTreeMap<String, String>,
}

impl Resource {
    /// Line span of the property at `path` (or its nearest existing parent),
    /// falling back to the resource's own lines.
    pub fn lines_of(&self, property_path: &str) -> LineSpan {
        if property_path.is_empty() {
            return self.lines;
        }
        let node = self.data.nearest_on_path(property_path);
        if node.lines.start == 0 {
            self.lines
        } else {
            node.lines
        }
    }
}

/// Where the pod template sits in each Kubernetes workload kind, so that one
/// rule about containers covers Pods, Deployments, CronJobs and the rest.
pub fn pod_spec_path(kind: &str) -> Option<&'static str> {
    match kind {
        "Pod" => Some("spec"),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" | "Job" => Some("spec.template.spec"),
        "CronJob" => Some("spec.jobTemplate.spec.template.spec"),
        "PodTemplate" => Some("template.spec"),
        _ => None,
    }
}

/// Splits one parsed document into resources.
pub fn classify(format: &str, path: &str, file_name: &str, doc_index: usize, multi: bool, root: Node) -> Vec<Resource> {
    if let Some((api_version, kind)) = k8s_identity(&root) {
        let is_list = kind.ends_with("List") && matches!(root.get("items").map(|n| &n.value), Some(NodeValue::Array(_)));
        if is_list {
            let NodeValue::Object(members) = root.value else { return Vec::new() };
            let items = members.into_iter().find(|(k, _)| k == "items").map(|(_, v)| v);
            let Some(Node { value: NodeValue::Array(items), .. }) = items else { return Vec::new() };
            return items.into_iter().filter(|item| k8s_identity(item).is_some()).map(|item| k8s_resource(path, item)).collect();
        }
        let _ = api_version;
        return vec![k8s_resource(path, root)];
    }
    let id = if multi { format!("{file_name}[{doc_index}]") } else { file_name.to_string() };
    vec![Resource {
        kind: format!("{format}:document"),
        id,
        path: path.to_string(),
        lines: root.lines,
        data: root,
        attributes: BTreeMap::new(),
    }]
}

fn k8s_identity(node: &Node) -> Option<(&str, &str)> {
    let api_version = node.get_str("apiVersion")?;
    let kind = node.get_str("kind")?;
    (!kind.is_empty()).then_some((api_version, kind))
}

fn k8s_resource(path: &str, data: Node) -> Resource {
    let kind = data.get_str("kind").unwrap_or_default().to_string();
    let meta = data.get("metadata");
    let name = meta.and_then(|m| m.get_str("name").or_else(|| m.get_str("generateName"))).unwrap_or("<unnamed>");
    let namespace = meta.and_then(|m| m.get_str("namespace"));
    let mut attributes = BTreeMap::new();
    attributes.insert("api_version".to_string(), data.get_str("apiVersion").unwrap_or_default().to_string());
    if let Some(ns) = namespace {
        attributes.insert("namespace".to_string(), ns.to_string());
    }
    if let Some(p) = pod_spec_path(&kind) {
        attributes.insert("pod_spec_path".to_string(), p.to_string());
    }
    Resource {
        id: match namespace {
            Some(ns) => format!("{ns}/{name}"),
            None => name.to_string(),
        },
        kind: format!("k8s:{kind}"),
        path: path.to_string(),
        lines: data.lines,
        data,
        attributes,
    }
}
