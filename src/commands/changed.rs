//! `tollgate scan --changed-since REV`: ask git what changed, narrow the
//! discovery to it (`tollgate_inputs::changed`), and say so in the report
//! (`tollgate_engine::partial`).
//!
//! A change to the policy itself — the config file or a rule pack inside the
//! work tree — can change the verdict on any file, so it turns the run back
//! into a full scan (recorded as `policy_changed`).

use crate::cli::ScanArgs;
use miette::{miette, Result};
use std::path::{Path, PathBuf};
use tollgate_engine::partial::ChangedSince;
use tollgate_engine::Config;
use tollgate_inputs::changed::{changed_since, in_scope, select, ChangeSet, Scope};
use tollgate_inputs::Discovery;

/// `discovery` narrowed to what changed since `--changed-since REV`, with
/// the record of it; unchanged without the option.
pub fn narrow(args: &ScanArgs, config: &Config, discovery: Discovery, scope: &Scope<'_>) -> Result<(Discovery, Option<ChangedSince>)> {
    let Some(rev) = args.changed_since.as_deref() else { return Ok((discovery, None)) };
    if args.poam.is_some() {
        return Err(miette!(
            code = "tollgate::usage::changed_since",
            help = "update the ledger from a full scan (without --changed-since)",
            "a --changed-since scan cannot update a POA&M ledger: it would close the weaknesses of every file it did not read"
        ));
    }
    let changes = changed_since(&repository_dir(scope.roots), rev)?;
    let mut record = ChangedSince { rev: rev.to_string(), base: changes.base.clone(), ..ChangedSince::default() };
    let packs = config.rules.packs.iter().map(|p| config.resolve(p)).chain(args.rule_dirs.iter().cloned());
    let policy: Vec<PathBuf> = super::setup::config_path(args.config.as_deref(), &args.paths).into_iter().chain(packs).collect();
    if touches_policy(&changes, &policy) {
        let (changed, deleted) = in_scope(scope, &changes);
        record.files_changed = changed.union(&deleted).count();
        record.policy_changed = true;
        return Ok((discovery, Some(record)));
    }
    let selection = select(discovery, scope, &changes);
    record.files_changed = selection.changed.len();
    Ok((selection.discovery, Some(record)))
}

/// Where to ask git: the first root's directory (the work tree holding it).
fn repository_dir(roots: &[PathBuf]) -> PathBuf {
    match roots.first() {
        Some(root) if root.is_dir() => root.clone(),
        Some(root) => root.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf),
        None => PathBuf::from("."),
    }
}

/// Whether a changed or deleted path is one of the `policy` files, or inside
/// one of its directories.
fn touches_policy(changes: &ChangeSet, policy: &[PathBuf]) -> bool {
    let policy: Vec<PathBuf> = policy.iter().filter_map(|p| p.canonicalize().ok()).collect();
    changes.changed.iter().chain(&changes.deleted).map(|p| changes.top.join(p)).any(|abs| policy.iter().any(|p| abs.starts_with(p)))
}
