//! What changed between two versions of a ledger: items opened, closed and
//! reopened, and changed scheduled completion dates. Items are matched by
//! their weakness (rule id), as the ledger identifies them.

use super::model::{Day, Item, Ledger};
use crate::severity::Severity;
use serde::Serialize;
use std::collections::HashMap;

/// One item in a diff, as it is in the newer ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffItem {
    pub poam_id: String,
    pub rule_id: String,
    pub title: String,
    pub level: Severity,
    pub due: Day,
    pub assets: usize,
}

impl DiffItem {
    fn of(i: &Item) -> DiffItem {
        DiffItem {
            poam_id: i.poam_id.clone(),
            rule_id: i.rule_id.clone(),
            title: i.title.clone(),
            level: i.effective_level(),
            due: i.due,
            assets: i.assets.len(),
        }
    }
}

/// A changed scheduled completion date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rescheduled {
    pub poam_id: String,
    pub rule_id: String,
    pub title: String,
    pub from: Day,
    pub to: Day,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LedgerDiff {
    pub opened: Vec<DiffItem>,
    pub closed: Vec<DiffItem>,
    pub reopened: Vec<DiffItem>,
    pub rescheduled: Vec<Rescheduled>,
}

impl LedgerDiff {
    pub fn is_empty(&self) -> bool {
        self.opened.is_empty() && self.closed.is_empty() && self.reopened.is_empty() && self.rescheduled.is_empty()
    }
}

/// The changes from `old` to `new`, each list in the newer ledger's order.
pub fn diff(old: &Ledger, new: &Ledger) -> LedgerDiff {
    let before: HashMap<&str, &Item> = old.items.iter().map(|i| (i.rule_id.as_str(), i)).collect();
    let mut out = LedgerDiff::default();
    for item in &new.items {
        match before.get(item.rule_id.as_str()) {
            None if item.is_open() => out.opened.push(DiffItem::of(item)),
            None => {}
            Some(prev) => {
                match (prev.is_open(), item.is_open()) {
                    (true, false) => out.closed.push(DiffItem::of(item)),
                    (false, true) => out.reopened.push(DiffItem::of(item)),
                    _ => {}
                }
                if prev.due != item.due {
                    out.rescheduled.push(Rescheduled {
                        poam_id: item.poam_id.clone(),
                        rule_id: item.rule_id.clone(),
                        title: item.title.clone(),
                        from: prev.due,
                        to: item.due,
                    });
                }
            }
        }
    }
    out
}
