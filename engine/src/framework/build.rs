//! Building the framework view from a scan report.

use super::attest::{utc_date, Attestation, Attestations, AttestedStatus};
use super::{sprs, AppliedAttestation, ControlResult, ControlStatus, FamilyTotals, FrameworkView, Totals};
use crate::catalog::{family_name, family_name_171, requirement_171, Framework};
use crate::coverage::framework_coverage;
use crate::result::{ScanReport, Status};
use crate::rule::RuleMeta;
use jiff::civil::Date;
use std::collections::{BTreeSet, HashMap};

/// What the findings of one rule add up to.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    pass: usize,
    fail: usize,
    error: usize,
    /// Skips of one resource (the rule judged it not applicable).
    skip: usize,
    /// The rule-level skip: no resource of its kinds was found.
    unmatched: bool,
}

fn tallies(report: &ScanReport) -> HashMap<&str, Tally> {
    let mut out: HashMap<&str, Tally> = HashMap::new();
    for f in &report.findings {
        let t = out.entry(f.rule.id.as_str()).or_default();
        match (f.status, &f.resource) {
            (Status::Pass, _) => t.pass += 1,
            // A suppression silences the gate, not the compliance record.
            (Status::Fail | Status::Suppressed, _) => t.fail += 1,
            (Status::Error, _) => t.error += 1,
            (Status::Skip, Some(_)) => t.skip += 1,
            (Status::Skip, None) => t.unmatched = true,
        }
    }
    out
}

fn plural(n: usize, one: &str) -> String {
    format!("{n} {one}{}", if n == 1 { "" } else { "s" })
}

/// The rules' verdict on a control that has rules.
struct Automated {
    status: ControlStatus,
    reason: String,
    failing: Vec<String>,
}

fn automated(rules: &[String], tallies: &HashMap<&str, Tally>) -> Automated {
    let of = |id: &String| tallies.get(id.as_str()).copied().unwrap_or(Tally { unmatched: true, ..Tally::default() });
    let sum = |pick: fn(&Tally) -> usize| rules.iter().map(|r| pick(&of(r))).sum::<usize>();
    let (pass, fail, error) = (sum(|t| t.pass), sum(|t| t.fail), sum(|t| t.error));
    let named = |pick: fn(&Tally) -> bool| rules.iter().filter(|r| pick(&of(r))).cloned().collect::<Vec<_>>();
    let failing = named(|t| t.fail > 0);
    if fail > 0 {
        let reason = format!("{} from {}", plural(fail, "failing finding"), failing.join(", "));
        return Automated { status: ControlStatus::NotSatisfied, reason, failing };
    }
    if pass > 0 && error == 0 {
        let reason = format!("{} from {}, none failing", plural(pass, "passing finding"), named(|t| t.pass > 0).join(", "));
        return Automated { status: ControlStatus::Satisfied, reason, failing };
    }
    let mut parts = Vec::new();
    let errored = named(|t| t.error > 0);
    if !errored.is_empty() {
        parts.push(format!("{} from {}", plural(error, "rule error"), errored.join(", ")));
    }
    let unmatched = named(|t| t.unmatched && t.pass + t.fail + t.error + t.skip == 0);
    if !unmatched.is_empty() {
        parts.push(format!("no matching resource for {}", unmatched.join(", ")));
    }
    let skipped = named(|t| t.skip > 0 && t.pass + t.fail + t.error == 0);
    if !skipped.is_empty() {
        parts.push(format!("only skips (not applicable) from {}", skipped.join(", ")));
    }
    let mut reason = if parts.is_empty() { "no finding".to_string() } else { parts.join("; ") };
    if pass > 0 {
        reason = format!("{} but {reason}", plural(pass, "passing finding"));
    }
    Automated { status: ControlStatus::NotAssessed, reason, failing }
}

/// The status an attestation gives on its own, with the words for it.
fn attested(a: &Attestation) -> (ControlStatus, &'static str) {
    match a.status {
        AttestedStatus::Satisfied => (ControlStatus::Satisfied, "attested satisfied"),
        AttestedStatus::NotSatisfied => (ControlStatus::NotSatisfied, "attested not satisfied"),
        AttestedStatus::Partial => (ControlStatus::NotSatisfied, "attested partially implemented"),
        AttestedStatus::NotApplicable => (ControlStatus::NotApplicable, "attested not applicable"),
    }
}

fn by(a: &Attestation) -> String {
    format!("by {} on {} ({})", a.attested_by, a.date, a.evidence)
}

