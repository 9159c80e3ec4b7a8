//! Which controls of a framework the loaded rules can evidence.
//!
//! A rule evidences exactly the SP 800-53 controls and SP 800-171
//! requirements it names; FedRAMP and NIST baseline membership, and CMMC
//! practices, derive from the catalogs. Nothing rolls up: a rule for
//! `AC-6(10)` evidences that enhancement, not the whole of `AC-6`.

use crate::catalog::{control, normalize_control_id, requirement_171, requirements_171, Framework};
use crate::rule::RuleMeta;

/// One control (or requirement, or practice) of a framework and the rules for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlCoverage {
    pub id: &'static str,
    pub title: &'static str,
    pub family: &'static str,
    /// Ids of the rules that evidence it; empty means it needs manual assessment.
    pub rules: Vec<String>,
}

/// Every member of `framework`, in catalog order, with the rules evidencing it.
pub fn framework_coverage(framework: Framework, rules: &[&RuleMeta]) -> Vec<ControlCoverage> {
    if framework.is_800_53() {
        return framework
            .members()
            .into_iter()
            .filter_map(control)
            .map(|c| ControlCoverage {
                id: c.id,
                title: c.title,
                family: c.family,
                rules: rules
                    .iter()
                    .filter(|r| r.controls.iter().any(|x| normalize_control_id(x).as_deref() == Some(c.id)))
                    .map(|r| r.id.clone())
                    .collect(),
            })
            .collect();
    }
    requirements_171()
        .iter()
        .map(|req| ControlCoverage {
            id: if framework == Framework::CmmcL2 { req.cmmc_practice } else { req.id },
            title: req.title,
            family: req.family,
            rules: rules.iter().filter(|r| r.nist_800_171.iter().any(|x| x == req.id)).map(|r| r.id.clone()).collect(),
        })
        .collect()
}

/// CMMC Level 2 practice ids for a rule's SP 800-171 requirements.
pub fn cmmc_practices(requirements: &[String]) -> Vec<String> {
    requirements.iter().filter_map(|r| requirement_171(r)).map(|r| r.cmmc_practice.to_string()).collect()
}

/// (automated, total) for a coverage list.
pub fn automated_share(coverage: &[ControlCoverage]) -> (usize, usize) {
    (coverage.iter().filter(|c| !c.rules.is_empty()).count(), coverage.len())
}
