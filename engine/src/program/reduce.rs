//! One system's scan reduced to what the program report keeps.
//!
//! A program of a thousand systems cannot hold a thousand finding lists, so
//! each [`ScanReport`] becomes a [`SystemResult`] (counts per status,
//! severity and family) and its POA&M items as soon as the scan ends, and
//! the report is dropped.
//!
//! The POA&M items come from [`crate::poam::update`] on an empty ledger: the
//! same drafting, risk model (with the system's categorization and `[poam]`
//! exposure) and schedule as `tollgate scan --poam`, so an item here scores
//! exactly as it would in the system's own ledger and has the same UUID.

use super::model::{
    FamilyCell, GateVerdict, ItemRisk, ProgramPoamItem, RiskFactor, SeverityCounts, StatusCounts, SystemResult, SystemSprs, SystemStatus,
    MAX_ASSETS_LISTED,
};
use crate::poam::{identity, merge::system_key, model::Asset, Day, PoamSettings, UpdateInput};
use crate::result::{ScanReport, Status, SystemInfo};
use crate::severity::Severity;
use std::collections::{BTreeMap, BTreeSet};

/// One scanned system: its row of the report and its POA&M items.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemScan {
    /// The system's row.
    pub result: SystemResult,
    /// Its POA&M items, in no particular order (the builder sorts).
    pub poam: Vec<ProgramPoamItem>,
}

/// The id and name a system goes by: `[system] id` else its path; `[system] name` else the id.
pub fn identity_of(path: &str, info: &SystemInfo) -> (String, String) {
    let id = info.id.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| path.to_string());
    let name = info.name.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| id.clone());
    (id, name)
}

/// `num / den` in percent with one decimal, rounded half up; `None` when `den` is 0.
pub fn percent(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| ((num as u128 * 1000 + den as u128 / 2) / den as u128) as f64 / 10.0)
}

/// A system that could not be scanned. `info` is its `[system]` table when
/// that much could be read.
pub fn broken(path: &str, info: Option<&SystemInfo>, error: String) -> SystemResult {
    let default = SystemInfo::default();
    let info = info.unwrap_or(&default);
    let (id, name) = identity_of(path, info);
    SystemResult {
        id,
        name,
        path: path.to_string(),
        categorization: info.categorization,
        owner: info.owner.clone(),
        isso: info.isso.clone(),
        status: SystemStatus::Broken,
        error: Some(error),
        gate: GateVerdict::Fail,
        findings: StatusCounts::default(),
        failures_by_severity: SeverityCounts::default(),
        pass_rate: None,
        files_scanned: 0,
        resources: 0,
        rules_run: 0,
        input_errors: 0,
        rule_errors: 0,
        families: BTreeMap::new(),
        framework: None,
        sprs: None,
        poam_items: 0,
        max_risk: None,
    }
}

