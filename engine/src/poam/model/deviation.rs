//! Deviations as they stand on an item: FedRAMP's four kinds, and whether
//! each took effect on the last scan (applied, expired or rejected, and why).
//! Reading and judging the deviations file is [`crate::poam::deviations`].

use super::Day;
use crate::severity::Severity;
use serde::Serialize;

/// The FedRAMP deviation types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviationKind {
    FalsePositive,
    RiskAdjustment,
    OperationalRequirement,
    VendorDependency,
}

impl DeviationKind {
    pub const ALL: [DeviationKind; 4] = [
        DeviationKind::RiskAdjustment,
        DeviationKind::FalsePositive,
        DeviationKind::OperationalRequirement,
        DeviationKind::VendorDependency,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeviationKind::FalsePositive => "false-positive",
            DeviationKind::RiskAdjustment => "risk-adjustment",
            DeviationKind::OperationalRequirement => "operational-requirement",
            DeviationKind::VendorDependency => "vendor-dependency",
        }
    }

    /// "False Positive", as the FedRAMP template titles it.
    pub fn title(self) -> &'static str {
        match self {
            DeviationKind::FalsePositive => "False Positive",
            DeviationKind::RiskAdjustment => "Risk Adjustment",
            DeviationKind::OperationalRequirement => "Operational Requirement",
            DeviationKind::VendorDependency => "Vendor Dependency",
        }
    }

    pub fn parse(s: &str) -> Option<DeviationKind> {
        DeviationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Whether a deviation from the deviations file takes effect on this scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviationState {
    Applied,
    /// Past its expiry date: it no longer applies.
    Expired,
    /// Breaks a FedRAMP rule (see `docs/poam.md`): it does not apply.
    Rejected,
}

impl DeviationState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeviationState::Applied => "applied",
            DeviationState::Expired => "expired",
            DeviationState::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<DeviationState> {
        [DeviationState::Applied, DeviationState::Expired, DeviationState::Rejected].into_iter().find(|k| k.as_str() == s)
    }
}

/// A deviation as it stands on an item after the last scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemDeviation {
    pub kind: DeviationKind,
    pub state: DeviationState,
    /// Why it is expired or rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub justification: String,
    pub approver: String,
    pub approved: Day,
    pub expires: Day,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjusted_risk: Option<Severity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_checkin: Option<Day>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor_product: Option<String>,
}
