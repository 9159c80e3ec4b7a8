//! The trend: this program report against an earlier one (`--previous`).
//!
//! Systems are matched by id. Those in only one report are listed as added
//! or removed; for the others, and for the program as a whole, each measure
//! is given then and now with the change. Everything is computed from the
//! two reports alone, so the trend is as deterministic as they are.

use super::model::{CountChange, ProgramReport, ProgramTrend, RateChange, ScoreChange, SystemResult, SystemTrend, Trend};
use std::collections::BTreeMap;

/// The trend from `previous` to `current`.
pub fn compute(previous: &ProgramReport, current: &ProgramReport) -> Trend {
    let before: BTreeMap<&str, &SystemResult> = previous.systems.iter().map(|s| (s.id.as_str(), s)).collect();
    let now: BTreeMap<&str, &SystemResult> = current.systems.iter().map(|s| (s.id.as_str(), s)).collect();
    let systems = now
        .iter()
        .filter_map(|(id, cur)| {
            let prev = before.get(id)?;
            Some(SystemTrend {
                id: id.to_string(),
                failures: count(prev.findings.fail, cur.findings.fail),
                pass_rate: rate(prev.pass_rate, cur.pass_rate),
                sprs: score(prev.sprs.and_then(|s| s.score), cur.sprs.and_then(|s| s.score)),
                poam_items: count(prev.poam_items, cur.poam_items),
                previous_status: (prev.status != cur.status).then_some(prev.status),
            })
        })
        .collect();
    let (p, c) = (&previous.totals, &current.totals);
    Trend {
        previous_scan_time: previous.scan_time.clone(),
        systems_added: now.keys().filter(|id| !before.contains_key(*id)).map(|s| s.to_string()).collect(),
        systems_removed: before.keys().filter(|id| !now.contains_key(*id)).map(|s| s.to_string()).collect(),
        program: ProgramTrend {
            failures: count(p.findings.fail, c.findings.fail),
            pass_rate: rate(p.pass_rate, c.pass_rate),
            sprs_average: rate(p.sprs.as_ref().and_then(|s| s.average), c.sprs.as_ref().and_then(|s| s.average)),
            poam_items: count(p.poam_items, c.poam_items),
            systems_broken: count(p.systems_broken, c.systems_broken),
        },
        systems,
    }
}

fn count(previous: usize, current: usize) -> CountChange {
    let signed = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    CountChange { previous, current, change: signed(current) - signed(previous) }
}

/// Percentages carry one decimal, so the change is rounded to one too
/// (66.7 − 50.0 is 16.7, not 16.700000000000003).
fn rate(previous: Option<f64>, current: Option<f64>) -> RateChange {
    let change = previous.zip(current).map(|(p, c)| ((c - p) * 10.0).round() / 10.0);
    RateChange { previous, current, change }
}

fn score(previous: Option<i32>, current: Option<i32>) -> ScoreChange {
    ScoreChange { previous, current, change: previous.zip(current).map(|(p, c)| c - p) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_signed_and_rounded() {
        assert_eq!(count(5, 2).change, -3);
        assert_eq!(rate(Some(50.0), Some(66.7)).change, Some(16.7));
        assert_eq!(rate(None, Some(66.7)).change, None);
        assert_eq!(score(Some(90), Some(84)).change, Some(-6));
    }
}
