//! Linux audit rules: `audit.rules` and `audit/rules.d/*.rules`.
//!
//! Each line is one `auditctl` command. It becomes one item of `rules`:
//!
//! - `-w /etc/passwd -p wa -k identity` → `{type: "watch", path, perms, key}`;
//! - `-a always,exit -F arch=b64 -S open,openat -F exit=-EACCES -k access` →
//!   `{type: "syscall", action, list, arch, syscalls, fields: [{field, op, value}], comparisons, key}`
//!   (`-a` takes `action,list` in either order);
//! - `-D`, `-b 8192`, `-f 2`, `-e 2`, `-r 0`, `--backlog_wait_time 60000`,
//!   `--loginuid-immutable`, `-i`, `-c` → `{type: "control", option, value}`, and the
//!   last value of each also lands in `control` (`enabled`, `buffer`, `failure`, …).
//!
//! Several `-k` keys are joined with commas. Lines `auditctl` would reject are
//! kept under `unparsed`.

use crate::error::InputError;
use crate::formats::nodes::{self, int, object, string};
use crate::node::{LineSpan, Node};
use std::sync::Arc;

/// `audit.rules` anywhere, and `*.rules` in `audit/rules.d/` (not udev's `rules.d`).
pub struct AuditRules;

impl crate::formats::Parser for AuditRules {
    fn name(&self) -> &'static str {
        "audit_rules"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["host:audit_rules"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        super::place(path)
            .is_some_and(|p| p.name == "audit.rules" || (p.grandparent == "audit" && super::in_dir_with_ext(&p, "rules.d", "rules")))
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        Ok(vec![super::file_resource("host:audit_rules", path, parse(text), &[])])
    }

    fn unit(&self, path: &str) -> Option<String> {
        Some(super::unit(path))
    }
}

/// Control options: (option, name under `control`, takes a value).
const CONTROLS: &[(&str, &str, bool)] = &[
    ("-D", "delete_all", false),
    ("-b", "buffer", true),
    ("-f", "failure", true),
    ("-e", "enabled", true),
    ("-r", "rate", true),
    ("-i", "ignore_errors", false),
    ("-c", "continue_on_error", false),
    ("--backlog_wait_time", "backlog_wait_time", true),
    ("--loginuid-immutable", "loginuid_immutable", false),
    ("--reset-lost", "reset_lost", false),
    ("--reset_backlog_wait_time_actual", "reset_backlog_wait_time_actual", false),
];

const OPS: &[&str] = &["!=", "<=", ">=", "&=", "=", "<", ">", "&"];

