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
    if let Some(path) = explicit {
        return Ok(Config::load(path)?);
    }
    if let [only] = paths {
        let candidate = only.join(CONFIG_FILE);
        if only.is_dir() && candidate.is_file() {
            return Ok(Config::load(&candidate)?);
        }
    }
    let local = Path::new(CONFIG_FILE);
    if local.is_file() {
        return Ok(Config::load(local)?);
    }
    Ok(Config::default())
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
