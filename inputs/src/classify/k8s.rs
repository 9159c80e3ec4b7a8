//! Kubernetes objects: any document with string `apiVersion` and `kind`.
//!
//! A `*List` with `items` becomes one resource per item. Workload kinds carry
//! the property path of their pod spec, so one rule about containers covers
//! Pods, Deployments, CronJobs and the rest.

use super::{Classifier, Document};
use crate::node::{Node, NodeValue};
use crate::resource::Resource;
use std::collections::BTreeMap;

pub struct Kubernetes;

impl Classifier for Kubernetes {
    fn classify<'a>(&self, doc: Document<'a>) -> Result<Vec<Resource>, Document<'a>> {
        let Some(kind) = identity(&doc.root).map(str::to_string) else { return Err(doc) };
        let is_list = kind.ends_with("List") && matches!(doc.root.get("items").map(|n| &n.value), Some(NodeValue::Array(_)));
        if !is_list {
            return Ok(vec![resource(doc.path, doc.root)]);
        }
        let NodeValue::Object(members) = doc.root.value else { return Ok(Vec::new()) };
        let items = members.into_iter().find(|(k, _)| k == "items").map(|(_, v)| v);
        let Some(Node { value: NodeValue::Array(items), .. }) = items else { return Ok(Vec::new()) };
        Ok(items.into_iter().filter(|item| identity(item).is_some()).map(|item| resource(doc.path, item)).collect())
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["k8s:*"]
    }
}

/// The `kind` of a document that looks like a Kubernetes object.
fn identity(node: &Node) -> Option<&str> {
    node.get_str("apiVersion")?;
    node.get_str("kind").filter(|k| !k.is_empty())
}

/// Where the pod template sits in each workload kind.
pub fn pod_spec_path(kind: &str) -> Option<&'static str> {
    match kind {
        "Pod" => Some("spec"),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" | "Job" => Some("spec.template.spec"),
        "CronJob" => Some("spec.jobTemplate.spec.template.spec"),
        "PodTemplate" => Some("template.spec"),
        _ => None,
    }
}

fn resource(path: &str, data: Node) -> Resource {
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
