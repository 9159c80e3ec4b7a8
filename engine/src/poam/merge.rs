//! The ledger update: one scan merged into the previous ledger.
//!
//! - A new weakness opens an item with the next POA&M id.
//! - A weakness seen again keeps its id, detection date and history; its
//!   assets are brought up to date (added, removed, moved) with a log entry
//!   for each change, and `last_seen` moves on.
//! - A weakness that is gone is closed with its closure date; closed items
//!   stay, with the assets of their last detection.
//! - A weakness that comes back reopens, with a new schedule.
//! - Nothing is judged fixed that the scan did not judge: a rule that did
//!   not run, an evaluation that errored, or a file that could not be read
//!   leave their assets as they were.

use super::config::PoamSettings;
use super::deviations::{self, Deviation, Target};
use super::draft::{observe, Observed, ObservedAsset, Weakness};
use super::model::{
    location_text, poam_id, poam_number, Asset, AssetKey, Day, DeviationState, Event, Flag, FlagKind, Item, ItemDeviation, ItemStatus,
    Ledger, LogEntry, Milestone,
};
use super::risk::{self, Risk, RiskInputs};
use crate::catalog::{self, PoamEligibility};
use crate::result::{ScanReport, SystemInfo};
use crate::severity::Severity;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the update needs besides the previous ledger.
pub struct UpdateInput<'a> {
    pub report: &'a ScanReport,
    pub settings: &'a PoamSettings,
    pub deviations: &'a [Deviation],
    /// The scan date (`--now`, else today).
    pub today: Day,
    /// The Tollgate version, for "Weakness Detector Source".
    pub tool_version: &'a str,
}

/// What changed, for the command line to tell.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateSummary {
    pub opened: Vec<String>,
    pub reopened: Vec<String>,
    pub closed: Vec<String>,
    pub assets_added: usize,
    pub assets_removed: usize,
    /// Open items after the update (approved false positives are not counted).
    pub open: usize,
    pub overdue: usize,
    /// Deviations that match no item, and flags that need attention.
    pub warnings: Vec<String>,
}

/// The id weaknesses are keyed by: `[system] id`, else its name, else `system`.
pub fn system_key(system: &SystemInfo) -> String {
    system.id.clone().or_else(|| system.name.clone()).filter(|s| !s.trim().is_empty()).unwrap_or_else(|| "system".into())
}

/// Merges one scan into `previous` (or into an empty ledger).
pub fn update(previous: Option<Ledger>, input: &UpdateInput) -> (Ledger, UpdateSummary) {
    let observed = observe(input.report);
    let system = &input.report.system;
    let mut summary = UpdateSummary::default();
    if let Some(prev) = previous.as_ref().filter(|p| p.updated > input.today) {
        summary.warnings.push(format!("the scan date {} is before the ledger's last update {}", input.today, prev.updated));
    }
    let mut ledger = previous.unwrap_or_else(|| Ledger {
        system_id: system_key(system),
        system_name: String::new(),
        categorization: None,
        updated: input.today,
        tool_version: String::new(),
        items: Vec::new(),
    });
    ledger.system_name = system.name.clone().unwrap_or_else(|| ledger.system_id.clone());
    ledger.categorization = system.categorization;
    ledger.updated = input.today;
    ledger.tool_version = input.tool_version.to_string();
    let mut ctx = Ctx { input, observed: &observed, summary: &mut summary, categorization: system.categorization };

    let mut seen_rules = Vec::new();
    for item in &mut ledger.items {
        seen_rules.push(item.rule_id.clone());
        match observed.weaknesses.get(&item.rule_id) {
            Some(w) => ctx.seen_again(item, w),
            None => ctx.not_seen(item),
        }
    }
    let mut next = ledger.items.iter().filter_map(|i| poam_number(&i.poam_id)).max().unwrap_or(0);
    for (rule_id, w) in &observed.weaknesses {
        if !seen_rules.contains(rule_id) {
            next += 1;
            let item = ctx.open(poam_id(next), w);
            ledger.items.push(item);
        }
    }
    ledger.items.sort_by_key(|i| (poam_number(&i.poam_id).unwrap_or(u32::MAX), i.poam_id.clone()));

    for item in &mut ledger.items {
        let devs: Vec<&Deviation> = input
            .deviations
            .iter()
            .filter(|d| match &d.target {
                Target::Rule(r) => *r == item.rule_id,
                Target::Item(i) => *i == item.poam_id,
            })
            .collect();
        ctx.assess(item, &devs);
    }
    for d in input.deviations {
        let matched = ledger.items.iter().any(|i| match &d.target {
            Target::Rule(r) => *r == i.rule_id,
            Target::Item(p) => *p == i.poam_id,
        });
        if !matched {
            ctx.summary.warnings.push(format!("the {} for {} matches no POA&M item", d.kind.as_str(), d.target));
        }
    }
    for item in ledger.items.iter().filter(|i| i.is_open()) {
        ctx.summary.open += usize::from(!item.on_closed_sheet());
        if item.flag(FlagKind::Overdue) {
            ctx.summary.overdue += 1;
        }
        for f in item.flags.iter().filter(|f| f.kind != FlagKind::Overdue) {
            ctx.summary.warnings.push(format!("{}: {}", item.poam_id, f.text));
        }
    }
    (ledger, summary)
}

