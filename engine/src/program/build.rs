//! The program report from per-system results: the one function both a
//! single-machine run and `tollgate merge` call, so their reports are the
//! same bytes.
//!
//! Everything derived is recomputed here from counts (pass rates, item
//! counts, totals), never taken from a shard file, and every list has a
//! total order, so neither the order systems finished in nor which shard
//! they came from can show in the output.

use super::model::{
    ControlRollup, FamilyCell, GateVerdict, ProgramInfo, ProgramPoamItem, ProgramReport, ProgramTotals, SprsRollup, SystemResult,
    SystemStatus, REPORT_KIND, SCHEMA_VERSION,
};
use super::reduce::{broken, percent, severity_slot};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

/// Everything a program report is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramInput {
    pub program: ProgramInfo,
    /// The scan clock, Unix seconds.
    pub scan_time: i64,
    /// Framework id, when systems were viewed against one.
    pub framework: Option<String>,
    /// Program-wide gate threshold, when one was set.
    pub fail_on: Option<String>,
    pub systems: Vec<SystemResult>,
    pub poam: Vec<ProgramPoamItem>,
}

/// Builds the report; `previous` (an earlier program report) adds the trend.
pub fn build(input: ProgramInput, previous: Option<&ProgramReport>) -> ProgramReport {
    let ProgramInput { program, scan_time, framework, fail_on, mut systems, mut poam } = input;
    mark_duplicate_ids(&mut systems, &mut poam);
    systems.sort_by(|a, b| (&a.id, &a.path).cmp(&(&b.id, &b.path)));
    poam.sort_by(|a, b| {
        (Reverse(a.risk.score), &a.system, &a.rule_id, &a.uuid).cmp(&(Reverse(b.risk.score), &b.system, &b.rule_id, &b.uuid))
    });

    let mut per_system: BTreeMap<&str, (usize, u8)> = BTreeMap::new();
    for item in &poam {
        let e = per_system.entry(item.system.as_str()).or_default();
        e.0 += 1;
        e.1 = e.1.max(item.risk.score);
    }
    for s in &mut systems {
        s.pass_rate = percent(s.findings.pass, s.findings.pass + s.findings.fail);
        if let Some(f) = &mut s.framework {
            f.percent_satisfied = percent(f.satisfied, f.total - f.not_applicable.min(f.total)).unwrap_or(0.0);
        }
        let (items, max) = per_system.get(s.id.as_str()).copied().unwrap_or_default();
        (s.poam_items, s.max_risk) = (items, (items > 0).then_some(max));
    }

    let totals = totals(&systems, &poam, framework.as_deref());
    let families: Vec<String> = totals.families.keys().cloned().collect();
    let gate = if systems.iter().any(|s| s.gate == GateVerdict::Fail) { GateVerdict::Fail } else { GateVerdict::Pass };
    let mut report = ProgramReport {
        kind: REPORT_KIND.into(),
        schema_version: SCHEMA_VERSION.into(),
        tool: "tollgate".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        program,
        scan_time: crate::api::dates::rfc3339(scan_time),
        framework,
        fail_on,
        gate,
        worst_controls: worst_controls(&poam),
        families,
        totals,
        systems,
        poam,
        trend: None,
    };
    report.trend = previous.map(|p| super::trend::compute(p, &report));
    report
}

/// Systems that share an id cannot be told apart in the report or the
/// POA&M, so every one of them is broken, and their items dropped.
fn mark_duplicate_ids(systems: &mut [SystemResult], poam: &mut Vec<ProgramPoamItem>) {
    let mut paths: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in systems.iter() {
        paths.entry(s.id.clone()).or_default().push(s.path.clone());
    }
    paths.retain(|_, p| p.len() > 1);
    if paths.is_empty() {
        return;
    }
    for s in systems.iter_mut() {
        if let Some(p) = paths.get(&s.id) {
            let mut all = p.clone();
            all.sort();
            let message =
                format!("system id `{}` is used by {} systems ({}); ids must be unique in a program", s.id, all.len(), all.join(", "));
            let info = crate::SystemInfo {
                name: Some(s.name.clone()),
                id: Some(s.id.clone()),
                categorization: s.categorization,
                owner: s.owner.clone(),
                isso: s.isso.clone(),
            };
            *s = broken(&s.path, Some(&info), message);
        }
    }
    poam.retain(|i| !paths.contains_key(&i.system));
}

