//! The scan: every rule × every matching resource, in parallel, streamed.
//!
//! Work is split into evaluation units (usually one file; a Terraform module
//! directory is one unit), which workers parse, evaluate and drop one at a
//! time, so memory holds findings, not documents. Workers share the frozen
//! Rhai engine and the compiled ASTs; each resource is converted to a Rhai
//! value once, however many rules read it. Results are sorted at the end so
//! that output never depends on thread scheduling.

use crate::api::related::{with_unit, UnitIndex};
use crate::eval::evaluate;
use crate::result::{Finding, ScanReport, Status, Summary, SystemInfo};
use crate::suppress::UnitSuppressions;
use crate::Policy;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tollgate_inputs::{load_with_suppressions, Discovery, InputError, InputFile, Resource};

/// Told about progress so a front end can draw a bar; the engine itself never prints.
pub trait ScanObserver: Sync {
    /// Called once when the number of files is known.
    fn start(&self, _files: usize) {}
    /// Called after each file is parsed and evaluated.
    fn file_done(&self, _path: &str) {}
}

/// An observer that ignores everything.
pub struct Silent;
impl ScanObserver for Silent {}

/// Per-run settings that are not rules.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub max_file_size: u64,
    pub system: SystemInfo,
    /// "Now" for date helpers (Unix seconds), fixed for the whole scan so every
    /// rule on every worker judges ages against the same instant. `None`: the
    /// system clock when the scan starts.
    pub scan_time: Option<i64>,
    /// Honour inline `tollgate:ignore` comments (off with `--no-suppress`).
    pub suppress: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_file_size: tollgate_inputs::DEFAULT_MAX_FILE_SIZE,
            system: SystemInfo::default(),
            scan_time: None,
            suppress: true,
        }
    }
}

/// Most evaluation units one rayon task takes. Rayon otherwise stops
/// splitting after a few halvings, and a worker that finished early sat idle
/// while the other ground through the last quarter of the corpus (about a
/// sixth of a 2-thread scan). Units take 0.1–1 ms, so tasks of a few units
/// balance the load at no measurable cost.
pub(crate) const UNITS_PER_TASK: usize = 4;

#[derive(Default)]
struct UnitOutcome {
    findings: Vec<Finding>,
    errors: Vec<InputError>,
    resources: usize,
    /// Files that parsed but held nothing to assess.
    empty: usize,
    evaluations: u64,
    /// Inline suppressions that covered no failure.
    unused_suppressions: Vec<tollgate_inputs::Suppression>,
}

impl Policy {
    /// Evaluates every applicable rule on every resource of one unit, with
    /// the unit installed for `related()`. `matched[i]` is set when rule `i`
    /// applied to something, so that unmatched rules can be reported as skipped.
    fn evaluate_unit(
        &self,
        unit: &Arc<UnitIndex>,
        matched: Option<&[AtomicBool]>,
        suppressions: Option<&UnitSuppressions>,
        out: &mut Vec<Finding>,
    ) -> u64 {
        with_unit(unit, || {
            let mut evaluations = 0;
            for (index, resource) in unit.resources.iter().enumerate() {
                let first = out.len();
                for (i, rule) in self.rules.iter().enumerate() {
                    if !rule.applies(&resource.kind, &resource.path) {
                        continue;
                    }
                    // Read first: a store on every evaluation would bounce the
                    // flags' cache line between workers.
                    if let Some(m) = matched.filter(|m| !m[i].load(Ordering::Relaxed)) {
                        m[i].store(true, Ordering::Relaxed);
                    }
                    evaluate(&self.engine, &self.limits, rule, resource, unit.value(index), out);
                    evaluations += 1;
                }
                if let Some(s) = suppressions {
                    s.apply(resource, &mut out[first..]);
                }
            }
            evaluations
        })
    }

    /// Evaluates every applicable rule on `resources`, which form one unit
    /// (they can see each other through `related()`).
    pub fn evaluate_all(&self, resources: Vec<Resource>) -> Vec<Finding> {
        let mut out = Vec::new();
        self.evaluate_unit(&Arc::new(UnitIndex::new(resources)), None, None, &mut out);
        out
    }

    /// Evaluates every applicable rule on one resource on its own.
    pub fn evaluate(&self, resource: &Resource) -> Vec<Finding> {
        self.evaluate_all(vec![resource.clone()])
    }