struct Ctx<'a, 'b> {
    input: &'a UpdateInput<'a>,
    observed: &'a Observed,
    summary: &'b mut UpdateSummary,
    categorization: Option<Severity>,
}

fn log(item: &mut Item, date: Day, event: Event, text: String) {
    item.log.push(LogEntry { date, event, text });
}

fn asset_list(assets: &[Asset]) -> String {
    const SHOWN: usize = 5;
    let mut parts: Vec<String> = assets.iter().take(SHOWN).map(Asset::identifier).collect();
    if assets.len() > SHOWN {
        parts.push(format!("and {} more", assets.len() - SHOWN));
    }
    parts.join("; ")
}

fn paths(a: &Asset) -> Vec<&str> {
    let mut p: Vec<&str> = a.locations.iter().map(|l| l.path.as_str()).collect();
    p.dedup();
    p
}

impl Ctx<'_, '_> {
    fn today(&self) -> Day {
        self.input.today
    }

    fn new_asset(&self, key: &AssetKey, seen: &ObservedAsset) -> Asset {
        Asset {
            kind: key.kind.clone(),
            id: key.id.clone(),
            locations: seen.locations.clone(),
            message: seen.message.clone(),
            first_seen: self.today(),
        }
    }

    /// Rule metadata, severity and settings that are refreshed on every sighting.
    fn refresh(&self, item: &mut Item, w: &Weakness) {
        let r = &w.rule;
        item.title = r.title.clone();
        item.description = r.rationale.clone();
        item.severity = w.severity;
        item.controls = r.controls.clone();
        item.nist_800_171 = r.nist_800_171.clone();
        item.remediation = r.remediation.clone();
        item.rule_source = r.source.clone();
        item.detector_version = self.input.tool_version.to_string();
        item.point_of_contact = self.input.settings.point_of_contact.clone();
        item.resources_required = self.input.settings.resources_required.clone();
        item.last_seen = self.today();
    }

    /// A risk with lateness `days_past_due`.
    fn risk(&self, item: &Item, days_past_due: i64) -> Risk {
        let internet = item.assets.iter().any(|a| self.input.settings.is_internet(&a.kind, &a.id, &paths(a)));
        risk::assess(&RiskInputs {
            severity: item.severity,
            categorization: self.categorization,
            weight: risk::weight_for(&item.controls, &item.nist_800_171),
            internet,
            affected: item.assets.len(),
            days_past_due,
        })
    }

    /// Sets the schedule of an open period starting today: due date from the
    /// risk level, and the drafted milestones.
    fn schedule(&self, item: &mut Item) {
        let level = self.risk(item, 0).level;
        let days = i64::from(self.input.settings.schedule.days_for(level));
        item.due = self.today().plus_days(days);
        item.milestones = draft_milestones(&item.rule_id, self.today(), item.due);
    }

    fn open(&mut self, poam_id: String, w: &Weakness) -> Item {
        let today = self.today();
        let mut item = Item {
            poam_id,
            rule_id: w.rule.id.clone(),
            title: String::new(),
            description: String::new(),
            severity: w.severity,
            controls: Vec::new(),
            nist_800_171: Vec::new(),
            remediation: String::new(),
            rule_source: String::new(),
            detector_version: String::new(),
            point_of_contact: String::new(),
            resources_required: String::new(),
            status: ItemStatus::Open,
            detected: today,
            opened: today,
            last_seen: today,
            closed: None,
            due: today,
            milestones: Vec::new(),
            assets: w.assets.iter().map(|(k, a)| self.new_asset(k, a)).collect(),
            risk: Risk { factors: Vec::new(), score: 0, level: Severity::Low },
            adjusted_risk: None,
            deviations: Vec::new(),
            flags: Vec::new(),
            log: Vec::new(),
            comments: None,
        };
        self.refresh(&mut item, w);
        self.schedule(&mut item);
        item.risk = self.risk(&item, 0);
        let text = format!("detected on {} asset(s): {}", item.assets.len(), asset_list(&item.assets));
        log(&mut item, today, Event::Opened, text);
        self.summary.opened.push(item.poam_id.clone());
        self.summary.assets_added += item.assets.len();
        item
    }

