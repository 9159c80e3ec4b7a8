//! Dockerfiles (and Containerfiles), read the way BuildKit's parser reads them.
//!
//! Parser directives (`# syntax=…`, `# escape=` `` ` ``) are honoured at the
//! top of the file; a line ending in the escape character continues on the
//! next one, skipping comment and blank lines in between; `RUN`, `COPY` and
//! `ADD` may carry heredocs (`<<EOF`, `<<-EOF`, `<<"EOF"`), whose bodies
//! follow the instruction. JSON arrays are exec form, anything else shell
//! form. `ARG` and `ENV` references (`${VERSION}`) are kept verbatim: the
//! file is judged as written, not as built.
//!
//! A Dockerfile that `docker build` would refuse (an unknown instruction, an
//! unterminated heredoc, no `FROM`) is a parse error at its line.

use crate::error::InputError;
use crate::formats::nodes::{self, boolean, int, object, object_at, string};
use crate::node::{LineSpan, Node, NodeValue};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// `Dockerfile`, `Containerfile`, `*.Dockerfile`, `Dockerfile.*` (any case).
pub struct Dockerfile;

impl super::Parser for Dockerfile {
    fn name(&self) -> &'static str {
        "dockerfile"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["docker:dockerfile"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
        let lower = name.to_ascii_lowercase();
        let not_dockerfile = ["md", "json", "yaml", "yml", "toml", "txt", "dockerignore"];
        if lower.rsplit_once('.').is_some_and(|(_, ext)| not_dockerfile.contains(&ext)) {
            return false;
        }
        matches!(lower.as_str(), "dockerfile" | "containerfile")
            || lower.ends_with(".dockerfile")
            || lower.ends_with(".containerfile")
            || lower.starts_with("dockerfile.")
            || lower.starts_with("containerfile.")
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        let data = parse(path, text)?;
        let mut attributes = BTreeMap::new();
        if let Some(stage) = data.get("stages").and_then(|s| match &s.value {
            NodeValue::Array(items) => items.last(),
            _ => None,
        }) {
            attributes.insert("base_image".to_string(), stage.get_str("base_image").unwrap_or_default().to_string());
        }
        Ok(vec![nodes::resource("docker:dockerfile", path, path, data, attributes)])
    }
}

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

/// One heredoc opened on an instruction line.
struct HeredocSpec {
    name: String,
    strip_tabs: bool,
    expand: bool,
}

/// An instruction as read, before it is placed in a stage.
struct Instruction {
    keyword: String,
    args: Vec<String>,
    arguments: String,
    node: Node,
}

/// A `# key=value` parser directive line.
fn directive(line: &str) -> Option<(String, &str)> {
    let body = line.strip_prefix('#')?.trim_start_matches([' ', '\t']);
    let (key, value) = body.split_once('=')?;
    let key = key.trim_end_matches([' ', '\t']);
    let valid = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && key.chars().all(|c| c.is_ascii_alphanumeric());
    let value = value.trim_matches([' ', '\t']);
    (valid && !value.is_empty()).then(|| (key.to_ascii_lowercase(), value))
}

/// Shell-like words: quotes removed, the escape character escapes the next
/// character (outside single quotes). Used for shell-form arguments.
pub fn split_words(s: &str, escape: char) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return words;
        }
        let mut word = String::new();
        let mut quote: Option<char> = None;
        while let Some(c) = chars.next() {
            match quote {
                None if c.is_whitespace() => break,
                None if c == '\'' || c == '"' => quote = Some(c),
                Some(q) if c == q => quote = None,
                Some('\'') => word.push(c),
                _ if c == escape => match chars.next() {
                    Some(next) if quote.is_none() || matches!(next, '"' | '$') || next == escape => word.push(next),
                    Some(next) => {
                        word.push(c);
                        word.push(next);
                    }
                    None => word.push(c),
                },
                _ => word.push(c),
            }
        }
        words.push(word);
    }
}

/// Heredocs opened in `rest`: words like `<<EOF`, `<<-EOF`, `2<<'EOF'` outside quotes.
fn heredocs_in(rest: &str) -> Vec<HeredocSpec> {
    let mut specs = Vec::new();
    let mut quote: Option<char> = None;
    let mut word_start = true;
    for (i, c) in rest.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if word_start => {
                let digits = rest[i..].bytes().take_while(u8::is_ascii_digit).count();
                let after = &rest[i + digits..];
                if let Some(spec) = after.strip_prefix("<<").filter(|s| !s.starts_with('<')) {
                    let word = spec.split(char::is_whitespace).next().unwrap_or_default();
                    let (strip_tabs, word) = match word.strip_prefix('-') {
                        Some(w) => (true, w),
                        None => (false, word),
                    };
                    let unquoted = ['"', '\''].iter().find_map(|q| word.strip_prefix(*q).and_then(|w| w.strip_suffix(*q)));
                    let name = unquoted.unwrap_or(word);
                    if !name.is_empty() && !name.contains(['<', '>', '"', '\'']) {
                        specs.push(HeredocSpec { name: name.to_string(), strip_tabs, expand: unquoted.is_none() });
                    }
                }
            }
            None => {}
        }
        word_start = quote.is_none() && c.is_whitespace();
    }
    specs
}

