//! `docker:dockerfile`: a multi-stage build with a heredoc, flags, a line
//! continuation over a comment and exec-form CMD; a Windows Dockerfile with
//! the backtick escape; an unterminated heredoc.

mod golden;

use serde_json::json;

#[test]
fn multi_stage_dockerfile() {
    let r = golden::load("dockerfile", "Dockerfile").unwrap();
    assert_eq!(r.len(), 1);
    let df = &r[0];
    assert_eq!((df.kind.as_str(), df.id.as_str(), df.path.as_str()), ("docker:dockerfile", "Dockerfile", "Dockerfile"));
    assert_eq!(df.attributes["base_image"], "runtime-base");
    let d = df.data.to_json();
    assert_eq!(d["directives"], json!({"syntax": "docker/dockerfile:1.7", "check": "error=true"}));
    let stages = d["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 3);
    assert_eq!((stages[0]["name"].as_str(), stages[0]["base_image"].as_str()), (Some("build"), Some("golang:${GO_VERSION}-alpine")));
    assert_eq!(stages[0]["platform"], "$BUILDPLATFORM");
    assert_eq!(stages[2]["name"], json!(null));
    assert_eq!(stages[2]["base_stage"], 1);
    // The continuation skips the comment line inside it.
    let build = &stages[0]["instructions"][5];
    assert_eq!(build["instruction"], "RUN");
    assert_eq!(build["flags"]["mount"], "type=cache,target=/root/.cache/go-build");
    assert_eq!(build["args"], json!(["go", "build", "-ldflags=-s -w", "-o", "/out/server", "./cmd/server"]));
    assert_eq!(df.lines_of("stages[0].instructions[5]"), tollgate_inputs::LineSpan::new(16, 18));
    assert_eq!(stages[0]["instructions"][1]["args"], json!(["CGO_ENABLED=0", "GOFLAGS=-trimpath -mod=readonly"]));
    // Heredocs: the body follows the instruction, which spans to the terminator.
    let heredoc = &stages[1]["instructions"][0];
    assert_eq!(
        heredoc["heredocs"][0]["content"],
        "set -eux\napk add --no-cache ca-certificates tzdata\naddgroup -S app && adduser -S -G app -u 10001 app\n"
    );
    assert_eq!(df.lines_of("stages[1].instructions[0]"), tollgate_inputs::LineSpan::new(21, 25));
    let conf = &stages[1]["instructions"][1]["heredocs"][0];
    assert_eq!((conf["name"].as_str(), conf["expand"].as_bool()), (Some("CONF"), Some(false)));
    assert_eq!(conf["content"], "listen: \":8080\"\nlog_level: ${LOG_LEVEL}\n");
    // Exec form and flags.
    let last = stages[2]["instructions"].as_array().unwrap();
    assert_eq!(last[1]["flags"], json!({"from": "build", "chown": "10001:10001"}));
    assert_eq!(last[4]["args"], json!(["CMD", "/usr/local/bin/server", "healthcheck"]));
    assert_eq!((last[6]["form"].as_str(), last[6]["args"].clone()), (Some("exec"), json!(["--config", "/etc/server/config.yaml"])));
    assert_eq!(df.lines_of("stages[2].instructions[6]").start, 39);
    assert_eq!(d["final_user"], "app:app");
    assert_eq!(df.lines_of("final_user").start, 35);
    assert_eq!(d["exposed_ports"], json!(["8080/tcp", "9090"]));
    assert_eq!(d["healthcheck"], true);
    assert_eq!(d["instructions"].as_array().unwrap().len(), 20);
    assert_eq!(
        d["instructions"][0],
        json!({"instruction": "ARG", "arguments": "GO_VERSION=1.22", "args": ["GO_VERSION=1.22"], "form": "shell", "flags": {}, "line": 4})
    );
    insta::assert_snapshot!("dockerfile", golden::render(&r));
}

#[test]
fn windows_escape_directive() {
    let r = golden::load("dockerfile", "windows.Dockerfile").unwrap();
    let d = r[0].data.to_json();
    assert_eq!(d["directives"]["escape"], "`");
    let run = &d["stages"][0]["instructions"][1];
    assert_eq!(run["arguments"], "New-Item -ItemType Directory C:\\app ;     Set-Location C:\\app");
    assert_eq!(r[0].lines_of("stages[0].instructions[1]"), tollgate_inputs::LineSpan::new(5, 6));
    assert_eq!(d["stages"][0]["instructions"][3]["args"], json!(["powershell", "-File", "C:\\app\\start.ps1"]));
    assert_eq!(d["final_user"], json!(null));
    assert_eq!(r[0].lines_of("final_user").start, 3);
    assert_eq!(d["healthcheck"], false);
}

#[test]
fn unterminated_heredoc_is_a_parse_error_at_its_instruction() {
    let err = golden::load("dockerfile", "unterminated.Dockerfile").unwrap_err();
    assert_eq!(err.line(), Some(2));
    assert!(err.message().contains("unterminated heredoc <<EOF"), "{err}");
    assert_eq!(err.code_str(), "tollgate::input::parse");
}
