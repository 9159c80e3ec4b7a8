//! [`Item`]: one weakness (a failing rule) on one system, with its status,
//! the flags that need a person's attention, and the FedRAMP views derived
//! from it (risk status, which sheet it belongs on, days overdue).

use super::{Asset, Day, DeviationKind, DeviationState, Event, ItemDeviation, LogEntry, Milestone};
use crate::poam::risk::Risk;
use crate::severity::Severity;
use serde::Serialize;

/// Whether the weakness is still detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    Open,
    Closed,
}

impl ItemStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Open => "open",
            ItemStatus::Closed => "closed",
        }
    }
}

/// Something about an item that needs a person's attention, recomputed on every scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlagKind {
    Overdue,
    /// CMMC Level 2: the 800-171 requirement may not be on a POA&M.
    CmmcNotEligible,
    DeviationExpired,
    DeviationRejected,
}

impl FlagKind {
    pub const ALL: [FlagKind; 4] = [FlagKind::Overdue, FlagKind::CmmcNotEligible, FlagKind::DeviationExpired, FlagKind::DeviationRejected];

    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::Overdue => "overdue",
            FlagKind::CmmcNotEligible => "cmmc-not-eligible",
            FlagKind::DeviationExpired => "deviation-expired",
            FlagKind::DeviationRejected => "deviation-rejected",
        }
    }

    pub fn parse(s: &str) -> Option<FlagKind> {
        FlagKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub text: String,
}

/// One POA&M item: one weakness (a failing rule) on one system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// `POAM-0001`: assigned once, in order of first detection, never reused.
    pub poam_id: String,
    pub rule_id: String,
    /// Weakness name: the rule's title.
    pub title: String,
    /// Weakness description: the rule's rationale.
    pub description: String,
    pub severity: Severity,
    /// SP 800-53 Rev 5 control ids.
    pub controls: Vec<String>,
    /// SP 800-171 Rev 2 requirement ids.
    pub nist_800_171: Vec<String>,
    /// Overall remediation plan: the rule's remediation.
    pub remediation: String,
    /// Where the rule came from (`builtin/...` or a pack path).
    pub rule_source: String,
    /// The Tollgate version that last updated the item.
    pub detector_version: String,
    pub point_of_contact: String,
    pub resources_required: String,
    pub status: ItemStatus,
    /// Original detection date (first ever; kept across reopening).
    pub detected: Day,
    /// Start of the current open period (the detection or the last reopening).
    pub opened: Day,
    pub last_seen: Day,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<Day>,
    /// Scheduled completion date.
    pub due: Day,
    pub milestones: Vec<Milestone>,
    /// Affected assets, sorted by kind and id. A closed item keeps those of its last detection.
    pub assets: Vec<Asset>,
    /// Original risk rating (computed; see `docs/risk.md`).
    pub risk: Risk,
    /// Adjusted risk rating, from an applied risk adjustment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjusted_risk: Option<Severity>,
    pub deviations: Vec<ItemDeviation>,
    pub flags: Vec<Flag>,
    pub log: Vec<LogEntry>,
    /// Free text kept from the ledger (OSCAL `remarks` of the poam-item).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
}

impl Item {
    pub fn is_open(&self) -> bool {
        self.status == ItemStatus::Open
    }

    /// The applied deviation of `kind`, if any.
    pub fn applied(&self, kind: DeviationKind) -> Option<&ItemDeviation> {
        self.deviations.iter().find(|d| d.kind == kind && d.state == DeviationState::Applied)
    }

    /// The OSCAL risk status: `closed` when no longer detected,
    /// `deviation-approved` under an applied false positive or operational
    /// requirement, else `open`.
    pub fn risk_status(&self) -> &'static str {
        if !self.is_open() {
            "closed"
        } else if self.applied(DeviationKind::FalsePositive).is_some() || self.applied(DeviationKind::OperationalRequirement).is_some() {
            "deviation-approved"
        } else {
            "open"
        }
    }

    /// Whether the item belongs on FedRAMP's "Closed POA&M Items" sheet:
    /// closed, or an approved false positive.
    pub fn on_closed_sheet(&self) -> bool {
        !self.is_open() || self.applied(DeviationKind::FalsePositive).is_some()
    }

    /// Open items with no applied false positive, operational requirement or
    /// vendor dependency are held to their scheduled completion date.
    pub fn held_to_schedule(&self) -> bool {
        self.is_open()
            && [DeviationKind::FalsePositive, DeviationKind::OperationalRequirement, DeviationKind::VendorDependency]
                .iter()
                .all(|k| self.applied(*k).is_none())
    }

    /// Days past the scheduled completion date on `today`, when the item is held to it and late.
    pub fn days_overdue(&self, today: Day) -> Option<i64> {
        let late = today.days_since(self.due);
        (self.held_to_schedule() && late > 0).then_some(late)
    }

    /// The rating that counts: adjusted when adjusted, else original.
    pub fn effective_level(&self) -> Severity {
        self.adjusted_risk.unwrap_or(self.risk.level)
    }

    /// FedRAMP "Status Date": the date of the last logged change.
    pub fn status_date(&self) -> Day {
        self.log.last().map_or(self.detected, |e| e.date)
    }

    /// FedRAMP "Milestone Changes": every rescheduling.
    pub fn milestone_changes(&self) -> impl Iterator<Item = &LogEntry> {
        self.log.iter().filter(|e| e.event == Event::Rescheduled)
    }

    /// FedRAMP "Weakness Detector Source".
    pub fn detector_source(&self) -> String {
        format!("tollgate {} rule {} ({})", self.detector_version, self.rule_id, self.rule_source)
    }

    pub fn flag(&self, kind: FlagKind) -> bool {
        self.flags.iter().any(|f| f.kind == kind)
    }
}
