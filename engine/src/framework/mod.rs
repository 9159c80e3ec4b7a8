//! The framework view: a scan's findings as a gap report against one framework.
//!
//! `tollgate scan --framework ID` (or `[report] framework`) turns the finding
//! list into one result per control of the framework ([`build`]), merges in
//! the manual attestations of an attestations file ([`attest`]), totals them
//! by family and, for `nist-800-171-r2` and `cmmc-l2`, computes the SPRS
//! score and whether CMMC Level 2 conditional status is reachable ([`sprs`]).
//!
//! Statuses (see `docs/frameworks.md`, "Framework view and SPRS"):
//!
//! - `satisfied`: at least one finding of the rules evidencing the control
//!   passed and none failed or errored (skips are not verdicts), or a valid
//!   attestation says so;
//! - `not-satisfied`: any finding failed, or an attestation says not
//!   satisfied or partially implemented;
//! - `not-assessed`: rules exist but gave no verdict (no matching resource,
//!   only skips, rule errors), or the control's attestation has expired;
//! - `manual`: no loaded rule evidences the control and nothing attests it;
//! - `not-applicable`: attested not applicable.
//!
//! The view is plain data: reporters render it, the engine never prints it.

pub mod attest;
pub mod build;
pub mod sprs;

pub use attest::{Attestation, AttestationError, Attestations, AttestedStatus};
pub use build::build;
pub use sprs::{Deduction, Sprs};

use crate::catalog::Framework;
use serde::{Deserialize, Serialize};

/// The state of one control in the framework view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ControlStatus {
    NotSatisfied,
    NotAssessed,
    Satisfied,
    NotApplicable,
    Manual,
}

impl ControlStatus {
    /// Every status, in the order reports list them: gaps first.
    pub const ALL: [ControlStatus; 5] = [
        ControlStatus::NotSatisfied,
        ControlStatus::NotAssessed,
        ControlStatus::Satisfied,
        ControlStatus::NotApplicable,
        ControlStatus::Manual,
    ];

    /// `not-satisfied`, as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::Satisfied => "satisfied",
            ControlStatus::NotSatisfied => "not-satisfied",
            ControlStatus::NotAssessed => "not-assessed",
            ControlStatus::Manual => "manual",
            ControlStatus::NotApplicable => "not-applicable",
        }
    }

    /// `not satisfied`, for prose and headings.
    pub fn label(self) -> &'static str {
        match self {
            ControlStatus::Satisfied => "satisfied",
            ControlStatus::NotSatisfied => "not satisfied",
            ControlStatus::NotAssessed => "not assessed",
            ControlStatus::Manual => "manual",
            ControlStatus::NotApplicable => "not applicable",
        }
    }

    /// Met for SPRS: satisfied, or attested not applicable.
    pub fn is_met(self) -> bool {
        matches!(self, ControlStatus::Satisfied | ControlStatus::NotApplicable)
    }
}

/// The attestation that names a control, as the view shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedAttestation {
    pub status: AttestedStatus,
    pub evidence: String,
    pub attested_by: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `YYYY-MM-DD`, or `None` when it does not expire.
    pub expires: Option<String>,
    /// `expires` is before the scan date: the attestation counts for nothing.
    pub expired: bool,
    /// Whether the attestation decided the control's status (false when it
    /// expired, or when the rules' evidence stands; see the status rules).
    pub applied: bool,
}

/// One control (or requirement, or practice) of the framework.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlResult {
    /// The framework's own id: `AC-2(1)`, `3.1.1` or `AC.L2-3.1.1`.
    pub id: &'static str,
    pub title: &'static str,
    /// Family code: `AC`.
    pub family: &'static str,
    pub status: ControlStatus,
    /// Why, in one sentence.
    pub reason: String,
    /// Rules of the loaded policy that evidence the control.
    pub rules: Vec<String>,
    /// Those of them with a failing finding.
    pub failing_rules: Vec<String>,
    /// Not satisfied because an attestation says "partially implemented"
    /// (only 3.5.3 and 3.13.11, which have a partial SPRS value).
    pub partial: bool,
    pub attestation: Option<AppliedAttestation>,
}

/// Counts of controls per status, and the satisfied share.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub total: usize,
    pub satisfied: usize,
    pub not_satisfied: usize,
    pub not_assessed: usize,
    pub manual: usize,
    pub not_applicable: usize,
    /// `satisfied / (total − not_applicable)`, in percent, one decimal (0 when nothing is applicable).
    pub percent_satisfied: f64,
}

impl Totals {
    fn add(&mut self, status: ControlStatus) {
        self.total += 1;
        *match status {
            ControlStatus::Satisfied => &mut self.satisfied,
            ControlStatus::NotSatisfied => &mut self.not_satisfied,
            ControlStatus::NotAssessed => &mut self.not_assessed,
            ControlStatus::Manual => &mut self.manual,
            ControlStatus::NotApplicable => &mut self.not_applicable,
        } += 1;
    }

    fn finish(&mut self) {
        let applicable = self.total - self.not_applicable;
        self.percent_satisfied = if applicable == 0 { 0.0 } else { (1000.0 * self.satisfied as f64 / applicable as f64).round() / 10.0 };
    }

    /// Controls with `status`.
    pub fn count(&self, status: ControlStatus) -> usize {
        match status {
            ControlStatus::Satisfied => self.satisfied,
            ControlStatus::NotSatisfied => self.not_satisfied,
            ControlStatus::NotAssessed => self.not_assessed,
            ControlStatus::Manual => self.manual,
            ControlStatus::NotApplicable => self.not_applicable,
        }
    }

    /// Totals of `statuses`.
    pub fn of(statuses: impl IntoIterator<Item = ControlStatus>) -> Totals {
        let mut t = Totals::default();
        statuses.into_iter().for_each(|s| t.add(s));
        t.finish();
        t
    }
}

/// Totals of one family.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FamilyTotals {
    /// Family code: `AC`.
    pub family: &'static str,
    /// `Access Control`.
    pub name: &'static str,
    #[serde(flatten)]
    pub totals: Totals,
}

/// A scan's findings as a gap report against one framework.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkView {
    #[serde(skip)]
    pub framework: Framework,
    /// Framework id: `fedramp-moderate`.
    pub id: &'static str,
    pub title: &'static str,
    /// The scan clock's date (UTC), `YYYY-MM-DD`: attestations expire against it.
    pub scan_date: String,
    /// The attestations file, as given.
    pub attestations_file: Option<String>,
    pub totals: Totals,
    /// In the order of the families' first controls.
    pub families: Vec<FamilyTotals>,
    /// Every control of the framework, in catalog order.
    pub controls: Vec<ControlResult>,
    /// Controls named in the attestations file that are not in this framework (not used).
    pub unused_attestations: Vec<String>,
    /// For `nist-800-171-r2` and `cmmc-l2` only.
    pub sprs: Option<Sprs>,
}

impl FrameworkView {
    /// The controls with `status`, in catalog order.
    pub fn with_status(&self, status: ControlStatus) -> impl Iterator<Item = &ControlResult> {
        self.controls.iter().filter(move |c| c.status == status)
    }

    /// Attestations that have expired, whether or not they decided the status.
    pub fn expired_attestations(&self) -> impl Iterator<Item = &ControlResult> {
        self.controls.iter().filter(|c| c.attestation.as_ref().is_some_and(|a| a.expired))
    }
}
