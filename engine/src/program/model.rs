//! The program report and the shard file as plain serde data.
//!
//! A program is many systems, each with its own `tollgate.toml`. Every
//! system's scan is reduced to a [`SystemResult`] (counts, never findings)
//! plus its POA&M items ([`ProgramPoamItem`]); [`super::build`] turns those
//! into one [`ProgramReport`]. A `--shard I/N` run writes the same per-system
//! data as a [`ProgramShard`], and `tollgate merge` feeds the shards to the
//! same builder, so a merged report is byte-identical to a single run.
//!
//! Nothing here is host-specific: no durations, no absolute paths, no
//! hostnames. The JSON shape is documented in `docs/program.md`; add fields
//! rather than rename them, and bump [`SCHEMA_VERSION`] when a consumer could
//! notice. Unknown fields are ignored when reading, so a report written by a
//! newer Tollgate still serves as `--previous`.

use crate::severity::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the program report's and the shard file's shape.
pub const SCHEMA_VERSION: &str = "1.0";
/// `kind` of a program report.
pub const REPORT_KIND: &str = "tollgate-program-report";
/// `kind` of a shard file.
pub const SHARD_KIND: &str = "tollgate-program-shard";

/// The program-wide report: every system, rolled up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramReport {
    /// Always [`REPORT_KIND`], so a report is never mistaken for a shard.
    pub kind: String,
    /// [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// Always `tollgate`.
    pub tool: String,
    /// The Tollgate version that built the report.
    pub version: String,
    /// Who the program is, from `[program]` in `program.toml`.
    pub program: ProgramInfo,
    /// The scan clock (`--now`, else the start of the run; for a merge, the
    /// earliest shard's) as RFC 3339 UTC, e.g. `2026-01-01T00:00:00Z`.
    pub scan_time: String,
    /// The framework every system was viewed against (`fedramp-moderate`, …), if any.
    pub framework: Option<String>,
    /// The program-wide gate threshold (`--fail-on`, else `[program] fail_on`):
    /// `low`, `moderate`, `high`, `critical` or `never`. `None`: each system
    /// gates by its own `[gate]` table (default `low`).
    pub fail_on: Option<String>,
    /// `fail` when any system is broken or fails its gate.
    pub gate: GateVerdict,
    /// Every system, sorted by id (then path).
    pub systems: Vec<SystemResult>,
    /// Every control family seen in any system (`AC`, `CM`, …), sorted: the heat map's columns.
    pub families: Vec<String>,
    /// Sums over all systems.
    pub totals: ProgramTotals,
    /// Controls with a failing rule in at least one system: most systems
    /// first, then highest risk, then control id.
    pub worst_controls: Vec<ControlRollup>,
    /// Every system's POA&M items in one list: risk score descending, then
    /// system id, then rule id.
    pub poam: Vec<ProgramPoamItem>,
    /// Change against the report given with `--previous`, if any.
    pub trend: Option<Trend>,
}

/// Who the program is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramInfo {
    /// `[program] name`, else the program directory's name.
    pub name: String,
    /// `[program] id`.
    pub id: Option<String>,
    /// `[program] owner` (e.g. the ISSM).
    pub owner: Option<String>,
}

/// Whether a gate passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GateVerdict {
    /// No failure at or above `fail_on`, and every input and rule ran.
    Pass,
    /// Otherwise (and always for a broken system).
    Fail,
}

/// Whether a system could be scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SystemStatus {
    /// Scanned (its inputs may still have had errors, counted in `input_errors`).
    Ok,
    /// Not scanned: its config, rules or directory could not be used; see `error`.
    Broken,
}

/// One system of the program, reduced to counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemResult {
    /// `[system] id`, else `path`. Unique in a program (duplicates are broken).
    pub id: String,
    /// `[system] name`, else `id`.
    pub name: String,
    /// The system's directory relative to the program directory, `/`-separated.
    pub path: String,
    /// FIPS 199 categorization, `[system] categorization`.
    pub categorization: Option<Severity>,
    /// `[system] owner`.
    pub owner: Option<String>,
    /// `[system] isso`: the Information System Security Officer.
    pub isso: Option<String>,
    /// `ok` or `broken`.
    pub status: SystemStatus,
    /// For a broken system, the diagnostic as text (paths relative to the program directory).
    pub error: Option<String>,
    /// The system's gate (program `fail_on`, else its own `[gate]`); `fail` when broken.
    pub gate: GateVerdict,
    /// Findings per status.
    pub findings: StatusCounts,
    /// Failing findings per severity.
    pub failures_by_severity: SeverityCounts,
    /// `pass / (pass + fail)` in percent, one decimal; `None` when nothing passed or failed.
    pub pass_rate: Option<f64>,
    /// Files found and read.
    pub files_scanned: usize,
    /// Resources rules judged.
    pub resources: usize,
    /// Rules that ran.
    pub rules_run: usize,
    /// Inputs that could not be read or parsed.
    pub input_errors: usize,
    /// Findings whose rule errored.
    pub rule_errors: usize,
    /// Findings per NIST SP 800-53 control family of the rule's controls (a
    /// finding counts once in each family its rule maps to): the heat map's row.
    pub families: BTreeMap<String, FamilyCell>,
    /// Control totals of the framework view, when the program names a framework.
    pub framework: Option<FrameworkTotals>,
    /// The SPRS score, when the framework is `nist-800-171-r2` or `cmmc-l2`.
    pub sprs: Option<SystemSprs>,
    /// Number of this system's POA&M items.
    pub poam_items: usize,
    /// Highest risk score among them.
    pub max_risk: Option<u8>,
}

