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
//!
//! Layout: this module holds the identities (UUIDs, control ids) and the
//! `props` helpers; `observations.rs` builds the assets and observations,
//! `findings.rs` the risks and per-control findings, and `document.rs`
//! ([`render`]) the document around them.

mod document;
mod findings;
mod observations;
#[cfg(test)]
mod tests;

pub use document::render;

use serde_json::{json, Map, Value};
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
