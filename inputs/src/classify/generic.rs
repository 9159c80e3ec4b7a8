//! Documents no classifier recognised: one `<format>:document` resource each.

use super::Document;
use crate::resource::Resource;
use std::collections::BTreeMap;

/// Kinds of generic documents, one per document format.
pub const KINDS: &[&str] = &["json:document", "yaml:document", "toml:document"];

/// The id is the file name, with the document index for multi-document files.
pub fn resource(doc: Document<'_>) -> Vec<Resource> {
    let id = if doc.multi { format!("{}[{}]", doc.file_name(), doc.index) } else { doc.file_name().to_string() };
    vec![Resource {
        kind: format!("{}:document", doc.format),
        id,
        path: doc.path.to_string(),
        lines: doc.root.lines,
        data: doc.root,
        attributes: BTreeMap::new(),
    }]
}
