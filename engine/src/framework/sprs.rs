//! The SPRS score (DoD Assessment Methodology v1.2.1) and CMMC Level 2
//! conditional status, for `nist-800-171-r2` and `cmmc-l2` views.
//!
//! - A requirement is **met** only when its control is `satisfied` (by the
//!   rules or an attestation) or attested `not-applicable`. Everything else
//!   (`not-satisfied`, `not-assessed`, `manual`) is unmet and deducts its
//!   points: unassessed requirements cannot be claimed, so the score is
//!   conservative, never optimistic.
//! - 3.5.3 and 3.13.11 deduct their partial value (3, not 5) when an
//!   attestation says `partial` (and no finding fails).
//! - 3.12.4 (system security plan) has no points: without a plan the
//!   assessment cannot be completed. When it is unmet there is no score
//!   (`score` is `None`); `deducted` still totals the other deductions.
//! - CMMC Level 2 conditional status is reachable when there is a score of at
//!   least [`CONDITIONAL_MIN`] (80% of 110) and every unmet requirement may be
//!   on a POA&M ([`crate::catalog::PoamEligibility`]; 3.13.11 only when partial).

use super::{ControlResult, ControlStatus};
use crate::catalog::{requirement_171, sprs_max, sprs_min, Framework};
use serde::Serialize;

/// The lowest score that allows CMMC Level 2 conditional status (32 CFR 170.21(a)(2)(i)).
pub const CONDITIONAL_MIN: i32 = 88;

/// Points one unmet requirement costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deduction {
    /// The view's id: `3.5.3`, or `IA.L2-3.5.3` in a `cmmc-l2` view.
    pub requirement: &'static str,
    pub points: i32,
    /// The partial value was used (attested `partial`).
    pub partial: bool,
    pub status: ControlStatus,
    /// Whether it may be on a CMMC Level 2 POA&M in this state.
    pub poam_eligible: bool,
}

impl Deduction {
    /// `3.5.3 −3 (partial)`, as reports list it.
    pub fn label(&self) -> String {
        format!("{} −{}{}", self.requirement, self.points, if self.partial { " (partial)" } else { "" })
    }
}

/// The SPRS score of a view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sprs {
    /// `max − deducted`; `None` when 3.12.4 is unmet (the assessment cannot be scored).
    pub score: Option<i32>,
    /// 110.
    pub max: i32,
    /// −203.
    pub min: i32,
    /// The sum of `deductions`.
    pub deducted: i32,
    /// Every unmet requirement with points, in catalog order.
    pub deductions: Vec<Deduction>,
    /// Why there is no score.
    pub unscored_reason: Option<String>,
    /// Whether CMMC Level 2 conditional status is reachable.
    pub conditional_l2: bool,
    /// [`CONDITIONAL_MIN`].
    pub conditional_min: i32,
    /// Unmet requirements that may not be on a POA&M (3.12.4 included when unmet).
    pub blocking: Vec<&'static str>,
}

impl Sprs {
    /// `63 of 110` or `none (…)`, for reports.
    pub fn score_text(&self) -> String {
        match (self.score, &self.unscored_reason) {
            (Some(s), _) => format!("{s} of {}", self.max),
            (None, reason) => format!(
                "none: {}, so the assessment cannot be scored; the other requirements deduct {} ({} if it were met)",
                reason.as_deref().unwrap_or("3.12.4 is not met"),
                self.deducted,
                self.max - self.deducted
            ),
        }
    }

    /// Whether and why CMMC Level 2 conditional status is reachable, in one line.
    pub fn conditional_text(&self) -> String {
        let open = self.deductions.len() + usize::from(self.score.is_none());
        if self.conditional_l2 {
            return if open == 0 {
                "reachable: every requirement is met (Final Level 2, no POA&M needed)".into()
            } else {
                format!(
                    "reachable: score {} ≥ {} and all {open} open requirements may be on a POA&M",
                    self.score.unwrap_or(0),
                    self.conditional_min
                )
            };
        }
        let mut why = Vec::new();
        match self.score {
            None => why.push("no score".to_string()),
            Some(s) if s < self.conditional_min => why.push(format!("score {s} < {}", self.conditional_min)),
            Some(_) => {}
        }
        if !self.blocking.is_empty() {
            let n = self.blocking.len();
            why.push(format!("{n} open requirement{} may not be on a POA&M", if n == 1 { "" } else { "s" }));
        }
        format!("not reachable: {}", why.join("; "))
    }
}