    fn seen_again(&mut self, item: &mut Item, w: &Weakness) {
        let today = self.today();
        self.refresh(item, w);
        if !item.is_open() {
            let closed = item.closed.map_or_else(|| "?".to_string(), |d| d.to_string());
            item.status = ItemStatus::Open;
            item.closed = None;
            item.opened = today;
            item.assets = w.assets.iter().map(|(k, a)| self.new_asset(k, a)).collect();
            let text = format!("detected again (closed on {closed}) on {} asset(s): {}", item.assets.len(), asset_list(&item.assets));
            log(item, today, Event::Reopened, text);
            let old_due = item.due;
            self.schedule(item);
            if item.due != old_due {
                log(item, today, Event::Rescheduled, format!("scheduled completion moved from {old_due} to {} on reopening", item.due));
            }
            self.summary.reopened.push(item.poam_id.clone());
            self.summary.assets_added += item.assets.len();
            return;
        }
        let old: BTreeMap<AssetKey, Asset> = std::mem::take(&mut item.assets).into_iter().map(|a| (a.key(), a)).collect();
        let added: Vec<Asset> = w.assets.iter().filter(|(k, _)| !old.contains_key(k)).map(|(k, a)| self.new_asset(k, a)).collect();
        let mut entries = Vec::new();
        let mut kept = Vec::new();
        for (key, mut asset) in old {
            if let Some(now) = w.assets.get(&key) {
                let mut now_paths: Vec<&str> = now.locations.iter().map(|l| l.path.as_str()).collect();
                now_paths.dedup();
                if !now_paths.is_empty() && now_paths != paths(&asset) {
                    let to: Vec<String> = now.locations.iter().map(location_text).collect();
                    entries.push((Event::AssetMoved, format!("{key} moved from {} to {}", asset.where_(), to.join(", "))));
                }
                asset.locations = now.locations.clone();
                asset.message = now.message.clone();
                kept.push(asset);
            } else if self.observed.judged(&item.rule_id, &key, &paths(&asset)) {
                let renamed = added.iter().find(|a| a.kind == asset.kind && paths(a).iter().any(|p| paths(&asset).contains(p)));
                let text = match renamed {
                    Some(n) => format!(
                        "{key} no longer fails (was at {}); {} fails at the same place: a renamed resource is a new asset",
                        asset.where_(),
                        n.id
                    ),
                    None => format!("{key} no longer fails (was at {})", asset.where_()),
                };
                entries.push((Event::AssetRemoved, text));
                self.summary.assets_removed += 1;
            } else {
                kept.push(asset);
            }
        }
        for a in &added {
            entries.push((Event::AssetAdded, format!("{} fails at {}", a.key(), a.where_())));
        }
        self.summary.assets_added += added.len();
        kept.extend(added);
        kept.sort_by_key(Asset::key);
        item.assets = kept;
        for (event, text) in entries {
            log(item, today, event, text);
        }
    }

    fn not_seen(&mut self, item: &mut Item) {
        if !item.is_open() || !self.observed.rules_run.contains(&item.rule_id) {
            return;
        }
        let today = self.today();
        let (judged, unjudged): (Vec<Asset>, Vec<Asset>) =
            item.assets.iter().cloned().partition(|a| self.observed.judged(&item.rule_id, &a.key(), &paths(a)));
        if unjudged.is_empty() {
            item.status = ItemStatus::Closed;
            item.closed = Some(today);
            log(item, today, Event::Closed, format!("no longer detected; last on {}", asset_list(&item.assets)));
            self.summary.closed.push(item.poam_id.clone());
            self.summary.assets_removed += item.assets.len();
            return;
        }
        for a in &judged {
            log(item, today, Event::AssetRemoved, format!("{} no longer fails (was at {})", a.key(), a.where_()));
        }
        self.summary.assets_removed += judged.len();
        item.assets = unjudged;
    }

