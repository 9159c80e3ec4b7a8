//! `tollgate poam show` and `tollgate poam diff`: the ledger and the
//! changes between two ledgers, as a terminal table or as JSON.

use crate::clip;
use crate::style::{paint, severity_style, Style};
use serde_json::{json, Value};
use std::fmt::Write;
use tollgate_engine::poam::diff::LedgerDiff;
use tollgate_engine::poam::{Day, Item, Ledger};

/// Which items `poam show` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    All,
    /// Detected and not an approved false positive ("Open POA&M Items").
    Open,
    /// Closed, or an approved false positive ("Closed POA&M Items").
    Closed,
    /// Open and past the scheduled completion date.
    Overdue,
}

impl Selection {
    pub fn keeps(self, item: &Item, today: Day) -> bool {
        match self {
            Selection::All => true,
            Selection::Open => !item.on_closed_sheet(),
            Selection::Closed => item.on_closed_sheet(),
            Selection::Overdue => item.days_overdue(today).is_some(),
        }
    }
}

/// The items of `ledger` that `selection` keeps, as of `today`.
pub fn select(ledger: &Ledger, selection: Selection, today: Day) -> Vec<&Item> {
    ledger.items.iter().filter(|i| selection.keeps(i, today)).collect()
}

/// The ledger as a table.
pub fn render_table(ledger: &Ledger, selection: Selection, today: Day, color: bool) -> String {
    let items = select(ledger, selection, today);
    let open = ledger.items.iter().filter(|i| !i.on_closed_sheet()).count();
    let overdue = ledger.items.iter().filter(|i| i.days_overdue(today).is_some()).count();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · {} ({}) · {open} open ({overdue} overdue), {} closed · as of {today}\n",
        paint("POA&M", Style::Bold, color),
        ledger.system_name,
        ledger.system_id,
        ledger.items.len() - open,
    );
    if items.is_empty() {
        let _ = writeln!(out, "No items.");
        return out;
    }
    let _ = writeln!(out, "{:<10} {:<18} {:<13} {:<10}  {:>6}  {:<16} WEAKNESS", "ID", "STATUS", "RISK", "DUE", "ASSETS", "RULE");
    for item in items {
        let level = item.effective_level();
        let risk = format!("{:<8} {:>3}", level.as_str(), item.risk.score);
        let adjusted = if item.adjusted_risk.is_some() { "*" } else { " " };
        let _ = writeln!(
            out,
            "{:<10} {:<18} {}{adjusted}{:<10}  {:>6}  {:<16} {}",
            item.poam_id,
            item.risk_status(),
            paint(&risk, severity_style(level), color),
            item.due.to_string(),
            item.assets.len(),
            item.rule_id,
            clip(&item.title, 60),
        );
        let late = item.days_overdue(today).map(|d| format!("overdue: {d} day(s) past {}", item.due));
        for text in late.into_iter().chain(item.flags.iter().filter(|f| f.kind.as_str() != "overdue").map(|f| f.text.clone())) {
            let _ = writeln!(out, "{:<10} {}", "", paint(&format!("! {text}"), Style::Yellow, color));
        }
    }
    if ledger.items.iter().any(|i| i.adjusted_risk.is_some()) {
        let _ = writeln!(out, "\n* adjusted risk rating (a risk adjustment applies); RISK shows the adjusted level and the computed score");
    }
    out
}

/// The ledger as JSON: the items (every field of the model), each with its
/// OSCAL `risk_status` and `days_overdue` as of `today`.
pub fn render_json(ledger: &Ledger, selection: Selection, today: Day) -> Vec<u8> {
    let items: Vec<Value> = select(ledger, selection, today)
        .into_iter()
        .map(|i| {
            let mut v = serde_json::to_value(i).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("risk_status".into(), json!(i.risk_status()));
                m.insert("days_overdue".into(), json!(i.days_overdue(today)));
            }
            v
        })
        .collect();
    let doc = json!({
        "system": { "id": ledger.system_id, "name": ledger.system_name, "categorization": ledger.categorization },
        "updated": ledger.updated,
        "as_of": today,
        "items": items,
    });
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}

/// A diff as a table.
pub fn render_diff_table(diff: &LedgerDiff, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} opened, {} closed, {} reopened, {} rescheduled",
        paint("POA&M diff", Style::Bold, color),
        diff.opened.len(),
        diff.closed.len(),
        diff.reopened.len(),
        diff.rescheduled.len()
    );
    for (what, list) in [("opened", &diff.opened), ("closed", &diff.closed), ("reopened", &diff.reopened)] {
        for i in list {
            let level = paint(&format!("{:<8}", i.level.as_str()), severity_style(i.level), color);
            let _ = writeln!(out, "{what:<11} {:<10} {:<16} {level} due {}  {}", i.poam_id, i.rule_id, i.due, clip(&i.title, 60));
        }
    }
    for r in &diff.rescheduled {
        let _ = writeln!(out, "{:<11} {:<10} {:<16} {} → {}  {}", "rescheduled", r.poam_id, r.rule_id, r.from, r.to, clip(&r.title, 50));
    }
    out
}

pub fn render_diff_json(diff: &LedgerDiff) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(diff).unwrap_or_default();
    out.push(b'\n');
    out
}
