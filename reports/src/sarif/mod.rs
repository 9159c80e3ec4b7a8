//! SARIF 2.1.0, for GitHub code scanning and every other SARIF consumer.
//!
//! One run. `tool.driver.rules` describes every rule that ran; `results` holds
//! one result per failing finding; rule errors and input errors are tool
//! execution notifications, not results, since nothing was assessed. The
//! mapping, the fingerprint and the limits are documented in `docs/reports.md`.
//!
//! Layout: this module holds the log document and [`render`], which decides
//! what is kept under GitHub's limits; `rules.rs` builds the rule descriptors
//! (names, help text, tags, severity levels) and `results.rs` the results,
//! locations, fingerprints, suppressions and notifications.

mod results;
mod rules;
#[cfg(test)]
mod tests;

pub use results::{fingerprint, path_uri, MAX_RESULTS};
pub use rules::{level, security_severity, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_RULES, MAX_TAGS};

use crate::{summary_json, RenderOptions};
use results::{kept_results, notifications, numbered_fingerprints, result, Notification, ResultOut};
use rules::{descriptor, kept_rules, Descriptor};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use tollgate_engine::{Finding, ScanReport, Severity, Status};

/// `$schema` of the log (the URI GitHub's documentation uses).
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base id every artifact location is relative to: the scan root.
pub const SRCROOT: &str = "%SRCROOT%";
/// Key of Tollgate's own entry in `partialFingerprints`.
pub use tollgate_engine::result::FINGERPRINT_KEY;

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
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

/// A SARIF `message` (or description): plain text only.
#[derive(Serialize)]
struct Text {
    text: String,
}

fn text(s: impl Into<String>) -> Text {
    Text { text: s.into() }
}

/// Renders the SARIF log, pretty-printed, with a trailing newline.
pub fn render(report: &ScanReport, options: &RenderOptions) -> Vec<u8> {
    // Effective severity per rule (after overrides): every finding carries it.
    let mut severity: HashMap<&str, Severity> = HashMap::new();
    for f in &report.findings {
        severity.entry(f.rule.id.as_str()).or_insert(f.severity);
    }

    // Suppressed failures are results too, marked as suppressed, so code
    // scanning shows them as dismissed instead of losing them.
    let fails: Vec<&Finding> = report.findings.iter().filter(|f| matches!(f.status, Status::Fail | Status::Suppressed)).collect();
    let prints = numbered_fingerprints(&fails);
    let keep = kept_results(&fails);
    let kept: Vec<&Finding> = keep.iter().map(|&i| fails[i]).collect();

    let rules = kept_rules(report, &kept);
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, r) in rules.iter().enumerate() {
        index.entry(r.id.as_str()).or_insert(i);
    }
    let mut dropped_tags = 0;
    let descriptors: Vec<Descriptor> =
        rules.iter().map(|r| descriptor(r, severity.get(r.id.as_str()).copied().unwrap_or(r.severity), &mut dropped_tags)).collect();

    let results: Vec<ResultOut> = keep.iter().map(|&i| result(report, fails[i], &prints[i], &index)).collect();
    let notifications = notifications(report, &index);

    let omitted_results = fails.len() - kept.len();
    let omitted_rules = report.rules.len() - rules.len();
    let properties = json!({
        "gate": crate::gate_json(report, &options.gate),
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
