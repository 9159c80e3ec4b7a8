//! The subset of the OSCAL 1.1.3 plan-of-action-and-milestones model that
//! the ledger uses, as serde types. Field order is the schema's, so the
//! JSON diffs well; empty lists are left out (OSCAL arrays have at least one
//! member). Unknown fields are ignored when reading.

use serde::{Deserialize, Serialize};

fn is_empty<T>(v: &[T]) -> bool {
    v.is_empty()
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    #[serde(rename = "plan-of-action-and-milestones")]
    pub poam: Poam,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Poam {
    pub uuid: String,
    pub metadata: Metadata,
    pub system_id: SystemId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_definitions: Option<LocalDefinitions>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub observations: Vec<Observation>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub risks: Vec<Risk>,
    pub poam_items: Vec<PoamItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Metadata {
    pub title: String,
    pub last_modified: String,
    pub version: String,
    pub oscal_version: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub props: Vec<Prop>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SystemId {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier_type: Option<String>,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Prop {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LocalDefinitions {
    #[serde(default, skip_serializing_if = "is_empty")]
    pub components: Vec<Component>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub inventory_items: Vec<InventoryItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Component {
    pub uuid: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub props: Vec<Prop>,
    pub status: ComponentStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComponentStatus {
    pub state: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct InventoryItem {
    pub uuid: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub props: Vec<Prop>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Observation {
    pub uuid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub description: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub props: Vec<Prop>,
    pub methods: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub types: Vec<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub origins: Vec<Origin>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub subjects: Vec<Subject>,
    pub collected: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Origin {
    pub actors: Vec<Actor>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Actor {
    #[serde(rename = "type")]
    pub kind: String,
    pub actor_uuid: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub props: Vec<Prop>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Subject {
    pub subject_uuid: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub props: Vec<Prop>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Risk {
    pub uuid: String,
    pub title: String,
    pub description: String,
    pub statement: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub props: Vec<Prop>,
    pub status: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub characterizations: Vec<Characterization>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub remediations: Vec<Response>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_log: Option<RiskLog>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Characterization {
    pub origin: Origin,
    pub facets: Vec<Facet>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Facet {
    pub name: String,
    pub system: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub props: Vec<Prop>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Response {
    pub uuid: String,
    pub lifecycle: String,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub origins: Vec<Origin>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub required_assets: Vec<RequiredAsset>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub tasks: Vec<Task>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequiredAsset {
    pub uuid: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Task {
    pub uuid: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<Timing>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Timing {
    pub on_date: OnDate,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OnDate {
    pub date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RiskLog {
    pub entries: Vec<RiskLogEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RiskLogEntry {
    pub uuid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_change: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PoamItem {
    pub uuid: String,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub props: Vec<Prop>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub related_observations: Vec<RelatedObservation>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub related_risks: Vec<RelatedRisk>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RelatedObservation {
    pub observation_uuid: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RelatedRisk {
    pub risk_uuid: String,
}