/// Reduces a finished scan of the system at `path` (relative to the program
/// directory). `report.framework` is the program's framework view, if any.
pub fn reduce(path: &str, report: &ScanReport, gate: &crate::Gate, settings: &PoamSettings) -> SystemScan {
    let (id, name) = identity_of(path, &report.system);
    let mut findings = StatusCounts::default();
    let mut failures_by_severity = SeverityCounts::default();
    let mut families: BTreeMap<String, FamilyCell> = BTreeMap::new();
    for f in &report.findings {
        match f.status {
            Status::Pass => findings.pass += 1,
            Status::Fail => {
                findings.fail += 1;
                *severity_slot(&mut failures_by_severity, f.severity) += 1;
            }
            Status::Error => findings.error += 1,
            Status::Skip => findings.skip += 1,
            Status::Suppressed => findings.suppressed += 1,
        }
        // As in the framework view, a suppressed failure is still a gap of its families.
        let column: fn(&mut FamilyCell) -> &mut usize = match f.status {
            Status::Pass => |c| &mut c.pass,
            Status::Fail | Status::Suppressed => |c| &mut c.fail,
            Status::Error => |c| &mut c.error,
            Status::Skip => continue,
        };
        let codes: BTreeSet<&str> = f.rule.controls.iter().filter_map(|c| c.split('-').next()).filter(|c| !c.is_empty()).collect();
        for code in codes {
            *column(families.entry(code.to_string()).or_default()) += 1;
        }
    }
    let view = report.framework.as_ref();
    let framework = view.map(|v| v.totals.clone());
    let sprs = view.and_then(|v| v.sprs.as_ref()).map(|s| SystemSprs {
        score: s.score,
        max: s.max,
        deducted: s.deducted,
        conditional_l2: s.conditional_l2,
    });
    let poam = poam_items(&id, &name, report, settings);
    let result = SystemResult {
        id,
        name,
        path: path.to_string(),
        categorization: report.system.categorization,
        owner: report.system.owner.clone(),
        isso: report.system.isso.clone(),
        status: SystemStatus::Ok,
        error: None,
        gate: if report.gate_fails(gate) { GateVerdict::Fail } else { GateVerdict::Pass },
        pass_rate: percent(findings.pass, findings.pass + findings.fail),
        findings,
        failures_by_severity,
        files_scanned: report.summary.files_scanned,
        resources: report.summary.resources,
        rules_run: report.summary.rules_run,
        input_errors: report.summary.input_errors,
        rule_errors: report.summary.rule_errors,
        families,
        framework,
        sprs,
        poam_items: poam.len(),
        max_risk: poam.iter().map(|i| i.risk.score).max(),
    };
    SystemScan { result, poam }
}

/// The count of `s` in `counts`.
pub fn severity_slot(counts: &mut SeverityCounts, s: Severity) -> &mut usize {
    match s {
        Severity::Critical => &mut counts.critical,
        Severity::High => &mut counts.high,
        Severity::Moderate => &mut counts.moderate,
        Severity::Low => &mut counts.low,
    }
}

/// The items a first `tollgate scan --poam` of this scan would open.
fn poam_items(id: &str, name: &str, report: &ScanReport, settings: &PoamSettings) -> Vec<ProgramPoamItem> {
    let input =
        UpdateInput { report, settings, deviations: &[], today: Day::from_unix(report.scan_time), tool_version: env!("CARGO_PKG_VERSION") };
    let (ledger, _) = crate::poam::update(None, &input);
    let key = system_key(&report.system);
    ledger
        .items
        .into_iter()
        .map(|item| ProgramPoamItem {
            system: id.to_string(),
            system_name: name.to_string(),
            uuid: identity::item_uuid(&key, &item.rule_id),
            title: item.title,
            severity: item.severity,
            controls: item.controls,
            nist_800_171: item.nist_800_171,
            risk: ItemRisk {
                score: item.risk.score,
                level: item.risk.level,
                factors: item.risk.factors.into_iter().map(|f| RiskFactor { name: f.name, value: f.value, points: f.points }).collect(),
            },
            affected: item.assets.len(),
            assets: item.assets.iter().take(MAX_ASSETS_LISTED).map(Asset::identifier).collect(),
            due: item.due.to_string(),
            point_of_contact: item.point_of_contact,
            remediation: item.remediation,
            rule_id: item.rule_id,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up_to_one_decimal() {
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(1, 8), Some(12.5));
        assert_eq!(percent(0, 5), Some(0.0));
        assert_eq!(percent(5, 5), Some(100.0));
        assert_eq!(percent(1, 0), None);
        assert_eq!(percent(1, 2000), Some(0.1), "0.05% rounds up");
    }

    #[test]
    fn ids_and_names_fall_back_to_the_path() {
        let info = SystemInfo { name: Some("Ledger".into()), ..SystemInfo::default() };
        assert_eq!(identity_of("teams/ledger", &info), ("teams/ledger".to_string(), "Ledger".to_string()));
        let info = SystemInfo { id: Some("LED-1".into()), ..SystemInfo::default() };
        assert_eq!(identity_of("ledger", &info), ("LED-1".to_string(), "LED-1".to_string()));
        let b = broken("x", None, "bad".into());
        assert_eq!((b.id.as_str(), b.status, b.gate, b.error.as_deref()), ("x", SystemStatus::Broken, GateVerdict::Fail, Some("bad")));
    }
}
