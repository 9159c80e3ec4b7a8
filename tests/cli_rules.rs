//! `tollgate rules …`, `tollgate inputs` and `tollgate eval` end to end.

mod common;
use common::*;

#[test]
fn list_and_show_the_builtin_library() {
    let dir = tree(&[]);
    let out = run_in(dir.path(), &["rules", "list"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("TG-K8S-001") && text.contains("AC-6(10)") && text.contains("high"), "{text}");
    let all: serde_json::Value = serde_json::from_slice(&run_in(dir.path(), &["rules", "list", "--format", "json"]).stdout).unwrap();
    let n = all.as_array().unwrap().len();
    assert!(n >= 12);
    assert!(!all[0]["controls"]["nist-800-53-r5"].as_array().unwrap().is_empty());
    let only_171: serde_json::Value =
        serde_json::from_slice(&run_in(dir.path(), &["rules", "list", "--framework", "nist-800-171-r2", "--format", "json"]).stdout)
            .unwrap();
    assert!(only_171.as_array().unwrap().iter().all(|r| r["controls"]["nist-800-171-r2"].is_array()));

    let out = run_in(dir.path(), &["rules", "show", "TG-K8S-001"]);
    let text = stdout(&out);
    for part in
        ["Containers do not run privileged", "Rationale", "Remediation", "builtin/kubernetes/privileged_container.rhai", "test cases:"]
    {
        assert!(text.contains(part), "missing {part:?}:\n{text}");
    }
    let out = run_in(dir.path(), &["rules", "show", "TG-K8S-01"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("did you mean `TG-K8S-001`"), "{}", stderr(&out));
}

#[test]
fn rules_test_reports_failures_with_the_rule_and_junit() {
    let bad_cases = "cases:\n  - name: wrongly expected pass\n    file: a.json\n    input: '{\"tls\": false}'\n    expect: pass\n  - name: fails as expected\n    file: a.json\n    input: '{\"tls\": false}'\n    expect: fail\n";
    let dir = tree(&[
        (
            "p/tls.rhai",
            &pack_rule(
                "X-TLS-001",
                "\"json:document\"",
                "fn check(r) {\n  if r.data.tls != true { fail(\"TLS off\", \"tls\") } else { pass() }\n}",
            ),
        ),
        ("p/tls.tests.yaml", bad_cases),
    ]);
    let out = run_in(dir.path(), &["rules", "test", "p"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("test p/tls.rhai :: wrongly expected pass ... FAILED"), "{text}");
    assert!(text.contains("expected pass, got fail"), "{text}");
    assert!(text.contains("fn check(r)"), "the failure shows the rule source:\n{text}");
    assert!(text.ends_with("test result: FAILED. 1 passed; 1 failed\n"), "{text}");

    let out = run_in(dir.path(), &["rules", "test", "p", "--format", "junit"]);
    let xml = stdout(&out);
    assert!(xml.contains("<testsuite name=\"X-TLS-001\" tests=\"2\"") && xml.contains("<failure"), "{xml}");

    let out = run_in(dir.path(), &["rules", "test", "p", "--coverage"]);
    assert!(stderr(&out).contains("1 of 1 rules have both pass and fail cases"), "{}", stderr(&out));
}

#[test]
fn the_builtin_library_passes_its_own_tests_and_lint() {
    let dir = tree(&[]);
    let out = run_in(dir.path(), &["rules", "test"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let out = run_in(dir.path(), &["rules", "lint"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).ends_with(", 0 problems\n"));
}

#[test]
fn lint_finds_what_review_would() {
    let dir = tree(&[(
        "p/weak.rhai",
        "const RULE = #{ id: \"X-WEAK-001\", title: \"t\", severity: \"low\", applies_to: [\"helm:chart\"], controls: [\"AC-99\"], rationale: \"r\", remediation: \"fix\" };\nfn unused_helper(x) { x }\nfn check(r) { pass() }\n",
    )]);
    let out = run_in(dir.path(), &["rules", "lint", "p"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    for code in ["unknown-control", "unknown-kind", "thin-remediation", "unused-helper", "no-cases"] {
        assert!(text.contains(&format!("[{code}]")), "missing {code}:\n{text}");
    }
    assert!(text.contains("p/weak.rhai:1: X-WEAK-001 [unknown-control]"), "{text}");
}

#[test]
fn doc_generates_a_page_per_rule_and_an_index() {
    let dir = tree(&[]);
    let out = run_in(dir.path(), &["rules", "doc", "--out", "site"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let index = std::fs::read_to_string(dir.path().join("site/README.md")).unwrap();
    assert!(index.contains("## AC: Access Control") && index.contains("[TG-K8S-001](TG-K8S-001.md)"), "{index}");
    let page = std::fs::read_to_string(dir.path().join("site/TG-K8S-006.md")).unwrap();
    assert!(page.contains("## Parameters") && page.contains("`require_digest`"), "{page}");
}

#[test]
fn api_prints_definitions_for_editors() {
    let out = run_in(&repo_root(), &["rules", "api"]);
    let text = stdout(&out);
    for f in ["fn get_path(", "fn has_path(", "fn fail(", "fn related("] {
        assert!(text.contains(f), "missing {f}:\n{text}");
    }
}

#[test]
fn inputs_lists_resources_and_shows_one() {
    let dir = tree(&[
        ("k8s/all.yaml", &format!("{PRIVILEGED_POD}---\napiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: prod}}\n")),
        ("bad.json", "{"),
    ]);
    let out = run_in(dir.path(), &["inputs"]);
    assert_eq!(code(&out), 1, "a parse error makes it exit 1");
    let text = stdout(&out);
    assert!(text.contains("k8s:Pod") && text.contains("k8s/all.yaml:1-10") && text.contains("prod/web"), "{text}");
    assert!(text.contains("tollgate::input::parse"), "{text}");
    let out = run_in(dir.path(), &["inputs", "--show", "k8s:Service/prod/web"]);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["resources"][0]["data"]["metadata"]["namespace"], "prod");
    assert_eq!(shown["resources"][0]["attributes"]["namespace"], "prod");
    assert_eq!(code(&run_in(dir.path(), &["inputs", "--show", "nope"])), 2);
}
