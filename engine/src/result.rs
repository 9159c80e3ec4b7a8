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
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Fail, Status::Error, Status::Pass, Status::Skip];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Skip => "skip",
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
}

impl Finding {
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
    pub duration_ms: u64,
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
}

impl ScanReport {
    /// Failing findings at or above the gate, plus errors unless the gate is `never`.
    pub fn gate_fails(&self, fail_on: crate::FailOn) -> bool {
        if fail_on == crate::FailOn::Never {
            return false;
        }
        let errors = self.summary.input_errors + self.summary.rule_errors > 0;
        errors || self.findings.iter().any(|f| f.status == Status::Fail && fail_on.fails(f.severity))
    }
}
