//! INI files (`*.ini`, `setup.cfg`): one `ini:document` per file.
//!
//! Keys before the first `[section]` sit at the top of `r.data`; each section
//! is a map under its name (a repeated section adds to the first). `key =
//! value` and `key: value` both assign; a key alone has a null value
//! (MySQL's `skip-networking`). Values are strings as written, quotes and all.
//! A line indented deeper than the key above it continues that key's value
//! (joined with a newline), as in Python's configparser; `;` and `#` start
//! comment lines. The last value of a repeated key wins. An unterminated
//! `[section` header is a parse error.

use crate::classify::{generic, Document};
use crate::error::InputError;
use crate::formats::nodes::{self, object_at};
use crate::node::{LineSpan, Node, NodeValue};
use std::sync::Arc;

/// `*.ini` and `setup.cfg` (other `*.cfg` files, such as `haproxy.cfg`, are rarely INI).
pub struct Ini;

impl super::Parser for Ini {
    fn comment_prefixes(&self) -> &'static [&'static str] {
        &["#", ";"]
    }

    fn name(&self) -> &'static str {
        "ini"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["ini:document"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        super::has_extension(path, &["ini"]) || path.file_name().is_some_and(|n| n == "setup.cfg")
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        let root = parse(path, text)?;
        Ok(generic::resource(Document { format: "ini", path, index: 0, multi: false, root }))
    }
}

struct Section {
    name: String,
    header: u32,
    members: Vec<(String, Node)>,
}

/// Parses an INI file into a map of top-level keys and section maps.
pub fn parse(path: &str, text: &Arc<str>) -> Result<Node, InputError> {
    let mut top: Vec<(String, Node)> = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut current: Option<usize> = None;
    // The key the next deeper-indented line continues: (indent, key).
    let mut last_key: Option<(usize, String)> = None;
    for (n, offset, raw) in nodes::numbered_lines(text) {
        let line = raw.trim();
        if line.is_empty() || line.starts_with([';', '#']) {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let members = match current {
            Some(i) => &mut sections[i].members,
            None => &mut top,
        };
        if let Some((_, key)) = last_key.as_ref().filter(|(ind, _)| indent > *ind) {
            if let Some((_, node)) = members.iter_mut().rev().find(|(k, _)| k == key) {
                let previous = match &node.value {
                    NodeValue::String(s) => s.clone(),
                    _ => String::new(),
                };
                let joined = if previous.is_empty() { line.to_string() } else { format!("{previous}\n{line}") };
                *node = Node::new(NodeValue::String(joined), LineSpan::new(node.lines.start, n));
                continue;
            }
        }
        if let Some(header) = line.strip_prefix('[') {
            let Some(name) = header.strip_suffix(']') else {
                return Err(InputError::parse(path, text, offset..offset + raw.len().max(1), "section header without a closing `]`"));
            };
            let name = name.trim().to_string();
            current = Some(sections.iter().position(|s| s.name == name).unwrap_or_else(|| {
                sections.push(Section { name, header: n, members: Vec::new() });
                sections.len() - 1
            }));
            last_key = None;
            continue;
        }
        let (key, value) = match line.find(['=', ':']) {
            Some(i) => (line[..i].trim_end(), Some(line[i + 1..].trim_start())),
            None => (line, None),
        };
        nodes::insert(members, key, nodes::opt_string(value, n), false);
        last_key = Some((indent, key.to_string()));
    }
    for s in sections {
        let end = s.members.iter().map(|(_, v)| v.lines.end).max().unwrap_or(s.header);
        nodes::insert(&mut top, &s.name, object_at(s.members, LineSpan::new(s.header, end)), false);
    }
    Ok(object_at(top, nodes::file_span(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_continuations_and_lines() {
        let text = "top = 1\n; c\n[metadata]\nname = demo\n[options]\ninstall_requires =\n    requests>=2\n    rich\nzip_safe: false\n[mysqld]\nskip-networking\n[metadata]\nname = again\n";
        let doc = parse("setup.cfg", &Arc::from(text)).unwrap();
        assert_eq!(
            doc.to_json(),
            serde_json::json!({"top": "1", "metadata": {"name": "again"}, "options": {"install_requires": "requests>=2\nrich", "zip_safe": "false"}, "mysqld": {"skip-networking": null}})
        );
        assert_eq!(doc.at_path("options.install_requires").unwrap().lines, LineSpan::new(6, 8));
        assert_eq!(doc.at_path("metadata.name").unwrap().lines.start, 13);
        assert_eq!(parse("a.ini", &Arc::from("[a]\n[b\n")).unwrap_err().line(), Some(2));
    }
}
