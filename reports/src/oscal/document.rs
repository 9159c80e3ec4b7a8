//! Document assembly: metadata, the reviewed controls, the assessment
//! platform, the one `result` of the scan with its summary and remarks, and
//! the `import-ap` placeholder with its back-matter resource.

use super::findings::{findings, risk};
use super::observations::{inventory_item, observation, observations};
use super::{control_id, line, plural, prop, props, put, uuid_of, ASSESSMENT_PLAN, OSCAL_VERSION};
use crate::assessed::{self, scan_started, timestamp};
use crate::{count, verdict, RenderOptions};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use tollgate_engine::{ScanReport, Status};

/// Which system the document is about, as the POA&M keys it: its id, else its name, else `system`.
fn system_key(report: &ScanReport) -> String {
    tollgate_engine::poam::merge::system_key(&report.system)
}

/// Renders the assessment results as pretty-printed JSON with a trailing newline.
///
/// `metadata.last-modified`, the result's `start` and every observation's
/// `collected` are the scan clock ([`scan_started`]); `end` adds the scan's
/// duration.
pub fn render(report: &ScanReport, options: &RenderOptions) -> Vec<u8> {
    let started_ms = scan_started(report).saturating_mul(1000);
    let start = timestamp(started_ms);
    let end = timestamp(started_ms.saturating_add(i64::try_from(report.summary.duration_ms).unwrap_or(0)));
    let system_key = system_key(report);
    let system = system_key.as_str();
    let sys = &report.system;
    let s = &report.summary;
    let tool_uuid = tollgate_engine::poam::identity::tool_uuid();
    let tool = json!({"type": "tool", "actor-uuid": tool_uuid});

    let (assets, obs) = observations(report, system);
    let mut risks = Vec::new();
    let mut risk_of: BTreeMap<&str, String> = BTreeMap::new();
    for o in obs.iter().filter(|o| o.result() == Status::Fail) {
        let r = risk(o, &assets, &tool, system);
        risk_of.insert(&o.uuid, r["uuid"].as_str().unwrap_or_default().to_string());
        risks.push(r);
    }
    let (findings, unassessed) = findings(report, &obs, &risk_of, system);

    let named = sys.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let title = match (named, sys.id.as_deref()) {
        (Some(n), Some(id)) => format!("Tollgate assessment results: {n} ({id})"),
        (Some(n), None) => format!("Tollgate assessment results: {n}"),
        (None, _) => "Tollgate assessment results".to_string(),
    };
    let mut metadata = Map::new();
    metadata.insert("title".into(), Value::from(line(&title)));
    metadata.insert("last-modified".into(), Value::from(start.clone()));
    metadata.insert("version".into(), Value::from(env!("CARGO_PKG_VERSION")));
    metadata.insert("oscal-version".into(), Value::from(OSCAL_VERSION));
    put(
        &mut metadata,
        "props",
        props([
            sys.name.as_deref().and_then(|v| prop("system-name", v)),
            sys.id.as_deref().and_then(|v| prop("system-id", v)),
            sys.categorization.and_then(|c| prop("fips-199-categorization", c.as_str())),
            sys.owner.as_deref().and_then(|v| prop("system-owner", v)),
        ]),
    );

    let mut controls: Vec<String> = report.rules.iter().flat_map(|r| r.controls.iter().map(|c| control_id(c))).collect();
    controls.sort_by(|a, b| assessed::cmp_ids(a, b));
    controls.dedup();
    let selection = if controls.is_empty() {
        json!({"remarks": "No rule that ran names an SP 800-53 control."})
    } else {
        json!({"include-controls": controls.iter().map(|c| json!({"control-id": c})).collect::<Vec<_>>()})
    };

    let mut local = Map::new();
    put(&mut local, "inventory-items", assets.iter().map(inventory_item).collect());
    let platform = uuid_of(&["assessment-platform", "tollgate"]);
    local.insert(
        "assessment-assets".into(),
        json!({
            "components": [{
                "uuid": tool_uuid,
                "type": "software",
                "title": "Tollgate",
                "description": "Tollgate policy-as-code compliance engine: Rhai rules over infrastructure configuration files.",
                "props": [{"name": "version", "value": env!("CARGO_PKG_VERSION")}],
                "status": {"state": "operational"},
            }],
            "assessment-platforms": [{"uuid": platform, "title": "Tollgate", "uses-components": [{"component-uuid": tool_uuid}]}],
        }),
    );

    let errors = count(report, Status::Error) + s.input_errors;
    let mut result = Map::new();
    result.insert("uuid".into(), Value::from(uuid_of(&["result", system])));
    result.insert("title".into(), Value::from(line(&format!("Tollgate scan of {}", named.unwrap_or("the configuration")))));
    result.insert(
        "description".into(),
        Value::from(format!(
            "Automated assessment of configuration files: {} over {} in {}. {} failed, {} passed, {}, {} skipped{}. The gate (--fail-on {}) says {}.",
            plural(s.rules_run, "rule", "rules"),
            plural(s.resources, "resource", "resources"),
            plural(s.files_scanned, "file", "files"),
            count(report, Status::Fail),
            count(report, Status::Pass),
            plural(errors, "error", "errors"),
            count(report, Status::Skip),
            match count(report, Status::Suppressed) {
                0 => String::new(),
                n => format!(", {n} suppressed inline for CI (assessed here as failed)"),
            },
            options.gate.default,
            verdict(report, &options.gate),
        )),
    );
    result.insert("start".into(), Value::from(start.clone()));
    result.insert("end".into(), Value::from(end));
    let counts: Vec<Option<Value>> =
        Status::ALL.iter().map(|st| prop(&format!("findings-{}", st.as_str()), &count(report, *st).to_string())).collect();
    put(
        &mut result,
        "props",
        props(
            [
                prop("verdict", verdict(report, &options.gate)),
                prop("fail-on", options.gate.default.as_str()),
                prop("files-scanned", &s.files_scanned.to_string()),
                prop("resources", &s.resources.to_string()),
                prop("rules-run", &s.rules_run.to_string()),
                prop("input-errors", &s.input_errors.to_string()),
            ]
            .into_iter()
            .chain(counts),
        ),
    );
    result.insert("local-definitions".into(), Value::Object(local));
    result.insert("reviewed-controls".into(), json!({"control-selections": [selection]}));
    put(&mut result, "observations", obs.iter().map(|o| observation(o, &assets, &tool, &start)).collect());
    put(&mut result, "risks", risks);
    put(&mut result, "findings", findings);
    let mut remarks = Vec::new();
    if !unassessed.is_empty() {
        remarks.push(format!("No verdict (rule errors, skips or no matching resource), so no finding: {}.", unassessed.join(", ")));
    }
    let not_matched: Vec<&str> =
        report.findings.iter().filter(|f| f.status == Status::Skip && f.resource.is_none()).map(|f| f.rule.id.as_str()).collect();
    if !not_matched.is_empty() {
        remarks.push(format!("Rules with no matching resource: {}.", not_matched.join(", ")));
    }
    if !report.input_errors.is_empty() {
        let files: Vec<String> =
            report.input_errors.iter().map(|e| e.line().map_or_else(|| e.path().to_string(), |l| format!("{}:{l}", e.path()))).collect();
        remarks.push(format!("Files that could not be read or parsed, so were not assessed: {}.", files.join(", ")));
    }
    if !remarks.is_empty() {
        result.insert("remarks".into(), Value::from(remarks.join("\n\n")));
    }

    let plan = uuid_of(&[ASSESSMENT_PLAN, system]);
    let doc = json!({
        "assessment-results": {
            "uuid": uuid_of(&["assessment-results", system]),
            "metadata": metadata,
            "import-ap": {
                "href": format!("#{plan}"),
                "remarks": "Placeholder: Tollgate does not write an assessment plan. Point this at the system's assessment plan (SAP) when there is one.",
            },
            "results": [result],
            "back-matter": {
                "resources": [{
                    "uuid": plan,
                    "title": "Assessment plan (placeholder)",
                    "description": "Tollgate's rules, run against the configuration files in scope, are the plan of this automated assessment: the reviewed controls are those the rules name, the method is TEST.",
                }],
            },
        }
    });
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}
