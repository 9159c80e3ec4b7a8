//! `tollgate program DIR`: scan every system of a program and write one
//! program report (or, with `--shard I/N`, one shard of it for `tollgate merge`).
//!
//! Exit codes: 0 every system scanned and passed its gate; 1 a system is
//! broken or fails its gate; 2 a program-level usage or config error.

use super::program_scan::{scan_all, ProgramScan};
use super::setup;
use crate::Outcome;
use clap::Args;
use miette::{miette, IntoDiagnostic, Result};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tollgate_engine::program::config::PROGRAM_FILE;
use tollgate_engine::program::{
    build, shard, GateVerdict, ProgramConfig, ProgramInfo, ProgramInput, ProgramReport, ShardSpec, SystemStatus,
};
use tollgate_engine::FailOn;
use tollgate_reports::program::{self as reports, ProgramFormat};

#[derive(Debug, Args)]
pub struct ProgramArgs {
    /// The program directory: systems are its subdirectories with a tollgate.toml,
    /// or the paths listed in its program.toml.
    #[arg(default_value = ".")]
    pub dir: PathBuf,

    #[command(flatten)]
    pub out: ProgramOutput,

    /// Scan only shard I of N (1-based) and write a shard file for `tollgate merge`.
    #[arg(long, value_name = "I/N", value_parser = |s: &str| s.parse::<ShardSpec>())]
    pub shard: Option<ShardSpec>,

    /// View every system against framework ID [default: `[program] framework`].
    #[arg(long, value_name = "ID")]
    pub framework: Option<String>,

    /// Gate threshold for every system: low, moderate, high, critical or never
    /// [default: `[program] fail_on`, else each system's `[gate]`].
    #[arg(long, value_name = "SEVERITY", value_parser = |s: &str| s.parse::<FailOn>())]
    pub fail_on: Option<FailOn>,

    /// Judge dates as of DATE (RFC 3339 or YYYY-MM-DD) instead of now.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,

    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Nothing on stderr but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Where a program report goes: shared by `program` and `merge`.
#[derive(Debug, Args)]
pub struct ProgramOutput {
    /// Format of the report on stdout (or in --output): json, html or xlsx.
    #[arg(long, short = 'f', default_value = "json", value_parser = |s: &str| s.parse::<ProgramFormat>())]
    pub format: ProgramFormat,

    /// Write the report (or, with --shard, the shard file) to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also write the report in FORMAT to PATH; repeatable.
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_target)]
    pub reports: Vec<ProgramTarget>,

    /// An earlier program JSON report: adds the trend against it.
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
}

/// A `FORMAT=PATH` pair of `--report`.
#[derive(Debug, Clone)]
pub struct ProgramTarget {
    pub format: ProgramFormat,
    pub path: PathBuf,
}

pub fn parse_target(s: &str) -> Result<ProgramTarget, String> {
    let (format, path) = s.split_once('=').ok_or_else(|| format!("expected FORMAT=PATH, got `{s}`"))?;
    if path.is_empty() {
        return Err(format!("no path after `{format}=`"));
    }
    Ok(ProgramTarget { format: format.parse()?, path: PathBuf::from(path) })
}

pub fn run(args: ProgramArgs) -> Result<Outcome> {
    let started = Instant::now();
    let usage = |m: &str| miette!(code = "tollgate::usage::program", "{m}");
    if args.shard.is_some() && (args.out.format != ProgramFormat::Json || !args.out.reports.is_empty() || args.out.previous.is_some()) {
        return Err(usage("--shard writes a shard file for `tollgate merge`; give --format, --report and --previous to merge"));
    }
    setup::thread_pool(args.threads)?;
    let root = args.dir.canonicalize().map_err(|e| usage(&format!("program directory {}: {e}", args.dir.display())))?;
    let config = ProgramConfig::load_dir(&root)?;
    let framework = match &args.framework {
        Some(id) => Some(super::controls::framework(id)?),
        None => config.program.framework,
    };
    let fail_on = args.fail_on.or(config.program.fail_on);
    let scan_time = setup::now(args.now.as_deref())?.unwrap_or_else(tollgate_engine::api::dates::clock_now);
    let previous = args.out.previous.as_deref().map(read_previous).transpose()?;
    let all = system_paths(&root, &config)?;
    let selected = args.shard.map_or_else(|| all.clone(), |s| s.select(&all));

    let bar = bar(args.quiet, selected.len());
    let ctx = ProgramScan { root: &root, framework, fail_on, scan_time };
    let (scans, stats) = scan_all(&selected, &ctx, &|| bar.inc(1));
    bar.finish_and_clear();
    let (mut systems, mut poam) = (Vec::with_capacity(scans.len()), Vec::new());
    for s in scans {
        systems.push(s.result);
        poam.extend(s.poam);
    }
    let dir_name = root.file_name().map_or_else(|| "program".to_string(), |n| n.to_string_lossy().into_owned());
    let p = config.program;
    let program = ProgramInfo { name: p.name.unwrap_or(dir_name), id: p.id, owner: p.owner };
    let fail_on = fail_on.map(|f| f.to_string());
    let framework = framework.map(|f| f.id().to_string());
    let input = ProgramInput { program, scan_time, framework, fail_on, systems, poam };
    let policies =
        format!("{} polic{} compiled for {} system(s)", stats.compiled, if stats.compiled == 1 { "y" } else { "ies" }, stats.systems);

    if let Some(spec) = args.shard {
        let failing = input.systems.iter().any(|s| s.gate == GateVerdict::Fail);
        if !args.quiet {
            tell_broken(input.systems.iter().filter(|s| s.status == SystemStatus::Broken).map(|s| (s.path.as_str(), s.error.as_deref())));
            eprintln!(
                "tollgate: shard {}/{}: {} of {} systems; {policies} in {:.1}s",
                spec.index,
                spec.count,
                selected.len(),
                all.len(),
                started.elapsed().as_secs_f64()
            );
        }
        let shard = shard::package(input, spec, all);
        write(args.out.output.as_deref(), &reports::json::render_shard(&shard))?;
        return Ok(if failing { Outcome::Fail } else { Outcome::Pass });
    }
    let report = build(input, previous.as_ref());
    write_reports(&report, args.out.format, args.out.output.as_deref(), &args.out.reports)?;
    if !args.quiet {
        summarize(&report, &format!("{policies} in {:.1}s", started.elapsed().as_secs_f64()));
    }
    Ok(if report.gate == GateVerdict::Fail { Outcome::Fail } else { Outcome::Pass })
}

