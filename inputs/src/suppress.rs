//! Inline suppressions: `tollgate:ignore` comments in the scanned files.
//!
//! ```text
//! # tollgate:ignore TG-K8S-001,TG-K8S-004 reason="batch job needs host PID" until=2027-03-31
//! ```
//!
//! A suppression names one or more rule ids, must give a `reason`, and may
//! give an `until` date after which it stops suppressing. It is only honoured
//! inside a comment of a format that has comments (HCL, YAML, TOML, INI,
//! Dockerfile, host configs), never inside JSON, where the text would be data.
//!
//! This module only finds and checks the comments; which findings a
//! suppression covers is decided by the engine (see `docs/suppressions.md`).
//! A malformed suppression is an input error at its line: it suppresses
//! nothing, and the gate fails, so a typo can never hide a finding silently.

use crate::error::{InputError, SuppressionError};
use crate::formats::Format;
use miette::NamedSource;
use std::sync::Arc;

/// The marker that starts a suppression inside a comment.
pub const MARKER: &str = "tollgate:ignore";

/// One well-formed `tollgate:ignore` comment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suppression {
    /// Rule ids it names.
    pub rules: Vec<String>,
    /// Why the finding is accepted; required.
    pub reason: String,
    /// Last day it applies (`YYYY-MM-DD`, inclusive), if it expires.
    pub until: Option<String>,
    /// File it is written in (relative to the scan root, `/`-separated).
    pub path: String,
    /// 1-based line of the comment.
    pub line: u32,
    /// The first line after the comment that is neither blank nor a comment:
    /// a comment on its own line covers what follows it.
    pub target_line: u32,
}

/// Finds every `tollgate:ignore` comment in `text`. Malformed ones come back
/// as errors with the span of the comment.
pub fn scan(format: Format, path: &str, text: &Arc<str>) -> (Vec<Suppression>, Vec<InputError>) {
    let prefixes = format.0.comment_prefixes();
    if prefixes.is_empty() || !text.contains(MARKER) {
        return (Vec::new(), Vec::new());
    }
    let mut found = Vec::new();
    let mut errors = Vec::new();
    let mut offset = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (index, raw) in lines.iter().enumerate() {
        let start = offset;
        offset += raw.len();
        let Some(at) = raw.find(MARKER) else { continue };
        // Only inside a comment: some comment prefix must start before the marker.
        if !prefixes.iter().any(|p| raw[..at].contains(p)) {
            continue;
        }
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let body = raw[at + MARKER.len()..].trim_end_matches(['\n', '\r']);
        let body = body.trim_end().trim_end_matches("*/").trim_end_matches("-->");
        match parse_body(body) {
            Ok((rules, reason, until)) => {
                let target_line = next_code_line(&lines, index + 1, prefixes).unwrap_or(line);
                found.push(Suppression { rules, reason, until, path: path.to_string(), line, target_line });
            }
            Err((message, help)) => {
                let len = raw.trim_end().len() - at;
                errors.push(InputError::Suppression(Box::new(SuppressionError {
                    path: path.to_string(),
                    line,
                    message,
                    help,
                    src: NamedSource::new(path, Arc::clone(text)),
                    span: (start + at, len).into(),
                })));
            }
        }
    }
    (found, errors)
}

/// 1-based number of the first line at or after `from` (0-based) that holds
/// something other than blanks and comments.
fn next_code_line(lines: &[&str], from: usize, prefixes: &[&str]) -> Option<u32> {
    lines.iter().enumerate().skip(from).find_map(|(i, l)| {
        let t = l.trim();
        let code = !t.is_empty() && !prefixes.iter().any(|p| t.starts_with(p));
        code.then(|| u32::try_from(i + 1).unwrap_or(u32::MAX))
    })
}

type Parsed = (Vec<String>, String, Option<String>);
type Problem = (String, String);

const SYNTAX: &str = "write `tollgate:ignore RULE-ID[,RULE-ID] reason=\"why\" [until=YYYY-MM-DD]`";

