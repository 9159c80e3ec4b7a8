//! `--changed-since REV`: narrowing a scan to what a change touched.
//!
//! [`changed_since`] asks git which paths changed ([`ChangeSet`]); [`select`]
//! keeps the part of a [`Discovery`] those paths reach:
//!
//! - every evaluation unit holding a changed file, whole (a Terraform module
//!   directory; a host snapshot, whose `sshd_config` and the files it
//!   `Include`s share one unit);
//! - the unit a deleted file belonged to (a drop-in removed from
//!   `sshd_config.d` changes the host; a `.tf` removed from a module changes
//!   the module);
//! - the Terraform module of a directory in which any file changed, even one
//!   Tollgate does not read (a template the module loads with `templatefile`);
//! - for Terraform, the local modules a changed module calls
//!   (`source = "./modules/net"`), transitively, and the modules that call a
//!   changed one, transitively: the roots whose composed configuration the
//!   change alters.
//!
//! A caller's other modules are not added: Tollgate judges each module on
//! its own, so their findings cannot have changed.
//!
//! ```
//! # use tollgate_inputs::changed::{select, ChangeSet, Scope};
//! # use tollgate_inputs::{discover, Excludes, ParserOverrides};
//! let dir = std::env::temp_dir().join(format!("tollgate-doc-changed-{}", std::process::id()));
//! std::fs::create_dir_all(dir.join("k8s")).unwrap();
//! std::fs::write(dir.join("k8s/a.yaml"), "kind: Pod\n").unwrap();
//! std::fs::write(dir.join("k8s/b.yaml"), "kind: Pod\n").unwrap();
//! let roots = vec![dir.clone()];
//! let (excludes, parsers) = (Excludes::new(&[]).unwrap(), ParserOverrides::default());
//! let discovery = discover(&roots, &excludes).unwrap();
//! let changes = ChangeSet { top: dir.canonicalize().unwrap(), changed: ["k8s/b.yaml".to_string()].into(), ..Default::default() };
//! let scope = Scope { roots: &roots, excludes: &excludes, parsers: &parsers };
//! let selection = select(discovery, &scope, &changes);
//! assert_eq!(selection.discovery.files.len(), 1);
//! assert_eq!(selection.discovery.files[0].path, "k8s/b.yaml");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

mod git;
mod map;

pub use git::{changed_since, ChangeSet, ChangedError};

use crate::discover::{Discovery, Excludes, InputFile, ParserOverrides};
use crate::formats::{detect, Format};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where a scan looks: what its [`Discovery`] was walked with.
pub struct Scope<'a> {
    pub roots: &'a [PathBuf],
    pub excludes: &'a Excludes,
    pub parsers: &'a ParserOverrides,
}

/// The part of a discovery that a change reaches.
#[derive(Debug)]
pub struct Selection {
    /// The kept files (whole units), the walk errors on changed paths, and
    /// the changed files in no format Tollgate reads as `unrecognised`.
    pub discovery: Discovery,
    /// Changed and deleted paths under the scan roots, as reports name them, sorted.
    pub changed: Vec<String>,
}

/// The changed and deleted paths of `changes` that the scan would see, as
/// it names them: under a root, neither excluded nor in a skipped directory.
pub fn in_scope(scope: &Scope<'_>, changes: &ChangeSet) -> (BTreeSet<String>, BTreeSet<String>) {
    let roots = map::RootMap::all(scope);
    let display = |set: &BTreeSet<String>| -> BTreeSet<String> {
        set.iter().flat_map(|p| roots.iter().filter_map(move |r| r.display(&changes.top.join(p), scope.excludes))).collect()
    };
    (display(&changes.changed), display(&changes.deleted))
}

