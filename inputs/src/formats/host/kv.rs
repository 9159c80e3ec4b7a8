//! The shape shared by the key/value host files (`login.defs`,
//! `pwquality.conf`, `auditd.conf`, `sysctl.conf`):
//!
//! ```text
//! { settings: { KEY: "value", … },            // the effective value of each key
//!   entries:  [ { key, value, line }, … ],    // every assignment, in file order
//!   unparsed: [ { line, text, reason }, … ] } // lines that are not assignments
//! ```
//!
//! Values are kept as the strings the file holds (`UMASK 022` stays `"022"`).

use crate::formats::nodes::{self, boolean, int, object, string};
use crate::node::{LineSpan, Node};

/// What a line holding only a key means.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Bare {
    /// A boolean option that is switched on (`enforce_for_root`): value `true`.
    Flag,
    /// A key set to the empty string.
    Empty,
    /// Not an assignment: recorded under `unparsed`.
    Unparsed,
}

/// How one key/value format is written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Syntax {
    /// `key = value` (else `key value`, split at the first whitespace).
    pub equals: bool,
    /// Characters that start a comment line.
    pub comment_lines: &'static str,
    /// Whether `#` after a value starts a comment too.
    pub inline_comments: bool,
    pub lowercase_keys: bool,
    /// Which of repeated keys takes effect.
    pub first_wins: bool,
    pub bare: Bare,
    /// Strip one pair of surrounding double quotes from values.
    pub unquote: bool,
}

/// One assignment.
pub(crate) struct Entry {
    pub key: String,
    /// `None` for a bare flag.
    pub value: Option<String>,
    pub line: u32,
    /// Format-specific members added to the entry node.
    pub extra: Vec<(String, Node)>,
}

/// A file's assignments and the lines that were not.
#[derive(Default)]
pub(crate) struct Parsed {
    pub entries: Vec<Entry>,
    pub unparsed: Vec<Node>,
}

/// Splits a non-comment line into key and value (`None` when there is only a key).
pub(crate) fn split(line: &str, equals: bool) -> (&str, Option<&str>) {
    let line = line.trim();
    let at = if equals { line.find('=') } else { line.find(char::is_whitespace) };
    match at {
        Some(i) => (line[..i].trim_end(), Some(line[i + 1..].trim())),
        None => (line, None),
    }
}

fn unquote(v: &str) -> &str {
    v.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(v)
}

/// Reads every line of `text` as `syntax` says.
pub(crate) fn parse(text: &str, syntax: &Syntax) -> Parsed {
    let mut out = Parsed::default();
    for (line_no, _, raw) in nodes::numbered_lines(text) {
        let mut line = raw.trim();
        if line.is_empty() || line.starts_with(|c| syntax.comment_lines.contains(c)) {
            continue;
        }
        if syntax.inline_comments {
            line = line.split('#').next().unwrap_or_default().trim_end();
        }
        let (key, value) = split(line, syntax.equals);
        if key.is_empty() || key.contains(char::is_whitespace) {
            out.unparsed.push(nodes::unparsed(line_no, raw, "not a `key = value` line"));
            continue;
        }
        let value = match (value, syntax.bare) {
            (Some(v), _) if syntax.unquote => Some(unquote(v).to_string()),
            (Some(v), _) => Some(v.to_string()),
            (None, Bare::Flag) => None,
            (None, Bare::Empty) => Some(String::new()),
            (None, Bare::Unparsed) => {
                out.unparsed.push(nodes::unparsed(line_no, raw, "key without a value"));
                continue;
            }
        };
        let key = if syntax.lowercase_keys { key.to_ascii_lowercase() } else { key.to_string() };
        out.entries.push(Entry { key, value, line: line_no, extra: Vec::new() });
    }
    out
}

fn value_node(value: Option<&str>, line: u32) -> Node {
    value.map_or_else(|| boolean(true, line), |v| string(v, line))
}

/// The `{settings, entries, unparsed}` node; `span` is the whole file.
pub(crate) fn document(parsed: Parsed, first_wins: bool, span: LineSpan) -> Node {
    let mut settings: Vec<(String, Node)> = Vec::new();
    let mut entries = Vec::with_capacity(parsed.entries.len());
    for e in parsed.entries {
        nodes::insert(&mut settings, &e.key, value_node(e.value.as_deref(), e.line), first_wins);
        let mut m = nodes::members([
            ("key", string(e.key, e.line)),
            ("value", value_node(e.value.as_deref(), e.line)),
            ("line", int(i64::from(e.line), e.line)),
        ]);
        m.extend(e.extra);
        entries.push(object(m, LineSpan::single(e.line)));
    }
    let members = nodes::members([
        ("settings", object(settings, span)),
        ("entries", nodes::array(entries, span)),
        ("unparsed", nodes::array(parsed.unparsed, span)),
    ]);
    nodes::object_at(members, span)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFS: Syntax = super::super::login_defs::SYNTAX;

    #[test]
    fn splits_and_last_wins() {
        assert_eq!(split("a = b c", true), ("a", Some("b c")));
        assert_eq!(split("PASS_MAX_DAYS\t 90", false), ("PASS_MAX_DAYS", Some("90")));
        assert_eq!(split("flag", true), ("flag", None));
        let text = "# c\nPASS_MAX_DAYS 99999\nENCRYPT_METHOD \"SHA512\"\nPASS_MAX_DAYS 60\nLONE\n";
        let doc = document(parse(text, &DEFS), DEFS.first_wins, LineSpan::new(1, 5));
        let s = doc.get("settings").unwrap();
        assert_eq!(s.get_str("PASS_MAX_DAYS"), Some("60"));
        assert_eq!(s.get("PASS_MAX_DAYS").unwrap().lines.start, 4);
        assert_eq!(s.get_str("ENCRYPT_METHOD"), Some("SHA512"));
        assert_eq!(s.get_str("LONE"), Some(""));
        assert_eq!(doc.at_path("entries[0].line").unwrap().lines.start, 2);
    }
}
