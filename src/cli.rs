//! Command-line arguments. The contract here is relied on by scripts and CI
//! integrations: change it only by adding.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use tollgate_engine::FailOn;
use tollgate_reports::Format;

#[derive(Debug, Parser)]
#[command(
    name = "tollgate",
    version,
    about = "Policy-as-code compliance: Rhai rules over infrastructure configuration, mapped to NIST SP 800-53, FedRAMP, 800-171 and CMMC"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan configuration files against the rules and report gaps.
    Scan(ScanArgs),
}

/// A `FORMAT=PATH` pair from `--report`.
#[derive(Debug, Clone)]
pub struct ReportTarget {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_report_target(s: &str) -> Result<ReportTarget, String> {
    let (format, path) = s.split_once('=').ok_or_else(|| format!("expected FORMAT=PATH, got `{s}`"))?;
    if path.is_empty() {
        return Err(format!("no path after `{format}=`"));
    }
    Ok(ReportTarget { format: format.parse()?, path: PathBuf::from(path) })
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan [default: `[scan] paths` from the config, else .]
    pub paths: Vec<PathBuf>,

    /// Format of the report on stdout (or in --output).
    #[arg(long, short = 'f', default_value = "table", value_parser = |s: &str| s.parse::<Format>())]
    pub format: Format,

    /// Write the --format report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write a report in FORMAT to PATH; repeatable.
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_report_target)]
    pub reports: Vec<ReportTarget>,

    /// Add the rules in DIR (a rule pack); repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,

    /// Do not run the built-in rules.
    #[arg(long)]
    pub no_builtin: bool,

    /// Leave out files and directories matching GLOB; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Lowest severity of failure that fails the run: low, moderate, high, critical or never.
    #[arg(long, default_value = "low", value_parser = |s: &str| s.parse::<FailOn>())]
    pub fail_on: FailOn,

    /// Configuration file [default: tollgate.toml in the scanned directory, else ./tollgate.toml].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// No progress bar and no detailed diagnostics on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}
