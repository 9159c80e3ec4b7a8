//! Scanning a program's systems: each one as `tollgate scan` would, in
//! parallel, with compiled policies shared between systems.
//!
//! Three phases:
//! 1. every system's `tollgate.toml`, rule sources and attestations are read
//!    (in parallel); a system whose config, packs or directory cannot be used
//!    is broken from here on, with its diagnostic kept as text;
//! 2. systems are grouped by rule configuration (sources, overrides and
//!    sandbox limits): a thousand systems on the built-in library compile it
//!    once, not a thousand times (40 small systems, debug build: 0.4 s with
//!    one shared policy, 3.8 s when each system has its own);
//! 3. groups run in parallel: each compiles its [`Policy`], scans its systems
//!    in parallel, reducing each report to its row and POA&M items at once,
//!    and drops the policy, so memory grows neither with file counts nor with
//!    the number of distinct configurations.
//!
//! Groups are formed up front rather than filled lazily behind a lock,
//! because `Policy::load` itself runs on the rayon pool: a worker waiting on
//! a lock could be handed the job that holds it.

use miette::Diagnostic;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tollgate_engine::catalog::Framework;
use tollgate_engine::framework::Attestations;
use tollgate_engine::program::reduce::{broken, reduce};
use tollgate_engine::program::SystemScan;
use tollgate_engine::{Config, FailOn, Policy, RuleSource, ScanOptions, Silent, SystemInfo};
use tollgate_inputs::{discover_with, Excludes, DEFAULT_MAX_FILE_SIZE};

/// What every system of one run shares.
pub struct ProgramScan<'a> {
    /// The program directory, canonical (absolute): stripped from error texts.
    pub root: &'a Path,
    pub framework: Option<Framework>,
    /// Program-wide threshold, replacing each system's `[gate] fail_on`.
    pub fail_on: Option<FailOn>,
    /// The scan clock every system judges dates by.
    pub scan_time: i64,
}

/// How many policies were compiled for how many systems.
#[derive(Debug, Default, Clone, Copy)]
pub struct PolicyStats {
    pub systems: usize,
    pub compiled: usize,
}

/// A system whose configuration was read, waiting for its policy.
struct Prepared {
    path: String,
    config: Config,
    attestations: Option<Attestations>,
}

/// Everything a compiled policy depends on: equal keys, equal policies.
#[derive(PartialEq, Eq, Hash)]
struct PolicyKey {
    sources: Vec<(String, Arc<str>)>,
    /// Overrides and limits, as `Debug` text (the overrides hold JSON values, which are not `Hash`).
    settings: String,
}

/// Scans the systems at `paths` (relative to `ctx.root`); `done` is called
/// after each system, from any thread.
pub fn scan_all(paths: &[String], ctx: &ProgramScan, done: &(dyn Fn() + Sync)) -> (Vec<SystemScan>, PolicyStats) {
    let builtin: Vec<RuleSource> =
        tollgate_rules::BUILTIN.iter().map(|r| RuleSource { path: r.path.to_string(), text: Arc::from(r.source) }).collect();
    let read: Vec<Result<(Prepared, PolicyKey), Box<SystemScan>>> = paths.par_iter().map(|p| prepare(p, ctx, &builtin)).collect();

    // Systems grouped by policy, in first-seen order; equal keys are dropped
    // as they are found, so one copy of each pack's sources is kept.
    let mut index: HashMap<PolicyKey, usize> = HashMap::new();
    let mut groups: Vec<(Vec<RuleSource>, Vec<Prepared>)> = Vec::new();
    let mut scans: Vec<SystemScan> = Vec::new();
    for r in read {
        match r {
            Ok((p, key)) => {
                let next = groups.len();
                let at = *index.entry(key).or_insert(next);
                if at == next {
                    groups.push((Vec::new(), Vec::new()));
                }
                groups[at].1.push(p);
            }
            Err(broken) => {
                done();
                scans.push(*broken);
            }
        }
    }
    for (key, at) in index {
        groups[at].0 = key.sources.into_iter().map(|(path, text)| RuleSource { path, text }).collect();
    }
    let stats = PolicyStats { systems: paths.len(), compiled: groups.len() };
    // Each group compiles its policy, scans its systems and drops the policy,
    // so memory holds a policy per busy worker, not one per configuration.
    let scanned: Vec<Vec<SystemScan>> = groups
        .into_par_iter()
        .map(|(sources, systems)| {
            let config = &systems[0].config;
            match Policy::load(&sources, &config.overrides(), config.limits()) {
                Ok(policy) => systems
                    .into_par_iter()
                    .map(|p| {
                        let scan = scan_one(p, &policy, ctx);
                        done();
                        scan
                    })
                    .collect(),
                Err(e) => {
                    let text = describe(&e, ctx.root);
                    systems
                        .into_iter()
                        .map(|p| {
                            done();
                            failed(&p.path, Some(&p.config.system), text.clone())
                        })
                        .collect()
                }
            }
        })
        .collect();
    scans.extend(scanned.into_iter().flatten());
    (scans, stats)
}

