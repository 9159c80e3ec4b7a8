//! OSCAL plan-of-action-and-milestones → ledger, for the files
//! [`super::to_json`] writes (and hand edits of them). Every problem is a
//! [`PoamError::Ledger`] pointing at the place in the file: JSON syntax and
//! shape errors at serde's line and column, bad values at the value.

use super::types::*;
use super::{FEDRAMP_NS, FEDRAMP_SYSTEM, TG_NS, TG_RISK};
use crate::catalog::normalize_control_id;
use crate::poam::error::{offset_of, PoamError};
use crate::poam::model::{
    parse_location, Asset, Day, DeviationKind, DeviationState, Event, Flag, FlagKind, Item, ItemDeviation, ItemStatus, Ledger, LogEntry,
    Milestone,
};
use crate::poam::risk::{from_factors, Factor};
use crate::severity::Severity;
use std::collections::HashMap;
use std::sync::Arc;

struct Reader<'a> {
    path: &'a str,
    text: Arc<str>,
}

type Result<T> = std::result::Result<T, PoamError>;

fn prop<'p>(props: &'p [Prop], ns: &str, name: &str) -> Option<&'p str> {
    props.iter().find(|p| p.name == name && p.ns.as_deref() == Some(ns)).map(|p| p.value.as_str())
}

fn props_all<'p>(props: &'p [Prop], ns: &'p str, name: &'p str) -> impl Iterator<Item = &'p str> + 'p {
    props.iter().filter(move |p| p.name == name && p.ns.as_deref() == Some(ns)).map(|p| p.value.as_str())
}

fn tg<'p>(props: &'p [Prop], name: &str) -> Option<&'p str> {
    prop(props, TG_NS, name)
}

impl Reader<'_> {
    /// An error at the first occurrence of the JSON string `near` (a uuid or a value).
    fn fail(&self, near: &str, message: String) -> PoamError {
        let needle = serde_json::to_string(near).unwrap_or_default();
        let range = self.text.find(&needle).map_or(0..0, |at| at..at + needle.len());
        PoamError::ledger(self.path, &self.text, range, message)
    }

    fn need<'v>(&self, v: Option<&'v str>, near: &str, what: &str) -> Result<&'v str> {
        v.ok_or_else(|| self.fail(near, format!("missing {what}")))
    }

    fn day(&self, s: &str, what: &str) -> Result<Day> {
        Day::parse(s).ok_or_else(|| self.fail(s, format!("{what} `{s}` is not a date")))
    }

    fn severity(&self, s: &str, what: &str) -> Result<Severity> {
        s.parse().map_err(|e| self.fail(s, format!("{what}: {e}")))
    }
}

