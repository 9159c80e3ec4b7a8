//! What one scan says about weaknesses: failing rules with their affected
//! assets, plus what the scan could not judge (so that an unreadable file
//! never closes an item).

use super::model::AssetKey;
use crate::result::{Location, ScanReport, Status};
use crate::rule::RuleMeta;
use crate::severity::Severity;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One failing rule on the scanned system.
#[derive(Debug, Clone)]
pub struct Weakness {
    pub rule: Arc<RuleMeta>,
    /// Effective severity (after `[rules.severity]`).
    pub severity: Severity,
    pub assets: BTreeMap<AssetKey, ObservedAsset>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObservedAsset {
    /// Sorted, without duplicates.
    pub locations: Vec<Location>,
    /// Message of the first failing location.
    pub message: String,
}

/// Everything the ledger update needs from a scan.
#[derive(Debug, Default)]
pub struct Observed {
    /// Failing rules by rule id.
    pub weaknesses: BTreeMap<String, Weakness>,
    /// Ids of the rules that ran.
    pub rules_run: BTreeSet<String>,
    /// `(rule id, asset)` pairs whose evaluation errored: not judged.
    pub errored: BTreeSet<(String, AssetKey)>,
    /// Files that could not be read or parsed: their resources were not judged.
    pub unreadable: BTreeSet<String>,
}

impl Observed {
    /// Whether the scan judged `asset` for `rule`: the rule ran, did not error
    /// on it, and none of the files it was last seen in was unreadable.
    pub fn judged(&self, rule: &str, asset: &AssetKey, last_paths: &[&str]) -> bool {
        self.rules_run.contains(rule)
            && !self.errored.contains(&(rule.to_string(), asset.clone()))
            && !last_paths.iter().any(|p| self.unreadable.contains(*p))
    }
}

/// Groups the failing findings of `report` into weaknesses.
pub fn observe(report: &ScanReport) -> Observed {
    let mut out = Observed {
        rules_run: report.rules.iter().map(|r| r.id.clone()).collect(),
        unreadable: report.input_errors.iter().map(|e| e.path().to_string()).collect(),
        ..Observed::default()
    };
    for f in &report.findings {
        let key = match (&f.resource, &f.location) {
            (Some(r), _) => AssetKey { kind: r.kind.clone(), id: r.id.clone() },
            (None, Some(l)) => AssetKey { kind: "file".into(), id: l.path.clone() },
            (None, None) => AssetKey { kind: "system".into(), id: report.system.id.clone().unwrap_or_else(|| "-".into()) },
        };
        match f.status {
            // A suppressed failure is still a weakness to track: the suppression
            // only keeps it from failing a CI gate.
            Status::Fail | Status::Suppressed => {
                let w = out.weaknesses.entry(f.rule.id.clone()).or_insert_with(|| Weakness {
                    rule: f.rule.clone(),
                    severity: f.severity,
                    assets: BTreeMap::new(),
                });
                w.severity = w.severity.max(f.severity);
                let asset = w.assets.entry(key).or_default();
                if asset.message.is_empty() {
                    asset.message = f.message.clone();
                }
                if let Some(l) = &f.location {
                    if let Err(at) = asset.locations.binary_search(l) {
                        asset.locations.insert(at, l.clone());
                    }
                }
            }
            Status::Error => {
                out.errored.insert((f.rule.id.clone(), key));
            }
            Status::Pass | Status::Skip => {}
        }
    }
    out
}
