//! OSCAL 1.1.3 assessment results (`assessment-results`), JSON.
//!
//! One document, one `result` per scan. The mapping is documented in
//! `docs/reports.md` ("OSCAL assessment results"); in short:
//!
//! - `observations`: one per rule × resource that was judged (pass, fail or
//!   error), with the resource as an `inventory-item` subject and every
//!   finding's `path:line` as `relevant-evidence`;
//! - `risks`: one per failing observation, `open`, with the severity as a
//!   characterization facet and the rule's remediation as a recommendation;
//! - `findings`: one per SP 800-53 control that the rules gave a verdict on
//!   (`satisfied` / `not-satisfied`, targeting the control's statement,
//!   `ac-6.10_smt`), from the same roll-up as the HTML report
//!   ([`crate::assessed`]).
//!
//! Every UUID is a version 5 UUID of a stable identity (system, rule,
//! resource, control) in a fixed namespace ([`namespace`]), so scanning the
//! same configuration twice gives the same document apart from the times.
//! Inventory items and the Tollgate component take the POA&M ledger's UUIDs
//! (`tollgate_engine::poam::identity`), so a POA&M item's subject is the same
//! inventory item as the observations here.

use crate::assessed::{self, scan_started, timestamp};
use crate::{count, fail_on_name, verdict, RenderOptions};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use tollgate_engine::framework::ControlStatus;
use tollgate_engine::{Finding, ScanReport, Status};
use uuid::Uuid;

/// The OSCAL version the document conforms to.
pub const OSCAL_VERSION: &str = "1.1.3";
/// Namespace of Tollgate's own `props` and characterization facets.
pub const NS: &str = "https://tollgate.dev/ns/oscal";
/// The `import-ap` placeholder's back-matter resource is named by this
/// identity (see [`render`] and `docs/reports.md`).
const ASSESSMENT_PLAN: &str = "assessment-plan";

/// The namespace of every UUID in the document: the v5 UUID of
/// `https://tollgate.dev/ns/oscal/assessment-results` in the RFC 4122 URL namespace.
pub fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://tollgate.dev/ns/oscal/assessment-results")
}

/// The v5 UUID of `parts`, joined with a separator that cannot occur in ids.
pub fn uuid_of(parts: &[&str]) -> String {
    Uuid::new_v5(&namespace(), parts.join("\u{1f}").as_bytes()).to_string()
}

/// The OSCAL control id of an SP 800-53 id: `ac-6.10` for `AC-6(10)`.
pub fn control_id(id: &str) -> String {
    id.trim().to_ascii_lowercase().replace('(', ".").replace(')', "")
}

/// A property in Tollgate's namespace; `None` for a value OSCAL would reject
/// (empty, or with leading or trailing white space only).
fn prop(name: &str, value: &str) -> Option<Value> {
    let value = value.trim();
    (!value.is_empty()).then(|| json!({"name": name, "ns": NS, "value": value}))
}

fn props(items: impl IntoIterator<Item = Option<Value>>) -> Vec<Value> {
    items.into_iter().flatten().collect()
}

/// Sets `key` to `items` unless there are none (OSCAL arrays have at least one item).
fn put(map: &mut Map<String, Value>, key: &str, items: Vec<Value>) {
    if !items.is_empty() {
        map.insert(key.into(), Value::Array(items));
    }
}

/// A `title`/`description` string: OSCAL markup-line cannot hold line breaks.
fn line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Which system the document is about, as the POA&M keys it: its id, else its name, else `system`.
fn system_key(report: &ScanReport) -> String {
    tollgate_engine::poam::merge::system_key(&report.system)
}

/// One resource the rules judged: an inventory item.
struct Asset<'a> {
    uuid: String,
    kind: &'a str,
    id: &'a str,
    path: Option<&'a str>,
}

/// One rule on one resource: its findings, in report order.
struct Observation<'a> {
    uuid: String,
    asset: usize,
    findings: Vec<&'a Finding>,
}

impl Observation<'_> {
    fn rule(&self) -> &tollgate_engine::RuleMeta {
        &self.findings[0].rule
    }

    /// `fail` if any finding failed, else `error` if any errored, else `pass`.
    fn result(&self) -> Status {
        [Status::Fail, Status::Error].into_iter().find(|s| self.findings.iter().any(|f| f.status == *s)).unwrap_or(Status::Pass)
    }
}

/// Assets and observations in report order: every finding with a resource
/// and a verdict (pass, fail, error). Skips are not observations: nothing
/// was judged.
fn observations<'a>(report: &'a ScanReport, system: &str) -> (Vec<Asset<'a>>, Vec<Observation<'a>>) {
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

fn inventory_item(a: &Asset<'_>) -> Value {
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

fn observation(o: &Observation<'_>, assets: &[Asset<'_>], tool: &Value, collected: &str) -> Value {
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

fn risk(o: &Observation<'_>, assets: &[Asset<'_>], tool: &Value, system: &str) -> Value {
    let rule = o.rule();
    let a = &assets[o.asset];
    let failures: Vec<&&Finding> = o.findings.iter().filter(|f| f.status == Status::Fail).collect();
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
fn findings(report: &ScanReport, obs: &[Observation<'_>], risk_of: &BTreeMap<&str, String>, system: &str) -> (Vec<Value>, Vec<String>) {
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
            "Automated assessment of configuration files: {} over {} in {}. {} failed, {} passed, {}, {} skipped. The gate (--fail-on {}) says {}.",
            plural(s.rules_run, "rule", "rules"),
            plural(s.resources, "resource", "resources"),
            plural(s.files_scanned, "file", "files"),
            count(report, Status::Fail),
            count(report, Status::Pass),
            plural(errors, "error", "errors"),
            count(report, Status::Skip),
            fail_on_name(options.fail_on),
            verdict(report, options.fail_on),
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
                prop("verdict", verdict(report, options.fail_on)),
                prop("fail-on", &fail_on_name(options.fail_on)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{finding, meta, report};
    use tollgate_engine::Severity;

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
}
