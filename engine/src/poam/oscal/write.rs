//! Ledger → OSCAL plan-of-action-and-milestones.
//!
//! Each item becomes a `poam-item` (FedRAMP `POAM-ID` prop) related to one
//! `risk` (status, deadline, remediation plan with milestone tasks, risk log,
//! and a characterization whose facets are the risk factors with their
//! points, the score, and the FedRAMP `risk` facets with `state` initial /
//! adjusted), one `finding` observation (its subjects are the affected
//! assets, with `file:line` locations) and one observation per deviation
//! (FedRAMP types `false-positive`, `risk-adjustment`,
//! `operational-requirement`, `vendor-dependency`). Assets are also
//! `inventory-items` of `local-definitions`; Tollgate is its one component.

use super::types::*;
use super::{clean, FEDRAMP_NS, FEDRAMP_SYSTEM, OSCAL_VERSION, TG_NS, TG_RISK};
use crate::poam::identity::{asset_uuid, item_part_uuid, item_uuid, ledger_uuid, tool_uuid};
use crate::poam::model::{location_text, Asset, DeviationKind, Event, Item, ItemDeviation, Ledger};
use std::collections::BTreeMap;

pub(crate) fn tg(name: &str, value: impl AsRef<str>) -> Prop {
    Prop { name: name.into(), ns: Some(TG_NS.into()), value: clean(value.as_ref()), class: None }
}

fn fedramp(name: &str, value: impl AsRef<str>) -> Prop {
    Prop { name: name.into(), ns: Some(FEDRAMP_NS.into()), value: clean(value.as_ref()), class: None }
}

/// `ac-6.9` for `AC-6(9)`: OSCAL control ids, as FedRAMP's `impacted-control-id` writes them.
pub fn oscal_control_id(id: &str) -> String {
    id.to_ascii_lowercase().replace('(', ".").replace(')', "")
}

fn tool_actor(props: Vec<Prop>) -> Origin {
    Origin { actors: vec![Actor { kind: "tool".into(), actor_uuid: tool_uuid(), props }] }
}

/// The OSCAL document of `ledger`.
pub fn to_document(ledger: &Ledger) -> Document {
    let sys = ledger.system_id.as_str();
    let mut inventory: BTreeMap<(String, String), InventoryItem> = BTreeMap::new();
    let mut observations = Vec::new();
    let mut risks = Vec::new();
    let mut poam_items = Vec::new();
    for item in &ledger.items {
        for a in &item.assets {
            inventory.entry((a.kind.clone(), a.id.clone())).or_insert_with(|| InventoryItem {
                uuid: asset_uuid(sys, &a.kind, &a.id),
                description: format!("{} {}", a.kind, a.id),
                props: vec![
                    Prop { name: "asset-id".into(), ns: None, value: clean(&format!("{} {}", a.kind, a.id)), class: None },
                    tg("resource-kind", &a.kind),
                    tg("resource-id", &a.id),
                ],
            });
        }
        let finding = finding_observation(sys, item);
        let mut related = vec![RelatedObservation { observation_uuid: finding.uuid.clone() }];
        observations.push(finding);
        for d in &item.deviations {
            let o = deviation_observation(sys, item, d);
            related.push(RelatedObservation { observation_uuid: o.uuid.clone() });
            observations.push(o);
        }
        let risk = risk(sys, item);
        let mut props =
            vec![fedramp("POAM-ID", &item.poam_id), tg("rule-id", &item.rule_id), tg("point-of-contact", &item.point_of_contact)];
        props.extend(item.flags.iter().map(|f| Prop { class: Some(f.kind.as_str().into()), ..tg("flag", &f.text) }));
        poam_items.push(PoamItem {
            uuid: item_uuid(sys, &item.rule_id),
            title: item.title.clone(),
            description: item.description.clone(),
            props,
            related_observations: related,
            related_risks: vec![RelatedRisk { risk_uuid: risk.uuid.clone() }],
            remarks: item.comments.clone(),
        });
        risks.push(risk);
    }
    let mut meta_props = vec![tg("tollgate-version", &ledger.tool_version)];
    if let Some(c) = ledger.categorization {
        meta_props.push(tg("categorization", c.as_str()));
    }
    Document {
        poam: Poam {
            uuid: ledger_uuid(sys),
            metadata: Metadata {
                title: format!("{} Plan of Action and Milestones", ledger.system_name),
                last_modified: ledger.updated.to_oscal(),
                version: ledger.updated.to_string(),
                oscal_version: OSCAL_VERSION.into(),
                props: meta_props,
            },
            system_id: SystemId { identifier_type: None, id: ledger.system_id.clone() },
            local_definitions: Some(LocalDefinitions {
                components: vec![Component {
                    uuid: tool_uuid(),
                    kind: "software".into(),
                    title: "Tollgate".into(),
                    description: "Policy-as-code compliance engine that detected the weaknesses.".into(),
                    props: vec![Prop { name: "version".into(), ns: None, value: clean(&ledger.tool_version), class: None }],
                    status: ComponentStatus { state: "operational".into() },
                }],
                inventory_items: inventory.into_values().collect(),
            }),
            observations,
            risks,
            poam_items,
        },
    }
}

fn subject(sys: &str, a: &Asset) -> Subject {
    let mut props = vec![tg("resource-kind", &a.kind), tg("resource-id", &a.id)];
    props.extend(a.locations.iter().map(|l| tg("location", location_text(l))));
    props.push(tg("message", &a.message));
    props.push(tg("first-seen", a.first_seen.to_string()));
    Subject {
        subject_uuid: asset_uuid(sys, &a.kind, &a.id),
        kind: "inventory-item".into(),
        title: Some(format!("{} {}", a.kind, a.id)),
        props,
    }
}