#[derive(Default)]
struct Rule<'a> {
    watch: Option<(&'a str, &'a str)>,
    perms: Option<&'a str>,
    action: Option<(&'a str, &'a str, &'a str)>,
    syscalls: Vec<&'a str>,
    fields: Vec<(&'a str, &'a str, &'a str)>,
    comparisons: Vec<(&'a str, &'a str, &'a str)>,
    keys: Vec<&'a str>,
    controls: Vec<(&'a str, &'a str, Option<&'a str>)>,
}

/// `auid>=1000` → (`auid`, `>=`, `1000`).
fn field(expr: &str) -> Option<(&str, &str, &str)> {
    let at = expr.find(['!', '<', '>', '=', '&'])?;
    let op = OPS.iter().find(|op| expr[at..].starts_with(*op))?;
    let (name, value) = (&expr[..at], &expr[at + op.len()..]);
    (!name.is_empty()).then_some((name, op, value))
}

fn read_line(line: &str) -> Result<Rule<'_>, String> {
    let toks: Vec<&str> = line.split_whitespace().collect();
    let mut rule = Rule::default();
    let mut i = 0;
    while i < toks.len() {
        let opt = toks[i];
        let control = CONTROLS.iter().find(|(o, _, _)| *o == opt);
        let takes_value = control.map_or(!matches!(opt, "-D" | "-i" | "-c"), |c| c.2);
        let value = if takes_value { Some(*toks.get(i + 1).ok_or_else(|| format!("`{opt}` needs a value"))?) } else { None };
        i += if takes_value { 2 } else { 1 };
        match (opt, value) {
            (_, v) if control.is_some() => rule.controls.push((opt, control.map_or("", |c| c.1), v)),
            ("-w" | "-W", Some(v)) => rule.watch = Some((opt, v)),
            ("-p", Some(v)) => rule.perms = Some(v),
            ("-k", Some(v)) => rule.keys.push(v),
            ("-a" | "-A" | "-d", Some(v)) => {
                let (a, b) = v.split_once(',').ok_or_else(|| format!("`{opt} {v}`: expected action,list"))?;
                let (action, list) = if matches!(a, "always" | "never") { (a, b) } else { (b, a) };
                rule.action = Some((opt, action, list));
            }
            ("-S", Some(v)) => rule.syscalls.extend(v.split(',').filter(|s| !s.is_empty())),
            ("-F", Some(v)) => match field(v) {
                Some(("key", "=", k)) => rule.keys.push(k),
                Some(f) => rule.fields.push(f),
                None => return Err(format!("`-F {v}`: expected field, operator and value")),
            },
            ("-C", Some(v)) => rule.comparisons.push(field(v).ok_or_else(|| format!("`-C {v}`: expected field, operator and field"))?),
            _ => return Err(format!("unknown option `{opt}`")),
        }
    }
    if rule.watch.is_some() && rule.action.is_some() {
        return Err("a rule is either a watch (-w) or a syscall rule (-a), not both".into());
    }
    if rule.watch.is_none() && rule.action.is_none() && (rule.perms.is_some() || !rule.syscalls.is_empty() || !rule.fields.is_empty()) {
        return Err("`-p`, `-S` and `-F` need a `-w` or `-a` rule".into());
    }
    Ok(rule)
}

/// Parses an audit rules file into `{rules, control, unparsed}`.
pub fn parse(text: &str) -> Node {
    let span = nodes::file_span(text);
    let (mut rules, mut control, mut unparsed) = (Vec::new(), Vec::new(), Vec::new());
    for (n, _, raw) in nodes::numbered_lines(text) {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let rule = match read_line(line) {
            Ok(r) => r,
            Err(reason) => {
                unparsed.push(nodes::unparsed(n, raw, &reason));
                continue;
            }
        };
        let key = if rule.keys.is_empty() { nodes::null(n) } else { string(rule.keys.join(","), n) };
        let common = |kind: &str, option: &str| {
            nodes::members([
                ("type", string(kind, n)),
                ("option", string(option, n)),
                ("line", int(i64::from(n), n)),
                ("text", string(line, n)),
            ])
        };
        for (option, name, value) in &rule.controls {
            let value = value.map_or_else(|| nodes::boolean(true, n), |v| v.parse().map_or_else(|_| string(v, n), |i| int(i, n)));
            nodes::insert(&mut control, name, value.clone(), false);
            let mut m = common("control", option);
            m.push(("value".into(), value));
            rules.push(object(m, LineSpan::single(n)));
        }
        if let Some((option, path)) = rule.watch {
            let mut m = common("watch", option);
            m.extend(nodes::members([("path", string(path, n)), ("perms", nodes::opt_string(rule.perms, n)), ("key", key)]));
            rules.push(object(m, LineSpan::single(n)));
        } else if let Some((option, action, list)) = rule.action {
            let triple = |items: &[(&str, &str, &str)], names: [&str; 3]| {
                let items = items.iter().map(|(a, op, b)| {
                    let m = nodes::members([(names[0], string(*a, n)), ("op", string(*op, n)), (names[2], string(*b, n))]);
                    object(m, LineSpan::single(n))
                });
                nodes::array(items.collect(), LineSpan::single(n))
            };
            let arch = rule.fields.iter().find(|f| f.0 == "arch" && f.1 == "=").map(|f| f.2);
            let mut m = common("syscall", option);
            m.extend(nodes::members([
                ("action", string(action, n)),
                ("list", string(list, n)),
                ("arch", nodes::opt_string(arch, n)),
                ("syscalls", nodes::strings(&rule.syscalls, n)),
                ("fields", triple(&rule.fields, ["field", "op", "value"])),
                ("comparisons", triple(&rule.comparisons, ["left", "op", "right"])),
                ("key", key),
            ]));
            rules.push(object(m, LineSpan::single(n)));
        }
    }
    let members = nodes::members([
        ("rules", nodes::array(rules, span)),
        ("control", object(control, span)),
        ("unparsed", nodes::array(unparsed, span)),
    ]);
    nodes::object_at(members, span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn watches_syscalls_and_controls() {
        let text = "-D\n-b 8192\n-w /etc/shadow -p wa -k identity\n\
                    -a exit,always -F arch=b64 -S adjtimex,settimeofday -S clock_settime -F auid>=1000 -F key=time-change\n\
                    -a always,exit -C uid!=euid -F euid=0 -k a -k b\n-e 2\n-x nope\n-p wa\n";
        let doc = parse(text).to_json();
        assert_eq!(doc["control"], json!({"delete_all": true, "buffer": 8192, "enabled": 2}));
        assert_eq!(doc["rules"][2]["path"], "/etc/shadow");
        assert_eq!(doc["rules"][2]["perms"], "wa");
        let sys = &doc["rules"][3];
        assert_eq!((sys["action"].as_str(), sys["list"].as_str(), sys["arch"].as_str()), (Some("always"), Some("exit"), Some("b64")));
        assert_eq!(sys["syscalls"], json!(["adjtimex", "settimeofday", "clock_settime"]));
        assert_eq!(sys["fields"][1], json!({"field": "auid", "op": ">=", "value": "1000"}));
        assert_eq!(sys["key"], "time-change");
        assert_eq!(doc["rules"][4]["comparisons"][0], json!({"left": "uid", "op": "!=", "right": "euid"}));
        assert_eq!(doc["rules"][4]["key"], "a,b");
        assert_eq!(doc["unparsed"].as_array().unwrap().len(), 2);
        assert!(doc["unparsed"][0]["reason"].as_str().unwrap().contains("-x"));
    }
}
