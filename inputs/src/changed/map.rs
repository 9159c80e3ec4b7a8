//! From a path in the git work tree to the name a scan gives it.
//!
//! The scan roots may be any directories or files of the work tree, given
//! relative to a working directory that is not its top, so paths are compared
//! on canonical roots. The walk's own rules apply: skipped directories and
//! exclude globs hide a path; a Terraform file given as a root also covers
//! the files beside it (see `discover`).

use super::Scope;
use crate::discover::{display_root, join, root_prefix, Excludes, DEFAULT_SKIPPED_DIRS};
use crate::formats::{detect, Format};
use std::path::{Component, Path, PathBuf};

/// One scan root, canonical, with how the scan names what is under it.
pub(super) struct RootMap {
    canon: PathBuf,
    kind: Kind,
}

enum Kind {
    /// A directory walked recursively; report paths start with `prefix`.
    Dir { prefix: String },
    /// A file named directly. `module_dir` is set for a Terraform file: the
    /// report path of its directory, whose other files the scan reads too.
    File { display: String, module_dir: Option<String> },
}

impl RootMap {
    /// The roots of `scope` that exist.
    pub fn all(scope: &Scope<'_>) -> Vec<RootMap> {
        let mut out = Vec::new();
        for root in scope.roots {
            let Ok(canon) = root.canonicalize() else { continue };
            let kind = if canon.is_dir() {
                Kind::Dir { prefix: root_prefix(scope.roots, root) }
            } else {
                let display = display_root(root);
                let terraform = scope.parsers.format_for(&display).or_else(|| detect(root)) == Some(Format::TERRAFORM);
                let module_dir = terraform.then(|| display.rsplit_once('/').map_or("", |(d, _)| d).to_string());
                Kind::File { display, module_dir }
            };
            out.push(RootMap { canon, kind });
        }
        out
    }

    /// The report path of `abs` (a path in the work tree) under this root, or
    /// `None` when the scan would not see it there.
    pub fn display(&self, abs: &Path, excludes: &Excludes) -> Option<String> {
        match &self.kind {
            Kind::File { display, .. } if abs == self.canon => Some(display.clone()),
            Kind::File { module_dir: Some(dir), .. } if abs.parent() == self.canon.parent() => {
                let rel = join(dir, abs.file_name()?.to_str()?);
                (!excludes.matches(&rel)).then_some(rel)
            }
            Kind::File { .. } => None,
            Kind::Dir { prefix } => {
                let rel = abs.strip_prefix(&self.canon).ok()?;
                let parts: Vec<&str> =
                    rel.components().map(|c| if let Component::Normal(s) = c { s.to_str() } else { None }).collect::<Option<_>>()?;
                let mut walked = String::new();
                for (i, part) in parts.iter().enumerate() {
                    walked = join(&walked, part);
                    let is_dir = i + 1 < parts.len();
                    if (is_dir && DEFAULT_SKIPPED_DIRS.contains(part)) || excludes.matches(&walked) {
                        return None;
                    }
                }
                (!walked.is_empty()).then(|| join(prefix, &walked))
            }
        }
    }
}

/// Tollgate's own files (`tollgate.toml`, …) are never inputs.
pub(super) fn is_own_file(path: &str) -> bool {
    crate::formats::OWN_FILES.contains(&path.rsplit('/').next().unwrap_or(path))
}
