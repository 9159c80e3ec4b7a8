//! `tollgate scan`: discover, evaluate, report, and set the exit code.

use super::setup;
use crate::cli::ScanArgs;
use crate::progress::Progress;
use crate::Outcome;
use miette::{miette, IntoDiagnostic, Result};
use std::io::{IsTerminal, Write};
use tollgate_engine::catalog::Framework;
use tollgate_engine::framework::Attestations;
use tollgate_engine::{Config, Policy, ScanOptions, ScanReport};
use tollgate_inputs::{discover_with, Excludes, DEFAULT_MAX_FILE_SIZE};
use tollgate_reports::{diagnostic, render, RenderOptions};

/// Most input diagnostics drawn in full on stderr; the rest are counted.
const MAX_DRAWN_DIAGNOSTICS: usize = 20;

pub fn run(args: ScanArgs) -> Result<Outcome> {
    execute(args, false)
}

/// `tollgate baseline create`: a scan whose output is a baseline file.
pub fn create_baseline(args: ScanArgs) -> Result<Outcome> {
    execute(args, true)
}

fn execute(args: ScanArgs, baseline_create: bool) -> Result<Outcome> {
    let config = setup::config(args.config.as_deref(), &args.paths)?;
    let gate = config.gate.gate(args.fail_on);
    let baseline = if baseline_create { None } else { super::baseline::load(&args, &config)? };
    let baseline_out = match (baseline_create, &args.output) {
        (false, _) => None,
        (true, Some(path)) => Some(path.clone()),
        (true, None) => return Err(miette!(code = "tollgate::usage::baseline", "name the baseline file to write with -o FILE")),
    };
    if baseline_create && args.changed_since.is_some() {
        return Err(miette!(
            code = "tollgate::usage::baseline",
            "a baseline records every failure, so it cannot come from a partial (--changed-since) scan"
        ));
    }
    setup::thread_pool(args.threads)?;
    let sources = setup::rule_sources(&config, &args.rule_dirs, args.no_builtin)?;
    let policy = Policy::load(&sources, &config.overrides(), config.limits())?;
    let (framework, attestations) = framework_view_inputs(&args, &config)?;

    let patterns: Vec<String> = config.scan.exclude.iter().chain(&args.exclude).cloned().collect();
    let excludes = Excludes::new(&patterns).map_err(|e| miette!(code = "tollgate::usage::exclude", "bad exclude glob: {e}"))?;
    let roots = setup::roots(&args.paths, &config);
    let parsers = setup::parser_overrides(&config, &args.parsers)?;
    let discovery = discover_with(&roots, &excludes, &parsers)?;
    let scope = tollgate_inputs::changed::Scope { roots: &roots, excludes: &excludes, parsers: &parsers };
    let (discovery, changed_since) = super::changed::narrow(&args, &config, discovery, &scope)?;
    // A partial scan cannot tell whether a recorded failure in a file it did not read is fixed.
    let scanned: Option<std::collections::HashSet<String>> =
        changed_since.as_ref().map(|_| discovery.files.iter().map(|f| f.path.clone()).collect());
    // Locked and read before the scan: a broken ledger stops the run before any work.
    let ledger = super::poam::open_for_scan(args.poam.as_deref(), &config, args.poam_wait_ms)?;

    let progress = Progress::new(args.quiet);
    let scan_time = setup::now(args.now.as_deref())?;
    let options = ScanOptions {
        max_file_size: config.scan.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        system: config.system.clone(),
        scan_time,
        suppress: !args.no_suppress,
    };
    let mut report = policy.scan(discovery, &options, &progress);
    progress.finish();
    if let Some(changed) = changed_since {
        report.mark_changed_since(changed);
    }
    if let Some(framework) = framework {
        // Attestations expire against the same date the rules saw.
        report.framework = Some(tollgate_engine::framework::build(&report, framework, attestations.as_ref(), report.scan_time));
    }

    if let Some((file, name)) = &baseline {
        file.apply(&mut report, name, scanned.as_ref());
    }

    explain_errors(&report, &sources, args.quiet);
    if let Some(path) = baseline_out {
        return super::baseline::write(&report, &path, args.quiet);
    }
    let stdout_color = args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let plain = RenderOptions { color: false, gate: gate.clone() };
    let main = render(args.format, &report, &RenderOptions { color: stdout_color, gate: gate.clone() });
    match &args.output {
        Some(path) => std::fs::write(path, &main).into_diagnostic()?,
        None => std::io::stdout().write_all(&main).into_diagnostic()?,
    }
    for target in &args.reports {
        let bytes = render(target.format, &report, &plain);
        std::fs::write(&target.path, bytes)
            .map_err(|e| miette!("cannot write {} report to {}: {e}", target.format, target.path.display()))?;
    }
    if let Some(ledger) = ledger {
        super::poam::record_scan(ledger, &report, args.quiet)?;
    }
    Ok(if report.gate_fails(&gate) { Outcome::Fail } else { Outcome::Pass })
}

