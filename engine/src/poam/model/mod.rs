//! The POA&M ledger as plain data: items, their assets, risk, deviations
//! and history. Everything here is what the OSCAL ledger file stores (see
//! [`super::oscal`]) and what the reports render; nothing here does IO.
//!
//! Layout: [`Day`] is in `day.rs`; affected assets and their locations in
//! `asset.rs`; milestones and the log in `history.rs`; deviations on an item
//! in `deviation.rs`; the item itself, its status and flags in `item.rs`;
//! this module holds the [`Ledger`] and POA&M ids.

mod asset;
mod day;
mod deviation;
mod history;
mod item;
#[cfg(test)]
mod tests;

pub use asset::{location_text, parse_location, Asset, AssetKey};
pub use day::Day;
pub use deviation::{DeviationKind, DeviationState, ItemDeviation};
pub use history::{Event, LogEntry, Milestone};
pub use item::{Flag, FlagKind, Item, ItemStatus};

use crate::severity::Severity;
use serde::Serialize;

/// The whole ledger of one system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ledger {
    /// The system id the weaknesses belong to (`[system] id`, else name).
    pub system_id: String,
    pub system_name: String,
    /// FIPS 199 categorization at the last scan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categorization: Option<Severity>,
    /// Date of the last scan that updated the ledger.
    pub updated: Day,
    pub tool_version: String,
    /// Items sorted by POA&M id.
    pub items: Vec<Item>,
}

impl Ledger {
    pub fn item(&self, poam_id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.poam_id == poam_id)
    }

    pub fn item_for_rule(&self, rule_id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.rule_id == rule_id)
    }
}

/// `POAM-0001` for 1.
pub fn poam_id(n: u32) -> String {
    format!("POAM-{n:04}")
}

/// The number in a `POAM-NNNN` id.
pub fn poam_number(id: &str) -> Option<u32> {
    id.strip_prefix("POAM-")?.parse().ok()
}
