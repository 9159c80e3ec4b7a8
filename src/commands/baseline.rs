//! Baselines from the command line: `tollgate baseline create` and the
//! `--baseline` file a scan compares with (see `tollgate_engine::baseline`).

use crate::cli::ScanArgs;
use crate::Outcome;
use miette::{miette, IntoDiagnostic, Result};
use std::path::Path;
use tollgate_engine::baseline::BaselineFile;
use tollgate_engine::{Config, ScanReport};

/// The baseline of `--baseline`, else of `[gate] baseline`, read before the
/// scan so that a bad file stops the run early (exit 2). Returns the file and
/// the name reports show for it.
pub fn load(args: &ScanArgs, config: &Config) -> Result<Option<(BaselineFile, String)>> {
    let path = match (&args.baseline, &config.gate.baseline) {
        (Some(p), _) => p.clone(),
        (None, Some(p)) => config.resolve(p),
        (None, None) => return Ok(None),
    };
    let name = path.display().to_string();
    Ok(Some((BaselineFile::load(&path)?, name)))
}

/// Writes the baseline of `report` to `path`. The run fails (exit 1) when
/// inputs or rules errored: the baseline was written, but it cannot hold the
/// failures of what could not be read, so they would show up later as new.
pub fn write(report: &ScanReport, path: &Path, quiet: bool) -> Result<Outcome> {
    let file = BaselineFile::from_report(report);
    std::fs::write(path, file.to_json()).into_diagnostic().map_err(|e| miette!("cannot write baseline {}: {e}", path.display()))?;
    let errors = report.summary.input_errors + report.summary.rule_errors;
    if !quiet {
        eprintln!("tollgate: recorded {} failure(s) in {}", file.findings.len(), path.display());
    }
    if errors > 0 {
        eprintln!("tollgate: {errors} input or rule error(s): the baseline cannot include what could not be assessed");
        return Ok(Outcome::Fail);
    }
    Ok(Outcome::Pass)
}