/// Leading `--name=value` / `--name` flags (value `None`), and what follows them.
fn take_flags(mut rest: &str) -> (Vec<(&str, Option<&str>)>, &str) {
    let mut flags = Vec::new();
    while let Some(flag) = rest.strip_prefix("--") {
        let end = flag.find(char::is_whitespace).unwrap_or(flag.len());
        flags.push(flag[..end].split_once('=').map_or((&flag[..end], None), |(n, v)| (n, Some(v))));
        rest = flag[end..].trim_start();
    }
    (flags, rest)
}

/// Exec-form arguments: a JSON array of strings.
fn exec_form(body: &str) -> Option<Vec<String>> {
    body.starts_with('[').then(|| serde_json::from_str::<Vec<String>>(body).ok()).flatten()
}

struct Reader<'a> {
    path: &'a str,
    text: &'a Arc<str>,
    lines: Vec<(u32, usize, &'a str)>,
    pos: usize,
    escape: char,
}

impl Reader<'_> {
    fn error(&self, offset: usize, message: String) -> InputError {
        let end = self.text[offset..].find('\n').map_or(self.text.len(), |i| offset + i);
        InputError::parse(self.path, self.text, offset..end.max(offset + 1), message)
    }

    /// Reads the parser directives at the top of the file.
    fn directives(&mut self) -> Result<Vec<(String, Node)>, InputError> {
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
    fn instruction(&mut self) -> Result<Option<Instruction>, InputError> {
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

#[derive(Default)]
struct Stage {
    name: Option<String>,
    base_image: String,
    base_stage: Option<usize>,
    platform: Option<String>,
    line: u32,
    instructions: Vec<Node>,
    user: Option<Node>,
    exposed: Vec<Node>,
    healthcheck: Option<Node>,
}

/// Parses a Dockerfile into `{directives, instructions, stages, final_user, exposed_ports, healthcheck}`.
pub fn parse(path: &str, text: &Arc<str>) -> Result<Node, InputError> {
    let mut reader = Reader { path, text, lines: nodes::numbered_lines(text).collect(), pos: 0, escape: '\\' };
    let directives = reader.directives()?;
    let span = nodes::file_span(text);
    let mut all = Vec::new();
    let mut stages: Vec<Stage> = Vec::new();
    // Stage names (lower-cased, as BuildKit compares them) to their index.
    let mut stage_index: HashMap<String, usize> = HashMap::new();
    let mut last_offset = 0;
    while let Some(ins) = reader.instruction()? {
        let line = ins.node.lines.start;
        last_offset = reader.lines.get(line as usize - 1).map_or(0, |l| l.1);
        match ins.keyword.as_str() {
            "FROM" => {
                let (flags, body) = take_flags(&ins.arguments);
                let words = split_words(body, reader.escape);
                let name = match words.as_slice() {
                    [_] => None,
                    [_, as_, name] if as_.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
                    _ => {
                        return Err(reader.error(last_offset, "FROM requires either one or three arguments (`FROM image [AS name]`)".into()))
                    }
                };
                let base_image = words[0].clone();
                let base_stage = stage_index.get(&base_image.to_ascii_lowercase()).copied();
                if let Some(name) = &name {
                    stage_index.entry(name.clone()).or_insert(stages.len());
                }
                let platform = flags.iter().find(|(k, _)| *k == "platform").and_then(|(_, v)| v.map(str::to_string));
                stages.push(Stage { name, base_image, base_stage, platform, line, ..Stage::default() });
            }
            "ARG" if stages.is_empty() => {}
            _ if stages.is_empty() => {
                return Err(reader.error(last_offset, format!("{} before the first FROM: no build stage in current context", ins.keyword)));
            }
            _ => {}
        }
        if let Some(stage) = stages.last_mut().filter(|_| ins.keyword != "FROM") {
            match ins.keyword.as_str() {
                "USER" => stage.user = Some(string(ins.arguments.as_str(), line)),
                "EXPOSE" => stage.exposed.extend(ins.args.iter().map(|p| string(p.as_str(), line))),
                "HEALTHCHECK" => stage.healthcheck = Some(boolean(!ins.args.first().is_some_and(|a| a.eq_ignore_ascii_case("NONE")), line)),
                _ => {}
            }
            stage.instructions.push(ins.node.clone());
        }
        all.push(ins.node);
    }
    let Some(last) = stages.len().checked_sub(1) else {
        return Err(reader.error(last_offset, "no FROM instruction: a Dockerfile needs at least one build stage".into()));
    };
    let (final_user, exposed_ports, healthcheck) = effective(&stages, last);
    let final_line = stages[last].line;
    let stage_nodes = stages.into_iter().enumerate().map(|(i, s)| stage_node(i, s)).collect();
    let members = nodes::members([
        ("directives", object(directives, LineSpan::single(1))),
        ("instructions", nodes::array(all, span)),
        ("stages", nodes::array(stage_nodes, span)),
        ("final_user", final_user.unwrap_or_else(|| nodes::null(final_line))),
        ("exposed_ports", nodes::array(exposed_ports, LineSpan::single(final_line))),
        ("healthcheck", healthcheck.unwrap_or_else(|| boolean(false, final_line))),
    ]);
    Ok(object_at(members, span))
}

/// The final stage's user, exposed ports and healthcheck, inherited through
/// `FROM <earlier stage>` where the stage does not set them itself.
fn effective(stages: &[Stage], last: usize) -> (Option<Node>, Vec<Node>, Option<Node>) {
    let mut chain = vec![last];
    while let Some(base) = stages[*chain.last().unwrap_or(&last)].base_stage.filter(|b| !chain.contains(b)) {
        chain.push(base);
    }
    let user = chain.iter().find_map(|&i| stages[i].user.clone());
    let healthcheck = chain.iter().find_map(|&i| stages[i].healthcheck.clone());
    let exposed = chain.iter().rev().flat_map(|&i| stages[i].exposed.iter().cloned()).collect();
    (user, exposed, healthcheck)
}

fn stage_node(index: usize, s: Stage) -> Node {
    let l = s.line;
    let m = nodes::members([
        ("index", int(index as i64, l)),
        ("name", nodes::opt_string(s.name.as_deref(), l)),
        ("base_image", string(s.base_image, l)),
        ("base_stage", s.base_stage.map_or_else(|| nodes::null(l), |b| int(b as i64, l))),
        ("platform", nodes::opt_string(s.platform.as_deref(), l)),
        ("line", int(i64::from(l), l)),
        ("instructions", nodes::array(s.instructions, LineSpan::single(l))),
        ("user", s.user.unwrap_or_else(|| nodes::null(l))),
    ]);
    object(m, LineSpan::single(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Node, InputError> {
        parse("Dockerfile", &Arc::from(text))
    }

    #[test]
    fn words_and_heredoc_markers() {
        assert_eq!(split_words(r#"a "b c" 'd $e' f\ g"#, '\\'), vec!["a", "b c", "d $e", "f g"]);
        assert_eq!(split_words(r"C:\app `", '`'), vec![r"C:\app", "`"]);
        let specs = heredocs_in(r#"cat <<-"EOT" > /x && echo "<<NOT" 2<<ERR"#);
        let names: Vec<_> = specs.iter().map(|s| (s.name.as_str(), s.strip_tabs, s.expand)).collect();
        assert_eq!(names, vec![("EOT", true, false), ("ERR", false, true)]);
        assert!(heredocs_in("cat <<<word").is_empty());
    }

    #[test]
    fn stages_users_and_lines() {
        let text = "# syntax=docker/dockerfile:1\nARG BASE=alpine\nFROM ${BASE} AS build\nUSER builder\n\nFROM scratch\nCOPY --from=build \\\n  # note\n  /out /app\nUSER 1000\nCMD [\"/app\"]\n";
        let doc = p(text).unwrap();
        let j = doc.to_json();
        assert_eq!(j["directives"]["syntax"], "docker/dockerfile:1");
        assert_eq!(j["stages"][0]["name"], "build");
        assert_eq!(j["stages"][1]["instructions"][0]["flags"]["from"], "build");
        assert_eq!(j["stages"][1]["instructions"][0]["args"], serde_json::json!(["/out", "/app"]));
        assert_eq!(doc.at_path("stages[1].instructions[0]").unwrap().lines, LineSpan::new(7, 9));
        assert_eq!(j["final_user"], "1000");
        assert_eq!(doc.at_path("final_user").unwrap().lines.start, 10);
        assert_eq!(j["stages"][1]["instructions"][2]["form"], "exec");
    }

    #[test]
    fn errors_point_at_lines() {
        assert_eq!(p("FROM a\nRUN <<EOF\necho\n").unwrap_err().line(), Some(2));
        assert_eq!(p("FROM a\nRUNN x\n").unwrap_err().line(), Some(2));
        assert_eq!(p("RUN x\nFROM a\n").unwrap_err().line(), Some(1));
        assert!(p("# only a comment\n").unwrap_err().message().contains("no FROM"));
        assert_eq!(p("# escape=x\nFROM a\n").unwrap_err().line(), Some(1));
    }
}