/// Keeps the units of `discovery` that `changes` reach (see the module docs).
pub fn select(mut discovery: Discovery, scope: &Scope<'_>, changes: &ChangeSet) -> Selection {
    let (changed, deleted) = in_scope(scope, changes);
    let changed_abs: BTreeSet<PathBuf> = changes.changed.iter().map(|p| changes.top.join(p)).collect();
    let format_of = |path: &str| scope.parsers.format_for(path).or_else(|| detect(Path::new(path)));

    let mut touched: BTreeSet<String> = BTreeSet::new();
    for f in &discovery.files {
        // The canonical path catches files reached through a symlinked directory.
        if changed.contains(&f.path) || f.fs_path.canonicalize().is_ok_and(|c| changed_abs.contains(&c)) {
            touched.insert(f.unit.clone());
        }
    }
    for path in &deleted {
        touched.extend(format_of(path).map(|format| format.unit(path)));
    }
    for path in changed.iter().chain(&deleted) {
        touched.insert(Format::TERRAFORM.unit(path));
    }
    let units: BTreeSet<&str> = discovery.files.iter().map(|f| f.unit.as_str()).collect();
    touched.retain(|u| units.contains(u.as_str()));

    let mut kept = touched.clone();
    if discovery.files.iter().any(|f| f.format == Format::TERRAFORM && touched.contains(&f.unit)) {
        let calls = module_calls(&discovery.files);
        let mut called_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (caller, callees) in &calls {
            for callee in callees {
                called_by.entry(callee.clone()).or_default().insert(caller.clone());
            }
        }
        kept.extend(reachable(&touched, &calls));
        kept.extend(reachable(&touched, &called_by));
    }

    let all: BTreeSet<&String> = changed.iter().chain(&deleted).collect();
    let related = |path: &str| all.iter().any(|c| c.as_str() == path || within(c, path) || within(path, c));
    discovery.files.retain(|f| kept.contains(&f.unit));
    discovery.errors.retain(|e| related(e.path()));
    let discovered: BTreeSet<&str> = discovery.files.iter().map(|f| f.path.as_str()).collect();
    discovery.unrecognised =
        changed.iter().filter(|p| !discovered.contains(p.as_str()) && !map::is_own_file(p) && format_of(p).is_none()).count();
    Selection { discovery, changed: all.into_iter().cloned().collect() }
}

/// Whether `path` lies inside the directory `dir` (both report paths).
fn within(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/')) || dir.is_empty()
}

/// Terraform unit → the units of the local modules it calls. Files that
/// cannot be read or parsed call nothing here; the scan reports them.
fn module_calls(files: &[InputFile]) -> BTreeMap<String, BTreeSet<String>> {
    let mut calls: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.format == Format::TERRAFORM) {
        let Ok(text) = crate::load::read_text(f, crate::load::DEFAULT_MAX_FILE_SIZE) else { continue };
        if !text.contains("source") {
            continue;
        }
        let Ok(resources) = f.format.parse(&f.path, &text) else { continue };
        let dir = crate::formats::terraform::module_dir(&f.path);
        for r in resources.iter().filter(|r| r.kind == "terraform:module") {
            if let Some(target) = r.attributes.get("module_source").and_then(|s| local_module(&dir, s)) {
                calls.entry(f.unit.clone()).or_default().insert(Format::TERRAFORM.unit(&format!("{target}/main.tf")));
            }
        }
    }
    calls
}

/// The directory a local module `source` names, relative to the calling
/// module's directory `dir`; `None` for registry, git and other remote sources.
fn local_module(dir: &str, source: &str) -> Option<String> {
    if !(source.starts_with("./") || source.starts_with("../")) {
        return None;
    }
    let mut parts: Vec<&str> = if dir == "." { Vec::new() } else { dir.split('/').collect() };
    for segment in source.split('/') {
        match (segment, parts.last().copied()) {
            ("" | ".", _) => {}
            // `..` of the file system root is the root.
            ("..", Some("")) if parts.len() == 1 => {}
            ("..", Some(last)) if last != ".." => {
                parts.pop();
            }
            (s, _) => parts.push(s),
        }
    }
    Some(if parts.is_empty() { ".".to_string() } else { parts.join("/") })
}

/// Every unit reachable from `start` along `edges`, `start` excluded unless on a cycle.
fn reachable(start: &BTreeSet<String>, edges: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: Vec<&String> = start.iter().collect();
    while let Some(unit) = queue.pop() {
        for next in edges.get(unit).into_iter().flatten() {
            if seen.insert(next.clone()) {
                queue.push(next);
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests;
