//! `.env` files (`.env`, `.env.*`, `*.env`): one `env:document` per file,
//! `r.data` mapping each variable to its value.
//!
//! `KEY=VALUE` lines, with an optional `export ` prefix and `#` comments.
//! Single quotes are literal; double quotes may span lines and understand
//! `\n`, `\t`, `\"` and `\\`; an unquoted value ends at ` #`. References
//! such as `${HOME}` are kept verbatim. A key alone (`KEY`) has a null value
//! (Docker's "take it from the environment"). The last line for a key wins.
//! A line that is not an assignment, a key with characters outside
//! `[A-Za-z0-9_.-]`, and an unterminated quote are parse errors at their line.

use crate::classify::{generic, Document};
use crate::error::InputError;
use crate::formats::nodes::{self, object_at};
use crate::node::{LineSpan, Node, NodeValue};
use std::sync::Arc;

/// `.env`, `.env.<stage>`, `<name>.env`.
pub struct Env;

impl super::Parser for Env {
    fn name(&self) -> &'static str {
        "env"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["env:document"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
        if super::has_extension(path, &["json", "yaml", "yml", "toml", "md", "sh", "py", "js", "ts"]) {
            return false;
        }
        name == ".env" || name.starts_with(".env.") || (name.len() > 4 && name.ends_with(".env"))
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        let root = parse(path, text)?;
        Ok(generic::resource(Document { format: "env", path, index: 0, multi: false, root }))
    }
}

fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// Parses a `.env` file into a map of variables.
pub fn parse(path: &str, text: &Arc<str>) -> Result<Node, InputError> {
    let lines: Vec<(u32, usize, &str)> = nodes::numbered_lines(text).collect();
    let err = |offset: usize, len: usize, msg: &str| InputError::parse(path, text, offset..offset + len.max(1), msg);
    let mut members: Vec<(String, Node)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let (n, offset, raw) = lines[i];
        i += 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export").filter(|r| r.starts_with([' ', '\t'])).map_or(line, str::trim_start);
        let Some((key, rest)) = line.split_once('=') else {
            if !valid_key(line) {
                return Err(err(offset, raw.len(), "expected KEY=VALUE"));
            }
            nodes::insert(&mut members, line, nodes::null(n), false);
            continue;
        };
        let key = key.trim();
        if !valid_key(key) {
            return Err(err(offset, raw.len(), &format!("`{key}` is not a variable name")));
        }
        let rest = rest.trim_start();
        let (value, end) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let mut value = String::new();
                let mut body = &rest[1..];
                let mut end = n;
                loop {
                    match closing(body, q, &mut value) {
                        Some(after) => {
                            let after = after.trim();
                            if !after.is_empty() && !after.starts_with('#') {
                                return Err(err(offset, raw.len(), "unexpected text after the closing quote"));
                            }
                            break;
                        }
                        None if i < lines.len() => {
                            value.push('\n');
                            body = lines[i].2;
                            end = lines[i].0;
                            i += 1;
                        }
                        None => return Err(err(offset, raw.len(), &format!("unterminated {q} quote: the value never closes"))),
                    }
                }
                (value, end)
            }
            _ => {
                let cut = rest.find(" #").or_else(|| rest.find("\t#")).unwrap_or(rest.len());
                (rest[..cut].trim_end().to_string(), n)
            }
        };
        nodes::insert(&mut members, key, Node::new(NodeValue::String(value), LineSpan::new(n, end)), false);
    }
    Ok(object_at(members, nodes::file_span(text)))
}

/// Appends the quoted text in `body` up to the closing `q` to `out`; returns
/// what follows the quote, or `None` when the line ends first.
fn closing<'a>(body: &'a str, q: char, out: &mut String) -> Option<&'a str> {
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c == q => return Some(&body[i + 1..]),
            '\\' if q == '"' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, e @ ('"' | '\\' | '$'))) => out.push(e),
                Some((_, other)) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Node, InputError> {
        parse(".env", &Arc::from(text))
    }

    #[test]
    fn quotes_exports_and_comments() {
        let doc = p("# c\nexport A=1\nB = 'x # y'\nC=\"multi\nline \\\"q\\\"\" # note\nD=plain # comment\nE=${A}/x\nF\nA=2\n").unwrap();
        assert_eq!(
            doc.to_json(),
            serde_json::json!({"A": "2", "B": "x # y", "C": "multi\nline \"q\"", "D": "plain", "E": "${A}/x", "F": null})
        );
        assert_eq!(doc.get("C").unwrap().lines, LineSpan::new(4, 5));
        assert_eq!(doc.get("A").unwrap().lines.start, 9);
    }

    #[test]
    fn malformed_lines_are_errors() {
        assert_eq!(p("A=1\nnot valid\n").unwrap_err().line(), Some(2));
        assert_eq!(p("A=1\nB=\"open\nmore\n").unwrap_err().line(), Some(2));
        assert_eq!(p("A='x' y\n").unwrap_err().line(), Some(1));
    }
}
