//! Unit tests of the assessment results: ids, UUIDs, and how observations,
//! risks and findings follow the scan's findings.

use super::*;
use crate::testutil::{finding, meta, report};
use crate::RenderOptions;
use tollgate_engine::{ScanReport, Severity, Status};

fn doc(r: &ScanReport) -> Value {
    let bytes = render(r, &RenderOptions::default());
    serde_json::from_slice(&bytes).expect("OSCAL is JSON")
}

#[test]
fn control_ids_in_oscal_form() {
    assert_eq!(control_id("AC-6(10)"), "ac-6.10");
    assert_eq!(control_id("SC-7"), "sc-7");
}

#[test]
fn uuids_are_stable_version_5_and_never_run_together() {
    let a = uuid_of(&["observation", "PAY-01", "TG-K8S-001", "k8s:Pod", "ns/a"]);
    assert_eq!(a, uuid_of(&["observation", "PAY-01", "TG-K8S-001", "k8s:Pod", "ns/a"]));
    assert_eq!(&a[14..15], "5");
    assert_ne!(uuid_of(&["a", "bc"]), uuid_of(&["ab", "c"]));
    // Pinned: changing the namespace or the scheme would renumber every document.
    assert_eq!(namespace().to_string(), "c229fc95-ef41-5acc-82e0-25916a9d8a55");
}

#[test]
fn observations_risks_and_findings_follow_the_findings() {
    let priv_ = meta("X-K8S-001", Severity::High, &["AC-6(10)"], &["3.1.7"]);
    let tls = meta("X-K8S-002", Severity::Low, &["SC-8", "AC-6(10)"], &[]);
    let unmatched = meta("X-K8S-003", Severity::Low, &["CM-7"], &[]);
    let mut skipped = finding(&unmatched, Status::Skip, "-", 1, "-", None, "no resource");
    skipped.resource = None;
    skipped.location = None;
    let findings = vec![
        finding(&priv_, Status::Fail, "a.yaml", 3, "ns/a", Some("spec.containers[0]"), "privileged <script>"),
        finding(&priv_, Status::Fail, "a.yaml", 9, "ns/a", Some("spec.containers[1]"), "privileged too"),
        finding(&priv_, Status::Pass, "b.yaml", 1, "ns/b", None, ""),
        finding(&tls, Status::Pass, "b.yaml", 1, "ns/b", None, ""),
        finding(&tls, Status::Error, "a.yaml", 1, "ns/a", None, "boom"),
        skipped,
    ];
    let r = report(vec![priv_, tls, unmatched], findings, vec![]);
    let d = doc(&r);
    let result = &d["assessment-results"]["results"][0];
    let obs = result["observations"].as_array().unwrap();
    assert_eq!(obs.len(), 4, "rule × resource, skips left out: {obs:#?}");
    assert_eq!(obs[0]["relevant-evidence"].as_array().unwrap().len(), 2, "one piece of evidence per finding");
    assert_eq!(obs[0]["relevant-evidence"][0]["description"], "a.yaml:3-4: privileged <script>");
    assert_eq!(obs[0]["types"], json!(["finding"]));
    assert_eq!(obs[0]["subjects"][0]["subject-uuid"], result["local-definitions"]["inventory-items"][0]["uuid"]);
    // The POA&M ledger names the same asset with the same UUID.
    let asset = tollgate_engine::poam::identity::asset_uuid("system", "k8s:Pod", "ns/a");
    assert_eq!(result["local-definitions"]["inventory-items"][0]["uuid"], asset.as_str());
    assert_eq!(obs[0]["collected"], "2025-01-15T10:00:00Z");
    let risks = result["risks"].as_array().unwrap();
    assert_eq!(risks.len(), 1);
    assert_eq!(risks[0]["related-observations"][0]["observation-uuid"], obs[0]["uuid"]);
    assert_eq!(risks[0]["characterizations"][0]["facets"][0]["value"], "high");
    let f = result["findings"].as_array().unwrap();
    let targets: Vec<(&str, &str)> =
        f.iter().map(|f| (f["target"]["target-id"].as_str().unwrap(), f["target"]["status"]["state"].as_str().unwrap())).collect();
    // SC-8: a pass and an error on its only rule: no verdict, so no finding.
    assert_eq!(targets, [("ac-6.10_smt", "not-satisfied")]);
    assert_eq!(f[0]["related-risks"][0]["risk-uuid"], risks[0]["uuid"]);
    assert_eq!(f[0]["related-observations"].as_array().unwrap().len(), 4);
    let remarks = result["remarks"].as_str().unwrap();
    assert!(remarks.contains("no finding: CM-7, SC-8.") && remarks.contains("no matching resource: X-K8S-003."), "{remarks}");
    let reviewed: Vec<&str> = result["reviewed-controls"]["control-selections"][0]["include-controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["control-id"].as_str().unwrap())
        .collect();
    assert_eq!(reviewed, ["ac-6.10", "cm-7", "sc-8"]);
    assert_eq!(d, doc(&r), "deterministic");
}

#[test]
fn an_empty_scan_is_still_a_document() {
    let d = doc(&report(vec![], vec![], vec![]));
    let result = &d["assessment-results"]["results"][0];
    for key in ["observations", "risks", "findings"] {
        assert!(result.get(key).is_none(), "{key}: OSCAL arrays may not be empty");
    }
    assert!(result["local-definitions"].get("inventory-items").is_none());
    assert!(result["reviewed-controls"]["control-selections"][0].get("include-controls").is_none());
}
