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
//!
//! Layout: `lex.rs` reads the text of one line (words, flags, heredoc
//! markers), `reader.rs` turns lines into instructions, and this module
//! groups the instructions into stages and builds the resource.

mod lex;
mod reader;
#[cfg(test)]
mod tests;

pub use lex::split_words;

use crate::error::InputError;
use crate::formats::nodes::{self, boolean, int, object, object_at, string};
use crate::node::{LineSpan, Node, NodeValue};
use lex::take_flags;
use reader::Reader;
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

/// One build stage, from its `FROM` to the next.
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
    let mut reader = Reader::new(path, text);
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
