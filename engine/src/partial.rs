//! Partial scans: a report that covers only what changed since a git
//! revision (`tollgate scan --changed-since REV`).
//!
//! The engine does not choose the files (the inputs crate narrows the
//! discovery); it records that the report is partial, so that no reader takes
//! it for a whole-system assessment, and rewords the rule-level skips: "no
//! resource of kind k8s:Pod was found" is true of the changed files only, and
//! says nothing about the rest of the repository.

use crate::result::{ScanReport, Status};
use serde::Serialize;

/// What a `--changed-since` scan compared against and how much it kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChangedSince {
    /// The revision as given, e.g. `origin/main`.
    pub rev: String,
    /// The commit compared against: the merge base of `rev` and HEAD.
    pub base: String,
    /// Files added, modified, renamed, deleted or untracked under the scan
    /// roots since `base`, whether or not Tollgate reads them.
    pub files_changed: usize,
    /// The policy itself changed (the config file or a rule pack), so every
    /// file was scanned and the report is complete after all.
    pub policy_changed: bool,
}

impl ChangedSince {
    /// Whether the report covers only part of the inputs.
    pub fn is_partial(&self) -> bool {
        !self.policy_changed
    }
}

impl ScanReport {
    /// Records that this scan covered what changed since `changed.rev`, and
    /// says so in the skips of rules that found nothing to judge. Call it
    /// before building a framework view, which reads the findings.
    pub fn mark_changed_since(&mut self, changed: ChangedSince) {
        if changed.is_partial() {
            let scope = format!("in the files changed since {} (a partial scan)", changed.rev);
            for f in self.findings.iter_mut().filter(|f| f.status == Status::Skip && f.resource.is_none() && f.location.is_none()) {
                f.message = format!("no resource of kind {} {scope}", f.rule.applies_to.join(", "));
            }
        }
        self.summary.changed_since = Some(changed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Limits, Policy, RuleOverrides, RuleSource, ScanOptions, Silent};
    use std::sync::Arc;

    fn report() -> ScanReport {
        let rule = RuleSource {
            path: "r.rhai".into(),
            text: Arc::from(
                r#"const RULE = #{ id: "EX-1", title: "t", severity: "low", applies_to: ["k8s:Pod"], controls: ["CM-6"],
                   rationale: "r", remediation: "m" }; fn check(r) { pass() }"#,
            ),
        };
        let policy = Policy::load(&[rule], &RuleOverrides::default(), Limits::default()).unwrap();
        policy.scan(tollgate_inputs::Discovery::default(), &ScanOptions::default(), &Silent)
    }

    #[test]
    fn a_partial_scan_says_where_it_looked() {
        let mut r = report();
        assert_eq!(r.findings[0].message, "no resource of kind k8s:Pod was found");
        r.mark_changed_since(ChangedSince { rev: "main".into(), base: "abc".into(), files_changed: 2, policy_changed: false });
        assert_eq!(r.findings[0].message, "no resource of kind k8s:Pod in the files changed since main (a partial scan)");
        assert_eq!(r.summary.changed_since.as_ref().map(|c| c.files_changed), Some(2));
    }

    #[test]
    fn a_policy_change_makes_the_scan_complete() {
        let mut r = report();
        r.mark_changed_since(ChangedSince { rev: "main".into(), policy_changed: true, ..ChangedSince::default() });
        assert_eq!(r.findings[0].message, "no resource of kind k8s:Pod was found");
        assert!(!r.summary.changed_since.unwrap().is_partial());
    }
}