/// Findings per status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCounts {
    /// Failing findings.
    pub fail: usize,
    /// Findings whose rule errored.
    pub error: usize,
    /// Passing findings.
    pub pass: usize,
    /// Rules with nothing to judge.
    pub skip: usize,
    /// Failures accepted by an inline `tollgate:ignore` still in force.
    pub suppressed: usize,
}

/// Counts per severity (or risk level).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    /// Critical.
    pub critical: usize,
    /// High.
    pub high: usize,
    /// Moderate.
    pub moderate: usize,
    /// Low.
    pub low: usize,
}

/// One cell of the systems × families heat map.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyCell {
    /// Passing findings of rules mapped to the family.
    pub pass: usize,
    /// Failing findings.
    pub fail: usize,
    /// Errored findings.
    pub error: usize,
}

/// Control counts of one system's framework view: the scan's own
/// [`crate::framework::Totals`] (`percent_satisfied` is recomputed with
/// integer rounding when the report is built, so merges stay byte-identical).
pub use crate::framework::Totals as FrameworkTotals;

/// One system's SPRS score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemSprs {
    /// `max − deducted`; `None` when 3.12.4 is unmet (cannot be scored).
    pub score: Option<i32>,
    /// 110.
    pub max: i32,
    /// Points deducted for unmet requirements.
    pub deducted: i32,
    /// Whether CMMC Level 2 conditional status is reachable.
    pub conditional_l2: bool,
}

/// Sums over every system.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProgramTotals {
    /// Systems in the program.
    pub systems: usize,
    /// Systems scanned.
    pub systems_ok: usize,
    /// Systems that could not be scanned.
    pub systems_broken: usize,
    /// Systems whose gate failed (broken ones included).
    pub systems_failing: usize,
    /// Findings per status, all systems.
    pub findings: StatusCounts,
    /// Failing findings per severity, all systems.
    pub failures_by_severity: SeverityCounts,
    /// `pass / (pass + fail)` over all findings, in percent, one decimal.
    pub pass_rate: Option<f64>,
    /// Input errors, all systems.
    pub input_errors: usize,
    /// Rule errors, all systems.
    pub rule_errors: usize,
    /// Findings per family, all systems.
    pub families: BTreeMap<String, FamilyCell>,
    /// POA&M items, all systems.
    pub poam_items: usize,
    /// POA&M items per risk level.
    pub poam_by_level: SeverityCounts,
    /// SPRS over the scored systems, when the framework has one.
    pub sprs: Option<SprsRollup>,
}

/// SPRS across systems.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SprsRollup {
    /// Systems with a score.
    pub systems_scored: usize,
    /// Systems with an SPRS view but no score (3.12.4 unmet).
    pub systems_unscored: usize,
    /// Lowest score.
    pub lowest: Option<i32>,
    /// Highest score.
    pub highest: Option<i32>,
    /// Mean score, one decimal.
    pub average: Option<f64>,
    /// Systems where CMMC Level 2 conditional status is reachable.
    pub conditional_l2: usize,
}

/// One NIST SP 800-53 control across the program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlRollup {
    /// Control id, e.g. `AC-6(9)`.
    pub control: String,
    /// Its family, e.g. `AC`.
    pub family: String,
    /// Systems with a failing rule mapped to it.
    pub systems_failing: usize,
    /// Their ids, sorted.
    pub systems: Vec<String>,
    /// The failing rules mapped to it, sorted.
    pub rules: Vec<String>,
    /// Highest risk score of its POA&M items.
    pub max_risk: u8,
    /// Affected resources, summed over its POA&M items.
    pub affected: usize,
}

