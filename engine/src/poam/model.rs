//! The POA&M ledger as plain data: items, their assets, risk, deviations
//! and history. Everything here is what the OSCAL ledger file stores (see
//! [`super::oscal`]) and what the reports render; nothing here does IO.

use super::risk::Risk;
use crate::result::Location;
use crate::severity::Severity;
use serde::{Serialize, Serializer};
use std::fmt;

/// A calendar day (UTC), stored as days since 1970-01-01. POA&M dates are
/// days: detection, scheduled completion, check-ins and expiries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

const SECONDS_PER_DAY: i64 = 86_400;

impl Day {
    /// The UTC day containing `unix_seconds`.
    pub fn from_unix(unix_seconds: i64) -> Day {
        Day(unix_seconds.div_euclid(SECONDS_PER_DAY))
    }

    /// `YYYY-MM-DD`, or a date-time in any form [`crate::api::dates::parse_timestamp`]
    /// reads (the day is taken in UTC).
    pub fn parse(s: &str) -> Option<Day> {
        crate::api::dates::parse_timestamp(s).map(Day::from_unix)
    }

    pub fn plus_days(self, days: i64) -> Day {
        Day(self.0 + days)
    }

    /// Whole days from `earlier` to `self` (negative when `earlier` is later).
    pub fn days_since(self, earlier: Day) -> i64 {
        self.0 - earlier.0
    }

    /// Midnight UTC of this day, as OSCAL writes date-times.
    pub fn to_oscal(self) -> String {
        format!("{self}T00:00:00Z")
    }

    /// Year, month (1–12) and day of month.
    pub fn ymd(self) -> (i16, i8, i8) {
        let d = self.date();
        (d.year(), d.month(), d.day())
    }

    fn date(self) -> jiff::civil::Date {
        let ts = jiff::Timestamp::from_second(self.0 * SECONDS_PER_DAY).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        jiff::tz::Offset::UTC.to_datetime(ts).date()
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date())
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

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

/// The identity of an affected asset: the resource, never the file it is in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct AssetKey {
    pub kind: String,
    pub id: String,
}

impl fmt::Display for AssetKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.id)
    }
}

/// One affected resource of an item, with where it fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Asset {
    pub kind: String,
    pub id: String,
    /// Every failing location, sorted (a resource can fail one rule at several lines).
    pub locations: Vec<Location>,
    /// The rule's message for the first location.
    pub message: String,
    pub first_seen: Day,
}

impl Asset {
    pub fn key(&self) -> AssetKey {
        AssetKey { kind: self.kind.clone(), id: self.id.clone() }
    }

    /// `path:line` (or `path:start-end`) of every location, joined with `, `.
    pub fn where_(&self) -> String {
        self.locations.iter().map(location_text).collect::<Vec<_>>().join(", ")
    }

    /// The FedRAMP "Asset Identifier": `kind id (path:line)`.
    pub fn identifier(&self) -> String {
        if self.locations.is_empty() {
            format!("{} {}", self.kind, self.id)
        } else {
            format!("{} {} ({})", self.kind, self.id, self.where_())
        }
    }
}

/// `path:line` or `path:start-end`.
pub fn location_text(l: &Location) -> String {
    if l.end_line > l.start_line {
        format!("{}:{}-{}", l.path, l.start_line, l.end_line)
    } else {
        format!("{}:{}", l.path, l.start_line)
    }
}

/// Reads [`location_text`] back.
pub fn parse_location(s: &str) -> Option<Location> {
    let (path, lines) = s.rsplit_once(':')?;
    let (start, end) = match lines.split_once('-') {
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => {
            let n = lines.parse().ok()?;
            (n, n)
        }
    };
    (!path.is_empty()).then(|| Location { path: path.to_string(), start_line: start, end_line: end })
}

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

/// The whole ledger of one system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ledger {
    /// The system id the weaknesses belong to (`[system] id`, else name).
    pub system_id: String,
    pub system_name: String,
    /// FIPS 199 categorization at the last scan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categorization: Option<Severity>,
    /// Date of the last scan that updated the ledger.
    pub updated: Day,
    pub tool_version: String,
    /// Items sorted by POA&M id.
    pub items: Vec<Item>,
}

impl Ledger {
    pub fn item(&self, poam_id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.poam_id == poam_id)
    }

    pub fn item_for_rule(&self, rule_id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.rule_id == rule_id)
    }
}

/// `POAM-0001` for 1.
pub fn poam_id(n: u32) -> String {
    format!("POAM-{n:04}")
}

/// The number in a `POAM-NNNN` id.
pub fn poam_number(id: &str) -> Option<u32> {
    id.strip_prefix("POAM-")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_locations() {
        let d = Day::parse("2025-01-15").unwrap();
        assert_eq!(d.to_string(), "2025-01-15");
        assert_eq!(d.plus_days(30).to_string(), "2025-02-14");
        assert_eq!(Day::parse("2025-01-15T23:59:59Z"), Some(d));
        assert_eq!(d.plus_days(17).days_since(d), 17);
        assert_eq!(d.to_oscal(), "2025-01-15T00:00:00Z");
        let l = parse_location("k8s/a:b.yaml:3-7").unwrap();
        assert_eq!((l.path.as_str(), l.start_line, l.end_line), ("k8s/a:b.yaml", 3, 7));
        assert_eq!(location_text(&l), "k8s/a:b.yaml:3-7");
        assert_eq!(parse_location("x.yaml:4").map(|l| l.end_line), Some(4));
        assert_eq!(poam_number(&poam_id(12)), Some(12));
    }
}
