//! Unit tests of the Dockerfile reader: words and heredoc markers, stages
//! and the lines they point at, and parse errors at their line.

use super::lex::heredocs_in;
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