/// One POA&M item of one system, scored by the same risk model as the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramPoamItem {
    /// The system's id.
    pub system: String,
    /// The system's name.
    pub system_name: String,
    /// The item's UUID: the same as in the system's own ledger (`tollgate scan --poam`).
    pub uuid: String,
    /// The failing rule.
    pub rule_id: String,
    /// The rule's title.
    pub title: String,
    /// Effective severity of the rule on this system.
    pub severity: Severity,
    /// NIST SP 800-53 controls of the rule.
    pub controls: Vec<String>,
    /// NIST SP 800-171 requirements of the rule.
    pub nist_800_171: Vec<String>,
    /// The score, its level and every factor (see `docs/risk.md`).
    pub risk: ItemRisk,
    /// Affected resources.
    pub affected: usize,
    /// The first affected assets as `kind id (path:line)`, at most [`MAX_ASSETS_LISTED`].
    pub assets: Vec<String>,
    /// Scheduled completion date (`YYYY-MM-DD`) from the system's `[poam] schedule`.
    pub due: String,
    /// Point of contact (`[poam] point_of_contact`, else the system owner).
    pub point_of_contact: String,
    /// The rule's remediation.
    pub remediation: String,
}

/// Assets listed per POA&M item; `affected` has the full count.
pub const MAX_ASSETS_LISTED: usize = 10;

/// A risk rating with its factors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRisk {
    /// 0–100.
    pub score: u8,
    /// The score's level.
    pub level: Severity,
    /// Every factor with its value and points; they sum to the score (clamped).
    pub factors: Vec<RiskFactor>,
}

/// One factor of a risk score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskFactor {
    /// `severity`, `categorization`, `control-weight`, `exposure`, `affected-resources`, `days-past-due`.
    pub name: String,
    /// Its value as shown.
    pub value: String,
    /// Points it adds.
    pub points: i32,
}

/// Change against an earlier program report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// The earlier report's `scan_time`.
    pub previous_scan_time: String,
    /// Ids of systems in this report but not the earlier one, sorted.
    pub systems_added: Vec<String>,
    /// Ids of systems in the earlier report but not this one, sorted.
    pub systems_removed: Vec<String>,
    /// The program as a whole.
    pub program: ProgramTrend,
    /// Systems in both reports, sorted by id.
    pub systems: Vec<SystemTrend>,
}

/// Program-wide changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramTrend {
    /// Failing findings.
    pub failures: CountChange,
    /// Program pass rate (percent).
    pub pass_rate: RateChange,
    /// Mean SPRS score of the scored systems.
    pub sprs_average: RateChange,
    /// POA&M items.
    pub poam_items: CountChange,
    /// Broken systems.
    pub systems_broken: CountChange,
}

/// One system's changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SystemTrend {
    /// The system's id.
    pub id: String,
    /// Failing findings.
    pub failures: CountChange,
    /// Pass rate (percent).
    pub pass_rate: RateChange,
    /// SPRS score.
    pub sprs: ScoreChange,
    /// POA&M items.
    pub poam_items: CountChange,
    /// Status in the earlier report, when it differs (`ok` → `broken` or back).
    pub previous_status: Option<SystemStatus>,
}

/// A count then and now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountChange {
    /// In the earlier report.
    pub previous: usize,
    /// Now.
    pub current: usize,
    /// `current − previous`.
    pub change: i64,
}

/// A percentage (or mean) then and now.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateChange {
    /// In the earlier report.
    pub previous: Option<f64>,
    /// Now.
    pub current: Option<f64>,
    /// `current − previous`, one decimal, when both exist.
    pub change: Option<f64>,
}

/// A score then and now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreChange {
    /// In the earlier report.
    pub previous: Option<i32>,
    /// Now.
    pub current: Option<i32>,
    /// `current − previous`, when both exist.
    pub change: Option<i32>,
}

/// What one `--shard I/N` run wrote: its systems' results, for `tollgate merge`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramShard {
    /// Always [`SHARD_KIND`].
    pub kind: String,
    /// [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// Always `tollgate`.
    pub tool: String,
    /// The Tollgate version; every shard of a merge must have the same.
    pub version: String,
    /// The program; every shard of a merge must have the same.
    pub program: ProgramInfo,
    /// This shard's scan clock, RFC 3339 UTC; a merge uses the earliest.
    pub scan_time: String,
    /// The framework; every shard must agree.
    pub framework: Option<String>,
    /// The program-wide gate threshold; every shard must agree.
    pub fail_on: Option<String>,
    /// Which shard this is.
    pub shard: ShardSpec,
    /// Paths of every system in the program (not just this shard's), sorted:
    /// a merge checks that the shards cover exactly these.
    pub all_systems: Vec<String>,
    /// This shard's systems.
    pub systems: Vec<SystemResult>,
    /// This shard's POA&M items.
    pub poam: Vec<ProgramPoamItem>,
}

/// Shard `index` of `count`, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSpec {
    /// 1 to `count`.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}
