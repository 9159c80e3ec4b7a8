//! The plain data a scan produces. Reporters turn it into bytes.

use crate::rule::RuleMeta;
use crate::severity::Severity;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use tollgate_inputs::InputError;

/// Outcome of one rule on one resource (or on the whole scan, for `skip`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The resource satisfies the rule.
    Pass,
    /// The resource violates the rule.
    Fail,
    /// The rule crashed or hit a sandbox limit on this resource.
    Error,
    /// Not assessed: no matching resource, or the rule said it does not apply.
    Skip,
    /// A failure accepted by an inline `tollgate:ignore` comment still in force.
    Suppressed,
}

impl Status {
    pub const ALL: [Status; 5] = [Status::Fail, Status::Error, Status::Pass, Status::Skip, Status::Suppressed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Skip => "skip",
            Status::Suppressed => "suppressed",
        }
    }
}

/// Which resource a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ResourceRef {
    pub kind: String,
    pub id: String,
}

/// Where in the scanned files a finding points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// Relative to the scan root, `/`-separated.
    pub path: String,
    pub start_line: u32,
    pub end_line: u32,
}

/// One verdict of one rule.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Arc<RuleMeta>,
    pub status: Status,
    /// Effective severity (after any `[rules] severity` override).
    pub severity: Severity,
    pub resource: Option<ResourceRef>,
    pub location: Option<Location>,
    /// Property path the rule blamed, e.g. `spec.containers[0].image`.
    pub property_path: Option<String>,
    pub message: String,
    /// The `tollgate:ignore` comment covering this finding: status
    /// `Suppressed` while it is in force, `Fail` with `expired` set after.
    pub suppression: Option<Box<SuppressionRef>>,
    /// A failure already recorded in the `--baseline` file: still reported,
    /// but it does not fail the gate.
    pub baselined: bool,
}

/// Which inline suppression covers a finding, as reports show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuppressionRef {
    pub reason: String,
    /// Last day it applies (`YYYY-MM-DD`), if it expires.
    pub until: Option<String>,
    /// Where the comment is (relative path, 1-based line).
    pub path: String,
    pub line: u32,
    /// Its `until` date has passed, so the finding fails again.
    pub expired: bool,
}

/// Key of the fingerprint's namespace: part of every hash, so a future
/// scheme can never collide with this one.
pub const FINGERPRINT_KEY: &str = "tollgate/v1";

impl Finding {
    /// The stable identity of a finding, without line numbers, so it survives
    /// edits that move it: SHA-256 over the rule id, resource kind, resource
    /// id, file path and property path, NUL-separated, as 64 hex digits. A
    /// same-named resource in another file is a different finding; the
    /// property path tells apart several failures of one rule on one
    /// resource (one per container, say). Baselines and SARIF use it.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let (kind, id) = self.resource.as_ref().map_or(("", ""), |r| (r.kind.as_str(), r.id.as_str()));
        let path = self.location.as_ref().map_or("", |l| l.path.as_str());
        let mut h = Sha256::new();
        for (i, part) in [FINGERPRINT_KEY, &self.rule.id, kind, id, path, self.property_path.as_deref().unwrap_or("")].iter().enumerate() {
            if i > 0 {
                h.update([0u8]);
            }
            h.update(part.as_bytes());
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A failure that counts against the gate: failing, and not accepted by a baseline.
    pub fn is_new_failure(&self) -> bool {
        self.status == Status::Fail && !self.baselined
    }

    /// Sort key that makes reports independent of thread scheduling.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.location.as_ref().map(|l| (l.path.as_str(), l.start_line)),
            self.rule.id.as_str(),
            self.resource.as_ref(),
            self.property_path.as_deref(),
            self.status,
            self.message.as_str(),
        )
    }
}

/// Counts for the report header and the exit code.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Findings per status (`pass`, `fail`, `error`, `skip`).
    #[serde(skip)]
    pub by_status: BTreeMap<Status, usize>,
    /// Failing findings per severity.
    #[serde(skip)]
    pub failures_by_severity: BTreeMap<Severity, usize>,
    pub files_scanned: usize,
    /// Files found but in no recognised format (not read).
    pub files_unrecognised: usize,
    /// Files read that held nothing to assess (blank, or only comments).
    pub files_empty: usize,
    pub resources: usize,
    pub rules_run: usize,
    /// Rule × resource evaluations performed.
    pub evaluations: u64,
    /// Inputs that could not be read or parsed.
    pub input_errors: usize,
    /// Findings whose rule errored.
    pub rule_errors: usize,
    /// Failures whose inline suppression has expired (counted in `fail` too).
    pub expired_suppressions: usize,
    /// Inline suppressions that covered no failure (listed in the report).
    pub unused_suppressions: usize,
    pub duration_ms: u64,
    /// Set for a `--changed-since` scan, which covers only what changed
    /// (JSON schema 1.3; absent from a full scan). See [`crate::partial`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_since: Option<crate::partial::ChangedSince>,
}

/// Who the scanned system is, from `[system]` in tollgate.toml.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SystemInfo {
    pub name: Option<String>,
    pub id: Option<String>,
    /// FIPS 199 security categorization.
    pub categorization: Option<Severity>,
    pub owner: Option<String>,
    /// Information System Security Officer (shown in program reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isso: Option<String>,
}

/// Everything one scan found, sorted and ready for reporters.
#[derive(Debug)]
pub struct ScanReport {
    pub system: SystemInfo,
    /// Metadata of every rule that ran, sorted by id.
    pub rules: Vec<Arc<RuleMeta>>,
    pub findings: Vec<Finding>,
    pub input_errors: Vec<InputError>,
    pub summary: Summary,
    /// When the scan ran, as Unix seconds: the pinned scan clock (`--now`, else
    /// the start time) that date rules judged by and reports state.
    pub scan_time: i64,
    /// The gap report against one framework, when one was asked for
    /// (`--framework`); `None` from [`crate::Policy::scan`], set by the caller.
    pub framework: Option<crate::framework::FrameworkView>,
    /// How the failures compare with a `--baseline` file, when one was given.
    pub baseline: Option<crate::baseline::BaselineSummary>,
    /// Inline suppressions that covered no failure, by file and line: the
    /// finding was fixed, or the rule id is wrong or not loaded.
    pub unused_suppressions: Vec<tollgate_inputs::Suppression>,
}

impl ScanReport {
    /// Whether the gate fails: a new (not baselined) failure at or above the
    /// threshold that applies to it, or any input or rule error unless every
    /// threshold is `never`. Suppressed findings never count.
    pub fn gate_fails(&self, gate: &crate::gate::Gate) -> bool {
        (gate.fails_on_errors() && self.summary.input_errors + self.summary.rule_errors > 0) || self.blocking(gate).next().is_some()
    }

    /// The findings that fail the gate, in report order.
    pub fn blocking<'a>(&'a self, gate: &'a crate::gate::Gate) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(|f| f.is_new_failure() && gate.threshold(&f.rule).fails(f.severity))
    }
}
