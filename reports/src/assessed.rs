//! What a scan's findings say about each control, per framework.
//!
//! The HTML report (drill-down and framework chart) and the OSCAL
//! assessment results (one OSCAL finding per control) both read this one
//! roll-up, so the two cannot disagree about a control.
//!
//! A rule evidences exactly the controls it names (see
//! `tollgate_engine::coverage`); nothing rolls up from an enhancement to its
//! base control. A control's state comes from the findings of every rule
//! that names it, by the same rules as the framework view
//! (`tollgate_engine::framework`), whose [`ControlStatus`] it uses:
//!
//! | state | when |
//! |---|---|
//! | `not-satisfied` | any finding failed |
//! | `satisfied` | at least one passed, and none failed or errored |
//! | `not-assessed` | no verdict: only rule errors, skips, or no matching resource (or passes mixed with errors) |

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;
use tollgate_engine::catalog::{self, Framework};
use tollgate_engine::framework::ControlStatus;
use tollgate_engine::{Finding, RuleMeta, ScanReport, Severity, Status};

/// The frameworks every report derives from a rule's mappings, in report order.
pub const FRAMEWORKS: [&str; 3] = ["nist-800-53-r5", "nist-800-171-r2", "cmmc-l2"];

/// The states a control can have from rules alone, in the order reports list them.
pub const STATES: [ControlStatus; 3] = [ControlStatus::NotSatisfied, ControlStatus::NotAssessed, ControlStatus::Satisfied];

/// One control (SP 800-53), requirement (SP 800-171) or practice (CMMC) and
/// the evidence for it.
#[derive(Debug, Clone)]
pub struct ControlResult<'a> {
    pub framework: &'static str,
    /// As the rules write it: `AC-6(10)`, `3.1.7`, `AC.L2-3.1.7`.
    pub id: String,
    /// Every rule that ran and names this control, in id order.
    pub rules: Vec<&'a Arc<RuleMeta>>,
    /// Their findings, in report order.
    pub findings: Vec<&'a Finding>,
}

impl ControlResult<'_> {
    pub fn count(&self, status: Status) -> usize {
        self.findings.iter().filter(|f| f.status == status).count()
    }

    pub fn state(&self) -> ControlStatus {
        // A suppressed failure is still a failure of the control (see docs/ci.md).
        let fail = self.count(Status::Fail) + self.count(Status::Suppressed);
        let (pass, error) = (self.count(Status::Pass), self.count(Status::Error));
        if fail > 0 {
            ControlStatus::NotSatisfied
        } else if pass > 0 && error == 0 {
            ControlStatus::Satisfied
        } else {
            ControlStatus::NotAssessed
        }
    }

    /// The catalog title, or `""` for an id the catalogs do not know.
    pub fn title(&self) -> &'static str {
        control_title(self.framework, &self.id)
    }

    /// The SP 800-53 family code (`AC`), the SP 800-171 family, or the CMMC domain.
    pub fn family(&self) -> String {
        match self.framework {
            "nist-800-171-r2" => catalog::requirement_171(&self.id).map_or_else(|| "--".into(), |r| r.family.to_string()),
            _ => self.id.split(['-', '.']).next().unwrap_or("--").to_string(),
        }
    }
}

/// The catalog title of a control, requirement or practice; `""` when unknown.
pub fn control_title(framework: &str, id: &str) -> &'static str {
    match framework {
        "nist-800-53-r5" => catalog::control(id).map_or("", |c| c.title),
        "nist-800-171-r2" | "cmmc-l2" => catalog::requirement_171(id).map_or("", |r| r.title),
        _ => "",
    }
}

/// "NIST SP 800-53 Rev 5" for `nist-800-53-r5`; the id itself when unknown.
pub fn framework_title(id: &str) -> &str {
    match Framework::from_id(id) {
        Some(f) => f.title(),
        None => id,
    }
}

/// Per rule id, the severity its findings carry (after any `[rules.severity]`
/// override), else the declared one.
pub fn effective_severities(report: &ScanReport) -> BTreeMap<&str, Severity> {
    let mut out: BTreeMap<&str, Severity> = report.rules.iter().map(|r| (r.id.as_str(), r.severity)).collect();
    let mut seen = std::collections::BTreeSet::new();
    for f in &report.findings {
        if seen.insert(f.rule.id.as_str()) {
            out.insert(f.rule.id.as_str(), f.severity);
        }
    }
    out
}

/// When the scan ran, in Unix seconds: the scan clock the engine pinned for
/// the whole scan (`--now`, else the start time), which date rules and the
/// framework view also judge by. Reports that state a time (HTML, OSCAL)
/// use it instead of the wall clock, so a pinned scan gives the same bytes.
pub fn scan_started(report: &tollgate_engine::ScanReport) -> i64 {
    report.scan_time
}

/// RFC 3339 in UTC of Unix milliseconds: `2025-01-15T10:00:00Z`, with
/// fractional seconds only when there are some.
pub fn timestamp(unix_ms: i64) -> String {
    jiff::Timestamp::from_millisecond(unix_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH).to_string()
}

/// A part of an id for natural ordering: `AC-6(10)` after `AC-6(9)`, `3.1.10` after `3.1.9`.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Chunk {
    Num(u64),
    Text(String),
}

/// The key that sorts control ids the way catalogs list them.
fn natural_key(id: &str) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut chars = id.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut n = 0u64;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(u64::from(d));
                chars.next();
            }
            out.push(Chunk::Num(n));
        } else {
            let mut s = String::new();
            while let Some(&c) = chars.peek().filter(|c| !c.is_ascii_digit()) {
                s.push(c);
                chars.next();
            }
            out.push(Chunk::Text(s));
        }
    }
    out
}

