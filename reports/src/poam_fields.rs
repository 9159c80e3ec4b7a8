//! The FedRAMP POA&M template's columns, and one item as a row of them.
//!
//! The 31 column headers (A–AE) are the facts of row 5 of FedRAMP's
//! "FedRAMP-POAM-Template.xlsx" (template version 2.1), in its order, on its
//! "Open POA&M Items" and "Closed POA&M Items" sheets. The xlsx and CSV
//! exports both use them.

use tollgate_engine::poam::model::{DeviationKind, Item, Ledger};
use tollgate_engine::poam::Day;
use tollgate_engine::Severity;

/// Column headers A–AE of the FedRAMP POA&M template, in order.
pub const FEDRAMP_COLUMNS: [&str; 31] = [
    "POAM ID",
    "Controls",
    "Weakness Name",
    "Weakness Description",
    "Weakness Detector Source",
    "Weakness Source Identifier",
    "Asset Identifier",
    "Point of Contact",
    "Resources Required",
    "Overall Remediation Plan",
    "Original Detection Date",
    "Scheduled Completion Date",
    "Planned Milestones",
    "Milestone Changes",
    "Status Date",
    "Vendor Dependency",
    "Last Vendor Check-in Date",
    "Vendor Dependent Product Name",
    "Original Risk Rating",
    "Adjusted Risk Rating",
    "Risk Adjustment",
    "False Positive",
    "Operational Requirement",
    "Deviation Rationale",
    "Supporting Documents",
    "Comments",
    "Auto-Approve",
    "Binding Operational Directive 22-01 tracking",
    "Binding Operational Directive 22-01 Due Date",
    "CVE",
    "Service Name",
];

/// Sheet names of the template that the export fills.
pub const OPEN_SHEET: &str = "Open POA&M Items";
pub const CLOSED_SHEET: &str = "Closed POA&M Items";

/// The columns that hold dates (0-based): detection, completion, status, vendor check-in.
pub const DATE_COLUMNS: [usize; 4] = [10, 11, 14, 16];

/// One cell of a row: text, or a day (written as a date in spreadsheets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Date(Day),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Date(d) => d.to_string(),
        }
    }
}

/// "High" for high: the template writes ratings capitalised.
pub fn rating(s: Severity) -> String {
    let s = s.as_str();
    s[..1].to_ascii_uppercase() + &s[1..]
}

fn yes_no(b: bool) -> String {
    if b { "Yes" } else { "No" }.to_string()
}

/// Weakness description: the rule's rationale, then each asset's finding.
pub fn weakness_description(item: &Item) -> String {
    let mut out = item.description.trim().to_string();
    for a in &item.assets {
        out.push_str(&format!("\n- {} {} ({}): {}", a.kind, a.id, a.where_(), a.message));
    }
    out
}

/// The risk score and its factors, as the Comments column explains them.
pub fn risk_explanation(item: &Item) -> String {
    let factors: Vec<String> = item.risk.factors.iter().map(|f| format!("{} {} ({:+})", f.name, f.value, f.points)).collect();
    format!("Risk score {} ({}) = {}; see docs/risk.md.", item.risk.score, item.risk.level, factors.join(", "))
}

/// The 31 cells of `item`, in [`FEDRAMP_COLUMNS`] order.
pub fn fedramp_row(ledger: &Ledger, item: &Item) -> Vec<Cell> {
    let t = Cell::Text;
    let vendor = item.applied(DeviationKind::VendorDependency);
    let rationale: Vec<String> = item
        .deviations
        .iter()
        .filter(|d| d.state == tollgate_engine::poam::model::DeviationState::Applied)
        .map(|d| format!("{}: {} (approved by {} on {}, expires {})", d.kind.title(), d.justification, d.approver, d.approved, d.expires))
        .collect();
    let mut comments = vec![risk_explanation(item)];
    comments.extend(item.flags.iter().map(|f| format!("Flag ({}): {}", f.kind.as_str(), f.text)));
    if let Some(c) = item.comments.as_deref().filter(|c| !c.trim().is_empty()) {
        comments.push(c.trim().to_string());
    }
    let milestones: Vec<String> = item.milestones.iter().map(|m| format!("{}: {}. {}", m.due, m.title, m.description)).collect();
    let changes: Vec<String> = item.milestone_changes().map(|e| format!("{}: {}", e.date, e.text)).collect();
    vec![
        t(item.poam_id.clone()),
        t(item.controls.join(", ")),
        t(item.title.clone()),
        t(weakness_description(item)),
        t(item.detector_source()),
        t(item.rule_id.clone()),
        t(item.assets.iter().map(|a| a.identifier()).collect::<Vec<_>>().join("\n")),
        t(item.point_of_contact.clone()),
        t(item.resources_required.clone()),
        t(item.remediation.clone()),
        Cell::Date(item.detected),
        Cell::Date(item.due),
        t(milestones.join("\n")),
        t(changes.join("\n")),
        Cell::Date(item.status_date()),
        t(yes_no(vendor.is_some())),
        vendor.and_then(|v| v.vendor_checkin).map_or_else(|| t(String::new()), Cell::Date),
        t(vendor.and_then(|v| v.vendor_product.clone()).unwrap_or_default()),
        t(rating(item.risk.level)),
        t(item.adjusted_risk.map(rating).unwrap_or_default()),
        t(yes_no(item.applied(DeviationKind::RiskAdjustment).is_some())),
        t(yes_no(item.applied(DeviationKind::FalsePositive).is_some())),
        t(yes_no(item.applied(DeviationKind::OperationalRequirement).is_some())),
        t(rationale.join("\n")),
        t(String::new()),
        t(comments.join("\n")),
        t("No".into()),
        t("No".into()),
        t(String::new()),
        t(String::new()),
        t(ledger.system_name.clone()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_the_templates_a_to_ae() {
        assert_eq!(FEDRAMP_COLUMNS.len(), 31);
        assert_eq!(FEDRAMP_COLUMNS[0], "POAM ID");
        assert_eq!(FEDRAMP_COLUMNS[30], "Service Name");
        for i in DATE_COLUMNS {
            assert!(FEDRAMP_COLUMNS[i].contains("Date"), "{}", FEDRAMP_COLUMNS[i]);
        }
        assert_eq!(rating(Severity::Moderate), "Moderate");
    }
}
