//! The OSCAL assessment-results report end to end: a golden snapshot of the
//! bundled example, validation against the official OSCAL 1.1.3 schema (with
//! TOLLGATE_REFERENCE set), stable UUIDs across scans, and that it tells the
//! same truth as the JSON report and the framework view of the same scan.

mod common;
use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const NOW: &str = "2025-01-15T10:00:00Z";

fn oscal_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("OSCAL is not JSON ({e}):\n{}\nstderr:\n{}", stdout(out), stderr(out)))
}

/// `tollgate scan ARGS --format oscal` in `dir`, at the pinned time.
fn scan(dir: &Path, args: &[&str]) -> Value {
    scan_at(dir, NOW, args)
}

fn scan_at(dir: &Path, now: &str, args: &[&str]) -> Value {
    let mut all = vec!["scan", "-q", "--now", now, "--format", "oscal"];
    all.extend(args);
    let out = run_in(dir, &all);
    assert!(matches!(code(&out), 0 | 1), "{}", stderr(&out));
    oscal_of(&out)
}

fn demo() -> Value {
    scan(&repo_root(), &["examples/demo"])
}

fn result(doc: &Value) -> &Value {
    &doc["assessment-results"]["results"][0]
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v[key].as_array().map_or(&[], Vec::as_slice)
}

/// Blanks what changes between runs and releases: the version and the scan's duration (in `end`).
fn normalize(mut doc: Value) -> Value {
    let ar = &mut doc["assessment-results"];
    ar["metadata"]["version"] = Value::from("[version]");
    let result = &mut ar["results"][0];
    result["end"] = Value::from("[end]");
    result["local-definitions"]["assessment-assets"]["components"][0]["props"][0]["value"] = Value::from("[version]");
    doc
}

fn prop<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    array(v, "props").iter().find(|p| p["name"] == name).and_then(|p| p["value"].as_str())
}

// Built-in rules are still being added; when one changes what the example
// finds, review and accept the diff (INSTA_UPDATE=always).
#[test]
fn example_oscal_report() {
    insta::assert_json_snapshot!("example_demo_oscal", normalize(demo()));
}

#[test]
fn uuids_are_stable_across_scans() {
    let (a, b) = (demo(), demo());
    assert_eq!(normalize(a.clone()), normalize(b), "the same scan twice gives the same document, apart from the duration");
    // The same configuration at another time keeps every identity: only times move.
    let later = scan_at(&repo_root(), "2025-02-01T00:00:00Z", &["examples/demo"]);
    let uuids = |doc: &Value| {
        let mut out = Vec::new();
        collect_uuids(doc, &mut out);
        out
    };
    assert_eq!(uuids(&a), uuids(&later));
    assert_eq!(result(&later)["start"], "2025-02-01T00:00:00Z");
    assert_eq!(later["assessment-results"]["metadata"]["last-modified"], "2025-02-01T00:00:00Z");
    let all = uuids(&a);
    let distinct: BTreeSet<&String> = all.iter().filter(|(k, _)| k == "uuid").map(|(_, v)| v).collect();
    assert_eq!(distinct.len(), all.iter().filter(|(k, _)| k == "uuid").count(), "every defined uuid is unique");
    assert!(all.iter().all(|(_, u)| u.as_bytes()[14] == b'5'), "version 5");
}

/// Every `uuid` and `*-uuid` value, in document order.
fn collect_uuids(v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                if let (true, Some(s)) = (k == "uuid" || k.ends_with("-uuid"), v.as_str()) {
                    out.push((k.clone(), s.to_string()));
                }
                collect_uuids(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_uuids(i, out)),
        _ => {}
    }
}

/// The JSON report of the same scan.
fn json_of(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["scan", "-q", "--now", NOW, "--format", "json"];
    all.extend(args);
    let out = run_in(dir, &all);
    json(&out)
}

