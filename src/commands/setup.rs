//! Setup shared by commands: finding the config, the rule sources, the roots
//! to scan, and the worker pool.

use miette::{miette, IntoDiagnostic, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tollgate_engine::{Config, RuleSource};

pub const CONFIG_FILE: &str = "tollgate.toml";

/// The config named by `--config`; else `tollgate.toml` in the one directory
/// being scanned; else `./tollgate.toml`; else defaults.
pub fn config(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Config> {
    match config_path(explicit, paths) {
        Some(path) => Ok(Config::load(&path)?),
        None => Ok(Config::default()),
    }
}

/// The file [`config`] reads, if any.
pub fn config_path(explicit: Option<&Path>, paths: &[PathBuf]) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    if let [only] = paths {
        let candidate = only.join(CONFIG_FILE);
        if only.is_dir() && candidate.is_file() {
            return Some(candidate);
        }
    }
    Some(PathBuf::from(CONFIG_FILE)).filter(|local| local.is_file())
}

/// The scan clock of `--now DATE` (Unix seconds), checked up front.
pub fn now(date: Option<&str>) -> Result<Option<i64>> {
    date.map(|d| {
        tollgate_engine::api::dates::parse_timestamp(d)
            .ok_or_else(|| miette::miette!(code = "tollgate::usage::now", "`--now {d}` is not a date (use RFC 3339 or YYYY-MM-DD)"))
    })
    .transpose()
}

/// The command-line paths, else `[scan] paths` (relative to the config), else `.`.
pub fn roots(paths: &[PathBuf], config: &Config) -> Vec<PathBuf> {
    if !paths.is_empty() {
        return paths.to_vec();
    }
    if !config.scan.paths.is_empty() {
        return config.scan.paths.iter().map(|p| config.resolve(p)).collect();
    }
    if config.base_dir.as_os_str().is_empty() {
        vec![PathBuf::from(".")]
    } else {
        vec![config.base_dir.clone()]
    }
}

/// Built-in rules (unless turned off), then config packs, then `--rules` dirs.
pub fn rule_sources(config: &Config, rule_dirs: &[PathBuf], no_builtin: bool) -> Result<Vec<RuleSource>> {
    let mut sources = Vec::new();
    if !no_builtin && config.rules.builtin.unwrap_or(true) {
        sources.extend(tollgate_rules::BUILTIN.iter().map(|r| RuleSource { path: r.path.to_string(), text: Arc::from(r.source) }));
    }
    let packs = config.rules.packs.iter().map(|p| config.resolve(p)).chain(rule_dirs.iter().cloned());
    for dir in packs {
        sources.extend(RuleSource::from_dir(&dir)?);
    }
    Ok(sources)
}

/// Sets up the global rayon pool. Rhai recursion needs more stack than the
/// default 2 MiB in debug builds, so every worker gets 16 MiB.
pub fn thread_pool(threads: Option<usize>) -> Result<()> {
    let mut builder = rayon::ThreadPoolBuilder::new().stack_size(16 << 20);
    if let Some(n) = threads {
        if n == 0 {
            return Err(miette!("--threads must be at least 1"));
        }
        builder = builder.num_threads(n);
    }
    builder.build_global().into_diagnostic()
}

/// A rule file with its cases, wherever it came from.
pub struct RuleFile {
    pub source: RuleSource,
    /// Text of the `.tests.yaml` beside it.
    pub cases: Option<String>,
    /// Directory resolving `path:` inputs of its cases (none for built-ins).
    pub dir: Option<PathBuf>,
}

/// The embedded built-in library, with its cases.
pub fn builtin_rule_files() -> Vec<RuleFile> {
    tollgate_rules::BUILTIN
        .iter()
        .map(|r| RuleFile {
            source: RuleSource { path: r.path.to_string(), text: Arc::from(r.source) },
            cases: r.cases.map(str::to_string),
            dir: None,
        })
        .collect()
}

/// Every rule under `dir`, with the cases file beside each.
pub fn dir_rule_files(dir: &Path) -> Result<Vec<RuleFile>> {
    let sources = RuleSource::from_dir(dir)?;
    Ok(sources
        .into_iter()
        .map(|source| {
            let path = PathBuf::from(&source.path);
            let cases = std::fs::read_to_string(tollgate_engine::fixtures::cases_path(&path)).ok();
            RuleFile { dir: path.parent().map(Path::to_path_buf), source, cases }
        })
        .collect())
}

/// Rule files of `dirs`, or the built-in library when none are given.
pub fn rule_files_or_builtin(dirs: &[PathBuf]) -> Result<Vec<RuleFile>> {
    if dirs.is_empty() {
        return Ok(builtin_rule_files());
    }
    let mut out = Vec::new();
    for d in dirs {
        out.extend(dir_rule_files(d)?);
    }
    Ok(out)
}

/// Loads a policy from `files` with default overrides and limits.
pub fn policy_of(files: &[RuleFile]) -> Result<tollgate_engine::Policy> {
    let sources: Vec<RuleSource> = files.iter().map(|f| f.source.clone()).collect();
    Ok(tollgate_engine::Policy::load(&sources, &Default::default(), tollgate_engine::Limits::default())?)
}

/// The rules a `--rules`/`--no-builtin`/`--config` selection names, loaded.
pub fn selected_policy(selection: &crate::cli::RuleSelection) -> Result<tollgate_engine::Policy> {
    let config = config(selection.config.as_deref(), &[])?;
    let sources = rule_sources(&config, &selection.rule_dirs, selection.no_builtin)?;
    Ok(tollgate_engine::Policy::load(&sources, &config.overrides(), config.limits())?)
}

/// Parses every discovered file in parallel; resources sorted by path and line.
pub fn load_all(files: &[tollgate_inputs::InputFile]) -> (Vec<tollgate_inputs::Resource>, Vec<tollgate_inputs::InputError>) {
    use rayon::prelude::*;
    let loaded: Vec<_> = files.par_iter().map(|f| tollgate_inputs::load(f, tollgate_inputs::DEFAULT_MAX_FILE_SIZE)).collect();
    let (mut resources, mut errors) = (Vec::new(), Vec::new());
    for result in loaded {
        match result {
            Ok(r) => resources.extend(r),
            Err(e) => errors.push(e),
        }
    }
    resources.sort_by(|a, b| (&a.path, a.lines.start, &a.kind, &a.id).cmp(&(&b.path, b.lines.start, &b.kind, &b.id)));
    (resources, errors)
}

/// Parser overrides from `[scan] parsers` then `--parser GLOB=PARSER` (which win).
pub fn parser_overrides(config: &Config, cli: &[String]) -> Result<tollgate_inputs::ParserOverrides> {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for spec in cli {
        let (glob, name) =
            spec.split_once('=').ok_or_else(|| miette!(code = "tollgate::usage::parser", "expected GLOB=PARSER, got `{spec}`"))?;
        pairs.push((glob, name));
    }
    pairs.extend(config.scan.parsers.iter().map(|(g, p)| (g.as_str(), p.as_str())));
    tollgate_inputs::ParserOverrides::new(pairs).map_err(|e| miette!(code = "tollgate::usage::parser", "{e}"))
}
