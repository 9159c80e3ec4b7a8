//! `[poam]` in tollgate.toml: who answers for items, how completion dates
//! are scheduled, what is internet-facing, and where deviations live.

use crate::result::SystemInfo;
use crate::severity::Severity;
use serde::Deserialize;

/// The `[poam]` table as written.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PoamConfig {
    /// Point of contact on every drafted item (default: `[system] owner`).
    pub point_of_contact: Option<String>,
    /// Scheduled completion policy (default `fedramp`).
    pub schedule: Option<SchedulePolicy>,
    /// Days per risk level, for `schedule = "custom"`.
    pub custom_days: Option<CustomDays>,
    /// `internet`: every resource of the system is internet-reachable.
    pub exposure: Option<Exposure>,
    /// Globs over `KIND/ID` of resources (or their file paths) that are internet-reachable.
    #[serde(default)]
    pub internet_facing: Vec<String>,
    /// Deviations file (default `poam-deviations.toml` beside the config, when present).
    pub deviations: Option<String>,
    /// FedRAMP "Resources Required" of drafted items.
    pub resources_required: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SchedulePolicy {
    /// FedRAMP Rev 5: critical and high 30 days, moderate 90, low 180.
    Fedramp,
    /// CMMC Level 2: every item closed within 180 days; also flags
    /// requirements that may not be on a POA&M.
    Cmmc,
    /// `[poam.custom_days]`.
    Custom,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Exposure {
    Internal,
    Internet,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CustomDays {
    pub critical: Option<u32>,
    pub high: Option<u32>,
    pub moderate: Option<u32>,
    pub low: Option<u32>,
}

/// Days to complete an item of each level, resolved from the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub policy: SchedulePolicy,
    /// Critical, high, moderate, low.
    pub days: [u32; 4],
}

impl Schedule {
    pub const FEDRAMP: [u32; 4] = [30, 30, 90, 180];
    pub const CMMC: [u32; 4] = [180, 180, 180, 180];

    pub fn days_for(&self, level: Severity) -> u32 {
        match level {
            Severity::Critical => self.days[0],
            Severity::High => self.days[1],
            Severity::Moderate => self.days[2],
            Severity::Low => self.days[3],
        }
    }
}

/// `[poam]` checked and resolved against `[system]`.
#[derive(Debug, Clone)]
pub struct PoamSettings {
    pub point_of_contact: String,
    pub schedule: Schedule,
    pub all_internet: bool,
    pub internet_facing: globset::GlobSet,
    pub resources_required: String,
}

pub const DEFAULT_RESOURCES_REQUIRED: &str = "None beyond the system team's time to change and re-scan the configuration";

impl PoamConfig {
    /// Checks the table and resolves defaults; the message names the key at fault.
    pub fn settings(&self, system: &SystemInfo) -> Result<PoamSettings, String> {
        let policy = self.schedule.unwrap_or(SchedulePolicy::Fedramp);
        let days = match (policy, self.custom_days) {
            (SchedulePolicy::Fedramp, None) => Schedule::FEDRAMP,
            (SchedulePolicy::Cmmc, None) => Schedule::CMMC,
            (SchedulePolicy::Custom, Some(c)) => match (c.critical, c.high, c.moderate, c.low) {
                (Some(a), Some(b), Some(m), Some(l)) if [a, b, m, l].iter().all(|d| *d > 0) => [a, b, m, l],
                _ => return Err("`[poam.custom_days]` needs critical, high, moderate and low, each at least 1 day".into()),
            },
            (SchedulePolicy::Custom, None) => {
                return Err("`[poam] schedule = \"custom\"` needs a `[poam.custom_days]` table (critical, high, moderate, low)".into())
            }
            (_, Some(_)) => return Err("`[poam.custom_days]` is only read with `[poam] schedule = \"custom\"`".into()),
        };
        let mut builder = globset::GlobSetBuilder::new();
        for g in &self.internet_facing {
            builder.add(globset::Glob::new(g).map_err(|e| format!("`[poam] internet_facing`: bad glob `{g}`: {e}"))?);
        }
        let internet_facing = builder.build().map_err(|e| format!("`[poam] internet_facing`: {e}"))?;
        let point_of_contact = self
            .point_of_contact
            .clone()
            .or_else(|| system.owner.clone())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "Unassigned (set [poam] point_of_contact)".to_string());
        Ok(PoamSettings {
            point_of_contact,
            schedule: Schedule { policy, days },
            all_internet: self.exposure == Some(Exposure::Internet),
            internet_facing,
            resources_required: self.resources_required.clone().unwrap_or_else(|| DEFAULT_RESOURCES_REQUIRED.to_string()),
        })
    }
}

impl PoamSettings {
    /// Whether a resource is internet-reachable: the system says so, or a
    /// glob matches `KIND/ID` or one of its file paths.
    pub fn is_internet(&self, kind: &str, id: &str, paths: &[&str]) -> bool {
        self.all_internet || self.internet_facing.is_match(format!("{kind}/{id}")) || paths.iter().any(|p| self.internet_facing.is_match(p))
    }

    /// The settings of a default `[poam]` table.
    pub fn defaults(system: &SystemInfo) -> PoamSettings {
        PoamConfig::default().settings(system).expect("the default [poam] table is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PoamSettings, String> {
        let c: PoamConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        c.settings(&SystemInfo { owner: Some("Team".into()), ..SystemInfo::default() })
    }

    #[test]
    fn schedules_and_exposure() {
        let s = parse("").unwrap();
        assert_eq!((s.schedule.days_for(Severity::High), s.schedule.days_for(Severity::Low)), (30, 180));
        assert_eq!(s.point_of_contact, "Team");
        let s = parse("schedule = \"cmmc\"\n").unwrap();
        assert_eq!(s.schedule.days_for(Severity::Critical), 180);
        let s = parse("schedule = \"custom\"\ncustom_days = { critical = 7, high = 14, moderate = 60, low = 120 }\n").unwrap();
        assert_eq!(s.schedule.days_for(Severity::Moderate), 60);
        assert!(parse("schedule = \"custom\"\n").unwrap_err().contains("custom_days"));
        assert!(parse("custom_days = { low = 1 }\n").unwrap_err().contains("only read"));
        assert!(parse("schedul = \"cmmc\"\n").is_err());
        let s = parse("internet_facing = [\"k8s:Service/*\", \"edge/**\"]\n").unwrap();
        assert!(s.is_internet("k8s:Service", "payments/web", &[]));
        assert!(s.is_internet("k8s:Deployment", "x", &["edge/lb.yaml"]));
        assert!(!s.is_internet("k8s:Deployment", "x", &["core/app.yaml"]));
        assert!(parse("exposure = \"internet\"\n").unwrap().is_internet("a", "b", &[]));
    }
}
