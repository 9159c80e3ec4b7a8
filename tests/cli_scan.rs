//! `tollgate scan` end to end: statuses, exit codes, error isolation,
//! determinism, config diagnostics and multiple reports per run.

mod common;
use common::*;

fn status_of<'a>(report: &'a serde_json::Value, rule: &str) -> Vec<&'a str> {
    report["findings"].as_array().unwrap().iter().filter(|f| f["rule_id"] == rule).map(|f| f["status"].as_str().unwrap()).collect()
}

#[test]
fn every_status_appears_and_errors_fail_the_gate() {
    let dir = tree(&[
        ("app.json", "{\"tls\": false, \"port\": 8080}"),
        ("ok.json", "{\"tls\": true}"),
        (
            "rules/tls.rhai",
            &pack_rule(
                "X-CFG-001",
                "\"json:document\"",
                "fn check(r) { if r.data.tls == true { pass() } else { fail(\"TLS is off\", \"tls\") } }",
            ),
        ),
        ("rules/loop.rhai", &pack_rule("X-CFG-002", "\"json:document\"", "fn check(r) { let n = 0; loop { n += 1; } }")),
        ("rules/none.rhai", &pack_rule("X-CFG-003", "\"k8s:Pod\"", "fn check(r) { pass() }")),
    ]);
    let out = run_in(dir.path(), &["scan", ".", "--no-builtin", "--rules", "rules", "--exclude", "rules", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(status_of(&report, "X-CFG-001"), vec!["fail", "pass"]);
    assert_eq!(status_of(&report, "X-CFG-002"), vec!["error", "error"]);
    assert_eq!(status_of(&report, "X-CFG-003"), vec!["skip"]);
    let fail = report["findings"].as_array().unwrap().iter().find(|f| f["status"] == "fail").unwrap();
    assert_eq!(fail["location"], serde_json::json!({"path": "app.json", "start_line": 1, "end_line": 1}));
    assert_eq!(fail["controls"]["nist-800-53-r5"], serde_json::json!(["CM-6"]));
    assert_eq!(fail["remediation"], "fix it");
    assert!(status_of(&report, "X-CFG-002").len() == 2 && report["summary"]["rule_errors"] == 2);
    let err = report["findings"].as_array().unwrap().iter().find(|f| f["status"] == "error").unwrap();
    assert!(err["message"].as_str().unwrap().contains("max_operations"), "{err}");
}

#[test]
fn exit_codes_follow_the_gate() {
    let dir = tree(&[("pod.yaml", PRIVILEGED_POD), ("clean/ok.json", "{}")]);
    let d = dir.path();
    assert_eq!(code(&run_in(d, &["scan", "pod.yaml"])), 1);
    assert_eq!(code(&run_in(d, &["scan", "pod.yaml", "--fail-on", "never"])), 0);
    assert_eq!(code(&run_in(d, &["scan", "pod.yaml", "--fail-on", "critical"])), 0, "privileged is high, not critical");
    assert_eq!(code(&run_in(d, &["scan", "pod.yaml", "--fail-on", "high"])), 1);
    assert_eq!(code(&run_in(d, &["scan", "clean"])), 0);
    assert_eq!(code(&run_in(d, &["scan", "--fail-on", "severe"])), 2, "usage error");
    assert_eq!(code(&run_in(d, &["scan", "no-such-dir"])), 2);
    assert_eq!(code(&run_in(d, &["scan", "--report", "pdf=x.pdf"])), 2);
}

#[test]
fn a_broken_file_is_reported_and_the_rest_is_scanned() {
    let dir = tree(&[("a/pod.yaml", PRIVILEGED_POD), ("b/broken.yaml", "kind: Pod\nspec: [1, 2\nx: y\n"), ("c/empty.json", "")]);
    let out = run_in(dir.path(), &["scan", ".", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let report = json(&out);
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0]["path"], "b/broken.yaml");
    assert_eq!(errors[0]["code"], "tollgate::input::parse");
    assert!(errors[0]["line"].as_u64().is_some());
    assert_eq!(errors[1]["path"], "c/empty.json");
    assert_eq!(report["summary"]["input_errors"], 2);
    assert!(status_of(&report, "TG-K8S-001").contains(&"fail"), "the good file is still scanned");
    // The diagnostic on stderr shows the offending line.
    let err = stderr(&out);
    assert!(err.contains("b/broken.yaml") && err.contains("spec: [1, 2"), "{err}");
    // The gate fails on input errors even with nothing failing.
    let clean = tree(&[("broken.json", "{")]);
    assert_eq!(code(&run_in(clean.path(), &["scan", "."])), 1);
    assert_eq!(code(&run_in(clean.path(), &["scan", ".", "--fail-on", "never"])), 0);
}

#[test]
fn output_is_deterministic_across_runs_and_thread_counts() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..60 {
        let doc = PRIVILEGED_POD.replace("name: bad", &format!("name: pod-{i}"));
        files.push((format!("dir{}/pod{i}.yaml", i % 7), if i % 3 == 0 { format!("{doc}---\n{PRIVILEGED_POD}") } else { doc }));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = tree(&refs);
    let runs: Vec<serde_json::Value> = [["--threads", "1"], ["--threads", "2"], ["--threads", "2"]]
        .iter()
        .map(|t| normalized(json(&run_in(dir.path(), &["scan", ".", "--format", "json", t[0], t[1]]))))
        .collect();
    assert!(runs[0]["findings"].as_array().unwrap().len() > 100);
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[1], runs[2]);
}

#[test]
fn config_errors_point_at_the_key_and_exit_2() {
    let dir = tree(&[("tollgate.toml", "[system]\nname = \"x\"\n\n[scan]\nexclud = [\"vendor\"]\n"), ("a.json", "{}")]);
    let out = run_in(dir.path(), &["scan"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("tollgate::config::parse"), "{err}");
    assert!(err.contains("unknown field `exclud`"), "{err}");
    assert!(err.contains("5 | exclud = [\"vendor\"]"), "the span's line is shown:\n{err}");

    let bad_sev = tree(&[("tollgate.toml", "[rules.severity]\nTG-K8S-001 = \"urgent\"\n")]);
    let err = stderr(&run_in(bad_sev.path(), &["scan"]));
    assert!(err.contains("unknown severity `urgent`") && err.contains("2 | TG-K8S-001"), "{err}");

    let unknown_rule = tree(&[("tollgate.toml", "[rules]\ndisable = [\"TG-K8S-01\"]\n")]);
    let out = run_in(unknown_rule.path(), &["scan"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("did you mean `TG-K8S-001`?"), "{}", stderr(&out));
}

#[test]
fn config_excludes_disables_and_overrides_apply() {
    let dir = tree(&[
        ("tollgate.toml", "[system]\nname = \"Demo\"\ncategorization = \"high\"\n[scan]\nexclude = [\"vendor/**\"]\n[rules]\ndisable = [\"TG-K8S-002\"]\n[rules.severity]\nTG-K8S-001 = \"critical\"\n"),
        ("pod.yaml", PRIVILEGED_POD),
        ("vendor/pod.yaml", PRIVILEGED_POD),
    ]);
    let out = run_in(dir.path(), &["scan", "--format", "json"]);
    let report = json(&out);
    assert_eq!(report["system"]["name"], "Demo");
    assert_eq!(report["system"]["categorization"], "high");
    assert_eq!(report["summary"]["files_scanned"], 1, "vendor/ is excluded");
    assert!(status_of(&report, "TG-K8S-002").is_empty(), "disabled rule does not run");
    let f = report["findings"].as_array().unwrap().iter().find(|f| f["rule_id"] == "TG-K8S-001").unwrap();
    assert_eq!(f["severity"], "critical");
    // --config names the file explicitly; --exclude adds to the config's list.
    let out = run_in(dir.path(), &["scan", ".", "--config", "tollgate.toml", "--exclude", "pod.yaml", "--format", "json"]);
    assert_eq!(json(&out)["summary"]["files_scanned"], 0);
}

#[test]
fn one_run_writes_several_reports() {
    let dir = tree(&[("pod.yaml", PRIVILEGED_POD)]);
    let out = run_in(dir.path(), &["scan", "pod.yaml", "-q", "-o", "main.txt", "--report", "json=out/r.json", "--report", "table=r.txt"]);
    // A report that cannot be written is an error (exit 2); create the directory and retry.
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot write json report"), "{}", stderr(&out));
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let out = run_in(dir.path(), &["scan", "pod.yaml", "-q", "-o", "main.txt", "--report", "json=out/r.json", "--report", "table=r.txt"]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).is_empty(), "-o moves the main report off stdout");
    let table = std::fs::read_to_string(dir.path().join("main.txt")).unwrap();
    assert_eq!(table, std::fs::read_to_string(dir.path().join("r.txt")).unwrap());
    assert!(table.contains("TG-K8S-001") && table.contains("pod.yaml:10"), "{table}");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/r.json")).unwrap()).unwrap();
    assert_eq!(report["gate"]["verdict"], "fail");
    assert_eq!(report["schema_version"], tollgate_schema_version());
}

#[test]
fn broken_rule_packs_stop_the_run_with_every_problem_shown() {
    let dir = tree(&[
        ("a.json", "{}"),
        ("rules/one.rhai", "const RULE = #{ id: \"X-1\" };\nfn check(r) { pass() }\n"),
        ("rules/two.rhai", &pack_rule("X-CFG-009", "\"json:document\"", "fn check(r) { let = ; }")),
    ]);
    let out = run_in(dir.path(), &["scan", "a.json", "--rules", "rules"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("tollgate::rule::metadata") && err.contains("tollgate::rule::compile"), "{err}");
    assert!(err.contains("missing required field `title`"), "{err}");
    assert!(err.contains("rules/two.rhai"), "{err}");
}

#[test]
fn parser_overrides_read_files_detection_would_skip() {
    let dir = tree(&[
        ("manifests/pod.txt", PRIVILEGED_POD),
        ("tollgate.toml", "[scan]\nparsers = { \"other/*.conf\" = \"json\" }\n"),
        ("other/a.conf", "{}"),
    ]);
    let plain = json(&run_in(dir.path(), &["scan", "--format", "json"]));
    assert_eq!(plain["summary"]["files_scanned"], 1, "only the configured override");
    let out = run_in(dir.path(), &["scan", "--parser", "manifests/*.txt=yaml", "--format", "json"]);
    let report = json(&out);
    assert_eq!(report["summary"]["files_scanned"], 2);
    assert!(status_of(&report, "TG-K8S-001").contains(&"fail"));
    let out = run_in(dir.path(), &["scan", "--parser", "*.txt=cobol"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unknown parser `cobol`"), "{}", stderr(&out));
}

#[test]
fn empty_files_are_counted_not_dropped() {
    let dir = tree(&[("blank.yaml", "\n\n"), ("comments.yaml", "# nothing yet\n---\n"), ("pod.yaml", PRIVILEGED_POD)]);
    let report = json(&run_in(dir.path(), &["scan", "--format", "json", "--fail-on", "never"]));
    assert_eq!(report["summary"]["files_scanned"], 3);
    assert_eq!(report["summary"]["files_empty"], 2);
    assert_eq!(report["summary"]["input_errors"], 0);
}

/// The JSON report's schema version, as docs/report-json.md states it.
fn tollgate_schema_version() -> String {
    let doc = std::fs::read_to_string(repo_root().join("docs/report-json.md")).unwrap();
    let line = doc.lines().next().unwrap_or_default();
    line.rsplit(' ').next().unwrap_or_default().to_string()
}
