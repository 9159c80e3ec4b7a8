//! `bench-scan`: times parsing alone, or full scans, over a corpus.
//!
//! ```text
//! bench-scan --corpus DIR [--rules DIR] [--threads N] [--mode MODE] [--repeat K]
//! ```
//!
//! Builds a rayon pool of `N` threads (default 1) and runs `MODE` `K` times
//! (default 1) inside it. The measured modes:
//!
//! * `parse`: discovers the corpus and loads every file with
//!   [`tollgate_inputs::load_with_suppressions`] (the scan's loader), dropping
//!   the resources, with the same shape as the engine's scan (files grouped
//!   into evaluation units, a few units per rayon task, outcomes collected).
//! * `scan` (default): discovers the corpus and runs [`Policy::scan`] with the
//!   [`Silent`] observer. Rules are compiled once per process, before the
//!   timed runs (`rules_load_s` says how long that took).
//!
//! Each run prints one JSON line: files, resources, evaluations, seconds
//! (discovery included, rule compilation not), files_per_s, evals_per_s,
//! cpu_s (CPU time of all threads during the run, which unlike wall time does
//! not grow when other processes compete for the CPUs) and peak_rss_mb
//! (`VmHWM`, the high-water mark of the process so far). Scan runs also give
//! findings and `findings_mb`, an estimate of the heap the findings hold, so
//! memory growth can be compared with it. A last line with `"run": "median"`
//! holds the medians (and `min_seconds`, the fastest run).
//!
//! Diagnostic modes, to explain the numbers rather than to be targets:
//!
//! * `convert`: `parse` plus converting each resource to the Rhai value rules
//!   receive.
//! * `calibrate`: a fixed amount of pure CPU work split over the pool, to
//!   measure the parallelism the machine delivers at the moment (other
//!   processes on a shared machine take CPUs away).
//! * `rules`: single-threaded, resources parsed up front; each rule alone,
//!   plus a `pass()` baseline (see [`tollgate_bench::diag::per_rule`]).
//! * `variants`: single-threaded; the engine path against three ways of
//!   passing the resource to Rhai (see [`tollgate_bench::diag::variants`]).

use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tollgate_bench::{median, peak_rss_mb, process_cpu_seconds, round3 as round, spin, Args};
use tollgate_engine::{Finding, Limits, Policy, RuleOverrides, RuleSource, ScanOptions, Silent, Status};
use tollgate_inputs::{discover, load, load_with_suppressions, Discovery, Excludes, InputFile, Resource, DEFAULT_MAX_FILE_SIZE};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Parse,
    Scan,
    Convert,
    Calibrate,
    Rules,
    Variants,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Parse => "parse",
            Mode::Scan => "scan",
            Mode::Convert => "convert",
            Mode::Calibrate => "calibrate",
            Mode::Rules => "rules",
            Mode::Variants => "variants",
        }
    }
}

/// Total iterations of [`spin`] in one calibration run (about 1 s of one core).
const CALIBRATION_WORK: u64 = 1 << 30;