/// The sorted system paths: `[program] systems`, else every subdirectory
/// (not hidden) holding a tollgate.toml.
fn system_paths(root: &Path, config: &ProgramConfig) -> Result<Vec<String>> {
    let mut paths = match config.system_paths() {
        Some(listed) => listed,
        None => {
            let mut found = Vec::new();
            for entry in std::fs::read_dir(root).into_diagnostic()? {
                let entry = entry.into_diagnostic()?;
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') && entry.path().join(setup::CONFIG_FILE).is_file() {
                    found.push(name);
                }
            }
            found
        }
    };
    paths.sort();
    if paths.is_empty() {
        return Err(miette!(
            code = "tollgate::usage::program",
            help = format!(
                "a system is a subdirectory with a {}, or list systems in {PROGRAM_FILE} (`[program] systems`)",
                setup::CONFIG_FILE
            ),
            "{} has no systems",
            root.display()
        ));
    }
    Ok(paths)
}

pub fn read_previous(path: &Path) -> Result<ProgramReport> {
    let bytes = std::fs::read(path).map_err(|e| miette!(code = "tollgate::usage::previous", "cannot read {}: {e}", path.display()))?;
    Ok(shard::parse_report(&path.display().to_string(), &bytes)?)
}

/// Writes the main report to `output` (or stdout) and every `--report` target.
pub fn write_reports(report: &ProgramReport, format: ProgramFormat, output: Option<&Path>, targets: &[ProgramTarget]) -> Result<()> {
    write(output, &reports::render(format, report)?)?;
    for t in targets {
        let bytes = reports::render(t.format, report)?;
        std::fs::write(&t.path, bytes).map_err(|e| miette!("cannot write {} report to {}: {e}", t.format, t.path.display()))?;
    }
    Ok(())
}

fn write(output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match output {
        Some(path) => std::fs::write(path, bytes).map_err(|e| miette!("cannot write {}: {e}", path.display())),
        None => std::io::stdout().write_all(bytes).into_diagnostic(),
    }
}

/// Broken systems, one line each, on stderr.
pub fn tell_broken<'a>(broken: impl Iterator<Item = (&'a str, Option<&'a str>)>) {
    for (path, error) in broken {
        // The diagnostic's message line (`x message`), not its code.
        let lines = || error.unwrap_or("").lines().map(str::trim);
        let first = lines().find_map(|l| l.strip_prefix("x ")).or_else(|| lines().find(|l| !l.is_empty())).unwrap_or("");
        eprintln!("tollgate: system {path} is broken: {first}");
    }
}

/// The verdict in a few lines on stderr.
pub fn summarize(report: &ProgramReport, timing: &str) {
    let t = &report.totals;
    tell_broken(report.systems.iter().filter(|s| s.status == SystemStatus::Broken).map(|s| (s.path.as_str(), s.error.as_deref())));
    eprintln!(
        "tollgate: program {}: {} systems ({} broken, {} failing the gate), {} failing findings, {} POA&M items; gate {}; {timing}",
        report.program.name,
        t.systems,
        t.systems_broken,
        t.systems_failing,
        t.findings.fail,
        t.poam_items,
        if report.gate == GateVerdict::Fail { "fail" } else { "pass" },
    );
}

fn bar(quiet: bool, len: usize) -> indicatif::ProgressBar {
    let wanted = !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !wanted {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} scanning {pos}/{len} systems {wide_bar} {eta}") {
        bar.set_style(style);
    }
    bar
}
