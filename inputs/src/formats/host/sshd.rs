//! OpenSSH server configuration: `sshd_config` and `sshd_config.d/*.conf`.
//!
//! Keywords are case-insensitive and normalised to lower case. As in sshd, the
//! first value of a keyword wins, except for the keywords that accumulate
//! (`AllowUsers`, `Port`, `HostKey`, …), whose values are joined with spaces.
//! Directives after a `Match` line belong to that block until the next one.
//! `Include` is recorded with the scan path it resolves to; the included
//! files are parsed on their own and share the host's evaluation unit, so a
//! rule finds them with `related(r, "host:sshd_config")`.

use super::{join, place, split_host_path};
use crate::error::InputError;
use crate::formats::nodes::{self, int, object, string};
use crate::node::{LineSpan, Node};
use std::sync::Arc;

/// `sshd_config` and `*.conf` in `sshd_config.d/`.
pub struct SshdConfig;

impl crate::formats::Parser for SshdConfig {
    fn name(&self) -> &'static str {
        "sshd_config"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["host:sshd_config"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        place(path).is_some_and(|p| p.name == "sshd_config" || super::in_dir_with_ext(&p, "sshd_config.d", "conf"))
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        let role = if path.rsplit('/').nth(1) == Some("sshd_config.d") { "drop-in" } else { "main" };
        Ok(vec![super::file_resource("host:sshd_config", path, parse(path, text), &[("role", role)])])
    }

    fn unit(&self, path: &str) -> Option<String> {
        Some(super::unit(path))
    }
}

/// Keywords whose repeated lines add to the value instead of being ignored.
const ACCUMULATING: &[&str] =
    &["allowusers", "denyusers", "allowgroups", "denygroups", "acceptenv", "hostkey", "hostcertificate", "listenaddress", "port", "setenv"];

/// Settings of one section (global or a Match block), in first-seen order.
#[derive(Default)]
struct Section {
    settings: Vec<(String, Node)>,
}

impl Section {
    fn set(&mut self, keyword: &str, value: &str, line: u32) {
        match self.settings.iter_mut().find(|(k, _)| k == keyword) {
            None => self.settings.push((keyword.to_string(), string(value, line))),
            Some((_, node)) if ACCUMULATING.contains(&keyword) => {
                if let crate::node::NodeValue::String(s) = &mut node.value {
                    s.push(' ');
                    s.push_str(value);
                }
                node.lines.end = line;
            }
            Some(_) => {}
        }
    }
}

struct Block {
    criteria: String,
    conditions: Vec<(String, Node)>,
    line: u32,
    section: Section,
}

/// Parses one sshd configuration file (`path` resolves its `Include`s).
pub fn parse(path: &str, text: &str) -> Node {
    let span = nodes::file_span(text);
    let mut global = Section::default();
    let mut blocks: Vec<Block> = Vec::new();
    let (mut entries, mut includes, mut unparsed) = (Vec::new(), Vec::new(), Vec::new());
    for (n, _, raw) in nodes::numbered_lines(text) {
        let line = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{c}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let end = line.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(line.len());
        let (keyword, rest) = line.split_at(end);
        if keyword.is_empty() || !keyword.bytes().all(|b| b.is_ascii_alphanumeric()) {
            unparsed.push(nodes::unparsed(n, raw, "not a `Keyword value` line"));
            continue;
        }
        let rest = rest.trim_start();
        let rest = rest.strip_prefix('=').unwrap_or(rest);
        let args = match split_args(rest) {
            Ok(args) if args.is_empty() => {
                unparsed.push(nodes::unparsed(n, raw, "keyword without a value"));
                continue;
            }
            Ok(args) => args,
            Err(reason) => {
                unparsed.push(nodes::unparsed(n, raw, reason));
                continue;
            }
        };
        let keyword = keyword.to_ascii_lowercase();
        let value = args.join(" ");
        if keyword == "match" {
            blocks.push(Block { conditions: conditions(&args, n), criteria: value, line: n, section: Section::default() });
            continue;
        }
        let block = blocks.len().checked_sub(1);
        let block_node = || block.map_or_else(|| nodes::null(n), |b| int(b as i64, n));
        if keyword == "include" {
            for pattern in &args {
                let resolved = resolve_include(path, pattern);
                let (dir, glob) = match &resolved {
                    Some(p) => p.rsplit_once('/').map_or(("", p.as_str()), |(d, g)| (d, g)),
                    None => ("", ""),
                };
                let m = nodes::members([
                    ("pattern", string(pattern.as_str(), n)),
                    ("path", nodes::opt_string(resolved.as_deref(), n)),
                    ("dir", string(dir, n)),
                    ("glob", string(glob, n)),
                    ("line", int(i64::from(n), n)),
                    ("match_block", block_node()),
                ]);
                includes.push(object(m, LineSpan::single(n)));
            }
        } else {
            match blocks.last_mut() {
                Some(b) => b.section.set(&keyword, &value, n),
                None => global.set(&keyword, &value, n),
            }
        }
        let m = nodes::members([
            ("keyword", string(keyword, n)),
            ("value", string(value, n)),
            ("args", nodes::strings(&args, n)),
            ("line", int(i64::from(n), n)),
            ("match_block", block_node()),
        ]);
        entries.push(object(m, LineSpan::single(n)));
    }
    let blocks = blocks
        .into_iter()
        .map(|b| {
            let m = nodes::members([
                ("criteria", string(b.criteria, b.line)),
                ("conditions", object(b.conditions, LineSpan::single(b.line))),
                ("settings", object(b.section.settings, LineSpan::single(b.line))),
                ("line", int(i64::from(b.line), b.line)),
            ]);
            object(m, LineSpan::single(b.line))
        })
        .collect();
    let members = nodes::members([
        ("settings", object(global.settings, span)),
        ("entries", nodes::array(entries, span)),
        ("includes", nodes::array(includes, span)),
        ("match_blocks", nodes::array(blocks, span)),
        ("unparsed", nodes::array(unparsed, span)),
    ]);
    nodes::object_at(members, span)
}

