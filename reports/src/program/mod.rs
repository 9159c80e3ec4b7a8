//! Program reports: one module per format, each a pure function from a
//! [`ProgramReport`] to bytes. The same functions serve `tollgate program`
//! and `tollgate merge`, so a merged report is the same bytes as a single run.
//!
//! ```
//! use tollgate_reports::program::{render, ProgramFormat};
//! # let report: tollgate_engine::program::ProgramReport = tollgate_engine::program::build(
//! #     tollgate_engine::program::ProgramInput { program: Default::default(), scan_time: 0, framework: None, fail_on: None,
//! #         systems: vec![], poam: vec![] }, None);
//! let bytes = render(ProgramFormat::Json, &report).unwrap();
//! let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
//! assert_eq!(doc["kind"], "tollgate-program-report");
//! ```

#[cfg(test)]
mod fixture;
pub mod html;
pub mod json;
pub mod text;
pub mod xlsx;

use miette::Diagnostic;
use std::fmt;
use std::str::FromStr;
use tollgate_engine::program::ProgramReport;

/// Formats of `tollgate program --format` and `tollgate merge --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramFormat {
    /// The complete report (`docs/program.md`).
    Json,
    /// One self-contained page: heat map, worst controls, per-system scores, trend.
    Html,
    /// A workbook for the ISSM.
    Xlsx,
}

impl ProgramFormat {
    pub const ALL: [ProgramFormat; 3] = [ProgramFormat::Json, ProgramFormat::Html, ProgramFormat::Xlsx];

    pub fn name(self) -> &'static str {
        match self {
            ProgramFormat::Json => "json",
            ProgramFormat::Html => "html",
            ProgramFormat::Xlsx => "xlsx",
        }
    }
}

impl fmt::Display for ProgramFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ProgramFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProgramFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| format!("unknown program report format `{s}`; expected json, html or xlsx"))
    }
}

/// Why a program report could not be rendered.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ProgramRenderError {
    /// The workbook could not be assembled (a sheet or cell beyond Excel's limits).
    #[error("cannot write the xlsx program report: {0}")]
    #[diagnostic(code(tollgate::report::xlsx))]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Renders `report` in `format`.
pub fn render(format: ProgramFormat, report: &ProgramReport) -> Result<Vec<u8>, ProgramRenderError> {
    match format {
        ProgramFormat::Json => Ok(json::render(report)),
        ProgramFormat::Html => Ok(html::render(report).into_bytes()),
        ProgramFormat::Xlsx => Ok(xlsx::render(report)?),
    }
}