/// Compares control ids in catalog-like order.
pub fn cmp_ids(a: &str, b: &str) -> Ordering {
    natural_key(a).cmp(&natural_key(b)).then_with(|| a.cmp(b))
}

/// Every control of `framework` that a rule that ran names, in natural id
/// order, with its rules and findings.
pub fn control_results<'a>(report: &'a ScanReport, framework: &str) -> Vec<ControlResult<'a>> {
    let framework: &'static str = FRAMEWORKS.iter().copied().find(|f| *f == framework).unwrap_or("nist-800-53-r5");
    let mut by_id: BTreeMap<String, ControlResult<'a>> = BTreeMap::new();
    // Rule id -> the ids it names in this framework.
    let mut named: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for rule in &report.rules {
        let ids = rule.controls_by_framework().into_iter().find(|(f, _)| *f == framework).map(|(_, ids)| ids).unwrap_or_default();
        for id in &ids {
            let entry = by_id.entry(id.clone()).or_insert_with(|| ControlResult {
                framework,
                id: id.clone(),
                rules: Vec::new(),
                findings: Vec::new(),
            });
            if !entry.rules.iter().any(|r| r.id == rule.id) {
                entry.rules.push(rule);
            }
        }
        named.insert(&rule.id, ids);
    }
    for f in &report.findings {
        for id in named.get(f.rule.id.as_str()).into_iter().flatten() {
            if let Some(c) = by_id.get_mut(id) {
                c.findings.push(f);
            }
        }
    }
    let mut out: Vec<ControlResult<'a>> = by_id.into_values().collect();
    for c in &mut out {
        c.rules.sort_by(|a, b| a.id.cmp(&b.id));
    }
    out.sort_by(|a, b| cmp_ids(&a.id, &b.id));
    out
}

/// Controls per state, zeros included, in [`STATES`] order.
pub fn state_counts(controls: &[ControlResult<'_>]) -> Vec<(ControlStatus, usize)> {
    STATES.iter().map(|s| (*s, controls.iter().filter(|c| c.state() == *s).count())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{finding, meta, report};

    #[test]
    fn timestamps_are_rfc_3339_utc() {
        assert_eq!(timestamp(1_736_935_200_000), "2025-01-15T10:00:00Z");
        assert_eq!(timestamp(1_736_935_200_250), "2025-01-15T10:00:00.25Z");
    }

    #[test]
    fn ids_sort_like_a_catalog() {
        let mut ids = vec!["AC-6(10)", "AC-6", "AC-6(9)", "SC-7", "AC-17", "3.1.10", "3.1.9", "AC.L2-3.1.10", "AC.L2-3.1.2"];
        ids.sort_by(|a, b| cmp_ids(a, b));
        assert_eq!(ids, ["3.1.9", "3.1.10", "AC-6", "AC-6(9)", "AC-6(10)", "AC-17", "AC.L2-3.1.2", "AC.L2-3.1.10", "SC-7"]);
    }

    #[test]
    fn a_control_fails_if_any_finding_fails_and_errors_leave_it_unassessed() {
        let a = meta("X-A-001", Severity::High, &["AC-6", "SC-7"], &["3.1.5"]);
        let b = meta("X-B-001", Severity::Low, &["AC-6"], &[]);
        let c = meta("X-C-001", Severity::Low, &["CM-6"], &[]);
        let d = meta("X-D-001", Severity::Low, &["CM-7"], &[]);
        let mut skipped = finding(&d, Status::Skip, "x.yaml", 1, "ns/x", None, "no resource");
        skipped.resource = None;
        let findings = vec![
            finding(&a, Status::Pass, "a.yaml", 1, "ns/a", None, ""),
            finding(&b, Status::Fail, "a.yaml", 2, "ns/a", None, "bad"),
            finding(&a, Status::Error, "b.yaml", 1, "ns/b", None, "boom"),
            finding(&c, Status::Pass, "c.yaml", 1, "ns/c", None, ""),
            skipped,
        ];
        let r = report(vec![a, b, c, d], findings, vec![]);
        let controls = control_results(&r, "nist-800-53-r5");
        let states: Vec<(&str, ControlStatus)> = controls.iter().map(|c| (c.id.as_str(), c.state())).collect();
        assert_eq!(
            states,
            [
                ("AC-6", ControlStatus::NotSatisfied),
                ("CM-6", ControlStatus::Satisfied),
                ("CM-7", ControlStatus::NotAssessed),
                ("SC-7", ControlStatus::NotAssessed)
            ]
        );
        assert_eq!(controls[0].rules.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["X-A-001", "X-B-001"]);
        assert_eq!(controls[0].findings.len(), 3);
        assert_eq!(controls[0].title(), "Least Privilege");
        assert_eq!(controls[0].family(), "AC");
        let reqs = control_results(&r, "nist-800-171-r2");
        assert_eq!(
            (reqs.len(), reqs[0].id.as_str(), reqs[0].state(), reqs[0].family()),
            (1, "3.1.5", ControlStatus::NotAssessed, "AC".into())
        );
        let cmmc = control_results(&r, "cmmc-l2");
        assert_eq!(cmmc[0].id, "AC.L2-3.1.5");
        assert!(!cmmc[0].title().is_empty());
        let counts = state_counts(&controls);
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), controls.len());
    }
}
