//! The CI gate end to end: baselines, inline suppressions and per-framework
//! or per-rule thresholds.

mod common;

use common::{code, json, pack_rule, run_in, stderr, stdout, tree, PRIVILEGED_POD};
use serde_json::Value;
use std::path::Path;

/// Fails every privileged container, blaming its securityContext.
const PRIVILEGED_RULE: &str = r#"fn check(r) {
    let out = [];
    for (c, i) in r.pod?.containers ?? [] {
        if c.securityContext?.privileged == true {
            out.push(fail(`container ${c.name} is privileged`, `${r.pod_path}.containers[${i}].securityContext.privileged`));
        }
    }
    if out.is_empty() { pass() } else { out }
}"#;

fn rules() -> (&'static str, String) {
    ("rules/privileged.rhai", pack_rule("X-K8S-001", "\"k8s:Pod\"", PRIVILEGED_RULE))
}

fn scan(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["scan", "pods", "--no-builtin", "--rules", "rules", "--now", "2026-06-01"];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

fn statuses(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource"].is_object())
        .map(|f| (f["location"]["path"].as_str().unwrap().to_string(), f["status"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn baseline_accepts_recorded_failures_across_line_shifts_but_not_copies_in_other_files() {
    let (rule_path, rule) = rules();
    let dir = tree(&[(rule_path, &rule), ("pods/a.yaml", PRIVILEGED_POD)]);
    let d = dir.path();

    let created = run_in(d, &["baseline", "create", "-o", "base.json", "pods", "--no-builtin", "--rules", "rules", "--now", "2026-06-01"]);
    assert_eq!(code(&created), 0, "{}", stderr(&created));
    let base: Value = serde_json::from_str(&std::fs::read_to_string(d.join("base.json")).unwrap()).unwrap();
    assert_eq!(base["kind"], "tollgate-baseline");
    assert_eq!(base["findings"].as_array().unwrap().len(), 1);
    assert_eq!(base["findings"][0]["path"], "a.yaml");
    assert_eq!(base["findings"][0]["property"], "spec.containers[0].securityContext.privileged");

    assert_eq!(code(&scan(d, &[])), 1, "without the baseline the failure gates");
    let out = scan(d, &["--baseline", "base.json", "-f", "json"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let report = json(&out);
    assert_eq!(report["findings"][0]["baselined"], true);
    assert_eq!(report["baseline"]["unchanged"], 1);
    assert_eq!(report["baseline"]["new"], 0);
    assert_eq!(report["gate"]["blocking"], 0);

    // Moving the pod down the file keeps it recorded.
    std::fs::write(d.join("pods/a.yaml"), format!("# header\n\n# more\n{PRIVILEGED_POD}")).unwrap();
    assert_eq!(code(&scan(d, &["--baseline", "base.json"])), 0, "line shifts are not new findings");

    // The same pod, same name, in another file is a new finding.
    std::fs::write(d.join("pods/b.yaml"), PRIVILEGED_POD).unwrap();
    let out = scan(d, &["--baseline", "base.json", "-f", "json"]);
    assert_eq!(code(&out), 1);
    let report = json(&out);
    let fails: Vec<(&str, bool)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| (f["location"]["path"].as_str().unwrap(), f["baselined"].as_bool().unwrap()))
        .collect();
    assert_eq!(fails, [("a.yaml", true), ("b.yaml", false)]);
    assert_eq!((report["baseline"]["new"].as_u64(), report["gate"]["blocking"].as_u64()), (Some(1), Some(1)));

    // SARIF says which results are new.
    let out = scan(d, &["--baseline", "base.json", "-f", "sarif"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let states: Vec<&str> = sarif["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["baselineState"].as_str().unwrap()).collect();
    assert_eq!(states, ["unchanged", "new"]);
    let html = stdout(&scan(d, &["--baseline", "base.json", "-f", "html"]));
    assert!(
        html.contains("Baseline base.json: 1 new failure(s), 1 already recorded (not gating), 0 fixed since."),
        "html states the baseline"
    );

    // A second container failing on the recorded pod is new too (its property differs).
    let two = PRIVILEGED_POD.to_string() + "    - name: sidecar\n      image: envoy:1\n      securityContext:\n        privileged: true\n";
    std::fs::remove_file(d.join("pods/b.yaml")).unwrap();
    std::fs::write(d.join("pods/a.yaml"), &two).unwrap();
    let out = scan(d, &["--baseline", "base.json", "-f", "json"]);
    assert_eq!(code(&out), 1);
    assert_eq!(json(&out)["baseline"]["new"], 1);

    // Fixed findings are counted as absent, and the table says so.
    std::fs::write(d.join("pods/a.yaml"), PRIVILEGED_POD.replace("privileged: true", "privileged: false")).unwrap();
    let out = scan(d, &["--baseline", "base.json"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("Baseline base.json: 0 new failure(s), 0 already recorded, 1 fixed since"), "{}", stdout(&out));
}

#[test]
fn baseline_from_config_and_bad_baselines() {
    let (rule_path, rule) = rules();
    let dir = tree(&[(rule_path, &rule), ("pods/a.yaml", PRIVILEGED_POD), ("ci/tollgate.toml", "[gate]\nbaseline = \"base.json\"\n")]);
    let d = dir.path();
    let created = run_in(d, &["baseline", "create", "-o", "ci/base.json", "pods", "--no-builtin", "--rules", "rules"]);
    assert_eq!(code(&created), 0, "{}", stderr(&created));
    assert_eq!(code(&scan(d, &["--config", "ci/tollgate.toml"])), 0, "`[gate] baseline` resolves next to the config");

    std::fs::write(d.join("broken.json"), "{\"kind\": \"tollgate-baseline\",\n \"version\": 1,\n \"findings\": [}\n").unwrap();
    let out = scan(d, &["--baseline", "broken.json"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("tollgate::baseline::parse") && err.contains("broken.json:3"), "{err}");

    std::fs::write(
        d.join("other.json"),
        "{\"kind\": \"sarif\", \"version\": 1, \"tool_version\": \"x\", \"created\": \"x\", \"findings\": []}",
    )
    .unwrap();
    let out = scan(d, &["--baseline", "other.json"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("expected \"tollgate-baseline\""), "{}", stderr(&out));

    let out = run_in(d, &["baseline", "create", "pods", "--no-builtin", "--rules", "rules"]);
    assert_eq!(code(&out), 2, "create needs -o");
}

fn suppressed_pod(comment: &str) -> String {
    format!("{comment}\n{PRIVILEGED_POD}")
}

#[test]
fn suppressions_in_force_are_reported_as_suppressed_in_every_format() {
    let (rule_path, rule) = rules();
    let pod = suppressed_pod("# tollgate:ignore X-K8S-001 reason=\"build agent needs it\" until=2026-12-31");
    let dir = tree(&[(rule_path, &rule), ("pods/a.yaml", &pod), ("pods/b.yaml", PRIVILEGED_POD)]);
    let d = dir.path();

    let out = scan(d, &["-f", "json"]);
    assert_eq!(code(&out), 1, "b.yaml still fails");
    let report = json(&out);
    assert_eq!(statuses(&report), [("a.yaml".to_string(), "suppressed".to_string()), ("b.yaml".into(), "fail".into())]);
    let s = &report["findings"][0]["suppression"];
    assert_eq!(
        (s["reason"].as_str(), s["until"].as_str(), s["line"].as_u64()),
        (Some("build agent needs it"), Some("2026-12-31"), Some(1))
    );
    assert_eq!(s["expired"], false);
    assert_eq!(report["summary"]["findings"]["suppressed"], 1);
    assert_eq!(report["unused_suppressions"], serde_json::json!([]), "a suppression that covered a failure is used");

    std::fs::remove_file(d.join("pods/b.yaml")).unwrap();
    let table = scan(d, &[]);
    assert_eq!(code(&table), 0, "a suppressed failure does not gate");
    let text = stdout(&table);
    assert!(text.contains("SUPPRESSED (1)") && text.contains("build agent needs it (until 2026-12-31) at a.yaml:1"), "{text}");
    assert!(text.contains("1 suppressed"), "{text}");

    let sarif: Value = serde_json::from_slice(&scan(d, &["-f", "sarif"]).stdout).unwrap();
    let sup = &sarif["runs"][0]["results"][0]["suppressions"][0];
    assert_eq!((sup["kind"].as_str(), sup["status"].as_str()), (Some("inSource"), Some("accepted")));
    let junit = stdout(&scan(d, &["-f", "junit"]));
    assert!(junit.contains("<skipped message=\"suppressed: build agent needs it"), "{junit}");
    let markdown = stdout(&scan(d, &["-f", "markdown"]));
    assert!(markdown.contains("Suppressed inline, not gating (1)"), "{markdown}");
    let csv = stdout(&scan(d, &["-f", "csv"]));
    assert!(csv.contains(",suppressed,") && csv.contains("build agent needs it"), "{csv}");

    // --no-suppress ignores them all.
    let out = scan(d, &["--no-suppress", "-f", "json"]);
    assert_eq!(code(&out), 1);
    assert_eq!(statuses(&json(&out)), [("a.yaml".to_string(), "fail".to_string())]);
}

#[test]
fn expired_missing_reason_and_other_rule_suppressions() {
    let (rule_path, rule) = rules();
    let expired = suppressed_pod("# tollgate:ignore X-K8S-001 reason=\"until the upgrade\" until=2026-05-31");
    let dir = tree(&[(rule_path, &rule), ("pods/a.yaml", &expired)]);
    let d = dir.path();
    let out = scan(d, &["-f", "json"]);
    assert_eq!(code(&out), 1, "expired the day before the scan date");
    let report = json(&out);
    assert_eq!(report["findings"][0]["status"], "fail");
    assert_eq!(report["findings"][0]["suppression"]["expired"], true);
    assert_eq!(report["summary"]["expired_suppressions"], 1);
    let text = stdout(&scan(d, &[]));
    assert!(text.contains("EXPIRED suppression: until the upgrade (until 2026-05-31)"), "{text}");
    // On its last day it still applies.
    assert_eq!(code(&run_in(d, &["scan", "pods", "--no-builtin", "--rules", "rules", "--now", "2026-05-31"])), 0);

    std::fs::write(d.join("pods/a.yaml"), suppressed_pod("# tollgate:ignore X-K8S-001")).unwrap();
    let out = scan(d, &["-f", "json"]);
    assert_eq!(code(&out), 1);
    let report = json(&out);
    assert_eq!(report["findings"][0]["status"], "fail", "a malformed suppression suppresses nothing");
    let e = &report["errors"][0];
    assert_eq!(
        (e["code"].as_str(), e["path"].as_str(), e["line"].as_u64()),
        (Some("tollgate::input::suppression"), Some("a.yaml"), Some(1))
    );
    assert!(stderr(&out).contains("add reason="), "{}", stderr(&out));

    std::fs::write(d.join("pods/a.yaml"), suppressed_pod("# tollgate:ignore X-K8S-999 reason=\"other rule\"")).unwrap();
    let out = scan(d, &[]);
    assert_eq!(code(&out), 1, "a suppression covers only the rules it names");
    assert!(stdout(&out).contains("UNUSED SUPPRESSIONS (1)") && stdout(&out).contains("a.yaml:1  X-K8S-999"), "{}", stdout(&out));

    // Once the pod is fixed, its suppression is reported as unused (but does not fail the gate).
    let fixed = PRIVILEGED_POD.replace("privileged: true", "privileged: false");
    std::fs::write(d.join("pods/a.yaml"), format!("# tollgate:ignore X-K8S-001 reason=\"was needed\"\n{fixed}")).unwrap();
    let out = scan(d, &["-f", "json"]);
    assert_eq!(code(&out), 0);
    let report = json(&out);
    assert_eq!(report["summary"]["unused_suppressions"], 1);
    let unused = &report["unused_suppressions"][0];
    assert_eq!(
        (unused["path"].as_str(), unused["line"].as_u64(), unused["rules"][0].as_str()),
        (Some("a.yaml"), Some(1), Some("X-K8S-001"))
    );
}

#[test]
fn suppressions_in_terraform_and_dockerfiles() {
    let bucket_rule = pack_rule(
        "X-TF-001",
        "\"terraform:aws_s3_bucket\"",
        "fn check(r) { if r.data.acl == \"public-read\" { fail(\"public bucket\", \"acl\") } else { pass() } }",
    );
    let root_rule = pack_rule(
        "X-DOCKER-001",
        "\"docker:dockerfile\"",
        "fn check(r) { if r.data.final_user == () { fail(\"runs as root\") } else { pass() } }",
    );
    let tf = "resource \"aws_s3_bucket\" \"site\" {\n  bucket = \"site\"\n  acl    = \"public-read\" // tollgate:ignore X-TF-001 reason=\"static website\"\n}\n\nresource \"aws_s3_bucket\" \"logs\" {\n  acl = \"public-read\"\n}\n";
    let docker = "# tollgate:ignore X-DOCKER-001 reason=\"upstream image drops privileges at runtime\"\nFROM alpine:3.20\nRUN echo hi\n";
    let dir = tree(&[("rules/tf.rhai", &bucket_rule), ("rules/docker.rhai", &root_rule), ("src/main.tf", tf), ("src/Dockerfile", docker)]);
    let out = run_in(dir.path(), &["scan", "src", "--no-builtin", "--rules", "rules", "-f", "json"]);
    let report = json(&out);
    let got: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (f["rule_id"].as_str().unwrap().into(), f["resource"]["id"].as_str().unwrap_or("").into(), f["status"].as_str().unwrap().into())
        })
        .collect();
    assert!(got.contains(&("X-TF-001".into(), "aws_s3_bucket.site".into(), "suppressed".into())), "{got:?}");
    assert!(got.contains(&("X-TF-001".into(), "aws_s3_bucket.logs".into(), "fail".into())), "the other bucket is not covered: {got:?}");
    assert!(got.iter().any(|(r, _, s)| r == "X-DOCKER-001" && s == "suppressed"), "{got:?}");
}

#[test]
fn per_framework_and_per_rule_thresholds() {
    // Severity high; CM-6 is in FedRAMP Moderate.
    let (rule_path, rule) = rules();
    let low_rule =
        pack_rule("X-K8S-002", "\"k8s:Pod\"", "fn check(r) { fail(\"always\") }").replace("\"high\"", "\"low\"").replace("CM-6", "PM-1");
    let dir = tree(&[(rule_path, &rule), ("rules/low.rhai", &low_rule), ("pods/a.yaml", PRIVILEGED_POD)]);
    let d = dir.path();
    let with = |config: &str, extra: &[&str]| {
        std::fs::write(d.join("tollgate.toml"), config).unwrap();
        let mut args = vec!["--config", "tollgate.toml", "-f", "json"];
        args.extend_from_slice(extra);
        let out = scan(d, &args);
        (code(&out), json(&out))
    };
    let (status, report) = with("[gate]\nfail_on = \"critical\"\n", &[]);
    assert_eq!((status, report["gate"]["fail_on"].as_str()), (0, Some("critical")), "high and low failures are under the default");

    let (status, report) = with("[gate]\nfail_on = \"critical\"\n[gate.frameworks]\nfedramp-moderate = \"high\"\n", &[]);
    assert_eq!(status, 1, "X-K8S-001 maps to FedRAMP Moderate, gated at high");
    assert_eq!(report["gate"]["blocking"], 1, "X-K8S-002 (PM-1, outside the baseline) does not block");
    assert_eq!(report["gate"]["frameworks"]["fedramp-moderate"], "high");

    let (status, _) =
        with("[gate]\nfail_on = \"critical\"\n[gate.frameworks]\nfedramp-moderate = \"high\"\n[gate.rules]\nX-K8S-001 = \"never\"\n", &[]);
    assert_eq!(status, 0, "the rule's own threshold wins over its framework's");

    let (status, report) = with("[gate]\nfail_on = \"critical\"\n", &["--fail-on", "low"]);
    assert_eq!((status, report["gate"]["blocking"].as_u64()), (1, Some(2)), "--fail-on replaces the default threshold");

    let (status, _) = with("[gate.rules]\nX-K8S-001 = \"low\"\n", &["--fail-on", "never"]);
    assert_eq!(status, 0, "--fail-on never turns the whole gate off");

    std::fs::write(d.join("tollgate.toml"), "[gate.frameworks]\nfedramp-modrate = \"high\"\n").unwrap();
    let out = scan(d, &["--config", "tollgate.toml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("fedramp-modrate"), "{}", stderr(&out));
}
