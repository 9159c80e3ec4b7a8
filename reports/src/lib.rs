//! Tollgate reports: one module per output format, each a pure function from
//! a [`ScanReport`] to bytes. Nothing here evaluates rules or reads inputs.
//!
//! ```
//! use tollgate_reports::{render, Format, RenderOptions};
//! # let report = tollgate_engine::ScanReport {
//! #     system: Default::default(), rules: vec![], findings: vec![], input_errors: vec![], summary: Default::default() };
//! let bytes = render(Format::Json, &report, &RenderOptions::default());
//! let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
//! assert_eq!(doc["tool"], "tollgate");
//! ```
#![forbid(unsafe_code)]

pub mod diagnostic;
pub mod fixtures;
pub mod inventory;
pub mod json;
pub mod ruledoc;
pub mod rules;
pub mod style;
pub mod table;

use std::fmt;
use std::str::FromStr;
use tollgate_engine::{FailOn, ScanReport, Severity};

/// Output formats selectable with `--format` and `--report FORMAT=PATH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Table, Format::Json];

    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
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
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// ANSI colour (only for terminals).
    pub color: bool,
    /// The gate, so reports can state the verdict.
    pub fail_on: FailOn,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { color: false, fail_on: FailOn::At(Severity::Low) }
    }
}

/// Renders `report` in `format`.
pub fn render(format: Format, report: &ScanReport, options: &RenderOptions) -> Vec<u8> {
    match format {
        Format::Table => table::render(report, options).into_bytes(),
        Format::Json => json::render(report, options),
    }
}

/// "pass" or "fail" for the gate, as every format states it.
pub fn verdict(report: &ScanReport, fail_on: FailOn) -> &'static str {
    if report.gate_fails(fail_on) {
        "fail"
    } else {
        "pass"
    }
}
