//! Unit tests of the SARIF log: severity mapping, fingerprints, GitHub's
//! limits, rule descriptors, notifications and artifact URIs.

use super::*;
use crate::testutil::{finding, io_error, meta, report};

fn doc(report: &ScanReport) -> Value {
    serde_json::from_slice(&render(report, &RenderOptions::default())).expect("SARIF is JSON")
}

#[test]
fn severity_maps_to_level_and_security_severity() {
    let got: Vec<_> = Severity::ALL.iter().map(|s| (level(*s), security_severity(*s))).collect();
    assert_eq!(got, [("error", "9.5"), ("error", "8.0"), ("warning", "5.5"), ("note", "3.0")]);
}

#[test]
fn fingerprints_ignore_lines_and_tell_repeats_apart() {
    let r = meta("X-K8S-001", Severity::High, &["AC-6"], &[]);
    let a = finding(&r, Status::Fail, "k8s/a.yaml", 3, "ns/web", Some("spec.containers[0]"), "bad");
    let moved = finding(&r, Status::Fail, "k8s/a.yaml", 30, "ns/web", Some("spec.containers[0]"), "bad, reworded");
    assert_eq!(fingerprint(&a), fingerprint(&moved), "line numbers and messages are not part of it");
    for other in [
        finding(&r, Status::Fail, "k8s/a.yaml", 3, "ns/web", Some("spec.containers[1]"), "bad"),
        finding(&r, Status::Fail, "k8s/b.yaml", 3, "ns/web", Some("spec.containers[0]"), "bad"),
        finding(&r, Status::Fail, "k8s/a.yaml", 3, "ns/api", Some("spec.containers[0]"), "bad"),
    ] {
        assert_ne!(fingerprint(&a), fingerprint(&other));
    }
    // Pinned (checked with Python hashlib): a change of algorithm would
    // re-open every alert downstream.
    assert_eq!(fingerprint(&a), "8c3b8706d0cbb8e4366cf1e377117036aefaa9719e65e8c67714f190c01e034d");

    let log = doc(&report(vec![r.clone()], vec![a.clone(), moved], vec![]));
    let prints: Vec<&str> =
        log["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["partialFingerprints"][FINGERPRINT_KEY].as_str().unwrap()).collect();
    let hash = fingerprint(&a);
    assert_eq!(prints, [format!("{hash}:1"), format!("{hash}:2")], "identical keys are numbered in report order");
}

#[test]
fn past_githubs_limit_the_most_severe_results_are_kept_in_report_order() {
    let low = meta("X-LOW-001", Severity::Low, &["CM-6"], &[]);
    let high = meta("X-HIGH-001", Severity::High, &["AC-6"], &[]);
    let lows = 20;
    let findings: Vec<Finding> = (0..MAX_RESULTS + 10)
        .map(|i| {
            let rule = if i < lows { &low } else { &high };
            finding(rule, Status::Fail, "many.yaml", u32::try_from(i).unwrap() + 1, &format!("ns/p{i}"), None, "bad")
        })
        .collect();
    let first_low_print = fingerprint(&findings[0]);
    let log = doc(&report(vec![high.clone(), low.clone()], findings, vec![]));
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), MAX_RESULTS);
    assert_eq!(results.iter().filter(|r| r["ruleId"] == "X-LOW-001").count(), lows - 10, "the least severe go first");
    let lines: Vec<u64> = results.iter().map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap()).collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "report order is kept");
    assert_eq!(lines[0], 1, "the first low results are the ones kept");
    assert_eq!(results[0]["partialFingerprints"][FINGERPRINT_KEY], format!("{first_low_print}:1"));
    assert_eq!(run["properties"]["truncated"], true);
    assert_eq!(run["properties"]["omitted"], json!({ "results": 10, "rules": 0, "tags": 0 }));
    // The summary still tells the whole truth.
    assert_eq!(run["properties"]["summary"]["findings"]["fail"], MAX_RESULTS + 10);
}

#[test]
fn rule_descriptors_carry_what_github_shows() {
    let mut controls: Vec<String> = (1..=13).map(|i| format!("AC-2({i})")).collect();
    controls.extend((1..=10).map(|i| format!("AC-6({i})")));
    let controls: Vec<&str> = controls.iter().map(String::as_str).collect();
    let many = meta("X-MANY-001", Severity::Critical, &controls, &[]);
    let plain = meta("X-ONE-001", Severity::Moderate, &["SC-7"], &["3.13.1"]);
    let log = doc(&report(vec![many.clone(), plain.clone()], vec![], vec![]));
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules[0]["properties"]["tags"].as_array().unwrap().len(), MAX_TAGS);
    assert_eq!(log["runs"][0]["properties"]["omitted"]["tags"], 2 + 23 - MAX_TAGS);
    assert_eq!(rules[0]["properties"]["security-severity"], "9.5");
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
    let one = &rules[1];
    assert_eq!(one["name"], "XONE001Title");
    assert_eq!(one["shortDescription"]["text"], "X-ONE-001 title");
    assert_eq!(one["fullDescription"]["text"], "Why it matters.");
    assert_eq!(one["helpUri"], "https://example.com/rule");
    let tags: Vec<&str> = one["properties"]["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(tags.starts_with(&["security", "compliance", "nist-800-53-r5/SC-7", "nist-800-171-r2/3.13.1"]), "{tags:?}");
    assert!(one["help"]["markdown"].as_str().unwrap().starts_with("**Remediation**\n\nFix it"));
}

#[test]
fn errors_are_notifications_not_results() {
    let r = meta("X-K8S-002", Severity::High, &["AC-6"], &[]);
    let crashed = finding(&r, Status::Error, "k8s/a.yaml", 1, "ns/web", None, "max_operations reached");
    let log = doc(&report(vec![r], vec![crashed], vec![io_error("k8s/locked.yaml", "permission denied")]));
    let run = &log["runs"][0];
    assert!(run["results"].as_array().unwrap().is_empty());
    let notes = run["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["descriptor"]["id"], "tollgate::input::io");
    assert_eq!(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "k8s/locked.yaml");
    assert_eq!(notes[1]["associatedRule"], json!({ "id": "X-K8S-002", "index": 0 }));
    assert!(notes.iter().all(|n| n["level"] == "error"));
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn paths_are_relative_uri_references() {
    assert_eq!(path_uri("k8s/api.yaml"), "k8s/api.yaml");
    assert_eq!(path_uri("my dir/ü:x#1.yaml"), "my%20dir/%C3%BC%3Ax%231.yaml");
    assert_eq!(path_uri("100%.json"), "100%25.json");
}