/// The score of `controls` (a view's controls) for `framework`; `None`
/// unless it is `nist-800-171-r2` or `cmmc-l2`.
pub fn compute(framework: Framework, controls: &[ControlResult]) -> Option<Sprs> {
    if framework.is_800_53() {
        return None;
    }
    let mut deductions = Vec::new();
    let mut blocking = Vec::new();
    let mut unscored_reason = None;
    for c in controls.iter().filter(|c| !c.status.is_met()) {
        let Some(req) = requirement_171(c.id) else { continue };
        if !req.poam_eligible.allows(c.partial) {
            blocking.push(c.id);
        }
        if req.points.is_none() {
            unscored_reason = Some(format!("the system security plan ({}) is {}", c.id, c.status.label()));
            continue;
        }
        deductions.push(Deduction {
            requirement: c.id,
            points: req.deduction(c.partial),
            partial: c.partial && req.partial_points.is_some(),
            status: c.status,
            poam_eligible: req.poam_eligible.allows(c.partial),
        });
    }
    let deducted = deductions.iter().map(|d| d.points).sum::<i32>();
    let score = unscored_reason.is_none().then(|| sprs_max() - deducted);
    Some(Sprs {
        score,
        max: sprs_max(),
        min: sprs_min(),
        deducted,
        deductions,
        unscored_reason,
        conditional_l2: score.is_some_and(|s| s >= CONDITIONAL_MIN) && blocking.is_empty(),
        conditional_min: CONDITIONAL_MIN,
        blocking,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::requirements_171;

    /// Every requirement met, except `unmet` (id, status, partial).
    fn controls(framework: Framework, unmet: &[(&str, ControlStatus, bool)]) -> Vec<ControlResult> {
        requirements_171()
            .iter()
            .map(|r| {
                let (status, partial) =
                    unmet.iter().find(|(id, ..)| *id == r.id).map_or((ControlStatus::Satisfied, false), |(_, s, p)| (*s, *p));
                ControlResult {
                    id: if framework == Framework::CmmcL2 { r.cmmc_practice } else { r.id },
                    title: r.title,
                    family: r.family,
                    status,
                    reason: String::new(),
                    rules: vec![],
                    failing_rules: vec![],
                    partial,
                    attestation: None,
                }
            })
            .collect()
    }

    fn sprs(unmet: &[(&str, ControlStatus, bool)]) -> Sprs {
        compute(Framework::Nist800171R2, &controls(Framework::Nist800171R2, unmet)).unwrap()
    }

    use ControlStatus::{Manual, NotApplicable, NotAssessed, NotSatisfied};

    #[test]
    fn all_met_is_110_and_final() {
        let s = sprs(&[]);
        assert_eq!((s.score, s.max, s.min, s.deducted), (Some(110), 110, -203, 0));
        assert!(s.conditional_l2 && s.blocking.is_empty());
        assert_eq!(s.conditional_text(), "reachable: every requirement is met (Final Level 2, no POA&M needed)");
        assert_eq!(sprs(&[("3.1.3", NotApplicable, false)]).score, Some(110), "not applicable counts as met");
        assert_eq!(compute(Framework::FedrampModerate, &[]), None);
    }

    #[test]
    fn partial_credit_for_3_5_3_and_3_13_11() {
        let full = sprs(&[("3.5.3", NotSatisfied, false)]);
        assert_eq!((full.score, full.blocking.as_slice()), (Some(105), ["3.5.3"].as_slice()));
        let partial = sprs(&[("3.5.3", NotSatisfied, true)]);
        assert_eq!(partial.score, Some(107));
        assert!(partial.deductions[0].partial && !partial.conditional_l2, "3.5.3 is never POA&M-eligible");
        let enc = sprs(&[("3.13.11", NotSatisfied, true)]);
        assert_eq!((enc.score, enc.conditional_l2), (Some(107), true), "3.13.11 is eligible when partial");
        assert_eq!(enc.conditional_text(), "reachable: score 107 ≥ 88 and all 1 open requirements may be on a POA&M");
        let enc = sprs(&[("3.13.11", NotAssessed, false)]);
        assert_eq!((enc.score, enc.conditional_l2, enc.blocking.as_slice()), (Some(105), false, ["3.13.11"].as_slice()));
    }

    #[test]
    fn a_hand_computed_mix() {
        // 3.1.1 not satisfied       5  not eligible
        // 3.1.5 not assessed        3  not eligible
        // 3.1.3 manual              1  eligible
        // 3.5.3 partial             3  not eligible (never)
        // 3.13.11 partial           3  eligible (partial)
        // 3.1.20 not satisfied      1  not eligible (excluded by 170.21(a)(2)(iii))
        // 3.10.6 not applicable     0  met
        // 110 − (5 + 3 + 1 + 3 + 3 + 1) = 110 − 16 = 94
        let s = sprs(&[
            ("3.1.1", NotSatisfied, false),
            ("3.1.5", NotAssessed, false),
            ("3.1.3", Manual, false),
            ("3.5.3", NotSatisfied, true),
            ("3.13.11", NotSatisfied, true),
            ("3.1.20", NotSatisfied, false),
            ("3.10.6", NotApplicable, false),
        ]);
        assert_eq!((s.score, s.deducted), (Some(94), 16));
        let points: Vec<(&str, i32, bool)> = s.deductions.iter().map(|d| (d.requirement, d.points, d.partial)).collect();
        assert_eq!(
            points,
            [("3.1.1", 5, false), ("3.1.3", 1, false), ("3.1.5", 3, false), ("3.1.20", 1, false), ("3.5.3", 3, true), ("3.13.11", 3, true)]
        );
        assert_eq!(s.blocking, ["3.1.1", "3.1.5", "3.1.20", "3.5.3"]);
        assert!(!s.conditional_l2);
        assert_eq!(s.conditional_text(), "not reachable: 4 open requirements may not be on a POA&M");
    }

    #[test]
    fn conditional_status_needs_88_and_only_eligible_gaps() {
        // 22 one-point, POA&M-eligible requirements open: 110 − 22 = 88, reachable.
        let eligible: Vec<&str> =
            requirements_171().iter().filter(|r| r.points == Some(1) && r.poam_eligible.allows(false)).map(|r| r.id).take(23).collect();
        let open: Vec<(&str, ControlStatus, bool)> = eligible.iter().map(|id| (*id, Manual, false)).collect();
        let s = sprs(&open[..22]);
        assert_eq!((s.score, s.conditional_l2), (Some(88), true));
        // One more: 87, below the threshold.
        let s = sprs(&open);
        assert_eq!((s.score, s.conditional_l2), (Some(87), false));
        assert_eq!(s.conditional_text(), "not reachable: score 87 < 88");
        // A single 5-point, non-eligible gap: 105, but it cannot be on a POA&M.
        let s = sprs(&[("3.1.1", NotSatisfied, false)]);
        assert_eq!((s.score, s.conditional_l2, s.blocking.as_slice()), (Some(105), false, ["3.1.1"].as_slice()));
        // 3.1.22 is worth 1 point but excluded by name.
        assert!(!sprs(&[("3.1.22", NotSatisfied, false)]).conditional_l2);
    }

    #[test]
    fn an_unmet_ssp_means_no_score() {
        let s = sprs(&[("3.12.4", Manual, false), ("3.1.3", NotSatisfied, false)]);
        assert_eq!((s.score, s.deducted, s.conditional_l2), (None, 1, false));
        assert_eq!(s.blocking, ["3.12.4"]);
        assert_eq!(s.unscored_reason.as_deref(), Some("the system security plan (3.12.4) is manual"));
        assert_eq!(
            s.score_text(),
            "none: the system security plan (3.12.4) is manual, so the assessment cannot be scored; the other requirements deduct 1 (109 if it were met)"
        );
        assert_eq!(s.conditional_text(), "not reachable: no score; 1 open requirement may not be on a POA&M");
    }

    #[test]
    fn cmmc_views_use_practice_ids() {
        let c = controls(Framework::CmmcL2, &[("3.5.3", NotSatisfied, true), ("3.12.4", NotSatisfied, false)]);
        let s = compute(Framework::CmmcL2, &c).unwrap();
        assert_eq!(s.deductions[0].requirement, "IA.L2-3.5.3");
        assert_eq!(s.blocking, ["IA.L2-3.5.3", "CA.L2-3.12.4"]);
        assert_eq!(s.score, None);
    }
}
