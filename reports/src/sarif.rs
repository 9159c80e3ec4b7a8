//! SARIF 2.1.0, for GitHub code scanning and every other SARIF consumer.
//!
//! One run. `tool.driver.rules` describes every rule that ran; `results` holds
//! one result per failing finding; rule errors and input errors are tool
//! execution notifications, not results, since nothing was assessed. The
//! mapping, the fingerprint and the limits are documented in `docs/reports.md`.

use crate::{clip, fail_on_name, summary_json, verdict, RenderOptions};
use serde::Serialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use tollgate_engine::catalog::Framework;
use tollgate_engine::{Finding, Location, RuleMeta, ScanReport, Severity, Status};

/// `$schema` of the log (the URI GitHub's documentation uses).
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base id every artifact location is relative to: the scan root.
pub const SRCROOT: &str = "%SRCROOT%";
/// Key of Tollgate's own entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "tollgate/v1";

/// GitHub code scanning rejects a file over any of these (see
/// `GITHUB_CODE_SCANNING_SARIF_NOTES.md` in the reference data).
pub const MAX_RESULTS: usize = 25_000;
pub const MAX_RULES: usize = 25_000;
pub const MAX_TAGS: usize = 20;
/// Longest `shortDescription.text` / `fullDescription.text` GitHub accepts.
pub const MAX_DESCRIPTION_CHARS: usize = 1024;
/// Longest rule `name` GitHub accepts.
pub const MAX_NAME_CHARS: usize = 255;

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: [Invocation; 1],
    original_uri_base_ids: Value,
    results: Vec<ResultOut>,
    properties: Value,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

fn text(s: impl Into<String>) -> Text {
    Text { text: s.into() }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: Value,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultOut {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<LocationOut>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: Value,
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
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
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

/// `error` for critical and high, `warning` for moderate, `note` for low.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Moderate => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity` score: a string GitHub buckets into the same
/// four levels (over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, below low).
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Moderate => "5.5",
        Severity::Low => "3.0",
    }
}

/// The stable identity of a failing finding, without line numbers, so an
/// alert survives edits that move it: SHA-256 over the rule id, resource kind,
/// resource id, file path and property path, NUL-separated, as 64 hex digits.
/// (The property path tells apart several failures of one rule on one
/// resource, e.g. one per container.)
pub fn fingerprint(f: &Finding) -> String {
    let (kind, id) = f.resource.as_ref().map_or(("", ""), |r| (r.kind.as_str(), r.id.as_str()));
    let path = f.location.as_ref().map_or("", |l| l.path.as_str());
    let mut h = Sha256::new();
    for (i, part) in [FINGERPRINT_KEY, &f.rule.id, kind, id, path, f.property_path.as_deref().unwrap_or("")].iter().enumerate() {
        if i > 0 {
            h.update([0u8]);
        }
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
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

/// `ContainersDoNotRunPrivileged` from "Containers do not run privileged".
fn rule_name(meta: &RuleMeta) -> String {
    let name: String = meta
        .title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|c| c.to_uppercase().chain(cs).collect::<String>()).unwrap_or_default()
        })
        .collect();
    if name.is_empty() {
        meta.id.clone()
    } else {
        name.chars().take(MAX_NAME_CHARS).collect()
    }
}

/// `nist-800-53-r5/AC-6(10)`: framework id, slash, control id.
fn control_tags(meta: &RuleMeta) -> Vec<String> {
    meta.controls_by_framework().into_iter().flat_map(|(fw, ids)| ids.into_iter().map(move |c| format!("{fw}/{c}"))).collect()
}

