//! The ledger file under stress: a second writer waits or fails clearly, and
//! a corrupt or hand-broken ledger is reported at its line and never
//! overwritten.

mod common;

use common::{code, run_in, stderr, tollgate, PRIVILEGED_POD};
use std::path::Path;
use std::process::Stdio;

fn system() -> tempfile::TempDir {
    common::tree(&[
        ("sys/tollgate.toml", "[system]\nname = \"Store Test\"\nid = \"ST-01\"\n"),
        ("sys/k8s/pod.yaml", PRIVILEGED_POD),
        ("rules/privileged.rhai", &common::pack_rule("TT-K8S-001", "\"k8s:Pod\"", PRIVILEGED_CHECK)),
    ])
}

const PRIVILEGED_CHECK: &str = "fn check(r) { if r.pod.containers[0].securityContext?.privileged == true { return fail(\"privileged\", r.pod_path + \".containers[0].securityContext.privileged\"); } pass() }";

fn scan(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args =
        vec!["scan", "sys", "--no-builtin", "--rules", "rules", "--now", "2025-01-15", "--fail-on", "never", "--poam", "poam.json"];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

#[test]
fn a_second_writer_fails_clearly_when_the_lock_is_held() {
    let dir = system();
    assert_eq!(code(&scan(dir.path(), &["-q"])), 0);
    let before = std::fs::read(dir.path().join("poam.json")).unwrap();
    std::fs::write(dir.path().join("poam.json.lock"), "pid 4242\n").unwrap();
    let started = std::time::Instant::now();
    let out = scan(dir.path(), &["--poam-wait", "0.3"]);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300), "it waited");
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("tollgate::poam::locked") && err.contains("pid 4242"), "{err}");
    assert!(err.contains("poam.json.lock"), "the help names the lock to delete if stale:\n{err}");
    assert_eq!(std::fs::read(dir.path().join("poam.json")).unwrap(), before, "untouched");
    assert!(dir.path().join("poam.json.lock").exists(), "someone else's lock is left alone");
}

#[test]
fn concurrent_writers_take_turns() {
    let dir = system();
    let args =
        ["scan", "sys", "--no-builtin", "--rules", "rules", "--now", "2025-01-15", "--fail-on", "never", "--poam", "poam.json", "-q"];
    let children: Vec<_> = (0..4)
        .map(|_| tollgate().current_dir(dir.path()).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap())
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    let ledger = tollgate_engine::poam::store::read(&dir.path().join("poam.json")).unwrap();
    assert_eq!(ledger.items.len(), 1, "one weakness, one item, whoever wrote first");
    assert_eq!(ledger.items[0].log.len(), 1, "the later writers saw the same weakness again");
    assert!(!dir.path().join("poam.json.lock").exists());
}

/// Breaks the ledger with `edit`, then checks that scan and show refuse it
/// with a diagnostic at `line`, and that nothing was written.
fn refused(edit: impl Fn(&str) -> String, line: usize) -> String {
    let dir = system();
    assert_eq!(code(&scan(dir.path(), &["-q"])), 0);
    let path = dir.path().join("poam.json");
    let broken = edit(&std::fs::read_to_string(&path).unwrap());
    std::fs::write(&path, &broken).unwrap();
    let out = scan(dir.path(), &[]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("tollgate::poam::ledger"), "{err}");
    assert!(err.contains(&format!("[poam.json:{line}:")), "the diagnostic points at line {line}:\n{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken, "a broken ledger is never overwritten");
    assert!(!dir.path().join("poam.json.bak").exists(), "nothing was written");
    assert!(!dir.path().join("poam.json.lock").exists());
    let show = run_in(dir.path(), &["poam", "show", "poam.json"]);
    assert_eq!(code(&show), 2);
    assert!(stderr(&show).contains(&format!("[poam.json:{line}:")), "{}", stderr(&show));
    err
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect("needle") + 1
}

#[test]
fn a_corrupt_ledger_is_reported_at_its_line_and_kept() {
    let dir = system();
    assert_eq!(code(&scan(dir.path(), &["-q"])), 0);
    let text = std::fs::read_to_string(dir.path().join("poam.json")).unwrap();
    // JSON syntax: a missing comma after the system id.
    let line = line_of(&text, "\"id\": \"ST-01\"") + 2;
    let err = refused(|t| t.replacen("\"id\": \"ST-01\"\n    },", "\"id\": \"ST-01\"\n    }", 1), line);
    assert!(err.contains("expected `,` or `}`"), "{err}");
    // Shape: a risk without its required status.
    let line = line_of(&text, "\"risks\": [") + 1;
    let err = refused(|t| t.replacen("\"status\": \"open\"", "\"state\": \"open\"", 1), line);
    assert!(err.contains("missing field `status`"), "{err}");
    // A value: a detection date that is not a date.
    let line = line_of(&text, "\"value\": \"2025-01-15\"");
    let err = refused(|t| t.replacen("\"value\": \"2025-01-15\"", "\"value\": \"last week\"", 1), line);
    assert!(err.contains("is not a date"), "{err}");
    // A risk score that its factors do not add up to (hand-edited): shown at the risk.
    let at = line_of(&text, "\"name\": \"score\"") + 2;
    let score = text.lines().nth(at - 1).unwrap().to_string();
    let line = line_of(&text, "\"risks\": [") + 2;
    let err = refused(|t| t.replacen(&score, "            \"value\": \"12\"", 1), line);
    assert!(err.contains("factors add up to"), "{err}");
}

#[test]
fn a_broken_deviations_file_stops_the_scan_at_its_line() {
    let dir = system();
    std::fs::write(
        dir.path().join("sys/poam-deviations.toml"),
        "[[deviation]]\nrule = \"TT-K8S-001\"\ntype = \"false-positive\"\njustification = \"x\"\napprover = \"AO\"\napproved = 2025-01-01\n",
    )
    .unwrap();
    let out = tollgate()
        .current_dir(dir.path())
        .args(["scan", "sys", "--no-builtin", "--rules", "rules", "--poam", "poam.json", "--fail-on", "never"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("tollgate::poam::deviations") && err.contains("missing field `expires`"), "{err}");
    assert!(!dir.path().join("poam.json").exists());
}
