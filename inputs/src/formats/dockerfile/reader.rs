//! Lines to instructions, the way BuildKit reads them: parser directives at
//! the top, continuation lines (skipping comments and blank lines between
//! them), heredoc bodies after their instruction, and each instruction as a
//! node with its flags, form and arguments.

use super::lex::{directive, exec_form, heredocs_in, split_words, take_flags, HeredocSpec};
use crate::error::InputError;
use crate::formats::nodes::{self, boolean, int, object, object_at, string};
use crate::node::{LineSpan, Node, NodeValue};
use std::sync::Arc;

const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];
const EXEC_FORM: &[&str] = &["RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"];
const FLAGGED: &[&str] = &["FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"];
const DIRECTIVES: &[&str] = &["syntax", "escape", "check"];

/// An instruction as read, before it is placed in a stage.
pub(super) struct Instruction {
    /// Upper-cased: `FROM`, `RUN`, …
    pub(super) keyword: String,
    /// The arguments as words (exec or shell form).
    pub(super) args: Vec<String>,
    /// The arguments as written, flags included.
    pub(super) arguments: String,
    pub(super) node: Node,
}

/// Reads a Dockerfile's lines in order; `pos` is the next line to read.
pub(super) struct Reader<'a> {
    path: &'a str,
    text: &'a Arc<str>,
    /// Line number, byte offset and text of every line.
    pub(super) lines: Vec<(u32, usize, &'a str)>,
    pos: usize,
    /// `\`, or `` ` `` after `# escape=` `` ` ``.
    pub(super) escape: char,
}

impl<'a> Reader<'a> {
    pub(super) fn new(path: &'a str, text: &'a Arc<str>) -> Reader<'a> {
        Reader { path, text, lines: nodes::numbered_lines(text).collect(), pos: 0, escape: '\\' }
    }

    /// A parse error from byte `offset` to the end of its line.
    pub(super) fn error(&self, offset: usize, message: String) -> InputError {
        let end = self.text[offset..].find('\n').map_or(self.text.len(), |i| offset + i);
        InputError::parse(self.path, self.text, offset..end.max(offset + 1), message)
    }

    /// Reads the parser directives at the top of the file.
    pub(super) fn directives(&mut self) -> Result<Vec<(String, Node)>, InputError> {
        let mut out: Vec<(String, Node)> = Vec::new();
        while let Some(&(n, offset, line)) = self.lines.get(self.pos) {
            let Some((key, value)) = directive(line).filter(|(k, _)| DIRECTIVES.contains(&k.as_str())) else { break };
            if out.iter().any(|(k, _)| *k == key) {
                return Err(self.error(offset, format!("only one `{key}` parser directive can be used")));
            }
            if key == "escape" {
                self.escape = match value {
                    "\\" => '\\',
                    "`" => '`',
                    _ => return Err(self.error(offset, format!("invalid escape token `{value}`: only \\ and ` are allowed"))),
                };
            }
            out.push((key, string(value, n)));
            self.pos += 1;
        }
        Ok(out)
    }

    /// The next instruction, or `None` at the end of the file.
    pub(super) fn instruction(&mut self) -> Result<Option<Instruction>, InputError> {
        let is_blank = |l: &str| l.trim().is_empty() || l.trim_start().starts_with('#');
        while self.lines.get(self.pos).is_some_and(|l| is_blank(l.2)) {
            self.pos += 1;
        }
        let Some(&(start, offset, _)) = self.lines.get(self.pos) else { return Ok(None) };
        let mut logical = String::new();
        let mut end = start;
        while let Some(&(n, _, line)) = self.lines.get(self.pos) {
            self.pos += 1;
            end = n;
            let trimmed = line.trim_end();
            match trimmed.strip_suffix(self.escape) {
                Some(head) => logical.push_str(head),
                None => {
                    logical.push_str(line);
                    break;
                }
            }
            while self.lines.get(self.pos).is_some_and(|l| is_blank(l.2)) {
                self.pos += 1;
            }
        }
        let logical = logical.trim();
        let (word, rest) = logical.split_once(char::is_whitespace).unwrap_or((logical, ""));
        let keyword = word.to_ascii_uppercase();
        if !INSTRUCTIONS.contains(&keyword.as_str()) {
            return Err(self.error(offset, format!("unknown instruction: {word}")));
        }
        let rest = rest.trim();
        let (flags, body) = if FLAGGED.contains(&keyword.as_str()) { take_flags(rest) } else { (Vec::new(), rest) };
        let mut heredocs = Vec::new();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for spec in heredocs_in(body) {
                let (first, content, last) = self.heredoc(&spec, offset)?;
                end = last;
                let m = nodes::members([
                    ("name", string(spec.name.as_str(), first)),
                    ("content", Node::new(NodeValue::String(content), LineSpan::new(first, last.saturating_sub(1).max(first)))),
                    ("expand", boolean(spec.expand, first)),
                    ("line", int(i64::from(first), first)),
                ]);
                heredocs.push(object_at(m, LineSpan::new(first, last)));
            }
        }
        let (form, args) = match keyword.as_str() {
            k if EXEC_FORM.contains(&k) => exec_form(body).map_or_else(|| ("shell", split_words(body, self.escape)), |a| ("exec", a)),
            "HEALTHCHECK" => match body.split_once(char::is_whitespace) {
                Some((cmd, tail)) if cmd.eq_ignore_ascii_case("CMD") => match exec_form(tail.trim()) {
                    Some(a) => ("exec", std::iter::once("CMD".to_string()).chain(a).collect()),
                    None => ("shell", split_words(body, self.escape)),
                },
                _ => ("shell", split_words(body, self.escape)),
            },
            _ => ("shell", split_words(body, self.escape)),
        };
        let flags = flags.into_iter().map(|(k, v)| (k.to_string(), v.map_or_else(|| boolean(true, start), |v| string(v, start))));
        let mut m = nodes::members([
            ("instruction", string(keyword.as_str(), start)),
            ("arguments", string(rest, start)),
            ("args", nodes::strings(&args, start)),
            ("form", string(form, start)),
            ("flags", object(flags.collect(), LineSpan::single(start))),
            ("line", int(i64::from(start), start)),
        ]);
        if !heredocs.is_empty() {
            m.push(("heredocs".into(), nodes::array(heredocs, LineSpan::single(start))));
        }
        let node = object_at(m, LineSpan::new(start, end));
        Ok(Some(Instruction { keyword, args, arguments: rest.to_string(), node }))
    }

    /// Reads a heredoc body: (first line, content, terminator line).
    fn heredoc(&mut self, spec: &HeredocSpec, offset: usize) -> Result<(u32, String, u32), InputError> {
        let first = self.lines.get(self.pos).map_or(0, |l| l.0);
        let mut content = String::new();
        while let Some(&(n, _, line)) = self.lines.get(self.pos) {
            self.pos += 1;
            let line = if spec.strip_tabs { line.trim_start_matches('\t') } else { line };
            if line.trim_end() == spec.name {
                return Ok((first.min(n), content, n));
            }
            content.push_str(line);
            content.push('\n');
        }
        Err(self.error(offset, format!("unterminated heredoc <<{0}: no line `{0}` before the end of the file", spec.name)))
    }
}
