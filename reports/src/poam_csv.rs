//! The ledger as CSV: one row per item, the FedRAMP template's 31 columns
//! in its order, then Tollgate's `Item Status` (the OSCAL risk status),
//! `Days Overdue` (as of the ledger's date) and `Risk Score`. RFC 4180 with
//! CRLF, like the findings CSV; cells a spreadsheet would run as a formula
//! are defused.

use crate::csv::defuse;
use crate::poam_fields::{fedramp_row, FEDRAMP_COLUMNS};
use tollgate_engine::poam::Ledger;

/// Tollgate's columns after the template's.
pub const EXTRA_COLUMNS: [&str; 3] = ["Item Status", "Days Overdue", "Risk Score"];

pub fn render(ledger: &Ledger) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(FEDRAMP_COLUMNS.iter().chain(EXTRA_COLUMNS.iter()));
    for item in &ledger.items {
        let mut row: Vec<String> = fedramp_row(ledger, item).iter().map(|c| defuse(&c.text())).collect();
        row.push(item.risk_status().to_string());
        row.push(item.days_overdue(ledger.updated).map(|d| d.to_string()).unwrap_or_default());
        row.push(item.risk.score.to_string());
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}
