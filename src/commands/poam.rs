//! `tollgate poam show|export|diff`, and the ledger side of `tollgate scan --poam`.

use crate::Outcome;
use clap::{Subcommand, ValueEnum};
use miette::{miette, IntoDiagnostic, Result};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tollgate_engine::poam::store::{self, LedgerSession};
use tollgate_engine::poam::{deviations, diff, oscal, Day, PoamSettings, UpdateInput};
use tollgate_engine::{Config, ScanReport};
use tollgate_reports::poam_table::{self, Selection};
use tollgate_reports::{poam_csv, poam_xlsx};

#[derive(Debug, Subcommand)]
pub enum PoamCommand {
    /// List the items of a POA&M ledger.
    Show {
        /// The ledger (an OSCAL POA&M JSON file written by `tollgate scan --poam`).
        ledger: PathBuf,
        /// Only open items, closed items (and approved false positives), or overdue items.
        #[arg(long)]
        status: Option<StatusFilter>,
        /// table or json.
        #[arg(long, short = 'f', default_value = "table")]
        format: ShowFormat,
        /// Judge lateness as of DATE (YYYY-MM-DD) instead of today.
        #[arg(long, value_name = "DATE")]
        now: Option<String>,
    },
    /// Write the ledger as a FedRAMP POA&M workbook, CSV, or OSCAL JSON.
    Export {
        ledger: PathBuf,
        /// xlsx (the FedRAMP template's sheets and columns), csv or oscal.
        #[arg(long, short = 'f')]
        format: ExportFormat,
        /// Output file.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: PathBuf,
    },
    /// What changed from OLD to NEW: items opened, closed, reopened, and changed due dates.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// table or json.
        #[arg(long, short = 'f', default_value = "table")]
        format: ShowFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusFilter {
    Open,
    Closed,
    Overdue,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ShowFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Xlsx,
    Csv,
    Oscal,
}

fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn today(now: Option<&str>) -> Result<Day> {
    match now {
        None => Ok(Day::from_unix(tollgate_engine::api::dates::scan_time())),
        Some(d) => Day::parse(d).ok_or_else(|| miette!(code = "tollgate::usage::now", "`--now {d}` is not a date (use YYYY-MM-DD)")),
    }
}

pub fn run(command: PoamCommand) -> Result<Outcome> {
    let mut stdout = std::io::stdout().lock();
    match command {
        PoamCommand::Show { ledger, status, format, now } => {
            let l = store::read(&ledger)?;
            let today = today(now.as_deref())?;
            let selection = match status {
                None => Selection::All,
                Some(StatusFilter::Open) => Selection::Open,
                Some(StatusFilter::Closed) => Selection::Closed,
                Some(StatusFilter::Overdue) => Selection::Overdue,
            };
            let bytes = match format {
                ShowFormat::Table => poam_table::render_table(&l, selection, today, color()).into_bytes(),
                ShowFormat::Json => poam_table::render_json(&l, selection, today),
            };
            stdout.write_all(&bytes).into_diagnostic()?;
        }
        PoamCommand::Export { ledger, format, output } => {
            let l = store::read(&ledger)?;
            let bytes = match format {
                ExportFormat::Xlsx => poam_xlsx::render(&l).map_err(|e| miette!("cannot build the workbook: {e}"))?,
                ExportFormat::Csv => poam_csv::render(&l),
                ExportFormat::Oscal => oscal::to_json(&l).into_bytes(),
            };
            std::fs::write(&output, bytes).map_err(|e| miette!("cannot write {}: {e}", output.display()))?;
        }
        PoamCommand::Diff { old, new, format } => {
            let d = diff::diff(&store::read(&old)?, &store::read(&new)?);
            let bytes = match format {
                ShowFormat::Table => poam_table::render_diff_table(&d, color()).into_bytes(),
                ShowFormat::Json => poam_table::render_diff_json(&d),
            };
            stdout.write_all(&bytes).into_diagnostic()?;
        }
    }
    Ok(Outcome::Pass)
}

/// A ledger opened by `scan --poam` before the scan runs: locked, read,
/// checked, with the settings and deviations it will be updated with, so
/// that a broken ledger, config or deviations file stops the run early.
pub struct ScanLedger {
    session: LedgerSession,
    settings: PoamSettings,
    deviations: Vec<deviations::Deviation>,
}

pub fn open_for_scan(path: Option<&Path>, config: &Config, wait_ms: u32) -> Result<Option<ScanLedger>> {
    let Some(path) = path else { return Ok(None) };
    let settings = config.poam.settings(&config.system).map_err(|m| miette!(code = "tollgate::config::poam", "tollgate.toml: {m}"))?;
    let deviations = match tollgate_engine::poam::deviations_path(config)? {
        Some(p) => deviations::load(&p)?,
        None => Vec::new(),
    };
    let session = LedgerSession::open(path, &config.system, Duration::from_millis(u64::from(wait_ms)))?;
    Ok(Some(ScanLedger { session, settings, deviations }))
}

/// Merges the scan into the ledger and writes it; tells what changed on stderr.
pub fn record_scan(ledger: ScanLedger, report: &ScanReport, quiet: bool) -> Result<()> {
    let today = Day::from_unix(report.scan_time);
    let ScanLedger { mut session, settings, deviations } = ledger;
    let input = UpdateInput { report, settings: &settings, deviations: &deviations, today, tool_version: env!("CARGO_PKG_VERSION") };
    let (updated, summary) = tollgate_engine::poam::update(session.previous.take(), &input);
    let path = session.path().display().to_string();
    let mut err = std::io::stderr().lock();
    if updated.items.is_empty() {
        if !quiet {
            let _ = writeln!(err, "poam: no weaknesses; {path} not created (an OSCAL POA&M needs at least one item)");
        }
        return Ok(());
    }
    session.save(&updated)?;
    if !quiet {
        let _ = writeln!(
            err,
            "poam: {path}: {} opened, {} closed, {} reopened; {} open, {} overdue",
            summary.opened.len(),
            summary.closed.len(),
            summary.reopened.len(),
            summary.open,
            summary.overdue
        );
        for w in &summary.warnings {
            let _ = writeln!(err, "poam: warning: {w}");
        }
    }
    Ok(())
}
