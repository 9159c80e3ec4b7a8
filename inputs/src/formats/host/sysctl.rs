//! Kernel parameters: `sysctl.conf` and `sysctl.d/*.conf`.
//!
//! `key = value` lines with `#` or `;` comments. Keys are normalised to the
//! dotted form: a key written with slashes (`net/ipv4/ip_forward`) has its
//! slashes and dots swapped, as `sysctl` does, so `net/ipv4/conf/eth0.10/rp_filter`
//! becomes `net.ipv4.conf.eth0/10.rp_filter`. A leading `-` (ignore errors
//! for this key) is dropped from the key and kept as `ignore_errors: true`
//! on the entry. The last line for a key wins, as when the file is applied.

use super::kv::{self, Entry, Parsed};
use crate::error::InputError;
use crate::formats::nodes::{self, boolean};
use std::sync::Arc;

/// `sysctl.conf` and `sysctl.d/*.conf`.
pub struct Sysctl;

impl crate::formats::Parser for Sysctl {
    fn comment_prefixes(&self) -> &'static [&'static str] {
        &["#", ";"]
    }

    fn name(&self) -> &'static str {
        "sysctl"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["host:sysctl"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        super::place(path).is_some_and(|p| p.name == "sysctl.conf" || super::in_dir_with_ext(&p, "sysctl.d", "conf"))
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        let data = kv::document(parse(text), false, nodes::file_span(text));
        Ok(vec![super::file_resource("host:sysctl", path, data, &[])])
    }

    fn unit(&self, path: &str) -> Option<String> {
        Some(super::unit(path))
    }
}

/// The dotted form of a sysctl key.
pub fn normalize_key(key: &str) -> String {
    if key.find(['.', '/']).is_some_and(|i| key.as_bytes()[i] == b'/') {
        key.chars()
            .map(|c| match c {
                '/' => '.',
                '.' => '/',
                c => c,
            })
            .collect()
    } else {
        key.to_string()
    }
}

fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    for (n, _, raw) in nodes::numbered_lines(text) {
        let line = raw.trim();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        let (ignore_errors, line) = match line.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, line),
        };
        match kv::split(line, true) {
            (key, Some(value)) if !key.is_empty() && !key.contains(char::is_whitespace) => {
                let extra = if ignore_errors { vec![("ignore_errors".to_string(), boolean(true, n))] } else { Vec::new() };
                out.entries.push(Entry { key: normalize_key(key), value: Some(value.to_string()), line: n, extra });
            }
            _ => out.unparsed.push(nodes::unparsed(n, raw, "not a `key = value` line")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalise_and_last_wins() {
        assert_eq!(normalize_key("net/ipv4/conf/eth0.10/rp_filter"), "net.ipv4.conf.eth0/10.rp_filter");
        assert_eq!(normalize_key("net.ipv4.ip_forward"), "net.ipv4.ip_forward");
        let text = "net/ipv4/ip_forward = 1\n; c\n-net.ipv4.ip_forward=0\nkernel.printk = 4 4 1 7\ngarbage\n";
        let doc = kv::document(parse(text), false, nodes::file_span(text));
        let s = doc.get("settings").unwrap();
        assert_eq!(s.get_str("net.ipv4.ip_forward"), Some("0"));
        assert_eq!(s.get("net.ipv4.ip_forward").unwrap().lines.start, 3);
        assert_eq!(s.get_str("kernel.printk"), Some("4 4 1 7"));
        assert_eq!(doc.at_path("entries[1].ignore_errors").unwrap().to_json(), serde_json::json!(true));
        assert_eq!(doc.at_path("unparsed[0].line").unwrap().lines.start, 5);
    }
}