fn main() {
    if let Err(e) = run() {
        eprintln!("bench-scan: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let args = Args::parse(&["corpus", "rules", "threads", "mode", "repeat"])?;
    let threads: usize = args.get("threads", Some(1))?;
    let repeat: usize = args.get("repeat", Some(1))?;
    let mode = match args.get::<String>("mode", Some("scan".into()))?.as_str() {
        "parse" => Mode::Parse,
        "scan" => Mode::Scan,
        "convert" => Mode::Convert,
        "calibrate" => Mode::Calibrate,
        "rules" => Mode::Rules,
        "variants" => Mode::Variants,
        other => return Err(format!("unknown mode `{other}`; expected parse, scan, convert, calibrate, rules or variants")),
    };
    if threads == 0 || repeat == 0 {
        return Err("--threads and --repeat must be at least 1".into());
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| e.to_string())?;
    if mode == Mode::Calibrate {
        return calibrate(&pool, threads, repeat);
    }
    let corpus: PathBuf = args.get::<String>("corpus", None)?.into();
    let rule_sources = || -> Result<Vec<RuleSource>, String> {
        let dir: PathBuf =
            args.get::<String>("rules", None).map_err(|_| format!("--rules DIR is required in {} mode", mode.name()))?.into();
        RuleSource::from_dir(&dir).map_err(|e| e.to_string())
    };
    if matches!(mode, Mode::Rules | Mode::Variants) {
        let sources = rule_sources()?;
        let resources = load_all(&corpus)?;
        eprintln!("bench-scan: {} resources parsed; timing single-threaded", resources.len());
        let lines = if mode == Mode::Rules {
            tollgate_bench::diag::per_rule(&sources, &resources)?
        } else {
            tollgate_bench::diag::variants(&sources, &resources)?
        };
        for line in lines {
            println!("{line}");
        }
        return Ok(());
    }

    let (policy, rules_load_s) = if mode == Mode::Scan {
        let sources = rule_sources()?;
        let started = Instant::now();
        let policy = pool
            .install(|| Policy::load(&sources, &RuleOverrides::default(), Limits::default()))
            .map_err(|e| e.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))?;
        (Some(policy), started.elapsed().as_secs_f64())
    } else {
        (None, 0.0)
    };

    let mut lines: Vec<Value> = Vec::new();
    for run in 1..=repeat {
        let cpu_before = process_cpu_seconds().unwrap_or(0.0);
        let started = Instant::now();
        let discovery =
            discover(std::slice::from_ref(&corpus), &Excludes::new(&[]).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
        let discover_s = started.elapsed().as_secs_f64();
        let files = discovery.files.len();
        if files == 0 {
            return Err(format!("no input files under {}", corpus.display()));
        }
        let mut line = json!({ "mode": mode.name(), "threads": threads, "run": run, "files": files });
        let (secs, resources, evaluations) = match &policy {
            Some(policy) => {
                let report = pool.install(|| policy.scan(discovery, &ScanOptions::default(), &Silent));
                let secs = started.elapsed().as_secs_f64();
                let s = &report.summary;
                line["findings"] = json!(report.findings.len());
                line["fails"] = json!(s.by_status.get(&Status::Fail).copied().unwrap_or(0));
                line["findings_mb"] = json!(round(findings_bytes(&report.findings) as f64 / 1048576.0));
                line["rules_load_s"] = json!(round(rules_load_s));
                if s.rule_errors > 0 || s.input_errors > 0 {
                    eprintln!("bench-scan: warning: {} rule errors, {} input errors", s.rule_errors, s.input_errors);
                    if let Some(f) = report.findings.iter().find(|f| f.status == Status::Error) {
                        eprintln!("  first rule error: {} {}", f.rule.id, f.message);
                    }
                    if let Some(e) = report.input_errors.first() {
                        eprintln!("  first input error: {e}");
                    }
                }
                (secs, s.resources, s.evaluations)
            }
            None => {
                let (resources, errors) = pool.install(|| parse_all(&discovery, mode == Mode::Convert));
                if errors > 0 {
                    eprintln!("bench-scan: warning: {errors} input errors");
                }
                (started.elapsed().as_secs_f64(), resources, 0)
            }
        };
        line["resources"] = json!(resources);
        line["evaluations"] = json!(evaluations);
        line["seconds"] = json!(round(secs));
        line["cpu_s"] = json!(round(process_cpu_seconds().unwrap_or(0.0) - cpu_before));
        line["files_per_s"] = json!(round(files as f64 / secs));
        line["evals_per_s"] = json!(round(evaluations as f64 / secs));
        line["discover_s"] = json!(round(discover_s));
        line["peak_rss_mb"] = json!(peak_rss_mb().map(round));
        println!("{line}");
        lines.push(line);
    }
    print_median(&lines, mode, threads);
    Ok(())
}

/// The median line over `lines`; counts are taken from the first run.
fn print_median(lines: &[Value], mode: Mode, threads: usize) {
    let med = |key: &str| round(median(&lines.iter().filter_map(|l| l[key].as_f64()).collect::<Vec<_>>()));
    let mut summary = json!({ "mode": mode.name(), "threads": threads, "run": "median", "runs": lines.len() });
    for key in ["files", "resources", "evaluations", "findings", "findings_mb"] {
        if !lines[0][key].is_null() {
            summary[key] = lines[0][key].clone();
        }
    }
    for key in ["seconds", "cpu_s", "files_per_s", "evals_per_s"] {
        if lines.iter().any(|l| l[key].is_number()) {
            summary[key] = json!(med(key));
        }
    }
    let fastest = lines.iter().filter_map(|l| l["seconds"].as_f64()).fold(f64::INFINITY, f64::min);
    summary["min_seconds"] = json!(round(fastest));
    summary["peak_rss_mb"] = json!(peak_rss_mb().map(round));
    println!("{summary}");
}

fn calibrate(pool: &rayon::ThreadPool, threads: usize, repeat: usize) -> Result<(), String> {
    let mut lines = Vec::new();
    for run in 1..=repeat {
        let cpu_before = process_cpu_seconds().unwrap_or(0.0);
        let started = Instant::now();
        let chunks = 64u64;
        let x: u64 = pool.install(|| (0..chunks).into_par_iter().map(|_| spin(CALIBRATION_WORK / chunks)).sum());
        std::hint::black_box(x);
        let secs = started.elapsed().as_secs_f64();
        let line = json!({
            "mode": "calibrate", "threads": threads, "run": run,
            "seconds": round(secs),
            "cpu_s": round(process_cpu_seconds().unwrap_or(0.0) - cpu_before),
        });
        println!("{line}");
        lines.push(line);
    }
    print_median(&lines, Mode::Calibrate, threads);
    Ok(())
}

#[derive(Default)]
struct Parsed {
    resources: usize,
    errors: usize,
}

/// Loads every file in parallel and drops the resources, with the shape of
/// `Policy::scan`: files grouped into evaluation units, units mapped in
/// parallel and the outcomes collected. With `convert`, also builds the Rhai
/// value of each resource.
fn parse_all(discovery: &Discovery, convert: bool) -> (usize, usize) {
    let mut units: BTreeMap<&str, Vec<&InputFile>> = BTreeMap::new();
    for file in &discovery.files {
        units.entry(file.unit.as_str()).or_default().push(file);
    }
    let units: Vec<Vec<&InputFile>> = units.into_values().collect();
    let outcomes: Vec<Parsed> = units
        .par_iter()
        .with_max_len(UNITS_PER_TASK)
        .map(|files| {
            let mut out = Parsed::default();
            let mut resources = Vec::new();
            for file in files {
                // The loader the scan uses: parse plus the `tollgate:ignore` comment scan.
                match load_with_suppressions(file, DEFAULT_MAX_FILE_SIZE) {
                    Ok(loaded) => resources.extend(loaded.resources),
                    Err(_) => out.errors += 1,
                }
            }
            if convert {
                for r in &resources {
                    let _ = std::hint::black_box(tollgate_engine::convert::resource_to_dynamic(r));
                }
            }
            out.resources = resources.len();
            out
        })
        .collect();
    (outcomes.iter().map(|o| o.resources).sum(), outcomes.iter().map(|o| o.errors).sum())
}

/// Every resource of the corpus, in memory (for the single-threaded diagnostics).
fn load_all(corpus: &Path) -> Result<Vec<Resource>, String> {
    let discovery = discover(&[corpus.to_path_buf()], &Excludes::new(&[]).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for file in &discovery.files {
        out.extend(load(file, DEFAULT_MAX_FILE_SIZE).map_err(|e| e.to_string())?);
    }
    Ok(out)
}

/// Units per rayon task, as `Policy::scan` takes them.
const UNITS_PER_TASK: usize = 4;

/// Approximate heap held by `findings`: the structs plus their strings
/// (rule metadata is shared through an `Arc` and not counted).
fn findings_bytes(findings: &[Finding]) -> usize {
    std::mem::size_of_val(findings)
        + findings
            .iter()
            .map(|f| {
                f.resource.as_ref().map_or(0, |r| r.kind.capacity() + r.id.capacity())
                    + f.location.as_ref().map_or(0, |l| l.path.capacity())
                    + f.property_path.as_ref().map_or(0, String::capacity)
                    + f.message.capacity()
            })
            .sum::<usize>()
}
