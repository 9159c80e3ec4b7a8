//! What an item plans and what happened to it: the planned milestones and
//! the log, which only grows and from which FedRAMP's "Status Date" and
//! "Milestone Changes" are read.

use super::Day;
use serde::Serialize;

/// A planned milestone of the remediation plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub title: String,
    pub description: String,
    pub due: Day,
}

/// What happened to an item, as its log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Event {
    Opened,
    AssetAdded,
    AssetRemoved,
    AssetMoved,
    Closed,
    Reopened,
    /// The scheduled completion date changed (FedRAMP "Milestone Changes").
    Rescheduled,
    RiskChanged,
    DeviationApplied,
    DeviationExpired,
    DeviationRejected,
    DeviationEnded,
}

impl Event {
    pub const ALL: [Event; 12] = [
        Event::Opened,
        Event::AssetAdded,
        Event::AssetRemoved,
        Event::AssetMoved,
        Event::Closed,
        Event::Reopened,
        Event::Rescheduled,
        Event::RiskChanged,
        Event::DeviationApplied,
        Event::DeviationExpired,
        Event::DeviationRejected,
        Event::DeviationEnded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::Opened => "opened",
            Event::AssetAdded => "asset-added",
            Event::AssetRemoved => "asset-removed",
            Event::AssetMoved => "asset-moved",
            Event::Closed => "closed",
            Event::Reopened => "reopened",
            Event::Rescheduled => "rescheduled",
            Event::RiskChanged => "risk-changed",
            Event::DeviationApplied => "deviation-applied",
            Event::DeviationExpired => "deviation-expired",
            Event::DeviationRejected => "deviation-rejected",
            Event::DeviationEnded => "deviation-ended",
        }
    }

    pub fn parse(s: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// One line of an item's history. The log only grows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    pub date: Day,
    pub event: Event,
    pub text: String,
}
