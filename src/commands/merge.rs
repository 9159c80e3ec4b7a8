//! `tollgate merge SHARD...`: the shard files of `tollgate program --shard I/N`
//! combined into the program report, through the same builder and renderers
//! as a single run, so the bytes are the same.
//!
//! Exit codes as for `tollgate program`: 0 every system passed, 1 a system is
//! broken or failed its gate, 2 the shards do not make up one program.

use super::program::{parse_target, read_previous, summarize, write_reports, ProgramTarget};
use crate::Outcome;
use clap::Args;
use miette::{miette, Result};
use std::path::PathBuf;
use tollgate_engine::program::{build, shard, GateVerdict};
use tollgate_reports::program::ProgramFormat;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard files, in any order.
    #[arg(required = true, value_name = "SHARD")]
    pub shards: Vec<PathBuf>,

    /// Format of the report on stdout (or in --output): json, html or xlsx.
    #[arg(long, short = 'f', default_value = "json", value_parser = |s: &str| s.parse::<ProgramFormat>())]
    pub format: ProgramFormat,

    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write the report in FORMAT to PATH; repeatable.
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_target)]
    pub reports: Vec<ProgramTarget>,

    /// An earlier program JSON report: adds the trend against it.
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,

    /// Nothing on stderr but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

pub fn run(args: MergeArgs) -> Result<Outcome> {
    let mut shards = Vec::with_capacity(args.shards.len());
    for path in &args.shards {
        let label = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| miette!(code = "tollgate::merge::read", "cannot read shard {label}: {e}"))?;
        shards.push((label.clone(), shard::parse_shard(&label, &bytes)?));
    }
    let previous = args.previous.as_deref().map(read_previous).transpose()?;
    let count = shards.len();
    let report = build(shard::merge(shards)?, previous.as_ref());
    write_reports(&report, args.format, args.output.as_deref(), &args.reports)?;
    if !args.quiet {
        summarize(&report, &format!("merged from {count} shards"));
    }
    Ok(if report.gate == GateVerdict::Fail { Outcome::Fail } else { Outcome::Pass })
}