    fn scan_unit(&self, files: &[&InputFile], options: &ScanOptions, today: &str, matched: &[AtomicBool]) -> UnitOutcome {
        let mut out = UnitOutcome::default();
        let mut resources = Vec::new();
        let mut suppressions = Vec::new();
        for file in files {
            match load_with_suppressions(file, options.max_file_size) {
                Ok(loaded) => {
                    if loaded.resources.is_empty() {
                        out.empty += 1;
                    }
                    resources.extend(loaded.resources);
                    suppressions.extend(loaded.suppressions);
                    // Reported even under --no-suppress: the file has a defect either way.
                    out.errors.extend(loaded.suppression_errors);
                }
                Err(e) => out.errors.push(e),
            }
        }
        out.resources = resources.len();
        let unit = UnitSuppressions::new(if options.suppress { &suppressions } else { &[] }, today);
        out.evaluations = self.evaluate_unit(&Arc::new(UnitIndex::new(resources)), Some(matched), Some(&unit), &mut out.findings);
        out.unused_suppressions = unit.unused().cloned().collect();
        out
    }

    /// Scans the discovered files and returns the sorted report.
    pub fn scan(&self, discovery: Discovery, options: &ScanOptions, observer: &dyn ScanObserver) -> ScanReport {
        let started = Instant::now();
        let now = options.scan_time.unwrap_or_else(crate::api::dates::clock_now);
        crate::api::dates::set_scan_time(Some(now));
        let today = crate::framework::attest::utc_date(now).map(|d| d.to_string()).unwrap_or_default();
        observer.start(discovery.files.len());
        let matched: Vec<AtomicBool> = self.rules.iter().map(|_| AtomicBool::new(false)).collect();
        let mut units: BTreeMap<&str, Vec<&InputFile>> = BTreeMap::new();
        for file in &discovery.files {
            units.entry(file.unit.as_str()).or_default().push(file);
        }
        let units: Vec<Vec<&InputFile>> = units.into_values().collect();
        let outcomes: Vec<UnitOutcome> = units
            .par_iter()
            .with_max_len(UNITS_PER_TASK)
            .map(|files| {
                let outcome = self.scan_unit(files, options, &today, &matched);
                files.iter().for_each(|f| observer.file_done(&f.path));
                outcome
            })
            .collect();

        let mut summary =
            Summary { files_scanned: discovery.files.len(), files_unrecognised: discovery.unrecognised, ..Summary::default() };
        let mut findings = Vec::with_capacity(outcomes.iter().map(|o| o.findings.len()).sum::<usize>() + self.rules.len());
        let mut input_errors = discovery.errors;
        let mut unused_suppressions = Vec::new();
        for o in outcomes {
            summary.resources += o.resources;
            summary.files_empty += o.empty;
            summary.evaluations += o.evaluations;
            findings.extend(o.findings);
            input_errors.extend(o.errors);
            unused_suppressions.extend(o.unused_suppressions);
        }
        for (rule, hit) in self.rules.iter().zip(&matched) {
            if !hit.load(Ordering::Relaxed) {
                findings.push(Finding {
                    rule: rule.meta.clone(),
                    status: Status::Skip,
                    severity: rule.severity,
                    resource: None,
                    location: None,
                    property_path: None,
                    message: format!("no resource of kind {} was found", rule.meta.applies_to.join(", ")),
                    suppression: None,
                    baselined: false,
                });
            }
        }
        // The key covers every field, so findings it calls equal are identical
        // and an unstable sort (no second buffer of every finding) is deterministic.
        findings.par_sort_unstable_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        input_errors.sort_by(|a, b| (a.path(), a.line()).cmp(&(b.path(), b.line())));

        for f in &findings {
            *summary.by_status.entry(f.status).or_default() += 1;
            if f.status == Status::Fail {
                *summary.failures_by_severity.entry(f.severity).or_default() += 1;
                summary.expired_suppressions += usize::from(f.suppression.is_some());
            }
        }
        summary.rule_errors = summary.by_status.get(&Status::Error).copied().unwrap_or(0);
        summary.input_errors = input_errors.len();
        unused_suppressions.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        summary.unused_suppressions = unused_suppressions.len();
        summary.rules_run = self.rules.len();
        summary.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        ScanReport {
            scan_time: now,
            system: options.system.clone(),
            rules: self.rules.iter().map(|r| r.meta.clone()).collect(),
            findings,
            input_errors,
            summary,
            framework: None,
            baseline: None,
            unused_suppressions,
        }
    }
}