/// Parses what follows the marker: rule ids, then `key=value` pairs.
fn parse_body(body: &str) -> Result<Parsed, Problem> {
    let body = body.trim_start();
    let (ids, mut rest) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
    let rules: Vec<String> = ids.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
    if rules.is_empty() || rules.iter().any(|r| r.contains('=') || r.contains('"')) {
        return Err(("suppression names no rule id".into(), SYNTAX.into()));
    }
    let (mut reason, mut until) = (None, None);
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let Some((key, after)) = rest.split_once('=') else {
            return Err((format!("unexpected `{}` in suppression", rest.split_whitespace().next().unwrap_or(rest)), SYNTAX.into()));
        };
        let (value, next) = value_of(after).ok_or_else(|| (format!("unterminated value for `{key}`"), SYNTAX.to_string()))?;
        rest = next;
        match key.trim() {
            "reason" => reason = Some(value),
            "until" => until = Some(check_date(&value)?),
            other => return Err((format!("unknown suppression key `{other}`"), "the keys are `reason` and `until`".into())),
        }
    }
    match reason {
        Some(r) if !r.trim().is_empty() => Ok((rules, r, until)),
        _ => Err(("suppression has no reason".into(), "every suppression must say why the finding is accepted: add reason=\"...\"".into())),
    }
}

/// A `"quoted"` value (with `\"` and `\\` escapes) or a bare word, and the rest.
fn value_of(s: &str) -> Option<(String, &str)> {
    let Some(quoted) = s.strip_prefix('"') else {
        let end = s.find(char::is_whitespace).unwrap_or(s.len());
        return Some((s[..end].to_string(), &s[end..]));
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &quoted[i + 1..])),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    None
}

fn check_date(value: &str) -> Result<String, Problem> {
    match value.parse::<jiff::civil::Date>() {
        Ok(d) if value.len() == 10 => Ok(d.to_string()),
        _ => Err((format!("`until={value}` is not a date"), "write the last day it applies as YYYY-MM-DD".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(format: Format, text: &str) -> (Vec<Suppression>, Vec<InputError>) {
        scan(format, "f", &Arc::from(text))
    }

    #[test]
    fn reads_rules_reason_until_and_the_line_it_covers() {
        let text = "a: 1\n# tollgate:ignore TG-A-001,TG-B-002 reason=\"legacy \\\"x\\\"\" until=2027-01-31\n\n# more\nb: 2\n";
        let (found, errors) = run(Format::YAML, text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(found.len(), 1);
        let s = &found[0];
        assert_eq!(s.rules, ["TG-A-001", "TG-B-002"]);
        assert_eq!(s.reason, "legacy \"x\"");
        assert_eq!(s.until.as_deref(), Some("2027-01-31"));
        assert_eq!((s.line, s.target_line), (2, 5));
    }

    #[test]
    fn trailing_comments_and_hcl_comment_styles() {
        let text = "resource \"x\" \"y\" {\n  acl = \"public\" // tollgate:ignore TG-TF-1 reason=\"demo\"\n  /* tollgate:ignore TG-TF-2 reason=ok */\n}\n";
        let (found, errors) = run(Format::TERRAFORM, text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(found.iter().map(|s| (s.rules[0].as_str(), s.line)).collect::<Vec<_>>(), [("TG-TF-1", 2), ("TG-TF-2", 3)]);
        assert_eq!(found[1].reason, "ok");
    }

    #[test]
    fn malformed_suppressions_are_errors_at_their_line() {
        let cases = [
            ("# tollgate:ignore TG-A-001\n", "no reason"),
            ("# tollgate:ignore TG-A-001 reason=\"\"\n", "no reason"),
            ("# tollgate:ignore reason=\"x\"\n", "names no rule id"),
            ("# tollgate:ignore TG-A-001 reason=\"x\" until=2027-13-01\n", "is not a date"),
            ("# tollgate:ignore TG-A-001 reason=\"x\" until=tomorrow\n", "is not a date"),
            ("# tollgate:ignore TG-A-001 reason=\"x\" owner=me\n", "unknown suppression key `owner`"),
            ("# tollgate:ignore TG-A-001 reason=\"open\n", "unterminated"),
        ];
        for (text, expected) in cases {
            let (found, errors) = run(Format::YAML, &format!("a: 1\n{text}"));
            assert!(found.is_empty(), "{text}");
            assert_eq!(errors.len(), 1, "{text}");
            assert_eq!(errors[0].line(), Some(2));
            assert!(errors[0].message().contains(expected), "{text}: {}", errors[0].message());
            assert_eq!(errors[0].code_str(), "tollgate::input::suppression");
        }
    }

    #[test]
    fn ignored_outside_comments_and_in_formats_without_comments() {
        assert!(run(Format::YAML, "note: tollgate:ignore TG-A-001\n").0.is_empty());
        let json = "{\"a\": \"# tollgate:ignore TG-A-001 reason=\\\"x\\\"\"}";
        let (found, errors) = run(Format::JSON, json);
        assert!(found.is_empty() && errors.is_empty());
    }
}
