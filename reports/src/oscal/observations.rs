//! Observations: what the rules saw, one per rule × resource judged, with
//! the resource as an inventory item and every finding as evidence.
//!
//! Skipped findings are left out (nothing was judged), and so are findings
//! without a resource. Assets take the POA&M ledger's UUIDs, so both
//! documents name one resource with one inventory item.

use super::{line, prop, props, put, uuid_of};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use tollgate_engine::{Finding, ScanReport, Status};

/// One resource the rules judged: an inventory item.
pub(super) struct Asset<'a> {
    pub(super) uuid: String,
    pub(super) kind: &'a str,
    pub(super) id: &'a str,
    path: Option<&'a str>,
}

/// One rule on one resource: its findings, in report order.
pub(super) struct Observation<'a> {
    pub(super) uuid: String,
    /// Index of the resource in the assets.
    pub(super) asset: usize,
    pub(super) findings: Vec<&'a Finding>,
}

impl Observation<'_> {
    pub(super) fn rule(&self) -> &tollgate_engine::RuleMeta {
        &self.findings[0].rule
    }

    /// `fail` if any finding failed, else `error` if any errored, else `pass`.
    pub(super) fn result(&self) -> Status {
        // A suppression silences a CI gate, not an assessment: still a failure.
        if self.findings.iter().any(|f| matches!(f.status, Status::Fail | Status::Suppressed)) {
            Status::Fail
        } else if self.findings.iter().any(|f| f.status == Status::Error) {
            Status::Error
        } else {
            Status::Pass
        }
    }
}

/// Assets and observations in report order: every finding with a resource
/// and a verdict (pass, fail, error). Skips are not observations: nothing
/// was judged.
pub(super) fn observations<'a>(report: &'a ScanReport, system: &str) -> (Vec<Asset<'a>>, Vec<Observation<'a>>) {
    let mut assets: Vec<Asset<'a>> = Vec::new();
    let mut asset_index: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut obs: Vec<Observation<'a>> = Vec::new();
    let mut obs_index: BTreeMap<(&str, usize), usize> = BTreeMap::new();
    for f in report.findings.iter().filter(|f| f.status != Status::Skip) {
        let Some(r) = &f.resource else { continue };
        let asset = *asset_index.entry((r.kind.as_str(), r.id.as_str())).or_insert_with(|| {
            assets.push(Asset {
                // By kind and id, never by file, and the same UUID as in the POA&M ledger.
                uuid: tollgate_engine::poam::identity::asset_uuid(system, &r.kind, &r.id),
                kind: &r.kind,
                id: &r.id,
                path: f.location.as_ref().map(|l| l.path.as_str()),
            });
            assets.len() - 1
        });
        let i = *obs_index.entry((f.rule.id.as_str(), asset)).or_insert_with(|| {
            obs.push(Observation { uuid: uuid_of(&["observation", system, &f.rule.id, &r.kind, &r.id]), asset, findings: Vec::new() });
            obs.len() - 1
        });
        obs[i].findings.push(f);
    }
    (assets, obs)
}

pub(super) fn inventory_item(a: &Asset<'_>) -> Value {
    let mut item = Map::new();
    item.insert("uuid".into(), Value::from(a.uuid.clone()));
    item.insert("description".into(), Value::from(line(&format!("{} {}", a.kind, a.id))));
    let mut p = vec![
        (!a.id.trim().is_empty()).then(|| json!({"name": "asset-id", "value": a.id.trim()})),
        prop("resource-kind", a.kind),
        prop("resource-id", a.id),
    ];
    p.extend(a.path.map(|path| prop("path", path)));
    put(&mut item, "props", props(p));
    Value::Object(item)
}

fn evidence(f: &Finding) -> Value {
    let mut e = Map::new();
    let at = f.location.as_ref().map(|l| {
        let lines = if l.end_line > l.start_line { format!("{}-{}", l.start_line, l.end_line) } else { l.start_line.to_string() };
        (l, format!("{}:{lines}", l.path))
    });
    if let Some((l, _)) = &at {
        e.insert("href".into(), Value::from(crate::sarif::path_uri(&l.path)));
    }
    let message = match (f.message.trim().is_empty(), f.status) {
        (false, _) => f.message.clone(),
        (true, Status::Pass) => "passed".to_string(),
        (true, Status::Fail) => "failed".to_string(),
        (true, _) => "rule error".to_string(),
    };
    let description = match &at {
        Some((_, place)) => format!("{place}: {message}"),
        None => message,
    };
    e.insert("description".into(), Value::from(description));
    let mut p = vec![prop("result", f.status.as_str())];
    if let Some((l, _)) = &at {
        p.push(prop("path", &l.path));
        p.push(prop("start-line", &l.start_line.to_string()));
        p.push(prop("end-line", &l.end_line.to_string()));
    }
    p.push(f.property_path.as_deref().and_then(|pp| prop("property-path", pp)));
    p.push(crate::suppression_note(f).and_then(|n| prop("suppression", &n)));
    put(&mut e, "props", props(p));
    Value::Object(e)
}

/// Tollgate's own props naming the controls of a rule: `class` is the framework.
fn control_props(rule: &tollgate_engine::RuleMeta) -> Vec<Option<Value>> {
    rule.controls_by_framework()
        .into_iter()
        .flat_map(|(fw, ids)| ids.into_iter().map(move |id| prop("control", &id).map(|mut p| (p["class"] = Value::from(fw), p).1)))
        .collect()
}

pub(super) fn observation(o: &Observation<'_>, assets: &[Asset<'_>], tool: &Value, collected: &str) -> Value {
    let rule = o.rule();
    let a = &assets[o.asset];
    let result = o.result();
    let mut m = Map::new();
    m.insert("uuid".into(), Value::from(o.uuid.clone()));
    m.insert("title".into(), Value::from(line(&format!("{} on {} {}", rule.id, a.kind, a.id))));
    let verdict = match result {
        Status::Fail => "failed",
        Status::Error => "could not be evaluated (rule error)",
        _ => "passed",
    };
    m.insert("description".into(), Value::from(line(&format!("{}: {verdict}.", rule.title))));
    let mut p = vec![prop("rule-id", &rule.id), prop("result", result.as_str()), prop("severity", o.findings[0].severity.as_str())];
    p.extend(control_props(rule));
    put(&mut m, "props", props(p));
    m.insert("methods".into(), json!(["TEST"]));
    m.insert("types".into(), json!([if result == Status::Fail { "finding" } else { "control-objective" }]));
    m.insert("origins".into(), json!([{"actors": [tool]}]));
    m.insert(
        "subjects".into(),
        json!([{"subject-uuid": a.uuid, "type": "inventory-item", "title": line(&format!("{} {}", a.kind, a.id))}]),
    );
    m.insert("relevant-evidence".into(), Value::Array(o.findings.iter().map(|f| evidence(f)).collect()));
    m.insert("collected".into(), Value::from(collected));
    Value::Object(m)
}
