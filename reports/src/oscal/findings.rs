//! Risks and findings: what failed, and what that means for each control.
//!
//! One `open` risk per failing observation; one finding per SP 800-53
//! control the rules gave a verdict on, from the same roll-up as the HTML
//! report ([`crate::assessed`]), targeting the control's statement.

use super::observations::{Asset, Observation};
use super::{control_id, line, plural, prop, props, put, uuid_of, NS};
use crate::assessed;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use tollgate_engine::framework::ControlStatus;
use tollgate_engine::{Finding, ScanReport, Status};

/// The open risk of one failing observation, with the rule's remediation as
/// the recommendation.
pub(super) fn risk(o: &Observation<'_>, assets: &[Asset<'_>], tool: &Value, system: &str) -> Value {
    let rule = o.rule();
    let a = &assets[o.asset];
    let failures: Vec<&&Finding> = o.findings.iter().filter(|f| matches!(f.status, Status::Fail | Status::Suppressed)).collect();
    let mut statement = format!("{} fails on {} {}:", rule.id, a.kind, a.id);
    for f in &failures {
        statement.push_str("\n\n- ");
        if let Some(l) = &f.location {
            statement.push_str(&format!("{}:{}", l.path, l.start_line));
        }
        if let Some(pp) = &f.property_path {
            statement.push_str(&format!(" ({pp})"));
        }
        statement.push_str(&format!(": {}", f.message));
    }
    let severity = failures.iter().map(|f| f.severity).max().unwrap_or(rule.severity);
    let mut m = Map::new();
    m.insert("uuid".into(), Value::from(uuid_of(&["risk", system, &rule.id, a.kind, a.id])));
    m.insert("title".into(), Value::from(line(&format!("{}: {} {}", rule.title, a.kind, a.id))));
    m.insert("description".into(), Value::from(rule.rationale.trim().to_string()));
    m.insert("statement".into(), Value::from(statement));
    put(&mut m, "props", props([prop("rule-id", &rule.id), prop("severity", severity.as_str())]));
    m.insert("status".into(), Value::from("open"));
    m.insert(
        "characterizations".into(),
        json!([{"origin": {"actors": [tool]}, "facets": [{"name": "severity", "system": NS, "value": severity.as_str()}]}]),
    );
    m.insert(
        "remediations".into(),
        json!([{
            "uuid": uuid_of(&["remediation", system, &rule.id, a.kind, a.id]),
            "lifecycle": "recommendation",
            "title": line(&format!("Remediate {}", rule.id)),
            "description": rule.remediation.trim(),
        }]),
    );
    m.insert("related-observations".into(), json!([{"observation-uuid": o.uuid}]));
    Value::Object(m)
}

/// One OSCAL finding per SP 800-53 control with a verdict, and the ids of
/// the controls without one.
pub(super) fn findings(
    report: &ScanReport,
    obs: &[Observation<'_>],
    risk_of: &BTreeMap<&str, String>,
    system: &str,
) -> (Vec<Value>, Vec<String>) {
    let mut out = Vec::new();
    let mut unassessed = Vec::new();
    for c in assessed::control_results(report, "nist-800-53-r5") {
        let state = c.state();
        let (oscal_state, reason) = match state {
            ControlStatus::NotSatisfied => ("not-satisfied", "fail"),
            ControlStatus::Satisfied => ("satisfied", "pass"),
            _ => {
                unassessed.push(c.id.clone());
                continue;
            }
        };
        let rules: Vec<&str> = c.rules.iter().map(|r| r.id.as_str()).collect();
        let related: Vec<&Observation<'_>> = obs.iter().filter(|o| rules.contains(&o.rule().id.as_str())).collect();
        let failed = related.iter().filter(|o| o.result() == Status::Fail).count();
        let errored = related.iter().filter(|o| o.result() == Status::Error).count();
        let title = c.title();
        let mut m = Map::new();
        m.insert("uuid".into(), Value::from(uuid_of(&["finding", system, &c.id])));
        m.insert("title".into(), Value::from(line(&format!("{} {title}", c.id))));
        let mut observed: Vec<&str> = related.iter().map(|o| o.rule().id.as_str()).collect();
        observed.sort_unstable();
        observed.dedup();
        let mut description = format!(
            "{} ({failed} failed, {} passed",
            plural(related.len(), "observation", "observations"),
            related.len() - failed - errored
        );
        if errored > 0 {
            description.push_str(&format!(", {errored} errored"));
        }
        description.push_str(&format!(") by {}.", observed.join(", ")));
        m.insert("description".into(), Value::from(description));
        m.insert(
            "target".into(),
            json!({
                "type": "statement-id",
                "target-id": format!("{}_smt", control_id(&c.id)),
                "status": {"state": oscal_state, "reason": reason},
            }),
        );
        put(&mut m, "related-observations", related.iter().map(|o| json!({"observation-uuid": o.uuid})).collect());
        put(
            &mut m,
            "related-risks",
            related.iter().filter_map(|o| risk_of.get(o.uuid.as_str())).map(|r| json!({"risk-uuid": r})).collect(),
        );
        m.insert(
            "remarks".into(),
            Value::from(
                "Automated configuration checks evidence the configuration aspects of this control only; \
                 the rest of it needs manual assessment.",
            ),
        );
        out.push(Value::Object(m));
    }
    (out, unassessed)
}
