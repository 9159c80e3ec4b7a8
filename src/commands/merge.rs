//! `tollgate merge SHARD...`: the shard files of `tollgate program --shard I/N`
//! combined into the program report, through the same builder and renderers
//! as a single run, so the bytes are the same.
//!
//! Exit codes as for `tollgate program`: 0 every system passed, 1 a system is
//! broken or failed its gate, 2 the shards do not make up one program.

use super::program::{read_previous, summarize, write_reports};
use crate::Outcome;
use clap::Args;
use miette::{miette, Result};
use std::path::PathBuf;
use tollgate_engine::program::{build, shard, GateVerdict};

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard files, in any order.
    #[arg(required = true, value_name = "SHARD")]
    pub shards: Vec<PathBuf>,

    #[command(flatten)]
    pub out: super::program::ProgramOutput,

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
    let previous = args.out.previous.as_deref().map(read_previous).transpose()?;
    let count = shards.len();
    let report = build(shard::merge(shards)?, previous.as_ref());
    write_reports(&report, args.out.format, args.out.output.as_deref(), &args.out.reports)?;
    if !args.quiet {
        summarize(&report, &format!("merged from {count} shards"));
    }
    Ok(if report.gate == GateVerdict::Fail { Outcome::Fail } else { Outcome::Pass })
}
