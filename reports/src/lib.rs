//! Tollgate reports: one module per output format, each a pure function from
//! a [`ScanReport`] to bytes. Nothing here evaluates rules or reads inputs.
//!
//! ```
//! use tollgate_reports::{render, Format, RenderOptions};
//! # let report = tollgate_engine::ScanReport {
//! #     system: Default::default(), rules: vec![], findings: vec![], input_errors: vec![], summary: Default::default(),
//! #     framework: None, scan_time: 0, baseline: None,
//! #     unused_suppressions: vec![] };
//! let bytes = render(Format::Json, &report, &RenderOptions::default());
//! let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
//! assert_eq!(doc["tool"], "tollgate");
//! ```
#![forbid(unsafe_code)]

pub mod assessed;
pub mod controls;
pub mod csv;
pub mod diagnostic;
pub mod eval;
pub mod fixtures;
pub mod html;
pub mod inventory;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod oscal;
pub mod poam_csv;
pub mod poam_fields;
pub mod poam_table;
pub mod poam_xlsx;
pub mod program;
pub mod ruledoc;
pub mod rules;
pub mod sarif;
pub mod style;
pub mod table;

use serde_json::{Map, Value};
use std::fmt;
use std::str::FromStr;
use tollgate_engine::{FailOn, Gate, ScanReport, Severity, Status, Summary};

/// Output formats selectable with `--format` and `--report FORMAT=PATH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
    Sarif,
    /// JUnit XML, for CI test reporters.
    Junit,
    /// A pull-request comment (GitHub-flavoured Markdown).
    Markdown,
    /// One row per finding, for spreadsheets.
    Csv,
    /// One self-contained HTML page: summary, charts, filterable findings, per-control drill-down.
    Html,
    /// OSCAL 1.1.3 assessment results (JSON).
    Oscal,
}

impl Format {
    pub const ALL: [Format; 8] =
        [Format::Table, Format::Json, Format::Sarif, Format::Junit, Format::Markdown, Format::Csv, Format::Html, Format::Oscal];

    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Oscal => "oscal",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL.into_iter().find(|f| f.name() == s).ok_or_else(|| {
            let names: Vec<_> = Format::ALL.iter().map(|f| f.name()).collect();
            format!("unknown report format `{s}`; expected one of: {}", names.join(", "))
        })
    }
}

/// Settings that change how a report looks, not what it says.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// ANSI colour (only for terminals).
    pub color: bool,
    /// The gate, so reports can state the verdict; its default threshold is
    /// the `fail_on` reports show.
    pub gate: Gate,
}

impl RenderOptions {
    /// Options for a gate with one threshold.
    pub fn fail_on(fail_on: FailOn) -> RenderOptions {
        RenderOptions { color: false, gate: Gate::uniform(fail_on) }
    }
}

/// Renders `report` in `format`.
pub fn render(format: Format, report: &ScanReport, options: &RenderOptions) -> Vec<u8> {
    match format {
        Format::Table => table::render(report, options).into_bytes(),
        Format::Json => json::render(report, options),
        Format::Sarif => sarif::render(report, options),
        Format::Junit => junit::render(report, options).into_bytes(),
        Format::Markdown => markdown::render(report, options).into_bytes(),
        Format::Csv => csv::render(report, options),
        Format::Html => html::render(report, options).into_bytes(),
        Format::Oscal => oscal::render(report, options),
    }
}

/// "pass" or "fail" for the gate, as every format states it.
pub fn verdict(report: &ScanReport, gate: &Gate) -> &'static str {
    if report.gate_fails(gate) {
        "fail"
    } else {
        "pass"
    }
}

/// How a report states a finding's inline suppression: `reason (until
/// DATE) at path:line`, prefixed `EXPIRED` once it no longer applies.
pub fn suppression_note(f: &tollgate_engine::Finding) -> Option<String> {
    let s = f.suppression.as_ref()?;
    let until = s.until.as_ref().map(|d| format!(" (until {d})")).unwrap_or_default();
    let expired = if s.expired { "EXPIRED suppression: " } else { "" };
    Some(format!("{expired}{}{until} at {}:{}", s.reason, s.path, s.line))
}

/// The line every human-readable format adds for a `--changed-since` scan:
/// what it compared against, and that it is partial (or why it is not).
pub fn changed_since_note(s: &Summary) -> Option<String> {
    let c = s.changed_since.as_ref()?;
    let base = c.base.get(..12).unwrap_or(&c.base);
    let files = |n: usize| if n == 1 { "1 file".to_string() } else { format!("{n} files") };
    Some(if c.policy_changed {
        format!("Changed since {} (merge base {base}): the config or a rule pack changed, so every file was scanned.", c.rev)
    } else if c.files_changed == 0 {
        format!("Changed since {} (merge base {base}): no file changed under the scan roots; nothing was scanned.", c.rev)
    } else {
        format!(
            "Changed since {} (merge base {base}): {} changed; {} scanned, with the modules and hosts they belong to. A partial scan, not a full assessment.",
            c.rev,
            files(c.files_changed),
            files(s.files_scanned)
        )
    })
}

/// The gate as the JSON and SARIF reports state it: threshold, verdict,
/// number of blocking failures, and the `[gate]` overrides when set.
pub(crate) fn gate_json(report: &ScanReport, gate: &Gate) -> Value {
    let mut out = Map::new();
    out.insert("fail_on".into(), Value::from(gate.default.as_str()));
    out.insert("verdict".into(), Value::from(verdict(report, gate)));
    out.insert("blocking".into(), Value::from(report.blocking(gate).count()));
    if !gate.frameworks.is_empty() {
        let m: Map<String, Value> = gate.frameworks.iter().map(|(f, t)| (f.id().to_string(), Value::from(t.as_str()))).collect();
        out.insert("frameworks".into(), Value::Object(m));
    }
    if !gate.rules.is_empty() {
        let m: Map<String, Value> = gate.rules.iter().map(|(r, t)| (r.clone(), Value::from(t.as_str()))).collect();
        out.insert("rules".into(), Value::Object(m));
    }
    Value::Object(out)
}

/// Findings with `status`.
pub(crate) fn count(report: &ScanReport, status: Status) -> usize {
    report.summary.by_status.get(&status).copied().unwrap_or(0)
}

/// The JSON report's `summary` object: every status and severity, zeros
/// included, then the counters.
pub(crate) fn summary_json(s: &Summary) -> Value {
    let findings: Map<String, Value> =
        Status::ALL.iter().map(|st| (st.as_str().to_string(), Value::from(s.by_status.get(st).copied().unwrap_or(0)))).collect();
    let by_sev: Map<String, Value> = Severity::ALL
        .iter()
        .map(|sev| (sev.as_str().to_string(), Value::from(s.failures_by_severity.get(sev).copied().unwrap_or(0))))
        .collect();
    let mut out = Map::new();
    out.insert("findings".into(), Value::Object(findings));
    out.insert("failures_by_severity".into(), Value::Object(by_sev));
    if let Ok(Value::Object(counts)) = serde_json::to_value(s) {
        out.extend(counts);
    }
    Value::Object(out)
}

/// At most `max` characters of `s`, ending in `…` when cut.
pub(crate) fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some(_) => {
            let keep: String = s.chars().take(max.saturating_sub(1)).collect();
            format!("{}…", keep.trim_end())
        }
    }
}

#[cfg(test)]
mod testutil;
