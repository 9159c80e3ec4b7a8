//! PAM service files: everything in a `pam.d/` directory.
//!
//! Each line is `type control module [args…]`. A `-` before the type (load
//! the module only if it exists) is kept as `optional: true`; bracketed
//! controls (`[success=1 default=ignore]`) are also split into `actions`;
//! bracketed arguments (`[a b]`) are one argument; `\` continues a line and
//! `#` starts a comment. Debian's `@include common-auth` lines and the
//! `include` / `substack` controls are listed under `includes`.

use crate::error::InputError;
use crate::formats::nodes::{self, boolean, int, object, string};
use crate::node::{LineSpan, Node};
use std::sync::Arc;

/// Files in `pam.d/` (editor backups and package leftovers excepted).
pub struct Pam;

impl crate::formats::Parser for Pam {
    fn name(&self) -> &'static str {
        "pam"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["host:pam"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        super::place(path).is_some_and(|p| p.parent == "pam.d" && !super::is_backup(p.name))
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        let service = path.rsplit('/').next().unwrap_or(path);
        let mut r = super::file_resource("host:pam", path, parse(service, text), &[("service", service)]);
        r.id = service.to_string();
        Ok(vec![r])
    }

    fn unit(&self, path: &str) -> Option<String> {
        Some(super::unit(path))
    }
}

const TYPES: &[&str] = &["auth", "account", "password", "session"];

/// Logical lines: `\`-continued lines joined, comments cut; with their first and last line.
fn logical_lines(text: &str) -> Vec<(u32, u32, String)> {
    let mut out = Vec::new();
    let mut pending: Option<(u32, String)> = None;
    for (n, _, raw) in nodes::numbered_lines(text) {
        let (start, mut line) = pending.take().unwrap_or((n, String::new()));
        let content = raw.split('#').next().unwrap_or_default();
        match content.trim_end().strip_suffix('\\') {
            Some(head) => {
                line.push_str(head);
                line.push(' ');
                pending = Some((start, line));
            }
            None => {
                line.push_str(content);
                out.push((start, n, line));
            }
        }
    }
    if let Some((start, line)) = pending {
        let end = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
        out.push((start, end, line));
    }
    out
}

/// Splits a field list: whitespace-separated, `[ … ]` is one field (brackets kept).
fn fields(line: &str) -> Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { return Ok(out) };
        let mut field = String::new();
        if first == '[' {
            loop {
                match chars.next() {
                    None => return Err("unterminated `[`"),
                    Some('\\') if chars.peek() == Some(&']') => field.push(chars.next().unwrap_or(']')),
                    Some(']') => {
                        field.push(']');
                        break;
                    }
                    Some(c) => field.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                field.push(c);
            }
        }
        out.push(field);
    }
}

/// `[success=1 default=ignore]` → `{success: "1", default: "ignore"}`.
fn actions(control: &str, line: u32) -> Node {
    let Some(inner) = control.strip_prefix('[').and_then(|c| c.strip_suffix(']')) else { return nodes::null(line) };
    let mut members = Vec::new();
    for pair in inner.split_whitespace() {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        nodes::insert(&mut members, &k.to_ascii_lowercase(), string(v, line), false);
    }
    object(members, LineSpan::single(line))
}

/// Parses one PAM service file.
pub fn parse(service: &str, text: &str) -> Node {
    let span = nodes::file_span(text);
    let (mut entries, mut includes, mut unparsed) = (Vec::new(), Vec::new(), Vec::new());
    for (n, end, line) in logical_lines(text) {
        let lines = LineSpan::new(n, end);
        let f = match fields(&line) {
            Ok(f) if f.is_empty() => continue,
            Ok(f) => f,
            Err(reason) => {
                unparsed.push(nodes::unparsed(n, line.trim(), reason));
                continue;
            }
        };
        if f[0] == "@include" {
            let Some(target) = f.get(1) else {
                unparsed.push(nodes::unparsed(n, line.trim(), "`@include` without a file"));
                continue;
            };
            let m =
                nodes::members([("type", string("@include", n)), ("include", string(target.as_str(), n)), ("line", int(i64::from(n), n))]);
            entries.push(nodes::object_at(m, lines));
            includes.push(include(target, "@include", n));
            continue;
        }
        let (optional, kind) = match f[0].strip_prefix('-') {
            Some(t) => (true, t.to_ascii_lowercase()),
            None => (false, f[0].to_ascii_lowercase()),
        };
        if !TYPES.contains(&kind.as_str()) {
            unparsed.push(nodes::unparsed(n, line.trim(), "type must be auth, account, password or session"));
            continue;
        }
        if f.len() < 3 {
            unparsed.push(nodes::unparsed(n, line.trim(), "expected `type control module [args]`"));
            continue;
        }
        let control = f[1].to_ascii_lowercase();
        let module = f[2].as_str();
        if matches!(control.as_str(), "include" | "substack") {
            includes.push(include(module, &control, n));
        }
        let module_name = module.rsplit('/').next().unwrap_or(module);
        let module_name = module_name.strip_suffix(".so").unwrap_or(module_name);
        let args: Vec<&str> = f[3..].iter().map(|a| a.strip_prefix('[').and_then(|a| a.strip_suffix(']')).unwrap_or(a)).collect();
        let m = nodes::members([
            ("type", string(kind, n)),
            ("control", string(f[1].as_str(), n)),
            ("actions", actions(&f[1], n)),
            ("module", string(module, n)),
            ("module_name", string(module_name, n)),
            ("args", nodes::strings(&args, n)),
            ("optional", boolean(optional, n)),
            ("line", int(i64::from(n), n)),
        ]);
        entries.push(nodes::object_at(m, lines));
    }
    let members = nodes::members([
        ("service", string(service, span.start)),
        ("entries", nodes::array(entries, span)),
        ("includes", nodes::array(includes, span)),
        ("unparsed", nodes::array(unparsed, span)),
    ]);
    nodes::object_at(members, span)
}

fn include(service: &str, how: &str, line: u32) -> Node {
    let m = nodes::members([("service", string(service, line)), ("via", string(how, line)), ("line", int(i64::from(line), line))]);
    object(m, LineSpan::single(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_args_and_includes() {
        let text = "#%PAM-1.0\nauth [success=1 default=ignore] pam_unix.so nullok # c\n-session optional pam_systemd.so\n\
                    @include common-account\npassword include system-auth\nauth required pam_exec.so [a b\\] c] \\\n  quiet\nfoo bar\n";
        let doc = parse("login", text);
        assert_eq!(doc.at_path("entries[0].actions").unwrap().to_json(), serde_json::json!({"success": "1", "default": "ignore"}));
        assert_eq!(doc.at_path("entries[0].args").unwrap().to_json(), serde_json::json!(["nullok"]));
        assert_eq!(doc.at_path("entries[1].optional").unwrap().to_json(), serde_json::json!(true));
        assert_eq!(doc.at_path("entries[1].module_name").unwrap().to_json(), "pam_systemd");
        assert_eq!(doc.at_path("entries[2].include").unwrap().to_json(), "common-account");
        assert_eq!(doc.at_path("entries[4].args").unwrap().to_json(), serde_json::json!(["a b] c", "quiet"]));
        assert_eq!(doc.at_path("entries[4]").unwrap().lines, LineSpan::new(6, 7));
        assert_eq!(doc.at_path("includes").unwrap().to_json()[1]["service"], "system-auth");
        assert_eq!(doc.at_path("unparsed[0].line").unwrap().to_json(), serde_json::json!(8));
    }
}
