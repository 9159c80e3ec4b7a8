//! Resources: the unit a rule is evaluated against.
//!
//! A file holds one or more documents, and a document holds one or more
//! resources (a Kubernetes `List` holds many). Each resource has a kind that
//! rules select with `applies_to`, an id that is stable across runs, and the
//! lines it spans in its file.

use crate::node::{LineSpan, Node};
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
