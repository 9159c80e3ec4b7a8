//! Small builders for the hand-written, line-oriented parsers (Dockerfile,
//! host configuration, INI, .env, CSV): every node they make carries the
//! lines it came from, and containers span their children.

use crate::node::{LineSpan, Node, NodeValue};
use crate::resource::Resource;
use std::collections::BTreeMap;

/// A string leaf on one line.
pub(crate) fn string(s: impl Into<String>, line: u32) -> Node {
    Node::new(NodeValue::String(s.into()), LineSpan::single(line))
}

/// A boolean leaf on one line.
pub(crate) fn boolean(b: bool, line: u32) -> Node {
    Node::new(NodeValue::Bool(b), LineSpan::single(line))
}

/// An integer leaf on one line.
pub(crate) fn int(i: i64, line: u32) -> Node {
    Node::new(NodeValue::Int(i), LineSpan::single(line))
}

/// A null leaf on one line.
pub(crate) fn null(line: u32) -> Node {
    Node::new(NodeValue::Null, LineSpan::single(line))
}

/// A string leaf, or null for `None`.
pub(crate) fn opt_string(s: Option<&str>, line: u32) -> Node {
    s.map_or_else(|| null(line), |s| string(s, line))
}

/// The lines covered by `nodes`, or `fallback` when there are none.
fn cover<'a>(nodes: impl Iterator<Item = &'a Node>, fallback: LineSpan) -> LineSpan {
    let mut span: Option<LineSpan> = None;
    for n in nodes.filter(|n| n.lines.start > 0) {
        span = Some(match span {
            None => n.lines,
            Some(s) => LineSpan::new(s.start.min(n.lines.start), s.end.max(n.lines.end)),
        });
    }
    span.unwrap_or(fallback)
}

/// An object spanning its members (or `fallback` when it has none).
pub(crate) fn object(members: Vec<(String, Node)>, fallback: LineSpan) -> Node {
    let lines = cover(members.iter().map(|(_, n)| n), fallback);
    Node::new(NodeValue::Object(members), lines)
}

/// An array spanning its items (or `fallback` when it is empty).
pub(crate) fn array(items: Vec<Node>, fallback: LineSpan) -> Node {
    let lines = cover(items.iter(), fallback);
    Node::new(NodeValue::Array(items), lines)
}

/// An object node with exactly the lines given.
pub(crate) fn object_at(members: Vec<(String, Node)>, lines: LineSpan) -> Node {
    Node::new(NodeValue::Object(members), lines)
}

/// An array of strings, all on one line.
pub(crate) fn strings<S: AsRef<str>>(items: &[S], line: u32) -> Node {
    Node::new(NodeValue::Array(items.iter().map(|s| string(s.as_ref(), line)).collect()), LineSpan::single(line))
}

/// Members `(key, node)` built from `&str` keys.
pub(crate) fn members<const N: usize>(pairs: [(&str, Node); N]) -> Vec<(String, Node)> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// Puts `node` under `key`: a repeated key keeps its first value (`first_wins`)
/// or is replaced by the new one, keeping its position.
pub(crate) fn insert(members: &mut Vec<(String, Node)>, key: &str, node: Node, first_wins: bool) {
    match members.iter_mut().find(|(k, _)| k == key) {
        Some(_) if first_wins => {}
        Some(slot) => slot.1 = node,
        None => members.push((key.to_string(), node)),
    }
}

/// The lines of a whole file: 1 to its last line.
pub(crate) fn file_span(text: &str) -> LineSpan {
    let n = text.lines().count().max(1);
    LineSpan::new(1, u32::try_from(n).unwrap_or(u32::MAX))
}

/// Physical lines of `text` with their 1-based numbers and byte offsets, `\r` dropped.
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (u32, usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').enumerate().map(move |(i, raw)| {
        let start = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        (u32::try_from(i + 1).unwrap_or(u32::MAX), start, line.strip_suffix('\r').unwrap_or(line))
    })
}

/// A resource whose lines are those of its data.
pub(crate) fn resource(kind: &str, id: impl Into<String>, path: &str, data: Node, attributes: BTreeMap<String, String>) -> Resource {
    Resource { kind: kind.to_string(), id: id.into(), path: path.to_string(), lines: data.lines, data, attributes }
}

/// One record of a line a parser could not read: `{line, text, reason}`.
pub(crate) fn unparsed(line: u32, text: &str, reason: &str) -> Node {
    object(
        members([("line", int(i64::from(line), line)), ("text", string(text, line)), ("reason", string(reason, line))]),
        LineSpan::single(line),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_span_children_and_lines_are_numbered() {
        let o =
            object(members([("a", string("x", 3)), ("b", array(vec![int(1, 5), int(2, 7)], LineSpan::single(4)))]), LineSpan::single(1));
        assert_eq!(o.lines, LineSpan::new(3, 7));
        assert_eq!(array(vec![], LineSpan::single(9)).lines, LineSpan::single(9));
        let lines: Vec<_> = numbered_lines("a\r\nbb\n\nc").collect();
        assert_eq!(lines, vec![(1, 0, "a"), (2, 3, "bb"), (3, 6, ""), (4, 7, "c")]);
        assert_eq!(file_span("a\nb\n"), LineSpan::new(1, 2));
        let mut m = members([("k", int(1, 1))]);
        insert(&mut m, "k", int(2, 2), true);
        assert_eq!(m[0].1.value, NodeValue::Int(1));
        insert(&mut m, "k", int(3, 3), false);
        assert_eq!(m[0].1.value, NodeValue::Int(3));
    }
}