fn finding_observation(sys: &str, item: &Item) -> Observation {
    Observation {
        uuid: item_part_uuid(sys, &item.rule_id, "observation"),
        title: Some(format!("{} fails on {} asset(s)", item.rule_id, item.assets.len())),
        description: item.title.clone(),
        props: Vec::new(),
        methods: vec!["TEST".into()],
        types: vec!["finding".into()],
        origins: vec![tool_actor(vec![
            tg("rule-id", &item.rule_id),
            tg("rule-source", &item.rule_source),
            tg("version", &item.detector_version),
        ])],
        subjects: item.assets.iter().map(|a| subject(sys, a)).collect(),
        collected: item.last_seen.to_oscal(),
        expires: None,
    }
}

fn deviation_observation(sys: &str, item: &Item, d: &ItemDeviation) -> Observation {
    let mut props = vec![tg("state", d.state.as_str()), tg("approver", &d.approver), tg("approved", d.approved.to_string())];
    if let Some(r) = &d.reason {
        props.push(tg("reason", r));
    }
    if let Some(a) = d.adjusted_risk {
        props.push(tg("adjusted-risk", a.as_str()));
    }
    if let Some(c) = d.vendor_checkin {
        props.push(tg("vendor-checkin", c.to_string()));
    }
    if let Some(p) = &d.vendor_product {
        props.push(tg("vendor-product", p));
    }
    Observation {
        uuid: item_part_uuid(sys, &item.rule_id, &format!("deviation-{}", d.kind.as_str())),
        title: Some(d.kind.title().into()),
        description: d.justification.clone(),
        props,
        methods: vec!["EXAMINE".into()],
        types: vec![d.kind.as_str().into()],
        origins: Vec::new(),
        subjects: Vec::new(),
        collected: d.approved.to_oscal(),
        expires: Some(d.expires.to_oscal()),
    }
}

fn risk(sys: &str, item: &Item) -> Risk {
    let part = |p: &str| item_part_uuid(sys, &item.rule_id, p);
    let mut props: Vec<Prop> = item.controls.iter().map(|c| fedramp("impacted-control-id", oscal_control_id(c))).collect();
    props.push(tg("rule-id", &item.rule_id));
    props.push(tg("severity", item.severity.as_str()));
    props.extend(item.nist_800_171.iter().map(|r| tg("nist-800-171", r)));
    props.push(tg("detected", item.detected.to_string()));
    props.push(tg("opened", item.opened.to_string()));
    if let Some(c) = item.closed {
        props.push(tg("closed", c.to_string()));
    }
    for kind in DeviationKind::ALL {
        if item.applied(kind).is_some() {
            let value = if kind == DeviationKind::VendorDependency { "tracking" } else { "approved" };
            props.push(fedramp(kind.as_str(), value));
        }
    }
    let mut facets: Vec<Facet> = item
        .risk
        .factors
        .iter()
        .map(|f| Facet {
            name: f.name.clone(),
            system: TG_RISK.into(),
            value: clean(&f.value),
            props: vec![tg("points", f.points.to_string())],
        })
        .collect();
    facets.push(Facet { name: "score".into(), system: TG_RISK.into(), value: item.risk.score.to_string(), props: Vec::new() });
    let state = |s: &str| Prop { name: "state".into(), ns: None, value: s.into(), class: None };
    facets.push(Facet {
        name: "risk".into(),
        system: FEDRAMP_SYSTEM.into(),
        value: item.risk.level.as_str().into(),
        props: vec![state("initial")],
    });
    if let Some(a) = item.adjusted_risk {
        facets.push(Facet { name: "risk".into(), system: FEDRAMP_SYSTEM.into(), value: a.as_str().into(), props: vec![state("adjusted")] });
    }
    let tasks = item
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| Task {
            uuid: part(&format!("milestone-{i}")),
            kind: "milestone".into(),
            title: m.title.clone(),
            description: Some(m.description.clone()),
            timing: Some(Timing { on_date: OnDate { date: m.due.to_oscal() } }),
        })
        .collect();
    let entries = item
        .log
        .iter()
        .enumerate()
        .map(|(i, e)| RiskLogEntry {
            uuid: part(&format!("log-{i}")),
            title: Some(e.event.as_str().into()),
            description: Some(e.text.clone()),
            start: e.date.to_oscal(),
            status_change: match e.event {
                Event::Opened | Event::Reopened => Some("open".into()),
                Event::Closed => Some("closed".into()),
                _ => None,
            },
        })
        .collect::<Vec<_>>();
    Risk {
        uuid: part("risk"),
        title: item.title.clone(),
        description: item.description.clone(),
        statement: format!("Rule {} fails on {} asset(s) of the system.", item.rule_id, item.assets.len()),
        props,
        status: item.risk_status().into(),
        characterizations: vec![Characterization { origin: tool_actor(Vec::new()), facets }],
        deadline: Some(item.due.to_oscal()),
        remediations: vec![
            Response {
                uuid: part("recommendation"),
                lifecycle: "recommendation".into(),
                title: format!("Remediation of {}", item.rule_id),
                description: item.remediation.clone(),
                origins: vec![tool_actor(Vec::new())],
                required_assets: Vec::new(),
                tasks: Vec::new(),
            },
            Response {
                uuid: part("plan"),
                lifecycle: "planned".into(),
                title: "Remediation plan".into(),
                description: "Apply the recommended remediation to every affected asset, then verify with a re-scan.".into(),
                origins: Vec::new(),
                required_assets: vec![RequiredAsset { uuid: part("resources"), description: item.resources_required.clone() }],
                tasks,
            },
        ],
        risk_log: (!entries.is_empty()).then_some(RiskLog { entries }),
    }
}