fn controls_line(meta: &RuleMeta, markdown: bool) -> String {
    meta.controls_by_framework()
        .into_iter()
        .map(|(fw, ids)| {
            let title = Framework::from_id(fw).map_or(fw, Framework::title);
            let ids: Vec<String> = ids.iter().map(|c| if markdown { format!("`{c}`") } else { c.clone() }).collect();
            format!("{title}: {}", ids.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

fn help(meta: &RuleMeta) -> Help {
    let controls = controls_line(meta, false);
    let mut text = format!("{}\n\nControls: {controls}", meta.remediation.trim_end());
    let mut markdown = format!(
        "**Remediation**\n\n{}\n\n**Why**: {}\n\n**Controls**: {}",
        meta.remediation.trim_end(),
        meta.rationale.trim_end(),
        controls_line(meta, true)
    );
    if !meta.references.is_empty() {
        text.push_str("\n\nReferences:");
        markdown.push_str("\n\n**References**\n");
        for r in &meta.references {
            text.push_str(&format!("\n- {r}"));
            markdown.push_str(&if is_url(r) { format!("\n- <{r}>") } else { format!("\n- {r}") });
        }
    }
    Help { text, markdown }
}

fn descriptor(meta: &RuleMeta, severity: Severity, dropped_tags: &mut usize) -> Descriptor {
    let mut tags = vec!["security".to_string(), "compliance".to_string()];
    tags.extend(control_tags(meta));
    if tags.len() > MAX_TAGS {
        *dropped_tags += tags.len() - MAX_TAGS;
        tags.truncate(MAX_TAGS);
    }
    let controls: Map<String, Value> = meta.controls_by_framework().into_iter().map(|(k, v)| (k.to_string(), Value::from(v))).collect();
    let full = if meta.rationale.trim().is_empty() { &meta.title } else { &meta.rationale };
    Descriptor {
        id: meta.id.clone(),
        name: rule_name(meta),
        short_description: text(clip(&meta.title, MAX_DESCRIPTION_CHARS)),
        full_description: text(clip(full, MAX_DESCRIPTION_CHARS)),
        help: help(meta),
        help_uri: meta.references.iter().find(|r| is_url(r)).cloned(),
        default_configuration: Configuration { level: level(severity) },
        properties: json!({
            "tags": tags,
            "security-severity": security_severity(severity),
            "severity": severity,
            "controls": controls,
        }),
    }
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

/// The rules in the run: all of them, or past [`MAX_RULES`] those with
/// results first, then the rest in id order.
fn kept_rules<'a>(report: &'a ScanReport, results: &[&Finding]) -> Vec<&'a RuleMeta> {
    if report.rules.len() <= MAX_RULES {
        return report.rules.iter().map(|r| r.as_ref()).collect();
    }
    let used: std::collections::HashSet<&str> = results.iter().map(|f| f.rule.id.as_str()).collect();
    let (mut with, without): (Vec<&RuleMeta>, Vec<&RuleMeta>) =
        report.rules.iter().map(|r| r.as_ref()).partition(|r| used.contains(r.id.as_str()));
    let room = MAX_RULES.saturating_sub(with.len());
    with.extend(without.into_iter().take(room));
    with.sort_by(|a, b| a.id.cmp(&b.id));
    with
}

/// Renders the SARIF log, pretty-printed, with a trailing newline.
pub fn render(report: &ScanReport, options: &RenderOptions) -> Vec<u8> {
    // Effective severity per rule (after overrides): every finding carries it.
    let mut severity: HashMap<&str, Severity> = HashMap::new();
    for f in &report.findings {
        severity.entry(f.rule.id.as_str()).or_insert(f.severity);
    }

    // Fingerprints over every failure, before any truncation, so they do
    // not depend on what else was found.
    let fails: Vec<&Finding> = report.findings.iter().filter(|f| f.status == Status::Fail).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let prints: Vec<String> = fails
        .iter()
        .map(|f| {
            let hash = fingerprint(f);
            let n = seen.entry(hash.clone()).or_default();
            *n += 1;
            format!("{hash}:{n}")
        })
        .collect();

    // Past the limit, keep the most severe, then restore report order.
    let mut keep: Vec<usize> = (0..fails.len()).collect();
    if keep.len() > MAX_RESULTS {
        keep.sort_by_key(|&i| (Reverse(fails[i].severity), i));
        keep.truncate(MAX_RESULTS);
        keep.sort_unstable();
    }
    let kept: Vec<&Finding> = keep.iter().map(|&i| fails[i]).collect();

    let rules = kept_rules(report, &kept);
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in rules.iter().enumerate() {
        index.entry(r.id.as_str()).or_insert(i);
    }
    let mut dropped_tags = 0;
    let descriptors: Vec<Descriptor> =
        rules.iter().map(|r| descriptor(r, severity.get(r.id.as_str()).copied().unwrap_or(r.severity), &mut dropped_tags)).collect();

    let results: Vec<ResultOut> = keep
        .iter()
        .map(|&i| {
            let f = fails[i];
            let mut props = Map::new();
            props.insert("severity".into(), json!(f.severity));
            if let Some(r) = &f.resource {
                props.insert("resource".into(), json!(r));
            }
            if let Some(p) = &f.property_path {
                props.insert("property_path".into(), json!(p));
            }
            ResultOut {
                rule_id: f.rule.id.clone(),
                rule_index: index.get(f.rule.id.as_str()).copied(),
                level: level(f.severity),
                message: text(finding_text(f)),
                locations: finding_location(f),
                partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, prints[i].clone())]),
                properties: Value::Object(props),
            }
        })
        .collect();

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

    let omitted_results = fails.len() - kept.len();
    let omitted_rules = report.rules.len() - rules.len();
    let properties = json!({
        "gate": { "fail_on": fail_on_name(options.fail_on), "verdict": verdict(report, options.fail_on) },
        "system": report.system,
        "summary": summary_json(&report.summary),
        "truncated": omitted_results + omitted_rules + dropped_tags > 0,
        "omitted": { "results": omitted_results, "rules": omitted_rules, "tags": dropped_tags },
        "limits": { "results": MAX_RESULTS, "rules": MAX_RULES, "tags_per_rule": MAX_TAGS },
    });

    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "tollgate",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: descriptors,
                },
            },
            invocations: [Invocation { execution_successful: true, tool_execution_notifications: notifications }],
            original_uri_base_ids: json!({ SRCROOT: { "description": { "text": "The scan root: every path is relative to it." } } }),
            results,
            properties,
        }],
    };
    let mut out = serde_json::to_vec_pretty(&log).unwrap_or_default();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
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
        let prints: Vec<&str> = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"][FINGERPRINT_KEY].as_str().unwrap())
            .collect();
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
        let lines: Vec<u64> =
            results.iter().map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap()).collect();
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
}
