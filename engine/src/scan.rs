//! The scan: every rule × every matching resource, in parallel, streamed.
//!
//! Files are parsed, evaluated and dropped one at a time per worker, so memory
//! holds findings, not documents. Workers share the frozen Rhai engine and the
//! compiled ASTs; each resource is converted to a Rhai value once, however
//! many rules read it. Results are sorted at the end so that output never
//! depends on thread scheduling.

use crate::convert::resource_to_dynamic;
use crate::eval::evaluate;
use crate::result::{Finding, ScanReport, Status, Summary, SystemInfo};
use crate::Policy;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use tollgate_inputs::{load, Discovery, InputError, InputFile, Resource};

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
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions { max_file_size: tollgate_inputs::DEFAULT_MAX_FILE_SIZE, system: SystemInfo::default() }
    }
}

#[derive(Default)]
struct FileOutcome {
    findings: Vec<Finding>,
    error: Option<InputError>,
    resources: usize,
    evaluations: u64,
}

impl Policy {
    /// Evaluates every applicable rule on one resource. `matched[i]` is set
    /// when rule `i` applied, so that unmatched rules can be reported as skipped.
    pub(crate) fn evaluate_into(&self, resource: &Resource, matched: Option<&[AtomicBool]>, out: &mut Vec<Finding>) -> u64 {
        let mut value = None;
        let mut evaluations = 0;
        for (i, rule) in self.rules.iter().enumerate() {
            if !rule.applies(&resource.kind, &resource.path) {
                continue;
            }
            if let Some(m) = matched {
                m[i].store(true, Ordering::Relaxed);
            }
            let value = value.get_or_insert_with(|| resource_to_dynamic(resource));
            out.extend(evaluate(&self.engine, &self.limits, rule, resource, value));
            evaluations += 1;
        }
        evaluations
    }

    /// Evaluates every applicable rule on `resource`.
    pub fn evaluate(&self, resource: &Resource) -> Vec<Finding> {
        let mut out = Vec::new();
        self.evaluate_into(resource, None, &mut out);
        out
    }

    fn scan_file(&self, file: &InputFile, max_size: u64, matched: &[AtomicBool]) -> FileOutcome {
        let resources = match load(file, max_size) {
            Ok(r) => r,
            Err(e) => return FileOutcome { error: Some(e), ..FileOutcome::default() },
        };
        let mut out = FileOutcome { resources: resources.len(), ..FileOutcome::default() };
        for resource in &resources {
            out.evaluations += self.evaluate_into(resource, Some(matched), &mut out.findings);
        }
        out
    }

    /// Scans the discovered files and returns the sorted report.
    pub fn scan(&self, discovery: Discovery, options: &ScanOptions, observer: &dyn ScanObserver) -> ScanReport {
        let started = Instant::now();
        observer.start(discovery.files.len());
        let matched: Vec<AtomicBool> = self.rules.iter().map(|_| AtomicBool::new(false)).collect();
        let outcomes: Vec<FileOutcome> = discovery
            .files
            .par_iter()
            .map(|file| {
                let outcome = self.scan_file(file, options.max_file_size, &matched);
                observer.file_done(&file.path);
                outcome
            })
            .collect();

        let mut summary =
            Summary { files_scanned: discovery.files.len(), files_unrecognised: discovery.unrecognised, ..Summary::default() };
        let mut findings = Vec::new();
        let mut input_errors = discovery.errors;
        for o in outcomes {
            summary.resources += o.resources;
            summary.evaluations += o.evaluations;
            findings.extend(o.findings);
            input_errors.extend(o.error);
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
                });
            }
        }
        findings.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        input_errors.sort_by(|a, b| (a.path(), a.line()).cmp(&(b.path(), b.line())));

        for f in &findings {
            *summary.by_status.entry(f.status).or_default() += 1;
            if f.status == Status::Fail {
                *summary.failures_by_severity.entry(f.severity).or_default() += 1;
            }
        }
        summary.rule_errors = summary.by_status.get(&Status::Error).copied().unwrap_or(0);
        summary.input_errors = input_errors.len();
        summary.rules_run = self.rules.len();
        summary.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        ScanReport {
            system: options.system.clone(),
            rules: self.rules.iter().map(|r| r.meta.clone()).collect(),
            findings,
            input_errors,
            summary,
        }
    }
}