/// The framework of `--framework` or `[report] framework`, and the checked
/// attestations of `--attestations` or `[report] attestations`, loaded before
/// the scan so that a bad file stops the run early (exit 2).
fn framework_view_inputs(args: &ScanArgs, config: &Config) -> Result<(Option<Framework>, Option<Attestations>)> {
    let framework = match &args.framework {
        Some(id) => Some(super::controls::framework(id)?),
        None => config.report.framework,
    };
    let path = args.attestations.clone().or_else(|| config.report.attestations.as_deref().map(|p| config.resolve(p)));
    match (path, framework) {
        (None, _) => Ok((framework, None)),
        (Some(path), Some(_)) => Ok((framework, Some(Attestations::load(&path)?))),
        (Some(path), None) => Err(miette!(
            code = "tollgate::usage::attestations",
            help = "name the framework with --framework ID or `[report] framework`",
            "attestations ({}) are for a framework view, but no framework was named",
            path.display()
        )),
    }
}

/// Input errors drawn with their source spans on stderr, where they do not
/// mix with a machine-readable report on stdout.
fn explain_errors(report: &ScanReport, sources: &[tollgate_engine::RuleSource], quiet: bool) {
    let errors = &report.input_errors;
    let rule_errors = report.summary.rule_errors;
    if errors.is_empty() && rule_errors == 0 {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut err = std::io::stderr().lock();
    if !quiet {
        for e in errors.iter().take(MAX_DRAWN_DIAGNOSTICS) {
            let _ = write!(err, "{}", diagnostic::render(e, color, 100));
        }
        if errors.len() > MAX_DRAWN_DIAGNOSTICS {
            let _ = writeln!(err, "… and {} more input errors (all are listed in the report)", errors.len() - MAX_DRAWN_DIAGNOSTICS);
        }
        // Rule errors, drawn against the rule's source with the resource named.
        let faults = report.findings.iter().filter(|f| f.status == tollgate_engine::Status::Error);
        for f in faults.clone().take(MAX_DRAWN_DIAGNOSTICS) {
            let text = sources.iter().find(|s| s.path == f.rule.source).map(|s| s.text.clone());
            match text.and_then(|t| tollgate_engine::eval::runtime_diagnostic(f, &t)) {
                Some(d) => {
                    let _ = write!(err, "{}", diagnostic::render(&d, color, 100));
                }
                None => {
                    let _ = writeln!(err, "{}: {}", f.rule.id, f.message);
                }
            }
        }
        if faults.count() > MAX_DRAWN_DIAGNOSTICS {
            let _ = writeln!(err, "… and more rule errors (all are listed in the report)");
        }
    }
    let _ =
        writeln!(err, "tollgate: {} input error(s) and {} rule error(s); the gate fails unless --fail-on never", errors.len(), rule_errors);
}
