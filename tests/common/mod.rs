//! Helpers for running the `tollgate` binary in end-to-end tests.
#![allow(dead_code)]

pub mod browser;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn tollgate() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tollgate"));
    cmd.env("NO_COLOR", "1").env_remove("CI");
    cmd
}

/// Runs tollgate with `args` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    tollgate().current_dir(dir).args(args).output().expect("tollgate runs")
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A temporary directory populated with `files` (relative path, contents).
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }
    dir
}

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", stdout(out), stderr(out)))
}

/// The JSON report with the run-dependent duration blanked.
pub fn normalized(mut v: serde_json::Value) -> serde_json::Value {
    v["summary"]["duration_ms"] = serde_json::Value::from(0);
    v
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A rule pack rule with valid metadata around `check_body`.
pub fn pack_rule(id: &str, kinds: &str, check_body: &str) -> String {
    format!(
        "const RULE = #{{ id: \"{id}\", title: \"{id} title\", severity: \"high\", applies_to: [{kinds}], controls: [\"CM-6\"], rationale: \"r\", remediation: \"fix it\" }};\n{check_body}\n"
    )
}

pub const PRIVILEGED_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n";

/// The reference data folder (`TOLLGATE_REFERENCE`), or `None` after
/// printing `skipped: TOLLGATE_REFERENCE unset`.
pub fn reference_dir() -> Option<PathBuf> {
    match std::env::var_os("TOLLGATE_REFERENCE").filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            println!("skipped: TOLLGATE_REFERENCE unset");
            None
        }
    }
}

/// The table report with what legitimately changes between runs and
/// releases (version, duration) blanked.
pub fn normalize_table(text: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    text.lines()
        .map(|line| {
            let line = line.replace(&format!("Tollgate {version}"), "Tollgate [version]");
            match line.rfind(" · ") {
                Some(i) if line.ends_with('s') && line.starts_with(['P', 'F']) => format!("{} · [duration]", &line[..i]),
                _ => line,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A scan with every awkward outcome: a rule error (sandbox limit), an input
/// error, a rule with nothing to judge, and a failure whose message carries
/// `name` (so formats must escape it).
pub fn error_tree(name: &str) -> tempfile::TempDir {
    let app = format!("{{\"tls\": false, \"name\": {}}}", serde_json::Value::from(name));
    tree(&[
        ("app.json", &app),
        ("ok.json", "{\"tls\": true}"),
        ("broken.json", "{\"tls\": "),
        (
            "rules/tls.rhai",
            &pack_rule(
                "X-CFG-001",
                "\"json:document\"",
                "fn check(r) { if r.data.tls == true { pass() } else { fail(`${r.data.name} | TLS is <off>`, \"tls\") } }",
            ),
        ),
        ("rules/loop.rhai", &pack_rule("X-CFG-002", "\"json:document\"", "fn check(r) { let n = 0; loop { n += 1; } }")),
        ("rules/none.rhai", &pack_rule("X-CFG-003", "\"k8s:Pod\"", "fn check(r) { pass() }")),
    ])
}
