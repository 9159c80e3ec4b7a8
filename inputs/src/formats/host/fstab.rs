//! `/etc/fstab`: one mount per line, `device mount_point fs_type options dump pass`.
//!
//! `options` is split at commas; `dump` and `pass` are integers and default
//! to 0 when left out, as mount does. Octal escapes (`\040` for a space) are
//! decoded. `mounts` maps each mount point to its entry (the last one, when
//! a mount point repeats, because that mount lands on top).

use crate::error::InputError;
use crate::formats::nodes::{self, int, object, string};
use crate::node::{LineSpan, Node};
use std::sync::Arc;

/// `fstab`.
pub struct Fstab;

impl crate::formats::Parser for Fstab {
    fn name(&self) -> &'static str {
        "fstab"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["host:fstab"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        super::place(path).is_some_and(|p| p.name == "fstab")
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        Ok(vec![super::file_resource("host:fstab", path, parse(text), &[])])
    }

    fn unit(&self, path: &str) -> Option<String> {
        Some(super::unit(path))
    }
}

/// Decodes fstab's `\NNN` octal escapes.
fn unescape(field: &str) -> String {
    if !field.contains('\\') {
        return field.to_string();
    }
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes.get(i + 1..i + 4).filter(|d| bytes[i] == b'\\' && d.iter().all(|b| (b'0'..=b'7').contains(b)));
        match octal.and_then(|d| u8::from_str_radix(std::str::from_utf8(d).ok()?, 8).ok()) {
            Some(b) => {
                out.push(b);
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn number(field: Option<&str>, line: u32) -> Option<Node> {
    match field {
        None => Some(int(0, line)),
        Some(f) => f.parse::<i64>().ok().map(|v| int(v, line)),
    }
}

/// Parses an fstab file into `{entries, mounts, unparsed}`.
pub fn parse(text: &str) -> Node {
    let span = nodes::file_span(text);
    let (mut entries, mut mounts, mut unparsed) = (Vec::new(), Vec::new(), Vec::new());
    for (n, _, raw) in nodes::numbered_lines(text) {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if !(3..=6).contains(&fields.len()) {
            unparsed.push(nodes::unparsed(n, raw, "expected 3 to 6 fields: device mount_point fs_type [options [dump [pass]]]"));
            continue;
        }
        let (Some(dump), Some(pass)) = (number(fields.get(4).copied(), n), number(fields.get(5).copied(), n)) else {
            unparsed.push(nodes::unparsed(n, raw, "dump and pass must be integers"));
            continue;
        };
        let options: Vec<String> = fields.get(3).map_or_else(|| vec!["defaults".to_string()], |o| o.split(',').map(unescape).collect());
        let mount_point = unescape(fields[1]);
        let m = nodes::members([
            ("device", string(unescape(fields[0]), n)),
            ("mount_point", string(mount_point.as_str(), n)),
            ("fs_type", string(fields[2], n)),
            ("options", nodes::strings(&options, n)),
            ("dump", dump),
            ("pass", pass),
            ("line", int(i64::from(n), n)),
        ]);
        let entry = object(m, LineSpan::single(n));
        nodes::insert(&mut mounts, &mount_point, entry.clone(), false);
        entries.push(entry);
    }
    let members = nodes::members([
        ("entries", nodes::array(entries, span)),
        ("mounts", object(mounts, span)),
        ("unparsed", nodes::array(unparsed, span)),
    ]);
    nodes::object_at(members, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_options_and_escapes() {
        let text = "# /etc/fstab\nUUID=ab / ext4 defaults 0 1\n/dev/sdb1 /mnt/my\\040disk xfs rw,nodev\ntmpfs /tmp tmpfs\nbad\n";
        let doc = parse(text);
        assert_eq!(doc.at_path("entries[1].mount_point").unwrap().to_json(), "/mnt/my disk");
        assert_eq!(doc.at_path("entries[1].options").unwrap().to_json(), serde_json::json!(["rw", "nodev"]));
        assert_eq!(doc.at_path("entries[1].pass").unwrap().to_json(), serde_json::json!(0));
        assert_eq!(doc.at_path("mounts[\"/tmp\"].options").unwrap().to_json(), serde_json::json!(["defaults"]));
        assert_eq!(doc.at_path("mounts[\"/tmp\"]").unwrap().lines.start, 4);
        assert_eq!(doc.at_path("unparsed[0].line").unwrap().to_json(), serde_json::json!(5));
        assert_eq!(unescape("a\\011b\\x"), "a\tb\\x");
    }
}
