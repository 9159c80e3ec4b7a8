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
    /// List the resources Tollgate finds in files: what rules will see.
    Inputs(InputsArgs),
    /// Write, test, lint and document rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Run one rule on inputs and print every verdict with the data it saw.
    Eval(EvalArgs),
    /// Snapshot this Linux host's security configuration into DIR for scanning.
    Collect {
        /// Output directory.
        #[arg(long, short = 'o')]
        out: PathBuf,
        /// Host root to read from (for a mounted image or a container's filesystem).
        #[arg(long, default_value = "/")]
        root: PathBuf,
    },
    /// Plans of action and milestones: show, export and compare POA&M ledgers.
    Poam {
        #[command(subcommand)]
        command: crate::commands::poam::PoamCommand,
    },
    /// Record today's failures so that `scan --baseline` fails only on new ones.
    Baseline {
        #[command(subcommand)]
        command: BaselineCommand,
    },
    /// Scan every system of a program (a directory of systems) into one program report.
    Program(crate::commands::program::ProgramArgs),
    /// Combine the shard files of `tollgate program --shard I/N` into the program report.
    Merge(crate::commands::merge::MergeArgs),
    /// Every control of a framework: the rules that evidence it, or manual.
    Controls {
        /// Framework id, e.g. fedramp-moderate, nist-800-171-r2, cmmc-l2.
        #[arg(long, value_name = "ID")]
        framework: String,
        /// table, json or markdown.
        #[arg(long, short = 'f', default_value = "table")]
        format: ControlsFormat,
        #[command(flatten)]
        selection: RuleSelection,
    },
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan as `tollgate scan` does (same options) and write every failure's
    /// fingerprint to the file named by -o.
    #[command(after_help = "Example: tollgate baseline create -o .tollgate-baseline.json .")]
    Create(ScanArgs),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ControlsFormat {
    Table,
    Json,
    Markdown,
}

/// Which rules a command works on.
#[derive(Debug, Args)]
pub struct RuleSelection {
    /// Add the rules in DIR (a rule pack); repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,

    /// Leave out the built-in rules.
    #[arg(long)]
    pub no_builtin: bool,

    /// Configuration file [default: ./tollgate.toml if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List rules: id, severity, kinds, controls, title.
    List {
        #[command(flatten)]
        selection: RuleSelection,
        /// Only rules mapped to this framework (e.g. nist-800-171-r2).
        #[arg(long, value_name = "ID")]
        framework: Option<String>,
        /// table or json.
        #[arg(long, short = 'f', default_value = "table")]
        format: ListFormat,
    },
    /// Everything about one rule.
    Show {
        id: String,
        #[command(flatten)]
        selection: RuleSelection,
    },
    /// Run every rule's test cases [default: the built-in library].
    Test {
        /// Rule directories to test (their rules only).
        dirs: Vec<PathBuf>,
        /// Also report per-rule case coverage.
        #[arg(long)]
        coverage: bool,
        /// text or junit.
        #[arg(long, short = 'f', default_value = "text")]
        format: TestFormat,
    },
    /// Scaffold a new rule and its test cases.
    New {
        /// The new rule's id, e.g. ACME-K8S-001.
        id: String,
        /// The resource kind it judges, e.g. k8s:Deployment.
        #[arg(long)]
        kind: String,
        /// Directory to write into.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
    /// Check rule metadata, mappings, kinds, helpers and cases [default: the built-in library].
    Lint {
        /// Rule directories to lint (their rules only).
        dirs: Vec<PathBuf>,
    },
    /// Generate one Markdown page per rule and an index by control family.
    Doc {
        #[command(flatten)]
        selection: RuleSelection,
        /// Output directory.
        #[arg(long, short = 'o')]
        out: PathBuf,
    },
    /// Print Rhai definitions of the helper API (a `.d.rhai` file) for editors.
    Api,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TestFormat {
    Text,
    Junit,
}

#[derive(Debug, Args)]
pub struct InputsArgs {
    /// Files or directories [default: .]
    pub paths: Vec<PathBuf>,
    /// table or json.
    #[arg(long, short = 'f', default_value = "table")]
    pub format: ListFormat,
    /// Print the data of the resources with this id (or kind/id).
    #[arg(long, value_name = "ID")]
    pub show: Option<String>,
    /// Leave out files and directories matching GLOB; repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The rule file to run.
    #[arg(long)]
    pub rule: PathBuf,
    /// Input files or directories.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// text or json.
    #[arg(long, short = 'f', default_value = "table")]
    pub format: ListFormat,
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

/// `--poam-wait SECONDS` (decimals allowed, at most a day) in milliseconds.
fn parse_wait_ms(s: &str) -> Result<u32, String> {
    match s.parse::<f64>() {
        Ok(secs) if (0.0..=86_400.0).contains(&secs) => Ok((secs * 1000.0).round() as u32),
        _ => Err(format!("expected seconds between 0 and 86400, got `{s}`")),
    }
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

    /// Read files matching GLOB with PARSER (e.g. 'ci/*.txt=yaml'); repeatable.
    #[arg(long = "parser", value_name = "GLOB=PARSER")]
    pub parsers: Vec<String>,

    /// Scan only what changed since git revision REV (from its merge base with HEAD, including
    /// uncommitted and untracked files), with the units those files belong to and the Terraform
    /// modules they call or are called by: a fast pull-request run. See docs/ci.md.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,

    /// Lowest severity of failure that fails the run: low, moderate, high, critical or never
    /// [default: `[gate] fail_on`, else low]. `never` also turns off the `[gate]` overrides.
    #[arg(long, value_parser = |s: &str| s.parse::<FailOn>())]
    pub fail_on: Option<FailOn>,

    /// Fail only on failures not recorded in this baseline (from `tollgate baseline create`)
    /// [default: `[gate] baseline`].
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Ignore every inline `tollgate:ignore` suppression: report and gate on all failures.
    #[arg(long)]
    pub no_suppress: bool,

    /// Configuration file [default: tollgate.toml in the scanned directory, else ./tollgate.toml].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Judge dates (key ages, expiries) as of DATE (RFC 3339 or YYYY-MM-DD)
    /// instead of now, to reproduce an earlier run.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,

    /// Also report every control of framework ID as satisfied, not satisfied, not assessed
    /// or manual, with SPRS for nist-800-171-r2 and cmmc-l2 [default: `[report] framework`].
    #[arg(long, value_name = "ID")]
    pub framework: Option<String>,

    /// Attestations for controls no rule can judge (TOML `[[attestation]]` tables)
    /// [default: `[report] attestations`].
    #[arg(long, value_name = "FILE")]
    pub attestations: Option<PathBuf>,

    /// Create or update the POA&M ledger LEDGER (OSCAL JSON) with this scan's weaknesses.
    #[arg(long, value_name = "LEDGER")]
    pub poam: Option<PathBuf>,

    /// Seconds to wait for another tollgate that is updating the same ledger [default: 10].
    #[arg(long = "poam-wait", value_name = "SECONDS", default_value = "10", value_parser = parse_wait_ms)]
    pub poam_wait_ms: u32,

    /// No progress bar and no detailed diagnostics on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}
