//! The CI gate: which failures fail a run.
//!
//! One default threshold (`--fail-on`, else `[gate] fail_on`, else `low`)
//! plus overrides from `tollgate.toml`:
//!
//! ```toml
//! [gate]
//! fail_on = "high"
//! [gate.frameworks]
//! fedramp-moderate = "moderate"   # rules mapped to FedRAMP Moderate gate at moderate
//! [gate.rules]
//! TG-DOCKER-004 = "never"         # reported, never blocking
//! ```
//!
//! The threshold of a finding is its rule's override if there is one; else
//! the strictest override among the frameworks its rule maps to; else the
//! default. Findings that are suppressed or already in a baseline never
//! count. Input and rule errors fail the gate unless the default is `never`:
//! a gate must not pass what it could not read.

use crate::catalog::Framework;
use crate::rule::RuleMeta;
use crate::FailOn;
use std::collections::BTreeMap;

/// The thresholds one run gates on.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    pub default: FailOn,
    /// Per-framework thresholds, in the order written.
    pub frameworks: Vec<(Framework, FailOn)>,
    /// Per-rule thresholds, by rule id.
    pub rules: BTreeMap<String, FailOn>,
}

impl Gate {
    /// A gate with one threshold for everything.
    pub fn uniform(fail_on: FailOn) -> Gate {
        Gate { default: fail_on, frameworks: Vec::new(), rules: BTreeMap::new() }
    }

    /// Whether input and rule errors fail the run.
    pub fn fails_on_errors(&self) -> bool {
        self.default != FailOn::Never
    }

    /// The threshold that applies to failures of `rule`.
    pub fn threshold(&self, rule: &RuleMeta) -> FailOn {
        if let Some(t) = self.rules.get(&rule.id) {
            return *t;
        }
        self.frameworks.iter().filter(|(f, _)| maps_to(rule, *f)).map(|(_, t)| *t).reduce(stricter).unwrap_or(self.default)
    }

    /// True when no finding, whatever its severity, could fail this gate.
    pub fn is_never(&self) -> bool {
        self.default == FailOn::Never
            && self.frameworks.iter().all(|(_, t)| *t == FailOn::Never)
            && self.rules.values().all(|t| *t == FailOn::Never)
    }
}

impl Default for Gate {
    fn default() -> Self {
        Gate::uniform(FailOn::At(crate::Severity::Low))
    }
}

/// The threshold that fails more findings.
fn stricter(a: FailOn, b: FailOn) -> FailOn {
    match (a, b) {
        (FailOn::Never, x) | (x, FailOn::Never) => x,
        (FailOn::At(x), FailOn::At(y)) => FailOn::At(x.min(y)),
    }
}

/// Whether `rule` evidences any control in `framework`'s scope.
pub fn maps_to(rule: &RuleMeta, framework: Framework) -> bool {
    if framework.is_800_53() {
        rule.controls.iter().any(|c| framework.contains(c))
    } else {
        rule.nist_800_171.iter().any(|r| framework.contains(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity::*;

    fn rule(id: &str, controls: &[&str], r171: &[&str]) -> RuleMeta {
        RuleMeta {
            id: id.into(),
            title: String::new(),
            severity: High,
            applies_to: vec!["k8s:Pod".into()],
            controls: controls.iter().map(|s| s.to_string()).collect(),
            nist_800_171: r171.iter().map(|s| s.to_string()).collect(),
            rationale: String::new(),
            remediation: String::new(),
            references: Vec::new(),
            paths: Vec::new(),
            status: crate::RuleStatus::Active,
            params: BTreeMap::new(),
            source: String::new(),
        }
    }

    #[test]
    fn rule_override_then_strictest_framework_then_default() {
        let gate = Gate {
            default: FailOn::At(High),
            frameworks: vec![(Framework::FedrampModerate, FailOn::At(Moderate)), (Framework::Nist800171R2, FailOn::At(Low))],
            rules: BTreeMap::from([("TG-X-003".to_string(), FailOn::Never)]),
        };
        // AC-2 is in FedRAMP Moderate; 3.1.1 is an 800-171 requirement.
        assert_eq!(gate.threshold(&rule("TG-X-001", &["AC-2"], &[])), FailOn::At(Moderate));
        assert_eq!(gate.threshold(&rule("TG-X-002", &["AC-2"], &["3.1.1"])), FailOn::At(Low), "strictest of the two");
        assert_eq!(gate.threshold(&rule("TG-X-003", &["AC-2"], &["3.1.1"])), FailOn::Never, "the rule's own override wins");
        // PM-1 is a program-management control outside the FedRAMP Moderate baseline.
        assert_eq!(gate.threshold(&rule("TG-X-004", &["PM-1"], &[])), FailOn::At(High), "no framework applies");
        assert!(!gate.is_never() && gate.fails_on_errors());
        assert_eq!(stricter(FailOn::Never, FailOn::At(Critical)), FailOn::At(Critical));
    }

    #[test]
    fn never_everywhere_is_never() {
        assert!(Gate::uniform(FailOn::Never).is_never());
        let mut gate = Gate::uniform(FailOn::Never);
        gate.rules.insert("TG-X-001".into(), FailOn::At(Critical));
        assert!(!gate.is_never());
        assert!(!gate.fails_on_errors(), "errors follow the default threshold");
    }
}
