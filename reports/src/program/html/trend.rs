//! The trend against the previous program report, worded for the page:
//! every measure as previous, current and a signed change, marked better or
//! worse (fewer failures and items, higher pass rates and scores are better).

use crate::program::text::{rate, signed, signed_rate, status, Direction};
use serde::Serialize;
use std::collections::BTreeMap;
use tollgate_engine::program::{CountChange, ProgramReport, RateChange, ScoreChange, SystemStatus, Trend};

#[derive(Serialize)]
pub struct Delta {
    previous: String,
    current: String,
    change: String,
    direction: &'static str,
}

#[derive(Serialize)]
pub struct Measure {
    label: &'static str,
    delta: Delta,
}

#[derive(Serialize)]
pub struct SystemDelta {
    id: String,
    name: String,
    failures: Delta,
    pass_rate: Delta,
    sprs: Delta,
    poam_items: Delta,
    /// `broken → ok` when the status changed.
    status: String,
}

#[derive(Serialize)]
pub struct TrendView {
    previous_scan_time: String,
    program: Vec<Measure>,
    added: Vec<String>,
    removed: Vec<String>,
    systems: Vec<SystemDelta>,
}

fn count(c: &CountChange, higher_is_better: bool) -> Delta {
    Delta {
        previous: c.previous.to_string(),
        current: c.current.to_string(),
        change: signed(c.change),
        direction: Direction::of(c.change as f64, higher_is_better).as_str(),
    }
}

fn percent(c: &RateChange) -> Delta {
    Delta {
        previous: rate(c.previous),
        current: rate(c.current),
        change: signed_rate(c.change),
        direction: Direction::of(c.change.unwrap_or(0.0), true).as_str(),
    }
}

fn mean(c: &RateChange) -> Delta {
    let text = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| format!("{v:.1}"));
    Delta { previous: text(c.previous), current: text(c.current), ..percent(c) }
}

fn score(c: &ScoreChange) -> Delta {
    let text = |v: Option<i32>| v.map_or_else(|| "–".to_string(), |v| v.to_string());
    Delta {
        previous: text(c.previous),
        current: text(c.current),
        change: c.change.map_or_else(|| "–".to_string(), |n| signed(i64::from(n))),
        direction: Direction::of(f64::from(c.change.unwrap_or(0)), true).as_str(),
    }
}

/// The trend section of `report` (whose trend `t` is).
pub fn view(t: &Trend, report: &ProgramReport) -> TrendView {
    let now: BTreeMap<&str, (&str, SystemStatus)> = report.systems.iter().map(|s| (s.id.as_str(), (s.name.as_str(), s.status))).collect();
    let p = &t.program;
    TrendView {
        previous_scan_time: t.previous_scan_time.clone(),
        program: vec![
            Measure { label: "Failing findings", delta: count(&p.failures, false) },
            Measure { label: "Pass rate", delta: percent(&p.pass_rate) },
            Measure { label: "Mean SPRS score", delta: mean(&p.sprs_average) },
            Measure { label: "POA&M items", delta: count(&p.poam_items, false) },
            Measure { label: "Broken systems", delta: count(&p.systems_broken, false) },
        ],
        added: t.systems_added.clone(),
        removed: t.systems_removed.clone(),
        systems: t
            .systems
            .iter()
            .map(|s| {
                let (name, current) = now.get(s.id.as_str()).copied().unwrap_or((s.id.as_str(), SystemStatus::Ok));
                SystemDelta {
                    id: s.id.clone(),
                    name: name.to_string(),
                    failures: count(&s.failures, false),
                    pass_rate: percent(&s.pass_rate),
                    sprs: score(&s.sprs),
                    poam_items: count(&s.poam_items, false),
                    status: s.previous_status.map_or_else(String::new, |was| format!("{} → {}", status(was), status(current))),
                }
            })
            .collect(),
    }
}