fn totals(systems: &[SystemResult], poam: &[ProgramPoamItem], framework: Option<&str>) -> ProgramTotals {
    let mut t = ProgramTotals { systems: systems.len(), poam_items: poam.len(), ..ProgramTotals::default() };
    for s in systems {
        match s.status {
            SystemStatus::Ok => t.systems_ok += 1,
            SystemStatus::Broken => t.systems_broken += 1,
        }
        t.systems_failing += usize::from(s.gate == GateVerdict::Fail);
        let (f, x) = (&mut t.findings, &s.findings);
        (f.fail, f.error, f.pass, f.skip, f.suppressed) =
            (f.fail + x.fail, f.error + x.error, f.pass + x.pass, f.skip + x.skip, f.suppressed + x.suppressed);
        let (f, x) = (&mut t.failures_by_severity, &s.failures_by_severity);
        (f.critical, f.high, f.moderate, f.low) = (f.critical + x.critical, f.high + x.high, f.moderate + x.moderate, f.low + x.low);
        t.input_errors += s.input_errors;
        t.rule_errors += s.rule_errors;
        for (family, cell) in &s.families {
            let c: &mut FamilyCell = t.families.entry(family.clone()).or_default();
            (c.pass, c.fail, c.error) = (c.pass + cell.pass, c.fail + cell.fail, c.error + cell.error);
        }
    }
    t.pass_rate = percent(t.findings.pass, t.findings.pass + t.findings.fail);
    for item in poam {
        *severity_slot(&mut t.poam_by_level, item.risk.level) += 1;
    }
    let has_sprs = framework.is_some_and(|f| f == "nist-800-171-r2" || f == "cmmc-l2") || systems.iter().any(|s| s.sprs.is_some());
    if has_sprs {
        let mut r = SprsRollup::default();
        let scores: Vec<i32> = systems.iter().filter_map(|s| s.sprs.and_then(|x| x.score)).collect();
        r.systems_scored = scores.len();
        r.systems_unscored = systems.iter().filter(|s| s.sprs.is_some_and(|x| x.score.is_none())).count();
        r.conditional_l2 = systems.iter().filter(|s| s.sprs.is_some_and(|x| x.conditional_l2)).count();
        r.lowest = scores.iter().copied().min();
        r.highest = scores.iter().copied().max();
        r.average = mean(&scores);
        t.sprs = Some(r);
    }
    t
}

/// The mean of `values` with one decimal, rounded half away from zero, computed in integers.
fn mean(values: &[i32]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let (sum, n) = (values.iter().map(|v| i64::from(*v)).sum::<i64>() * 10, values.len() as i64);
    let tenths = (sum.abs() + n / 2) / n * sum.signum();
    Some(tenths as f64 / 10.0)
}

/// Controls with failing rules, from the POA&M items (one per failing rule per system).
fn worst_controls(poam: &[ProgramPoamItem]) -> Vec<ControlRollup> {
    #[derive(Default)]
    struct Acc<'a> {
        systems: BTreeSet<&'a str>,
        rules: BTreeSet<&'a str>,
        max_risk: u8,
        affected: usize,
    }
    let mut by_control: BTreeMap<&str, Acc> = BTreeMap::new();
    for item in poam {
        for control in item.controls.iter().collect::<BTreeSet<_>>() {
            let acc = by_control.entry(control).or_default();
            acc.systems.insert(&item.system);
            acc.rules.insert(&item.rule_id);
            acc.max_risk = acc.max_risk.max(item.risk.score);
            acc.affected += item.affected;
        }
    }
    let mut out: Vec<ControlRollup> = by_control
        .into_iter()
        .map(|(control, acc)| ControlRollup {
            control: control.to_string(),
            family: control.split('-').next().unwrap_or(control).to_string(),
            systems_failing: acc.systems.len(),
            systems: acc.systems.into_iter().map(str::to_string).collect(),
            rules: acc.rules.into_iter().map(str::to_string).collect(),
            max_risk: acc.max_risk,
            affected: acc.affected,
        })
        .collect();
    out.sort_by(|a, b| {
        (Reverse(a.systems_failing), Reverse(a.max_risk), Reverse(a.affected), &a.control).cmp(&(
            Reverse(b.systems_failing),
            Reverse(b.max_risk),
            Reverse(b.affected),
            &b.control,
        ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_and_times() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[110, 100, 95]), Some(101.7));
        assert_eq!(mean(&[-10, -5]), Some(-7.5));
        assert_eq!(mean(&[1, 2]), Some(1.5));
        assert_eq!(crate::api::dates::rfc3339(1_767_225_600), "2026-01-01T00:00:00Z");
    }
}