/// `Match User alice,bob Address 10.0.0.0/8` → `{user: "alice,bob", address: "10.0.0.0/8"}`;
/// `Match all` → `{all: null}`.
fn conditions(args: &[String], line: u32) -> Vec<(String, Node)> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(criterion) = it.next() {
        let criterion = criterion.to_ascii_lowercase();
        let value = if criterion == "all" { None } else { it.next() };
        nodes::insert(&mut out, &criterion, nodes::opt_string(value.map(String::as_str), line), true);
    }
    out
}

/// Splits arguments as sshd does: whitespace-separated, `"` and `'` quote,
/// `\` escapes quotes, and a word starting with `#` begins a comment.
fn split_args(s: &str) -> Result<Vec<String>, &'static str> {
    let mut args = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.peek() {
            None | Some('#') => return Ok(args),
            Some(_) => {}
        }
        let mut arg = String::new();
        let mut quote = None;
        while let Some(c) = chars.next() {
            match (c, quote) {
                ('\\', _) if matches!(chars.peek(), Some('"' | '\'' | '\\')) || (quote.is_none() && chars.peek() == Some(&' ')) => {
                    arg.push(chars.next().unwrap_or('\\'));
                }
                (c, None) if c.is_whitespace() => break,
                ('"' | '\'', None) => quote = Some(c),
                (c, Some(q)) if c == q => quote = None,
                (c, _) => arg.push(c),
            }
        }
        if quote.is_some() {
            return Err("unterminated quote");
        }
        args.push(arg);
    }
}

/// The scan path an `Include` pattern names. sshd reads a relative pattern
/// from `/etc/ssh`; an absolute one is mapped into the same snapshot as the
/// including file. When the file's own place on the host is unknown (the scan
/// started inside `/etc`), its directory stands for `/etc/ssh`, and a pattern
/// outside `/etc/ssh` stays unresolved.
pub fn resolve_include(path: &str, pattern: &str) -> Option<String> {
    let host = if pattern.starts_with('/') { pattern.to_string() } else { format!("/etc/ssh/{pattern}") };
    let (root, host_path) = split_host_path(path);
    if host_path.starts_with('/') {
        return Some(join(root, host.trim_start_matches('/')));
    }
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let ssh_dir = dir.strip_suffix("sshd_config.d").map_or(dir, |d| d.trim_end_matches('/'));
    host.strip_prefix("/etc/ssh/").map(|rest| join(ssh_dir, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_quotes_and_comments() {
        assert_eq!(split_args("a  \"b c\" 'd' # note").unwrap(), vec!["a", "b c", "d"]);
        assert_eq!(split_args(r#"x\"y"#).unwrap(), vec!["x\"y"]);
        assert!(split_args("\"open").is_err());
    }

    #[test]
    fn includes_resolve_into_the_snapshot() {
        assert_eq!(
            resolve_include("s/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/*.conf").as_deref(),
            Some("s/etc/ssh/sshd_config.d/*.conf")
        );
        assert_eq!(resolve_include("etc/ssh/sshd_config", "extra.conf").as_deref(), Some("etc/ssh/extra.conf"));
        assert_eq!(resolve_include("ssh/sshd_config", "/etc/ssh/sshd_config.d/*.conf").as_deref(), Some("ssh/sshd_config.d/*.conf"));
        assert_eq!(resolve_include("sshd_config", "sshd_config.d/*.conf").as_deref(), Some("sshd_config.d/*.conf"));
        assert_eq!(resolve_include("ssh/sshd_config.d/a.conf", "b.conf").as_deref(), Some("ssh/b.conf"));
        assert_eq!(resolve_include("sshd_config", "/opt/ssh/x.conf"), None);
    }

    #[test]
    fn first_value_wins_and_match_blocks_are_separate() {
        let text = "Port 22\nport=2222\nPermitRootLogin no\nPERMITROOTLOGIN yes\nAllowUsers a\nAllowUsers b\n\
                    Match User x Address 10.0.0.0/8\n  PermitRootLogin yes\nMatch all\n X11Forwarding no\n";
        let doc = parse("etc/ssh/sshd_config", text);
        let s = doc.get("settings").unwrap();
        assert_eq!(s.get_str("port"), Some("22 2222"));
        assert_eq!(s.get_str("permitrootlogin"), Some("no"));
        assert_eq!(s.get("permitrootlogin").unwrap().lines, LineSpan::single(3));
        assert_eq!(s.get_str("allowusers"), Some("a b"));
        assert_eq!(s.get("allowusers").unwrap().lines, LineSpan::new(5, 6));
        assert_eq!(doc.at_path("match_blocks[0].settings.permitrootlogin").unwrap().lines.start, 8);
        assert_eq!(
            doc.at_path("match_blocks[0].conditions.address").and_then(|n| n.to_json().as_str().map(String::from)).as_deref(),
            Some("10.0.0.0/8")
        );
        assert_eq!(doc.at_path("match_blocks[1].conditions").unwrap().to_json(), serde_json::json!({"all": null}));
        assert_eq!(doc.at_path("entries[6].match_block").unwrap().to_json(), serde_json::json!(0));
    }
}