/// Checks the OSCAL document against the JSON report of the same scan.
fn check_same_truth(doc: &Value, json: &Value) {
    let r = result(doc);
    let findings = json["findings"].as_array().unwrap();
    // Counts, as the result's props state them.
    for (status, n) in json["summary"]["findings"].as_object().unwrap() {
        assert_eq!(prop(r, &format!("findings-{status}")), Some(n.to_string().as_str()), "{status}");
    }
    assert_eq!(prop(r, "input-errors"), Some(json["errors"].as_array().unwrap().len().to_string().as_str()));
    assert_eq!(prop(r, "verdict"), json["gate"]["verdict"].as_str());
    // One observation per rule × resource judged; one risk per failing one.
    let mut judged: BTreeMap<(String, String, String), BTreeSet<String>> = BTreeMap::new();
    for f in findings.iter().filter(|f| f["status"] != "skip" && !f["resource"].is_null()) {
        let key = (
            f["rule_id"].as_str().unwrap().into(),
            f["resource"]["kind"].as_str().unwrap().into(),
            f["resource"]["id"].as_str().unwrap().into(),
        );
        // A suppressed failure is still a failure of the assessment (see docs/gate.md).
        let status = if f["status"] == "suppressed" { "fail" } else { f["status"].as_str().unwrap() };
        judged.entry(key).or_default().insert(status.to_string());
    }
    let observations = array(r, "observations");
    assert_eq!(observations.len(), judged.len(), "one observation per rule × resource judged");
    let failing = judged.values().filter(|s| s.contains("fail")).count();
    assert_eq!(array(r, "risks").len(), failing, "one risk per failing rule × resource");
    let evidence: usize = observations.iter().map(|o| array(o, "relevant-evidence").len()).sum();
    assert_eq!(evidence, findings.iter().filter(|f| f["status"] != "skip" && !f["resource"].is_null()).count(), "evidence per finding");
    let by_rule_result: BTreeSet<(String, String)> =
        observations.iter().map(|o| (prop(o, "rule-id").unwrap().to_string(), prop(o, "result").unwrap().to_string())).collect();
    for ((rule, _, _), statuses) in &judged {
        let worst = ["fail", "error", "pass"].into_iter().find(|s| statuses.contains(*s)).unwrap();
        assert!(by_rule_result.contains(&(rule.clone(), worst.to_string())), "{rule} {worst}");
    }
    // Every reference resolves within the document.
    let defined: BTreeSet<String> = {
        let mut all = Vec::new();
        collect_uuids(doc, &mut all);
        all.into_iter().filter(|(k, _)| k == "uuid").map(|(_, v)| v).collect()
    };
    let mut refs = Vec::new();
    collect_uuids(doc, &mut refs);
    for (key, uuid) in refs.iter().filter(|(k, _)| k != "uuid") {
        assert!(defined.contains(uuid), "{key} {uuid} points at nothing");
    }
    let plan = doc["assessment-results"]["import-ap"]["href"].as_str().unwrap();
    assert!(defined.contains(plan.trim_start_matches('#')), "import-ap points at the back-matter placeholder");
    // Findings: every SP 800-53 control with a failing finding is not satisfied.
    let failing_controls: BTreeSet<String> = findings
        .iter()
        .filter(|f| f["status"] == "fail")
        .flat_map(|f| f["controls"]["nist-800-53-r5"].as_array().cloned().unwrap_or_default())
        .map(|c| c.as_str().unwrap().to_ascii_lowercase().replace('(', ".").replace(')', "") + "_smt")
        .collect();
    let not_satisfied: BTreeSet<String> = array(r, "findings")
        .iter()
        .filter(|f| f["target"]["status"]["state"] == "not-satisfied")
        .map(|f| f["target"]["target-id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(not_satisfied, failing_controls);
}

#[test]
fn oscal_tells_the_same_truth_as_json() {
    let root = repo_root();
    check_same_truth(&demo(), &json_of(&root, &["examples/demo"]));
    let dir = error_tree("<b>x</b>");
    let args = error_args();
    let doc = scan(dir.path(), &args);
    check_same_truth(&doc, &json_of(dir.path(), &args));
    let r = result(&doc);
    let remarks = r["remarks"].as_str().unwrap();
    assert!(remarks.contains("broken.json"), "input errors are named: {remarks}");
    assert!(array(r, "observations").iter().any(|o| prop(o, "result") == Some("error")), "rule errors are observations");
}

/// The OSCAL findings agree with the framework view (`--framework nist-800-53-r5`)
/// on every control the rules name, as the HTML report shows that view.
#[test]
fn oscal_findings_agree_with_the_framework_view() {
    let out = run_in(&repo_root(), &["scan", "examples/demo", "-q", "--now", NOW, "--framework", "nist-800-53-r5", "--format", "html"]);
    assert!(matches!(code(&out), 0 | 1), "{}", stderr(&out));
    let page = stdout(&out);
    let marker = "<tr data-status=\"";
    let mut view: BTreeMap<String, String> = BTreeMap::new();
    for row in page.split(marker).skip(1) {
        let status = &row[..row.find('"').unwrap()];
        let id = row.split("<code>").nth(1).and_then(|s| s.split("</code>").next()).unwrap();
        view.insert(id.to_ascii_lowercase().replace('(', ".").replace(')', "") + "_smt", status.to_string());
    }
    assert!(view.len() > 1000, "the framework table lists every control: {}", view.len());
    let doc = demo();
    let findings = array(result(&doc), "findings");
    assert!(!findings.is_empty());
    for f in findings {
        let target = f["target"]["target-id"].as_str().unwrap();
        assert_eq!(view.get(target).map(String::as_str), f["target"]["status"]["state"].as_str(), "{target}");
    }
}

fn error_args() -> Vec<&'static str> {
    vec![".", "--no-builtin", "--rules", "rules", "--exclude", "rules", "--fail-on", "never"]
}

#[test]
fn oscal_validates_against_the_oscal_1_1_3_assessment_results_schema() {
    let Some(reference) = reference_dir() else { return };
    let path = reference.join("oscal/schemas/1.1.3/oscal_assessment-results_schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let validator = jsonschema::options().with_draft(jsonschema::Draft::Draft7).should_validate_formats(true).build(&schema).unwrap();
    let dir = error_tree("<b>x</b>");
    let empty = tree(&[("README.md", "nothing to scan\n")]);
    let docs = [("example", demo()), ("errors", scan(dir.path(), &error_args())), ("empty", scan(empty.path(), &["."]))];
    for (name, doc) in &docs {
        let errors: Vec<String> = validator.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{name}: {} schema errors:\n{}", errors.len(), errors.join("\n"));
    }
    // The checks bite: each of these breaks the schema.
    let example = &docs[0].1;
    let mut no_import = example.clone();
    no_import["assessment-results"].as_object_mut().unwrap().remove("import-ap");
    let mut bad_uuid = example.clone();
    bad_uuid["assessment-results"]["results"][0]["observations"][0]["uuid"] = Value::from("not-a-uuid");
    let mut bad_state = example.clone();
    bad_state["assessment-results"]["results"][0]["findings"][0]["target"]["status"]["state"] = Value::from("failed");
    let mut empty_observations = example.clone();
    empty_observations["assessment-results"]["results"][0]["observations"] = Value::Array(vec![]);
    let mut no_timezone = example.clone();
    no_timezone["assessment-results"]["metadata"]["last-modified"] = Value::from("2025-01-15T10:00:00");
    for (name, bad) in [
        ("no import-ap", no_import),
        ("bad uuid", bad_uuid),
        ("bad state", bad_state),
        ("empty observations", empty_observations),
        ("no time zone", no_timezone),
    ] {
        assert!(!validator.is_valid(&bad), "{name} should not validate");
    }
}