    /// Risk, deviations and flags of an item as of today.
    fn assess(&mut self, item: &mut Item, devs: &[&Deviation]) {
        if !item.is_open() {
            item.flags.clear();
            return;
        }
        let today = self.today();
        let base = self.risk(item, 0);
        let states = deviations::evaluate(devs, base.level, today);
        log_deviations(item, &states, today);
        item.deviations = states;
        item.adjusted_risk = item.applied(super::model::DeviationKind::RiskAdjustment).and_then(|d| d.adjusted_risk);
        let late = if item.held_to_schedule() { today.days_since(item.due).max(0) } else { 0 };
        let risk = self.risk(item, late);
        if !item.risk.factors.is_empty() && risk.level != item.risk.level {
            let changed: Vec<String> = risk
                .factors
                .iter()
                .filter_map(|f| {
                    let old = item.risk.factors.iter().find(|o| o.name == f.name)?;
                    (old.value != f.value).then(|| format!("{} {} → {}", f.name, old.value, f.value))
                })
                .collect();
            let text = format!(
                "risk {} ({}) → {} ({}): {}",
                item.risk.level,
                item.risk.score,
                risk.level,
                risk.score,
                if changed.is_empty() { "rule severity changed".into() } else { changed.join(", ") }
            );
            log(item, today, Event::RiskChanged, text);
        }
        item.risk = risk;
        item.flags = self.flags(item);
    }

    fn flags(&self, item: &Item) -> Vec<Flag> {
        let mut out = Vec::new();
        if let Some(late) = item.days_overdue(self.today()) {
            out.push(Flag { kind: FlagKind::Overdue, text: format!("{late} day(s) past the scheduled completion date {}", item.due) });
        }
        if self.input.settings.schedule.policy == super::config::SchedulePolicy::Cmmc {
            for req in item.nist_800_171.iter().filter_map(|r| catalog::requirement_171(r)) {
                let why = match req.poam_eligible {
                    PoamEligibility::Yes => continue,
                    PoamEligibility::IfPartial => {
                        "may be on a POA&M only when partially implemented (encryption that is not FIPS-validated)"
                    }
                    PoamEligibility::No => "may not be on a POA&M; it must be met for Conditional Level 2 status",
                };
                let points = req.points.map_or_else(|| "no SPRS value".to_string(), |p| format!("{p} SPRS points"));
                out.push(Flag {
                    kind: FlagKind::CmmcNotEligible,
                    text: format!("CMMC Level 2: {} ({}, {points}) {why} (32 CFR 170.21(a)(2))", req.cmmc_practice, req.id),
                });
            }
        }
        for d in &item.deviations {
            let reason = d.reason.clone().unwrap_or_default();
            match d.state {
                DeviationState::Applied => {}
                DeviationState::Expired => {
                    out.push(Flag { kind: FlagKind::DeviationExpired, text: format!("{} {reason}: it no longer applies", d.kind.as_str()) })
                }
                DeviationState::Rejected => {
                    out.push(Flag { kind: FlagKind::DeviationRejected, text: format!("{} not applied: {reason}", d.kind.as_str()) })
                }
            }
        }
        out
    }
}

fn log_deviations(item: &mut Item, states: &[ItemDeviation], today: Day) {
    let before: BTreeMap<_, _> = item.deviations.iter().map(|d| (d.kind, d.state)).collect();
    for d in states {
        if before.get(&d.kind) == Some(&d.state) {
            continue;
        }
        let what = d.kind.as_str();
        let (event, text) = match d.state {
            DeviationState::Applied => {
                let adjusted = d.adjusted_risk.map(|a| format!(" to {a}")).unwrap_or_default();
                let text =
                    format!("{what}{adjusted} approved by {} on {}, expires {}: {}", d.approver, d.approved, d.expires, d.justification);
                (Event::DeviationApplied, text)
            }
            DeviationState::Expired => (Event::DeviationExpired, format!("{what} expired on {}; it no longer applies", d.expires)),
            DeviationState::Rejected => {
                (Event::DeviationRejected, format!("{what} not applied: {}", d.reason.as_deref().unwrap_or("rejected")))
            }
        };
        log(item, today, event, text);
    }
    for (kind, _) in before.iter().filter(|(k, _)| !states.iter().any(|d| d.kind == **k)) {
        log(item, today, Event::DeviationEnded, format!("{} removed from the deviations file", kind.as_str()));
    }
}

/// The drafted milestones of an open period from `start` to `due`: triage
/// after the first sixth, the fix by the last sixth, verification on the due date.
pub fn draft_milestones(rule_id: &str, start: Day, due: Day) -> Vec<Milestone> {
    let window = due.days_since(start).max(1);
    let step = (window / 6).max(1);
    let triage = start.plus_days(step.min(window));
    let fix = due.plus_days(-step).max(triage);
    vec![
        Milestone {
            title: "Triage".into(),
            description: "Confirm the weakness on every affected asset and assign the change.".into(),
            due: triage,
        },
        Milestone {
            title: "Fix in code".into(),
            description: "Change the configuration as the remediation plan says, through the usual review.".into(),
            due: fix,
        },
        Milestone {
            title: "Verify by re-scan".into(),
            description: format!("Run `tollgate scan --poam` again: the item closes when no asset fails {rule_id}."),
            due,
        },
    ]
}
