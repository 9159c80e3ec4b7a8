//! Asking git what changed since a revision.
//!
//! Tollgate runs the `git` program rather than linking libgit2 (or gitoxide):
//! the answer must match what the user's own `git diff` says, with their
//! `.gitignore`, `safe.directory`, worktree, sparse-checkout and
//! shallow-clone settings, and every CI image that checks code out already
//! has git. Linking a library would add a large C (or fast-moving) dependency
//! to answer five plumbing questions, and it would disagree with git in the
//! corners where it matters.
//!
//! "Changed since REV" means what a pull request shows: every path that
//! differs between the merge base of REV and HEAD and the working tree
//! (committed, staged or not), plus untracked files that are not ignored.

use miette::Diagnostic;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What changed in a git work tree since a revision. Paths are relative to
/// the top of the work tree, `/`-separated, as git prints them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeSet {
    /// The top directory of the work tree, canonical.
    pub top: PathBuf,
    /// The commit compared against: the merge base of the revision and HEAD.
    pub base: String,
    /// Added, modified or untracked paths (renamed files under their new name).
    pub changed: BTreeSet<String>,
    /// Deleted paths (renamed files under their old name).
    pub deleted: BTreeSet<String>,
}

/// Why the changes could not be listed. All are usage errors (exit 2).
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ChangedError {
    #[error("--changed-since needs git, which could not be run: {message}")]
    #[diagnostic(code(tollgate::usage::changed_since), help("install git, or scan everything by leaving out --changed-since"))]
    GitMissing { message: String },

    #[error("--changed-since: {dir} is not in a git work tree: {message}")]
    #[diagnostic(
        code(tollgate::usage::changed_since),
        help("run the scan in a git checkout (in a container, git may also ask for `git config --global --add safe.directory DIR`)")
    )]
    NotARepo { dir: String, message: String },

    #[error("--changed-since: unknown revision `{rev}`")]
    #[diagnostic(
        code(tollgate::usage::changed_since),
        help(
            "name a branch, tag or commit that exists locally; a shallow CI checkout may need `git fetch origin {rev}` or a deeper clone"
        )
    )]
    UnknownRevision { rev: String },

    #[error("--changed-since: `{rev}` and HEAD have no common ancestor")]
    #[diagnostic(
        code(tollgate::usage::changed_since),
        help(
            "a shallow clone hides the merge base: fetch more history (`git fetch --deepen=100`, or `fetch-depth: 0` on actions/checkout)"
        )
    )]
    NoMergeBase { rev: String },

    #[error("--changed-since: `git {command}` failed: {message}")]
    #[diagnostic(code(tollgate::usage::changed_since))]
    Git { command: String, message: String },
}

/// Lists what changed since `rev` in the work tree holding `dir`.
pub fn changed_since(dir: &Path, rev: &str) -> Result<ChangeSet, ChangedError> {
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let top = match git(dir, &["rev-parse", "--show-toplevel"]) {
        Ok(out) => PathBuf::from(out.trim_end_matches(['\n', '\r'])),
        Err(Failure::Exit(message)) => return Err(ChangedError::NotARepo { dir: dir.display().to_string(), message }),
        Err(Failure::Spawn(message)) => return Err(ChangedError::GitMissing { message }),
    };
    let top = top.canonicalize().unwrap_or(top);
    let commit = format!("{rev}^{{commit}}");
    let resolved = match git(&top, &["rev-parse", "--verify", "--quiet", "--end-of-options", &commit]) {
        Ok(sha) => sha.trim().to_string(),
        Err(Failure::Exit(_)) => return Err(ChangedError::UnknownRevision { rev: rev.to_string() }),
        Err(f) => return Err(f.into_error("rev-parse")),
    };
    let base = match git(&top, &["merge-base", &resolved, "HEAD"]) {
        Ok(sha) => sha.trim().to_string(),
        // Exit 1 with nothing printed: the histories share no commit.
        Err(Failure::Exit(message)) if message.is_empty() => return Err(ChangedError::NoMergeBase { rev: rev.to_string() }),
        Err(f) => return Err(f.into_error("merge-base")),
    };
    let mut set = ChangeSet { top, base, ..ChangeSet::default() };
    // Renames are split into a deletion and an addition: the old place
    // matters too (a file leaving a Terraform module changes the module).
    let diff_args = [
        "diff",
        "--name-status",
        "-z",
        "--no-renames",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--ignore-submodules",
        &set.base,
        "--",
    ];
    let diff = git(&set.top, &diff_args).map_err(|f| f.into_error("diff"))?;
    parse_name_status(&diff, &mut set);
    let untracked = git(&set.top, &["ls-files", "-z", "--others", "--exclude-standard"]).map_err(|f| f.into_error("ls-files"))?;
    set.changed.extend(untracked.split('\0').filter(|p| !p.is_empty()).map(str::to_string));
    Ok(set)
}

/// Reads `git diff --name-status -z`: a status, then one path (two for
/// copies and renames, which `--no-renames` should already have split).
fn parse_name_status(out: &str, set: &mut ChangeSet) {
    let mut fields = out.split('\0').filter(|f| !f.is_empty());
    while let Some(status) = fields.next() {
        let first = fields.next();
        match status.chars().next() {
            Some('D') => set.deleted.extend(first.map(str::to_string)),
            Some('R') => {
                set.deleted.extend(first.map(str::to_string));
                set.changed.extend(fields.next().map(str::to_string));
            }
            Some('C') => set.changed.extend(fields.next().map(str::to_string)),
            // A, M, T (type change), U (unmerged), X: the path is there now.
            _ => set.changed.extend(first.map(str::to_string)),
        }
    }
}

enum Failure {
    /// git could not be started.
    Spawn(String),
    /// git ran and exited non-zero; its stderr, trimmed.
    Exit(String),
}

impl Failure {
    fn into_error(self, command: &str) -> ChangedError {
        match self {
            Failure::Spawn(message) => ChangedError::GitMissing { message },
            Failure::Exit(message) => ChangedError::Git { command: command.to_string(), message },
        }
    }
}

/// Runs `git -C dir ARGS` and returns its stdout. Optional locks are off so
/// that a scan never writes to the index another git command may be using.
fn git(dir: &Path, args: &[&str]) -> Result<String, Failure> {
    let out = Command::new("git")
        .arg("--no-optional-locks")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| Failure::Spawn(e.to_string()))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        Err(Failure::Exit(stderr.trim().trim_start_matches("fatal: ").to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_status_splits_renames_and_keeps_deletions_apart() {
        let mut set = ChangeSet::default();
        parse_name_status("M\0a.tf\0D\0mod/old.tf\0A\0new dir/x.yaml\0R100\0from.tf\0to.tf\0T\0link\0", &mut set);
        let changed: Vec<&str> = set.changed.iter().map(String::as_str).collect();
        let deleted: Vec<&str> = set.deleted.iter().map(String::as_str).collect();
        assert_eq!(changed, ["a.tf", "link", "new dir/x.yaml", "to.tf"]);
        assert_eq!(deleted, ["from.tf", "mod/old.tf"]);
    }
}