/// Status, reason and whether the attestation decided it; see the module docs of [`super`].
fn decide(auto: Option<&Automated>, att: Option<&Attestation>, scan_date: Date) -> (ControlStatus, String, bool) {
    let valid = att.filter(|a| !a.expired_on(scan_date));
    let expired_note =
        |a: &Attestation| format!("the attestation {} expired on {}", by(a), a.expires.map(|d| d.to_string()).unwrap_or_default());
    match (auto, att, valid) {
        // No rule: the attestation decides, else manual.
        (None, None, _) => {
            (ControlStatus::Manual, "no rule in the loaded policy evidences it; assess it manually or attest it".into(), false)
        }
        (None, Some(a), None) => (ControlStatus::NotAssessed, format!("no rule evidences it and {}", expired_note(a)), false),
        (None, _, Some(a)) => {
            let (status, words) = attested(a);
            (status, format!("{words} {}", by(a)), true)
        }
        // Failing evidence is never overridden.
        (Some(auto), _, _) if auto.status == ControlStatus::NotSatisfied => {
            let note = att.map_or_else(String::new, |a| format!("; the attestation {} does not override failing findings", by(a)));
            (auto.status, format!("{}{note}", auto.reason), false)
        }
        // Passing evidence stands unless an attestation reports a gap the rules cannot see.
        (Some(auto), _, Some(a)) if auto.status == ControlStatus::Satisfied => match a.status {
            AttestedStatus::NotSatisfied | AttestedStatus::Partial => {
                let (status, words) = attested(a);
                (status, format!("{words} {}, although {}", by(a), auto.reason), true)
            }
            _ => (auto.status, format!("{}; also {} {}", auto.reason, attested(a).1, by(a)), false),
        },
        // No verdict from the rules: a valid attestation fills in.
        (Some(auto), _, Some(a)) => {
            let (status, words) = attested(a);
            (status, format!("{words} {} (the rules gave no verdict: {})", by(a), auto.reason), true)
        }
        (Some(auto), Some(a), None) => (auto.status, format!("{}; {}", auto.reason, expired_note(a)), false),
        (Some(auto), None, None) => (auto.status, auto.reason.clone(), false),
    }
}

