//! `results` and the execution notifications: one result per failing (or
//! suppressed) finding with its location, numbered fingerprint, baseline
//! state and suppression; rule and input errors as notifications.
//!
//! The fingerprint leaves line numbers out so an alert survives edits that
//! move it; repeats of one identity are numbered in report order.

use super::rules::level;
use super::{text, Text, FINGERPRINT_KEY, SRCROOT};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use tollgate_engine::{Finding, Location, ScanReport, Status};

/// GitHub code scanning rejects a file with more results than this (see
/// `GITHUB_CODE_SCANNING_SARIF_NOTES.md` in the reference data).
pub const MAX_RESULTS: usize = 25_000;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ResultOut {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<LocationOut>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    /// With a baseline: `new` or `unchanged` (SARIF §3.27.24).
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    /// An inline `tollgate:ignore` in force: `inSource`, accepted (§3.27.23).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SuppressionOut>,
    properties: Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SuppressionOut {
    kind: &'static str,
    status: &'static str,
    justification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<LocationOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocationOut {
    physical_location: Physical,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<Logical>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Logical {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<LocationOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    descriptor: Option<RuleRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    associated_rule: Option<RuleRef>,
}

#[derive(Serialize)]
struct RuleRef {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

/// The stable identity of a finding, without line numbers, so an alert
/// survives edits that move it: [`Finding::fingerprint`], shared with baselines.
pub fn fingerprint(f: &Finding) -> String {
    f.fingerprint()
}

/// `hash:n` for every failure, numbering identical fingerprints in report
/// order. Taken over every failure before any truncation, so a print does
/// not depend on what else was found.
pub(super) fn numbered_fingerprints(fails: &[&Finding]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    fails
        .iter()
        .map(|f| {
            let hash = fingerprint(f);
            let n = seen.entry(hash.clone()).or_default();
            *n += 1;
            format!("{hash}:{n}")
        })
        .collect()
}

/// Indices of the failures to write: all of them, or past [`MAX_RESULTS`]
/// the most severe, then restored to report order.
pub(super) fn kept_results(fails: &[&Finding]) -> Vec<usize> {
    let mut keep: Vec<usize> = (0..fails.len()).collect();
    if keep.len() > MAX_RESULTS {
        keep.sort_by_key(|&i| (Reverse(fails[i].severity), i));
        keep.truncate(MAX_RESULTS);
        keep.sort_unstable();
    }
    keep
}

fn suppression(f: &Finding) -> Vec<SuppressionOut> {
    match f.suppression.as_ref().filter(|_| f.status == Status::Suppressed) {
        None => Vec::new(),
        Some(s) => {
            let region = Some(Region { start_line: s.line, end_line: None });
            let until = s.until.as_ref().map(|d| format!(" (until {d})")).unwrap_or_default();
            vec![SuppressionOut {
                kind: "inSource",
                status: "accepted",
                justification: format!("{}{until}", s.reason),
                location: Some(LocationOut {
                    physical_location: Physical { artifact_location: Artifact { uri: path_uri(&s.path), uri_base_id: SRCROOT }, region },
                    logical_locations: Vec::new(),
                }),
            }]
        }
    }
}

/// A relative, `/`-separated path as a URI reference: every byte outside
/// RFC 3986 `unreserved`, `/` and a few safe sub-delimiters is percent-encoded
/// (`:` too, so a first segment never reads as a scheme).
pub fn path_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn physical(loc: &Location) -> Physical {
    let region = (loc.start_line > 0).then(|| Region { start_line: loc.start_line, end_line: Some(loc.end_line.max(loc.start_line)) });
    Physical { artifact_location: Artifact { uri: path_uri(&loc.path), uri_base_id: SRCROOT }, region }
}

fn finding_location(f: &Finding) -> Vec<LocationOut> {
    let Some(loc) = &f.location else { return Vec::new() };
    let logical = f
        .resource
        .iter()
        .map(|r| Logical { name: r.id.clone(), fully_qualified_name: format!("{} {}", r.kind, r.id), kind: "resource" })
        .collect();
    vec![LocationOut { physical_location: physical(loc), logical_locations: logical }]
}

/// `k8s:Deployment payments/api: message`, or the message alone.
fn finding_text(f: &Finding) -> String {
    match &f.resource {
        Some(r) => format!("{} {}: {}", r.kind, r.id, f.message),
        None => f.message.clone(),
    }
}

/// The result of one failing or suppressed finding. `print` is its numbered
/// fingerprint, `index` the position of each kept rule in `tool.driver.rules`.
pub(super) fn result(report: &ScanReport, f: &Finding, print: &str, index: &HashMap<&str, usize>) -> ResultOut {
    let mut props = Map::new();
    props.insert("severity".into(), json!(f.severity));
    if let Some(r) = &f.resource {
        props.insert("resource".into(), json!(r));
    }
    if let Some(p) = &f.property_path {
        props.insert("property_path".into(), json!(p));
    }
    if let Some(s) = f.suppression.as_ref().filter(|s| s.expired) {
        props.insert("expired_suppression".into(), json!(s));
    }
    ResultOut {
        rule_id: f.rule.id.clone(),
        rule_index: index.get(f.rule.id.as_str()).copied(),
        level: level(f.severity),
        message: text(finding_text(f)),
        locations: finding_location(f),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, print.to_string())]),
        baseline_state: report.baseline.as_ref().map(|_| if f.baselined { "unchanged" } else { "new" }),
        suppressions: suppression(f),
        properties: Value::Object(props),
    }
}

/// Input errors, then rule errors: nothing was assessed, so they are tool
/// execution notifications rather than results.
pub(super) fn notifications(report: &ScanReport, index: &HashMap<&str, usize>) -> Vec<Notification> {
    let mut notifications: Vec<Notification> = report
        .input_errors
        .iter()
        .map(|e| {
            let region = e.line().filter(|l| *l > 0).map(|l| Region { start_line: l, end_line: None });
            Notification {
                level: "error",
                message: text(e.message()),
                locations: vec![LocationOut {
                    physical_location: Physical { artifact_location: Artifact { uri: path_uri(e.path()), uri_base_id: SRCROOT }, region },
                    logical_locations: Vec::new(),
                }],
                descriptor: Some(RuleRef { id: e.code_str(), index: None }),
                associated_rule: None,
            }
        })
        .collect();
    notifications.extend(report.findings.iter().filter(|f| f.status == Status::Error).map(|f| Notification {
        level: "error",
        message: text(finding_text(f)),
        locations: finding_location(f),
        descriptor: None,
        associated_rule: Some(RuleRef { id: f.rule.id.clone(), index: index.get(f.rule.id.as_str()).copied() }),
    }));
    notifications
}
