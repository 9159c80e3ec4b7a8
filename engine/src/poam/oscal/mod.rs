//! The ledger file: an OSCAL 1.1.3 plan-of-action-and-milestones JSON
//! document, valid against the official schema, with FedRAMP's prop
//! conventions where they fit and Tollgate's own props (namespace
//! [`TG_NS`]) for the rest, so that reading it back gives the same ledger.
//!
//! The JSON is written with two-space indentation, fields in schema order,
//! items in POA&M id order, assets in kind/id order and deterministic UUIDs
//! ([`super::identity`]): the same ledger is always the same bytes.

mod read;
mod types;
mod write;

pub use read::from_json;
pub use types::Document;
pub use write::{oscal_control_id, to_document};

use super::model::Ledger;

/// Namespace of Tollgate's props.
pub const TG_NS: &str = "https://tollgate.dev/ns/oscal";
/// Naming system of Tollgate's risk-factor facets.
pub const TG_RISK: &str = "https://tollgate.dev/ns/oscal/risk";
/// Namespace of FedRAMP's props (`POAM-ID`, `impacted-control-id`, deviations).
pub const FEDRAMP_NS: &str = "https://fedramp.gov/ns/oscal";
/// Naming system of FedRAMP's `risk` facets.
pub const FEDRAMP_SYSTEM: &str = "https://fedramp.gov/ns/oscal";
pub const OSCAL_VERSION: &str = "1.1.3";

/// The ledger as OSCAL JSON text, ending in a newline.
pub fn to_json(ledger: &Ledger) -> String {
    let mut s = serde_json::to_string_pretty(&to_document(ledger)).expect("the OSCAL types serialize");
    s.push('\n');
    s
}

/// A prop value: one line, whitespace collapsed, never empty (OSCAL
/// strings have no leading or trailing space and at least one character).
pub(crate) fn clean(s: &str) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        "-".into()
    } else {
        joined
    }
}