fn failed(path: &str, info: Option<&SystemInfo>, error: String) -> SystemScan {
    SystemScan { result: broken(path, info, error), poam: Vec::new() }
}

fn failed_boxed(path: &str, info: Option<&SystemInfo>, error: String) -> Box<SystemScan> {
    Box::new(failed(path, info, error))
}

/// Reads one system's config, rule sources and attestations.
fn prepare(path: &str, ctx: &ProgramScan, builtin: &[RuleSource]) -> Result<(Prepared, PolicyKey), Box<SystemScan>> {
    let dir = ctx.root.join(path);
    if !dir.is_dir() {
        return Err(failed_boxed(path, None, format!("{path}: not a directory")));
    }
    let label = format!("{path}/{}", super::setup::CONFIG_FILE);
    let text = std::fs::read_to_string(dir.join(super::setup::CONFIG_FILE))
        .map_err(|e| failed_boxed(path, None, format!("{label}: cannot read the system's configuration: {e}")))?;
    let mut config = Config::parse(&label, &text).map_err(|e| failed_boxed(path, None, describe(&e, ctx.root)))?;
    config.base_dir = dir;
    let broken = |e: &dyn Diagnostic| failed_boxed(path, Some(&config.system), describe(e, ctx.root));

    let mut sources: Vec<RuleSource> = if config.rules.builtin.unwrap_or(true) { builtin.to_vec() } else { Vec::new() };
    for pack in &config.rules.packs {
        sources.extend(RuleSource::from_dir(&config.resolve(pack)).map_err(|e| broken(&e))?);
    }
    let attestations = match (ctx.framework, &config.report.attestations) {
        (Some(_), Some(file)) => Some(Attestations::load(&config.resolve(file)).map_err(|e| broken(&e))?),
        _ => None,
    };
    config.poam.settings(&config.system).map_err(|m| failed_boxed(path, Some(&config.system), format!("{label}: [poam]: {m}")))?;
    let key = PolicyKey {
        sources: sources.into_iter().map(|s| (s.path, s.text)).collect(),
        settings: format!("{:?} {:?}", config.overrides(), config.limits()),
    };
    Ok((Prepared { path: path.to_string(), config, attestations }, key))
}

/// Scans one prepared system and reduces its report.
fn scan_one(p: Prepared, policy: &Policy, ctx: &ProgramScan) -> SystemScan {
    let Prepared { path, config, attestations } = p;
    let broken = |e: &dyn Diagnostic| failed(&path, Some(&config.system), describe(e, ctx.root));
    let excludes = match Excludes::new(&config.scan.exclude) {
        Ok(x) => x,
        Err(e) => return failed(&path, Some(&config.system), format!("{path}/tollgate.toml: bad `[scan] exclude` glob: {e}")),
    };
    let parsers = match super::setup::parser_overrides(&config, &[]) {
        Ok(x) => x,
        Err(e) => return broken(&*e),
    };
    let roots = super::setup::roots(&[], &config);
    let discovery = match discover_with(&roots, &excludes, &parsers) {
        Ok(d) => d,
        Err(e) => return broken(&e),
    };
    let options = ScanOptions {
        max_file_size: config.scan.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
        system: config.system.clone(),
        scan_time: Some(ctx.scan_time),
        ..ScanOptions::default()
    };
    let mut report = policy.scan(discovery, &options, &Silent);
    if let Some(framework) = ctx.framework {
        report.framework = Some(tollgate_engine::framework::build(&report, framework, attestations.as_ref(), report.scan_time));
    }
    let gate = config.gate.gate(ctx.fail_on);
    match config.poam.settings(&config.system) {
        Ok(settings) => reduce(&path, &report, &gate, &settings),
        Err(m) => failed(&path, Some(&config.system), format!("{path}/tollgate.toml: [poam]: {m}")),
    }
}

/// A diagnostic as plain text (no colour, no wrapping), with the program
/// directory taken out of paths so reports never hold host paths.
pub fn describe(diagnostic: &dyn Diagnostic, root: &Path) -> String {
    let text = tollgate_reports::diagnostic::render(diagnostic, false, 10_000);
    let prefix = format!("{}{}", root.display(), std::path::MAIN_SEPARATOR);
    let lines: Vec<String> = text.replace(&prefix, "").lines().map(|l| l.trim_end().to_string()).collect();
    lines.join("\n").trim_matches('\n').to_string()
}