/// The view of `report` against `framework`, with `attestations` applied
/// and expiry judged on the UTC date of `scan_time` (Unix seconds: the
/// scan clock, see [`crate::api::dates::scan_time`]).
pub fn build(report: &ScanReport, framework: Framework, attestations: Option<&Attestations>, scan_time: i64) -> FrameworkView {
    let scan_date = utc_date(scan_time).unwrap_or(Date::constant(1970, 1, 1));
    let metas: Vec<&RuleMeta> = report.rules.iter().map(|r| r.as_ref()).collect();
    let tallies = tallies(report);
    let mut keys = BTreeSet::new();
    let controls: Vec<ControlResult> = framework_coverage(framework, &metas)
        .into_iter()
        .map(|c| {
            let key = if framework.is_800_53() { c.id } else { requirement_171(c.id).map_or(c.id, |r| r.id) };
            keys.insert(key);
            let att = attestations.and_then(|a| a.get(key));
            let auto = (!c.rules.is_empty()).then(|| automated(&c.rules, &tallies));
            let (status, reason, applied) = decide(auto.as_ref(), att, scan_date);
            ControlResult {
                id: c.id,
                title: c.title,
                family: c.family,
                status,
                reason,
                failing_rules: auto.map(|a| a.failing).unwrap_or_default(),
                rules: c.rules,
                partial: applied && status == ControlStatus::NotSatisfied && att.is_some_and(|a| a.status == AttestedStatus::Partial),
                attestation: att.map(|a| AppliedAttestation {
                    status: a.status,
                    evidence: a.evidence.clone(),
                    attested_by: a.attested_by.clone(),
                    date: a.date.to_string(),
                    expires: a.expires.map(|d| d.to_string()),
                    expired: a.expired_on(scan_date),
                    applied,
                }),
            }
        })
        .collect();

    let mut families: Vec<FamilyTotals> = Vec::new();
    for c in &controls {
        if !families.iter().any(|f| f.family == c.family) {
            let name = if framework.is_800_53() { family_name(c.family) } else { family_name_171(c.family) };
            let statuses = controls.iter().filter(|x| x.family == c.family).map(|x| x.status);
            families.push(FamilyTotals { family: c.family, name, totals: Totals::of(statuses) });
        }
    }
    let unused_attestations = attestations
        .map(|a| a.entries.iter().filter(|e| !keys.contains(e.key.as_str())).map(|e| e.control.clone()).collect())
        .unwrap_or_default();
    FrameworkView {
        framework,
        id: framework.id(),
        title: framework.title(),
        scan_date: scan_date.to_string(),
        attestations_file: attestations.map(|a| a.path.clone()),
        totals: Totals::of(controls.iter().map(|c| c.status)),
        families,
        sprs: sprs::compute(framework, &controls),
        controls,
        unused_attestations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::{Finding, ResourceRef};
    use crate::{Limits, Policy, RuleOverrides, RuleSource, Severity};
    use std::sync::Arc;

    fn meta(id: &str, controls: &str, reqs: &str) -> Arc<RuleMeta> {
        let text = format!(
            "const RULE = #{{ id: \"{id}\", title: \"t\", severity: \"high\", applies_to: [\"k8s:Pod\"], controls: [{controls}], \
             nist_800_171: [{reqs}], rationale: \"r\", remediation: \"f\" }};\nfn check(r) {{ pass() }}\n"
        );
        let policy =
            Policy::load(&[RuleSource { path: format!("{id}.rhai"), text: Arc::from(text) }], &RuleOverrides::default(), Limits::default())
                .unwrap();
        policy.rules()[0].meta.clone()
    }

    fn finding(rule: &Arc<RuleMeta>, status: Status, resource: bool) -> Finding {
        Finding {
            rule: rule.clone(),
            status,
            severity: Severity::High,
            resource: resource.then(|| ResourceRef { kind: "k8s:Pod".into(), id: "ns/p".into() }),
            location: None,
            property_path: None,
            message: String::new(),
            suppression: None,
            baselined: false,
        }
    }

    fn report(rules: Vec<Arc<RuleMeta>>, findings: Vec<Finding>) -> ScanReport {
        ScanReport {
            system: Default::default(),
            rules,
            findings,
            input_errors: vec![],
            summary: Default::default(),
            framework: None,
            baseline: None,
            unused_suppressions: Vec::new(),
            scan_time: 0,
        }
    }

    /// 2026-11-22T00:00:00Z
    const NOW: i64 = 1_795_305_600;

    fn status_of<'a>(view: &'a FrameworkView, id: &str) -> &'a ControlResult {
        view.controls.iter().find(|c| c.id == id).unwrap()
    }

    #[test]
    fn rule_verdicts_become_control_statuses() {
        let passing = meta("X-1", "\"AC-6\"", "\"3.1.5\"");
        let failing = meta("X-2", "\"AC-6(10)\"", "\"3.1.7\"");
        let unmatched = meta("X-3", "\"SC-7\"", "\"3.13.1\"");
        let erroring = meta("X-4", "\"CM-2\"", "\"3.4.1\"");
        let skipping = meta("X-5", "\"CM-7\"", "\"3.4.6\"");
        let half = meta("X-6", "\"CM-6\"", "\"3.4.2\"");
        let findings = vec![
            finding(&passing, Status::Pass, true),
            finding(&passing, Status::Skip, true),
            finding(&failing, Status::Pass, true),
            finding(&failing, Status::Fail, true),
            finding(&unmatched, Status::Skip, false),
            finding(&erroring, Status::Error, true),
            finding(&skipping, Status::Skip, true),
            finding(&half, Status::Pass, true),
            finding(&half, Status::Error, true),
        ];
        let r = report(vec![passing, failing, unmatched, erroring, skipping, half], findings);
        let view = build(&r, Framework::Nist800171R2, None, NOW);
        let got = |id| {
            let c = status_of(&view, id);
            (c.status, c.reason.as_str())
        };
        assert_eq!(got("3.1.5"), (ControlStatus::Satisfied, "1 passing finding from X-1, none failing"));
        assert_eq!(got("3.1.7"), (ControlStatus::NotSatisfied, "1 failing finding from X-2"));
        assert_eq!(status_of(&view, "3.1.7").failing_rules, ["X-2"]);
        assert_eq!(got("3.13.1"), (ControlStatus::NotAssessed, "no matching resource for X-3"));
        assert_eq!(got("3.4.1"), (ControlStatus::NotAssessed, "1 rule error from X-4"));
        assert_eq!(got("3.4.6"), (ControlStatus::NotAssessed, "only skips (not applicable) from X-5"));
        assert_eq!(got("3.4.2"), (ControlStatus::NotAssessed, "1 passing finding but 1 rule error from X-6"));
        assert_eq!(got("3.1.1").0, ControlStatus::Manual);
        let t = &view.totals;
        assert_eq!((t.total, t.satisfied, t.not_satisfied, t.not_assessed, t.manual), (110, 1, 1, 4, 104));
        assert_eq!(t.percent_satisfied, 0.9);
        let ac = &view.families[0];
        assert_eq!((ac.family, ac.name, ac.totals.total, ac.totals.satisfied), ("AC", "Access Control", 22, 1));
        assert_eq!(view.families.len(), 14);
        // The same rules seen through SP 800-53: AC-6 is evidenced by X-1 only.
        let view = build(&r, Framework::FedrampModerate, None, NOW);
        assert_eq!(status_of(&view, "AC-6").status, ControlStatus::Satisfied);
        assert_eq!(status_of(&view, "AC-6(10)").status, ControlStatus::NotSatisfied);
        assert_eq!(view.families[0].name, "Access Control");
    }

    #[test]
    fn attestations_fill_in_and_expire() {
        let passing = meta("X-1", "\"AC-6\"", "\"3.1.5\"");
        let failing = meta("X-2", "\"AC-6(10)\"", "\"3.1.7\"");
        let unmatched = meta("X-3", "\"SC-7\"", "\"3.13.1\"");
        let findings =
            vec![finding(&passing, Status::Pass, true), finding(&failing, Status::Fail, true), finding(&unmatched, Status::Skip, false)];
        let r = report(vec![passing, failing, unmatched], findings);
        let entry = |control: &str, status: &str, expires: &str| {
            format!("[[attestation]]\ncontrol = \"{control}\"\nstatus = \"{status}\"\nevidence = \"doc\"\nattested_by = \"ISSO\"\ndate = 2026-01-01\n{expires}\n")
        };
        let text = [
            entry("3.1.1", "satisfied", "expires = 2026-11-22"),
            entry("3.1.2", "satisfied", "expires = 2026-11-21"),
            entry("3.1.3", "not-applicable", ""),
            entry("3.1.4", "not-satisfied", ""),
            entry("3.1.5", "not-satisfied", ""),
            entry("3.1.7", "satisfied", ""),
            entry("3.13.1", "satisfied", ""),
            entry("IA.L2-3.5.3", "partial", ""),
            entry("AC-1", "satisfied", ""),
        ]
        .concat();
        let atts = Attestations::parse("a.toml", &text).unwrap();
        let view = build(&r, Framework::Nist800171R2, Some(&atts), NOW);
        let got = |id| {
            let c = status_of(&view, id);
            (c.status, c.attestation.as_ref().map(|a| (a.applied, a.expired)))
        };
        assert_eq!(got("3.1.1"), (ControlStatus::Satisfied, Some((true, false))), "valid through its expiry date");
        assert_eq!(got("3.1.2"), (ControlStatus::NotAssessed, Some((false, true))), "expired the day before the scan");
        assert!(status_of(&view, "3.1.2").reason.contains("expired on 2026-11-21"), "{}", status_of(&view, "3.1.2").reason);
        assert_eq!(got("3.1.3"), (ControlStatus::NotApplicable, Some((true, false))));
        assert_eq!(got("3.1.4"), (ControlStatus::NotSatisfied, Some((true, false))));
        assert_eq!(got("3.1.5"), (ControlStatus::NotSatisfied, Some((true, false))), "an attested gap beats passing rules");
        assert_eq!(got("3.1.7"), (ControlStatus::NotSatisfied, Some((false, false))), "failing rules beat an attestation");
        assert_eq!(got("3.13.1"), (ControlStatus::Satisfied, Some((true, false))), "fills in where rules gave no verdict");
        assert_eq!(got("3.5.3"), (ControlStatus::NotSatisfied, Some((true, false))));
        assert!(status_of(&view, "3.5.3").partial);
        assert_eq!(view.unused_attestations, ["AC-1"]);
        assert_eq!(view.expired_attestations().map(|c| c.id).collect::<Vec<_>>(), ["3.1.2"]);
        // CMMC views use practice ids and match requirement-id attestations.
        let view = build(&r, Framework::CmmcL2, Some(&atts), NOW);
        assert_eq!(status_of(&view, "AC.L2-3.1.1").status, ControlStatus::Satisfied);
        assert_eq!(view.sprs.as_ref().unwrap().deductions[0].requirement, "AC.L2-3.1.2");
    }
}
