//! Rendered diagnostics are part of the interface: snapshot them, without
//! colour, so a change in what a user sees is a reviewed change.

mod common;
use common::*;

fn scan_stderr(files: &[(&str, &str)], args: &[&str]) -> String {
    let dir = tree(files);
    let out = run_in(dir.path(), args);
    stderr(&out)
}

#[test]
fn rule_compile_error() {
    let rule = pack_rule("X-DIAG-001", "\"json:document\"", "fn check(r) {\n    let x = ;\n    pass()\n}");
    let err = scan_stderr(&[("a.json", "{}"), ("p/broken.rhai", &rule)], &["scan", "a.json", "--no-builtin", "--rules", "p"]);
    insta::assert_snapshot!("rule_compile_error", err);
}

#[test]
fn rule_metadata_errors_are_collected() {
    let rule = "const RULE = #{\n    id: \"X-DIAG-002\",\n    title: \"Diagnostics\",\n    severty: \"high\",\n    applies_to: [\"json:document\"],\n    controls: [\"AC-6\", \"bogus\"],\n    rationale: \"r\",\n    remediation: \"m\",\n};\nfn check(r) { pass() }\n";
    let err = scan_stderr(&[("a.json", "{}"), ("p/meta.rhai", rule)], &["scan", "a.json", "--no-builtin", "--rules", "p"]);
    insta::assert_snapshot!("rule_metadata_errors", err);
}

#[test]
fn rule_runtime_error_names_the_rule_line_and_resource() {
    let rule = pack_rule("X-DIAG-003", "\"json:document\"", "fn check(r) {\n    let n = r.data.count;\n    get_pth(r.data, \"x\")\n}");
    let dir = tree(&[("a.json", "{\"count\": 1}"), ("p/runtime.rhai", &rule)]);
    let out = run_in(dir.path(), &["scan", "a.json", "--no-builtin", "--rules", "p", "--format", "json"]);
    let report = json(&out);
    let f = &report["findings"][0];
    assert_eq!(f["status"], "error");
    assert_eq!(f["resource"]["id"], "a.json");
    insta::assert_snapshot!("rule_runtime_error", f["message"].as_str().unwrap());
}

#[test]
fn input_parse_error() {
    let err = scan_stderr(
        &[("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web\nspec: {}\n")],
        &["scan", "deploy.yaml"],
    );
    insta::assert_snapshot!("input_parse_error", err);
}

#[test]
fn config_error() {
    let err = scan_stderr(&[("tollgate.toml", "[system]\nname = \"Demo\"\ncategorisation = \"high\"\n"), ("a.json", "{}")], &["scan"]);
    insta::assert_snapshot!("config_error", err);
}

#[test]
fn rule_runtime_error_is_drawn_against_the_rule() {
    let rule = pack_rule("X-DIAG-004", "\"json:document\"", "fn check(r) {\n    let n = r.data.count;\n    get_pth(r.data, \"x\")\n}");
    let err = scan_stderr(&[("a.json", "{\"count\": 1}"), ("p/runtime.rhai", &rule)], &["scan", "a.json", "--no-builtin", "--rules", "p"]);
    assert!(err.contains("while evaluating json:document a.json"), "{err}");
    insta::assert_snapshot!("rule_runtime_error_drawn", err);
}

#[test]
fn sandbox_limit_is_drawn_with_how_to_raise_it() {
    let rule = pack_rule("X-DIAG-005", "\"json:document\"", "fn check(r) {\n    let n = 0;\n    loop { n += 1; }\n}");
    let err = scan_stderr(&[("a.json", "{}"), ("p/loop.rhai", &rule)], &["scan", "a.json", "--no-builtin", "--rules", "p"]);
    insta::assert_snapshot!("sandbox_limit_drawn", err);
}