/// Reads a ledger; `path` labels diagnostics.
pub fn from_json(path: &str, text: &str) -> Result<Ledger> {
    let r = Reader { path, text: Arc::from(text) };
    let doc: Document = serde_json::from_str(text).map_err(|e| {
        let mut at = offset_of(text, e.line(), e.column());
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        // serde notices a missing field at the end of its object: point at the object's start.
        if message.starts_with("missing field") {
            at = enclosing_object(text, at).unwrap_or(at);
        }
        let end = (at + 1..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(at);
        PoamError::ledger(path, &r.text, at..end, format!("not a readable OSCAL POA&M: {message}"))
    })?;
    let p = doc.poam;
    let observations: HashMap<&str, &Observation> = p.observations.iter().map(|o| (o.uuid.as_str(), o)).collect();
    let risks: HashMap<&str, &Risk> = p.risks.iter().map(|x| (x.uuid.as_str(), x)).collect();
    let mut items = Vec::new();
    for pi in &p.poam_items {
        items.push(r.item(pi, &observations, &risks)?);
    }
    let mut seen = HashMap::new();
    for i in &items {
        if let Some(other) = seen.insert(i.poam_id.clone(), i.rule_id.clone()) {
            return Err(r.fail(&i.poam_id, format!("POA&M id {} is used twice (rules {other} and {})", i.poam_id, i.rule_id)));
        }
    }
    items.sort_by_key(|i| (crate::poam::model::poam_number(&i.poam_id).unwrap_or(u32::MAX), i.poam_id.clone()));
    let m = &p.metadata;
    let suffix = " Plan of Action and Milestones";
    Ok(Ledger {
        system_id: p.system_id.id.clone(),
        system_name: m.title.strip_suffix(suffix).unwrap_or(&m.title).to_string(),
        categorization: tg(&m.props, "categorization").map(|c| r.severity(c, "categorization")).transpose()?,
        updated: r.day(&m.last_modified, "last-modified")?,
        tool_version: tg(&m.props, "tollgate-version").unwrap_or_default().to_string(),
        items,
    })
}

/// Offset of the `{` that opens the innermost object still open just before `at`.
fn enclosing_object(text: &str, at: usize) -> Option<usize> {
    let mut stack = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    for (i, b) in text.bytes().enumerate().take(at.saturating_sub(1)) {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => stack.push((b, i)),
            b'}' | b']' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.iter().rev().find(|(b, _)| *b == b'{').map(|(_, i)| *i)
}

impl Reader<'_> {
    fn item(&self, pi: &PoamItem, observations: &HashMap<&str, &Observation>, risks: &HashMap<&str, &Risk>) -> Result<Item> {
        let poam_id = self.need(prop(&pi.props, FEDRAMP_NS, "POAM-ID"), &pi.uuid, "FedRAMP prop POAM-ID")?.to_string();
        let risk_uuid = pi.related_risks.first().map(|x| x.risk_uuid.as_str());
        let risk_uuid = self.need(risk_uuid, &pi.uuid, "related-risks")?;
        let risk = *risks
            .get(risk_uuid)
            .ok_or_else(|| self.fail(risk_uuid, format!("{poam_id} relates to risk {risk_uuid}, which is not in `risks`")))?;
        let rule_id = self.need(tg(&risk.props, "rule-id"), &risk.uuid, "prop rule-id")?.to_string();
        let mut flags = Vec::new();
        for f in pi.props.iter().filter(|p| p.name == "flag" && p.ns.as_deref() == Some(TG_NS)) {
            let kind = f.class.as_deref().and_then(FlagKind::parse).ok_or_else(|| self.fail(&f.value, "unknown flag class".into()))?;
            flags.push(Flag { kind, text: f.value.clone() });
        }
        let mut finding = None;
        let mut deviations = Vec::new();
        for rel in &pi.related_observations {
            let uuid = rel.observation_uuid.as_str();
            let o = *observations
                .get(uuid)
                .ok_or_else(|| self.fail(uuid, format!("{poam_id} relates to observation {uuid}, which is not in `observations`")))?;
            if o.types.iter().any(|t| t == "finding") {
                finding = Some(o);
            } else if let Some(kind) = o.types.iter().find_map(|t| DeviationKind::parse(t)) {
                deviations.push(self.deviation(kind, o)?);
            }
        }
        let finding = finding.ok_or_else(|| self.fail(&pi.uuid, format!("{poam_id} has no related `finding` observation")))?;
        let (factors, score, initial, adjusted) = self.characterization(risk)?;
        let recomputed = from_factors(factors);
        if recomputed.score != score || recomputed.level != initial {
            return Err(self.fail(
                &risk.uuid,
                format!(
                    "the risk of {poam_id} says {score} ({initial}), but its factors add up to {} ({}); see docs/risk.md",
                    recomputed.score, recomputed.level
                ),
            ));
        }
        let props = &risk.props;
        let (recommendation, plan) = (
            risk.remediations.iter().find(|x| x.lifecycle == "recommendation"),
            risk.remediations.iter().find(|x| x.lifecycle == "planned"),
        );
        let origin_props = finding.origins.iter().flat_map(|o| &o.actors).flat_map(|a| &a.props).cloned().collect::<Vec<_>>();
        let due = self.need(risk.deadline.as_deref(), &risk.uuid, "deadline (scheduled completion date)")?;
        Ok(Item {
            poam_id,
            rule_id,
            title: pi.title.clone(),
            description: pi.description.clone(),
            severity: self.severity(self.need(tg(props, "severity"), &risk.uuid, "prop severity")?, "severity")?,
            controls: props_all(props, FEDRAMP_NS, "impacted-control-id")
                .map(|c| normalize_control_id(c).unwrap_or_else(|| c.to_string()))
                .collect(),
            nist_800_171: props_all(props, TG_NS, "nist-800-171").map(str::to_string).collect(),
            remediation: recommendation.map(|x| x.description.clone()).unwrap_or_default(),
            rule_source: tg(&origin_props, "rule-source").unwrap_or_default().to_string(),
            detector_version: tg(&origin_props, "version").unwrap_or_default().to_string(),
            point_of_contact: tg(&pi.props, "point-of-contact").unwrap_or_default().to_string(),
            resources_required: plan.and_then(|x| x.required_assets.first()).map(|a| a.description.clone()).unwrap_or_default(),
            status: if risk.status == "closed" { ItemStatus::Closed } else { ItemStatus::Open },
            detected: self.day(self.need(tg(props, "detected"), &risk.uuid, "prop detected")?, "detected")?,
            opened: self.day(self.need(tg(props, "opened"), &risk.uuid, "prop opened")?, "opened")?,
            last_seen: self.day(&finding.collected, "collected")?,
            closed: tg(props, "closed").map(|c| self.day(c, "closed")).transpose()?,
            due: self.day(due, "deadline")?,
            milestones: plan.map(|x| self.milestones(&x.tasks)).transpose()?.unwrap_or_default(),
            assets: finding.subjects.iter().map(|s| self.asset(s)).collect::<Result<_>>()?,
            risk: recomputed,
            adjusted_risk: adjusted,
            deviations,
            flags,
            log: self.log(risk)?,
            comments: pi.remarks.clone(),
        })
    }

    #[allow(clippy::type_complexity)]
    fn characterization(&self, risk: &Risk) -> Result<(Vec<Factor>, u8, Severity, Option<Severity>)> {
        let facets: Vec<&Facet> = risk.characterizations.iter().flat_map(|c| &c.facets).collect();
        let mut factors = Vec::new();
        let (mut score, mut initial, mut adjusted) = (None, None, None);
        for f in facets {
            match (f.system.as_str(), f.name.as_str()) {
                (TG_RISK, "score") => {
                    score = Some(f.value.parse::<u8>().map_err(|_| self.fail(&f.value, "score is not a number 0-100".into()))?)
                }
                (TG_RISK, name) => {
                    let points = self.need(tg(&f.props, "points"), &f.value, "factor points")?;
                    let points = points.parse().map_err(|_| self.fail(points, format!("points of {name} are not a number")))?;
                    factors.push(Factor { name: name.to_string(), value: f.value.clone(), points });
                }
                (FEDRAMP_SYSTEM, "risk") => match f.props.iter().find(|p| p.name == "state").map(|p| p.value.as_str()) {
                    Some("initial") => initial = Some(self.severity(&f.value, "risk")?),
                    Some("adjusted") => adjusted = Some(self.severity(&f.value, "adjusted risk")?),
                    _ => {}
                },
                _ => {}
            }
        }
        let score = score.ok_or_else(|| self.fail(&risk.uuid, "the risk has no score facet".into()))?;
        let initial = initial.ok_or_else(|| self.fail(&risk.uuid, "the risk has no initial FedRAMP risk facet".into()))?;
        Ok((factors, score, initial, adjusted))
    }

    fn milestones(&self, tasks: &[Task]) -> Result<Vec<Milestone>> {
        tasks
            .iter()
            .filter(|t| t.kind == "milestone")
            .map(|t| {
                let date = t.timing.as_ref().map(|x| x.on_date.date.as_str());
                Ok(Milestone {
                    title: t.title.clone(),
                    description: t.description.clone().unwrap_or_default(),
                    due: self.day(self.need(date, &t.uuid, "milestone date")?, "milestone date")?,
                })
            })
            .collect()
    }

    fn asset(&self, s: &Subject) -> Result<Asset> {
        let kind = self.need(tg(&s.props, "resource-kind"), &s.subject_uuid, "prop resource-kind")?;
        let id = self.need(tg(&s.props, "resource-id"), &s.subject_uuid, "prop resource-id")?;
        let mut locations = Vec::new();
        for l in props_all(&s.props, TG_NS, "location") {
            locations.push(parse_location(l).ok_or_else(|| self.fail(l, format!("location `{l}` is not PATH:LINE or PATH:START-END")))?);
        }
        let first_seen = self.need(tg(&s.props, "first-seen"), &s.subject_uuid, "prop first-seen")?;
        Ok(Asset {
            kind: kind.to_string(),
            id: id.to_string(),
            locations,
            message: tg(&s.props, "message").unwrap_or_default().to_string(),
            first_seen: self.day(first_seen, "first-seen")?,
        })
    }

    fn deviation(&self, kind: DeviationKind, o: &Observation) -> Result<ItemDeviation> {
        let p = &o.props;
        let state = self.need(tg(p, "state"), &o.uuid, "deviation prop state")?;
        let state = DeviationState::parse(state).ok_or_else(|| self.fail(state, format!("unknown deviation state `{state}`")))?;
        let approved = self.day(self.need(tg(p, "approved"), &o.uuid, "deviation prop approved")?, "approved")?;
        let expires = self.day(self.need(o.expires.as_deref(), &o.uuid, "deviation expiry")?, "expires")?;
        Ok(ItemDeviation {
            kind,
            state,
            reason: tg(p, "reason").map(str::to_string),
            justification: o.description.clone(),
            approver: tg(p, "approver").unwrap_or_default().to_string(),
            approved,
            expires,
            adjusted_risk: tg(p, "adjusted-risk").map(|a| self.severity(a, "adjusted-risk")).transpose()?,
            vendor_checkin: tg(p, "vendor-checkin").map(|c| self.day(c, "vendor-checkin")).transpose()?,
            vendor_product: tg(p, "vendor-product").map(str::to_string),
        })
    }

    fn log(&self, risk: &Risk) -> Result<Vec<LogEntry>> {
        let entries = risk.risk_log.as_ref().map_or(&[][..], |l| &l.entries[..]);
        entries
            .iter()
            .map(|e| {
                let title = e.title.as_deref().unwrap_or_default();
                let event = Event::parse(title).ok_or_else(|| self.fail(&e.uuid, format!("unknown risk-log event `{title}`")))?;
                Ok(LogEntry { date: self.day(&e.start, "log date")?, event, text: e.description.clone().unwrap_or_default() })
            })
            .collect()
    }
}
